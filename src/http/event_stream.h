// A response body that is produced over time: progress events sent as Server-Sent
// Events (text/event-stream) or, when the client asked for it with
// `Upgrade: websocket`, as WebSocket text messages (RFC 6455). A handler returns a
// Response whose `stream` is set; the server sends the head (or completes the
// WebSocket handshake), then writes whatever the producer pushes, until the
// producer closes the stream, the client goes away or the server stops.
//
//   auto stream = std::make_shared<http::EventStream>();
//   stream->PushEvent("step_finished", R"({"stage":"s1.2"})");   // any thread
//   stream->Close();
//   Response r(200, "text/event-stream", "");
//   r.stream = stream;
//
// On the wire, one event is
//   SSE:        "event: step_finished\ndata: {\"stage\":\"s1.2\"}\n\n"
//   WebSocket:  {"event":"step_finished","data":{"stage":"s1.2"}}   (one text message)
//
// The queue is bounded (the per-connection send queue): a client that does not read
// fast enough lets it fill, the stream is then marked overflowed and the server ends
// the connection (WebSocket close code 1013, "try again later") instead of buffering
// without limit.
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

struct StreamEvent {
  std::string name;  // SSE "event:" field, WebSocket "event" member
  std::string data;  // one line of JSON text
};

// "event: <name>\ndata: <data>\n\n" (line breaks in data become spaces).
std::string SseFrame(const StreamEvent& event);
// {"event":"<name>","data":<data>}: `data` is embedded as it is (JSON text).
std::string WebSocketMessage(const StreamEvent& event);

class EventStream {
 public:
  static constexpr size_t kDefaultMaxQueued = 256;

  explicit EventStream(size_t max_queued = kDefaultMaxQueued) : max_queued_(max_queued) {}
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Queues one event; `data` must be JSON text. Ignored after Close(), once the
  // client is gone, or when the queue is full (which marks the stream overflowed).
  void PushEvent(std::string_view name, std::string_view data);
  // No more data: the server finishes the response after what is queued.
  void Close();

  // Keeps `resource` alive as long as the stream (a subscription, for instance).
  void Hold(std::shared_ptr<void> resource);

  // Server side. `notify` is called (from any thread) when data or Close arrives.
  void SetNotify(std::function<void()> notify);
  struct Batch {
    std::vector<StreamEvent> events;
    bool closed = false;      // the producer has finished
    bool overflowed = false;  // the client fell behind: end the connection
  };
  // Takes what is queued.
  Batch Drain();
  // The client is gone or the server stops: drops the held resources.
  void Cancel();
  bool cancelled() const;

 private:
  void Notify(std::unique_lock<std::mutex>& lock);
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::vector<StreamEvent> queue_;
  bool closed_ = false;
  bool cancelled_ = false;
  bool overflowed_ = false;
  std::function<void()> notify_;
  std::vector<std::shared_ptr<void>> held_;
};

}  // namespace hcms::http
