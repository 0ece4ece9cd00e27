// A response body that is produced over time: Server-Sent Events
// (text/event-stream). A handler returns a Response whose `stream` is set; the
// server sends the status and headers, then writes whatever the producer pushes,
// until the producer closes the stream, the client goes away or the server stops.
//
//   auto stream = std::make_shared<http::EventStream>();
//   stream->PushEvent("step_finished", R"({"stage":"s1.2"})");   // any thread
//   stream->Close();
//   Response r(200, "text/event-stream", "");
//   r.stream = stream;
//
// Thread-safe: producers push from any thread; the server drains on its I/O thread.

#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hcms::http {

class EventStream {
 public:
  EventStream() = default;
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Queues raw bytes. Ignored after Close() or once the client is gone.
  void Push(std::string bytes);
  // Queues one SSE event: "event: <name>\ndata: <data>\n\n" (data must be one line).
  void PushEvent(std::string_view name, std::string_view data);
  // No more data: the server finishes the response after what is queued.
  void Close();

  // Keeps `resource` alive as long as the stream (a subscription, for instance).
  void Hold(std::shared_ptr<void> resource);

  // Server side. `notify` is called (from any thread) when data or Close arrives.
  void SetNotify(std::function<void()> notify);
  // Takes what is queued; *closed tells whether the producer has finished.
  std::vector<std::string> Drain(bool* closed);
  // The client is gone or the server stops: drops the held resources.
  void Cancel();
  bool cancelled() const;

 private:
  void Notify(std::unique_lock<std::mutex>& lock);
  mutable std::mutex mu_;
  std::vector<std::string> queue_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::function<void()> notify_;
  std::vector<std::shared_ptr<void>> held_;
};

}  // namespace hcms::http
