// Query results: rows of Values with shared column names.
//
// Accessors coerce between compatible types (integer <-> bool, number -> text).
// Asking for an impossible conversion, or a column that does not exist, is a
// programming error: it throws std::logic_error, which the HTTP edge turns into a
// 500 without details.

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.h"

namespace hcms::store {

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const;
  const Value& at(std::string_view column) const;

  bool IsNull(size_t i) const { return at(i).is_null(); }
  bool IsNull(std::string_view c) const { return at(c).is_null(); }

  int64_t Int(size_t i) const;
  int64_t Int(std::string_view c) const;
  double Real(size_t i) const;
  double Real(std::string_view c) const;
  bool Bool(size_t i) const;
  bool Bool(std::string_view c) const;
  std::string Text(size_t i) const;
  std::string Text(std::string_view c) const;
  Blob Bytes(size_t i) const;
  Blob Bytes(std::string_view c) const;

  // NULL -> nullopt.
  std::optional<int64_t> OptInt(std::string_view c) const;
  std::optional<std::string> OptText(std::string_view c) const;

  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  size_t IndexOf(std::string_view column) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // INSERT/UPDATE/DELETE row count

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  const Row& operator[](size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

}  // namespace hcms::store
