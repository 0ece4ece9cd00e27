// The messages between the plugin host (server side) and a worker process, over a
// Unix socket pair: a little-endian u32 length, a type byte, then the fields in
// order. Strings are a u32 length and bytes.
//
// A call is one CallRequest from the host and one CallResponse from the worker. In
// between, a guest calling a host function that lives in the server (lgpd_scan: the
// detector is built once, in the server) makes the worker send a HostRequest and
// wait for the HostResponse.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcms::plugins::wire {

struct CallRequest {
  std::string module_key;    // cache key in the worker (the module's SHA-256)
  std::string library_path;  // the compiled shared object
  std::string function;      // exported entry point, () -> i32
  std::string input;
  std::map<std::string, std::string> config;
  uint32_t grants = 0;
  uint32_t memory_pages = 1024;      // guest linear memory cap (64 KiB pages)
  uint64_t kernel_bytes = 64 << 20;  // Extism kernel memory cap (inputs, outputs, allocations)
  uint64_t max_output_bytes = 4 << 20;
  uint32_t log_level = 2;  // 0 trace .. 4 error; lower levels are dropped
};

enum class Outcome : uint8_t {
  kOk = 0,
  kPluginError = 1,  // non-zero return code or error_set
  kTrap = 2,         // wasm trap (detail: kind)
  kLoadFailed = 3,   // the shared object or the function cannot be loaded
  kMemoryLimit = 4,  // guest or kernel memory over the cap
  kOutputTooLarge = 5,
  kDenied = 6,  // a host function not granted, or a network request
};

struct LogLine {
  uint8_t level = 2;
  std::string text;
};

struct CallResponse {
  Outcome outcome = Outcome::kOk;
  int32_t rc = 0;
  std::string output;
  std::string detail;  // trap kind, load error, or the plugin's error message
  std::vector<LogLine> logs;
  uint64_t guest_memory_bytes = 0;
  uint64_t kernel_memory_bytes = 0;
  uint64_t micros = 0;
};

enum class FrameType : uint8_t {
  kCall = 'C',
  kResult = 'R',
  kHostRequest = 'H',
  kHostResponse = 'h'
};

struct HostRequest {
  std::string function;  // "lgpd_scan"
  std::string payload;
};

struct HostResponse {
  bool ok = false;  // false: the function has no backend here (payload: reason)
  std::string payload;
};

// The type of a frame (its first byte), or nullopt for an empty or unknown frame.
std::optional<FrameType> TypeOf(std::string_view frame);

std::string Encode(const HostRequest& r);
std::string Encode(const HostResponse& r);
std::optional<HostRequest> DecodeHostRequest(std::string_view frame);
std::optional<HostResponse> DecodeHostResponse(std::string_view frame);

std::string Encode(const CallRequest& r);
std::string Encode(const CallResponse& r);
std::optional<CallRequest> DecodeRequest(std::string_view frame);
std::optional<CallResponse> DecodeResponse(std::string_view frame);

// Blocking frame I/O on a socket. false on EOF or error.
bool WriteFrame(int fd, std::string_view payload);
// Reads one frame; gives up at `deadline_ms` (monotonic milliseconds, -1 = none).
// Returns nullopt on EOF, error, timeout (then *timed_out is set) or a frame over
// `max_bytes`.
std::optional<std::string> ReadFrame(int fd, int64_t deadline_ms, size_t max_bytes,
                                     bool* timed_out);
int64_t MonotonicMs();

}  // namespace hcms::plugins::wire
