// The libgcc helpers the project writes for the non-Arm targets
// (arch/common/soft_helpers.cc, built for ARC EM: Debian's ARC libgcc is ARC HS code;
// and for Xtensa: Debian's LX106 libgcc lacks its
// assembly helpers), checked bit for bit against the host compiler's own
// integer operators and IEEE single-precision arithmetic (round to nearest
// even, subnormals included) on edge cases and pseudo-random operands.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

extern "C" {
uint64_t arc___udivdi3(uint64_t, uint64_t);
uint64_t arc___umoddi3(uint64_t, uint64_t);
int64_t arc___divdi3(int64_t, int64_t);
int64_t arc___moddi3(int64_t, int64_t);
float arc___divsf3(float, float);
float arc_roundf(float);
uint32_t lx___udivsi3(uint32_t, uint32_t);
uint32_t lx___umodsi3(uint32_t, uint32_t);
int32_t lx___divsi3(int32_t, int32_t);
int32_t lx___modsi3(int32_t, int32_t);
uint64_t lx___udivdi3(uint64_t, uint64_t);
uint64_t lx___umoddi3(uint64_t, uint64_t);
int64_t lx___divdi3(int64_t, int64_t);
int64_t lx___moddi3(int64_t, int64_t);
uint64_t lx___muldi3(uint64_t, uint64_t);
float lx___floatsisf(int32_t);
float lx___mulsf3(float, float);
}

namespace {

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
// Same bits, or both NaN.
void expect_same(float got, float want, const char* what, float a, float b) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << " " << a << " " << b;
  } else {
    EXPECT_EQ(bits(got), bits(want)) << what << " " << std::hexfloat << a << " " << b;
  }
}

std::vector<float> edge_floats() {
  std::vector<float> v = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 3.0f, 1e-3f, 7.0f, 1e30f, -1e30f,
                          std::numeric_limits<float>::min(), std::numeric_limits<float>::denorm_min(),
                          from(0x007FFFFF), from(0x00400001), std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN(), 1.0000001f, 0.99999994f, 2.5f, -2.5f,
                          0.49999997f, 8388607.5f, 16777215.0f};
  return v;
}

TEST(SoftHelpers, ArcFloatDivisionIsIeeeExact) {
  const auto e = edge_floats();
  for (float a : e)
    for (float b : e) expect_same(arc___divsf3(a, b), a / b, "div", a, b);
  std::mt19937 rng(1);
  for (int i = 0; i < 200000; ++i) {
    const float a = from(rng()), b = from(rng());
    expect_same(arc___divsf3(a, b), a / b, "div", a, b);
  }
}

TEST(SoftHelpers, LxFloatMultiplyIsIeeeExact) {
  const auto e = edge_floats();
  for (float a : e)
    for (float b : e) expect_same(lx___mulsf3(a, b), a * b, "mul", a, b);
  std::mt19937 rng(2);
  for (int i = 0; i < 200000; ++i) {
    const float a = from(rng()), b = from(rng());
    expect_same(lx___mulsf3(a, b), a * b, "mul", a, b);
  }
  // Products near the subnormal boundary.
  for (int i = 0; i < 100000; ++i) {
    const float a = from((rng() & 0x807FFFFFu) | (0x20u << 23) | ((rng() & 0x1F) << 23));
    const float b = from((rng() & 0x807FFFFFu) | (0x20u << 23) | ((rng() & 0x1F) << 23));
    expect_same(lx___mulsf3(a, b), a * b, "mul", a, b);
  }
}

TEST(SoftHelpers, IntToFloatAndRoundfMatchTheHost) {
  const int32_t edge[] = {0, 1, -1, 16777216, 16777217, 16777219, -16777217, 2147483647,
                          std::numeric_limits<int32_t>::min(), 33554435, 123456789};
  for (int32_t i : edge) EXPECT_EQ(bits(lx___floatsisf(i)), bits(static_cast<float>(i))) << i;
  std::mt19937 rng(3);
  for (int n = 0; n < 200000; ++n) {
    const int32_t i = static_cast<int32_t>(rng());
    EXPECT_EQ(bits(lx___floatsisf(i)), bits(static_cast<float>(i))) << i;
  }
  for (float f : edge_floats()) expect_same(arc_roundf(f), std::roundf(f), "roundf", f, 0);
  for (int n = 0; n < 200000; ++n) {
    const float f = from(rng());
    expect_same(arc_roundf(f), std::roundf(f), "roundf", f, 0);
  }
}

TEST(SoftHelpers, IntegerDivisionAndMultiplyMatchTheHost) {
  std::mt19937_64 rng(4);
  for (int n = 0; n < 100000; ++n) {
    const uint64_t a = rng() >> (rng() % 64), b = (rng() >> (rng() % 64)) | 1;
    EXPECT_EQ(arc___udivdi3(a, b), a / b);
    EXPECT_EQ(arc___umoddi3(a, b), a % b);
    EXPECT_EQ(lx___udivdi3(a, b), a / b);
    EXPECT_EQ(lx___umoddi3(a, b), a % b);
    EXPECT_EQ(lx___muldi3(a, b), a * b);
    const int64_t sa = static_cast<int64_t>(a) >> 1, sb = static_cast<int64_t>(b) >> 1 | 1;
    for (int64_t x : {sa, -sa})
      for (int64_t y : {sb, -sb}) {
        EXPECT_EQ(arc___divdi3(x, y), x / y);
        EXPECT_EQ(arc___moddi3(x, y), x % y);
        EXPECT_EQ(lx___divdi3(x, y), x / y);
        EXPECT_EQ(lx___moddi3(x, y), x % y);
      }
    const uint32_t a32 = static_cast<uint32_t>(a), b32 = static_cast<uint32_t>(b >> 32) | 1;
    EXPECT_EQ(lx___udivsi3(a32, b32), a32 / b32);
    EXPECT_EQ(lx___umodsi3(a32, b32), a32 % b32);
    const int32_t s32 = static_cast<int32_t>(a32 >> 1), t32 = static_cast<int32_t>(b32 >> 1) | 1;
    for (int32_t x : {s32, -s32})
      for (int32_t y : {t32, -t32}) {
        EXPECT_EQ(lx___divsi3(x, y), x / y);
        EXPECT_EQ(lx___modsi3(x, y), x % y);
      }
  }
}

}  // namespace
