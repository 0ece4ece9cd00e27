#include <fmt/format.h>
#include <libxml/xmlwriter.h>

#include "content/wxr.h"
#include "core/log.h"

namespace hcms::content {

namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// "2026-11-24T13:05:09.123456Z" -> "2026-11-24 13:05:09" (WordPress's GMT form).
std::string WpDate(const std::string& rfc3339) {
  if (rfc3339.size() < 19) return "0000-00-00 00:00:00";
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 8);
}

class Writer {
 public:
  explicit Writer(xmlTextWriterPtr w) : w_(w) {}

  void Start(const char* name) { ok_ &= xmlTextWriterStartElement(w_, X(name)) >= 0; }
  void End() { ok_ &= xmlTextWriterEndElement(w_) >= 0; }
  void Attr(const char* name, const std::string& v) {
    ok_ &= xmlTextWriterWriteAttribute(w_, X(name), X(v.c_str())) >= 0;
  }
  void Text(const char* name, const std::string& v) {
    ok_ &= xmlTextWriterWriteElement(w_, X(name), X(v.c_str())) >= 0;
  }
  // CDATA cannot hold "]]>": split it across sections, as WordPress does.
  void Cdata(const char* name, const std::string& v) {
    Start(name);
    size_t from = 0;
    while (true) {
      const size_t at = v.find("]]>", from);
      const std::string piece = v.substr(from, at == std::string::npos ? at : at + 2 - from);
      ok_ &= xmlTextWriterWriteCDATA(w_, X(piece.c_str())) >= 0;
      if (at == std::string::npos) break;
      from = at + 2;
    }
    End();
  }
  bool ok() const { return ok_; }

 private:
  xmlTextWriterPtr w_;
  bool ok_ = true;
};

}  // namespace

Status ExportWxr(ContentService& service, const ExportOptions& o, const std::string& path) {
  xmlTextWriterPtr xw = xmlNewTextWriterFilename(path.c_str(), 0);
  if (xw == nullptr) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "file_not_writable",
                                 "Não foi possível escrever o arquivo: " + path));
  }
  struct Closer {
    xmlTextWriterPtr w;
    ~Closer() { xmlFreeTextWriter(w); }
  } closer{xw};
  xmlTextWriterSetIndent(xw, 1);
  Writer w(xw);

  auto status = service.db().Run([&](store::Connection& c) -> Status {
    xmlTextWriterStartDocument(xw, "1.0", "UTF-8", nullptr);
    w.Start("rss");
    w.Attr("version", "2.0");
    w.Attr("xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/");
    w.Attr("xmlns:content", "http://purl.org/rss/1.0/modules/content/");
    w.Attr("xmlns:wfw", "http://wellformedweb.org/CommentAPI/");
    w.Attr("xmlns:dc", "http://purl.org/dc/elements/1.1/");
    w.Attr("xmlns:wp", "http://wordpress.org/export/1.2/");
    w.Start("channel");
    w.Text("title", o.site_title);
    w.Text("link", o.site_url);
    w.Text("description", "");
    w.Text("language", "pt-BR");
    w.Text("wp:wxr_version", "1.2");
    w.Text("wp:base_site_url", o.site_url);
    w.Text("wp:base_blog_url", o.site_url);
    w.Text("generator", "hcms");

    // Authors: everyone who wrote something.
    HCMS_TRY(auto authors,
             c.Query("SELECT u.id, u.email, u.display_name, a.slug FROM users u LEFT JOIN "
                     "author_profiles a ON a.user_id = u.id WHERE u.tenant_id = $1 AND u.id IN "
                     "(SELECT author_id FROM posts WHERE tenant_id = $1) ORDER BY u.id",
                     {o.tenant_id}));
    std::map<int64_t, std::string> logins;
    for (const auto& r : authors) {
      const std::string login = r.IsNull(3) ? "autor-" + std::to_string(r.Int(0)) : r.Text(3);
      logins[r.Int(0)] = login;
      w.Start("wp:author");
      w.Text("wp:author_id", std::to_string(r.Int(0)));
      w.Cdata("wp:author_login", login);
      w.Cdata("wp:author_email", r.Text(1));
      w.Cdata("wp:author_display_name", r.Text(2));
      w.Cdata("wp:author_first_name", "");
      w.Cdata("wp:author_last_name", "");
      w.End();
    }

    // Terms, parents before children (ids ascend; parents were created first or
    // are looked up by slug by WordPress's importer anyway).
    HCMS_TRY(auto terms, c.Query("SELECT t.id, t.taxonomy, t.name, t.slug, t.description, "
                                 "p.slug FROM content_terms t LEFT JOIN content_terms p ON "
                                 "p.id = t.parent_id WHERE t.tenant_id = $1 ORDER BY t.id",
                                 {o.tenant_id}));
    std::map<int64_t, std::pair<std::string, std::string>> term_info;  // id -> (taxonomy, slug)
    for (const auto& r : terms) {
      const std::string taxonomy = r.Text(1);
      term_info[r.Int(0)] = {taxonomy, r.Text(3)};
      const std::string parent = r.IsNull(5) ? "" : r.Text(5);
      if (taxonomy == kCategory) {
        w.Start("wp:category");
        w.Text("wp:term_id", std::to_string(r.Int(0)));
        w.Cdata("wp:category_nicename", r.Text(3));
        w.Cdata("wp:category_parent", parent);
        w.Cdata("wp:cat_name", r.Text(2));
        if (!r.Text(4).empty()) w.Cdata("wp:category_description", r.Text(4));
        w.End();
      } else if (taxonomy == kPostTag) {
        w.Start("wp:tag");
        w.Text("wp:term_id", std::to_string(r.Int(0)));
        w.Cdata("wp:tag_slug", r.Text(3));
        w.Cdata("wp:tag_name", r.Text(2));
        if (!r.Text(4).empty()) w.Cdata("wp:tag_description", r.Text(4));
        w.End();
      } else {
        w.Start("wp:term");
        w.Text("wp:term_id", std::to_string(r.Int(0)));
        w.Cdata("wp:term_taxonomy", taxonomy);
        w.Cdata("wp:term_slug", r.Text(3));
        w.Cdata("wp:term_parent", parent);
        w.Cdata("wp:term_name", r.Text(2));
        w.End();
      }
    }
    std::map<int64_t, std::string> names;
    for (const auto& r : terms) names[r.Int(0)] = r.Text(2);

    // Content, a page of posts at a time.
    PostQuery q;
    q.types = {PostType::kAttachment, PostType::kPage, PostType::kPost};
    q.statuses = {PostStatus::kDraft,  PostStatus::kPending, PostStatus::kApproved,
                  PostStatus::kFuture, PostStatus::kPublish, PostStatus::kPrivate,
                  PostStatus::kTrash,  PostStatus::kInherit};
    q.order_by = PostOrder::kId;
    q.ascending = true;
    q.per_page = 200;
    for (q.page = 1;; ++q.page) {
      HCMS_TRY(auto page, service.posts().List(c, o.tenant_id, q));
      if (page.posts.empty()) break;
      for (const Post& p : page.posts) {
        w.Start("item");
        w.Text("title", p.title);
        w.Text("link", o.site_url + "/?p=" + std::to_string(p.id));
        w.Text("pubDate", "");
        w.Cdata("dc:creator", p.author_id && logins.contains(*p.author_id) ? logins[*p.author_id]
                                                                           : std::string());
        w.Start("guid");
        w.Attr("isPermaLink", "false");
        xmlTextWriterWriteString(
            xw, X(p.guid.empty() ? (o.site_url + "/?p=" + std::to_string(p.id)).c_str()
                                 : p.guid.c_str()));
        w.End();
        w.Text("description", "");
        // Markdown posts leave as the HTML they show: WordPress has no Markdown.
        w.Cdata("content:encoded",
                p.format == ContentFormat::kMarkdown ? RenderContent(p) : p.content);
        w.Cdata("excerpt:encoded", p.excerpt);
        w.Text("wp:post_id", std::to_string(p.id));
        w.Cdata("wp:post_date", WpDate(p.date_gmt));
        w.Cdata("wp:post_date_gmt", WpDate(p.date_gmt));
        w.Cdata("wp:post_modified", WpDate(p.modified_gmt));
        w.Cdata("wp:post_modified_gmt", WpDate(p.modified_gmt));
        w.Cdata("wp:comment_status", p.comments_open ? "open" : "closed");
        w.Cdata("wp:ping_status", p.pings_open ? "open" : "closed");
        w.Cdata("wp:post_name", p.slug);
        // WordPress has no "approved": it is still waiting to be published.
        w.Cdata("wp:status", p.status == PostStatus::kApproved
                                 ? "pending"
                                 : std::string(PostStatusName(p.status)));
        w.Text("wp:post_parent", std::to_string(p.parent_id.value_or(0)));
        w.Text("wp:menu_order", std::to_string(p.menu_order));
        w.Cdata("wp:post_type", std::string(PostTypeName(p.type)));
        w.Cdata("wp:post_password", "");
        w.Text("wp:is_sticky", p.sticky ? "1" : "0");
        if (p.type == PostType::kAttachment) w.Cdata("wp:attachment_url", p.source_url);
        for (int64_t t : p.term_ids) {
          auto it = term_info.find(t);
          if (it == term_info.end()) continue;
          w.Start("category");
          w.Attr("domain", it->second.first);
          w.Attr("nicename", it->second.second);
          xmlTextWriterWriteCDATA(xw, X(names[t].c_str()));
          w.End();
        }
        HCMS_TRY(auto meta, service.posts().Meta(c, o.tenant_id, p.id));
        if (p.featured_media_id)
          meta.push_back({0, "_thumbnail_id", std::to_string(*p.featured_media_id)});
        meta.push_back(
            {0, "_hcms_compliance_level", std::string(ComplianceLevelName(p.compliance))});
        for (const auto& m : meta) {
          w.Start("wp:postmeta");
          w.Cdata("wp:meta_key", m.key);
          w.Cdata("wp:meta_value", m.value);
          w.End();
        }
        HCMS_TRY(auto comments, service.comments().List(
                                    c, o.tenant_id,
                                    {.posts = {p.id},
                                     .statuses = {CommentStatus::kHold, CommentStatus::kApproved,
                                                  CommentStatus::kSpam, CommentStatus::kTrash},
                                     .ascending = true,
                                     .per_page = 1000}));
        for (const auto& m : comments.comments) {
          w.Start("wp:comment");
          w.Text("wp:comment_id", std::to_string(m.id));
          w.Cdata("wp:comment_author", m.author_name);
          w.Cdata("wp:comment_author_email", m.author_email);
          w.Cdata("wp:comment_author_url", m.author_url);
          w.Cdata("wp:comment_author_IP", "");
          w.Cdata("wp:comment_date", WpDate(m.date_gmt));
          w.Cdata("wp:comment_date_gmt", WpDate(m.date_gmt));
          w.Cdata("wp:comment_content", m.content);
          w.Cdata("wp:comment_approved", m.status == CommentStatus::kApproved ? "1"
                                         : m.status == CommentStatus::kHold
                                             ? "0"
                                             : std::string(CommentStatusName(m.status)));
          w.Cdata("wp:comment_type", "comment");
          w.Text("wp:comment_parent", std::to_string(m.parent_id.value_or(0)));
          w.Text("wp:comment_user_id", "0");
          w.End();
        }
        w.End();  // item
      }
      if (static_cast<int64_t>(page.posts.size()) < q.per_page) break;
    }
    w.End();  // channel
    w.End();  // rss
    xmlTextWriterEndDocument(xw);
    if (!w.ok()) return Internal("xml writer failed");
    return Ok();
  });
  if (status) log::Info("wxr_exported", {{"tenant_id", o.tenant_id}});
  return status;
}

}  // namespace hcms::content
