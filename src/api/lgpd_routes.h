// LGPD routes: the personal-data detector and operators, and the data-subject
// rights of the practice (docs/api-lgpd.md).
//
//   POST /api/v1/lgpd/analyze     {"content": "..."} -> analysis (editor, while typing)
//   POST /api/v1/lgpd/anonymize   {"content", "operators": {"cpf": "pseudonymize"}} -> text
//   /api/v1/privacy/...           data subjects, consents, requests, ROPA, retention
//
// The detector routes need kCreateContent on an internal resource; the privacy routes
// need kManagePrivacy on patient data (trust >= 75: MFA for most sessions).

#pragma once

#include "api/api.h"
#include "lgpd/master_key.h"
#include "privacy/services.h"

namespace hcms::api {

struct LgpdRoutesDeps {
  lgpd::MasterKey master_key;  // per-tenant pseudonym/encryption keys derive from it
  privacy::Services& privacy;
};

void AddLgpdRoutes(Api& api, const LgpdRoutesDeps& deps);

}  // namespace hcms::api
