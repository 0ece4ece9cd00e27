// The installation's master key for the personal-data operators (anonymizer.h):
// 32 random bytes kept as 64 hex characters in a file readable only by its owner.
// Per-tenant keys are derived from it (DeriveTenantKeys); nothing else is stored.

#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/error.h"

namespace hcms::lgpd {

using MasterKey = std::array<uint8_t, 32>;

// Reads the key file, or creates it (mode 0600, parent directories as needed) when it
// does not exist. kInvalidArgument "key_file_invalid" for a file that is not 64 hex
// characters; kUnavailable "key_file_unwritable" when it cannot be created.
Result<MasterKey> LoadOrCreateMasterKey(const std::string& path);

}  // namespace hcms::lgpd
