// A WebAssembly binary's outline: imports, exports and memory limits, read before a
// module is accepted by the plugin registry.
//
// This is not a full validator (wasm2c validates every function body when the
// module is translated); it checks the structure, refuses what the host never
// supports (imported memories, tables or globals, more than one memory, names with
// characters outside [A-Za-z0-9_.:/-]) and returns a copy of the module without
// custom sections, which is what gets translated and stored.
//
//   HCMS_TRY(auto mod, ParseWasmModule(bytes));
//   for (const auto& imp : mod.imports) ...

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

namespace hcms::plugins {

struct WasmImport {
  std::string module;
  std::string name;
  // Parameter and result types as letters, "params:results" with i = i32, j = i64,
  // f = f32, d = f64: "j:j" is (i64) -> i64.
  std::string signature;
};

struct WasmExport {
  std::string name;
  uint8_t kind = 0;              // 0 function, 1 table, 2 memory, 3 global
  bool plugin_function = false;  // a function of type () -> i32 (an Extism entry point)
};

struct WasmModuleInfo {
  std::vector<WasmImport> imports;  // functions only (anything else is refused)
  std::vector<WasmExport> exports;
  uint32_t memory_initial_pages = 0;
  std::optional<uint32_t> memory_max_pages;  // nullopt: no maximum declared
  bool has_memory = false;
  std::string stripped;  // the module without custom sections
};

// kInvalidArgument "plugin_module_invalid" (detail in pt-BR says what is wrong) when
// the bytes are not a well-formed module this host can run.
Result<WasmModuleInfo> ParseWasmModule(std::span<const uint8_t> bytes);
Result<WasmModuleInfo> ParseWasmModule(std::string_view bytes);

// True for names the host accepts: 1-128 characters of [A-Za-z0-9_.:/-].
bool IsSafeWasmName(std::string_view name);

}  // namespace hcms::plugins
