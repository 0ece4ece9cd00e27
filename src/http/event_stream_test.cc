#include "http/event_stream.h"

#include <atomic>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace hcms::http {
namespace {

TEST(EventStream, QueuesEventsNotifiesAndCloses) {
  EventStream s;
  std::atomic<int> wakes{0};
  s.PushEvent("run", "{\"a\":1}");
  s.SetNotify([&] { ++wakes; });  // data already queued: wakes at once
  EXPECT_EQ(wakes.load(), 1);
  s.PushEvent("step", "\"line1\nline2\"");
  EXPECT_EQ(wakes.load(), 2);
  auto batch = s.Drain();
  EXPECT_FALSE(batch.closed);
  EXPECT_FALSE(batch.overflowed);
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(SseFrame(batch.events[0]), "event: run\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(SseFrame(batch.events[1]), "event: step\ndata: \"line1 line2\"\n\n");  // one line
  s.Close();
  EXPECT_EQ(wakes.load(), 3);
  s.PushEvent("late", "{}");
  batch = s.Drain();
  EXPECT_TRUE(batch.closed);
  EXPECT_TRUE(batch.events.empty());
}

TEST(EventStream, WebSocketMessagesAreJsonObjects) {
  const std::string m = WebSocketMessage({"step_finished", R"({"stage":"s1.2","status":"ok"})"});
  EXPECT_EQ(m, R"({"event":"step_finished","data":{"stage":"s1.2","status":"ok"}})");
  const auto j = nlohmann::json::parse(m);
  EXPECT_EQ(j["data"]["stage"], "s1.2");
  // A hostile name cannot break out of its string; empty data is null.
  EXPECT_TRUE(nlohmann::json::accept(WebSocketMessage({"a\"b\\c\n", ""})));
}

TEST(EventStream, AFullQueueMarksTheStreamOverflowed) {
  EventStream s(3);
  for (int i = 0; i < 5; ++i) s.PushEvent("n", std::to_string(i));
  auto batch = s.Drain();
  EXPECT_TRUE(batch.overflowed);
  EXPECT_EQ(batch.events.size(), 3u);  // what fitted; the rest was refused
  s.PushEvent("n", "9");               // nothing is accepted after an overflow
  EXPECT_TRUE(s.Drain().events.empty());
}

TEST(EventStream, CancelReleasesWhatItHolds) {
  EventStream s;
  auto resource = std::make_shared<int>(7);
  std::weak_ptr<int> weak = resource;
  s.Hold(std::move(resource));
  EXPECT_FALSE(weak.expired());
  s.Cancel();
  EXPECT_TRUE(weak.expired());
  EXPECT_TRUE(s.cancelled());
  s.PushEvent("ignored", "{}");
  EXPECT_TRUE(s.Drain().events.empty());
}

}  // namespace
}  // namespace hcms::http
