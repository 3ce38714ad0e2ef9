#include <gtest/gtest.h>

#include <string>

#include "line_reader.h"

namespace tp::app {
namespace {

using Event = LineReader::Event;

std::vector<std::pair<Event, std::string>> feed(LineReader& r, const std::string& bytes) {
  std::vector<std::pair<Event, std::string>> out;
  for (unsigned char c : bytes) {
    const Event e = r.feed(c);
    if (e != Event::kNone) out.emplace_back(e, std::string(r.line(), r.length()));
  }
  return out;
}

TEST(LineReader, SplitsOnPercentAndDropsCrLf) {
  LineReader r;
  auto got = feed(r, "name%\r\nprofile%\ndb load 490%");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].second, "name");
  EXPECT_EQ(got[1].second, "profile");
  EXPECT_EQ(got[2].second, "db load 490");
}

TEST(LineReader, EmptyCommand) {
  LineReader r;
  auto got = feed(r, "%");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, Event::kLine);
  EXPECT_EQ(got[0].second, "");
}

TEST(LineReader, AcceptsExactlyCapacityAndRejectsOneMoreWhole) {
  LineReader r;
  const std::string max(LineReader::kCapacity, 'a');
  auto got = feed(r, max + "%");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, Event::kLine);
  EXPECT_EQ(got[0].second, max);

  got = feed(r, max + "b%name%");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, Event::kTooLong);
  EXPECT_EQ(got[0].second, "");  // nothing of it is executed
  EXPECT_EQ(r.discarded_length(), LineReader::kCapacity + 1);
  EXPECT_EQ(got[1].first, Event::kLine);
  EXPECT_EQ(got[1].second, "name");
}

TEST(LineReader, FloodWithoutPercentIsOneErrorWhenItEnds) {
  LineReader r;
  std::string flood(100000, 'x');
  auto got = feed(r, flood);
  EXPECT_TRUE(got.empty());  // nothing unasked
  got = feed(r, "%name%");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, Event::kTooLong);
  EXPECT_EQ(got[1].second, "name");
}

TEST(LineReader, NulAndNonAsciiRejectTheLine) {
  LineReader r;
  auto got = feed(r, std::string("na\0me%", 6));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, Event::kBadByte);
  got = feed(r, "n\xc3\xa4me%name%");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, Event::kBadByte);
  EXPECT_EQ(got[1].first, Event::kLine);
}

}  // namespace
}  // namespace tp::app
