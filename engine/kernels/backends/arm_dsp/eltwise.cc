// ADD and AVERAGE_POOL_2D on Cortex-M4.
//
// ADD: each input's rescaling (offset, left shift, MultiplyByQuantizedMultiplier
// SmallerThanOne) depends on one int8 value only, so it is tabulated once per
// call (2 x 256 int32, doubled) in the scratch; per element two table loads,
// one add and the output requantization SMMLAR/ASR/SSAT (see gemm_m4.S).
#include "conv.h"
#include "gemm.h"
#include "scratch.h"

// Small copy/fill loops must stay inline: GCC would turn them into
// memcpy/memset calls, which cost more than the loops for these sizes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

namespace tp::kernels::arm_dsp {

namespace {

// 2 * RDBPOT(SRDHM(v, m), e) for v = (x + offset) << left_shift, x = -128..127
// (left_shift <= 22 and |x + offset| <= 255 keep 2v in int32, so SRDHM(v, m)
// = SMMLAR(2v, m, 0); the rounding uses [v < 0] for [s < 0], see gemm_m4.S).
// Returns the largest magnitude of the (undoubled) values.
uint32_t build_table(int32_t* t, int32_t offset, int32_t left_shift, int32_t m, int32_t shift) {
  const int32_t e = -shift;
  const int32_t half = e > 0 ? int32_t{1} << (e - 1) : 0;
  const int32_t corr = e > 0 ? 1 : 0;
  const uint32_t step = uint32_t{1} << (left_shift + 1);
  uint32_t v2u = static_cast<uint32_t>(offset - 128) * step;  // 2 * v, wrapping past the end
  int32_t lo = 0, hi = 0;
  for (int32_t i = 0; i < 256; ++i, v2u += step) {
    const int32_t v2 = static_cast<int32_t>(v2u);
    const int32_t s = smmlar(v2, m, 0);
    const int32_t r = (s + half - (corr & (v2 >> 31 & 1))) >> e;
    t[i] = 2 * r;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const uint32_t a = 0u - static_cast<uint32_t>(lo);
  return a > static_cast<uint32_t>(hi) ? a : static_cast<uint32_t>(hi);
}

// Field order is eltwise_m4.S's.
struct AddArgs {
  const int8_t* in1;
  const int8_t* in2;
  int8_t* out;
  int32_t n;
  const int32_t* t1;  // table entry of x = 0
  const int32_t* t2;
  int32_t m;
  int32_t k;
  int32_t e;
  int32_t zp;
};

#if TP_ARM_DSP_NATIVE
extern "C" {
void tp_arm_dsp_add_00(const AddArgs*);
void tp_arm_dsp_add_01(const AddArgs*);
void tp_arm_dsp_add_10(const AddArgs*);
void tp_arm_dsp_add_11(const AddArgs*);
}
void add_run(bool corr, bool fold, const AddArgs& a) {
  using Fn = void (*)(const AddArgs*);
  static constexpr Fn kFn[4] = {tp_arm_dsp_add_00, tp_arm_dsp_add_01, tp_arm_dsp_add_10,
                                tp_arm_dsp_add_11};
  kFn[(corr ? 2 : 0) | (fold ? 1 : 0)](&a);
}
#else
void add_run(bool corr, bool fold, const AddArgs& a) {
  for (int32_t i = 0; i < a.n; ++i) {
    const int32_t sum = a.t1[a.in1[i]] + a.t2[a.in2[i]];
    const int32_t t = smmlar(sum, a.m, corr ? a.k + (sum >> 31) : a.k);
    a.out[i] = static_cast<int8_t>(ssat8((t >> a.e) + (fold ? 0 : a.zp)));
  }
}
#endif

// Without the tables (scratch below 2 KB): the same arithmetic per element
// (each input rescale = SMMLAR of the doubled shifted value + rounding
// shift), checked and exact as the table path.
bool add_no_tables(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output) {
  const int32_t e1 = -p.input1_shift, e2 = -p.input2_shift;
  const int32_t h1 = e1 > 0 ? int32_t{1} << (e1 - 1) : 0, c1 = e1 > 0 ? 1 : 0;
  const int32_t h2 = e2 > 0 ? int32_t{1} << (e2 - 1) : 0, c2 = e2 > 0 ? 1 : 0;
  const int32_t sh = p.left_shift + 1;
  const int32_t o1 = p.input1_offset, o2 = p.input2_offset;
  const int32_t m1 = p.input1_multiplier, m2 = p.input2_multiplier;
  // Magnitude bounds as the table path: max over x of |s1| + |s2|.
  auto bound = [&](int32_t o, int32_t m, int32_t e, int32_t h, int32_t c) {
    uint32_t mx = 0;
    static constexpr int32_t kEnds[2] = {-128, 127};  // s(x) is monotonic in x
    for (int32_t x : kEnds) {
      const int32_t v2 = static_cast<int32_t>(static_cast<uint32_t>(x + o) << sh);
      const int32_t r = (smmlar(v2, m, 0) + h - (c & (v2 >> 31 & 1))) >> e;
      const uint32_t a = r < 0 ? 0u - static_cast<uint32_t>(r) : static_cast<uint32_t>(r);
      if (a > mx) mx = a;
    }
    return mx;
  };
  const uint64_t sum_max = uint64_t{bound(o1, m1, e1, h1, c1)} + bound(o2, m2, e2, h2, c2);
  if (2 * sum_max >= (uint64_t{1} << 31)) return false;
  const int32_t zp = p.output_offset;
  const int32_t e = -p.output_shift;
  const int32_t m = p.output_multiplier;
  const bool corr = zp > -128;
  if (corr && e == 0) return false;
  const uint64_t s_max = ((sum_max * static_cast<uint32_t>(m)) >> 31) + 1;
  const uint64_t half = (uint64_t{1} << e) >> 1;
  if (s_max + half + 1 >= (uint64_t{1} << 31)) return false;
  const uint64_t zp_abs = static_cast<uint64_t>(zp < 0 ? -zp : zp);
  const bool fold = s_max + half + 1 + (zp_abs << e) < (uint64_t{1} << 31) &&
                    ((2 * zp_abs + 1) << e) < (uint64_t{1} << 31);
  const int32_t k = fold ? static_cast<int32_t>(static_cast<uint32_t>(2 * zp + 1) << e) >> 1
                         : static_cast<int32_t>(half);
  const int32_t zp_add = fold ? 0 : zp;
  for (int32_t i = 0; i < p.size; ++i) {
    const int32_t v1 = static_cast<int32_t>(static_cast<uint32_t>(input1[i] + o1) << sh);
    const int32_t v2 = static_cast<int32_t>(static_cast<uint32_t>(input2[i] + o2) << sh);
    const int32_t s1 = (smmlar(v1, m1, 0) + h1 - (c1 & (v1 >> 31 & 1))) >> e1;
    const int32_t s2 = (smmlar(v2, m2, 0) + h2 - (c2 & (v2 >> 31 & 1))) >> e2;
    const int32_t sum2 = 2 * (s1 + s2);
    const int32_t t = smmlar(sum2, m, corr ? k + (sum2 >> 31) : k);
    output[i] = static_cast<int8_t>(ssat8((t >> e) + zp_add));
  }
  return true;
}

}  // namespace

bool add(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output, Scratch scratch) {
  if (p.act_min != -128 || p.act_max != 127) return false;
  if (p.left_shift < 0 || p.left_shift > 22) return false;
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0) return false;
  if (p.input1_shift < -31 || p.input2_shift < -31 || p.output_shift < -31) return false;
  // 2 * (x + offset) << left_shift must fit in int32 for every int8 x.
  const int32_t o1 = p.input1_offset, o2 = p.input2_offset;
  const int32_t max1 = (o1 + 127 > 128 - o1) ? o1 + 127 : 128 - o1;
  const int32_t max2 = (o2 + 127 > 128 - o2) ? o2 + 127 : 128 - o2;
  if (o1 < -255 || o1 > 255 || o2 < -255 || o2 > 255) return false;
  if ((static_cast<int64_t>(max1 > max2 ? max1 : max2) << (p.left_shift + 1)) >= (int64_t{1} << 31)) {
    return false;
  }
  const int32_t zp = p.output_offset;
  if (zp < -128 || zp > 127) return false;
  if (p.output_multiplier < 0 || p.input1_multiplier < 0 || p.input2_multiplier < 0) return false;
  if (2u * 256u * sizeof(int32_t) > scratch_bytes(scratch)) return add_no_tables(p, input1, input2, output);

  int32_t* t1 = reinterpret_cast<int32_t*>(scratch16(scratch));
  int32_t* t2 = t1 + 256;
  const uint32_t a1 = build_table(t1, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
  const uint32_t a2 = build_table(t2, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
  // sum = s1 + s2 must double into int32, and the output stage's rounding
  // additions must not overflow (see gemm_mode_for).
  const uint64_t sum_max = uint64_t{a1} + a2;
  if (2 * sum_max >= (uint64_t{1} << 31)) return false;
  const int32_t e = -p.output_shift;
  const int32_t m = p.output_multiplier;
  const bool corr = zp > -128;
  if (corr && e == 0) return false;
  const uint64_t s_max = ((sum_max * static_cast<uint32_t>(m)) >> 31) + 1;
  const uint64_t half = (uint64_t{1} << e) >> 1;
  if (s_max + half + 1 >= (uint64_t{1} << 31)) return false;
  const uint64_t zp_abs = static_cast<uint64_t>(zp < 0 ? -zp : zp);
  const bool fold = s_max + half + 1 + (zp_abs << e) < (uint64_t{1} << 31) &&
                    ((2 * zp_abs + 1) << e) < (uint64_t{1} << 31);
  int32_t k;
  if (fold) {
    k = static_cast<int32_t>(static_cast<uint32_t>(2 * zp + 1) << e) >> 1;
  } else {
    k = static_cast<int32_t>(half);
  }
  AddArgs a{input1, input2, output, p.size, t1 + 128, t2 + 128, m, k, e, zp};
  add_run(corr, fold, a);
  return true;
}

}  // namespace tp::kernels::arm_dsp

namespace tp::kernels::arm_dsp {

// AVERAGE_POOL_2D: window sums of 4 channels at a time in two int16x2
// accumulators (SXTAB16; exact for windows of at most 255 taps), then
// TFLite's rounding division (half away from zero) per channel.
bool avg_pool(const AvgPoolParams& p, const int8_t* input, int8_t* output) {
  const int32_t C = p.input.c;
  if (C % 4 != 0 || p.output.c != C) return false;
  if (p.filter_h * p.filter_w > 255 || p.filter_h <= 0 || p.filter_w <= 0) return false;
  const bool clamp = p.act_min > -128 || p.act_max < 127;
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in_n = input + n * p.input.h * p.input.w * C;
    int8_t* out = output + n * p.output.h * p.output.w * C;
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t in_y0 = oy * p.stride_h - p.pad_h;
      const int32_t ky_begin = in_y0 < 0 ? -in_y0 : 0;
      const int32_t ky_end = p.filter_h < p.input.h - in_y0 ? p.filter_h : p.input.h - in_y0;
      for (int32_t ox = 0; ox < p.output.w; ++ox, out += C) {
        const int32_t in_x0 = ox * p.stride_w - p.pad_w;
        const int32_t kx_begin = in_x0 < 0 ? -in_x0 : 0;
        const int32_t kx_end = p.filter_w < p.input.w - in_x0 ? p.filter_w : p.input.w - in_x0;
        const int32_t count = (ky_end - ky_begin) * (kx_end - kx_begin);
        const int32_t half = count / 2;
        const int8_t* win = in_n + ((in_y0 + ky_begin) * p.input.w + in_x0 + kx_begin) * C;
        const int32_t cols = kx_end - kx_begin;
        const int32_t rows = ky_end - ky_begin;
        for (int32_t c = 0; c < C; c += 4) {
          uint32_t a02 = 0, a13 = 0;
          const int8_t* row = win + c;
          for (int32_t ky = 0; ky < rows; ++ky, row += p.input.w * C) {
            const int8_t* px = row;
            for (int32_t kx = 0; kx < cols; ++kx, px += C) {
              const uint32_t v = load32(px);
              a02 = sxtab16(a02, v);
              a13 = sxtab16_ror8(a13, v);
            }
          }
          const int32_t sums[4] = {lo16(a02), lo16(a13), hi16(a02), hi16(a13)};
          for (int q = 0; q < 4; ++q) {
            const int32_t acc = sums[q];
            int32_t v = (acc > 0 ? acc + half : acc - half) / count;
            if (clamp) v = v < p.act_min ? p.act_min : (v > p.act_max ? p.act_max : v);
            out[c + q] = static_cast<int8_t>(v);
          }
        }
      }
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
