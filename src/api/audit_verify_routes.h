// POST /api/v1/audit/verify (read_audit): walks the tamper-evident audit chain
// (audit::VerifyAuditTrail: hash chain + Ed25519 checkpoints) and answers the
// report; the admin's audit viewer has a "verify chain" button for it.
//
//   200 {"ok": true, "entries": 1234, "checkpoints": 2, "head_seq": 1234,
//        "first_bad_seq": null, "problem": "", "detail": "", "verified_at": "..."}
//
// The chain is one for the whole server, so the counts are server-wide; they
// carry no personal data (ids and codes only). Every verification is audited.

#pragma once

#include "api/api.h"

namespace hcms::crypto {
class SigningKey;
}
namespace hcms::store {
class Database;
}

namespace hcms::api {

void AddAuditVerifyRoutes(Api& api, store::Database& db, const crypto::SigningKey& key);

}  // namespace hcms::api
