// The content model: posts, pages and attachments (one id space, as in WordPress),
// terms (categories with parents, tags, the medical specialties), revisions,
// post meta, comments and public author profiles. Every record belongs to a
// tenant; every repository call takes the tenant id.
//
// Statuses use WordPress's names so /wp-json clients understand them, plus
// "approved" (reviewed, waiting to be published):
//   draft -> pending -> approved -> publish | future (scheduled) ; private ; trash
// The transitions live in content/workflow.h.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcms::content {

enum class PostType { kPost, kPage, kAttachment };
std::string_view PostTypeName(PostType t);
std::optional<PostType> ParsePostType(std::string_view s);

enum class PostStatus {
  kDraft,
  kPending,
  kApproved,
  kFuture,
  kPublish,
  kPrivate,
  kTrash,
  kInherit
};
std::string_view PostStatusName(PostStatus s);
std::optional<PostStatus> ParsePostStatus(std::string_view s);

enum class ContentFormat { kHtml, kMarkdown };
std::string_view ContentFormatName(ContentFormat f);
std::optional<ContentFormat> ParseContentFormat(std::string_view s);

// Who may read a post; the policy engine enforces it. Anonymous readers (public
// site, unauthenticated /wp-json) only ever see kPublic.
enum class ComplianceLevel { kPublic, kProfessional, kRestricted, kPhi };
std::string_view ComplianceLevelName(ComplianceLevel c);
std::optional<ComplianceLevel> ParseComplianceLevel(std::string_view s);

inline constexpr std::string_view kCategory = "category";
inline constexpr std::string_view kPostTag = "post_tag";

struct Post {
  int64_t id = 0;
  int64_t tenant_id = 0;
  PostType type = PostType::kPost;
  PostStatus status = PostStatus::kDraft;
  std::optional<PostStatus> trashed_status;  // status before trash
  std::string title;
  std::string content;  // sanitised HTML, or Markdown source
  ContentFormat format = ContentFormat::kHtml;
  std::string excerpt;
  std::string slug;
  std::optional<int64_t> author_id;
  std::optional<int64_t> parent_id;
  int64_t menu_order = 0;
  bool comments_open = true;
  bool pings_open = false;
  bool sticky = false;
  std::optional<int64_t> featured_media_id;
  ComplianceLevel compliance = ComplianceLevel::kPublic;
  std::string mime_type;   // attachments
  std::string source_url;  // attachments: where the file is served from
  std::string guid;
  std::string date_gmt;      // publication date (or scheduled date), RFC 3339 UTC
  std::string modified_gmt;  // last save
  std::string created_at;
  int64_t version = 1;            // bumped on every save; optimistic concurrency
  std::vector<int64_t> term_ids;  // categories, tags and other terms
};

// Fields for a create or an update; unset optionals keep the current value.
struct PostInput {
  std::optional<std::string> title;
  std::optional<std::string> content;
  std::optional<ContentFormat> format;
  std::optional<std::string> excerpt;
  std::optional<std::string> slug;
  std::optional<int64_t> author_id;
  std::optional<std::optional<int64_t>> parent_id;
  std::optional<int64_t> menu_order;
  std::optional<bool> comments_open;
  std::optional<bool> pings_open;
  std::optional<bool> sticky;
  std::optional<std::optional<int64_t>> featured_media_id;
  std::optional<ComplianceLevel> compliance;
  std::optional<std::string> date_gmt;  // publication date
  std::optional<std::string> mime_type;
  std::optional<std::string> source_url;
  std::optional<std::string> guid;
  std::optional<std::vector<int64_t>> term_ids;  // replaces every term of the post
  std::optional<int64_t> expected_version;       // kConflict "stale_version" if different
};

struct Term {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string taxonomy;  // "category", "post_tag", or an imported custom taxonomy
  std::string name;
  std::string slug;
  std::string description;
  std::optional<int64_t> parent_id;
  std::optional<std::string> specialty;  // medical specialty code ("cardiology")
  int64_t count = 0;                     // published posts with the term
};

struct Revision {
  int64_t id = 0;
  int64_t post_id = 0;
  std::optional<int64_t> author_id;
  std::string title;
  std::string content;
  ContentFormat format = ContentFormat::kHtml;
  std::string excerpt;
  std::string created_at;
};

struct MetaEntry {
  int64_t id = 0;
  std::string key;
  std::string value;
};

enum class CommentStatus { kHold, kApproved, kSpam, kTrash };
std::string_view CommentStatusName(CommentStatus s);
std::optional<CommentStatus> ParseCommentStatus(std::string_view s);

struct Comment {
  int64_t id = 0;
  int64_t tenant_id = 0;
  int64_t post_id = 0;
  std::optional<int64_t> parent_id;
  std::optional<int64_t> user_id;
  std::string author_name;
  std::string author_email;  // personal data: never logged, never public
  std::string author_url;
  std::string content;  // sanitised HTML
  CommentStatus status = CommentStatus::kHold;
  std::string date_gmt;
};

// The public face of a user who writes: name, slug for /author/<slug>/, and the
// physician's registration (CRM/UF, public in Brazil) for the JSON-LD.
struct Author {
  int64_t id = 0;  // users.id
  int64_t tenant_id = 0;
  std::string name;
  std::string slug;
  std::string bio;
  std::optional<std::string> crm;
  std::optional<std::string> crm_uf;
};

// The 10 medical specialties seeded as categories for every tenant.
struct Specialty {
  std::string_view code;
  std::string_view name_pt;
  std::string_view slug;
};
const std::vector<Specialty>& MedicalSpecialties();

}  // namespace hcms::content
