// PostgreSQL backend over libpq: one PGconn per Connection, statements prepared once
// per connection, parameters sent as text (bytea as binary), results converted by
// column type. The session runs in UTC with a statement timeout.

#include <charconv>
#include <unordered_map>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/clock.h"
#include "store/database.h"

namespace hcms::store {

namespace {

// Type OIDs from pg_type.h (stable across versions).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kTimestampOid = 1114,
              kTimestamptzOid = 1184;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string Field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v != nullptr ? v : "";
}

// Maps a failed result to an Error. The internal text names the SQLSTATE and the
// constraint/table/column, never PostgreSQL's DETAIL (which can quote row values).
Error PgError(PGconn* conn, const PGresult* r, std::string_view what) {
  if (r == nullptr || PQstatus(conn) == CONNECTION_BAD) {
    return Error(ErrorKind::kUnavailable, "database_unavailable", {},
                 fmt::format("postgres {}: connection lost", what));
  }
  const std::string state = Field(r, PG_DIAG_SQLSTATE);
  std::string internal = fmt::format("postgres {} failed: sqlstate {}", what, state);
  for (auto [code, label] :
       {std::pair{PG_DIAG_CONSTRAINT_NAME, "constraint"}, std::pair{PG_DIAG_TABLE_NAME, "table"},
        std::pair{PG_DIAG_COLUMN_NAME, "column"}}) {
    if (auto v = Field(r, code); !v.empty()) internal += fmt::format(" {}={}", label, v);
  }
  // Syntax and schema errors quote identifiers, not data: their message helps.
  if (state.rfind("42", 0) == 0 || state.rfind("0A", 0) == 0) {
    internal += " message=" + Field(r, PG_DIAG_MESSAGE_PRIMARY);
  }
  if (state == "23505") return Error(ErrorKind::kConflict, "unique_violation", {}, internal);
  if (state == "23503")
    return Error(ErrorKind::kFailedPrecondition, "foreign_key_violation", {}, internal);
  if (state == "23514" || state == "23502")
    return Error(ErrorKind::kInvalidArgument, "check_violation", {}, internal);
  if (state == "57014")
    return Error(ErrorKind::kDeadlineExceeded, "database_timeout", {}, internal);
  if (state == "40001" || state == "40P01")
    return Error(ErrorKind::kUnavailable, "database_busy", {}, internal);
  if (state.rfind("08", 0) == 0 || state.rfind("53", 0) == 0 || state.rfind("57P", 0) == 0) {
    return Error(ErrorKind::kUnavailable, "database_unavailable", {}, internal);
  }
  if (state.rfind("22", 0) == 0)
    return Error(ErrorKind::kInvalidArgument, "invalid_value", {}, internal);
  return Error(ErrorKind::kInternal, "database_error", {}, internal);
}

std::vector<uint8_t> DecodeByteaHex(const char* s, size_t n) {
  std::vector<uint8_t> out;
  if (n < 2 || s[0] != '\\' || s[1] != 'x') return out;
  auto nib = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    return static_cast<uint8_t>(c - 'A' + 10);
  };
  out.reserve((n - 2) / 2);
  for (size_t i = 2; i + 1 < n; i += 2)
    out.push_back(static_cast<uint8_t>(nib(s[i]) << 4 | nib(s[i + 1])));
  return out;
}

Value Convert(const char* s, size_t n, Oid type) {
  switch (type) {
    case kBoolOid:
      return Value(n > 0 && s[0] == 't');
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t v = 0;
      std::from_chars(s, s + n, v);
      return Value(v);
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double v = 0;
      std::from_chars(s, s + n, v);
      return Value(v);
    }
    case kByteaOid:
      return Value(DecodeByteaHex(s, n));
    case kTimestamptzOid:
    case kTimestampOid: {
      std::string text(s, n);
      if (type == kTimestampOid) text += "Z";
      if (auto t = ParseTimestamp(text)) return Value(FormatTimestamp(*t));
      return Value(std::move(text));  // infinity and the like
    }
    default:
      return Value(std::string(s, n));
  }
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    auto r = Exec(sql, params);
    if (!r) {
      // A schema change can invalidate a cached plan; prepare again once.
      if (r.error().code() == "database_error" &&
          r.error().internal().find("0A000") != std::string::npos) {
        Forget(sql);
        r = Exec(sql, params);
      }
    }
    return r;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string s(sql);
    ResultPtr r(PQexec(conn_, s.c_str()));
    const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      return std::unexpected(PgError(conn_, r.get(), "script"));
    }
    if (!InTransaction()) NoteCommittedWrite();
    return Ok();
  }

  Status Begin(bool) override {
    wrote_ = false;
    return Simple("BEGIN");
  }
  Status Commit() override {
    HCMS_CHECK(Simple("COMMIT"));
    if (wrote_) NoteCommittedWrite();
    wrote_ = false;
    return Ok();
  }
  Status Rollback() override {
    wrote_ = false;
    if (!InTransaction()) return Ok();
    return Simple("ROLLBACK");
  }
  bool InTransaction() const override {
    const auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
  }
  bool IsHealthy() const override {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_UNKNOWN;
  }

 private:
  Status Simple(const char* sql) {
    ResultPtr r(PQexec(conn_, sql));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(PgError(conn_, r.get(), sql));
    }
    return Ok();
  }

  void Forget(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) return;
    ResultPtr r(PQexec(conn_, fmt::format("DEALLOCATE {}", it->second).c_str()));
    statements_.erase(it);
  }

  Result<std::string> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    if (statements_.size() >= kMaxCached) {
      ResultPtr r(PQexec(conn_, "DEALLOCATE ALL"));
      statements_.clear();
    }
    std::string name = fmt::format("hcms_{}", ++statement_counter_);
    std::string text(sql);
    ResultPtr r(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(PgError(conn_, r.get(), "prepare"));
    }
    statements_.emplace(std::move(text), name);
    return name;
  }

  Result<Rows> Exec(std::string_view sql, std::span<const Value> params) {
    HCMS_TRY(std::string name, Prepare(sql));
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i].storage();
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (auto b = std::get_if<Blob>(&v)) {
        values[i] = reinterpret_cast<const char*>(b->data());
        lengths[i] = static_cast<int>(b->size());
        formats[i] = 1;
        continue;
      }
      if (auto s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
        continue;
      }
      if (auto x = std::get_if<int64_t>(&v)) text[i] = std::to_string(*x);
      if (auto x = std::get_if<double>(&v)) text[i] = fmt::format("{}", *x);
      if (auto x = std::get_if<bool>(&v)) text[i] = *x ? "true" : "false";
      values[i] = text[i].c_str();
    }
    ResultPtr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                               lengths.data(), formats.data(), 0));
    const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      return std::unexpected(PgError(conn_, r.get(), "query"));
    }
    if (std::string_view(PQcmdStatus(r.get())).rfind("SELECT", 0) != 0) {
      if (InTransaction()) {
        wrote_ = true;
      } else {
        NoteCommittedWrite();
      }
    }
    Rows rows;
    const int ncols = PQnfields(r.get());
    const int nrows = PQntuples(r.get());
    auto columns = std::make_shared<std::vector<std::string>>();
    std::vector<Oid> types;
    for (int c = 0; c < ncols; ++c) {
      columns->emplace_back(PQfname(r.get(), c));
      types.push_back(PQftype(r.get(), c));
    }
    rows.columns = *columns;
    rows.rows.reserve(static_cast<size_t>(nrows));
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> vals;
      vals.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r.get(), i, c)) {
          vals.emplace_back();
        } else {
          vals.push_back(Convert(PQgetvalue(r.get(), i, c),
                                 static_cast<size_t>(PQgetlength(r.get(), i, c)),
                                 types[static_cast<size_t>(c)]));
        }
      }
      rows.rows.emplace_back(columns, std::move(vals));
    }
    const char* affected = PQcmdTuples(r.get());
    if (affected != nullptr && *affected != '\0')
      rows.affected = std::strtoll(affected, nullptr, 10);
    return rows;
  }

  static constexpr size_t kMaxCached = 512;
  PGconn* conn_;
  bool wrote_ = false;  // the open transaction changed something
  std::unordered_map<std::string, std::string> statements_;
  uint64_t statement_counter_ = 0;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgres(const DatabaseOptions& options) {
  const std::string options_value = fmt::format(
      "-c TimeZone=UTC -c DateStyle=ISO -c statement_timeout={} -c client_min_messages=warning",
      options.statement_timeout.count());
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "options", nullptr};
  const char* values[] = {"5", "hcms", options.postgres_url.c_str(), options_value.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    // libpq's message can name the host and user but not the password.
    std::string msg = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return std::unexpected(
        Error(ErrorKind::kUnavailable, "database_unavailable", {}, "postgres connect: " + msg));
  }
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(conn));
}

}  // namespace hcms::store
