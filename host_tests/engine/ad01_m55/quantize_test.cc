// ad01's Helium input conversion (benchmarks/ad01/quantize.h,
// quantize_block) against its scalar definition (quantize_scalar: roundf of
// the float32 division) under QEMU mps3-an547 (Cortex-M55), byte for byte:
// ad01's scale and zero point and a few others; random bit patterns (every
// exponent, both signs, NaN, infinities, subnormals); the floats at and next
// to every x.5 * scale boundary (and the clamp edges) in random positions;
// tails shorter than a chunk and an unaligned buffer. Run by run.sh.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../../../benchmarks/ad01/quantize.h"
#include "../../../engine/kernels/backends/arm_mve/test/semihost.h"

#if !TP_AD01_MVE_QUANTIZE
#error "this test checks the Helium path: build it for the Cortex-M55 with MVE float"
#endif

namespace {

using tp::mve_test::put;
using tp::mve_test::put_int;
namespace q = tp::bench::ad01_quant;

constexpr std::size_t kN = 640;  // ad01's input size
alignas(16) uint8_t g_raw[4 * kN + 16];
int8_t g_fast[kN + 16];
int8_t g_slow[kN + 16];

uint32_t g_rng = 0x12345678u;
uint32_t next_u32() {  // xorshift32
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}

uint32_t to_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
void put_hex(uint32_t v) {
  char b[11] = {'0', 'x'};
  for (int i = 0; i < 8; ++i) b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  b[10] = 0;
  put(b);
}

long g_tests = 0, g_failures = 0, g_values = 0;

// Converts n floats at g_raw + offset both ways and compares.
void check(std::size_t n, std::size_t offset, float scale, int32_t zp, const char* what) {
  ++g_tests;
  const uint8_t* raw = g_raw + offset;
  std::memset(g_fast, 0x5a, sizeof g_fast);
  std::memset(g_slow, 0x5a, sizeof g_slow);
  q::quantize_block(raw, g_fast, n, scale, zp);
  q::quantize_scalar(raw, g_slow, n, scale, zp);
  g_values += static_cast<long>(n);
  for (std::size_t i = 0; i < n + 16; ++i) {
    if (g_fast[i] != g_slow[i]) {
      ++g_failures;
      if (g_failures <= 10) {
        put("FAIL ");
        put(what);
        put(" scale ");
        put_hex(to_bits(scale));
        put(" zp ");
        put_int(zp);
        put(" i ");
        put_int(static_cast<long long>(i));
        put(" f ");
        put_hex(i < n ? to_bits(q::read_f32_le(raw + 4 * i)) : 0);
        put(" block ");
        put_int(g_fast[i]);
        put(" scalar ");
        put_int(g_slow[i]);
        put("\n");
      }
      return;
    }
  }
}

void set(std::size_t i, float f) { std::memcpy(g_raw + 4 * i, &f, 4); }

void fill_random_bits() {
  for (std::size_t i = 0; i < kN; ++i) {
    uint32_t u = next_u32();
    switch (next_u32() & 15) {
      case 0: u = (u & 0x807fffffu) | 0x7f800000u; break;          // NaN or infinity
      case 1: u &= 0x807fffffu; break;                             // subnormal or zero
      case 2: case 3: case 4: case 5:                               // |f| in [2^-8, 2^12)
        u = (u & 0x807fffffu) | ((119u + (next_u32() % 20u)) << 23); break;
      default: break;                                               // any bits
    }
    std::memcpy(g_raw + 4 * i, &u, 4);
  }
}

// The floats at and next to (k + 0.5) * scale, the midpoint's neighbours
// found by division, for k in [kmin, kmax], shuffled over the buffer, the
// rest random values of the same range.
void fill_boundaries(float scale, int k0, int* k) {
  for (std::size_t i = 0; i < kN; ++i) {
    const float m = (static_cast<float>(*k) + 0.5f);
    float c = m * scale;
    // Walk to the float whose quotient is closest to the midpoint.
    for (int s = 0; s < 4; ++s) {
      const float qc = c / scale;
      if (qc < m) c = std::nextafter(c, INFINITY);
      else if (qc > m) c = std::nextafter(c, -INFINITY);
    }
    const uint32_t r = next_u32();
    const int ulps = static_cast<int>(r % 9u) - 4;
    uint32_t u = to_bits(c);
    u = static_cast<uint32_t>(static_cast<int32_t>(u) + ulps);
    if ((r >> 8) % 8 == 0) u = to_bits(static_cast<float>(static_cast<int32_t>(next_u32() % 1200u) - 600) * 0.37f * scale);
    std::memcpy(g_raw + 4 * i, &u, 4);
    if (++*k > k0 + 800) *k = k0;
    if (r >> 31) *k = k0 + static_cast<int>(next_u32() % 801u);
  }
}

}  // namespace

int main(int, char**) {
  struct Case { float scale; int32_t zp; };
  const Case cases[] = {
      {0x1.90664cp-2f, 89},  // ad01's input (tp::models::ad01.input)
      {1.0f, 0}, {0.0078125f, -128}, {0.1f, 127}, {3.7f, -5}, {0.0117302f, 13}, {1e-3f, -1}, {0.5f, 0},
      {25.6f, -128}, {1.7e-7f, 40},
      // 1 / scale not a normal float: the scalar loop throughout.
      {3e38f, 7}, {1e-39f, -3},
  };
  for (const Case& c : cases) {
    for (int rep = 0; rep < 100; ++rep) {
      fill_random_bits();
      check(kN, 0, c.scale, c.zp, "random");
      check(kN - 3 - (rep % 29), 0, c.scale, c.zp, "random-tail");
    }
    check(kN - 4, 4, c.scale, c.zp, "random-offset4");
    check(kN - 4, 1, c.scale, c.zp, "random-unaligned");
    int k = -400;
    for (int rep = 0; rep < 100; ++rep) {
      fill_boundaries(c.scale, -400, &k);
      check(kN, 0, c.scale, c.zp, "boundary");
    }
    // Every chunk flagged, or none: all values exactly on midpoints / integers.
    for (std::size_t i = 0; i < kN; ++i) set(i, (static_cast<float>(static_cast<int>(i) - 320) + 0.5f) * c.scale);
    check(kN, 0, c.scale, c.zp, "midpoints");
    for (std::size_t i = 0; i < kN; ++i) set(i, static_cast<float>(static_cast<int>(i) - 320) * c.scale);
    check(kN, 0, c.scale, c.zp, "integers");
  }
  put("ad01 Helium quantize: tests ");
  put_int(g_tests);
  put(", values ");
  put_int(g_values);
  put(", failures ");
  put_int(g_failures);
  put("\n");
  tp::mve_test::exit_qemu(g_failures == 0 ? 0 : 1);
}
