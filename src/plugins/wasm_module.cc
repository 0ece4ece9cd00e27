#include "plugins/wasm_module.h"

#include <fmt/format.h>

namespace hcms::plugins {

namespace {

constexpr uint8_t kTypeSection = 1;
constexpr uint8_t kImportSection = 2;
constexpr uint8_t kFunctionSection = 3;
constexpr uint8_t kMemorySection = 5;
constexpr uint8_t kExportSection = 7;

std::unexpected<Error> Invalid(std::string what) {
  return std::unexpected(Error(ErrorKind::kInvalidArgument, "plugin_module_invalid",
                               "O arquivo não é um módulo WebAssembly aceito: " + what, what));
}

// A bounds-checked reader over the module bytes.
class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  bool done() const { return i_ >= n_; }
  size_t pos() const { return i_; }
  size_t left() const { return n_ - i_; }

  bool Byte(uint8_t& out) {
    if (i_ >= n_) return false;
    out = p_[i_++];
    return true;
  }
  bool U32(uint32_t& out) {
    uint64_t result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      uint8_t b;
      if (!Byte(b)) return false;
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (result > 0xffffffffu) return false;
        out = static_cast<uint32_t>(result);
        return true;
      }
    }
    return false;
  }
  bool Skip(size_t k) {
    if (k > left()) return false;
    i_ += k;
    return true;
  }
  bool Name(std::string& out) {
    uint32_t len;
    if (!U32(len) || len > left()) return false;
    out.assign(reinterpret_cast<const char*>(p_ + i_), len);
    i_ += len;
    return true;
  }
  bool Limits(uint32_t& initial, std::optional<uint32_t>& max) {
    uint8_t flags;
    if (!Byte(flags) || flags > 1 || !U32(initial)) return false;
    if (flags == 1) {
      uint32_t m;
      if (!U32(m)) return false;
      max = m;
    }
    return true;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t i_ = 0;
};

// i32 -> 'i', i64 -> 'j', f32 -> 'f', f64 -> 'd', anything else (v128, references) -> '?'.
char ValueTypeLetter(uint8_t t) {
  switch (t) {
    case 0x7f:
      return 'i';
    case 0x7e:
      return 'j';
    case 0x7d:
      return 'f';
    case 0x7c:
      return 'd';
    default:
      return '?';
  }
}

}  // namespace

bool IsSafeWasmName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<WasmModuleInfo> ParseWasmModule(std::string_view bytes) {
  return ParseWasmModule(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

Result<WasmModuleInfo> ParseWasmModule(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (bytes.size() < 8 || !std::equal(kHeader, kHeader + 8, bytes.begin())) {
    return Invalid("cabeçalho ausente ou versão não suportada");
  }
  WasmModuleInfo info;
  info.stripped.assign(reinterpret_cast<const char*>(bytes.data()), 8);
  Reader r(bytes.data() + 8, bytes.size() - 8);

  // Function types: whether each is () -> i32. Function section: type per defined function.
  std::vector<bool> type_is_entry;
  std::vector<std::string> type_sigs;
  std::vector<uint32_t> func_types;  // index space: imported functions first
  uint8_t last_id = 0;
  while (!r.done()) {
    const size_t section_start = r.pos() + 8;
    uint8_t id;
    uint32_t size;
    if (!r.Byte(id) || !r.U32(size) || size > r.left()) return Invalid("seção truncada");
    const size_t body = r.pos() + 8;
    if (id > 12) return Invalid(fmt::format("seção desconhecida {}", id));
    if (id != 0) {
      // Known sections appear once, in order (data count, 12, sits between 9 and 10).
      auto order = [](uint8_t s) { return s == 12 ? 9.5 : static_cast<double>(s); };
      if (last_id != 0 && order(id) <= order(last_id)) return Invalid("seções fora de ordem");
      last_id = id;
      info.stripped.append(reinterpret_cast<const char*>(bytes.data()) + section_start,
                           body - section_start + size);
    }
    Reader s(bytes.data() + body, size);
    uint32_t count = 0;
    if (id == kTypeSection || id == kImportSection || id == kFunctionSection ||
        id == kMemorySection || id == kExportSection) {
      if (!s.U32(count)) return Invalid("seção truncada");
    }
    switch (id) {
      case kTypeSection:
        for (uint32_t i = 0; i < count; ++i) {
          uint8_t form;
          if (!s.Byte(form) || form != 0x60) return Invalid("tipo de função inválido");
          std::string sig;
          for (int part = 0; part < 2; ++part) {
            uint32_t n;
            if (!s.U32(n) || n > s.left()) return Invalid("tipo de função inválido");
            for (uint32_t k = 0; k < n; ++k) {
              uint8_t t;
              if (!s.Byte(t)) return Invalid("tipo de função inválido");
              sig += ValueTypeLetter(t);
            }
            if (part == 0) sig += ':';
          }
          type_is_entry.push_back(sig == ":i");
          type_sigs.push_back(std::move(sig));
        }
        break;
      case kImportSection:
        for (uint32_t i = 0; i < count; ++i) {
          WasmImport imp;
          uint8_t kind;
          if (!s.Name(imp.module) || !s.Name(imp.name) || !s.Byte(kind)) {
            return Invalid("importação truncada");
          }
          if (!IsSafeWasmName(imp.module) || !IsSafeWasmName(imp.name)) {
            return Invalid("nome de importação com caracteres não permitidos");
          }
          if (kind != 0) {
            return Invalid(fmt::format("importação de memória, tabela ou global ({}/{})",
                                       imp.module, imp.name));
          }
          uint32_t type;
          if (!s.U32(type) || type >= type_is_entry.size()) return Invalid("importação inválida");
          func_types.push_back(type);
          imp.signature = type_sigs[type];
          info.imports.push_back(std::move(imp));
        }
        break;
      case kFunctionSection:
        for (uint32_t i = 0; i < count; ++i) {
          uint32_t type;
          if (!s.U32(type) || type >= type_is_entry.size()) return Invalid("função inválida");
          func_types.push_back(type);
        }
        break;
      case kMemorySection:
        if (count > 1) return Invalid("mais de uma memória");
        if (count == 1) {
          info.has_memory = true;
          if (!s.Limits(info.memory_initial_pages, info.memory_max_pages)) {
            return Invalid("limites de memória inválidos");
          }
          if (info.memory_initial_pages > 65536 ||
              (info.memory_max_pages && (*info.memory_max_pages > 65536 ||
                                         *info.memory_max_pages < info.memory_initial_pages))) {
            return Invalid("limites de memória inválidos");
          }
        }
        break;
      case kExportSection:
        for (uint32_t i = 0; i < count; ++i) {
          WasmExport e;
          uint32_t index;
          if (!s.Name(e.name) || !s.Byte(e.kind) || !s.U32(index) || e.kind > 3) {
            return Invalid("exportação truncada");
          }
          if (!IsSafeWasmName(e.name)) {
            return Invalid("nome de exportação com caracteres não permitidos");
          }
          if (e.kind == 0) {
            if (index >= func_types.size()) return Invalid("exportação de função inexistente");
            e.plugin_function = type_is_entry[func_types[index]];
          }
          info.exports.push_back(std::move(e));
        }
        break;
      default:
        break;
    }
    if (!r.Skip(size)) return Invalid("seção truncada");
  }
  return info;
}

}  // namespace hcms::plugins
