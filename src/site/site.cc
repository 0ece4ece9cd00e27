#include "site/site.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "content/sanitizer.h"
#include "core/time_zone.h"

namespace hcms::site {

namespace mst = kainjow::mustache;
using content::Post;
using content::PostQuery;
using content::PostStatus;
using content::PostType;

namespace {

std::atomic<uint64_t> g_theme_ids{1};

// Parsed templates are not safe to share between threads (kainjow renders by
// walking mutable state), so each thread keeps its own, keyed by theme id.
mst::mustache& Compiled(const Theme& theme, std::string_view name) {
  thread_local std::map<std::pair<uint64_t, std::string>, std::unique_ptr<mst::mustache>> cache;
  auto key = std::make_pair(theme.id(), std::string(name));
  auto it = cache.find(key);
  if (it == cache.end()) {
    const std::string* src = theme.Template(name);
    it = cache.emplace(key, std::make_unique<mst::mustache>(src ? *src : std::string())).first;
  }
  return *it->second;
}

const char* const kMonths[] = {"janeiro",  "fevereiro", "março",    "abril",
                               "maio",     "junho",     "julho",    "agosto",
                               "setembro", "outubro",   "novembro", "dezembro"};
const char* const kMonthsEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::optional<int64_t> PositiveInt(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string LocalDatePath(const Post& p, const std::string& tz) {
  auto t = ParseTimestamp(p.date_gmt);
  if (!t) return "1970/01";
  auto local = ToLocalTime(*t, tz);
  if (!local) return "1970/01";
  return fmt::format("{:04}/{:02}", local->year, local->month);
}

// schema.org's MedicalSpecialty values for the seeded specialties.
std::string_view SchemaSpecialty(std::string_view code) {
  if (code == "cardiology") return "Cardiovascular";
  if (code == "dermatology") return "Dermatology";
  if (code == "endocrinology") return "Endocrine";
  if (code == "gynecology_obstetrics") return "Obstetric";
  if (code == "neurology") return "Neurologic";
  if (code == "oncology") return "Oncologic";
  if (code == "orthopedics") return "Musculoskeletal";
  if (code == "pediatrics") return "Pediatric";
  if (code == "psychiatry_psychology") return "Psychiatric";
  if (code == "general_practice") return "PrimaryCare";
  return {};
}

// JSON inside <script>: no "</script>" or "<!--" can appear.
std::string ScriptSafe(const nlohmann::json& j) {
  std::string s = j.dump();
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

std::string QueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- theme

Result<std::shared_ptr<const Theme>> Theme::Load(const std::string& dir) {
  auto theme = std::make_shared<Theme>();
  for (const auto& [name, text] : DefaultThemeFiles()) theme->files_[name] = std::string(text);
  if (!dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      return InvalidArgument("theme_invalid", "Diretório do tema não encontrado: " + dir);
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      theme->files_[entry.path().filename().string()] = ss.str();
    }
  }
  for (const auto& [name, text] : theme->files_) {
    if (!name.ends_with(".mustache")) continue;
    mst::mustache m(text);
    if (!m.is_valid()) {
      return InvalidArgument("theme_invalid",
                             fmt::format("Modelo {} inválido: {}", name, m.error_message()));
    }
  }
  for (const char* required : {"layout", "list", "post", "page", "404"}) {
    if (theme->Template(required) == nullptr) {
      return InvalidArgument("theme_invalid", fmt::format("O tema não tem {}.mustache", required));
    }
  }
  theme->id_ = g_theme_ids++;
  return std::shared_ptr<const Theme>(std::move(theme));
}

const std::string* Theme::Template(std::string_view name) const {
  auto it = files_.find(std::string(name) + ".mustache");
  return it == files_.end() ? nullptr : &it->second;
}

const std::string* Theme::Asset(std::string_view name) const {
  if (name.ends_with(".mustache")) return nullptr;
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------- helpers

std::string XmlEscape(std::string_view s) { return content::EscapeHtml(s); }

std::string Rfc822Date(const std::string& rfc3339) {
  auto t = ParseTimestamp(rfc3339);
  if (!t) return {};
  auto l = ToLocalTime(*t, "UTC");
  if (!l) return {};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[l->weekday], l->day,
                     kMonthsEn[l->month - 1], l->year, l->hour, l->minute, l->second);
}

std::string HttpDate(const std::string& rfc3339) {
  std::string s = Rfc822Date(rfc3339);
  if (s.size() > 5) s.replace(s.size() - 5, 5, "GMT");
  return s;
}

std::string HumanDate(const std::string& rfc3339, const std::string& timezone) {
  auto t = ParseTimestamp(rfc3339);
  if (!t) return {};
  auto l = ToLocalTime(*t, timezone);
  if (!l) return {};
  return fmt::format("{} de {} de {}", l->day, kMonths[l->month - 1], l->year);
}

std::string Site::PostUrl(const SiteInfo& site, const Post& post, const std::string&) {
  if (post.type == PostType::kPage) return site.base_url + "/" + post.slug + "/";
  if (post.type == PostType::kAttachment) return post.source_url;
  return site.base_url + "/" + LocalDatePath(post, site.timezone) + "/" + post.slug + "/";
}

std::string Site::TermUrl(const SiteInfo& site, const content::Term& term) {
  const std::string base = term.taxonomy == content::kPostTag ? "/tag/" : "/category/";
  return site.base_url + base + term.slug + "/";
}

std::string Site::AuthorUrl(const SiteInfo& site, const content::Author& author) {
  return site.base_url + "/author/" + author.slug + "/";
}

// ---------------------------------------------------------------- site

struct Site::Chrome {
  int64_t generation = 0;  // the practice's content generation it was built at
  mst::data nav_pages{mst::data::type::list};
  mst::data categories{mst::data::type::list};
  bool has_categories = false;
  std::map<int64_t, content::Term> terms;  // every term, for post pages
};

Site::Site(content::ContentService& content, std::shared_ptr<const Theme> theme,
           SiteOptions options)
    : content_(content), theme_(std::move(theme)), options_(options) {}

Result<std::shared_ptr<const Site::Chrome>> Site::ChromeFor(const SiteInfo& site) {
  HCMS_TRY(const int64_t generation, content_.Generation(site.tenant_id));
  {
    std::lock_guard lock(mu_);
    auto it = chrome_.find(site.tenant_id);
    if (it != chrome_.end() && it->second.first == generation) return it->second.second;
  }
  auto chrome = std::make_shared<Chrome>();
  chrome->generation = generation;
  PostQuery pages;
  pages.types = {PostType::kPage};
  pages.max_compliance = content::ComplianceLevel::kPublic;
  pages.parent = 0;
  pages.order_by = content::PostOrder::kMenuOrder;
  pages.ascending = true;
  pages.per_page = 8;
  HCMS_TRY(auto top, content_.List(site.tenant_id, pages, generation));
  for (const auto& p : top.posts) {
    mst::data d;
    d.set("title", p.title);
    d.set("url", PostUrl(site, p));
    chrome->nav_pages.push_back(d);
  }
  HCMS_CHECK(content_.db().Run([&](store::Connection& c) -> Status {
    for (std::string_view tax : {content::kCategory, content::kPostTag}) {
      HCMS_TRY(auto all, content_.terms().List(c, site.tenant_id,
                                               {.taxonomy = std::string(tax), .per_page = 1000}));
      for (auto& t : all.terms) {
        if (tax == content::kCategory && t.count > 0) {
          mst::data d;
          d.set("name", t.name);
          d.set("url", TermUrl(site, t));
          chrome->categories.push_back(d);
          chrome->has_categories = true;
        }
        chrome->terms.emplace(t.id, std::move(t));
      }
    }
    return Ok();
  }));
  std::lock_guard lock(mu_);
  chrome_[site.tenant_id] = {generation, chrome};
  return std::shared_ptr<const Chrome>(chrome);
}

namespace {

struct Page {
  std::string title;
  std::string description;
  std::string canonical;
  std::string body;
  std::string json_ld;
  std::string search;
  bool noindex = false;
};

}  // namespace

Result<SiteResponse> Site::Handle(const SiteInfo& site, const SiteRequest& req) {
  const auto segs = Segments(req.path);
  auto q = [&](const char* k) -> std::string {
    auto it = req.query.find(k);
    return it == req.query.end() ? std::string() : it->second;
  };
  HCMS_TRY(auto chrome, ChromeFor(site));
  const Theme& theme = *theme_;

  auto render = [&](std::string_view name, const mst::data& d) {
    return Compiled(theme, name).render(d);
  };
  auto layout = [&](const Page& page, int status, std::string last_modified) {
    mst::data d;
    d.set("site_name", site.name);
    d.set("site_url", site.base_url);
    d.set("page_title", page.title.empty() ? site.name : page.title + " – " + site.name);
    d.set("description", page.description.empty() ? site.name : page.description);
    d.set("canonical", page.canonical);
    d.set("body", page.body);
    d.set("search", page.search);
    d.set("nav_pages", chrome->nav_pages);
    d.set("categories", chrome->categories);
    d.set("has_categories",
          chrome->has_categories ? mst::data::type::bool_true : mst::data::type::bool_false);
    d.set("noindex", page.noindex ? mst::data::type::bool_true : mst::data::type::bool_false);
    if (!page.json_ld.empty()) d.set("json_ld", page.json_ld);
    const auto local_now = ToLocalTime(content_.clock().Now(), site.timezone);
    d.set("year", std::to_string(local_now ? local_now->year : 1970));
    SiteResponse r;
    r.status = status;
    r.body = render("layout", d);
    r.last_modified = std::move(last_modified);
    return r;
  };
  auto not_found = [&]() {
    mst::data d;
    d.set("site_url", site.base_url);
    Page page{.title = "Página não encontrada", .body = render("404", d), .noindex = true};
    page.canonical = site.base_url + req.path;
    SiteResponse r = layout(page, 404, "");
    r.max_age = 30;
    return r;
  };
  auto redirect = [&](std::string to) {
    SiteResponse r;
    r.status = 301;
    r.location = std::move(to);
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Movido para / moved to " + r.location + "\n";
    return r;
  };
  auto public_query = [&]() {
    PostQuery pq;
    pq.types = {PostType::kPost};
    pq.statuses = {PostStatus::kPublish};
    pq.max_compliance = content::ComplianceLevel::kPublic;
    pq.per_page = options_.posts_per_page;
    return pq;
  };
  auto author_data = [&](const std::unordered_map<int64_t, content::Author>& authors, const Post& p,
                         mst::data& d) {
    if (!p.author_id) return;
    auto it = authors.find(*p.author_id);
    if (it == authors.end()) return;
    d.set("author", it->second.name);
    d.set("author_url", AuthorUrl(site, it->second));
    if (it->second.crm) {
      d.set("crm", *it->second.crm + (it->second.crm_uf ? "/" + *it->second.crm_uf : ""));
    }
  };
  // A listing page (home, archives, search).
  auto listing = [&](PostQuery pq, int64_t page_no, std::string heading, std::string intro,
                     std::string base_path, std::string title,
                     std::vector<Post> sticky = {}) -> Result<SiteResponse> {
    pq.page = page_no;
    HCMS_TRY(auto result, content_.List(site.tenant_id, pq, chrome->generation));
    const int64_t pages = std::max<int64_t>(1, (result.total + pq.per_page - 1) / pq.per_page);
    if (page_no > pages) return not_found();
    std::vector<Post> posts = std::move(sticky);
    for (auto& p : result.posts) posts.push_back(std::move(p));
    HCMS_TRY(auto authors, content_.AuthorsOf(site.tenant_id, posts));
    mst::data list{mst::data::type::list};
    std::string newest;
    for (const auto& p : posts) {
      mst::data d;
      d.set("title", content::HtmlToText(p.title));
      d.set("url", PostUrl(site, p));
      d.set("excerpt", content_.Excerpt(p));
      d.set("date_iso", p.date_gmt.substr(0, 19) + "Z");
      d.set("date_human", HumanDate(p.date_gmt, site.timezone));
      d.set("sticky", p.sticky ? mst::data::type::bool_true : mst::data::type::bool_false);
      author_data(authors, p, d);
      list.push_back(d);
      newest = std::max(newest, p.modified_gmt);
    }
    mst::data d;
    d.set("heading", heading);
    if (!intro.empty()) d.set("intro", intro);
    d.set("posts", list);
    d.set("has_posts", posts.empty() ? mst::data::type::bool_false : mst::data::type::bool_true);
    auto page_url = [&](int64_t n) {
      if (base_path.starts_with("?")) {
        return site.base_url + "/" + base_path + (n > 1 ? "&paged=" + std::to_string(n) : "");
      }
      return site.base_url + base_path + (n > 1 ? "page/" + std::to_string(n) + "/" : "");
    };
    if (pages > 1) {
      mst::data pg;
      pg.set("page", std::to_string(page_no));
      pg.set("pages", std::to_string(pages));
      if (page_no > 1) pg.set("prev", page_url(page_no - 1));
      if (page_no < pages) pg.set("next", page_url(page_no + 1));
      d.set("pagination", pg);
    }
    Page page{.title = title,
              .description = intro.empty() ? site.name : intro,
              .canonical = page_url(page_no),
              .body = render("list", d)};
    page.search = q("s");
    page.noindex = !q("s").empty() || base_path.starts_with("/search/");
    return layout(page, 200, newest);
  };

  const std::string s = q("s");
  // ------------------------------------------------------------ home, search, short links
  if (segs.empty()) {
    if (!s.empty()) {
      PostQuery pq = public_query();
      pq.search = s;
      pq.order_by = content::PostOrder::kRelevance;
      const int64_t n = PositiveInt(q("paged")).value_or(1);
      return listing(pq, n, "Resultados da busca: " + s, "", "?s=" + QueryEscape(s), "Busca: " + s);
    }
    if (auto id = PositiveInt(q("p")).or_else([&] { return PositiveInt(q("page_id")); })) {
      auto p = content_.Get(site.tenant_id, *id);
      if (p && p->status == PostStatus::kPublish &&
          p->compliance == content::ComplianceLevel::kPublic && p->type != PostType::kAttachment) {
        return redirect(PostUrl(site, *p));
      }
      return not_found();
    }
    const int64_t n = PositiveInt(q("paged")).value_or(1);
    std::vector<Post> sticky;
    PostQuery pq = public_query();
    if (n == 1) {
      PostQuery sq = public_query();
      sq.sticky = true;
      HCMS_TRY(auto st, content_.List(site.tenant_id, sq, chrome->generation));
      sticky = std::move(st.posts);
    }
    pq.sticky = false;
    return listing(pq, n, site.name, "", "/", "", std::move(sticky));
  }
  const std::string& first = segs[0];
  // ------------------------------------------------------------ fixed files
  if (segs.size() == 1 && first == "robots.txt") {
    SiteResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "User-agent: *\nDisallow: /api/\nDisallow: /wp-json/\nAllow: /\n\nSitemap: " +
             site.base_url + "/sitemap.xml\n";
    r.max_age = 3600;
    return r;
  }
  if (segs.size() == 2 && first == "theme") {
    const std::string* asset = theme.Asset(segs[1]);
    if (asset == nullptr) return not_found();
    SiteResponse r;
    r.content_type = segs[1].ends_with(".css")   ? "text/css; charset=utf-8"
                     : segs[1].ends_with(".js")  ? "text/javascript; charset=utf-8"
                     : segs[1].ends_with(".svg") ? "image/svg+xml"
                                                 : "application/octet-stream";
    r.body = *asset;
    r.max_age = 86400;
    return r;
  }
  if (segs.size() == 1 && first == "sitemap.xml") {
    PostQuery pq = public_query();
    pq.types = {PostType::kPost, PostType::kPage};
    pq.per_page = 1000;
    std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    body += "<url><loc>" + XmlEscape(site.base_url + "/") + "</loc></url>\n";
    std::string newest;
    for (pq.page = 1; pq.page <= 50; ++pq.page) {
      HCMS_TRY(auto r, content_.List(site.tenant_id, pq, chrome->generation));
      for (const auto& p : r.posts) {
        body += "<url><loc>" + XmlEscape(PostUrl(site, p)) + "</loc><lastmod>" +
                p.modified_gmt.substr(0, 19) + "Z</lastmod></url>\n";
        newest = std::max(newest, p.modified_gmt);
      }
      if (static_cast<int64_t>(r.posts.size()) < pq.per_page) break;
    }
    body += "</urlset>\n";
    SiteResponse r;
    r.content_type = "application/xml; charset=utf-8";
    r.body = std::move(body);
    r.last_modified = newest;
    r.max_age = 300;
    return r;
  }
  if (first == "feed" && segs.size() <= 2) {
    const bool atom = segs.size() == 2 && segs[1] == "atom";
    if (segs.size() == 2 && !atom && segs[1] != "rss2") return not_found();
    PostQuery pq = public_query();
    HCMS_TRY(auto r, content_.List(site.tenant_id, pq, chrome->generation));
    HCMS_TRY(auto authors, content_.AuthorsOf(site.tenant_id, r.posts));
    std::string newest =
        r.posts.empty() ? FormatTimestamp(content_.clock().Now()) : r.posts.front().modified_gmt;
    for (const auto& p : r.posts) newest = std::max(newest, p.modified_gmt);
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    if (atom) {
      body += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"pt-BR\">\n";
      body += "<title>" + XmlEscape(site.name) + "</title>\n";
      body += "<id>" + XmlEscape(site.base_url + "/") + "</id>\n";
      body += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
              XmlEscape(site.base_url + "/") + "\"/>\n";
      body += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
              XmlEscape(site.base_url + "/feed/atom/") + "\"/>\n";
      body += "<updated>" + newest.substr(0, 19) + "Z</updated>\n";
      for (const auto& p : r.posts) {
        const std::string url = PostUrl(site, p);
        body += "<entry>\n<title type=\"html\">" + XmlEscape(p.title) + "</title>\n";
        body += "<link rel=\"alternate\" type=\"text/html\" href=\"" + XmlEscape(url) + "\"/>\n";
        body += "<id>" + XmlEscape(p.guid.empty() ? url : p.guid) + "</id>\n";
        body += "<published>" + p.date_gmt.substr(0, 19) + "Z</published>\n";
        body += "<updated>" + p.modified_gmt.substr(0, 19) + "Z</updated>\n";
        if (p.author_id && authors.contains(*p.author_id)) {
          body +=
              "<author><name>" + XmlEscape(authors.at(*p.author_id).name) + "</name></author>\n";
        }
        body += "<summary type=\"text\">" + XmlEscape(content_.Excerpt(p)) + "</summary>\n";
        body +=
            "<content type=\"html\">" + XmlEscape(content_.Rendered(p)) + "</content>\n</entry>\n";
      }
      body += "</feed>\n";
    } else {
      body +=
          "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
          "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
          "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
      body += "<title>" + XmlEscape(site.name) + "</title>\n";
      body += "<link>" + XmlEscape(site.base_url + "/") + "</link>\n";
      body += "<atom:link href=\"" + XmlEscape(site.base_url + "/feed/") +
              "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
      body += "<description>" + XmlEscape(site.name) + "</description>\n";
      body += "<language>pt-BR</language>\n";
      body += "<lastBuildDate>" + Rfc822Date(newest) + "</lastBuildDate>\n";
      for (const auto& p : r.posts) {
        const std::string url = PostUrl(site, p);
        body += "<item>\n<title>" + XmlEscape(content::HtmlToText(p.title)) + "</title>\n";
        body += "<link>" + XmlEscape(url) + "</link>\n";
        body +=
            "<guid isPermaLink=\"false\">" + XmlEscape(p.guid.empty() ? url : p.guid) + "</guid>\n";
        body += "<pubDate>" + Rfc822Date(p.date_gmt) + "</pubDate>\n";
        if (p.author_id && authors.contains(*p.author_id)) {
          body += "<dc:creator>" + XmlEscape(authors.at(*p.author_id).name) + "</dc:creator>\n";
        }
        for (int64_t t : p.term_ids) {
          if (auto it = chrome->terms.find(t);
              it != chrome->terms.end() && it->second.taxonomy == content::kCategory) {
            body += "<category>" + XmlEscape(it->second.name) + "</category>\n";
          }
        }
        body += "<description>" + XmlEscape(content_.Excerpt(p)) + "</description>\n";
        body += "<content:encoded>" + XmlEscape(content_.Rendered(p)) + "</content:encoded>\n";
        body += "</item>\n";
      }
      body += "</channel>\n</rss>\n";
    }
    SiteResponse resp;
    resp.content_type =
        atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8";
    resp.body = std::move(body);
    resp.last_modified = newest;
    resp.max_age = 300;
    return resp;
  }
  // ------------------------------------------------------------ home pages 2..n
  if (first == "page" && segs.size() == 2) {
    auto n = PositiveInt(segs[1]);
    if (!n) return not_found();
    if (*n == 1) return redirect(site.base_url + "/");
    PostQuery pq = public_query();
    pq.sticky = false;
    return listing(pq, *n, site.name, "", "/", fmt::format("Página {}", *n));
  }
  // ------------------------------------------------------------ archives
  auto archive_page = [&](size_t at) -> std::optional<int64_t> {
    if (segs.size() == at) return 1;
    if (segs.size() == at + 2 && segs[at] == "page") return PositiveInt(segs[at + 1]);
    return std::nullopt;
  };
  if ((first == "category" || first == "tag") && segs.size() >= 2) {
    auto n = archive_page(2);
    if (!n) return not_found();
    const std::string taxonomy =
        first == "tag" ? std::string(content::kPostTag) : std::string(content::kCategory);
    HCMS_TRY(auto term, content_.db().Run([&](store::Connection& c) {
      return content_.terms().FindBySlug(c, site.tenant_id, taxonomy, segs[1]);
    }));
    if (!term) return not_found();
    PostQuery pq = public_query();
    pq.any_terms_a = {term->id};
    // A category page also shows its subcategories' posts.
    for (const auto& [id, t] : chrome->terms) {
      if (t.parent_id == term->id) pq.any_terms_a.push_back(id);
    }
    const std::string label = first == "tag" ? "Tag: " : "Categoria: ";
    return listing(pq, *n, label + term->name, content::HtmlToText(term->description),
                   "/" + first + "/" + term->slug + "/", label + term->name);
  }
  if (first == "author" && segs.size() >= 2) {
    auto n = archive_page(2);
    if (!n) return not_found();
    HCMS_TRY(auto author, content_.db().Run([&](store::Connection& c) {
      return content_.authors().FindBySlug(c, site.tenant_id, segs[1]);
    }));
    if (!author) return not_found();
    PostQuery pq = public_query();
    pq.authors = {author->id};
    std::string intro = author->bio;
    if (author->crm)
      intro += (intro.empty() ? "" : " ") +
               ("CRM " + *author->crm + (author->crm_uf ? "/" + *author->crm_uf : ""));
    return listing(pq, *n, "Autor: " + author->name, intro, "/author/" + author->slug + "/",
                   author->name);
  }
  if (first == "search" && segs.size() >= 2) {
    auto n = archive_page(2);
    if (!n) return not_found();
    PostQuery pq = public_query();
    pq.search = segs[1];
    pq.order_by = content::PostOrder::kRelevance;
    return listing(pq, *n, "Resultados da busca: " + segs[1], "", "/search/" + segs[1] + "/",
                   "Busca: " + segs[1]);
  }
  // ------------------------------------------------------------ a post or a page
  const std::string& slug = segs.back();
  HCMS_TRY(auto found, content_.db().Run([&](store::Connection& c) {
    return content_.posts().FindBySlug(c, site.tenant_id, slug);
  }));
  if (!found || found->status != PostStatus::kPublish ||
      found->compliance != content::ComplianceLevel::kPublic) {
    return not_found();
  }
  const Post& p = *found;
  const std::string canonical = PostUrl(site, p);
  // One URL per content: anything else redirects to it.
  const std::string expected_path = canonical.substr(site.base_url.size());
  const bool is_post_path = segs.size() == 3 && segs[0].size() == 4 && segs[1].size() == 2;
  if (p.type == PostType::kPost && (!is_post_path || req.path != expected_path)) {
    return redirect(canonical);
  }
  if (p.type == PostType::kPage && is_post_path) return not_found();
  HCMS_TRY(auto authors, content_.AuthorsOf(site.tenant_id, {p}));
  mst::data d;
  d.set("title", content::HtmlToText(p.title));
  d.set("content", content_.Rendered(p));
  d.set("date_iso", p.date_gmt.substr(0, 19) + "Z");
  d.set("date_human", HumanDate(p.date_gmt, site.timezone));
  author_data(authors, p, d);
  mst::data terms{mst::data::type::list};
  std::string specialty;
  bool has_terms = false;
  for (int64_t t : p.term_ids) {
    auto it = chrome->terms.find(t);
    if (it == chrome->terms.end()) continue;
    mst::data td;
    td.set("name", it->second.name);
    td.set("url", TermUrl(site, it->second));
    terms.push_back(td);
    has_terms = true;
    if (it->second.specialty && specialty.empty())
      specialty = std::string(SchemaSpecialty(*it->second.specialty));
  }
  d.set("terms", terms);
  d.set("has_terms", has_terms ? mst::data::type::bool_true : mst::data::type::bool_false);
  // Approved comments.
  if (p.type == PostType::kPost) {
    HCMS_TRY(auto comments, content_.db().Run([&](store::Connection& c) {
      return content_.comments().List(c, site.tenant_id,
                                      {.posts = {p.id}, .ascending = true, .per_page = 100});
    }));
    mst::data list{mst::data::type::list};
    for (const auto& cm : comments.comments) {
      mst::data cd;
      cd.set("author", cm.author_name.empty() ? std::string("Anônimo") : cm.author_name);
      cd.set("date_iso", cm.date_gmt.substr(0, 19) + "Z");
      cd.set("date_human", HumanDate(cm.date_gmt, site.timezone));
      cd.set("content", cm.content);
      list.push_back(cd);
    }
    d.set("comments", list);
    d.set("has_comments",
          comments.comments.empty() ? mst::data::type::bool_false : mst::data::type::bool_true);
  } else {
    PostQuery children;
    children.types = {PostType::kPage};
    children.max_compliance = content::ComplianceLevel::kPublic;
    children.parent = p.id;
    children.order_by = content::PostOrder::kMenuOrder;
    children.ascending = true;
    children.per_page = 100;
    HCMS_TRY(auto kids, content_.List(site.tenant_id, children, chrome->generation));
    mst::data list{mst::data::type::list};
    for (const auto& k : kids.posts) {
      mst::data kd;
      kd.set("title", content::HtmlToText(k.title));
      kd.set("url", PostUrl(site, k));
      list.push_back(kd);
    }
    d.set("children", list);
    d.set("has_children",
          kids.posts.empty() ? mst::data::type::bool_false : mst::data::type::bool_true);
  }
  // schema.org: a medical web page, written by a physician (with the CRM) when known.
  nlohmann::json ld = {
      {"@context", "https://schema.org"},
      {"@type", "MedicalWebPage"},
      {"@id", canonical},
      {"url", canonical},
      {"name", content::HtmlToText(p.title)},
      {"headline", content::HtmlToText(p.title)},
      {"description", content_.Excerpt(p)},
      {"inLanguage", "pt-BR"},
      {"datePublished", p.date_gmt.substr(0, 19) + "Z"},
      {"dateModified", p.modified_gmt.substr(0, 19) + "Z"},
      {"isPartOf", {{"@type", "WebSite"}, {"name", site.name}, {"url", site.base_url + "/"}}},
      {"publisher", {{"@type", "MedicalOrganization"}, {"name", site.name}}}};
  if (!specialty.empty()) ld["specialty"] = "https://schema.org/" + specialty;
  if (p.author_id && authors.contains(*p.author_id)) {
    const auto& a = authors.at(*p.author_id);
    nlohmann::json author = {
        {"@type", a.crm ? "Physician" : "Person"}, {"name", a.name}, {"url", AuthorUrl(site, a)}};
    if (a.crm) {
      author["identifier"] = {{"@type", "PropertyValue"},
                              {"propertyID", "CRM" + (a.crm_uf ? "-" + *a.crm_uf : std::string())},
                              {"value", *a.crm}};
    }
    ld["author"] = author;
  }
  Page page{.title = content::HtmlToText(p.title),
            .description = content_.Excerpt(p),
            .canonical = canonical,
            .body = render(p.type == PostType::kPage ? "page" : "post", d),
            .json_ld = ScriptSafe(ld)};
  return layout(page, 200, p.modified_gmt);
}

}  // namespace hcms::site
