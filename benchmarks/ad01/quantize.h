// ad01's float32 -> int8 input conversion (benchmarks/ad01/ad01.cc), kept in
// a header so that host_tests/engine/ad01_m55 can check the Helium path against the
// scalar one under QEMU (mps3-an547) on any float.
//   q = clamp(roundf(f / scale) + zero_point, -128, 127), NaN -> zero_point
// with f / scale a float32 division and roundf halving away from zero.
//
// Helium (Cortex-M55, MVE with float): MVE has no vector divide, so the
// block path takes q' = f * (1 / scale). Both 1 / scale and the product are
// rounded once (relative error <= 2^-24 each), so for |q| < 512 the exact
// quotient, its float32 rounding q and q' are all within 2^-14 + 2^-16 of
// each other: q and q' then round to the same integer unless q' lies within
// that distance of a rounding boundary k + 0.5 (rounding is constant between
// two boundaries, across the integers and across 0). The loop keeps the
// largest |q' - roundf(q')| of each chunk of 64 elements; a chunk where it
// reaches 0.5 - 2^-12 (4x the bound) is redone with the scalar division. For
// |q'| >= 512, q and q' both round beyond the clamp on the same side (the
// zero point is in [-128, 127]) whether flagged or not; q' = +-inf (f * inv
// overflowed) converts to the saturated integer, NaN to 0 (VCVTA), which
// gives zero_point as the scalar code does. Unaligned input, a scale whose
// reciprocal is not a normal float, or a zero point outside int8 take the
// scalar loop. host_tests/engine/ad01_m55 checks all of it on random and boundary
// floats.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>
#define TP_AD01_MVE_QUANTIZE 1
#else
#define TP_AD01_MVE_QUANTIZE 0
#endif

namespace tp::bench::ad01_quant {

inline float read_f32_le(const uint8_t* p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(__ARM_FEATURE_MVE)
  float f;  // one load on a little-endian CPU (the M55 build vectorizes the bytes instead)
  std::memcpy(&f, p, sizeof f);
  return f;
#else
  const uint32_t u = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                     (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
#endif
}

// clamp(roundf(f / scale) + zero_point, -128, 127), NaN -> zero_point.
// Where roundf is an instruction it is used; elsewhere (Cortex-M4, host)
// without the roundf call (the conversion runs in every timed inference):
// for |q| <= 1024 the truncation t and q - t are exact in float32, so
// rounding half away from zero is t, t + 1 or t - 1 by the sign and size of
// q - t; beyond, both clamp the same way. host_tests checks it against
// std::round.
inline int8_t quantize(float f, float scale, int32_t zero_point) {
#if defined(__ARM_FEATURE_DIRECTED_ROUNDING) || (defined(__ARM_ARCH) && __ARM_ARCH >= 8 && defined(__ARM_FP))
  // Armv8 FPU (Cortex-M55 FPv5): roundf is one VRINTA instruction.
  const float r = std::round(f / scale);
  const float hi = static_cast<float>(127 - zero_point);
  const float lo = static_cast<float>(-128 - zero_point);
  if (r >= hi) return 127;
  if (r <= lo) return -128;
  if (!(r == r)) return static_cast<int8_t>(zero_point);  // NaN input
  return static_cast<int8_t>(static_cast<int32_t>(r) + zero_point);
#else
  float q = f / scale;
  if (!(q == q)) return static_cast<int8_t>(zero_point);  // NaN input
  if (q > 1024.0f) q = 1024.0f;
  if (q < -1024.0f) q = -1024.0f;
  int32_t r = static_cast<int32_t>(q);  // toward zero
  const float frac = q - static_cast<float>(r);
  if (frac >= 0.5f) ++r;
  if (frac <= -0.5f) --r;
  r += zero_point;
  if (r > 127) return 127;
  if (r < -128) return -128;
  return static_cast<int8_t>(r);
#endif
}

// n little-endian float32 values at raw -> n int8 at out, one quantize() each.
inline void quantize_scalar(const uint8_t* raw, int8_t* out, std::size_t n, float scale, int32_t zero_point) {
  for (std::size_t i = 0; i < n; ++i) out[i] = quantize(read_f32_le(raw + 4 * i), scale, zero_point);
}

// Same result as quantize_scalar for every input (see the top of the file).
inline void quantize_block(const uint8_t* raw, int8_t* out, std::size_t n, float scale, int32_t zero_point) {
#if TP_AD01_MVE_QUANTIZE
  constexpr std::size_t kChunk = 64;
  const float inv = 1.0f / scale;
  const float abs_inv = std::fabs(inv);
  const bool usable = (reinterpret_cast<uintptr_t>(raw) & 3u) == 0 && abs_inv >= 0x1p-126f &&
                      abs_inv <= 0x1.fffffep127f && zero_point >= -128 && zero_point <= 127;
  std::size_t i = 0;
  if (usable) {
    const int16_t zp16 = static_cast<int16_t>(zero_point);
    for (; i + kChunk <= n; i += kChunk) {
      const float* src = reinterpret_cast<const float*>(raw + 4 * i);
      float32x4_t worst = vdupq_n_f32(0.0f);
#pragma GCC unroll 1
      for (std::size_t j = 0; j < kChunk; j += 8) {
        // Even elements in v.val[0], odd in v.val[1]: the narrowing below
        // puts them back in order (bottom / top halves).
        float32x4x2_t v = vld2q_f32(src + j);
        const float32x4_t a = vmulq_n_f32(v.val[0], inv);
        const float32x4_t b = vmulq_n_f32(v.val[1], inv);
        worst = vmaxnmaq_f32(worst, vsubq_f32(a, vrndaq_f32(a)));
        worst = vmaxnmaq_f32(worst, vsubq_f32(b, vrndaq_f32(b)));
        // The narrowing keeps the other halves of its destination: any dead
        // register will do (a's, then h's own), saving a copy.
        int16x8_t h = vqmovnbq_s32(vreinterpretq_s16_f32(a), vcvtaq_s32_f32(a));
        h = vqmovntq_s32(h, vcvtaq_s32_f32(b));
        h = vqaddq_n_s16(h, zp16);
        const int8x16_t o = vqmovnbq_s16(vreinterpretq_s8_s16(h), h);
        vstrbq_s16(out + i + j, vreinterpretq_s16_s8(o));
      }
      if (vmaxnmavq_f32(0.0f, worst) >= 0.5f - 0x1p-12f) {
        quantize_scalar(raw + 4 * i, out + i, kChunk, scale, zero_point);
      }
    }
  }
  quantize_scalar(raw + 4 * i, out + i, n - i, scale, zero_point);
#else
  quantize_scalar(raw, out, n, scale, zero_point);
#endif
}

}  // namespace tp::bench::ad01_quant
