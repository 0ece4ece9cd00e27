#include <chrono>
#include <filesystem>
#include <regex>

#include <fmt/format.h>
#include <libxml/xmlreader.h>
#include <zlib.h>

#include "content/sanitizer.h"
#include "content/text.h"
#include "content/wxr.h"
#include "core/log.h"
#include "core/time_zone.h"

namespace hcms::content {

namespace {

enum class Ns { kOther, kWp, kExcerpt, kContent, kDc };

Ns Classify(const xmlChar* href) {
  if (href == nullptr) return Ns::kOther;
  std::string_view h(reinterpret_cast<const char*>(href));
  if (h == "http://purl.org/rss/1.0/modules/content/") return Ns::kContent;
  if (h == "http://purl.org/dc/elements/1.1/") return Ns::kDc;
  if (h.starts_with("https://")) {
    h.remove_prefix(8);
  } else if (h.starts_with("http://")) {
    h.remove_prefix(7);
  } else {
    return Ns::kOther;
  }
  if (!h.starts_with("wordpress.org/export/1.")) return Ns::kOther;
  h.remove_prefix(23);
  if (h.size() < 2 || h[0] < '0' || h[0] > '2' || h[1] != '/') return Ns::kOther;
  h.remove_prefix(2);
  if (h.empty()) return Ns::kWp;
  if (h == "excerpt/") return Ns::kExcerpt;
  return Ns::kOther;
}

std::string_view Name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string Text(const xmlNode* n) {
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* s = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<int64_t> ToId(const std::string& s) {
  const std::string t = Trim(s);
  if (t.empty() || t.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

// The children of an element, by (namespace class, local name).
struct Fields {
  std::multimap<std::pair<Ns, std::string>, const xmlNode*> by_name;

  explicit Fields(const xmlNode* parent) {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      by_name.emplace(std::make_pair(Classify(c->ns ? c->ns->href : nullptr), std::string(Name(c))),
                      c);
    }
  }
  std::string Get(Ns ns, const std::string& name) const {
    auto it = by_name.find({ns, name});
    return it == by_name.end() ? std::string() : Text(it->second);
  }
  std::vector<const xmlNode*> All(Ns ns, const std::string& name) const {
    std::vector<const xmlNode*> out;
    auto [b, e] = by_name.equal_range({ns, name});
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
  }
};

// "2021-01-04 11:02:33" (UTC) -> RFC 3339; "0000-00-00 00:00:00" -> nullopt.
std::optional<std::string> GmtDate(const std::string& s) {
  const std::string t = Trim(s);
  if (t.size() < 19 || t.starts_with("0000")) return std::nullopt;
  std::string iso = t.substr(0, 10) + "T" + t.substr(11, 8) + "Z";
  auto tp = ParseTimestamp(iso);
  if (!tp) return std::nullopt;
  return FormatTimestamp(*tp);
}

// Streams a (possibly gzip-compressed) file to libxml2 and tracks progress.
struct Source {
  gzFile gz = nullptr;
  int64_t total = 0;
  int64_t last_reported = -1;
  std::function<void(int64_t, int64_t)> progress;

  static int Read(void* ctx, char* buf, int len) {
    auto* self = static_cast<Source*>(ctx);
    const int n = gzread(self->gz, buf, static_cast<unsigned>(len));
    if (self->progress && self->total > 0) {
      const int64_t pos = gzoffset(self->gz);
      const int64_t pct = pos * 100 / self->total;
      if (pct != self->last_reported) {
        self->last_reported = pct;
        self->progress(pos, self->total);
      }
    }
    return n;
  }
  static int Close(void*) { return 0; }
};

class Run {
 public:
  Run(ContentService& service, const ImportOptions& options, store::Connection& c,
      ImportReport& report)
      : s_(service), o_(options), c_(c), r_(report) {}

  Status Element(const xmlNode* node, Ns ns) {
    const std::string name(Name(node));
    if (ns == Ns::kWp) {
      if (name == "wxr_version") {
        r_.wxr_version = Trim(Text(node));
        return Ok();
      }
      if (name == "base_site_url") {
        base_site_url_ = Trim(Text(node));
        return Ok();
      }
      if (name == "author") return Author(Fields(node));
      if (name == "category") return Category(Fields(node));
      if (name == "tag") return Tag(Fields(node));
      if (name == "term") return GenericTerm(Fields(node));
      return Ok();
    }
    if (ns == Ns::kOther && name == "item") return Item(node);
    return Ok();
  }

  // References that may point forward in the file are resolved at the end.
  Status Finish() {
    for (const auto& [local, source_parent] : pending_parents_) {
      auto it = posts_.find(source_parent);
      if (it == posts_.end()) {
        r_.skipped.push_back({"parent", std::to_string(source_parent),
                              "conteúdo pai não está no arquivo; importado sem pai"});
        continue;
      }
      HCMS_CHECK(Exec(c_, "UPDATE posts SET parent_id = $3 WHERE tenant_id = $1 AND id = $2",
                      {o_.tenant_id, local, it->second}));
    }
    for (const auto& [local, source_media] : pending_thumbnails_) {
      auto it = posts_.find(source_media);
      if (it == posts_.end()) continue;
      HCMS_CHECK(Exec(c_,
                      "UPDATE posts SET featured_media_id = $3 WHERE tenant_id = $1 AND id = $2",
                      {o_.tenant_id, local, it->second}));
    }
    return Ok();
  }

  bool saw_channel = false;

 private:
  Result<int64_t> EnsureAuthor(const std::string& login, std::string email,
                               const std::string& display_name) {
    if (auto it = authors_.find(login); it != authors_.end()) return it->second;
    auto& counts = r_.counts["authors"];
    if (email.empty()) email = Slugify(login) + "@wxr-import.invalid";  // WXR 1.0: no e-mail
    std::string lower;
    for (char ch : email) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    HCMS_TRY(auto found, c_.QueryOne("SELECT id FROM users WHERE tenant_id = $1 AND email = $2",
                                     {o_.tenant_id, lower}));
    int64_t id = 0;
    if (found) {
      id = found->Int(0);
      ++counts.existing;
    } else {
      const std::string now = FormatTimestamp(s_.clock().Now());
      HCMS_TRY(auto rows,
               c_.Query("INSERT INTO users (tenant_id, email, display_name, role, status, "
                        "created_at, updated_at) VALUES ($1, $2, $3, 'contributor', 'invited', "
                        "$4, $4) RETURNING id",
                        {o_.tenant_id, lower, display_name.empty() ? login : display_name, now}));
      id = rows[0].Int(0);
      ++counts.created;
      // The public profile keeps the WordPress login as the author slug.
      HCMS_TRY(auto slug_taken,
               c_.QueryOne("SELECT 1 FROM author_profiles WHERE tenant_id = $1 AND slug = $2",
                           {o_.tenant_id, Slugify(login)}));
      if (!slug_taken && !Slugify(login).empty()) {
        HCMS_CHECK(Exec(c_,
                        "INSERT INTO author_profiles (user_id, tenant_id, slug, bio, created_at) "
                        "VALUES ($1, $2, $3, '', $4)",
                        {id, o_.tenant_id, Slugify(login), now}));
      }
    }
    authors_[login] = id;
    return id;
  }

  Status Author(const Fields& f) {
    const std::string login = Trim(f.Get(Ns::kWp, "author_login"));
    if (login.empty()) {
      r_.skipped.push_back({"author", f.Get(Ns::kWp, "author_id"), "autor sem login"});
      return Ok();
    }
    HCMS_TRY(int64_t id, EnsureAuthor(login, Trim(f.Get(Ns::kWp, "author_email")),
                                      Trim(f.Get(Ns::kWp, "author_display_name"))));
    (void)id;
    return Ok();
  }

  Result<int64_t> EnsureTerm(std::string taxonomy, const std::string& slug, std::string name,
                             const std::string& description, std::optional<int64_t> source_id,
                             const std::string& parent_slug) {
    if (taxonomy == "tag") taxonomy = std::string(kPostTag);  // WXR 1.0
    if (name.empty()) name = slug;
    const std::string key = taxonomy + "\n" + (slug.empty() ? Slugify(name) : slug);
    if (auto it = terms_.find(key); it != terms_.end()) return it->second;
    const std::string count_key = taxonomy == kCategory  ? "categories"
                                  : taxonomy == kPostTag ? "tags"
                                                         : "terms";
    auto& counts = r_.counts[count_key];
    HCMS_TRY(auto existing, s_.terms().FindBySlug(c_, o_.tenant_id, taxonomy,
                                                  slug.empty() ? Slugify(name) : slug));
    int64_t id = 0;
    if (existing) {
      id = existing->id;
      ++counts.existing;
    } else {
      std::optional<int64_t> keep;
      if (source_id) {
        HCMS_TRY(auto taken,
                 c_.QueryOne("SELECT 1 FROM content_terms WHERE id = $1", {*source_id}));
        if (!taken) keep = source_id;
      }
      std::optional<int64_t> parent;
      if (!parent_slug.empty()) {
        if (auto it = terms_.find(taxonomy + "\n" + parent_slug); it != terms_.end())
          parent = it->second;
      }
      TermInput in{.taxonomy = taxonomy,
                   .name = name,
                   .slug = slug,
                   .description = description,
                   .parent_id = parent};
      auto created = s_.terms().Create(c_, o_.tenant_id, in, keep);
      if (!created) {
        if (created.error().kind() == ErrorKind::kInvalidArgument) {
          r_.skipped.push_back({"term", source_id ? std::to_string(*source_id) : slug,
                                "termo inválido: " + created.error().code()});
          return int64_t{0};
        }
        return std::unexpected(std::move(created).error());
      }
      id = created->id;
      ++counts.created;
      if (source_id && !keep) ++counts.renumbered;
      if (!parent_slug.empty() && !parent) pending_parent_slugs_.emplace_back(id, key, parent_slug);
    }
    terms_[key] = id;
    return id;
  }

  Status Category(const Fields& f) {
    HCMS_TRY(int64_t id,
             EnsureTerm(std::string(kCategory), Trim(f.Get(Ns::kWp, "category_nicename")),
                        Trim(f.Get(Ns::kWp, "cat_name")), f.Get(Ns::kWp, "category_description"),
                        ToId(f.Get(Ns::kWp, "term_id")), Trim(f.Get(Ns::kWp, "category_parent"))));
    (void)id;
    return Ok();
  }

  Status Tag(const Fields& f) {
    HCMS_TRY(int64_t id,
             EnsureTerm(std::string(kPostTag), Trim(f.Get(Ns::kWp, "tag_slug")),
                        Trim(f.Get(Ns::kWp, "tag_name")), f.Get(Ns::kWp, "tag_description"),
                        ToId(f.Get(Ns::kWp, "term_id")), ""));
    (void)id;
    return Ok();
  }

  Status GenericTerm(const Fields& f) {
    const std::string taxonomy = Trim(f.Get(Ns::kWp, "term_taxonomy"));
    if (taxonomy == "nav_menu" || taxonomy.empty()) {
      r_.skipped.push_back({"term", f.Get(Ns::kWp, "term_id"),
                            "taxonomia não suportada: " + (taxonomy.empty() ? "?" : taxonomy)});
      return Ok();
    }
    HCMS_TRY(int64_t id,
             EnsureTerm(taxonomy, Trim(f.Get(Ns::kWp, "term_slug")),
                        Trim(f.Get(Ns::kWp, "term_name")), f.Get(Ns::kWp, "term_description"),
                        ToId(f.Get(Ns::kWp, "term_id")), Trim(f.Get(Ns::kWp, "term_parent"))));
    (void)id;
    return Ok();
  }

  Status Item(const xmlNode* node) {
    const Fields f(node);
    const std::string source_id = Trim(f.Get(Ns::kWp, "post_id"));
    const std::string type_name = Trim(f.Get(Ns::kWp, "post_type"));
    const auto type = ParsePostType(type_name);
    if (!type) {
      r_.skipped.push_back({"item", source_id, "tipo de conteúdo não suportado: " + type_name});
      return Ok();
    }
    const std::string status_name = Trim(f.Get(Ns::kWp, "status"));
    auto status = ParsePostStatus(status_name);
    if (!status || status_name == "auto-draft") {
      r_.skipped.push_back({"item", source_id, "estado não suportado: " + status_name});
      return Ok();
    }
    if (*type == PostType::kAttachment) status = PostStatus::kInherit;
    if (*type != PostType::kAttachment && *status == PostStatus::kInherit)
      status = PostStatus::kDraft;
    auto& counts = r_.counts[std::string(PostTypeName(*type))];
    std::string guid = Trim(f.Get(Ns::kOther, "guid"));
    if (guid.empty()) guid = base_site_url_ + "/?p=" + source_id;
    HCMS_TRY(auto existing, s_.posts().FindByGuid(c_, o_.tenant_id, *type, guid));
    if (existing) {
      ++counts.existing;
      if (auto sid = ToId(source_id)) posts_[*sid] = existing->id;
      return Ok();
    }
    // Terms of the item.
    std::vector<int64_t> term_ids;
    for (const xmlNode* cat : f.All(Ns::kOther, "category")) {
      std::string domain = Attr(cat, "domain");
      if (domain.empty()) domain = std::string(kCategory);
      HCMS_TRY(int64_t tid,
               EnsureTerm(domain, Attr(cat, "nicename"), Trim(Text(cat)), "", std::nullopt, ""));
      if (tid != 0) term_ids.push_back(tid);
    }
    // Author.
    std::optional<int64_t> author;
    const std::string creator = Trim(f.Get(Ns::kDc, "creator"));
    if (!creator.empty()) {
      HCMS_TRY(int64_t a, EnsureAuthor(creator, "", creator));
      author = a;
    }
    PostInput in;
    in.title = f.Get(Ns::kOther, "title");
    in.content = f.Get(Ns::kContent, "encoded");
    in.excerpt = f.Get(Ns::kExcerpt, "encoded");
    in.slug = Trim(f.Get(Ns::kWp, "post_name"));
    if (in.slug->empty()) in.slug = *in.title;
    in.author_id = author;
    in.menu_order = ToId(f.Get(Ns::kWp, "menu_order")).value_or(0);
    in.comments_open = Trim(f.Get(Ns::kWp, "comment_status")) == "open";
    in.pings_open = Trim(f.Get(Ns::kWp, "ping_status")) == "open";
    in.sticky = Trim(f.Get(Ns::kWp, "is_sticky")) == "1";
    in.guid = guid;
    in.term_ids = term_ids;
    auto date = GmtDate(f.Get(Ns::kWp, "post_date_gmt"));
    if (!date) {
      // Drafts have no GMT date: read the local one in the practice's zone.
      auto local = Trim(f.Get(Ns::kWp, "post_date"));
      if (local.size() >= 19) {
        auto tp = FromLocalTimestamp(local.substr(0, 10) + "T" + local.substr(11, 8), timezone_);
        if (tp) date = FormatTimestamp(*tp);
      }
    }
    in.date_gmt = date;
    if (*type == PostType::kAttachment) {
      HCMS_CHECK(Attachment(f, source_id, in));
    }
    if (in.title->size() > 1000) in.title = in.title->substr(0, 1000);
    std::optional<int64_t> keep;
    auto sid = ToId(source_id);
    if (sid) {
      HCMS_TRY(auto taken, c_.QueryOne("SELECT 1 FROM posts WHERE id = $1", {*sid}));
      if (!taken) keep = sid;
    }
    auto created =
        s_.posts().Create(c_, o_.tenant_id, *type, in,
                          {.status = *status,
                           .id = keep,
                           .modified_gmt = GmtDate(f.Get(Ns::kWp, "post_modified_gmt"))});
    if (!created) {
      if (created.error().kind() == ErrorKind::kInvalidArgument) {
        r_.skipped.push_back({"item", source_id, "conteúdo inválido: " + created.error().code()});
        return Ok();
      }
      return std::unexpected(std::move(created).error());
    }
    const Post& post = *created;
    ++counts.created;
    if (sid && !keep) ++counts.renumbered;
    if (sid) posts_[*sid] = post.id;
    HCMS_TRY(auto rec, s_.workflow().Record(c_, o_.tenant_id, post.id, post.status, post.status,
                                            "import", std::nullopt, "WXR"));
    (void)rec;
    if (auto parent = ToId(f.Get(Ns::kWp, "post_parent")))
      pending_parents_.emplace_back(post.id, *parent);
    // Post meta.
    for (const xmlNode* m : f.All(Ns::kWp, "postmeta")) {
      const Fields mf(m);
      const std::string key = Trim(mf.Get(Ns::kWp, "meta_key"));
      const std::string value = mf.Get(Ns::kWp, "meta_value");
      if (key == "_pingme" || key == "_encloseme" || key == "_edit_lock" || key == "_edit_last") {
        continue;  // WordPress's own bookkeeping
      }
      if (key == "_thumbnail_id") {
        if (auto t = ToId(value)) pending_thumbnails_.emplace_back(post.id, *t);
        continue;
      }
      auto added = s_.posts().AddMeta(c_, o_.tenant_id, post.id, key, value);
      if (!added) {
        r_.skipped.push_back({"meta", source_id, "campo personalizado inválido"});
        continue;
      }
      ++r_.meta;
    }
    // Comments.
    for (const xmlNode* cm : f.All(Ns::kWp, "comment")) HCMS_CHECK(Comment(Fields(cm), post.id));
    if (o_.scanner && *type != PostType::kAttachment) {
      HCMS_TRY(bool flagged, o_.scanner(c_, o_.tenant_id, post));
      if (flagged) ++r_.flagged_personal_data;
    }
    return Ok();
  }

  Status Attachment(const Fields& f, const std::string& source_id, PostInput& in) {
    const std::string url = Trim(f.Get(Ns::kWp, "attachment_url"));
    in.source_url = IsSafeUrl(url) ? url : "";
    for (const xmlNode* m : f.All(Ns::kWp, "postmeta")) {
      const Fields mf(m);
      if (Trim(mf.Get(Ns::kWp, "meta_key")) != "_wp_attached_file") continue;
      const std::string rel = Trim(mf.Get(Ns::kWp, "meta_value"));
      if (o_.uploads_dir.empty() || o_.media_dir.empty()) {
        r_.skipped.push_back({"attachment_file", source_id,
                              "arquivo não copiado (sem --uploads); mantido o endereço original"});
        break;
      }
      if (rel.empty() || rel.find("..") != std::string::npos || rel.front() == '/') {
        r_.skipped.push_back({"attachment_file", source_id, "caminho de arquivo inválido"});
        break;
      }
      namespace fs = std::filesystem;
      const fs::path from = fs::path(o_.uploads_dir) / rel;
      std::error_code ec;
      if (!fs::is_regular_file(from, ec)) {
        r_.skipped.push_back({"attachment_file", source_id, "arquivo não encontrado em --uploads"});
        break;
      }
      const fs::path to = fs::path(o_.media_dir) / rel;
      fs::create_directories(to.parent_path(), ec);
      if (!ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
      if (ec) {
        r_.skipped.push_back({"attachment_file", source_id, "falha ao copiar o arquivo"});
        break;
      }
      copied_files_.push_back(to.string());
      ++r_.files_copied;
      in.source_url = o_.media_base_url + "/" + rel;
      break;
    }
    std::string mime;
    const std::string path = in.source_url.value_or("");
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    if (ext == "jpg" || ext == "jpeg")
      mime = "image/jpeg";
    else if (ext == "png")
      mime = "image/png";
    else if (ext == "gif")
      mime = "image/gif";
    else if (ext == "webp")
      mime = "image/webp";
    else if (ext == "pdf")
      mime = "application/pdf";
    else if (ext == "mp4")
      mime = "video/mp4";
    else if (ext == "mp3")
      mime = "audio/mpeg";
    in.mime_type = mime.empty() ? "application/octet-stream" : mime;
    return Ok();
  }

  Status Comment(const Fields& f, int64_t post_id) {
    const std::string source_id = Trim(f.Get(Ns::kWp, "comment_id"));
    const std::string approved = Trim(f.Get(Ns::kWp, "comment_approved"));
    const std::string type = Trim(f.Get(Ns::kWp, "comment_type"));
    if (type == "pingback" || type == "trackback") {
      r_.skipped.push_back({"comment", source_id, "pingbacks e trackbacks não são importados"});
      return Ok();
    }
    content::Comment m;
    m.post_id = post_id;
    m.author_name = Trim(f.Get(Ns::kWp, "comment_author"));
    m.author_email = Trim(f.Get(Ns::kWp, "comment_author_email"));
    m.author_url = Trim(f.Get(Ns::kWp, "comment_author_url"));
    if (!IsSafeUrl(m.author_url)) m.author_url.clear();
    m.content = f.Get(Ns::kWp, "comment_content");
    m.status = approved == "1"       ? CommentStatus::kApproved
               : approved == "spam"  ? CommentStatus::kSpam
               : approved == "trash" ? CommentStatus::kTrash
                                     : CommentStatus::kHold;
    m.date_gmt = GmtDate(f.Get(Ns::kWp, "comment_date_gmt")).value_or("");
    if (auto parent = ToId(f.Get(Ns::kWp, "comment_parent"))) {
      if (auto it = comments_.find(*parent); it != comments_.end()) m.parent_id = it->second;
    }
    if (auto uid = ToId(f.Get(Ns::kWp, "comment_user_id"))) {
      (void)uid;  // WordPress user ids are not ours; the comment keeps its author name
    }
    std::optional<int64_t> keep;
    auto sid = ToId(source_id);
    if (sid) {
      HCMS_TRY(auto taken, c_.QueryOne("SELECT 1 FROM comments WHERE id = $1", {*sid}));
      if (!taken) keep = sid;
    }
    auto created = s_.comments().Create(c_, o_.tenant_id, m, keep, false);
    if (!created) {
      if (created.error().kind() == ErrorKind::kInvalidArgument) {
        r_.skipped.push_back({"comment", source_id, "comentário inválido"});
        return Ok();
      }
      return std::unexpected(std::move(created).error());
    }
    if (sid) comments_[*sid] = created->id;
    ++r_.comments;
    return Ok();
  }

 public:
  std::string timezone_ = "America/Sao_Paulo";
  std::vector<std::string> copied_files_;
  std::vector<std::tuple<int64_t, std::string, std::string>> pending_parent_slugs_;

  Status FinishTermParents() {
    for (const auto& [id, key, parent_slug] : pending_parent_slugs_) {
      const std::string taxonomy = key.substr(0, key.find('\n'));
      auto it = terms_.find(taxonomy + "\n" + parent_slug);
      if (it == terms_.end()) {
        r_.skipped.push_back({"term", std::to_string(id), "categoria pai não encontrada"});
        continue;
      }
      HCMS_CHECK(Exec(c_,
                      "UPDATE content_terms SET parent_id = $3 WHERE tenant_id = $1 AND id = $2",
                      {o_.tenant_id, id, it->second}));
    }
    return Ok();
  }

 private:
  ContentService& s_;
  const ImportOptions& o_;
  store::Connection& c_;
  ImportReport& r_;
  std::string base_site_url_;
  std::map<std::string, int64_t> authors_;  // login -> user id
  std::map<std::string, int64_t> terms_;    // taxonomy \n slug -> term id
  std::map<int64_t, int64_t> posts_;        // source post id -> post id
  std::map<int64_t, int64_t> comments_;     // source comment id -> comment id
  std::vector<std::pair<int64_t, int64_t>> pending_parents_;
  std::vector<std::pair<int64_t, int64_t>> pending_thumbnails_;
};

struct ReaderDeleter {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};

// libxml2 reports errors through a callback; keep the first one.
struct ErrorSink {
  std::string message;
  int line = 0;
  static void OnError(void* arg, const char* msg, xmlParserSeverities severity,
                      xmlTextReaderLocatorPtr locator) {
    auto* self = static_cast<ErrorSink*>(arg);
    if (severity != XML_PARSER_SEVERITY_ERROR || !self->message.empty()) return;
    self->message = msg ? msg : "";
    while (!self->message.empty() && self->message.back() == '\n') self->message.pop_back();
    self->line = xmlTextReaderLocatorLineNumber(locator);
  }
};

Error Malformed(const ErrorSink& sink) {
  // libxml2's message names the construct, never content we would mind logging.
  return Error(ErrorKind::kInvalidArgument, "wxr_malformed",
               fmt::format("Arquivo WXR malformado ou truncado (linha {}): {}. Nada foi importado.",
                           sink.line, sink.message.empty() ? "fim inesperado" : sink.message),
               sink.message);
}

}  // namespace

Result<ImportReport> WxrImporter::ImportFile(const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound("file_not_found", "Arquivo não encontrado: " + path);
  }
  Source source;
  source.total = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  source.progress = options_.progress;
  source.gz = gzopen(path.c_str(), "rb");
  if (source.gz == nullptr) return NotFound("file_not_found", "Não foi possível abrir: " + path);
  gzbuffer(source.gz, 1 << 16);
  struct GzCloser {
    gzFile f;
    ~GzCloser() { gzclose(f); }
  } closer{source.gz};

  std::unique_ptr<xmlTextReader, ReaderDeleter> reader(
      xmlReaderForIO(&Source::Read, &Source::Close, &source, path.c_str(), nullptr,
                     XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOCDATA));
  if (!reader) return Internal("xmlReaderForIO failed");
  ErrorSink sink;
  xmlTextReaderSetErrorHandler(reader.get(), &ErrorSink::OnError, &sink);

  ImportReport report;
  auto tenant = service_.db().Run([&](store::Connection& c) -> Result<std::string> {
    HCMS_TRY(auto row,
             c.QueryOne("SELECT timezone FROM tenants WHERE id = $1", {options_.tenant_id}));
    if (!row) return NotFound("tenant_not_found", "Clínica não encontrada.");
    return row->Text(0);
  });
  if (!tenant) return std::unexpected(std::move(tenant).error());

  std::vector<std::string> copied;
  auto done = service_.db().Transact([&](store::Connection& c) -> Status {
    Run run(service_, options_, c, report);
    run.timezone_ = *tenant;
    bool root_ok = false;
    int ret = xmlTextReaderRead(reader.get());
    while (ret == 1) {
      if (xmlTextReaderNodeType(reader.get()) != XML_READER_TYPE_ELEMENT) {
        ret = xmlTextReaderRead(reader.get());
        continue;
      }
      const int depth = xmlTextReaderDepth(reader.get());
      const std::string_view local =
          reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader.get()));
      if (depth == 0 && local != "rss") break;
      if (depth == 0) root_ok = true;
      if (depth == 1 && local == "channel") run.saw_channel = true;
      if (depth == 2 && run.saw_channel) {
        // One top-level element at a time: expanded, written, then skipped over.
        xmlNodePtr node = xmlTextReaderExpand(reader.get());
        if (node == nullptr) {
          ret = -1;
          break;
        }
        HCMS_CHECK(run.Element(node, Classify(node->ns ? node->ns->href : nullptr)));
        ret = xmlTextReaderNext(reader.get());
        continue;
      }
      ret = xmlTextReaderRead(reader.get());
    }
    if (ret < 0 || !sink.message.empty()) return std::unexpected(Malformed(sink));
    if (!root_ok || !run.saw_channel || report.wxr_version.empty()) {
      return std::unexpected(Error(ErrorKind::kInvalidArgument, "wxr_not_wxr",
                                   "O arquivo não é uma exportação WXR do WordPress "
                                   "(falta <rss>, <channel> ou <wp:wxr_version>)."));
    }
    HCMS_CHECK(run.FinishTermParents());
    HCMS_CHECK(run.Finish());
    HCMS_CHECK(PostStore::SyncIdentity(c, "posts"));
    HCMS_CHECK(PostStore::SyncIdentity(c, "content_terms"));
    HCMS_CHECK(PostStore::SyncIdentity(c, "comments"));
    copied = run.copied_files_;
    return Ok();
  });
  if (!done) {
    for (const auto& f : copied) std::filesystem::remove(f, ec);
    log::Warn("wxr_import_failed",
              {{"tenant_id", options_.tenant_id}, {"code", done.error().code()}});
    return std::unexpected(std::move(done).error());
  }
  // Fresh planner statistics: a practice that moved its whole site over at once would
  // otherwise be planned as an empty one until something analysed it (SQLite never
  // does on its own). The import is committed; a failure here only costs speed.
  if (auto analysed = service_.db().Run(
          [](store::Connection& c) -> Status { return c.ExecuteScript("ANALYZE"); });
      !analysed) {
    log::Warn("wxr_import_analyze_failed",
              {{"tenant_id", options_.tenant_id}, {"error", analysed.error().ToLogString()}});
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::Info("wxr_imported", {{"tenant_id", options_.tenant_id},
                             {"posts", report.counts["post"].created},
                             {"pages", report.counts["page"].created},
                             {"skipped", report.skipped.size()},
                             {"seconds", report.seconds}});
  return report;
}

std::string FormatImportReport(const ImportReport& r) {
  std::string out = fmt::format("Importação WXR {} concluída em {:.2f} s / WXR import done\n",
                                r.wxr_version, r.seconds);
  out += fmt::format("  {:<12} {:>8} {:>10} {:>12}\n", "tipo/kind", "novos/new", "existentes",
                     "renumerados");
  for (const auto& [kind, c] : r.counts) {
    out += fmt::format("  {:<12} {:>8} {:>10} {:>12}\n", kind, c.created, c.existing, c.renumbered);
  }
  out += fmt::format("  comentários/comments: {}   campos/meta: {}   arquivos/files: {}\n",
                     r.comments, r.meta, r.files_copied);
  out += fmt::format("  sinalizados por dados pessoais / flagged for personal data: {}\n",
                     r.flagged_personal_data);
  out += fmt::format("  ignorados / skipped: {}\n", r.skipped.size());
  for (const auto& s : r.skipped) {
    out += fmt::format("    - {} {}: {}\n", s.kind, s.source_id, s.reason);
  }
  return out;
}

}  // namespace hcms::content
