// The %0.3f formatter must print exactly what printf prints.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "format.h"

namespace tp::app {
namespace {

std::string ours(float v) {
  char buf[kMaxFixed3];
  return std::string(buf, format_fixed3(v, buf));
}

std::string libc(float v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%0.3f", static_cast<double>(v));
  return buf;
}

TEST(FormatFixed3, EveryClassScoreK256) {
  for (int k = -256; k <= 256; ++k) {
    const float v = static_cast<float>(k) / 256.0f;
    ASSERT_EQ(ours(v), libc(v)) << "k=" << k;
  }
}

TEST(FormatFixed3, TiesRoundToEvenAsPrintfDoes) {
  EXPECT_EQ(ours(0.0625f), "0.062");
  EXPECT_EQ(ours(0.3125f), "0.312");
  EXPECT_EQ(ours(0.8125f), "0.812");
  EXPECT_EQ(ours(0.1875f), "0.188");
  EXPECT_EQ(ours(-0.0625f), "-0.062");
}

TEST(FormatFixed3, SignsZerosAndSpecials) {
  EXPECT_EQ(ours(0.0f), "0.000");
  EXPECT_EQ(ours(-0.0f), "-0.000");
  EXPECT_EQ(ours(-0.0001f), "-0.000");
  EXPECT_EQ(ours(std::numeric_limits<float>::denorm_min()), libc(std::numeric_limits<float>::denorm_min()));
  EXPECT_EQ(ours(std::numeric_limits<float>::infinity()), libc(std::numeric_limits<float>::infinity()));
  EXPECT_EQ(ours(-std::numeric_limits<float>::infinity()), libc(-std::numeric_limits<float>::infinity()));
  EXPECT_EQ(ours(std::numeric_limits<float>::quiet_NaN()), "nan");
  EXPECT_EQ(ours(std::numeric_limits<float>::max()), libc(std::numeric_limits<float>::max()));
  EXPECT_EQ(ours(-std::numeric_limits<float>::max()), libc(-std::numeric_limits<float>::max()));
  EXPECT_EQ(ours(11.6761684f), "11.676");
}

TEST(FormatFixed3, FloatsNextToEveryRoundingBoundaryBelowTen) {
  // x.xxx5 boundaries: the float nearest each, and its neighbours.
  for (int i = 0; i < 10000; ++i) {
    const float b = (static_cast<float>(i) + 0.5f) / 1000.0f;
    for (float v : {b, std::nextafter(b, 0.0f), std::nextafter(b, 100.0f)}) {
      ASSERT_EQ(ours(v), libc(v)) << v;
      ASSERT_EQ(ours(-v), libc(-v)) << -v;
    }
  }
}

TEST(FormatFixed3, RandomBitPatterns) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = rng();
    float v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isnan(v)) continue;
    ASSERT_EQ(ours(v), libc(v)) << "bits=" << bits;
  }
}

TEST(FormatFixed3, RandomValuesInTheRangeScoresTake) {
  std::mt19937 rng(99);
  std::uniform_real_distribution<float> d(-1000.0f, 1000.0f);
  for (int i = 0; i < 200000; ++i) {
    const float v = d(rng);
    ASSERT_EQ(ours(v), libc(v)) << v;
  }
}

TEST(FormatU64, FullRange) {
  char buf[24];
  for (uint64_t v : {0ull, 9ull, 10ull, 4294967295ull, 4294967296ull, 18446744073709551615ull}) {
    buf[format_u64(v, buf)] = 0;
    EXPECT_EQ(std::string(buf), std::to_string(v));
  }
}

TEST(ParseU32, AcceptsOnlyShortDigitStrings) {
  uint32_t v = 7;
  EXPECT_TRUE(parse_u32("490", 3, v));
  EXPECT_EQ(v, 490u);
  EXPECT_TRUE(parse_u32("999999999", 9, v));
  EXPECT_FALSE(parse_u32("1000000000", 10, v));
  EXPECT_FALSE(parse_u32("", 0, v));
  EXPECT_FALSE(parse_u32("-1", 2, v));
  EXPECT_FALSE(parse_u32("12a", 3, v));
  EXPECT_FALSE(parse_u32("+5", 2, v));
}

}  // namespace
}  // namespace tp::app
