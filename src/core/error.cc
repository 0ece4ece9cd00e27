#include "core/error.h"

namespace hcms {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kUnauthenticated:
      return "unauthenticated";
    case ErrorKind::kPermissionDenied:
      return "permission_denied";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kFailedPrecondition:
      return "failed_precondition";
    case ErrorKind::kTooLarge:
      return "too_large";
    case ErrorKind::kResourceExhausted:
      return "resource_exhausted";
    case ErrorKind::kInternal:
      return "internal";
    case ErrorKind::kUnavailable:
      return "unavailable";
    case ErrorKind::kDeadlineExceeded:
      return "deadline_exceeded";
  }
  return "unknown";
}

std::string Error::ToLogString() const {
  std::string s(ErrorKindName(kind_));
  s += '/';
  s += code_;
  if (!internal_.empty()) {
    s += ": ";
    s += internal_;
  }
  return s;
}

}  // namespace hcms
