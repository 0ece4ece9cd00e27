#include "lgpd/master_key.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "core/random.h"

namespace hcms::lgpd {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<MasterKey> LoadOrCreateMasterKey(const std::string& path) {
  MasterKey key{};
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
      text.pop_back();
    bool ok = text.size() == 64;
    for (size_t i = 0; ok && i < 32; ++i) {
      const int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
      ok = hi >= 0 && lo >= 0;
      key[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    if (!ok) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "key_file_invalid",
                "Arquivo da chave LGPD inválido (64 dígitos hexadecimais): " + path));
    }
    return key;
  }
  RandomBytes(key);
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  {
    const mode_t old = ::umask(077);
    std::ofstream out(tmp, std::ios::trunc);
    ::umask(old);
    out << HexEncode(key) << "\n";
    if (!out) return Unavailable("key_file_unwritable", "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("key_file_unwritable", ec.message());
  return key;
}

}  // namespace hcms::lgpd
