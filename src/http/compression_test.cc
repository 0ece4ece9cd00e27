#include "http/compression.h"

#include <gtest/gtest.h>

#include "tests/support/gzip.h"

namespace hcms::http {
namespace {

using hcms::testing::Gunzip;

std::string Article() {
  std::string s;
  for (int i = 0; i < 200; ++i) {
    s += "<p>Hipertensão arterial: consulte seu médico. Parágrafo " + std::to_string(i) + "</p>";
  }
  return s;
}

Request WithAcceptEncoding(std::string value) {
  Request req;
  req.headers.push_back({"Accept-Encoding", std::move(value)});
  return req;
}

TEST(Compression, ReadsAcceptEncodingWithWeightsAndWildcards) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("identity;q=1, *;q=0.1"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));  // named and refused beats the wildcard
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=high"));  // a malformed weight refuses
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

TEST(Compression, GzipRoundTrips) {
  const std::string text = Article();
  const std::string gz = Gzip(text, 5);
  ASSERT_FALSE(gz.empty());
  EXPECT_LT(gz.size(), text.size() / 4);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(Gunzip(gz), text);
  EXPECT_EQ(Gunzip(Gzip("", 1)), "");
}

TEST(Compression, CompressesTextForClientsThatAcceptIt) {
  const std::string text = Article();
  Response r = Response::Text(200, text, "text/html; charset=utf-8");
  r.Set("ETag", "\"abc\"");
  Negotiate(WithAcceptEncoding("gzip, deflate"), r, {});
  EXPECT_EQ(r.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(r.Get("Vary"), "Accept-Encoding");
  EXPECT_EQ(r.Get("ETag"), "W/\"abc\"");
  EXPECT_EQ(Gunzip(r.Body()), text);

  // Twice is once: already encoded, Vary not repeated.
  const std::string once(r.Body());
  Negotiate(WithAcceptEncoding("gzip"), r, {});
  EXPECT_EQ(r.Body(), once);
  EXPECT_EQ(r.Get("Vary"), "Accept-Encoding");

  // A producer that already chose (Vary: Accept-Encoding) is left alone.
  Response chosen = Response::Text(200, text, "text/html");
  chosen.Set("Vary", "Accept, accept-encoding");
  Negotiate(WithAcceptEncoding("gzip"), chosen, {});
  EXPECT_TRUE(chosen.Get("Content-Encoding").empty());
  EXPECT_EQ(chosen.Body(), text);

  // A shared body is compressed too; the shared original is left alone.
  auto shared = std::make_shared<const std::string>(R"({"x":")" + text + R"("})");
  Response j;
  j.Set("Content-Type", "application/json; charset=utf-8");
  j.shared_body = shared;
  Negotiate(WithAcceptEncoding("gzip"), j, {});
  EXPECT_EQ(j.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(Gunzip(j.Body()), *shared);
}

TEST(Compression, LeavesPlainAnswersPlainButSaysTheyVary) {
  const std::string text = Article();
  Response r = Response::Text(200, text, "application/rss+xml; charset=utf-8");
  Negotiate(WithAcceptEncoding("identity"), r, {});
  EXPECT_TRUE(r.Get("Content-Encoding").empty());
  EXPECT_EQ(r.Body(), text);
  EXPECT_EQ(r.Get("Vary"), "Accept-Encoding");

  Response v = Response::Text(200, text, "text/html");
  v.Set("Vary", "Accept");
  Negotiate(Request{}, v, {});
  EXPECT_EQ(v.Get("Vary"), "Accept, Accept-Encoding");
  Negotiate(Request{}, v, {});
  EXPECT_EQ(v.Get("Vary"), "Accept, Accept-Encoding");
}

TEST(Compression, NeverCompressesWhatItShouldNot) {
  const std::string text = Article();
  const Request gzip = WithAcceptEncoding("gzip");
  auto plain_after = [&](Response r, const CompressionOptions& o = {}) {
    Negotiate(gzip, r, o);
    return r.Get("Content-Encoding").empty();
  };
  EXPECT_TRUE(plain_after(Response::Text(200, "short")));  // under min_bytes
  EXPECT_TRUE(plain_after(Response(200, "image/png", text)));
  EXPECT_TRUE(plain_after(Response(200, "application/octet-stream", text)));
  EXPECT_TRUE(plain_after(Response(200, "", text)));
  EXPECT_TRUE(plain_after(Response::Text(206, text)));
  EXPECT_TRUE(plain_after(Response::Text(200, text), {.enabled = false}));
  // Secrets and personal data (BREACH): no-store and Set-Cookie answers stay plain.
  Response no_store = Response::Text(200, text);
  no_store.Set("Cache-Control", "No-Store");
  EXPECT_TRUE(plain_after(no_store));
  Response cookie = Response::Text(200, text);
  cookie.Set("Set-Cookie", "a=b");
  EXPECT_TRUE(plain_after(cookie));
  Response encoded = Response(200, "text/plain", text);
  encoded.Set("Content-Encoding", "br");
  Negotiate(gzip, encoded, {});
  EXPECT_EQ(encoded.Get("Content-Encoding"), "br");
  EXPECT_EQ(encoded.Body(), text);
  Response range = Response(200, "text/plain", text);
  range.Set("Content-Range", "bytes 0-9/100");
  EXPECT_TRUE(plain_after(range));
  // A body gzip cannot shrink stays as it was (gzip would only add its header).
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  EXPECT_FALSE(GzipVariant(Response::Text(200, noise), {.level = 9}).has_value());
  EXPECT_TRUE(plain_after(Response::Text(200, noise)));
  EXPECT_TRUE(plain_after(Response::Text(200, text), {.min_bytes = text.size() + 1}));
  EXPECT_FALSE(plain_after(Response::Text(200, text), {.min_bytes = text.size()}));
}

TEST(Compression, GzipVariantKeepsStatusAndHeaders) {
  const std::string text = Article();
  Response r = Response::Text(404, text, "text/html; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  r.Set("ETag", "W/\"x\"");
  auto v = GzipVariant(r, {});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status, 404);
  EXPECT_EQ(v->Get("Cache-Control"), "no-cache");
  EXPECT_EQ(v->Get("ETag"), "W/\"x\"");
  EXPECT_EQ(v->Get("Content-Encoding"), "gzip");
  EXPECT_EQ(Gunzip(v->Body()), text);
  EXPECT_TRUE(r.Get("Content-Encoding").empty());  // the original is untouched
  EXPECT_FALSE(GzipVariant(Response::Text(200, "tiny"), {}).has_value());
}

}  // namespace
}  // namespace hcms::http
