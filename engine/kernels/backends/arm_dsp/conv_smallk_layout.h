// CONV_2D with a short window (few input channels: the first layers of
// vww01, ic01, ic02, 3x3x3 = 27 taps) as the arm_dsp kernel conv_smallk
// (conv_smallk.cc, conv_smallk_m4.S) reads it: ConvParams::filter_layout
// kConvSmallK, written by the model compiler (tools/model_compiler, backend
// arm_dsp) for the layers conv_smallk_fit() accepts, and by the tests.
//
// Window order. The K = fh * fw * cin values of one output pixel's window
// (OHWI order: row ky, then t = kx * cin + ci) are taken in groups of 4:
// each kernel row's q4 = row_len / 4 full groups first (row ky's at group
// ky * q4), then the r = row_len % 4 leftover values of all rows side by
// side (value n = ky * r + i), zero-padded to a whole group. Group g gives
// two halfword-pair words, (v0, v2) and (v1, v3): what SXTAB16 and SXTAB16
// ROR 8 make of 4 input bytes. S = number of groups (K4 = 4 S >= K).
//
// Blob (int32 words, the bytes of the int8 filter array): per pair of
// output channels (c0 = 2 i, c1 = 2 i + 1; an odd cout's last c1 is all
// zero): 4 + 4 S + 6 words
//   2 * bias[c0], 2 * bias[c1], the same again (the 4 accumulators of a
//                                               block start doubled)
//   per group g: w(c0, g, word 0), w(c0, g, word 1), w(c1, g, word 0), w(c1, g, word 1)
//                as int16 pairs of 2 * weight (the sum comes out doubled)
//   m[c0], K[c0], e[c0], m[c1], K[c1], e[c1]    (requantization, below)
// with e = -shift and K = ((2 zp + 1) << e) >> 1, so that the output is
//   ssat8((SMMLAR(acc2, m, K) + [acc2 < 0 when zp > -128]) >> e)
// (gemm_m4.S, DBL = 1, FOLD = 1), bit-exact with TFLite when the layer
// satisfies conv_smallk_fit (the same conditions as gemm_mode_for's).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::arm_dsp {

inline constexpr int32_t kConvSmallK = 2;
#define TP_ARM_DSP_CONV_SMALLK 1  // for the compiler (planner.cc)

inline constexpr int32_t kSmallKMaxGroups = 12;  // K4 <= 48 (the assembly's unrolled body)
inline constexpr int32_t kSmallKMaxCin = 4;
// Most bytes of blob a layer may take (flash: about 2.8 x its int8 weights;
// kws01's 10x4 first layer, 6,400 B, stays int8 for sparkfun_edge).
inline constexpr std::size_t kSmallKMaxBlob = 4096;

struct SmallKShape {
  int32_t fh, row_len, q4, r, S;
};

inline SmallKShape smallk_shape(const ConvParams& p) {
  SmallKShape s;
  s.fh = p.filter.h;
  s.row_len = p.filter.w * p.filter.c;
  s.q4 = s.row_len / 4;
  s.r = s.row_len % 4;
  s.S = s.fh * s.q4 + (s.fh * s.r + 3) / 4;
  return s;
}

// Words of the blob per channel pair, and of the whole blob.
inline int32_t smallk_pair_words(int32_t S) { return 4 + 4 * S + 6; }
// Word of channel c's doubled bias, and of its m (K and e follow).
inline std::size_t smallk_bias_word(int32_t S, int32_t c) {
  return static_cast<std::size_t>(c / 2) * static_cast<std::size_t>(smallk_pair_words(S)) + static_cast<std::size_t>(c & 1);
}
inline std::size_t smallk_rq_word(int32_t S, int32_t c) {
  return static_cast<std::size_t>(c / 2) * static_cast<std::size_t>(smallk_pair_words(S)) + 4 +
         4 * static_cast<std::size_t>(S) + 3 * static_cast<std::size_t>(c & 1);
}
inline std::size_t smallk_blob_bytes(const ConvParams& p) {
  return 4u * static_cast<std::size_t>((p.output.c + 1) / 2) *
         static_cast<std::size_t>(smallk_pair_words(smallk_shape(p).S));
}

// Scratch the kernel uses (scratch_need.h plans it): the block of two
// windows (32 S bytes), the fh padded input rows of an output row, the
// outputs of a pixel without a partner (and of both pixels of a block for
// an odd channel count).
inline std::size_t smallk_scratch_bytes(const ConvParams& p) {
  const SmallKShape k = smallk_shape(p);
  const std::size_t wp = static_cast<std::size_t>(p.output.w - 1) * static_cast<std::size_t>(p.stride_w) +
                         static_cast<std::size_t>(p.filter.w);
  const std::size_t rb = (static_cast<std::size_t>(k.fh) * wp * static_cast<std::size_t>(p.input.c) + 3) & ~std::size_t{3};
  const std::size_t tmp = ((p.output.c & 1) != 0 ? 2 : 1) * ((static_cast<std::size_t>(p.output.c) + 4) & ~std::size_t{3});
  return 32 * static_cast<std::size_t>(k.S) + rb + tmp;
}

// The layers the layout is for: few input channels (1..4), a window of at
// most 48 values (4 S <= 48), a blob of at most kSmallKMaxBlob bytes, stride 1 or 2, no dilation, per-channel
// requantization with a bias; the requantization exact in the form above:
// multipliers 0 or in [2^30, 2^31), shifts in [-31, 0] (not 0 when the
// output zero point is above -128), (2 zp + 1) << e in int32 (so |K| <=
// 2^30: zp -128 allows e = 23, which gemm_mode_for's bound does not), the full
// int8 range, and |bias| + K * 255 * 128 < 2^30 (the doubled accumulator
// stays in int32).
inline bool conv_smallk_fit(const ConvParams& p, const int32_t* bias) {
  if (bias == nullptr || p.requant.per_channel == 0) return false;
  if (p.filter.c != p.input.c || p.input.c < 1 || p.input.c > kSmallKMaxCin) return false;
  if (p.filter.h < 1 || p.filter.w < 1 || p.dilation_h != 1 || p.dilation_w != 1) return false;
  if (p.stride_h < 1 || p.stride_h > 2 || p.stride_w < 1 || p.stride_w > 2) return false;
  if (p.output.c < 1 || p.output.c > 1024) return false;
  const SmallKShape s = smallk_shape(p);
  if (s.S < 1 || s.S > kSmallKMaxGroups || smallk_blob_bytes(p) > kSmallKMaxBlob) return false;
  const Requant& rq = p.requant;
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t zp = rq.output_offset;
  if (zp < -128 || zp > 127) return false;
  const int64_t K = static_cast<int64_t>(p.filter.h) * s.row_len;
  for (int32_t c = 0; c < p.output.c; ++c) {
    const int64_t m = rq.multiplier[c];
    const int64_t e = -int64_t{rq.shift[c]};
    if (m != 0 && (m < (int64_t{1} << 30) || m > INT32_MAX)) return false;
    if (e < 0 || e > 31 || (zp > -128 && e == 0)) return false;
    const int64_t v = (2 * int64_t{zp} + 1) * (int64_t{1} << e);  // K = v / 2 (rounded down)
    if (v < INT32_MIN || v > INT32_MAX) return false;
    const int64_t b = bias[c] < 0 ? -int64_t{bias[c]} : int64_t{bias[c]};
    if (b + K * 255 * 128 >= (int64_t{1} << 30)) return false;
  }
  return true;
}

// Word and halfword of window value (ky, t) in the pair order: returns
// 2 * group + word (0..2S-1), *half = 0 (low) or 1 (high).
inline int32_t smallk_pos(const SmallKShape& s, int32_t ky, int32_t t, int32_t* half) {
  int32_t g, lane;
  if (t < 4 * s.q4) {
    g = ky * s.q4 + t / 4;
    lane = t % 4;
  } else {
    const int32_t n = ky * s.r + (t - 4 * s.q4);
    g = s.fh * s.q4 + n / 4;
    lane = n % 4;
  }
  *half = lane >> 1;
  return 2 * g + (lane & 1);
}

// Byte offset in the blob of weight (c, ky, t)'s halfword.
inline std::size_t smallk_weight_offset(const SmallKShape& s, int32_t c, int32_t ky, int32_t t) {
  int32_t half = 0;
  const int32_t j = smallk_pos(s, ky, t, &half);
  const std::size_t word = static_cast<std::size_t>(c / 2) * static_cast<std::size_t>(smallk_pair_words(s.S)) +
                           4 + 4 * static_cast<std::size_t>(j >> 1) + 2 * static_cast<std::size_t>(c & 1) +
                           static_cast<std::size_t>(j & 1);
  return 4 * word + 2 * static_cast<std::size_t>(half);
}

// Weight (c, ky, t) read back from the blob.
inline int32_t smallk_weight(const int8_t* blob, const SmallKShape& s, int32_t c, int32_t ky, int32_t t) {
  const std::size_t i = smallk_weight_offset(s, c, ky, t);
  const int32_t v = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint8_t>(blob[i]) |
                                                               (static_cast<uint32_t>(static_cast<uint8_t>(blob[i + 1])) << 8)));
  return v / 2;
}

// Writes the blob (smallk_blob_bytes(p) bytes at dst, 4-byte aligned use)
// from the OHWI int8 filter, bias and requantization of p.
inline void conv_smallk_pack(const ConvParams& p, const int8_t* filter, const int32_t* bias, int8_t* dst) {
  const SmallKShape s = smallk_shape(p);
  const int32_t cout = p.output.c, pairs = (cout + 1) / 2, pw = smallk_pair_words(s.S);
  auto put_word = [&](std::size_t word, uint32_t v) {
    for (int b = 0; b < 4; ++b) dst[4 * word + b] = static_cast<int8_t>(static_cast<uint8_t>(v >> (8 * b)));
  };
  for (int32_t i = 0; i < pairs * pw; ++i) put_word(static_cast<std::size_t>(i), 0);
  const int32_t zpc = 2 * p.requant.output_offset + 1;
  for (int32_t c = 0; c < cout; ++c) {
    put_word(smallk_bias_word(s.S, c), static_cast<uint32_t>(bias[c]) << 1);
    put_word(smallk_bias_word(s.S, c) + 2, static_cast<uint32_t>(bias[c]) << 1);
    for (int32_t ky = 0; ky < s.fh; ++ky) {
      for (int32_t t = 0; t < s.row_len; ++t) {
        const int32_t w = filter[(static_cast<std::size_t>(c) * s.fh + static_cast<std::size_t>(ky)) * s.row_len +
                                 static_cast<std::size_t>(t)];
        const uint32_t v = static_cast<uint32_t>(2 * w) & 0xFFFFu;
        const std::size_t i = smallk_weight_offset(s, c, ky, t);
        dst[i] = static_cast<int8_t>(static_cast<uint8_t>(v & 0xFF));
        dst[i + 1] = static_cast<int8_t>(static_cast<uint8_t>(v >> 8));
      }
    }
    const int32_t e = -p.requant.shift[c];
    const int32_t k = static_cast<int32_t>(static_cast<uint32_t>(zpc) << e) >> 1;
    const std::size_t rq = smallk_rq_word(s.S, c);
    put_word(rq, static_cast<uint32_t>(p.requant.multiplier[c]));
    put_word(rq + 1, static_cast<uint32_t>(k));
    put_word(rq + 2, static_cast<uint32_t>(e));
  }
}

}  // namespace tp::kernels::arm_dsp
