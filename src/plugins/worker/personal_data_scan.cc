#include "plugins/worker/personal_data_scan.h"

#include "plugins/wire.h"

namespace hcms::plugins::worker {

// The detector lives in the server (built once, shared by every worker): ask it over
// the worker's socket and wait. The host's deadline for the call covers this wait.
std::optional<std::string> ScanPersonalData(std::string_view text) {
  constexpr int kSocketFd = 3;
  if (!wire::WriteFrame(kSocketFd,
                        wire::Encode(wire::HostRequest{"lgpd_scan", std::string(text)}))) {
    return std::nullopt;
  }
  auto frame = wire::ReadFrame(kSocketFd, -1, 256u << 20, nullptr);
  if (!frame) return std::nullopt;
  auto res = wire::DecodeHostResponse(*frame);
  if (!res || !res->ok) return std::nullopt;
  return std::move(res->payload);
}

}  // namespace hcms::plugins::worker
