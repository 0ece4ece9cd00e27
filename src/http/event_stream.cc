#include "http/event_stream.h"

namespace hcms::http {

void EventStream::Notify(std::unique_lock<std::mutex>& lock) {
  auto notify = notify_;
  lock.unlock();
  if (notify) notify();
}

void EventStream::Push(std::string bytes) {
  std::unique_lock lock(mu_);
  if (closed_ || cancelled_) return;
  queue_.push_back(std::move(bytes));
  Notify(lock);
}

void EventStream::PushEvent(std::string_view name, std::string_view data) {
  std::string frame;
  frame.reserve(name.size() + data.size() + 16);
  frame.append("event: ").append(name).append("\ndata: ");
  for (char c : data) frame.push_back(c == '\n' || c == '\r' ? ' ' : c);
  frame.append("\n\n");
  Push(std::move(frame));
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
  const bool pending = !queue_.empty() || closed_;
  if (pending) Notify(lock);
}

std::vector<std::string> EventStream::Drain(bool* closed) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.swap(queue_);
  *closed = closed_;
  return out;
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
