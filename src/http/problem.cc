#include "http/problem.h"

#include <array>

#include <nlohmann/json.hpp>

#include "core/log.h"

namespace hcms::http {

namespace {

struct Title {
  std::string_view code;
  std::string_view pt;
  std::string_view en;
};

// The stable codes the HTTP layer itself produces, plus common domain ones.
// Keep docs/api-errors.md in step.
constexpr std::array kTitles = {
    Title{"malformed_request", "Requisição HTTP malformada", "Malformed HTTP request"},
    Title{"body_too_large", "Corpo da requisição grande demais", "Request body too large"},
    Title{"headers_too_large", "Cabeçalhos da requisição grandes demais",
          "Request header fields too large"},
    Title{"request_timeout", "Tempo esgotado aguardando a requisição", "Request timeout"},
    Title{"not_found", "Recurso não encontrado", "Not found"},
    Title{"method_not_allowed", "Método não permitido para este recurso", "Method not allowed"},
    Title{"too_many_connections", "Servidor no limite de conexões; tente de novo em instantes",
          "Too many connections; retry shortly"},
    Title{"server_busy", "Servidor ocupado; tente de novo em instantes",
          "Server busy; retry shortly"},
    Title{"shutting_down", "Servidor em desligamento", "Server shutting down"},
    Title{"internal_error", "Erro interno do servidor", "Internal server error"},
    Title{"database_unavailable", "Banco de dados indisponível", "Database unavailable"},
    Title{"database_pool_exhausted", "Banco de dados ocupado; tente de novo",
          "Database busy; retry"},
    Title{"database_busy", "Banco de dados ocupado; tente de novo", "Database busy; retry"},
    Title{"database_timeout", "Consulta ao banco de dados excedeu o tempo limite",
          "Database query timed out"},
    Title{"invalid_json", "Corpo JSON inválido", "Invalid JSON body"},
    Title{"validation_failed", "Dados inválidos", "Validation failed"},
    Title{"unsupported_media_type", "Tipo de conteúdo não suportado", "Unsupported media type"},
    Title{"conflict", "Conflito com o estado atual do recurso", "Conflict with the current state"},
    Title{"unauthenticated", "Autenticação necessária", "Authentication required"},
    Title{"forbidden", "Acesso negado", "Forbidden"},
    Title{"tenant_not_found", "Clínica não encontrada", "Practice not found"},
    Title{"not_ready", "Servidor ainda não está pronto", "Not ready"},
    Title{"admin_ui_unavailable", "Interface de administração indisponível",
          "Admin UI unavailable"},
    Title{"rate_limited", "Muitas requisições; aguarde", "Too many requests"},
    Title{"websocket_handshake_invalid", "Pedido de WebSocket inválido",
          "Invalid WebSocket handshake"},
    Title{"websocket_version_unsupported", "Versão de WebSocket não suportada (use 13)",
          "Unsupported WebSocket version (use 13)"},
    Title{"websocket_origin_denied", "Origem não permitida para WebSocket",
          "WebSocket origin not allowed"},
    // Authentication and the policy enforcement point (docs/security.md).
    Title{"invalid_credentials", "E-mail ou senha incorretos", "Invalid credentials"},
    Title{"login_throttled", "Muitas tentativas de acesso; aguarde",
          "Too many sign-in attempts; wait"},
    Title{"mfa_required", "Confirme com o segundo fator (código do autenticador)",
          "Second factor required (authenticator code)"},
    Title{"mfa_invalid", "Código de verificação incorreto", "Invalid verification code"},
    Title{"token_expired", "Sessão expirada", "Token expired"},
    Title{"token_revoked", "Sessão encerrada", "Token revoked"},
    Title{"token_wrong_tenant", "Credencial de outra clínica", "Token of another practice"},
    Title{"insufficient_trust", "Nível de confiança insuficiente para este recurso",
          "Trust score too low for this resource"},
    Title{"ip_denied", "Acesso bloqueado a partir desta rede", "Access denied from this network"},
    Title{"csrf_failed", "Token CSRF ausente ou inválido", "Missing or invalid CSRF token"},
    Title{"refresh_token_reused", "Sessão encerrada por reutilização de token",
          "Session revoked: refresh token reused"},
};

std::string_view StatusTitle(int status, bool en) {
  switch (status) {
    case 400:
      return en ? "Bad request" : "Requisição inválida";
    case 401:
      return en ? "Authentication required" : "Autenticação necessária";
    case 403:
      return en ? "Forbidden" : "Acesso negado";
    case 404:
      return en ? "Not found" : "Recurso não encontrado";
    case 405:
      return en ? "Method not allowed" : "Método não permitido";
    case 408:
      return en ? "Request timeout" : "Tempo esgotado";
    case 409:
      return en ? "Conflict" : "Conflito";
    case 413:
      return en ? "Payload too large" : "Conteúdo grande demais";
    case 415:
      return en ? "Unsupported media type" : "Tipo de conteúdo não suportado";
    case 422:
      return en ? "Unprocessable content" : "Dados inválidos";
    case 426:
      return en ? "Upgrade required" : "Atualização de protocolo necessária";
    case 429:
      return en ? "Too many requests" : "Muitas requisições";
    case 431:
      return en ? "Request header fields too large" : "Cabeçalhos grandes demais";
    case 503:
      return en ? "Service unavailable" : "Serviço indisponível";
    default:
      return status >= 500 ? (en ? "Internal server error" : "Erro interno do servidor")
                           : (en ? "Request error" : "Erro na requisição");
  }
}

}  // namespace

std::string_view ProblemTitle(std::string_view code, int status, std::string_view language) {
  const bool en = language == "en";
  for (const auto& t : kTitles) {
    if (t.code == code) return en ? t.en : t.pt;
  }
  return StatusTitle(status, en);
}

int HttpStatusFor(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::kInvalidArgument:
      return e.code() == "validation_failed" ? 422 : 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kFailedPrecondition:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kResourceExhausted:
      return 429;
    case ErrorKind::kInternal:
      return 500;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kDeadlineExceeded:
      return 503;
  }
  return 500;
}

Response Problem(std::string_view request_id, std::string_view language, int status,
                 std::string_view code, std::string detail) {
  nlohmann::ordered_json j = {
      {"type", "urn:hcms:problem:" + std::string(code)},
      {"title", ProblemTitle(code, status, language)},
      {"status", status},
      {"code", code},
  };
  if (!detail.empty()) j["detail"] = std::move(detail);
  j["request_id"] = request_id;
  Response r(status, std::string(kProblemContentType),
             j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  r.Set("Cache-Control", "no-store");
  // Busy or limited: worth trying again, and when (callers that know better set
  // their own, e.g. a login throttle's wait).
  if (status == 503 || status == 429) r.Set("Retry-After", "1");
  // RFC 9110 11.6.1: a 401 says how to authenticate (RFC 6750 for bearer tokens;
  // RFC 9470 when the token is good but a second factor is wanted).
  if (status == 401) {
    r.Set("WWW-Authenticate",
          code == "mfa_required"
              ? "Bearer realm=\"hcms\", error=\"insufficient_user_authentication\", "
                "acr_values=\"mfa\""
              : "Bearer realm=\"hcms\"");
  }
  return r;
}

Response Problem(const Request& req, int status, std::string_view code, std::string detail) {
  return Problem(req.request_id, req.Language(), status, code, std::move(detail));
}

Response Problem(const Request& req, const Error& error) {
  const int status = HttpStatusFor(error);
  if (status >= 500) {
    log::Error("request_failed", {{"request_id", req.request_id},
                                  {"route", req.route_template},
                                  {"code", error.code()},
                                  {"internal", error.ToLogString()}});
    // Server-side failures say what kind, never why.
    if (error.kind() == ErrorKind::kInternal) return Problem(req, status, "internal_error");
    return Problem(req, status, error.code());
  }
  Response r = Problem(req, status, error.code(), error.detail());
  if (!error.fields().empty()) {
    nlohmann::ordered_json body = nlohmann::ordered_json::parse(r.body);
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const auto& f : error.fields()) {
      nlohmann::ordered_json fe = {{"field", f.field}, {"code", f.code}};
      if (!f.message.empty()) fe["message"] = f.message;
      errors.push_back(std::move(fe));
    }
    body["errors"] = std::move(errors);
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return r;
}

}  // namespace hcms::http
