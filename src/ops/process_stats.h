// Facts about this process and its host, read from /proc and statvfs.

#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hcms::ops {

// Resident set size in bytes (/proc/self/statm), or nullopt if unreadable.
std::optional<int64_t> ResidentMemoryBytes();

// Bytes free for unprivileged users on the file system holding `path`.
std::optional<int64_t> DiskFreeBytes(const std::string& path);

// Open file descriptors of this process.
std::optional<int64_t> OpenFileDescriptors();

}  // namespace hcms::ops
