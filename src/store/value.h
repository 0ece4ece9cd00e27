// Values that cross the database boundary: statement parameters and result cells.
//
// Both backends map to the same small set of types, so repository code is written
// once. Booleans come back from SQLite as integers; Row::Bool accepts either.
// Timestamps are text (see core/clock.h); PostgreSQL timestamptz is normalised.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hcms::store {

using Blob = std::vector<uint8_t>;

class Value {
 public:
  using Storage = std::variant<std::monostate, int64_t, double, bool, std::string, Blob>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(int v) : v_(int64_t{v}) {}
  Value(unsigned v) : v_(int64_t{v}) {}
  Value(long v) : v_(int64_t{v}) {}
  Value(long long v) : v_(static_cast<int64_t>(v)) {}
  Value(unsigned long v) : v_(static_cast<int64_t>(v)) {}
  Value(double v) : v_(v) {}
  Value(bool v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Blob v) : v_(std::move(v)) {}
  template <class T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  const Storage& storage() const { return v_; }

  // Debug form for tests: NULL, 42, 1.5, true, 'text', x'00ff'.
  std::string DebugString() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  Storage v_;
};

}  // namespace hcms::store
