// The plugin host against real compiled guests: the C echo plugin (PDK) and the
// hostile test guest (plugins/testdata/hostile.wat), run in real worker processes.

#include "plugins/plugin_host.h"

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "plugins/host_abi.h"
#include "plugins/wasm_module.h"

namespace hcms::plugins {
namespace {

std::string BuiltinPath(const std::string& file) {
  return std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + file;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

LoadedPlugin Plugin(const std::string& name, PluginLimits limits = {}) {
  return LoadedPlugin{.key = name,
                      .name = name,
                      .library_path = BuiltinPath(name + ".so"),
                      .grants = 0,
                      .limits = limits};
}

class PluginHostTest : public ::testing::Test {
 protected:
  PluginHost host_{{.worker_path = HCMS_PLUGIN_WORKER_PATH, .workers = 2}};
};

TEST_F(PluginHostTest, EchoesInput) {
  auto r = host_.Call(Plugin("echo"), "echo", "olá, mundo");
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(r->output, "olá, mundo");
}

TEST_F(PluginHostTest, EchoesLargeAndEmptyInput) {
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
  auto r = host_.Call(Plugin("echo"), "echo", big);
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(r->output, big);
  auto e = host_.Call(Plugin("echo"), "echo", "");
  ASSERT_TRUE(e) << e.error().ToLogString();
  EXPECT_EQ(e->output, "");
}

TEST_F(PluginHostTest, PassesConfigAndCollectsLogs) {
  LoadedPlugin p = Plugin("echo");
  p.config["greeting"] = "bom dia";
  auto r = host_.Call(p, "greet", "x\"y");
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(r->output, R"({"greeting":"bom dia","input":"x\"y"})");
  ASSERT_EQ(r->logs.size(), 1u);
  EXPECT_EQ(r->logs[0].text, "greet called");
}

TEST_F(PluginHostTest, PluginErrorCarriesItsMessage) {
  auto r = host_.Call(Plugin("echo"), "fail", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_error");
  ASSERT_EQ(r.error().fields().size(), 1u);
  EXPECT_EQ(r.error().fields()[0].message, "entrada recusada");
}

TEST_F(PluginHostTest, UnknownFunctionIsNotFound) {
  auto r = host_.Call(Plugin("echo"), "nope", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_function_not_found");
}

TEST_F(PluginHostTest, SpinningGuestIsStoppedAndTheHostKeepsServing) {
  auto r = host_.Call(Plugin("hostile", {.timeout_ms = 300}), "spin", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_timeout");
  EXPECT_EQ(r.error().kind(), ErrorKind::kDeadlineExceeded);
  EXPECT_GE(host_.workers_restarted(), 1);
  // The pool replaces the killed worker.
  for (int i = 0; i < 4; ++i) {
    auto ok = host_.Call(Plugin("echo"), "echo", "ainda aqui");
    ASSERT_TRUE(ok) << ok.error().ToLogString();
    EXPECT_EQ(ok->output, "ainda aqui");
  }
}

TEST_F(PluginHostTest, MemoryBombHitsTheCap) {
  auto r = host_.Call(Plugin("hostile", {.memory_mb = 8}), "grow_bomb", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_memory_limit");
  auto k = host_.Call(Plugin("hostile"), "kernel_bomb", "");
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code(), "plugin_memory_limit");
}

TEST_F(PluginHostTest, DeepRecursionIsATrap) {
  auto r = host_.Call(Plugin("hostile"), "recurse", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_trap");
}

TEST_F(PluginHostTest, HugeOutputIsRefused) {
  auto r = host_.Call(Plugin("hostile"), "huge_output", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_output_too_large");
}

TEST_F(PluginHostTest, BadHandlesAndOutOfBoundsAccessAreTraps) {
  for (const char* fn : {"bad_handle", "block_overrun", "oob_memory", "div_zero"}) {
    auto r = host_.Call(Plugin("hostile"), fn, "");
    ASSERT_FALSE(r) << fn;
    EXPECT_EQ(r.error().code(), "plugin_trap") << fn;
  }
  auto ok = host_.Call(Plugin("echo"), "echo", "ok");
  ASSERT_TRUE(ok);
}

TEST_F(PluginHostTest, UngrantedHostFunctionIsDenied) {
  auto r = host_.Call(Plugin("ungranted"), "scan", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_host_function_denied");
}

TEST_F(PluginHostTest, GrantedHostFunctionWithoutBackendIsUnavailable) {
  LoadedPlugin p = Plugin("ungranted");
  p.grants = kGrantPersonalData;
  auto r = host_.Call(p, "scan", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_host_unavailable");
}

TEST_F(PluginHostTest, GrantedHostFunctionIsServedByTheServer) {
  std::atomic<int> calls{0};
  PluginHost host({.worker_path = HCMS_PLUGIN_WORKER_PATH,
                   .host_functions = {{"lgpd_scan",
                                       [&calls](std::string_view payload) -> Result<std::string> {
                                         ++calls;
                                         EXPECT_EQ(payload.size(), 4u);
                                         return std::string("{}");
                                       }}},
                   .workers = 1});
  LoadedPlugin p = Plugin("ungranted");
  p.grants = kGrantPersonalData;
  auto r = host.Call(p, "scan", "");
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(PluginHostTest, MissingLibraryIsALoadFailure) {
  LoadedPlugin p = Plugin("echo");
  p.key = "missing";
  p.library_path = BuiltinPath("does-not-exist.so");
  auto r = host_.Call(p, "echo", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "plugin_load_failed");
}

TEST_F(PluginHostTest, CallsRunInParallel) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string in = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = host_.Call(Plugin("echo"), "echo", in);
        if (r && r->output == in) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(host_.Stats()["echo"].calls, 100);
}

TEST(WasmModule, ReadsImportsExportsAndMemory) {
  auto m = ParseWasmModule(ReadBytes(BuiltinPath("hostile.wasm")));
  ASSERT_TRUE(m) << m.error().ToLogString();
  EXPECT_TRUE(m->has_memory);
  EXPECT_EQ(m->memory_initial_pages, 1u);
  EXPECT_FALSE(m->memory_max_pages);
  ASSERT_EQ(m->imports.size(), 5u);
  EXPECT_EQ(m->imports[0].module, "extism:host/env");
  EXPECT_EQ(m->imports[0].name, "alloc");
  EXPECT_EQ(m->imports[0].signature, "j:j");
  bool spin = false;
  for (const auto& e : m->exports) {
    if (e.name == "spin") spin = e.plugin_function;
  }
  EXPECT_TRUE(spin);
  EXPECT_TRUE(CheckImports(*m, kGrantNone));
}

TEST(WasmModule, RefusesTruncatedAndForeignBytes) {
  const std::string echo = ReadBytes(BuiltinPath("echo.wasm"));
  ASSERT_GT(echo.size(), 100u);
  for (size_t cut : {size_t{0}, size_t{4}, size_t{9}, echo.size() / 2, echo.size() - 1}) {
    auto m = ParseWasmModule(echo.substr(0, cut));
    ASSERT_FALSE(m) << cut;
    EXPECT_EQ(m.error().code(), "plugin_module_invalid");
  }
  EXPECT_FALSE(
      ParseWasmModule(std::string("\x7f"
                                  "ELF\x02\x01\x01\0",
                                  8)));
}

TEST(WasmModule, ImportsMustBeKnownGrantedAndWellTyped) {
  auto ungranted = ParseWasmModule(ReadBytes(BuiltinPath("ungranted.wasm")));
  ASSERT_TRUE(ungranted);
  auto denied = CheckImports(*ungranted, kGrantNone);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), "plugin_import_denied");
  EXPECT_TRUE(CheckImports(*ungranted, kGrantPersonalData));

  for (const char* name : {"bad_signature.wasm", "unknown_import.wasm"}) {
    auto m = ParseWasmModule(ReadBytes(BuiltinPath(name)));
    ASSERT_TRUE(m) << name;
    auto s = CheckImports(*m, kGrantPersonalData | kGrantClock | kGrantRandom);
    ASSERT_FALSE(s) << name;
    EXPECT_EQ(s.error().code(), "plugin_import_denied");
  }
}

TEST(WasmModule, StripsCustomSections) {
  std::string bytes = ReadBytes(BuiltinPath("hostile.wasm"));
  // A custom section "name" with junk: id 0, size, name length, name, payload.
  const std::string custom = std::string("\x00\x08\x04name\xde\xad\xbe", 10);
  auto m = ParseWasmModule(bytes + custom);
  ASSERT_TRUE(m) << m.error().ToLogString();
  EXPECT_EQ(m->stripped, bytes);
}

TEST(WasmModule, SafeNames) {
  EXPECT_TRUE(IsSafeWasmName("extism:host/env"));
  EXPECT_TRUE(IsSafeWasmName("validate_claims-v2.1"));
  EXPECT_FALSE(IsSafeWasmName(""));
  EXPECT_FALSE(IsSafeWasmName("a */ b"));
  EXPECT_FALSE(IsSafeWasmName("quo'te"));
}

}  // namespace
}  // namespace hcms::plugins
