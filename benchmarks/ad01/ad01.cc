// ad01 (anomaly detection, FC autoencoder, ToyADMOS): the raw input is 640
// float32 little-endian log-mel values (5 frames x 128 bins). Each value is
// quantized as the MLPerf Tiny reference firmware does:
//   q = clamp(round(f / s) + zp, -128, 127)
// with f / s a float32 division and round() halving away from zero (roundf);
// s, zp = the model's input quantization (0.3910152316, 89). The result is
// the anomaly score: the mean over the 640 elements of
// (dequant(out[i]) - f[i])^2, dequant(q) = (q - zp_out) * s_out, all in
// float32 and accumulated in index order. The float input is read again from
// the staged raw bytes (the arena has been reused by then).
//
// Bit-exactness needs plain float32 operations: no multiply-add may be
// fused into one rounding (GCC does so by default for Cortex-M4F/M55, which
// have VFMA). The pragmas below and -ffp-contract=off on this file ("strict_float" in
// benchmark.json, applied by benchmarks/CMakeLists.txt) both forbid it.
#include <cmath>
#include <cstring>

#include "../adapters.h"
#include "tinyperf/models/registry.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#if defined(TINYPERF_HAS_MODEL_AD01)
namespace tp::bench {
namespace {

constexpr std::size_t kValues = 640;

float read_f32_le(const uint8_t* p) {
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

}  // namespace

// clamp(roundf(f / scale) + zero_point, -128, 127), NaN -> zero_point.
// Where roundf is an instruction it is used; elsewhere (Cortex-M4, host)
// without the roundf call (the conversion runs in every timed inference):
// for |q| <= 1024 the truncation t and q - t are exact in float32, so
// rounding half away from zero is t, t + 1 or t - 1 by the sign and size of
// q - t; beyond, both clamp the same way. host_tests checks it against
// std::round.
namespace {
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
}  // namespace

int8_t ad01_quantize(float f, float scale, int32_t zero_point) { return quantize(f, scale, zero_point); }

namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  const float scale = models::ad01.input.scale;
  const int32_t zero_point = models::ad01.input.zero_point;
  for (std::size_t i = 0; i < kValues; ++i) {
    input_tensor[i] = quantize(read_f32_le(raw + 4 * i), scale, zero_point);
  }
}

std::size_t results(const int8_t* output_tensor, const uint8_t* raw, float* values,
                    std::size_t max_values) {
  if (max_values < 1) return 0;
  const float scale = models::ad01.output.scale;
  const int32_t zero_point = models::ad01.output.zero_point;
  float sum = 0.0f;
  for (std::size_t i = 0; i < kValues; ++i) {
    const float dequantized =
        static_cast<float>(static_cast<int32_t>(output_tensor[i]) - zero_point) * scale;
    const float diff = dequantized - read_f32_le(raw + 4 * i);
    sum += diff * diff;
  }
  values[0] = sum / static_cast<float>(kValues);
  return 1;
}

// NaN and the infinities are the float32 values whose exponent bits are all
// ones (IEEE 754 binary32), tested on the bits: no FP instruction, no libm.
int32_t first_non_finite(const uint8_t* raw) {
  for (std::size_t i = 0; i < kValues; ++i) {
    const uint8_t* p = raw + 4 * i;  // little-endian: p[3] holds the sign and exponent's top 7 bits
    if ((p[3] & 0x7F) == 0x7F && (p[2] & 0x80) == 0x80) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace

static_assert(declared::kAd01InputBytes == 4 * kValues, "benchmarks/ad01/benchmark.json: input_bytes is 640 float32 values");
const Benchmark kAd01 = {"ad01", &models::ad01, declared::kAd01InputBytes, &load, &results, &first_non_finite};

}  // namespace tp::bench
#endif
