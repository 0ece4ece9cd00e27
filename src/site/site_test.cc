#include "site/site.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace hcms::site {
namespace {

TEST(SiteText, Dates) {
  EXPECT_EQ(Rfc822Date("2025-06-29T14:11:55.000000Z"), "Sun, 29 Jun 2025 14:11:55 +0000");
  EXPECT_EQ(HttpDate("2025-06-29T14:11:55.000000Z"), "Sun, 29 Jun 2025 14:11:55 GMT");
  EXPECT_EQ(HumanDate("2025-06-29T02:11:55Z", "America/Sao_Paulo"), "28 de junho de 2025");
  EXPECT_EQ(XmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(SiteTheme, DefaultThemeLoadsAndOverridesAreChecked) {
  auto theme = Theme::Load("");
  ASSERT_TRUE(theme.has_value());
  ASSERT_NE((*theme)->Template("layout"), nullptr);
  ASSERT_NE((*theme)->Asset("style.css"), nullptr);
  EXPECT_EQ((*theme)->Asset("layout.mustache"), nullptr);  // templates are not served

  const auto dir =
      std::filesystem::temp_directory_path() / ("hcms-theme-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "404.mustache") << "<h1>Sumiu</h1>";
  auto custom = Theme::Load(dir.string());
  ASSERT_TRUE(custom.has_value());
  EXPECT_EQ(*(*custom)->Template("404"), "<h1>Sumiu</h1>");
  EXPECT_NE((*custom)->id(), (*theme)->id());
  std::ofstream(dir / "post.mustache") << "{{#unclosed}}";
  auto broken = Theme::Load(dir.string());
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code(), "theme_invalid");
  EXPECT_EQ(Theme::Load((dir / "missing").string()).error().code(), "theme_invalid");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hcms::site
