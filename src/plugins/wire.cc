#include "plugins/wire.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hcms::plugins::wire {

namespace {

class Writer {
 public:
  void U8(uint8_t v) { s_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) s_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) s_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void Str(std::string_view v) {
    U32(static_cast<uint32_t>(v.size()));
    s_.append(v);
  }
  std::string Take() { return std::move(s_); }

 private:
  std::string s_;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool ok() const { return ok_; }
  bool done() const { return i_ == s_.size(); }
  uint8_t U8() {
    if (i_ + 1 > s_.size()) return Fail<uint8_t>();
    return static_cast<uint8_t>(s_[i_++]);
  }
  uint32_t U32() {
    if (i_ + 4 > s_.size()) return Fail<uint32_t>();
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k)
      v |= static_cast<uint32_t>(static_cast<uint8_t>(s_[i_++])) << (8 * k);
    return v;
  }
  uint64_t U64() {
    if (i_ + 8 > s_.size()) return Fail<uint64_t>();
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(s_[i_++])) << (8 * k);
    return v;
  }
  std::string Str() {
    const uint32_t n = U32();
    if (!ok_ || n > s_.size() - i_) return Fail<std::string>();
    std::string v(s_.substr(i_, n));
    i_ += n;
    return v;
  }

 private:
  template <class T>
  T Fail() {
    ok_ = false;
    i_ = s_.size();
    return T{};
  }
  std::string_view s_;
  size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<FrameType> TypeOf(std::string_view frame) {
  if (frame.empty()) return std::nullopt;
  const auto t = static_cast<FrameType>(frame[0]);
  if (t != FrameType::kCall && t != FrameType::kResult && t != FrameType::kHostRequest &&
      t != FrameType::kHostResponse) {
    return std::nullopt;
  }
  return t;
}

namespace {
// Strips the type byte when it is `t`.
std::optional<std::string_view> Body(std::string_view frame, FrameType t) {
  if (TypeOf(frame) != t) return std::nullopt;
  return frame.substr(1);
}
}  // namespace

std::string Encode(const HostRequest& r) {
  Writer w;
  w.U8(static_cast<uint8_t>(FrameType::kHostRequest));
  w.Str(r.function);
  w.Str(r.payload);
  return w.Take();
}

std::string Encode(const HostResponse& r) {
  Writer w;
  w.U8(static_cast<uint8_t>(FrameType::kHostResponse));
  w.U8(r.ok ? 1 : 0);
  w.Str(r.payload);
  return w.Take();
}

std::optional<HostRequest> DecodeHostRequest(std::string_view frame) {
  auto body = Body(frame, FrameType::kHostRequest);
  if (!body) return std::nullopt;
  Reader rd(*body);
  HostRequest r;
  r.function = rd.Str();
  r.payload = rd.Str();
  if (!rd.ok() || !rd.done()) return std::nullopt;
  return r;
}

std::optional<HostResponse> DecodeHostResponse(std::string_view frame) {
  auto body = Body(frame, FrameType::kHostResponse);
  if (!body) return std::nullopt;
  Reader rd(*body);
  HostResponse r;
  r.ok = rd.U8() == 1;
  r.payload = rd.Str();
  if (!rd.ok() || !rd.done()) return std::nullopt;
  return r;
}

std::string Encode(const CallRequest& r) {
  Writer w;
  w.U8(static_cast<uint8_t>(FrameType::kCall));
  w.Str(r.module_key);
  w.Str(r.library_path);
  w.Str(r.function);
  w.Str(r.input);
  w.U32(static_cast<uint32_t>(r.config.size()));
  for (const auto& [k, v] : r.config) {
    w.Str(k);
    w.Str(v);
  }
  w.U32(r.grants);
  w.U32(r.memory_pages);
  w.U64(r.kernel_bytes);
  w.U64(r.max_output_bytes);
  w.U32(r.log_level);
  return w.Take();
}

std::optional<CallRequest> DecodeRequest(std::string_view frame) {
  auto body = Body(frame, FrameType::kCall);
  if (!body) return std::nullopt;
  Reader rd(*body);
  CallRequest r;
  r.module_key = rd.Str();
  r.library_path = rd.Str();
  r.function = rd.Str();
  r.input = rd.Str();
  const uint32_t n = rd.U32();
  for (uint32_t i = 0; i < n && rd.ok(); ++i) {
    std::string k = rd.Str();
    r.config[std::move(k)] = rd.Str();
  }
  r.grants = rd.U32();
  r.memory_pages = rd.U32();
  r.kernel_bytes = rd.U64();
  r.max_output_bytes = rd.U64();
  r.log_level = rd.U32();
  if (!rd.ok() || !rd.done()) return std::nullopt;
  return r;
}

std::string Encode(const CallResponse& r) {
  Writer w;
  w.U8(static_cast<uint8_t>(FrameType::kResult));
  w.U8(static_cast<uint8_t>(r.outcome));
  w.U32(static_cast<uint32_t>(r.rc));
  w.Str(r.output);
  w.Str(r.detail);
  w.U32(static_cast<uint32_t>(r.logs.size()));
  for (const auto& l : r.logs) {
    w.U8(l.level);
    w.Str(l.text);
  }
  w.U64(r.guest_memory_bytes);
  w.U64(r.kernel_memory_bytes);
  w.U64(r.micros);
  return w.Take();
}

std::optional<CallResponse> DecodeResponse(std::string_view frame) {
  auto body = Body(frame, FrameType::kResult);
  if (!body) return std::nullopt;
  Reader rd(*body);
  CallResponse r;
  const uint8_t outcome = rd.U8();
  if (outcome > static_cast<uint8_t>(Outcome::kDenied)) return std::nullopt;
  r.outcome = static_cast<Outcome>(outcome);
  r.rc = static_cast<int32_t>(rd.U32());
  r.output = rd.Str();
  r.detail = rd.Str();
  const uint32_t n = rd.U32();
  for (uint32_t i = 0; i < n && rd.ok(); ++i) {
    LogLine l;
    l.level = rd.U8();
    l.text = rd.Str();
    r.logs.push_back(std::move(l));
  }
  r.guest_memory_bytes = rd.U64();
  r.kernel_memory_bytes = rd.U64();
  r.micros = rd.U64();
  if (!rd.ok() || !rd.done()) return std::nullopt;
  return r;
}

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool WriteFrame(int fd, std::string_view payload) {
  char head[4];
  const auto n = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) head[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  auto send_all = [fd](const char* p, size_t len) {
    while (len > 0) {
      const ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      p += w;
      len -= static_cast<size_t>(w);
    }
    return true;
  };
  return send_all(head, 4) && send_all(payload.data(), payload.size());
}

std::optional<std::string> ReadFrame(int fd, int64_t deadline_ms, size_t max_bytes,
                                     bool* timed_out) {
  if (timed_out != nullptr) *timed_out = false;
  auto read_exact = [&](char* p, size_t len) {
    while (len > 0) {
      if (deadline_ms >= 0) {
        const int64_t left = deadline_ms - MonotonicMs();
        if (left <= 0) {
          if (timed_out != nullptr) *timed_out = true;
          return false;
        }
        pollfd pfd{fd, POLLIN, 0};
        const int pr = poll(&pfd, 1, static_cast<int>(left));
        if (pr < 0 && errno == EINTR) continue;
        if (pr == 0) {
          if (timed_out != nullptr) *timed_out = true;
          return false;
        }
        if (pr < 0) return false;
      }
      const ssize_t r = read(fd, p, len);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      p += r;
      len -= static_cast<size_t>(r);
    }
    return true;
  };
  char head[4];
  if (!read_exact(head, 4)) return std::nullopt;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<uint8_t>(head[i])) << (8 * i);
  if (n > max_bytes) return std::nullopt;
  std::string payload(n, '\0');
  if (!read_exact(payload.data(), n)) return std::nullopt;
  return payload;
}

}  // namespace hcms::plugins::wire
