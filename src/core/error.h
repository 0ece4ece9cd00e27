// Error model below the HTTP edge.
//
// Fallible functions return `Result<T>` (std::expected<T, Error>). An Error has a
// coarse `kind` (maps to an HTTP status in one table, http/problem.cc), a stable
// machine-readable `code` that clients may rely on ("slug_taken"), an optional
// client-safe `detail`, and an `internal` message that only goes to the server log.
//
// Never put personal data, SQL text or secrets in `detail`. `internal` may hold SQL
// state or driver messages, but still no personal data: log lines are not a
// place for it either.
//
//   Result<Tenant> t = repo.FindBySlug(slug);
//   if (!t) return std::unexpected(t.error());
//   HCMS_TRY(auto user, users.Create(...));   // same, shorter

#pragma once

#include <utility>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace hcms {

// Coarse classes of failure. Client errors first, then server errors: keep
// KindToHttpStatus (http/problem.cc) in step when adding one.
enum class ErrorKind {
  kInvalidArgument,     // 400/422: the input is wrong; the caller can fix it
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kConflict,            // 409: unique key taken, stale revision
  kFailedPrecondition,  // 409/422: the state does not allow this now
  kTooLarge,            // 413
  kResourceExhausted,   // 429: rate limits, quotas
  kInternal,            // 500
  kUnavailable,         // 503: database down, pool exhausted, shutting down
  kDeadlineExceeded,    // 504
};

std::string_view ErrorKindName(ErrorKind kind);

// A problem with one input field, reported back to the client.
struct FieldError {
  std::string field;  // JSON pointer-ish name: "email", "registration.uf"
  std::string code;   // stable: "required", "invalid_format", "too_long"
  std::string message;
};

class [[nodiscard]] Error {
 public:
  Error(ErrorKind kind, std::string code, std::string detail = {}, std::string internal = {})
      : kind_(kind),
        code_(std::move(code)),
        detail_(std::move(detail)),
        internal_(std::move(internal)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::string& internal() const { return internal_; }
  const std::vector<FieldError>& fields() const { return fields_; }

  Error& WithField(std::string field, std::string code, std::string message = {}) & {
    fields_.push_back({std::move(field), std::move(code), std::move(message)});
    return *this;
  }
  Error&& WithField(std::string field, std::string code, std::string message = {}) && {
    fields_.push_back({std::move(field), std::move(code), std::move(message)});
    return std::move(*this);
  }
  // Adds context for the log only ("while migrating to version 3").
  Error&& WithContext(std::string_view context) && {
    internal_ = internal_.empty() ? std::string(context) : std::string(context) + ": " + internal_;
    return std::move(*this);
  }

  // "kind/code: internal" for log lines.
  std::string ToLogString() const;

 private:
  ErrorKind kind_;
  std::string code_;
  std::string detail_;
  std::string internal_;
  std::vector<FieldError> fields_;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline Status Ok() { return {}; }

// Shorthands for the common kinds. `detail` is client-safe text.
inline std::unexpected<Error> InvalidArgument(std::string code, std::string detail = {}) {
  return std::unexpected(Error(ErrorKind::kInvalidArgument, std::move(code), std::move(detail)));
}
inline std::unexpected<Error> NotFound(std::string code = "not_found", std::string detail = {}) {
  return std::unexpected(Error(ErrorKind::kNotFound, std::move(code), std::move(detail)));
}
inline std::unexpected<Error> Conflict(std::string code, std::string detail = {}) {
  return std::unexpected(Error(ErrorKind::kConflict, std::move(code), std::move(detail)));
}
inline std::unexpected<Error> Internal(std::string internal) {
  return std::unexpected(Error(ErrorKind::kInternal, "internal_error", {}, std::move(internal)));
}
inline std::unexpected<Error> Unavailable(std::string code, std::string internal = {}) {
  return std::unexpected(Error(ErrorKind::kUnavailable, std::move(code), {}, std::move(internal)));
}

}  // namespace hcms

// HCMS_TRY(decl, expr): evaluates `expr` (a Result<T>); on error returns it from the
// enclosing function, otherwise declares `decl` = the value.
//   HCMS_TRY(auto rows, conn.Query(sql, params));
#define HCMS_CONCAT_INNER(a, b) a##b
#define HCMS_CONCAT(a, b) HCMS_CONCAT_INNER(a, b)
#define HCMS_TRY(decl, expr) HCMS_TRY_IMPL(HCMS_CONCAT(hcms_try_, __LINE__), decl, expr)
#define HCMS_TRY_IMPL(tmp, decl, expr)                      \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  decl = std::move(tmp).value()

// HCMS_CHECK(expr): evaluates a Status; on error returns it.
#define HCMS_CHECK(expr)                                       \
  do {                                                         \
    if (auto hcms_status_ = (expr); !hcms_status_)             \
      return std::unexpected(std::move(hcms_status_).error()); \
  } while (false)
