#include "store/row.h"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace hcms::store {

std::string Value::DebugString() const {
  struct V {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return "'" + s + "'"; }
    std::string operator()(const Blob& b) const {
      std::string s = "x'";
      for (uint8_t c : b) s += fmt::format("{:02x}", c);
      return s + "'";
    }
  };
  return std::visit(V{}, v_);
}

const Value& Row::at(size_t i) const {
  if (i >= values_.size()) throw std::logic_error(fmt::format("row has no column {}", i));
  return values_[i];
}

size_t Row::IndexOf(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  throw std::logic_error(fmt::format("row has no column \"{}\"", column));
}

const Value& Row::at(std::string_view column) const { return values_[IndexOf(column)]; }

int64_t Row::Int(size_t i) const {
  const auto& s = at(i).storage();
  if (auto p = std::get_if<int64_t>(&s)) return *p;
  if (auto p = std::get_if<bool>(&s)) return *p ? 1 : 0;
  if (auto p = std::get_if<double>(&s)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&s)) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), v);
    if (ec == std::errc() && end == p->data() + p->size()) return v;
  }
  throw std::logic_error(fmt::format("column {} is not an integer", i));
}

double Row::Real(size_t i) const {
  const auto& s = at(i).storage();
  if (auto p = std::get_if<double>(&s)) return *p;
  if (auto p = std::get_if<int64_t>(&s)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&s)) {
    double v = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), v);
    if (ec == std::errc() && end == p->data() + p->size()) return v;
  }
  throw std::logic_error(fmt::format("column {} is not a number", i));
}

bool Row::Bool(size_t i) const {
  const auto& s = at(i).storage();
  if (auto p = std::get_if<bool>(&s)) return *p;
  if (auto p = std::get_if<int64_t>(&s)) return *p != 0;
  if (auto p = std::get_if<std::string>(&s)) {
    if (*p == "t" || *p == "true" || *p == "1") return true;
    if (*p == "f" || *p == "false" || *p == "0") return false;
  }
  throw std::logic_error(fmt::format("column {} is not a boolean", i));
}

std::string Row::Text(size_t i) const {
  const auto& s = at(i).storage();
  if (auto p = std::get_if<std::string>(&s)) return *p;
  if (auto p = std::get_if<int64_t>(&s)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&s)) return fmt::format("{}", *p);
  if (auto p = std::get_if<bool>(&s)) return *p ? "true" : "false";
  if (auto p = std::get_if<Blob>(&s)) return std::string(p->begin(), p->end());
  if (std::holds_alternative<std::monostate>(s)) return {};
  throw std::logic_error(fmt::format("column {} is not text", i));
}

Blob Row::Bytes(size_t i) const {
  const auto& s = at(i).storage();
  if (auto p = std::get_if<Blob>(&s)) return *p;
  if (auto p = std::get_if<std::string>(&s)) return Blob(p->begin(), p->end());
  if (std::holds_alternative<std::monostate>(s)) return {};
  throw std::logic_error(fmt::format("column {} is not bytes", i));
}

int64_t Row::Int(std::string_view c) const { return Int(IndexOf(c)); }
double Row::Real(std::string_view c) const { return Real(IndexOf(c)); }
bool Row::Bool(std::string_view c) const { return Bool(IndexOf(c)); }
std::string Row::Text(std::string_view c) const { return Text(IndexOf(c)); }
Blob Row::Bytes(std::string_view c) const { return Bytes(IndexOf(c)); }

std::optional<int64_t> Row::OptInt(std::string_view c) const {
  const size_t i = IndexOf(c);
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::string_view c) const {
  const size_t i = IndexOf(c);
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

}  // namespace hcms::store
