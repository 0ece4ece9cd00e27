// WordPress eXtended RSS (WXR): import and export.
//
// Import streams the file with libxml2's reader (gzip is read transparently),
// so a large export never sits in memory: each top-level element of <channel>
// (wp:author, wp:category, wp:tag, wp:term, item) is expanded on its own and
// written, all inside ONE database transaction. A malformed or truncated file
// stops the import with a clear error and the transaction is rolled back: the
// database is exactly as it was.
//
// WXR 1.0, 1.1 and 1.2 are read, with the wp namespace spelled http:// or
// https://. Original ids are kept when they are free; otherwise new ids are
// given and every reference (parents, featured images, comment threads) follows.
// Re-importing the same file is a no-op: authors match by e-mail, terms by
// (taxonomy, slug), content by (type, guid); the report says what was already there.
//
//   WxrImporter importer(service, {.tenant_id = 3, .progress = ProgressBar(...)});
//   HCMS_TRY(ImportReport r, importer.ImportFile("export.xml.gz"));

#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "content/service.h"
#include "core/error.h"

namespace hcms::content {

struct ImportSkip {
  std::string kind;       // "item", "term", "comment", "attachment_file", ...
  std::string source_id;  // id in the export
  std::string reason;     // pt-BR, no personal data
};

struct ImportCounts {
  int64_t created = 0;
  int64_t existing = 0;    // already imported (re-import)
  int64_t renumbered = 0;  // original id was taken: a new id was given
};

struct ImportReport {
  std::string wxr_version;
  std::map<std::string, ImportCounts> counts;  // "authors", "categories", "post", "page", ...
  int64_t comments = 0;
  int64_t meta = 0;
  int64_t files_copied = 0;
  int64_t flagged_personal_data = 0;
  std::vector<ImportSkip> skipped;
  double seconds = 0;
};

// Called for every imported post and page inside the import transaction; returns
// true when the post was flagged for personal data (the LGPD detector, #5).
using ImportScanner =
    std::function<Result<bool>(store::Connection& c, int64_t tenant_id, const Post& post)>;

struct ImportOptions {
  int64_t tenant_id = 0;
  // Where the old site's wp-content/uploads was copied to; attachment files found
  // there are copied to `media_dir`. Empty: files are not copied (reported).
  std::string uploads_dir;
  std::string media_dir;       // <data_dir>/media/<tenant>
  std::string media_base_url;  // "/media" (served by the public site)
  ImportScanner scanner;
  // Progress: (bytes read, total bytes). Called at most ~100 times.
  std::function<void(int64_t, int64_t)> progress;
};

class WxrImporter {
 public:
  WxrImporter(ContentService& service, ImportOptions options)
      : service_(service), options_(std::move(options)) {}

  // Errors: kNotFound "file_not_found"; kInvalidArgument "wxr_malformed" (detail
  // names the line), "wxr_not_wxr"; storage errors. On any error nothing is kept.
  Result<ImportReport> ImportFile(const std::string& path);

 private:
  ContentService& service_;
  ImportOptions options_;
};

struct ExportOptions {
  int64_t tenant_id = 0;
  std::string site_title;
  std::string site_url;  // base for links
};

// Writes a WXR 1.2 document of everything of the tenant (posts, pages,
// attachments, terms, authors, meta, comments) that WordPress's importer reads.
Status ExportWxr(ContentService& service, const ExportOptions& options, const std::string& path);

// Human-readable report (pt-BR first, English second).
std::string FormatImportReport(const ImportReport& report);

}  // namespace hcms::content
