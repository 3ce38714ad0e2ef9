// DEPTHWISE_CONV_2D 3x3 (stride 1 or 2, depth multiplier 1) on Cortex-M4.
//
// Groups of 4 channels are transposed from NHWC int8 into "planar" int16
// rows (input offset added, zeros where the layer pads), one band of rows
// at a time, and dw_m4.S walks each channel's rows two outputs at a time
// with SMLAD on horizontally adjacent pixels. The longer spatial dimension
// is the one walked (kws01's 25x5 maps run down the columns).
#include <cstddef>

#include "conv.h"
#include "../../reference/requant.h"
#include "gemm.h"
#include "scratch.h"

// Small copy/fill loops must stay inline: GCC would turn them into
// memcpy/memset calls, which cost more than the loops for these sizes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#ifdef TP_ARM_DSP_STATS
extern "C" int tp_arm_dsp_fast_calls[10];  // dispatch.cc (tests only)
#endif

namespace tp::kernels::arm_dsp {

namespace {

// Field order is dw_m4.S's frame layout.
struct DwArgs {
  int32_t m;
  int32_t k;
  int32_t e;
  int32_t bias0;  // 2 * bias
  int32_t bias1;  // 2 * bias
  int32_t zp;
  const int16_t* x;
  int8_t* out;
  int32_t step;
  int32_t outrow;
  int32_t pairs;
  int32_t odd;
  int32_t rows;
  const uint32_t* w;  // W01_0, W12_0, W01_1, W12_1, W01_2, W12_2 (doubled)
};

#if TP_ARM_DSP_NATIVE
extern "C" {
#define TP_DW_DECL(S, RS)                                 \
  void tp_arm_dsp_dw3x3_s##S##_r##RS##_00(DwArgs*);       \
  void tp_arm_dsp_dw3x3_s##S##_r##RS##_01(DwArgs*);       \
  void tp_arm_dsp_dw3x3_s##S##_r##RS##_10(DwArgs*);       \
  void tp_arm_dsp_dw3x3_s##S##_r##RS##_11(DwArgs*);
TP_DW_DECL(1, 32)
TP_DW_DECL(1, 64)
TP_DW_DECL(1, 128)
TP_DW_DECL(2, 32)
TP_DW_DECL(2, 64)
TP_DW_DECL(2, 128)
#undef TP_DW_DECL
}
using DwFn = void (*)(DwArgs*);
#define TP_DW_ROW(S, RS)                                                            \
  {tp_arm_dsp_dw3x3_s##S##_r##RS##_00, tp_arm_dsp_dw3x3_s##S##_r##RS##_01,        \
   tp_arm_dsp_dw3x3_s##S##_r##RS##_10, tp_arm_dsp_dw3x3_s##S##_r##RS##_11}
// [stride - 1][log2(RS / 32)][corr * 2 + fold]
const DwFn kDw[2][3][4] = {{TP_DW_ROW(1, 32), TP_DW_ROW(1, 64), TP_DW_ROW(1, 128)},
                           {TP_DW_ROW(2, 32), TP_DW_ROW(2, 64), TP_DW_ROW(2, 128)}};
#undef TP_DW_ROW

void dw_run(int s, int rs_bytes, const GemmMode& mode, DwArgs& a) {
  const int r = rs_bytes == 32 ? 0 : (rs_bytes == 64 ? 1 : 2);
  kDw[s - 1][r][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
#else
// Portable twin of dw_m4.S.
void dw_run(int s, int rs_bytes, const GemmMode& mode, DwArgs& a) {
  const int32_t rs = rs_bytes / 2;
  const int32_t n = 2 * a.pairs + a.odd;
  for (int32_t r = 0; r < a.rows; ++r) {
    const int16_t* x = a.x + r * s * rs;
    for (int32_t o = 0; o < n; ++o) {
      int32_t acc = a.bias0;
      for (int ky = 0; ky < 3; ++ky) {
        const int16_t* row = x + ky * rs + o * s;
        const int32_t w0 = lo16(a.w[2 * ky]), w1 = hi16(a.w[2 * ky]), w2 = hi16(a.w[2 * ky + 1]);
        acc = wrap_add(acc, int64_t{row[0]} * w0 + int64_t{row[1]} * w1 + int64_t{row[2]} * w2);
      }
      int32_t t = smmlar(acc, a.m, a.k);
      if (mode.corr && acc < 0) t -= 1;
      t >>= a.e;
      if (!mode.fold) t += a.zp;
      a.out[r * a.outrow + o * a.step] = static_cast<int8_t>(ssat8(t));
    }
  }
}
#endif

}  // namespace

// Field order is dw_m4.S's direct-kernel frame.
struct DwdArgs {
  const void* in;  // padded buffer (expanded for stride 1): window origin of output (0, 0)
  int32_t rsb;       // buffer row stride, bytes
  int8_t* out;
  int32_t step;    // bytes between output pixels of a row
  int32_t outrow;  // bytes between output rows
  int32_t cols;
  int32_t rows;
  const uint32_t* wt;  // 9 x {(2w0, 2w2), (2w1, 2w3)}
  const int32_t* rq;   // 4 x {m, K, e}
  const int32_t* bias;  // 4 x 2 * bias
  uint32_t off2;  // input offset in both halfwords (stride 2: raw buffer)
  int32_t zp;
};

#if TP_ARM_DSP_NATIVE
extern "C" {
void tp_arm_dsp_dwd_s1_00(const DwdArgs*);
void tp_arm_dsp_dwd_s1_01(const DwdArgs*);
void tp_arm_dsp_dwd_s1_10(const DwdArgs*);
void tp_arm_dsp_dwd_s1_11(const DwdArgs*);
void tp_arm_dsp_dwd_s2_00(const DwdArgs*);
void tp_arm_dsp_dwd_s2_01(const DwdArgs*);
void tp_arm_dsp_dwd_s2_10(const DwdArgs*);
void tp_arm_dsp_dwd_s2_11(const DwdArgs*);
}
void dwd_run(int s, const GemmMode& mode, const DwdArgs& a) {
  using Fn = void (*)(const DwdArgs*);
  static constexpr Fn kFn[2][4] = {
      {tp_arm_dsp_dwd_s1_00, tp_arm_dsp_dwd_s1_01, tp_arm_dsp_dwd_s1_10, tp_arm_dsp_dwd_s1_11},
      {tp_arm_dsp_dwd_s2_00, tp_arm_dsp_dwd_s2_01, tp_arm_dsp_dwd_s2_10, tp_arm_dsp_dwd_s2_11}};
  kFn[s - 1][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
#else
// Portable twin of the direct kernel.
void dwd_run(int s, const GemmMode& mode, const DwdArgs& a) {
  for (int32_t r = 0; r < a.rows; ++r) {
    for (int32_t c = 0; c < a.cols; ++c) {
      int32_t acc[4] = {a.bias[0], a.bias[1], a.bias[2], a.bias[3]};
      for (int t = 0; t < 9; ++t) {
        const int8_t* px = static_cast<const int8_t*>(a.in) + (r * s + t / 3) * a.rsb;
        uint32_t x02, x13;
        if (s == 1) {
          px += (c + t % 3) * 8;
          x02 = load32(px);
          x13 = load32(px + 4);
        } else {
          const uint32_t v = load32(px + (c * s + t % 3) * 4);
          x02 = sxtab16(a.off2, v);
          x13 = sxtab16_ror8(a.off2, v);
        }
        acc[0] = smlabb(x02, a.wt[2 * t], acc[0]);
        acc[2] = smlatt(x02, a.wt[2 * t], acc[2]);
        acc[1] = smlabb(x13, a.wt[2 * t + 1], acc[1]);
        acc[3] = smlatt(x13, a.wt[2 * t + 1], acc[3]);
      }
      int8_t* o = a.out + r * a.outrow + c * a.step;
      for (int q = 0; q < 4; ++q) {
        const int32_t* rq = a.rq + 3 * q;
        int32_t t = smmlar(acc[q], rq[0], mode.corr ? rq[1] + (acc[q] >> 31) : rq[1]);
        t >>= rq[2];
        if (!mode.fold) t += a.zp;
        o[q] = static_cast<int8_t>(ssat8(t));
      }
    }
  }
}
#endif

#if TP_ARM_DSP_NATIVE
extern "C" void tp_arm_dsp_dw_expand(int16_t* dst, const int8_t* src, int32_t pairs, int32_t step,
                                     int32_t plane, uint32_t off2);
#endif

namespace {

// 4 channels x 2 * pairs pixels -> 4 planar rows (plane = halfwords between
// channel rows).
void dw_expand(int16_t* dst, const int8_t* src, int32_t pairs, int32_t step, int32_t plane,
               uint32_t off2) {
  if (pairs <= 0) return;
#if TP_ARM_DSP_NATIVE
  tp_arm_dsp_dw_expand(dst, src, pairs, step, 2 * plane, off2);
#else
  uint32_t* d = reinterpret_cast<uint32_t*>(dst);
  const int32_t pw = plane / 2;
  for (int32_t i = 0; i < pairs; ++i, src += 2 * step) {
    const uint32_t a = load32(src), b = load32(src + step);
    const uint32_t a02 = sxtab16(off2, a), a13 = sxtab16_ror8(off2, a);
    const uint32_t b02 = sxtab16(off2, b), b13 = sxtab16_ror8(off2, b);
    d[i] = pkhbt(a02, b02);
    d[i + pw] = pkhbt(a13, b13);
    d[i + 2 * pw] = pkhtb(b02, a02);
    d[i + 3 * pw] = pkhtb(b13, a13);
  }
#endif
}

// Direct kernel driver: per group of 4 channels and band of output rows, a
// padded, expanded copy of the band's input pixels in the scratch.
bool depthwise_conv2d_3x3_direct(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                                 const GemmMode& mode, const Scratch& scratch) {
  const int32_t s = p.stride_h;
  const int32_t C = p.input.c, H = p.input.h, W = p.input.w;
  const int32_t OH = p.output.h, OW = p.output.w, N = p.output.n;
  const int32_t ph = p.pad_h, pw = p.pad_w;
  const int32_t cols_in = (OW - 1) * s + 3;
  const bool xp = s == 1;  // expanded buffer
  const int32_t rsb = (xp ? 8 : 4) * cols_in;
  const int32_t rows_max = static_cast<int32_t>(scratch_bytes(scratch) / static_cast<uint32_t>(rsb));
  const int32_t band = rows_max >= 3 ? (rows_max - 3) / s + 1 : 0;
  if (band < 1) return false;
  const int32_t offset = p.input_offset;
  const int32_t zp = p.requant.output_offset;
  const uint32_t off2 = pack16(offset, offset);
  const uint32_t pad_word = static_cast<uint8_t>(-offset) * 0x01010101u;
  const int8_t* const filter = p.filter_data;
  const int32_t* const bias = p.bias;
  const int32_t* const mult = p.requant.multiplier;
  const int32_t* const shift = p.requant.shift;
  int16_t* const buf = scratch16(scratch);

  uint32_t wt[18];
  int32_t rq[12];
  int32_t b2[4];
  DwdArgs a;
  a.in = buf;
  a.rsb = rsb;
  a.step = C;
  a.outrow = OW * C;
  a.cols = OW;
  a.wt = wt;
  a.rq = rq;
  a.bias = b2;
  a.off2 = off2;
  a.zp = zp;
  for (int32_t c0 = 0; c0 < C; c0 += 4) {
    for (int t = 0; t < 9; ++t) {
      const uint32_t v = load32(filter + t * C + c0);
      const uint32_t e02 = sxtb16(v), e13 = sxtb16_ror8(v);
      wt[2 * t] = sadd16(e02, e02);
      wt[2 * t + 1] = sadd16(e13, e13);
    }
    for (int q = 0; q < 4; ++q) {
      const int32_t c = c0 + q;
      const int32_t e = -shift[c];
      const int32_t zpc = mode.fold ? 2 * zp + 1 : 1;
      const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << e);
      rq[3 * q] = mult[c];
      rq[3 * q + 1] = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
      rq[3 * q + 2] = e;
      b2[q] = bias != nullptr ? 2 * bias[c] : 0;
    }
    for (int32_t n = 0; n < N; ++n) {
      const int8_t* in_n = input + n * H * W * C + c0;
      int8_t* out_n = output + n * OH * OW * C + c0;
      for (int32_t b0 = 0; b0 < OH; b0 += band) {
        const int32_t n_rows = OH - b0 < band ? OH - b0 : band;
        const int32_t n_in = (n_rows - 1) * s + 3;
        // Columns c of the buffer = input column c - pw; inside [c_lo, c_hi).
        const int32_t c_lo = pw > 0 ? (pw < cols_in ? pw : cols_in) : 0;
        int32_t c_hi = W + pw < cols_in ? W + pw : cols_in;
        if (c_hi < c_lo) c_hi = c_lo;
        for (int32_t r = 0; r < n_in; ++r) {
          const int32_t iy = b0 * s - ph + r;
          uint32_t* d = reinterpret_cast<uint32_t*>(buf) + r * (rsb / 4);
          const int32_t words = xp ? 2 : 1;
          const uint32_t pad = xp ? 0u : pad_word;
          if (iy < 0 || iy >= H) {
            for (int32_t c = 0; c < words * cols_in; ++c) d[c] = pad;
            continue;
          }
          const int8_t* src = in_n + (iy * W + (c_lo - pw)) * C;
          for (int32_t c = 0; c < words * c_lo; ++c) d[c] = pad;
          if (xp) {
            for (int32_t c = c_lo; c < c_hi; ++c, src += C) {
              const uint32_t v = load32(src);
              d[2 * c] = sxtab16(off2, v);
              d[2 * c + 1] = sxtab16_ror8(off2, v);
            }
          } else {
            for (int32_t c = c_lo; c < c_hi; ++c, src += C) d[c] = load32(src);
          }
          for (int32_t c = words * c_hi; c < words * cols_in; ++c) d[c] = pad;
        }
        a.out = out_n + b0 * OW * C;
        a.rows = n_rows;
        dwd_run(s, mode, a);
      }
    }
  }
  return true;
}

// The planar variant's doubled weights of 4 channels c0..c0+3: per tap one
// word -> (w_c0, w_c2), (w_c1, w_c3) halfword pairs; then W01 / W12 per
// channel and filter row, in walking order (transposed when tr).
__attribute__((noinline)) void planar_weights(const int8_t* filter, int32_t C, int32_t c0, bool tr, uint32_t wtab[4][6]) {
  uint32_t t02[9], t13[9];
  for (int t = 0; t < 9; ++t) {
    const uint32_t v = load32(filter + t * C + c0);
    const uint32_t e02 = sxtb16(v), e13 = sxtb16_ror8(v);
    t02[t] = sadd16(e02, e02);
    t13[t] = sadd16(e13, e13);
  }
  for (int a = 0; a < 3; ++a) {
    // Taps of row a in walking order b = 0..2.
    const int t0 = tr ? a : 3 * a, t1 = tr ? 3 + a : 3 * a + 1, t2 = tr ? 6 + a : 3 * a + 2;
    wtab[0][2 * a] = pkhbt(t02[t0], t02[t1]);
    wtab[0][2 * a + 1] = pkhbt(t02[t1], t02[t2]);
    wtab[2][2 * a] = pkhtb(t02[t1], t02[t0]);
    wtab[2][2 * a + 1] = pkhtb(t02[t2], t02[t1]);
    wtab[1][2 * a] = pkhbt(t13[t0], t13[t1]);
    wtab[1][2 * a + 1] = pkhbt(t13[t1], t13[t2]);
    wtab[3][2 * a] = pkhtb(t13[t1], t13[t0]);
    wtab[3][2 * a + 1] = pkhtb(t13[t2], t13[t1]);
  }
}

// Planar variant: per group of 4 channels and band of output rows, the
// input transposed into one plane of halfword rows per channel (the rows
// along the longer output dimension), then dw_m4.S two outputs at a time.
bool depthwise_conv2d_3x3_planar(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                                 const GemmMode& mode, const Scratch& scratch) {
  const int s = p.stride_h;
  const int32_t C = p.input.c;
  // Orientation: "inner" = the dimension walked two outputs at a time.
  // Everything as locals: the planar stores (int16) could alias the
  // parameter struct as far as GCC knows.
  const bool tr = p.output.h > p.output.w;
  const int32_t in_o = tr ? p.input.w : p.input.h;
  const int32_t in_i = tr ? p.input.h : p.input.w;
  const int32_t out_o = tr ? p.output.w : p.output.h;
  const int32_t out_i = tr ? p.output.h : p.output.w;
  const int32_t pad_o = tr ? p.pad_w : p.pad_h;
  const int32_t pad_i = tr ? p.pad_h : p.pad_w;
  const int32_t in_step_o = tr ? C : p.input.w * C;
  const int32_t in_step_i = tr ? p.input.w * C : C;
  const int32_t out_step_o = tr ? C : p.output.w * C;
  const int32_t out_step_i = tr ? p.output.w * C : C;
  const int32_t N = p.output.n;
  const int32_t in_image = p.input.h * p.input.w * C;
  const int32_t out_image = p.output.h * p.output.w * C;
  const int32_t offset = p.input_offset;
  const int32_t zp = p.requant.output_offset;
  const int8_t* const filter = p.filter_data;
  const int32_t* const bias = p.bias;
  const int32_t* const mult = p.requant.multiplier;
  const int32_t* const shift = p.requant.shift;

  // Planar rows of up to 64 halfwords, fewer when the scratch cannot hold
  // 3 rows of 4 channels.
  int32_t rs_cap = 64;
  while (rs_cap > 16 && 4 * 3 * rs_cap * 2 > static_cast<int32_t>(scratch_bytes(scratch))) rs_cap /= 2;
  if (4 * 3 * rs_cap * 2 > static_cast<int32_t>(scratch_bytes(scratch))) return false;
  const int32_t chunk_max = (rs_cap - 4) / s;  // outputs per planar row
  const uint32_t off2 = pack16(offset, offset);
  int16_t* const sbuf = scratch16(scratch);

  for (int32_t o0 = 0; o0 < out_i; o0 += chunk_max) {
    const int32_t n_out = out_i - o0 < chunk_max ? out_i - o0 : chunk_max;
    const int32_t len = ((n_out + 1) * s + 2 + 1) & ~1;  // planar halfwords needed
    const int32_t rs = len <= 16 ? 16 : (len <= 32 ? 32 : 64);  // halfwords per planar row (<= rs_cap)
    const int32_t rows_max = static_cast<int32_t>(scratch_bytes(scratch) / (4u * 2u * static_cast<uint32_t>(rs)));
    const int32_t band = rows_max >= 3 ? (rows_max - 3) / s + 1 : 0;  // output rows per band
    if (band < 1) return false;
    const int32_t i_first = o0 * s - pad_i;  // input inner coordinate of planar index 0
    const int32_t plane = rows_max * rs;     // halfwords between channel planes
    // Pairs (i even) with both columns inside: i_lo <= i < i_hi.
    int32_t i_lo = -i_first > 0 ? ((-i_first + 1) & ~1) : 0;
    int32_t i_hi = in_i - 1 - i_first;
    if (i_hi > len) i_hi = len;
    if (i_lo > i_hi) i_lo = i_hi = len;
    const int32_t fast_pairs = (i_hi - i_lo + 1) / 2;
    const int32_t i_fast_end = i_lo + 2 * fast_pairs;

    for (int32_t c0 = 0; c0 < C; c0 += 4) {
      uint32_t wtab[4][6];
      planar_weights(filter, C, c0, tr, wtab);
      DwArgs args[4];
      for (int q = 0; q < 4; ++q) {
        const int32_t c = c0 + q;
        DwArgs& d = args[q];
        d.m = mult[c];
        d.e = -shift[c];
        const int32_t zpc = mode.fold ? 2 * zp + 1 : 1;
        const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << d.e);
        d.k = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
        d.bias0 = d.bias1 = bias != nullptr ? 2 * bias[c] : 0;
        d.zp = zp;
        d.step = out_step_i;
        d.outrow = out_step_o;
        d.pairs = n_out / 2;
        d.odd = n_out & 1;
        d.w = wtab[q];
      }
      for (int32_t n = 0; n < N; ++n) {
        const int8_t* in_n = input + n * in_image + c0;
        int8_t* out_n = output + n * out_image + c0;
        for (int32_t b0 = 0; b0 < out_o; b0 += band) {
          const int32_t n_rows = out_o - b0 < band ? out_o - b0 : band;
          const int32_t n_in = (n_rows - 1) * s + 3;
          // Transpose + expand n_in rows x len columns of 4 channels.
          for (int32_t r = 0; r < n_in; ++r) {
            const int32_t io = b0 * s - pad_o + r;
            int16_t* row0 = sbuf + r * rs;
            uint32_t* dst[4];
            for (int q = 0; q < 4; ++q) dst[q] = reinterpret_cast<uint32_t*>(row0 + q * plane);
            if (io < 0 || io >= in_o) {
              for (int q = 0; q < 4; ++q) {
                for (int32_t j = 0; j < len / 2; ++j) dst[q][j] = 0;
              }
              continue;
            }
            const int8_t* src = in_n + io * in_step_o;
            // Edge pairs (a column outside the image): whole 4-channel
            // words, zero halves for the padded column.
            auto slow_pair = [&](int32_t i) {
              const int32_t ii = i_first + i;
              uint32_t a02 = 0, a13 = 0, b02 = 0, b13 = 0;
              if (ii >= 0 && ii < in_i) {
                const uint32_t v = load32(src + ii * in_step_i);
                a02 = sxtab16(off2, v);
                a13 = sxtab16_ror8(off2, v);
              }
              if (ii + 1 >= 0 && ii + 1 < in_i) {
                const uint32_t v = load32(src + (ii + 1) * in_step_i);
                b02 = sxtab16(off2, v);
                b13 = sxtab16_ror8(off2, v);
              }
              dst[0][i / 2] = pkhbt(a02, b02);
              dst[1][i / 2] = pkhbt(a13, b13);
              dst[2][i / 2] = pkhtb(b02, a02);
              dst[3][i / 2] = pkhtb(b13, a13);
            };
            for (int32_t i = 0; i < i_lo; i += 2) slow_pair(i);
            dw_expand(row0 + i_lo, src + (i_first + i_lo) * in_step_i, fast_pairs, in_step_i, plane, off2);
            for (int32_t i = i_fast_end; i < len; i += 2) slow_pair(i);
          }
          for (int q = 0; q < 4; ++q) {
            DwArgs& d = args[q];
            d.x = sbuf + q * plane;
            d.out = out_n + b0 * out_step_o + o0 * out_step_i + q;
            d.rows = n_rows;
            dw_run(s, rs * 2, mode, d);
          }
        }
      }
    }
  }
  return true;
}

}  // namespace

// ---- vertical-pair kernel (stride 1): see dw_m4.S, tp_arm_dsp_dwv_* -------

// Field order is dw_m4.S's DWV frame.
struct DwvArgs {
  uint32_t w[6];  // per kernel column kx: (2w0, 2w1), (2w1, 2w2) down the column
  int32_t m;
  int32_t k;
  int32_t e;
  int32_t zp;
  int32_t bias2;
  const uint32_t* x;  // column 0 of the strip's plane (3 words a column)
  int8_t* out;        // output row 0, column 0
  int32_t step;       // bytes between output columns
  int32_t rowoff[3];  // bytes from row 0 to rows 1..3
  int32_t cols;
};

#if TP_ARM_DSP_NATIVE
extern "C" {
void tp_arm_dsp_dwv_00(const DwvArgs*);
void tp_arm_dsp_dwv_01(const DwvArgs*);
void tp_arm_dsp_dwv_10(const DwvArgs*);
void tp_arm_dsp_dwv_11(const DwvArgs*);
void tp_arm_dsp_dwv2_00(const DwvArgs*);
void tp_arm_dsp_dwv2_01(const DwvArgs*);
void tp_arm_dsp_dwv2_10(const DwvArgs*);
void tp_arm_dsp_dwv2_11(const DwvArgs*);
void tp_arm_dsp_dwvs2_00(const DwvArgs*);
void tp_arm_dsp_dwvs2_01(const DwvArgs*);
void tp_arm_dsp_dwvs2_10(const DwvArgs*);
void tp_arm_dsp_dwvs2_11(const DwvArgs*);
}
// Stride 1: rows 4, or 2 (rows 0 and 1 of the strip only; rowoff[0] used).
// Stride 2: 4 rows (input rows 0-2, 2-4, 4-6, 6-8 of the strip's 10: 5
// words a column), the window 2 columns on per output.
void dwv_run(const GemmMode& mode, const DwvArgs& a, int rows, int s) {
  using Fn = void (*)(const DwvArgs*);
  static constexpr Fn kFn[3][4] = {
      {tp_arm_dsp_dwv2_00, tp_arm_dsp_dwv2_01, tp_arm_dsp_dwv2_10, tp_arm_dsp_dwv2_11},
      {tp_arm_dsp_dwv_00, tp_arm_dsp_dwv_01, tp_arm_dsp_dwv_10, tp_arm_dsp_dwv_11},
      {tp_arm_dsp_dwvs2_00, tp_arm_dsp_dwvs2_01, tp_arm_dsp_dwvs2_10, tp_arm_dsp_dwvs2_11}};
  kFn[s == 2 ? 2 : (rows > 2 ? 1 : 0)][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
#else
// Portable twin of tp_arm_dsp_dwv_* and tp_arm_dsp_dwvs2_*.
void dwv_run(const GemmMode& mode, const DwvArgs& a, int rows, int s) {
  int8_t* out = a.out;
  if (s == 2) {
    for (int32_t c = 0; c < a.cols; ++c, out += a.step) {
      const uint32_t* x = a.x + 10 * c;
      int32_t acc[4] = {a.bias2, a.bias2, a.bias2, a.bias2};
      for (int kx = 0; kx < 3; ++kx, x += 5) {
        const uint32_t wa = a.w[2 * kx], wb = a.w[2 * kx + 1];
        for (int r = 0; r < 4; ++r) acc[r] = smlabt(x[r + 1], wb, smlad(x[r], wa, acc[r]));  // rows 2r..2r+2
      }
      for (int r = 3; r >= 0; --r) {
        int32_t t = smmlar(acc[r], a.m, mode.corr ? a.k + (acc[r] >> 31) : a.k);
        t >>= a.e;
        if (!mode.fold) t += a.zp;
        out[r == 0 ? 0 : a.rowoff[r - 1]] = static_cast<int8_t>(ssat8(t));
      }
    }
    return;
  }
  for (int32_t c = 0; c < a.cols; ++c, out += a.step) {
    const uint32_t* x = a.x + 3 * c;
    int32_t acc[4] = {a.bias2, a.bias2, a.bias2, a.bias2};
    for (int kx = 0; kx < 3; ++kx, x += 3) {
      const uint32_t wa = a.w[2 * kx], wb = a.w[2 * kx + 1];
      acc[0] = smlabt(x[1], wb, smlad(x[0], wa, acc[0]));
      acc[1] = smlad(x[1], wb, smlatb(x[0], wa, acc[1]));
      acc[2] = smlabt(x[2], wb, smlad(x[1], wa, acc[2]));
      acc[3] = smlad(x[2], wb, smlatb(x[1], wa, acc[3]));
    }
    for (int r = rows - 1; r >= 0; --r) {
      int32_t t = smmlar(acc[r], a.m, mode.corr ? a.k + (acc[r] >> 31) : a.k);
      t >>= a.e;
      if (!mode.fold) t += a.zp;
      out[r == 0 ? 0 : a.rowoff[r - 1]] = static_cast<int8_t>(ssat8(t));
    }
  }
}
#endif

// Driver: per group of 4 channels and band of output rows (strips of 4:
// 6 input rows, 3 words a column, at stride 1; 10 input rows, 5 words a
// column, at stride 2), the band's input as vertical pairs, one plane per
// channel: plane[strip][column][words], then the kernel per channel and strip.
// The whole band is read before any of its outputs (of these 4 channels)
// is written, as the other variants do.
bool depthwise_conv2d_3x3_vpair(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                                const GemmMode& mode, const Scratch& scratch) {
  const int32_t C = p.input.c, H = p.input.h, W = p.input.w;
  const int32_t OH = p.output.h, OW = p.output.w, N = p.output.n;
  const int32_t ph = p.pad_h, pw = p.pad_w;
  const int32_t s = p.stride_h;
  const int32_t wpc = s == 1 ? 3 : 5;  // words (row pairs) per column of a strip
  const int32_t cols_in = (OW - 1) * s + 3;
  // Bytes per strip for 4 channels: 4 planes x cols_in x 4 * wpc.
  const uint32_t strip_bytes = 16u * static_cast<uint32_t>(wpc * cols_in);
  const int32_t strips_max = static_cast<int32_t>(scratch_bytes(scratch) / strip_bytes);
  if (strips_max < 1) return false;
  const int32_t band = 4 * strips_max;  // output rows per band
  // More than one band: the bands run top-down, each band's outputs written
  // before the next band's input is read; not over an input that lies
  // below the output in memory (a layer run in place bottom-up).
  if (band < OH) {
    const int8_t* in_end = input + static_cast<std::ptrdiff_t>(N) * H * W * C;
    const int8_t* out_end = output + static_cast<std::ptrdiff_t>(N) * OH * OW * C;
    if (output > input && output < in_end) return false;
    if (output < input && out_end > input) {
      // in place top-down: fine when the output starts at least a row above.
      if (input - output < static_cast<std::ptrdiff_t>(W) * C) return false;
    }
  }
  const int32_t offset = p.input_offset;
  const uint32_t off2 = pack16(offset, offset);
  const uint32_t pad_word = static_cast<uint8_t>(-offset) * 0x01010101u;
  const int8_t* const filter = p.filter_data;
  const int32_t* const bias = p.bias;
  const int32_t* const mult = p.requant.multiplier;
  const int32_t* const shift = p.requant.shift;
  uint32_t* const buf = reinterpret_cast<uint32_t*>(scratch16(scratch));
  const int32_t outrow = OW * C;
  // Interior columns: input column c - pw inside [0, W).
  int32_t c_lo = pw > 0 ? pw : 0;
  if (c_lo > cols_in) c_lo = cols_in;
  int32_t c_hi = W + pw < cols_in ? W + pw : cols_in;
  if (c_hi < c_lo) c_hi = c_lo;

  DwvArgs args[4];
  for (int32_t c0 = 0; c0 < C; c0 += 4) {
    for (int q = 0; q < 4; ++q) {
      const int32_t c = c0 + q;
      DwvArgs& a = args[q];
      for (int kx = 0; kx < 3; ++kx) {
        const int32_t w0 = 2 * filter[kx * C + c], w1 = 2 * filter[(3 + kx) * C + c];
        const int32_t w2 = 2 * filter[(6 + kx) * C + c];
        a.w[2 * kx] = pack16(w0, w1);
        a.w[2 * kx + 1] = pack16(w1, w2);
      }
      a.m = mult[c];
      a.e = -shift[c];
      const int32_t zpc = mode.fold ? 2 * p.requant.output_offset + 1 : 1;
      const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << a.e);
      a.k = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
      a.zp = p.requant.output_offset;
      a.bias2 = bias != nullptr ? 2 * bias[c] : 0;
      a.step = C;
      a.cols = OW;
    }
    for (int32_t n = 0; n < N; ++n) {
      const int8_t* in_n = input + n * H * W * C + c0;
      int8_t* out_n = output + n * OH * OW * C + c0;
      for (int32_t b0 = 0; b0 < OH; b0 += band) {
        const int32_t n_rows = OH - b0 < band ? OH - b0 : band;
        const int32_t n_strips = (n_rows + 3) / 4;
        const int32_t plane = n_strips * cols_in * wpc;  // words per channel plane
        for (int32_t st = 0; st < n_strips; ++st) {
          for (int k = 0; k < wpc; ++k) {
            const int32_t iy = (b0 + 4 * st) * s - ph + 2 * k;
            const bool v0 = iy >= 0 && iy < H, v1 = iy + 1 >= 0 && iy + 1 < H;
            const int8_t* r0 = in_n + iy * W * C;
            const int8_t* r1 = r0 + W * C;
            uint32_t* d = buf + st * cols_in * wpc + k;
            auto put = [&](int32_t col, uint32_t a, uint32_t b) {
              const uint32_t lo = pkhbt(a, b), hi = pkhtb(b, a);
              uint32_t* e = d + wpc * col;
              e[0] = sxtab16(off2, lo);
              e[plane] = sxtab16_ror8(off2, lo);
              e[2 * plane] = sxtab16(off2, hi);
              e[3 * plane] = sxtab16_ror8(off2, hi);
            };
            for (int32_t col = 0; col < c_lo; ++col) put(col, pad_word, pad_word);
            if (v0 && v1) {
              const int8_t* s0 = r0 + (c_lo - pw) * C;
              const int8_t* s1 = r1 + (c_lo - pw) * C;
              for (int32_t col = c_lo; col < c_hi; ++col, s0 += C, s1 += C) put(col, load32(s0), load32(s1));
            } else {
              for (int32_t col = c_lo; col < c_hi; ++col) {
                const int32_t off = (col - pw) * C;
                put(col, v0 ? load32(r0 + off) : pad_word, v1 ? load32(r1 + off) : pad_word);
              }
            }
            for (int32_t col = c_hi; col < cols_in; ++col) put(col, pad_word, pad_word);
          }
        }
        for (int32_t st = 0; st < n_strips; ++st) {
          const int32_t valid = n_rows - 4 * st < 4 ? n_rows - 4 * st : 4;
          // Missing rows of a partial strip go to a valid row stored after them.
          const int32_t r1 = valid > 1 ? outrow : 0;
          const int32_t r2 = valid > 2 ? 2 * outrow : (valid > 1 ? 0 : 0);
          const int32_t r3 = valid > 3 ? 3 * outrow : (valid > 2 ? 2 * outrow : (valid > 1 ? outrow : 0));
          for (int q = 0; q < 4; ++q) {
            DwvArgs& a = args[q];
            a.x = buf + q * plane + st * cols_in * wpc;
            a.out = out_n + (b0 + 4 * st) * outrow + q;
            a.rowoff[0] = r1;
            a.rowoff[1] = r2;
            a.rowoff[2] = r3;
            dwv_run(mode, a, valid > 2 ? 4 : 2, s);
          }
        }
      }
    }
  }
  return true;
}

// ---- small maps (stride 1, padding 1, width <= 6): see dw_m4.S, tp_arm_dsp_dws* ----
//
// TP_ARM_DSP_DW_SMALL 0 (a board's declaration, TP_BOARD_ARM_DSP_DW_SMALL:
// sources.cmake) leaves the kernel and its ~5 KB out; those layers then
// run the direct variant.
#ifndef TP_ARM_DSP_DW_SMALL
#define TP_ARM_DSP_DW_SMALL 1
#endif

#if TP_ARM_DSP_DW_SMALL
namespace {

// Field order is dw_m4.S's DWS frame.
struct DwsArgs {
  int32_t bias2[6];  // 2 * bias, 6 copies (the kernel loads the last W)
  uint32_t w[6];     // per kernel row r: (2w_r0, 2w_r1), (2w_r1, 2w_r2)
  int32_t m;
  int32_t k;
  int32_t e;
  int32_t zp;
  int32_t step;          // bytes between output pixels
  const uint32_t* x;     // plane row 0 (zero row above the map)
  int8_t* out;           // output row 0, column 0
  int32_t rows;
};

#if TP_ARM_DSP_NATIVE
extern "C" {
#define TP_DWS_DECL(W)                               \
  void tp_arm_dsp_dws##W##_00(const DwsArgs*);       \
  void tp_arm_dsp_dws##W##_01(const DwsArgs*);       \
  void tp_arm_dsp_dws##W##_10(const DwsArgs*);       \
  void tp_arm_dsp_dws##W##_11(const DwsArgs*);
TP_DWS_DECL(2)
TP_DWS_DECL(3)
TP_DWS_DECL(4)
TP_DWS_DECL(5)
TP_DWS_DECL(6)
#undef TP_DWS_DECL
}
void dws_run(int32_t W, const GemmMode& mode, const DwsArgs& a) {
  using Fn = void (*)(const DwsArgs*);
#define TP_DWS_ROW(W) {tp_arm_dsp_dws##W##_00, tp_arm_dsp_dws##W##_01, tp_arm_dsp_dws##W##_10, tp_arm_dsp_dws##W##_11}
  static constexpr Fn kFn[5][4] = {TP_DWS_ROW(2), TP_DWS_ROW(3), TP_DWS_ROW(4), TP_DWS_ROW(5), TP_DWS_ROW(6)};
#undef TP_DWS_ROW
  kFn[W - 2][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
#else
// Portable twin of tp_arm_dsp_dws*.
void dws_run(int32_t W, const GemmMode& mode, const DwsArgs& a) {
  const int32_t wpr = (W + 1) / 2;
  int8_t* out = a.out;
  for (int32_t r = 0; r < a.rows; ++r) {
    int32_t acc[6];
    for (int32_t j = 0; j < W; ++j) acc[j] = a.bias2[6 - W + j];
    for (int ky = 0; ky < 3; ++ky) {
      const uint32_t* x = a.x + (r + ky) * wpr;
      const uint32_t w01 = a.w[2 * ky], w12 = a.w[2 * ky + 1];
      for (int32_t j = 0; j < W; ++j) {
        if (j % 2 == 0) {
          acc[j] = smlad(x[j / 2], w12, acc[j]);
          if (j > 0) acc[j] = smlatb(x[j / 2 - 1], w01, acc[j]);
        } else {
          acc[j] = smlad(x[j / 2], w01, acc[j]);
          if (j + 1 < W) acc[j] = smlabt(x[j / 2 + 1], w12, acc[j]);
        }
      }
    }
    for (int32_t j = 0; j < W; ++j, out += a.step) {
      int32_t t = smmlar(acc[j], a.m, mode.corr ? a.k + (acc[j] >> 31) : a.k);
      t >>= a.e;
      if (!mode.fold) t += a.zp;
      *out = static_cast<int8_t>(ssat8(t));
    }
  }
}
#endif

// The scratch the kernel needs: 4 channel planes of (H + 2) rows of
// ceil(W / 2) words (at most the direct variant's buffer for the shape).
int64_t dws_bytes(int64_t H, int64_t W) { return 16 * (H + 2) * ((W + 1) / 2); }

// Driver: per group of 4 channels (and batch) the map's 4 planes, then the
// kernel once per channel. The planes' zero rows above and below the map
// are written once; every group writes the same interior words. The whole
// map is read before any of the group's outputs is written (as the direct
// variant with one band).
bool depthwise_conv2d_3x3_small(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                                const GemmMode& mode, const Scratch& scratch) {
  const int32_t C = p.input.c, H = p.input.h, W = p.input.w, N = p.output.n;
  if (p.stride_h != 1 || p.pad_h != 1 || p.pad_w != 1 || W < 2 || W > 6) return false;
  if (p.output.h != H || p.output.w != W || p.input.n != N) return false;
  if (static_cast<uint64_t>(dws_bytes(H, W)) > scratch_bytes(scratch)) return false;
  const int32_t wpr = (W + 1) / 2;
  const int32_t plane = (H + 2) * wpr;  // words per channel plane
  uint32_t* const buf = reinterpret_cast<uint32_t*>(scratch16(scratch));
  for (int q = 0; q < 4; ++q) {
    for (int32_t i = 0; i < wpr; ++i) {
      buf[q * plane + i] = 0;
      buf[q * plane + (H + 1) * wpr + i] = 0;
    }
  }
  const uint32_t off2 = pack16(p.input_offset, p.input_offset);
  const int8_t* const filter = p.filter_data;
  const int32_t zp = p.requant.output_offset;
  DwsArgs a;
  a.zp = zp;
  a.step = C;
  a.rows = H;
  for (int32_t c0 = 0; c0 < C; c0 += 4) {
    for (int32_t n = 0; n < N; ++n) {
      const int8_t* in_n = input + n * H * W * C + c0;
      int8_t* out_n = output + n * H * W * C + c0;
      for (int32_t y = 0; y < H; ++y) {
        const int8_t* src = in_n + y * W * C;
        uint32_t* d = buf + (y + 1) * wpr;
        dw_expand(reinterpret_cast<int16_t*>(d), src, W / 2, C, 2 * plane, off2);
        if (W & 1) {  // the last pixel, a zero high half
          const uint32_t v = load32(src + (W - 1) * C);
          const uint32_t a02 = sxtab16(off2, v), a13 = sxtab16_ror8(off2, v);
          uint32_t* e = d + W / 2;
          e[0] = a02 & 0xFFFFu;
          e[plane] = a13 & 0xFFFFu;
          e[2 * plane] = a02 >> 16;
          e[3 * plane] = a13 >> 16;
        }
      }
      uint32_t wtab[4][6];  // the 4 channels' W01 / W12 per kernel row
      planar_weights(filter, C, c0, false, wtab);
      for (int q = 0; q < 4; ++q) {
        const int32_t c = c0 + q;
        for (int i = 0; i < 6; ++i) a.w[i] = wtab[q][i];
        const int32_t b2 = p.bias != nullptr ? 2 * p.bias[c] : 0;
        for (int i = 0; i < 6; ++i) a.bias2[i] = b2;
        a.m = p.requant.multiplier[c];
        a.e = -p.requant.shift[c];
        const int32_t zpc = mode.fold ? 2 * zp + 1 : 1;
        const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << a.e);
        a.k = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
        a.x = buf + q * plane;
        a.out = out_n + q;
        dws_run(W, mode, a);
      }
    }
  }
#ifdef TP_ARM_DSP_STATS
  ++tp_arm_dsp_fast_calls[7];  // tests: small-map kernel
#endif
  return true;
}

}  // namespace
#endif  // TP_ARM_DSP_DW_SMALL

// Two explicit variants (CMSIS-NN style), both for 3x3 filters, depth
// multiplier 1, per-channel requantization, channels a multiple of 4:
// depthwise_conv2d_3x3_direct for stride 2 and small maps (no transposition,
// no per-row overheads), depthwise_conv2d_3x3_planar for the rest.
bool depthwise_conv2d_3x3(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                          const Scratch& scratch) {
  if (p.depth_multiplier != 1 || p.filter.h != 3 || p.filter.w != 3) return false;
  if (p.dilation_h != 1 || p.dilation_w != 1) return false;
  const int s = p.stride_h;
  if (s != p.stride_w || (s != 1 && s != 2)) return false;
  const int32_t C = p.input.c;
  if (C % 4 != 0 || p.output.c != C || p.filter.c != C || !p.requant.per_channel) return false;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.bias, C, 9, &mode) || !mode.dbl) return false;

  // Vertical pairs pay off on wide maps (measured: vww01's 24x24 and 12x12
  // layers); on narrow ones the planar and direct variants cost less.
  if (s == 1 && p.output.w >= 12 && depthwise_conv2d_3x3_vpair(p, input, output, mode, scratch)) return true;
  // Stride 2 from output width 12 (measured on vww01: 24x24x16 305,400 ->
  // 268,500, 12x12x32 157,500 -> 143,000; its 6x6 and 3x3 lost 18,000 and
  // 15,000 against the direct variant).
  if (s == 2 && p.output.w >= 12 && depthwise_conv2d_3x3_vpair(p, input, output, mode, scratch)) {
#ifdef TP_ARM_DSP_STATS
    ++tp_arm_dsp_fast_calls[6];  // tests: stride-2 vertical pairs
#endif
    return true;
  }
  const int32_t longest = p.output.h > p.output.w ? p.output.h : p.output.w;
#if TP_ARM_DSP_DW_SMALL
  // Small maps at stride 1 (vww01's 6x6 and 3x3 layers): before the direct
  // variant, which they ran at ~30 instructions an output.
  if (s == 1 && longest <= 8 && depthwise_conv2d_3x3_small(p, input, output, mode, scratch)) return true;
#endif
  if ((s == 2 || longest <= 8) && depthwise_conv2d_3x3_direct(p, input, output, mode, scratch)) return true;
  return depthwise_conv2d_3x3_planar(p, input, output, mode, scratch);
}

}  // namespace tp::kernels::arm_dsp
