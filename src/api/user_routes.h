// User management and the audit trail (native API):
//   GET    /api/v1/users                 manage_users  ?after=<id>&limit=<1-200>
//   POST   /api/v1/users                 manage_users  {email, name, role, password?,
//                                                       specialty?, registration?}
//   GET    /api/v1/users/{id}            manage_users
//   PATCH  /api/v1/users/{id}            manage_users  {name?, role?, status?, specialty?,
//                                                       registration? | null}
//   DELETE /api/v1/users/{id}            manage_users  LGPD soft delete
//   POST   /api/v1/users/{id}/registration/verify  manage_users {status}
//   PATCH  /api/v1/users/me              authenticated {name?, specialty?, registration?}
//   GET    /api/v1/audit                 read_audit    ?action=&actor=&decision=&since=
//                                                       &until=&before=&limit=
// A role change, lock or deletion ends the user's sessions. Nobody can grant a role
// above their own (only a super_admin creates super_admins).

#pragma once

#include "api/api.h"

namespace hcms::api {

void AddUserRoutes(Api& api, accounts::UserRepository& users, accounts::SessionRepository& sessions,
                   accounts::PasswordParams password_params);
void AddAuditRoutes(Api& api);

}  // namespace hcms::api
