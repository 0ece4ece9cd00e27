// The plugin and pipeline routes through the real binary, authenticated and
// policy-checked: uploads, execution (a spinning plugin included), tenant
// isolation, the five-stage run with reviewer approvals, audit rows, bad input.

#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string Base64(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += k[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Plugin(const std::string& file) {
  std::ifstream in(std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads a Server-Sent Events response on a raw socket until the server closes it or
// the deadline passes; returns everything received (head included).
std::string ReadEventStream(int port, const std::string& target, const std::string& token,
                            std::chrono::seconds deadline) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return {};
  }
  const std::string req = "GET " + target + " HTTP/1.1\r\nHost: a.test\r\nAuthorization: Bearer " +
                          token + "\r\nAccept: text/event-stream\r\n\r\n";
  (void)send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  const auto end = std::chrono::steady_clock::now() + deadline;
  char buf[4096];
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count()))) <= 0) break;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

class PipelineApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  std::string Token(const std::string& tenant, const std::string& role) {
    return env().Login(tenant, role).access;
  }
  // Plugin management is confidential (trust 70): administrators sign in with MFA.
  std::string AdminToken(const std::string& tenant) {
    if (!env().totp_secrets.contains(tenant + "/practice_admin")) {
      env().EnableMfa(tenant, "practice_admin");
    }
    return env().Login(tenant, "practice_admin").access;
  }
  HttpResponse Call(std::string_view method, std::string_view target, const json& body,
                    const std::string& token, const std::string& host = "a.test") {
    return env().Call(method, target, body.is_null() ? "" : body.dump(),
                      {.token = token, .host = host});
  }
  // A draft of the practice: runs are of stored posts (the pipeline reads the text).
  int64_t NewPost(const std::string& title, const std::string& content, const std::string& token,
                  const std::string& host = "a.test") {
    auto r = Call("POST", "/api/v1/posts", {{"title", title}, {"content", content}}, token, host);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).value("id", int64_t{0});
  }
  // Polls the run until it leaves pending/running (runs advance on server threads).
  json WaitRun(const std::string& id, const std::string& token) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    json run;
    while (std::chrono::steady_clock::now() < deadline) {
      run = Json(Call("GET", "/api/v1/pipeline/runs/" + id, nullptr, token));
      const std::string status = run.value("status", "");
      if (status != "pending" && status != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return run;
  }
};

TEST_P(PipelineApiTest, AdminsUploadListExecuteAndDisablePlugins) {
  const std::string admin = AdminToken("a");
  const json upload = {
      {"manifest", {{"name", "eco-api"}, {"version", "1.0.0"}, {"functions", {"echo", "greet"}}}},
      {"wasm_base64", Base64(Plugin("echo.wasm"))}};
  auto created = Call("POST", "/api/v1/plugins", upload, admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const json rec = Json(created);
  const std::string id = std::to_string(rec["id"].get<int64_t>());
  EXPECT_EQ(rec["sha256"].get<std::string>().size(), 64u);

  auto again = Call("POST", "/api/v1/plugins", upload, admin);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Json(again)["code"], "plugin_exists");

  auto list = Json(Call("GET", "/api/v1/plugins", nullptr, admin));
  std::vector<std::string> names;
  for (const auto& p : list["items"]) names.push_back(p["name"]);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"eco-api", "hcms-s12-medical-claims"}));

  auto exec = Call("POST", "/api/v1/plugins/" + id + "/execute",
                   {{"function", "greet"}, {"input", "olá"}}, admin);
  ASSERT_EQ(exec.status, 200) << exec.body;
  EXPECT_EQ(Json(exec)["output"]["input"], "olá");
  // A built-in runs by name.
  auto builtin =
      Call("POST", "/api/v1/plugins/hcms-s12-medical-claims/execute",
           {{"function", "validate"},
            {"input", {{"post", {{"title", "x"}, {"content", "<p>cura garantida</p>"}}}}}},
           admin);
  ASSERT_EQ(builtin.status, 200) << builtin.body;
  EXPECT_EQ(Json(builtin)["output"]["status"], "block");

  auto status = Json(Call("GET", "/api/v1/plugins/status", nullptr, admin));
  bool counted = false;
  for (const auto& p : status["items"]) {
    if (p["name"] == "eco-api") counted = p["calls"].get<int>() >= 1;
  }
  EXPECT_TRUE(counted) << status.dump();

  // The other practice does not see it.
  auto foreign = Call("POST", "/api/v1/plugins/" + id + "/execute", {{"function", "echo"}},
                      AdminToken("b"), "b.test");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(Json(foreign)["code"], "plugin_not_found");

  auto disabled = Call("PATCH", "/api/v1/plugins/" + id, {{"enabled", false}}, admin);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  auto refused = Call("POST", "/api/v1/plugins/" + id + "/execute", {{"function", "echo"}}, admin);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(Json(refused)["code"], "plugin_disabled");
}

TEST_P(PipelineApiTest, ASpinningPluginTimesOutAndTheServerKeepsServing) {
  const std::string admin = AdminToken("a");
  auto created = Call("POST", "/api/v1/plugins",
                      {{"manifest",
                        {{"name", "spinner-api"},
                         {"version", "1"},
                         {"functions", {"spin"}},
                         {"limits", {{"timeout_ms", 300}}}}},
                       {"wasm_base64", Base64(Plugin("hostile.wasm"))}},
                      admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(Json(created)["id"].get<int64_t>());
  auto spin = Call("POST", "/api/v1/plugins/" + id + "/execute", {{"function", "spin"}}, admin);
  EXPECT_EQ(spin.status, 503);
  EXPECT_EQ(Json(spin)["code"], "plugin_timeout");
  EXPECT_EQ(env().Call("GET", "/health").status, 200);
  // The other limits, with a generous time budget (the machine may be busy).
  auto limited = Call(
      "POST", "/api/v1/plugins",
      {{"manifest",
        {{"name", "limits-api"},
         {"version", "1"},
         {"functions", {"grow_bomb", "huge_output", "bad_handle"}},
         {"limits", {{"timeout_ms", 20000}, {"memory_mb", 16}, {"max_output_bytes", 1048576}}}}},
       {"wasm_base64", Base64(Plugin("hostile.wasm"))}},
      admin);
  ASSERT_EQ(limited.status, 201) << limited.body;
  const std::string lid = std::to_string(Json(limited)["id"].get<int64_t>());
  for (auto [fn, code] : {std::pair{"grow_bomb", "plugin_memory_limit"},
                          std::pair{"huge_output", "plugin_output_too_large"},
                          std::pair{"bad_handle", "plugin_trap"}}) {
    auto r = Call("POST", "/api/v1/plugins/" + lid + "/execute", {{"function", fn}}, admin);
    EXPECT_EQ(Json(r)["code"], code) << fn << ": " << r.body;
  }
}

TEST_P(PipelineApiTest, UploadsAreValidatedAndOnlyAdminsManagePlugins) {
  const std::string admin = AdminToken("a");
  auto bad64 = Call("POST", "/api/v1/plugins",
                    {{"manifest", {{"name", "x"}, {"version", "1"}, {"functions", {"echo"}}}},
                     {"wasm_base64", "@@not base64@@"}},
                    admin);
  EXPECT_EQ(bad64.status, 400);
  EXPECT_EQ(Json(bad64)["code"], "invalid_base64");
  const std::string echo = Plugin("echo.wasm");
  auto truncated = Call("POST", "/api/v1/plugins",
                        {{"manifest", {{"name", "x"}, {"version", "1"}, {"functions", {"echo"}}}},
                         {"wasm_base64", Base64(echo.substr(0, echo.size() / 2))}},
                        admin);
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(Json(truncated)["code"], "plugin_module_invalid");
  auto ungranted = Call("POST", "/api/v1/plugins",
                        {{"manifest", {{"name", "y"}, {"version", "1"}, {"functions", {"scan"}}}},
                         {"wasm_base64", Base64(Plugin("ungranted.wasm"))}},
                        admin);
  EXPECT_EQ(ungranted.status, 400);
  EXPECT_EQ(Json(ungranted)["code"], "plugin_import_denied");
  auto no_manifest = Call("POST", "/api/v1/plugins", {{"wasm_base64", Base64(echo)}}, admin);
  EXPECT_EQ(no_manifest.status, 422);
  EXPECT_EQ(Json(no_manifest)["code"], "validation_failed");

  auto editor = Call("POST", "/api/v1/plugins",
                     {{"manifest", {{"name", "z"}, {"version", "1"}, {"functions", {"echo"}}}},
                      {"wasm_base64", Base64(echo)}},
                     Token("a", "editor"));
  EXPECT_EQ(editor.status, 403);
  EXPECT_EQ(env().Call("GET", "/api/v1/plugins").status, 401);
}

TEST_P(PipelineApiTest, RunsWaitForReviewersAndLeaveAuditRows) {
  const std::string admin = AdminToken("a");
  auto settings = Call("PUT", "/api/v1/pipeline/settings",
                       {{"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}}},
                        {"disclaimers", {"informative", "emergency"}}},
                       admin);
  ASSERT_EQ(settings.status, 200) << settings.body;
  auto bad = Call("PUT", "/api/v1/pipeline/settings", {{"legal_review_threshold", 900}}, admin);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Json(bad)["code"], "validation_failed");

  const std::string editor = Token("a", "editor");
  const int64_t post_id = NewPost("Caminhada e pressão",
                                  "<p>Estudos mostram que caminhar reduz a pressão.</p>", editor);
  auto started = Call("POST", "/api/v1/pipeline/runs", {{"post_id", post_id}}, editor);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string run_id = Json(started)["id"];
  EXPECT_EQ(started.Header("location"), "/api/v1/pipeline/runs/" + run_id);

  json run = WaitRun(run_id, editor);
  ASSERT_EQ(run["status"], "needs_approval") << run.dump();
  EXPECT_EQ(run["steps"][1]["status"], "needs_approval");
  EXPECT_EQ(run["steps"][1]["output"]["findings"][0]["rule"], "CDC-01");

  const std::string reviewer = Token("a", "reviewer");
  auto contributor = Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.2/approve",
                          json::object(), Token("a", "contributor"));
  EXPECT_EQ(contributor.status, 403);
  auto wrong = Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.5/approve",
                    json::object(), reviewer);
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(Json(wrong)["code"], "pipeline_step_not_awaiting_approval");

  auto approved = Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.2/approve",
                       {{"note", "fonte conferida"}}, reviewer);
  ASSERT_EQ(approved.status, 200) << approved.body;
  run = WaitRun(run_id, editor);
  ASSERT_EQ(run["status"], "needs_approval") << run.dump();
  EXPECT_EQ(run["steps"][3]["status"], "needs_approval");
  auto legal = Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.4/approve",
                    json::object(), reviewer);
  ASSERT_EQ(legal.status, 200) << legal.body;
  run = WaitRun(run_id, editor);
  EXPECT_EQ(run["status"], "completed") << run.dump();
  EXPECT_EQ(run["steps"][4]["output"]["jsonld"]["@type"], "MedicalWebPage");

  auto audit = Call("GET", "/api/v1/pipeline/runs/" + run_id + "/audit", nullptr, reviewer);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const json rows = Json(audit)["items"];
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["processing_stage"], "s1.1");
  EXPECT_EQ(rows[1]["outcome"], "needs_approval");
  EXPECT_EQ(rows[0]["input_data_hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(audit.body.find("caminhar"), std::string::npos);  // hashes, not content

  // Another practice cannot read the run; bad input is refused.
  auto foreign =
      Call("GET", "/api/v1/pipeline/runs/" + run_id, nullptr, Token("b", "editor"), "b.test");
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(Json(foreign)["code"], "pipeline_run_not_found");
  auto missing = Call("POST", "/api/v1/pipeline/runs", {{"title", "x"}}, editor);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(Json(missing)["code"], "validation_failed");
}

TEST_P(PipelineApiTest, RunsAreListedNewestFirstAndByStatus) {
  const std::string admin = AdminToken("a");
  ASSERT_EQ(Call("PUT", "/api/v1/pipeline/settings",
                 {{"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}}}}, admin)
                .status,
            200);
  const std::string editor = Token("a", "editor");
  const int64_t post_id = NewPost(
      "Exercício e coração", "<p>Estudos mostram que o exercício protege o coração.</p>", editor);
  auto started = Call("POST", "/api/v1/pipeline/runs", {{"post_id", post_id}}, editor);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string run_id = Json(started)["id"];
  ASSERT_EQ(WaitRun(run_id, editor)["status"], "needs_approval");

  auto ids = [](const json& list) {
    std::vector<std::string> out;
    for (const auto& r : list["items"]) out.push_back(r["id"]);
    return out;
  };
  auto waiting = Call("GET", "/api/v1/pipeline/runs?status=needs_approval&limit=100", nullptr,
                      Token("a", "reviewer"));
  ASSERT_EQ(waiting.status, 200) << waiting.body;
  const json list = Json(waiting);
  EXPECT_THAT(ids(list), ::testing::Contains(run_id));
  for (const auto& r : list["items"]) {
    EXPECT_EQ(r["status"], "needs_approval");
    EXPECT_FALSE(r["steps"][0].contains("output"));  // no stage outputs in a listing
    if (r["id"] == run_id) {
      EXPECT_EQ(r["post_title"], "Exercício e coração");
    }
  }
  // Newest first: the run just started leads the unfiltered list.
  auto recent = Json(Call("GET", "/api/v1/pipeline/runs?limit=1", nullptr, editor));
  ASSERT_EQ(recent["items"].size(), 1u);
  EXPECT_EQ(recent["items"][0]["id"], run_id);
  EXPECT_THAT(
      ids(Json(Call("GET", "/api/v1/pipeline/runs?status=completed&limit=100", nullptr, editor))),
      ::testing::Not(::testing::Contains(run_id)));

  // Another practice does not see it; bad filters are refused.
  auto foreign =
      Call("GET", "/api/v1/pipeline/runs?limit=100", nullptr, Token("b", "editor"), "b.test");
  ASSERT_EQ(foreign.status, 200) << foreign.body;
  EXPECT_THAT(ids(Json(foreign)), ::testing::Not(::testing::Contains(run_id)));
  for (const char* q : {"?status=waiting", "?limit=abc", "?limit=", "?limit=1000"}) {
    auto bad = Call("GET", std::string("/api/v1/pipeline/runs") + q, nullptr, editor);
    EXPECT_EQ(bad.status, 400) << q;
    EXPECT_EQ(Json(bad)["code"], "invalid_query") << q;
    EXPECT_EQ(bad.Header("content-type"), "application/problem+json") << q;
  }
  auto anonymous = Call("GET", "/api/v1/pipeline/runs", nullptr, "");
  EXPECT_EQ(anonymous.status, 401);
  // Every author's titles are for those who review, not for contributors.
  EXPECT_EQ(Call("GET", "/api/v1/pipeline/runs", nullptr, Token("a", "contributor")).status, 403);
}

TEST_P(PipelineApiTest, ProgressArrivesAsServerSentEvents) {
  const std::string admin = AdminToken("a");
  ASSERT_EQ(Call("PUT", "/api/v1/pipeline/settings",
                 {{"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}}}}, admin)
                .status,
            200);
  const std::string editor = Token("a", "editor");
  const int64_t post_id =
      NewPost("Sono", "<p>Estudos mostram que dormir bem protege o coração.</p>", editor);
  auto started = Call("POST", "/api/v1/posts/" + std::to_string(post_id) + "/pipeline",
                      json::object(), editor);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string run_id = Json(started)["id"];
  ASSERT_EQ(WaitRun(run_id, editor)["status"], "needs_approval");

  // Listen while a reviewer approves: the stream carries the stages as they run and
  // ends when the run completes.
  std::string stream;
  std::thread listener([&] {
    stream = ReadEventStream(env().server().port(), "/api/v1/pipeline/runs/" + run_id + "/events",
                             editor, std::chrono::seconds(30));
  });
  // The first event (the current state) proves the listener is subscribed.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string probe;
  while (std::chrono::steady_clock::now() < until) {
    probe = ReadEventStream(env().server().port(), "/api/v1/pipeline/runs/" + run_id + "/events",
                            editor, std::chrono::seconds(1));
    if (probe.find("event: run\n") != std::string::npos) break;
  }
  EXPECT_THAT(probe, HasSubstr("text/event-stream"));
  const std::string reviewer = Token("a", "reviewer");
  ASSERT_EQ(Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.2/approve", json::object(),
                 reviewer)
                .status,
            200);
  ASSERT_EQ(WaitRun(run_id, editor)["status"], "needs_approval");
  ASSERT_EQ(Call("POST", "/api/v1/pipeline/runs/" + run_id + "/steps/s1.4/approve", json::object(),
                 reviewer)
                .status,
            200);
  listener.join();
  EXPECT_THAT(stream, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(stream, HasSubstr("event: run\ndata: {"));
  EXPECT_THAT(stream, HasSubstr("event: step_started\ndata: {\"run_id\":\"" + run_id +
                                "\",\"stage\":\"s1.3\""));
  EXPECT_THAT(stream, HasSubstr("event: run_finished\ndata: {\"run_id\":\"" + run_id +
                                "\",\"status\":\"completed\",\"type\":\"run_finished\"}"));
  // A finished run answers its state and closes at once; another practice gets 404.
  const std::string done =
      ReadEventStream(env().server().port(), "/api/v1/pipeline/runs/" + run_id + "/events", editor,
                      std::chrono::seconds(10));
  EXPECT_THAT(done, HasSubstr("\"status\":\"completed\""));
  auto foreign = Call("GET", "/api/v1/pipeline/runs/" + run_id + "/events", nullptr,
                      Token("b", "editor"), "b.test");
  EXPECT_EQ(foreign.status, 404);
}

HCMS_INSTANTIATE_BACKENDS(PipelineApiTest);

}  // namespace
}  // namespace hcms::testing
