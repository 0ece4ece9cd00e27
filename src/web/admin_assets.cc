#include "web/admin_assets.h"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "crypto/sha256.h"
#include "http/compression.h"

namespace hcms::web {

namespace {

struct TypeByExtension {
  std::string_view ext;
  std::string_view type;
};

constexpr std::array kTypes = {
    TypeByExtension{".html", "text/html; charset=utf-8"},
    TypeByExtension{".js", "text/javascript; charset=utf-8"},
    TypeByExtension{".mjs", "text/javascript; charset=utf-8"},
    TypeByExtension{".css", "text/css; charset=utf-8"},
    TypeByExtension{".json", "application/json"},
    TypeByExtension{".webmanifest", "application/manifest+json"},
    TypeByExtension{".map", "application/json"},
    TypeByExtension{".svg", "image/svg+xml"},
    TypeByExtension{".png", "image/png"},
    TypeByExtension{".jpg", "image/jpeg"},
    TypeByExtension{".jpeg", "image/jpeg"},
    TypeByExtension{".gif", "image/gif"},
    TypeByExtension{".webp", "image/webp"},
    TypeByExtension{".avif", "image/avif"},
    TypeByExtension{".ico", "image/x-icon"},
    TypeByExtension{".woff2", "font/woff2"},
    TypeByExtension{".woff", "font/woff"},
    TypeByExtension{".ttf", "font/ttf"},
    TypeByExtension{".txt", "text/plain; charset=utf-8"},
    TypeByExtension{".wasm", "application/wasm"},
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string ETagOf(std::string_view body, std::string_view variant) {
  // 64 bits of SHA-256 is plenty to tell versions of one file apart.
  return fmt::format("\"{}{}\"", crypto::Sha256Hex(body).substr(0, 16), variant);
}

Error Unreadable(std::string internal) {
  return Error(ErrorKind::kInternal, "admin_ui_unreadable", {}, std::move(internal));
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& t : kTypes) {
    if (t.ext == ext) return t.type;
  }
  return "application/octet-stream";
}

Result<AdminAssets> AdminAssets::FromFiles(std::vector<std::pair<std::string, std::string>> files) {
  AdminAssets a;
  std::vector<std::pair<std::string, std::string>> gz;
  for (auto& [path, body] : files) {
    a.total_bytes_ += body.size();
    if (EndsWith(path, ".gz")) {
      gz.emplace_back(path.substr(0, path.size() - 3), std::move(body));
      continue;
    }
    Asset asset;
    asset.path = path;
    asset.content_type = std::string(ContentTypeFor(path));
    asset.etag = ETagOf(body, "");
    asset.immutable = path.starts_with("assets/");
    asset.body = std::move(body);
    a.files_.insert_or_assign(path, std::move(asset));
  }
  for (auto& [path, body] : gz) {
    auto it = a.files_.find(path);
    if (it == a.files_.end()) continue;  // a lone .gz is not served
    it->second.gzip_etag = ETagOf(it->second.body, "-gz");
    it->second.gzip_body = std::move(body);
  }
  // Text files the build did not compress are compressed once here, so that no
  // request compresses them again (http::Negotiate would, on the I/O thread).
  for (auto& [path, asset] : a.files_) {
    if (!asset.gzip_body.empty()) continue;
    http::Response plain(200, asset.content_type, asset.body);
    if (auto v = http::GzipVariant(plain, {.level = 9})) {
      asset.gzip_etag = ETagOf(asset.body, "-gz");
      asset.gzip_body = std::string(v->Body());
    }
  }
  auto index = a.files_.find("index.html");
  if (index == a.files_.end()) {
    return std::unexpected(Error(ErrorKind::kUnavailable, "admin_ui_unavailable", {},
                                 "the admin UI build has no index.html"));
  }
  a.index_ = &index->second;
  return a;
}

Result<AdminAssets> AdminAssets::LoadDirectory(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(dir / "index.html", ec)) {
    return std::unexpected(Error(ErrorKind::kUnavailable, "admin_ui_unavailable", {},
                                 "no index.html in " + dir.string()));
  }
  std::vector<std::pair<std::string, std::string>> files;
  size_t total = 0;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return std::unexpected(Unreadable(dir.string() + ": " + ec.message()));
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return std::unexpected(Unreadable(dir.string() + ": " + ec.message()));
    const fs::directory_entry& entry = *it;
    if (entry.is_symlink(ec) || !entry.is_regular_file(ec)) continue;
    if (files.size() >= kMaxFiles) {
      return std::unexpected(Unreadable(fmt::format("more than {} files", kMaxFiles)));
    }
    const std::string rel = entry.path().lexically_relative(dir).generic_string();
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in && !in.eof()) return std::unexpected(Unreadable("cannot read " + rel));
    total += body.view().size();
    if (total > kMaxTotalBytes) {
      return std::unexpected(Unreadable(fmt::format("more than {} bytes", kMaxTotalBytes)));
    }
    files.emplace_back(rel, std::move(body).str());
  }
  return FromFiles(std::move(files));
}

const Asset* AdminAssets::Find(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace hcms::web
