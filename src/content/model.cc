#include "content/model.h"

#include <array>

namespace hcms::content {

namespace {

template <class E, size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kTypeNames = {"post", "page", "attachment"};
constexpr std::array<std::string_view, 8> kStatusNames = {
    "draft", "pending", "approved", "future", "publish", "private", "trash", "inherit"};
constexpr std::array<std::string_view, 2> kFormatNames = {"html", "markdown"};
constexpr std::array<std::string_view, 4> kComplianceNames = {"public", "professional",
                                                              "restricted", "phi"};
constexpr std::array<std::string_view, 4> kCommentStatusNames = {"hold", "approved", "spam",
                                                                 "trash"};

}  // namespace

std::string_view PostTypeName(PostType t) { return kTypeNames[static_cast<size_t>(t)]; }
std::optional<PostType> ParsePostType(std::string_view s) { return Parse<PostType>(kTypeNames, s); }
std::string_view PostStatusName(PostStatus s) { return kStatusNames[static_cast<size_t>(s)]; }
std::optional<PostStatus> ParsePostStatus(std::string_view s) {
  return Parse<PostStatus>(kStatusNames, s);
}
std::string_view ContentFormatName(ContentFormat f) { return kFormatNames[static_cast<size_t>(f)]; }
std::optional<ContentFormat> ParseContentFormat(std::string_view s) {
  return Parse<ContentFormat>(kFormatNames, s);
}
std::string_view ComplianceLevelName(ComplianceLevel c) {
  return kComplianceNames[static_cast<size_t>(c)];
}
std::optional<ComplianceLevel> ParseComplianceLevel(std::string_view s) {
  return Parse<ComplianceLevel>(kComplianceNames, s);
}
std::string_view CommentStatusName(CommentStatus s) {
  return kCommentStatusNames[static_cast<size_t>(s)];
}
std::optional<CommentStatus> ParseCommentStatus(std::string_view s) {
  if (s == "approve" || s == "1") return CommentStatus::kApproved;  // WordPress spellings
  if (s == "0") return CommentStatus::kHold;
  return Parse<CommentStatus>(kCommentStatusNames, s);
}

const std::vector<Specialty>& MedicalSpecialties() {
  static const std::vector<Specialty> kList = {
      {"cardiology", "Cardiologia", "cardiologia"},
      {"dermatology", "Dermatologia", "dermatologia"},
      {"endocrinology", "Endocrinologia", "endocrinologia"},
      {"gynecology_obstetrics", "Ginecologia e Obstetrícia", "ginecologia-e-obstetricia"},
      {"neurology", "Neurologia", "neurologia"},
      {"oncology", "Oncologia", "oncologia"},
      {"orthopedics", "Ortopedia", "ortopedia"},
      {"pediatrics", "Pediatria", "pediatria"},
      {"psychiatry_psychology", "Psiquiatria e Psicologia", "psiquiatria-e-psicologia"},
      {"general_practice", "Clínica Geral", "clinica-geral"},
  };
  return kList;
}

}  // namespace hcms::content
