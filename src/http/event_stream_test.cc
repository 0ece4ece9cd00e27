#include "http/event_stream.h"

#include <atomic>

#include <gtest/gtest.h>

namespace hcms::http {
namespace {

TEST(EventStream, QueuesFramesNotifiesAndCloses) {
  EventStream s;
  std::atomic<int> wakes{0};
  s.PushEvent("run", "{\"a\":1}");
  s.SetNotify([&] { ++wakes; });  // data already queued: wakes at once
  EXPECT_EQ(wakes.load(), 1);
  s.PushEvent("step", "line1\nline2");
  EXPECT_EQ(wakes.load(), 2);
  bool closed = true;
  auto frames = s.Drain(&closed);
  EXPECT_FALSE(closed);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], "event: run\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(frames[1], "event: step\ndata: line1 line2\n\n");  // one data line
  s.Close();
  EXPECT_EQ(wakes.load(), 3);
  s.Push("late");
  frames = s.Drain(&closed);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(frames.empty());
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
  s.Push("ignored");
  bool closed = false;
  EXPECT_TRUE(s.Drain(&closed).empty());
}

}  // namespace
}  // namespace hcms::http
