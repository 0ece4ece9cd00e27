// The admin UI's built files (web/ -> Vite -> a directory of static files), read
// once at start-up and kept in memory, so answering /admin never touches the disk.
//
//   auto assets = web::AdminAssets::LoadDirectory("build/release/web/dist");
//   if (!assets) { /admin answers 503 admin_ui_unavailable }
//   const web::Asset* a = assets->Find("assets/index-3f2a9c1d.js");
//
// A file `X.gz` next to `X` is X's precompressed variant (the build writes them);
// it is served to clients that accept gzip. Files under `assets/` have
// content-hashed names and are immutable; everything else is revalidated.
//
// Thread safety: immutable after construction; share it freely.

#pragma once

#include <utility>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hcms::web {

struct Asset {
  std::string path;  // relative, '/'-separated: "index.html", "assets/index-abc123.js"
  std::string body;
  std::string content_type;
  std::string etag;       // strong ETag of `body`, quoted
  std::string gzip_body;  // empty when there is no precompressed variant
  std::string gzip_etag;
  bool immutable = false;  // content-hashed name under assets/
};

class AdminAssets {
 public:
  // Limits on what LoadDirectory accepts (the build output is a few MB).
  static constexpr size_t kMaxFiles = 2000;
  static constexpr size_t kMaxTotalBytes = size_t{64} << 20;

  // Reads every regular file under `dir` (symbolic links are skipped). Fails with
  // kUnavailable "admin_ui_unavailable" when `dir` has no index.html, and with
  // kInternal "admin_ui_unreadable" on a read error or when a limit is exceeded.
  static Result<AdminAssets> LoadDirectory(const std::filesystem::path& dir);

  // Builds the set from (relative path, content) pairs; "X.gz" entries become
  // X's precompressed variant. Needs "index.html" like LoadDirectory.
  static Result<AdminAssets> FromFiles(std::vector<std::pair<std::string, std::string>> files);

  // The file at a relative path ("assets/x.js"), or nullptr.
  const Asset* Find(std::string_view path) const;
  const Asset& index() const { return *index_; }
  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

  AdminAssets(AdminAssets&&) noexcept = default;
  AdminAssets& operator=(AdminAssets&&) noexcept = default;

 private:
  AdminAssets() = default;
  std::map<std::string, Asset, std::less<>> files_;
  const Asset* index_ = nullptr;
  size_t total_bytes_ = 0;
};

// The Content-Type for a file name, by extension ("application/octet-stream"
// when unknown). Text types carry "; charset=utf-8".
std::string_view ContentTypeFor(std::string_view path);

}  // namespace hcms::web
