// RFC 9457 problem details: every error the server sends.
//
//   {"type":"urn:hcms:problem:body_too_large","title":"Corpo da requisição grande demais",
//    "status":413,"code":"body_too_large","detail":"...","request_id":"..."}
//
// `code` is stable and documented (docs/api-errors.md); `title` follows the
// request's Accept-Language (pt-BR by default, English on request). Server-side
// errors (5xx) never carry a detail; their internal message is logged with the
// request id instead. Nothing here may contain personal data.

#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "http/message.h"

namespace hcms::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// The HTTP status for an error (one table; see ErrorKind).
int HttpStatusFor(const Error& error);

// Builds the problem response for `error`, logging server-side errors.
Response Problem(const Request& req, const Error& error);

// Builds a problem response from a status and a code from the catalogue.
Response Problem(const Request& req, int status, std::string_view code, std::string detail = {});

// Same, for answers sent before a Request exists (parse failures).
Response Problem(std::string_view request_id, std::string_view language, int status,
                 std::string_view code, std::string detail = {});

// Localised title of a code ("pt-BR" or "en"); falls back to the status's title.
std::string_view ProblemTitle(std::string_view code, int status, std::string_view language);

}  // namespace hcms::http
