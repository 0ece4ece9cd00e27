#include "core/ip_address.h"

#include <gtest/gtest.h>

namespace hcms {
namespace {

std::vector<Cidr> Networks(std::initializer_list<std::string_view> list) {
  std::vector<Cidr> out;
  for (auto s : list) {
    auto c = Cidr::Parse(s);
    EXPECT_TRUE(c) << s;
    if (c) out.push_back(*c);
  }
  return out;
}

TEST(Cidr, MatchesV4AndV6) {
  IpBytes ip{};
  auto net = Cidr::Parse("203.0.113.0/24");
  ASSERT_TRUE(net);
  ASSERT_TRUE(ParseIp("203.0.113.77", ip));
  EXPECT_TRUE(net->Contains(ip));
  ASSERT_TRUE(ParseIp("203.0.114.1", ip));
  EXPECT_FALSE(net->Contains(ip));
  ASSERT_TRUE(ParseIp("::ffff:203.0.113.9", ip));  // the mapped form is the same address
  EXPECT_TRUE(net->Contains(ip));
  auto v6 = Cidr::Parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  ASSERT_TRUE(ParseIp("2001:db8:1::5", ip));
  EXPECT_TRUE(v6->Contains(ip));
  ASSERT_TRUE(ParseIp("2001:db9::5", ip));
  EXPECT_FALSE(v6->Contains(ip));
  auto one = Cidr::Parse("127.0.0.1");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->prefix, 128);
  auto all = Cidr::Parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  ASSERT_TRUE(ParseIp("198.51.100.1", ip));
  EXPECT_TRUE(all->Contains(ip));
}

TEST(Cidr, RefusesWhatIsNotANetwork) {
  for (std::string_view bad : {"1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/x", "1.2.3/8",
                               "example.com", "", "/8", "1.2.3.4/1234", "10.0.0.0/-1"}) {
    auto c = Cidr::Parse(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code(), "invalid_cidr");
  }
  IpBytes ip{};
  EXPECT_FALSE(ParseIp("1.2.3.4 ", ip));
  EXPECT_FALSE(ParseIp(std::string(100, '1'), ip));
}

TEST(ClientIp, IgnoresForwardedForFromUntrustedPeers) {
  const auto trusted = Networks({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(ClientIp("198.51.100.7", "203.0.113.5", trusted), "198.51.100.7");
  EXPECT_EQ(ClientIp("127.0.0.1", "203.0.113.5", {}), "127.0.0.1");  // nothing trusted
  EXPECT_EQ(ClientIp("127.0.0.1", "", trusted), "127.0.0.1");
}

TEST(ClientIp, TakesTheRightmostUntrustedHop) {
  const auto trusted = Networks({"127.0.0.1", "10.0.0.0/8", "2001:db8::/32"});
  EXPECT_EQ(ClientIp("127.0.0.1", "203.0.113.5", trusted), "203.0.113.5");
  // The client forged the first entry; the proxies appended the real hops.
  EXPECT_EQ(ClientIp("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", trusted), "203.0.113.5");
  EXPECT_EQ(ClientIp("10.0.0.9", "198.51.100.4,10.1.1.1 ,  10.0.0.2", trusted), "198.51.100.4");
  EXPECT_EQ(ClientIp("2001:db8::1", "[2001:db8:ffff::1]:443, [2001:db9::5]:80", trusted),
            "2001:db9::5");
  EXPECT_EQ(ClientIp("127.0.0.1", "203.0.113.5:51000", trusted), "203.0.113.5");
  // Every hop trusted: the leftmost one is as far as anyone can tell.
  EXPECT_EQ(ClientIp("127.0.0.1", "10.0.0.3, 10.0.0.2", trusted), "10.0.0.3");
  // Garbage stops the walk at the last real address.
  EXPECT_EQ(ClientIp("127.0.0.1", "203.0.113.5, unknown, 10.0.0.2", trusted), "10.0.0.2");
  EXPECT_EQ(ClientIp("127.0.0.1", "<script>", trusted), "127.0.0.1");
}

TEST(AnonymizeIp, DropsTheHostPart) {
  EXPECT_EQ(AnonymizeIp("203.0.113.77"), "203.0.113.0");
  EXPECT_EQ(AnonymizeIp("::ffff:203.0.113.77"), "203.0.113.0");
  EXPECT_EQ(AnonymizeIp("2001:db8:abcd:12:1:2:3:4"), "2001:db8:abcd::");
  EXPECT_EQ(AnonymizeIp("not an ip"), "invalid");
  EXPECT_EQ(AnonymizeIp(""), "invalid");
}

}  // namespace
}  // namespace hcms
