#include "api/media_routes.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "api/pipeline_routes.h"
#include "api/wp_routes.h"
#include "core/random.h"

namespace hcms::api {

namespace {

constexpr size_t kMaxFileBytes = 8u << 20;
constexpr size_t kMaxBody = (kMaxFileBytes / 3 + 1) * 4 + 4096;  // base64 + the other fields

// The name without its directory and extension, for the title.
std::string Stem(std::string_view filename) {
  if (auto slash = filename.find_last_of("/\\"); slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  if (auto dot = filename.rfind('.'); dot != std::string_view::npos && dot > 0) {
    filename = filename.substr(0, dot);
  }
  return std::string(filename);
}

}  // namespace

SniffedType SniffMediaType(std::string_view b) {
  auto starts = [&](std::string_view magic, size_t at = 0) {
    return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return {"image/png", "png"};
  if (starts("\xff\xd8\xff")) return {"image/jpeg", "jpg"};
  if (starts("GIF87a") || starts("GIF89a")) return {"image/gif", "gif"};
  if (starts("RIFF") && starts("WEBP", 8)) return {"image/webp", "webp"};
  if (starts("%PDF-")) return {"application/pdf", "pdf"};
  return {};
}

void AddMediaRoutes(Api& api, MediaRoutesDeps deps) {
  auto d = std::make_shared<MediaRoutesDeps>(std::move(deps));
  api.Add({.method = http::Method::kPost,
           .pattern = "/api/v1/media",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kCreateContent,
           .handler = [d](RequestContext& ctx) -> Result<http::Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto filename = v.String("filename", Need::kRequired, 255);
             auto data = v.String("data_base64", Need::kRequired, kMaxBody);
             auto title = v.String("title", Need::kOptional, 200);
             HCMS_CHECK(v.Finish());
             HCMS_TRY(std::string bytes, DecodeBase64(*data));
             if (bytes.empty()) {
               return std::unexpected(
                   Error(ErrorKind::kInvalidArgument, "validation_failed", "Arquivo vazio.")
                       .WithField("data_base64", "required"));
             }
             if (bytes.size() > kMaxFileBytes) {
               return std::unexpected(
                   Error(ErrorKind::kTooLarge, "media_too_large", "O arquivo passa de 8 MiB."));
             }
             const SniffedType type = SniffMediaType(bytes);
             if (type.mime.empty()) {
               return std::unexpected(Error(ErrorKind::kInvalidArgument, "media_type_not_allowed",
                                            "Envie uma imagem PNG, JPEG, GIF ou WebP, ou um PDF."));
             }
             const std::chrono::year_month_day today(
                 std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
             const std::string rel =
                 fmt::format("uploads/{:04}/{:02}/{}.{}", static_cast<int>(today.year()),
                             static_cast<unsigned>(today.month()), NewUuidV7(), type.extension);
             const std::filesystem::path file =
                 std::filesystem::path(d->media_dir) / std::to_string(ctx.tenant.id) / rel;
             std::error_code ec;
             std::filesystem::create_directories(file.parent_path(), ec);
             {
               std::ofstream out(file, std::ios::binary | std::ios::trunc);
               out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
               if (ec || !out) return Internal("media_write_failed: " + file.string());
             }
             content::PostInput in;
             in.title = title && !title->empty() ? *title : Stem(*filename);
             in.mime_type = type.mime;
             in.source_url = "/media/" + rel;
             auto created = d->content.Create(ctx.tenant.id, content::PostType::kAttachment, in,
                                              ActorFor(*ctx.principal, d->policy));
             if (!created) {
               std::filesystem::remove(file, ec);
               return std::unexpected(created.error());
             }
             ctx.Audit("media.upload", "post:" + std::to_string(created->id), "done",
                       {{"mime_type", type.mime}, {"bytes", bytes.size()}});
             http::Response r = http::Response::Json(201, {{"id", created->id},
                                                           {"type", "attachment"},
                                                           {"title", created->title},
                                                           {"mime_type", created->mime_type},
                                                           {"source_url", created->source_url},
                                                           {"bytes", bytes.size()}});
             r.Set("Location", "/wp-json/wp/v2/media/" + std::to_string(created->id));
             return r;
           },
           .max_body_bytes = kMaxBody});
}

}  // namespace hcms::api
