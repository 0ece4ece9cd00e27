// The public site: server-rendered pages of published, public content.
//
// URLs follow WordPress's "/%year%/%monthnum%/%postname%/" permalinks, so links
// to a migrated site keep working:
//   /                       home, newest first (sticky posts on top of page 1)
//   /page/N/                more of the home
//   /YYYY/MM/slug/          a post           /slug/ or /parent/child/   a page
//   /category/slug/[page/N/]  /tag/slug/...  /author/slug/...
//   /?s=words  /search/words/               search (ranked)
//   /?p=ID  /?page_id=ID                   WordPress short links (301 to the permalink)
//   /feed/  /feed/atom/  /sitemap.xml  /robots.txt  /theme/<asset>
// Anything else is the theme's 404 page (status 404).
//
// Only posts and pages that are published AND of compliance level "public" are
// ever shown here. Pages are mustache templates (themes/default, or a theme
// directory given in the configuration); all values are HTML-escaped by the
// templates except the post body, which is the sanitiser's output.
//
// Thread-safe.

#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "content/service.h"
#include "core/error.h"

namespace hcms::site {

// The embedded default theme: file name -> contents.
const std::map<std::string, std::string_view>& DefaultThemeFiles();

class Theme {
 public:
  // Files from `dir` override the default theme's files of the same name; an
  // empty dir is the default theme. kInvalidArgument "theme_invalid" when a
  // template does not parse (the detail names it).
  static Result<std::shared_ptr<const Theme>> Load(const std::string& dir);

  // The template's source, or nullptr.
  const std::string* Template(std::string_view name) const;
  // Static assets (style.css, ...), or nullptr.
  const std::string* Asset(std::string_view name) const;
  // Distinguishes theme versions in caches.
  uint64_t id() const { return id_; }

 private:
  std::map<std::string, std::string, std::less<>> files_;
  uint64_t id_ = 0;
};

struct SiteInfo {
  int64_t tenant_id = 0;
  std::string name;
  std::string timezone = "America/Sao_Paulo";
  std::string base_url;  // "https://www.clinica.com.br", no trailing slash
};

struct SiteRequest {
  std::string path;                          // decoded, as sent
  std::map<std::string, std::string> query;  // decoded
};

struct SiteResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::string location;       // redirects
  std::string last_modified;  // RFC 3339 UTC, empty when not known
  int max_age = 60;           // Cache-Control: public, max-age
};

struct SiteOptions {
  int posts_per_page = 10;
};

class Site {
 public:
  Site(content::ContentService& content, std::shared_ptr<const Theme> theme, SiteOptions options);

  // Renders the answer for one request. Errors are storage failures only (a
  // missing page is a 404 SiteResponse).
  Result<SiteResponse> Handle(const SiteInfo& site, const SiteRequest& request);

  // Public URLs of content, also used by /wp-json ("link").
  static std::string PostUrl(const SiteInfo& site, const content::Post& post,
                             const std::string& page_path = {});
  static std::string TermUrl(const SiteInfo& site, const content::Term& term);
  static std::string AuthorUrl(const SiteInfo& site, const content::Author& author);

 private:
  struct Chrome;
  Result<std::shared_ptr<const Chrome>> ChromeFor(const SiteInfo& site);

  content::ContentService& content_;
  std::shared_ptr<const Theme> theme_;
  SiteOptions options_;
  std::mutex mu_;
  // Per practice: the navigation and terms, valid while its content generation is.
  std::map<int64_t, std::pair<int64_t, std::shared_ptr<const Chrome>>> chrome_;  // guarded by mu_
};

// Pieces with their own tests.
std::string XmlEscape(std::string_view s);
// "Tue, 24 Nov 2026 13:05:09 +0000" from RFC 3339.
std::string Rfc822Date(const std::string& rfc3339);
// The HTTP date form: "Tue, 24 Nov 2026 13:05:09 GMT".
std::string HttpDate(const std::string& rfc3339);
// "24 de novembro de 2026", in the tenant's zone.
std::string HumanDate(const std::string& rfc3339, const std::string& timezone);

}  // namespace hcms::site
