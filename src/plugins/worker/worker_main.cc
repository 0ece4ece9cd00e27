// hcms-plugin-worker: runs WebAssembly plugins (translated by wasm2c into shared
// objects) for the plugin host, one call at a time, in a process of its own.
//
// wasm2c's runtime keeps its trap state in process globals, and it cannot stop a
// spinning guest; a process per worker solves both: calls in one worker are
// sequential, workers run in parallel, and the host kills a worker whose call
// overruns its time budget. The process is also where the resource limits apply
// (address space, no files written, no network, no exec; see Harden()).
//
// Protocol: frames on descriptor 3 (plugins/wire.h): a CallRequest in, a
// CallResponse out, until the host closes the socket.
//
// Kernel memory follows Extism: the guest sees handles (offsets into a host-side
// arena, 0 is null) and copies bytes with load_*/store_*. Every handle the guest
// passes is checked against a live block; a bad one ends the call with a trap.

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" {
#include "wasm-rt-impl.h"
}

#include "plugins/compiler.h"
#include "plugins/host_abi.h"
#include "plugins/wire.h"
#include "plugins/worker/personal_data_scan.h"

namespace hcms::plugins::worker {
namespace {

using wire::Outcome;

constexpr int kSocketFd = 3;
constexpr size_t kMaxLogLines = 100;
constexpr size_t kMaxLogBytes = 1024;
constexpr size_t kMaxVarBytes = 1 << 20;

struct Block {
  uint64_t len;
  bool live;
};

// The state of the call in progress. Only touched by the single worker thread.
struct Call {
  const wire::CallRequest* req = nullptr;
  std::vector<uint8_t> mem = std::vector<uint8_t>(8);  // offsets below 8 are never handed out
  std::map<uint64_t, Block> blocks;
  uint64_t input = 0;
  uint64_t input_len = 0;
  bool output_set = false;
  uint64_t output_off = 0;
  uint64_t output_len = 0;
  uint64_t error_off = 0;
  std::map<std::string, std::string, std::less<>> vars;
  size_t var_bytes = 0;
  std::vector<wire::LogLine> logs;
  Outcome fail = Outcome::kTrap;
  const char* fail_detail = nullptr;
  bool failed = false;
};

Call* g_call = nullptr;
uint32_t g_memory_cap_pages = 1024;
bool g_memory_limit_hit = false;
wasm_rt_memory_t* g_guest_memory = nullptr;

// Ends the call: records why, then unwinds to the worker's wasm_rt_impl_try().
// Callers must not have live objects with destructors in their frame.
[[noreturn]] void Fail(Outcome outcome, const char* detail) {
  g_call->fail = outcome;
  g_call->fail_detail = detail;
  g_call->failed = true;
  wasm_rt_trap(WASM_RT_TRAP_OOB);
}

// The live block holding [p, p + n), or nullptr.
const std::pair<const uint64_t, Block>* Find(uint64_t p, uint64_t n) {
  auto& blocks = g_call->blocks;
  auto it = blocks.upper_bound(p);
  if (it == blocks.begin()) return nullptr;
  --it;
  const uint64_t start = it->first;
  const Block& b = it->second;
  if (!b.live || n > b.len || p - start > b.len - n) return nullptr;
  return &*it;
}

uint8_t* Bytes(uint64_t p, uint64_t n) {
  if (Find(p, n) == nullptr) Fail(Outcome::kTrap, "out_of_bounds_handle");
  return g_call->mem.data() + p;
}

uint64_t Alloc(uint64_t n) {
  Call& c = *g_call;
  const uint64_t at = c.mem.size();
  const uint64_t step = n == 0 ? 1 : (n + 7) & ~uint64_t{7};
  if (n > c.req->kernel_bytes || at + step > c.req->kernel_bytes) {
    Fail(Outcome::kMemoryLimit, "kernel_memory");
  }
  c.mem.resize(at + step);
  c.blocks[at] = Block{n, true};
  return at;
}

uint64_t AllocCopy(std::string_view data) {
  const uint64_t p = Alloc(data.size());
  if (!data.empty()) std::memcpy(g_call->mem.data() + p, data.data(), data.size());
  return p;
}

std::string_view BlockText(uint64_t p) {
  const auto* b = Find(p, 0);
  if (b == nullptr || b->first != p) Fail(Outcome::kTrap, "out_of_bounds_handle");
  return {reinterpret_cast<const char*>(g_call->mem.data() + p), b->second.len};
}

void Log(uint8_t level, uint64_t p) {
  std::string_view text = BlockText(p);
  if (level < g_call->req->log_level || g_call->logs.size() >= kMaxLogLines) return;
  g_call->logs.push_back({level, std::string(text.substr(0, kMaxLogBytes))});
}

void RequireGrant(uint32_t grant) {
  if ((g_call->req->grants & grant) == 0) Fail(Outcome::kDenied, "host_function_not_granted");
}

}  // namespace
}  // namespace hcms::plugins::worker

using namespace hcms::plugins::worker;  // NOLINT: the C entry points below
using hcms::plugins::wire::Outcome;

// The memory hooks named by the compiler's -D flags: the module's declared maximum
// is clamped to the call's cap.
extern "C" {

void hcms_wasm_allocate_memory(wasm_rt_memory_t* m, uint32_t initial, uint32_t max) {
  if (max > g_memory_cap_pages) max = g_memory_cap_pages;
  if (initial > max) {
    g_memory_limit_hit = true;
    Fail(Outcome::kMemoryLimit, "guest_memory");
  }
  wasm_rt_allocate_memory(m, initial, max);
  if (m->data == nullptr && initial > 0) {
    g_memory_limit_hit = true;
    Fail(Outcome::kMemoryLimit, "guest_memory");
  }
  g_guest_memory = m;
}

uint32_t hcms_wasm_grow_memory(wasm_rt_memory_t* m, uint32_t delta) {
  const uint32_t r = wasm_rt_grow_memory(m, delta);
  if (r == UINT32_MAX) g_memory_limit_hit = true;
  return r;
}

void hcms_wasm_free_memory(wasm_rt_memory_t* m) {
  wasm_rt_free_memory(m);
  if (g_guest_memory == m) g_guest_memory = nullptr;
}

// Extism kernel: extism:host/env.
#define KERNEL(ret, name, ...) ret Z_extismZ3AhostZ2FenvZ_##name(void* env, ##__VA_ARGS__)

KERNEL(uint64_t, alloc, uint64_t n) {
  (void)env;
  return Alloc(n);
}
KERNEL(void, free, uint64_t p) {
  (void)env;
  auto it = g_call->blocks.find(p);
  if (it != g_call->blocks.end()) it->second.live = false;
}
KERNEL(uint64_t, length, uint64_t p) {
  (void)env;
  auto it = g_call->blocks.find(p);
  return it != g_call->blocks.end() && it->second.live ? it->second.len : 0;
}
KERNEL(uint64_t, length_unsafe, uint64_t p) { return Z_extismZ3AhostZ2FenvZ_length(env, p); }
KERNEL(uint32_t, load_u8, uint64_t p) {
  (void)env;
  return *Bytes(p, 1);
}
KERNEL(uint64_t, load_u64, uint64_t p) {
  (void)env;
  uint64_t v;
  std::memcpy(&v, Bytes(p, 8), 8);
  return v;
}
KERNEL(void, store_u8, uint64_t p, uint32_t v) {
  (void)env;
  *Bytes(p, 1) = static_cast<uint8_t>(v);
}
KERNEL(void, store_u64, uint64_t p, uint64_t v) {
  (void)env;
  std::memcpy(Bytes(p, 8), &v, 8);
}
KERNEL(uint64_t, input_length) {
  (void)env;
  return g_call->input_len;
}
KERNEL(uint64_t, input_offset) {
  (void)env;
  return g_call->input;
}
KERNEL(uint32_t, input_load_u8, uint64_t i) {
  (void)env;
  if (i >= g_call->input_len) Fail(Outcome::kTrap, "out_of_bounds_input");
  return g_call->mem[g_call->input + i];
}
KERNEL(uint64_t, input_load_u64, uint64_t i) {
  (void)env;
  if (g_call->input_len < 8 || i > g_call->input_len - 8) {
    Fail(Outcome::kTrap, "out_of_bounds_input");
  }
  uint64_t v;
  std::memcpy(&v, g_call->mem.data() + g_call->input + i, 8);
  return v;
}
KERNEL(void, output_set, uint64_t p, uint64_t n) {
  (void)env;
  if (n > g_call->req->max_output_bytes) Fail(Outcome::kOutputTooLarge, "output_too_large");
  (void)Bytes(p, n);
  g_call->output_set = true;
  g_call->output_off = p;
  g_call->output_len = n;
}
KERNEL(void, error_set, uint64_t p) {
  (void)env;
  if (p != 0) (void)BlockText(p);
  g_call->error_off = p;
}
KERNEL(uint64_t, error_get) {
  (void)env;
  return g_call->error_off;
}
KERNEL(uint64_t, config_get, uint64_t k) {
  (void)env;
  const std::string_view key = BlockText(k);
  auto it = g_call->req->config.find(std::string(key));
  if (it == g_call->req->config.end()) return 0;
  return AllocCopy(it->second);
}
KERNEL(uint64_t, var_get, uint64_t k) {
  (void)env;
  auto it = g_call->vars.find(BlockText(k));
  if (it == g_call->vars.end()) return 0;
  return AllocCopy(it->second);
}
KERNEL(void, var_set, uint64_t k, uint64_t v) {
  (void)env;
  // Both handles are checked before any string exists in this frame.
  const std::string_view key_text = BlockText(k);
  const std::string_view value_text = v != 0 ? BlockText(v) : std::string_view();
  bool over = false;
  {
    auto& vars = g_call->vars;
    if (auto it = vars.find(key_text); it != vars.end()) {
      g_call->var_bytes -= it->first.size() + it->second.size();
      vars.erase(it);
    }
    if (v != 0) {
      if (g_call->var_bytes + key_text.size() + value_text.size() > kMaxVarBytes) {
        over = true;
      } else {
        g_call->var_bytes += key_text.size() + value_text.size();
        vars.emplace(std::string(key_text), std::string(value_text));
      }
    }
  }
  if (over) Fail(Outcome::kMemoryLimit, "vars");
}
KERNEL(uint64_t, http_request, uint64_t, uint64_t) {
  (void)env;
  Fail(Outcome::kDenied, "network_not_granted");
}
KERNEL(uint32_t, http_status_code) {
  (void)env;
  return 0;
}
KERNEL(uint64_t, http_headers) {
  (void)env;
  return 0;
}
KERNEL(void, log_trace, uint64_t p) {
  (void)env;
  Log(0, p);
}
KERNEL(void, log_debug, uint64_t p) {
  (void)env;
  Log(1, p);
}
KERNEL(void, log_info, uint64_t p) {
  (void)env;
  Log(2, p);
}
KERNEL(void, log_warn, uint64_t p) {
  (void)env;
  Log(3, p);
}
KERNEL(void, log_error, uint64_t p) {
  (void)env;
  Log(4, p);
}
KERNEL(uint32_t, get_log_level) {
  (void)env;
  return g_call->req->log_level;
}
KERNEL(void, reset) {
  (void)env;
  g_call->mem.resize(8);
  g_call->blocks.clear();
  g_call->input = g_call->input_len = 0;
  g_call->output_set = false;
  g_call->error_off = 0;
}

// hcms host functions: hcms:host/env, each granted by the manifest.
#define HCMS_HOST(ret, name, ...) ret Z_hcmsZ3AhostZ2FenvZ_##name(void* env, ##__VA_ARGS__)

HCMS_HOST(uint64_t, lgpd_scan, uint64_t p) {
  (void)env;
  RequireGrant(hcms::plugins::kGrantPersonalData);
  uint64_t result = 0;
  bool unavailable = false;
  {
    auto found = ScanPersonalData(BlockText(p));
    if (found) {
      result = AllocCopy(*found);
    } else {
      unavailable = true;
    }
  }
  if (unavailable) Fail(Outcome::kDenied, "lgpd_detector_unavailable");
  return result;
}
HCMS_HOST(uint64_t, now_unix_ms) {
  (void)env;
  RequireGrant(hcms::plugins::kGrantClock);
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec / 1000000);
}
HCMS_HOST(uint64_t, random_u64) {
  (void)env;
  RequireGrant(hcms::plugins::kGrantRandom);
  uint64_t v = 0;
  if (getrandom(&v, sizeof v, 0) != sizeof v) Fail(Outcome::kDenied, "random_unavailable");
  return v;
}

}  // extern "C"

namespace hcms::plugins::worker {
namespace {

struct Module {
  void* handle = nullptr;
  size_t (*instance_size)() = nullptr;
  void (*init_module)() = nullptr;
  void (*instantiate)(void*, void*) = nullptr;
  void (*free_instance)(void*) = nullptr;
  int (*call)(void*, const char*, unsigned*) = nullptr;
};

std::unordered_map<std::string, Module> g_modules;

const Module* LoadModule(const wire::CallRequest& req, std::string& error) {
  if (auto it = g_modules.find(req.module_key); it != g_modules.end()) return &it->second;
  Module m;
  m.handle = dlopen(req.library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (m.handle == nullptr) {
    const char* e = dlerror();
    error = e != nullptr ? e : "dlopen failed";
    return nullptr;
  }
  m.instance_size = reinterpret_cast<size_t (*)()>(dlsym(m.handle, "hcms_plugin_instance_size"));
  m.init_module = reinterpret_cast<void (*)()>(dlsym(m.handle, "hcms_plugin_init_module"));
  m.instantiate =
      reinterpret_cast<void (*)(void*, void*)>(dlsym(m.handle, "hcms_plugin_instantiate"));
  m.free_instance = reinterpret_cast<void (*)(void*)>(dlsym(m.handle, "hcms_plugin_free"));
  m.call =
      reinterpret_cast<int (*)(void*, const char*, unsigned*)>(dlsym(m.handle, "hcms_plugin_call"));
  if (!m.instance_size || !m.init_module || !m.instantiate || !m.free_instance || !m.call) {
    dlclose(m.handle);
    error = "not a compiled hcms plugin";
    return nullptr;
  }
  m.init_module();
  return &g_modules.emplace(req.module_key, m).first->second;
}

const char* TrapName(int trap) {
  switch (trap) {
    case WASM_RT_TRAP_OOB:
      return "out_of_bounds_or_stack_exhausted";
    case WASM_RT_TRAP_INT_OVERFLOW:
      return "integer_overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO:
      return "division_by_zero";
    case WASM_RT_TRAP_INVALID_CONVERSION:
      return "invalid_conversion";
    case WASM_RT_TRAP_UNREACHABLE:
      return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT:
      return "call_indirect";
    default:
      return "trap";
  }
}

// Instantiates and calls with the trap frame set. Only plain values live here:
// a trap longjmps back into this function.
int Guarded(const Module* m, void* inst, const char* fn, unsigned* rc, int* found,
            int* instantiated) {
  int trap = wasm_rt_impl_try();
  if (trap == 0) {
    m->instantiate(inst, nullptr);
    *instantiated = 1;
    *found = m->call(inst, fn, rc);
  }
  return trap;
}

wire::CallResponse Execute(const wire::CallRequest& req) {
  wire::CallResponse res;
  const int64_t start_us = wire::MonotonicMs();
  timespec t0{};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  std::string error;
  const Module* m = LoadModule(req, error);
  if (m == nullptr) {
    res.outcome = Outcome::kLoadFailed;
    res.detail = error;
    return res;
  }
  (void)start_us;
  Call call;
  call.req = &req;
  g_call = &call;
  g_memory_cap_pages = req.memory_pages;
  g_memory_limit_hit = false;
  g_guest_memory = nullptr;
  int trap = 0;
  {
    // The input is the first kernel block; a too-large input is a memory-limit error.
    if (req.input.size() + 16 > req.kernel_bytes) {
      res.outcome = Outcome::kMemoryLimit;
      res.detail = "kernel_memory";
      g_call = nullptr;
      return res;
    }
    call.input = AllocCopy(req.input);
    call.input_len = req.input.size();
  }
  void* inst = std::calloc(1, m->instance_size());
  unsigned rc = 0;
  int found = 0;
  int instantiated = 0;
  trap = Guarded(m, inst, req.function.c_str(), &rc, &found, &instantiated);
  res.guest_memory_bytes = g_guest_memory != nullptr ? g_guest_memory->size : 0;
  if (instantiated) m->free_instance(inst);
  std::free(inst);
  res.kernel_memory_bytes = call.mem.size();
  if (trap != 0) {
    if (call.failed) {
      res.outcome = call.fail;
      res.detail = call.fail_detail != nullptr ? call.fail_detail : "trap";
    } else if (g_memory_limit_hit) {
      res.outcome = Outcome::kMemoryLimit;
      res.detail = "guest_memory";
    } else {
      res.outcome = Outcome::kTrap;
      res.detail = TrapName(trap);
    }
  } else if (!found) {
    res.outcome = Outcome::kLoadFailed;
    res.detail = "function_not_found";
  } else {
    res.rc = static_cast<int32_t>(rc);
    if (rc != 0 || call.error_off != 0) {
      res.outcome = Outcome::kPluginError;
      if (call.error_off != 0) {
        auto b = call.blocks.find(call.error_off);
        if (b != call.blocks.end()) {
          res.detail.assign(reinterpret_cast<const char*>(call.mem.data() + b->first),
                            std::min<uint64_t>(b->second.len, 4096));
        }
      }
    } else if (call.output_set) {
      res.output.assign(reinterpret_cast<const char*>(call.mem.data() + call.output_off),
                        call.output_len);
    }
  }
  res.logs = std::move(call.logs);
  timespec t1{};
  clock_gettime(CLOCK_MONOTONIC, &t1);
  res.micros =
      static_cast<uint64_t>((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
  g_call = nullptr;
  return res;
}

// Process-wide limits, applied once before serving.
bool Harden(uint64_t address_space_mb) {
  // The worker must not outlive the server, even in the middle of a spinning call.
  // PR_SET_PDEATHSIG follows the parent *thread*, and the host spawns workers from
  // whichever thread needs one, so watch the parent process itself instead.
  const int parent = static_cast<int>(syscall(SYS_pidfd_open, getppid(), 0));
  if (parent < 0) return false;
  std::thread([parent] {
    pollfd p{parent, POLLIN, 0};
    while (poll(&p, 1, -1) < 0) {
    }
    _exit(0);
  }).detach();
  prctl(PR_SET_DUMPABLE, 0);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  rlimit zero{0, 0};
  setrlimit(RLIMIT_CORE, &zero);
  setrlimit(RLIMIT_FSIZE, &zero);
  if (address_space_mb > 0) {
    rlimit as{address_space_mb << 20, address_space_mb << 20};
    setrlimit(RLIMIT_AS, &as);
  }
  rlimit files{64, 64};
  setrlimit(RLIMIT_NOFILE, &files);

  // Deny what a worker never needs: the network, new programs and processes,
  // writing or deleting files, debugging other processes.
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return false;
  const uint32_t kill = SCMP_ACT_KILL_PROCESS;
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (int sc : {SCMP_SYS(socket),
                 SCMP_SYS(connect),
                 SCMP_SYS(bind),
                 SCMP_SYS(listen),
                 SCMP_SYS(accept),
                 SCMP_SYS(accept4),
                 SCMP_SYS(execve),
                 SCMP_SYS(execveat),
                 SCMP_SYS(fork),
                 SCMP_SYS(vfork),
                 SCMP_SYS(clone),
                 SCMP_SYS(clone3),
                 SCMP_SYS(ptrace),
                 SCMP_SYS(process_vm_readv),
                 SCMP_SYS(process_vm_writev),
                 SCMP_SYS(mount),
                 SCMP_SYS(umount2),
                 SCMP_SYS(pivot_root),
                 SCMP_SYS(chroot),
                 SCMP_SYS(unshare),
                 SCMP_SYS(setns),
                 SCMP_SYS(bpf),
                 SCMP_SYS(perf_event_open),
                 SCMP_SYS(userfaultfd),
                 SCMP_SYS(keyctl),
                 SCMP_SYS(init_module),
                 SCMP_SYS(finit_module),
                 SCMP_SYS(setuid),
                 SCMP_SYS(setgid)}) {
    if (seccomp_rule_add(ctx, kill, sc, 0) != 0) {
      seccomp_release(ctx);
      return false;
    }
  }
  for (int sc :
       {SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename), SCMP_SYS(renameat),
        SCMP_SYS(renameat2), SCMP_SYS(mkdir), SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(symlink),
        SCMP_SYS(symlinkat), SCMP_SYS(link), SCMP_SYS(linkat), SCMP_SYS(truncate), SCMP_SYS(chmod),
        SCMP_SYS(fchmodat), SCMP_SYS(chown), SCMP_SYS(fchownat), SCMP_SYS(creat)}) {
    seccomp_rule_add(ctx, eperm, sc, 0);
  }
  for (unsigned flag : {unsigned{O_WRONLY}, unsigned{O_RDWR}, unsigned{O_CREAT}}) {
    seccomp_rule_add(ctx, eperm, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, flag, flag));
    seccomp_rule_add(ctx, eperm, SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, flag, flag));
  }
  const bool ok = seccomp_load(ctx) == 0;
  seccomp_release(ctx);
  return ok;
}

}  // namespace
}  // namespace hcms::plugins::worker

// `hcms-plugin-worker compile in.wasm out.so prefix`: the build's translator for the
// built-in plugins (the same code the registry runs on upload).
int Compile(const char* in, const char* out, const char* prefix, const char* include_dir) {
  FILE* f = std::fopen(in, "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot open %s\n", in);
    return 1;
  }
  std::string bytes;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  auto mod = hcms::plugins::ParseWasmModule(bytes);
  if (!mod) {
    std::fprintf(stderr, "%s: %s\n", in, mod.error().internal().c_str());
    return 1;
  }
  hcms::plugins::CompileOptions options;
  if (include_dir != nullptr) options.runtime_include_dir = include_dir;
  auto s = hcms::plugins::CompileModule(*mod, prefix, out, options);
  if (!s) {
    std::fprintf(stderr, "%s: %s\n", in, s.error().ToLogString().c_str());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 5 && std::strcmp(argv[1], "compile") == 0) {
    return Compile(argv[2], argv[3], argv[4], argc >= 6 ? argv[5] : nullptr);
  }
  uint64_t address_space_mb = 0;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--address-space-mb") == 0) {
      address_space_mb = std::strtoull(argv[i + 1], nullptr, 10);
    }
  }
  if (!Harden(address_space_mb)) return 70;
  wasm_rt_init();
  while (true) {
    auto frame = hcms::plugins::wire::ReadFrame(kSocketFd, -1, 256u << 20, nullptr);
    if (!frame) return 0;
    auto req = hcms::plugins::wire::DecodeRequest(*frame);
    if (!req) return 65;
    const auto res = Execute(*req);
    if (!hcms::plugins::wire::WriteFrame(kSocketFd, hcms::plugins::wire::Encode(res))) return 0;
  }
}
