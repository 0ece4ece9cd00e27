#include "lgpd/compiled_db.h"

extern "C" const char hcms_lgpd_embedded_db[];
extern "C" const char hcms_lgpd_embedded_db_end[];

namespace hcms::lgpd::internal {

std::string_view EmbeddedDatabase() {
  return {hcms_lgpd_embedded_db,
          static_cast<size_t>(hcms_lgpd_embedded_db_end - hcms_lgpd_embedded_db)};
}

}  // namespace hcms::lgpd::internal
