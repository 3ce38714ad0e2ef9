// sww01, the MLPerf Tiny streaming wake word benchmark, on the device: the
// feature extractor of the reference (mlcommons/tiny
// benchmark/reference_submissions/streaming_wakeword and the training
// pipeline's get_lfbe_func), the model over the last 30 feature frames and
// the reference's detection rule, one hop of audio at a time.
//
// Audio: 16 kHz mono int16. The reference DUT receives stereo I2S frames and
// keeps the first (left) sample of each frame, i.e. channel 0 of the test
// wav files: pass that channel here.
//
// Features, per hop of 512 new samples (32 ms), over the last 1024 samples
// (64 ms; zeros before the first samples):
//   x = s / 32768; pre-emphasis y[n] = x[n] - 0.96875 x[n-1] (continuous
//   across hops; 0 before the first sample); symmetric Hamming window;
//   1024-point real FFT (our own, float32); power |X|^2 / 1024 of the 513
//   bins; 40-band mel bank (tf.signal.linear_to_mel_weight_matrix, 0-8 kHz);
//   max(., 1e-30); 10 log10; (dB + 52) / 64 clipped to [0, 1]; int8 as the
//   reference casts it: trunc(f / input_scale - 128) (input zero point -128),
//   saturated at 127 (the reference's C cast is undefined past 127; it
//   wraps on the Cortex-M4).
// The model input is the last 30 frames, oldest first; before 30 hops the
// missing frames are int8 0, as the reference clears its input at `start`.
// Detection rule (reference): the first output (the wake word class) above
// 115 as int8. The reference also pulses its WW_DETECTED pin on the first
// hop after start, as a time marker: see HopResult::sync.
//
// No heap; every buffer is a member (about 8.2 KB of features, 1.2 KB of
// window and the model's arena: 4.6 KB with the reference kernels, 7.4 KB
// with arm_dsp): keep a Pipeline in static storage, not on a thread's
// stack. Not thread-safe: one caller at a time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/models/registry.h"

namespace tp::sww01 {

inline constexpr int kSampleRateHz = 16000;
inline constexpr int kHopSamples = 512;      // 32 ms window stride
inline constexpr int kWindowSamples = 1024;  // 64 ms analysis window
inline constexpr int kFrames = 30, kFeatures = 40;
inline constexpr int kDetectThreshold = 115;  // int8 score of class 0 above it: detection

// The log-mel features of one hop, in float ([0, 1]) and as the model's int8.
class FeatureExtractor {
 public:
  FeatureExtractor() { reset(); }
  void reset();
  // samples: kHopSamples new samples. Writes kFeatures int8 values to `q`
  // and, when `f` is not null, the same features before quantization.
  void push_hop(const int16_t* samples, int8_t* q, float* f = nullptr);
  // int8 quantization of one feature in [0, 1] with the model's input scale.
  static int8_t quantize(float f, float input_scale);

 private:
  int16_t samples_[kWindowSamples];
  float last_sample_;              // the sample before samples_[0], for pre-emphasis
  float buf_[kWindowSamples];      // windowed signal, then the FFT (512 complex)
  float power_[kWindowSamples / 2 + 1];
};

#if defined(TINYPERF_HAS_MODEL_SWW01)

struct HopResult {
  bool detected;      // the reference's detection rule fired on this hop
  int8_t scores[3];   // the model's int8 output (class 0: the wake word)
  bool sync;          // first hop since reset(): the reference pulses WW_DETECTED
                      // here too (a time marker, not a detection)
};

class Pipeline {  // features + model + detection rule, one hop at a time
 public:
  Pipeline() { reset(); }
  void reset();
  // samples: kHopSamples new mono int16 samples; returns the model's output
  // on the last kFrames frames and whether the reference's detection rule
  // fires on this hop.
  HopResult push_hop(const int16_t* samples);

  // The model input of the last hop (kFrames x kFeatures int8, oldest first).
  const int8_t* window() const { return window_; }
  // The newest frame's features before quantization.
  const float* last_features() const { return features_; }
  uint32_t hops() const { return hops_; }

 private:
  FeatureExtractor extractor_;
  int8_t window_[kFrames * kFeatures];
  float features_[kFeatures];
  uint32_t hops_;
  alignas(16) uint8_t arena_[models::arena_bytes::sww01];
};

// The image's one Pipeline (static storage), for whichever of the streaming
// path and the `hops` timing command runs: not both at once.
Pipeline& shared_pipeline();

// kHopSamples of deterministic test audio for timing (a tone in white noise,
// generated once): what the `hops` command feeds the pipeline.
const int16_t* timing_audio();

#endif  // TINYPERF_HAS_MODEL_SWW01

}  // namespace tp::sww01
