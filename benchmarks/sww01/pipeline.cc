// sww01 feature extractor and per-hop pipeline (see
// include/tinyperf/sww01/pipeline.h for the specification).
//
// Everything is float32 with plain multiplies and adds (no fused
// multiply-add: -ffp-contract=off on this file, and the pragma below) and
// no libm: the FFT is ours and log10 is computed here, so the features are
// the same bits on the host and on every Arm board.
#include "tinyperf/sww01/pipeline.h"

#include <cstring>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace tp::sww01 {
namespace {

#include "tables.inc"

constexpr int kFftPoints = kWindowSamples / 2;  // complex points of the half-size FFT
constexpr int kBins = kWindowSamples / 2 + 1;
constexpr float kPreemphasis = 0.96875f;   // 1 - 2^-5
constexpr float kPowerOffsetDb = 52.0f;
constexpr float kMinPower = 1e-30f;

// sin(2 pi k / 1024) for 0 <= k < 512: cos(2 pi |256 - k| / 1024).
inline float sin1024(int k) { return kCos[k < 256 ? 256 - k : k - 256]; }

// In-place 512-point complex FFT (forward, e^-i), radix 2, decimation in
// time; z holds re, im pairs. Twiddle W_512^j = cos/sin(2 pi (2j) / 1024).
void complex_fft(float* z) {
  // Bit-reversed order, the reversed index counted up alongside i (no table:
  // flash is scarce on the smallest board).
  for (int i = 0, r = 0; i < kFftPoints; ++i) {
    if (r > i) {
      const float re = z[2 * i], im = z[2 * i + 1];
      z[2 * i] = z[2 * r];
      z[2 * i + 1] = z[2 * r + 1];
      z[2 * r] = re;
      z[2 * r + 1] = im;
    }
    int m = kFftPoints >> 1;
    while (m >= 1 && r >= m) {
      r -= m;
      m >>= 1;
    }
    r += m;
  }
  // First stage (length 2): twiddle 1.
  for (int i = 0; i < kFftPoints; i += 2) {
    float* a = z + 2 * i;
    const float ar = a[0], ai = a[1], br = a[2], bi = a[3];
    a[0] = ar + br;
    a[1] = ai + bi;
    a[2] = ar - br;
    a[3] = ai - bi;
  }
  for (int len = 4; len <= kFftPoints; len <<= 1) {
    const int half = len / 2;
    const int step = 2 * (kFftPoints / len);  // index step in the 1024-point tables
    for (int j = 0; j < half; ++j) {
      const float wr = kCos[j * step];
      const float wi = -sin1024(j * step);
      for (int i = j; i < kFftPoints; i += len) {
        float* a = z + 2 * i;
        float* b = z + 2 * (i + half);
        const float tr = b[0] * wr - b[1] * wi;
        const float ti = b[0] * wi + b[1] * wr;
        const float ar = a[0], ai = a[1];
        a[0] = ar + tr;
        a[1] = ai + ti;
        b[0] = ar - tr;
        b[1] = ai - ti;
      }
    }
  }
}

// log10(x) for a finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
// ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its series to
// s^11 (relative error below 1e-9 before float32 rounding).
float log10_positive(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  int32_t e = static_cast<int32_t>((bits >> 23) & 0xFF) - 127;
  bits = (bits & 0x007FFFFFu) | 0x3F800000u;  // m in [1, 2)
  float m;
  std::memcpy(&m, &bits, sizeof m);
  if (m > 1.41421356f) {
    m *= 0.5f;
    ++e;
  }
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series =
      1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9 + s2 * (1.0f / 11)))));
  const float ln_m = 2.0f * s * series;
  constexpr float kLn2 = 0.693147181f;
  constexpr float kInvLn10 = 0.434294482f;
  return (static_cast<float>(e) * kLn2 + ln_m) * kInvLn10;
}

}  // namespace

void FeatureExtractor::reset() {
  std::memset(samples_, 0, sizeof samples_);
  last_sample_ = 0.0f;
}

int8_t FeatureExtractor::quantize(float f, float input_scale) {
  const float q = f / input_scale - 128.0f;  // f in [0, 1]: q in [-128, ~142]
  if (!(q < 127.0f)) return 127;
  if (!(q > -128.0f)) return -128;
  return static_cast<int8_t>(static_cast<int32_t>(q));  // toward zero, as the reference's cast
}

void FeatureExtractor::push_hop(const int16_t* samples, int8_t* q, float* f) {
  constexpr int kKeep = kWindowSamples - kHopSamples;
  std::memmove(samples_, samples_ + kHopSamples, kKeep * sizeof samples_[0]);
  std::memcpy(samples_ + kKeep, samples, kHopSamples * sizeof samples_[0]);

  // Scale, pre-emphasis and window. The sample before the next window is
  // samples_[kHopSamples - 1] of this one.
  constexpr float kScale = 1.0f / 32768.0f;
  float prev = last_sample_;
  for (int n = 0; n < kWindowSamples / 2; ++n) {
    const float x = static_cast<float>(samples_[n]) * kScale;
    buf_[n] = (x - kPreemphasis * prev) * kHamming[n];
    prev = x;
  }
  for (int n = kWindowSamples / 2; n < kWindowSamples; ++n) {  // symmetric window
    const float x = static_cast<float>(samples_[n]) * kScale;
    buf_[n] = (x - kPreemphasis * prev) * kHamming[kWindowSamples - 1 - n];
    prev = x;
  }
  last_sample_ = static_cast<float>(samples_[kHopSamples - 1]) * kScale;

  // Real FFT of 1024 points: the 512-point complex FFT of z[n] = x[2n] +
  // i x[2n+1], then X[k] = E[k] + W^k O[k] with E[k] = (Z[k] + conj Z[512-k]) / 2,
  // O[k] = (Z[k] - conj Z[512-k]) / 2i, W = e^(-2 pi i / 1024).
  complex_fft(buf_);
  constexpr float kInvN = 1.0f / kWindowSamples;
  {
    const float r0 = buf_[0], i0 = buf_[1];
    power_[0] = (r0 + i0) * (r0 + i0) * kInvN;
    power_[kFftPoints] = (r0 - i0) * (r0 - i0) * kInvN;
  }
  for (int k = 1; k < kFftPoints; ++k) {
    const float zr = buf_[2 * k], zi = buf_[2 * k + 1];
    const float cr = buf_[2 * (kFftPoints - k)], ci = -buf_[2 * (kFftPoints - k) + 1];
    const float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
    // (Z - conj Z') / 2i = ((zi - ci) - i (zr - cr)) / 2
    const float orr = 0.5f * (zi - ci), oi = -0.5f * (zr - cr);
    const float wr = kCos[k], wi = -sin1024(k);
    const float xr = er + (orr * wr - oi * wi);
    const float xi = ei + (orr * wi + oi * wr);
    power_[k] = (xr * xr + xi * xi) * kInvN;
  }

  // Mel bank, log, offset, scale, clip, quantize.
  const float input_scale =
#if defined(TINYPERF_HAS_MODEL_SWW01)
      models::sww01.input.scale;
#else
      0.00370104262f;
#endif
  const float* w = kMelWeights;
  for (int m = 0; m < kFeatures; ++m) {
    const float* p = power_ + kMelStart[m];
    float acc = 0.0f;
    for (int j = 0; j < kMelLen[m]; ++j) acc += p[j] * w[j];
    w += kMelLen[m];
    if (!(acc > kMinPower)) acc = kMinPower;
    float v = (10.0f * log10_positive(acc) + kPowerOffsetDb) * (1.0f / 64.0f);
    if (v < 0.0f) v = 0.0f;
    if (v > 1.0f) v = 1.0f;
    if (f != nullptr) f[m] = v;
    q[m] = quantize(v, input_scale);
  }
  static_assert(kBins == kFftPoints + 1);
}

#if defined(TINYPERF_HAS_MODEL_SWW01)

void Pipeline::reset() {
  extractor_.reset();
  std::memset(window_, 0, sizeof window_);
  std::memset(features_, 0, sizeof features_);
  hops_ = 0;
}

HopResult Pipeline::push_hop(const int16_t* samples) {
  constexpr int kOld = (kFrames - 1) * kFeatures;
  std::memmove(window_, window_ + kFeatures, kOld);
  extractor_.push_hop(samples, window_ + kOld, features_);

  const engine::ModelDesc& m = models::sww01;
  std::memcpy(arena_ + m.input.offset, window_, sizeof window_);
  m.run(arena_, nullptr);
  const int8_t* out = reinterpret_cast<const int8_t*>(arena_ + m.output.offset);
  HopResult r{};
  r.scores[0] = out[0];
  r.scores[1] = out[1];
  r.scores[2] = out[2];
  r.detected = out[0] > kDetectThreshold;
  r.sync = hops_ == 0;
  ++hops_;
  return r;
}

namespace {
Pipeline g_pipeline;
int16_t g_timing_audio[kHopSamples];
bool g_timing_audio_made = false;
}  // namespace

Pipeline& shared_pipeline() { return g_pipeline; }

const int16_t* timing_audio() {
  int16_t* audio = g_timing_audio;
  if (!g_timing_audio_made) {
    // A 1 kHz tone (16 samples per period, from the cosine table) in white
    // noise from a 32-bit LCG: every mel band well above the log's floor.
    uint32_t state = 12345;
    for (int n = 0; n < kHopSamples; ++n) {
      state = state * 1664525u + 1013904223u;
      const int32_t noise = static_cast<int32_t>(state >> 20) - 2048;  // +-2048
      const int idx = (n * 64) % kWindowSamples;  // cos(2 pi n / 16)
      const float c = idx < kWindowSamples / 2 ? kCos[idx] : -kCos[idx - kWindowSamples / 2];
      const int32_t tone = static_cast<int32_t>(8000.0f * c);
      audio[n] = static_cast<int16_t>(tone + noise);
    }
    g_timing_audio_made = true;
  }
  return audio;
}

#endif  // TINYPERF_HAS_MODEL_SWW01

}  // namespace tp::sww01
