// The access log: one JSON object per request, on standard output or a file.
//
//   {"ts":"2026-11-24T13:05:09.123456Z","request_id":"5f0c...","method":"GET",
//    "route":"/api/v1/posts/{id}","path":"/api/v1/posts/12","status":200,"bytes":512,
//    "duration_ms":0.412,"remote":"203.0.113.0"}
//
// No query strings and no bodies (they can carry personal data); the client address
// is anonymised. Thread-safe.

#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "core/error.h"
#include "http/server.h"

namespace hcms::http {

class AccessLog final : public ServerObserver {
 public:
  // Empty path: standard output. Fails with kUnavailable if the file cannot be opened.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path);
  ~AccessLog() override;

  void OnRequestEnd(const Exchange& exchange) override;
  // The line that would be written (tests).
  static std::string Format(const Exchange& exchange, std::string_view timestamp);

 private:
  AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  std::mutex mu_;
  std::FILE* file_;
  bool owned_;
};

// Sends each event to several observers, in order.
class ObserverFanout final : public ServerObserver {
 public:
  void Add(ServerObserver* o) { observers_.push_back(o); }
  void OnRequestStart() override {
    for (auto* o : observers_) o->OnRequestStart();
  }
  void OnRequestEnd(const Exchange& x) override {
    for (auto* o : observers_) o->OnRequestEnd(x);
  }

 private:
  std::vector<ServerObserver*> observers_;
};

}  // namespace hcms::http
