#include "store/sql_params.h"

namespace hcms::store {

std::string RewriteParamsForSqlite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // quoted: copy through the closing quote ('' escapes)
      const char q = c;
      out += c;
      ++i;
      while (i < sql.size()) {
        out += sql[i];
        if (sql[i] == q) {
          if (i + 1 < sql.size() && sql[i + 1] == q) {
            out += sql[++i];
          } else {
            ++i;
            break;
          }
        }
        ++i;
      }
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // line comment
      while (i < sql.size() && sql[i] != '\n') out += sql[i++];
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {  // block comment
      const size_t end = sql.find("*/", i + 2);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
      out += '?';
      ++i;
      while (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') out += sql[i++];
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string AppendInList(std::vector<Value>& params, const std::vector<int64_t>& values) {
  std::string out;
  for (int64_t v : values) {
    params.emplace_back(v);
    out += (out.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  return out;
}

}  // namespace hcms::store
