// Ahead-of-time translation of a WebAssembly module into native code:
// wasm2c (Debian's wabt) turns the module into C with explicit bounds checks and a
// call-depth counter, and the C compiler builds a shared object that a worker
// process loads (see worker.h). The built-in stage plugins go through the same path
// at build time; uploaded plugins at upload.
//
// The shared object exports a small uniform interface (hcms_plugin_*), generated
// here from wasm2c's header, so the worker never needs to know a module's layout.

#pragma once

#include <chrono>
#include <string>

#include "core/error.h"
#include "plugins/wasm_module.h"

namespace hcms::plugins {

struct CompileOptions {
  std::string wasm2c = "wasm2c";
  std::string cc = "cc";
  std::string runtime_include_dir = "/usr/include";  // where wasm-rt.h lives
  std::string work_dir;                              // scratch files go in a subdirectory
  std::chrono::milliseconds timeout{120000};
  int max_call_depth = 1000;  // wasm calls deeper than this trap (stack exhaustion)
};

// Translates `module.stripped` and writes the shared object to `output_path`
// (atomically: a temporary file, then rename). `symbol_prefix` names the module in C
// ([a-z0-9_], unique per module, e.g. "p" + the first 16 hex digits of its SHA-256).
// kInvalidArgument "plugin_module_invalid" when wasm2c rejects the module;
// kUnavailable "plugin_toolchain_missing" / kInternal "plugin_compile_failed" otherwise.
Status CompileModule(const WasmModuleInfo& module, std::string_view symbol_prefix,
                     const std::string& output_path, const CompileOptions& options);

// The C source of the uniform interface for wasm2c's header text `header`
// (exposed for tests). kInternal when the header is not what wasm2c 1.0.32 writes.
Result<std::string> GenerateGlue(std::string_view header, std::string_view symbol_prefix,
                                 std::string_view header_name);

}  // namespace hcms::plugins
