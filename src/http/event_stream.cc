#include "http/event_stream.h"

namespace hcms::http {

std::string SseFrame(const StreamEvent& e) {
  std::string frame;
  frame.reserve(e.name.size() + e.data.size() + 16);
  frame.append("event: ").append(e.name).append("\ndata: ");
  for (char c : e.data) frame.push_back(c == '\n' || c == '\r' ? ' ' : c);
  frame.append("\n\n");
  return frame;
}

std::string WebSocketMessage(const StreamEvent& e) {
  std::string msg;
  msg.reserve(e.name.size() + e.data.size() + 20);
  msg.append("{\"event\":\"");
  for (char c : e.name) {
    // Event names are identifiers; anything that would need escaping is dropped.
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) msg.push_back(c);
  }
  msg.append("\",\"data\":").append(e.data.empty() ? std::string_view("null") : e.data);
  msg.push_back('}');
  return msg;
}

void EventStream::Notify(std::unique_lock<std::mutex>& lock) {
  auto notify = notify_;
  lock.unlock();
  if (notify) notify();
}

void EventStream::PushEvent(std::string_view name, std::string_view data) {
  std::unique_lock lock(mu_);
  if (closed_ || cancelled_ || overflowed_) return;
  if (queue_.size() >= max_queued_) {
    overflowed_ = true;
  } else {
    queue_.push_back({std::string(name), std::string(data)});
  }
  Notify(lock);
}

void EventStream::Close() {
  std::unique_lock lock(mu_);
  if (closed_) return;
  closed_ = true;
  Notify(lock);
}

void EventStream::Hold(std::shared_ptr<void> resource) {
  std::lock_guard lock(mu_);
  if (!cancelled_) held_.push_back(std::move(resource));
}

void EventStream::SetNotify(std::function<void()> notify) {
  std::unique_lock lock(mu_);
  notify_ = std::move(notify);
  const bool pending = !queue_.empty() || closed_ || overflowed_;
  if (pending) Notify(lock);
}

EventStream::Batch EventStream::Drain() {
  std::lock_guard lock(mu_);
  Batch b;
  b.events.swap(queue_);
  b.closed = closed_;
  b.overflowed = overflowed_;
  return b;
}

void EventStream::Cancel() {
  std::vector<std::shared_ptr<void>> held;
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    notify_ = nullptr;
    held.swap(held_);
  }
  // `held` (subscriptions) are released here, outside the lock.
}

bool EventStream::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

}  // namespace hcms::http
