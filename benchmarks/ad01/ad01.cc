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

#include "quantize.h"

#if defined(TINYPERF_HAS_MODEL_AD01)
namespace tp::bench {
namespace {

constexpr std::size_t kValues = 640;

using ad01_quant::read_f32_le;

}  // namespace

int8_t ad01_quantize(float f, float scale, int32_t zero_point) { return ad01_quant::quantize(f, scale, zero_point); }

namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  const float scale = models::ad01.input.scale;
  const int32_t zero_point = models::ad01.input.zero_point;
  // Helium on the M55 (bit-exact with the scalar loop, see quantize.h), the
  // scalar loop elsewhere.
  ad01_quant::quantize_block(raw, input_tensor, kValues, scale, zero_point);
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
