// CONV_2D for the arm_mve backend: every convolution is a GEMM of pixels
// against output-channel weight rows, run by the generated Helium kernels
// (gemm_mve.S):
//   1x1, stride s    each pixel's C_in bytes are one row (stride 1: the
//                    whole tensor in one run);
//   3x3, C_in % 16   interior pixels read their three window rows (3*C_in
//                    contiguous bytes each) in place; pixels whose window
//                    touches the padding go through an im2col buffer;
//   anything else    (the first layers: 1 or 3 input channels) im2col of a
//                    run of pixels into a buffer.
// The buffers (im2col rows, the C_in = 8 weight rows) live in the layer's
// scratch (scratch_need.h); with less than a path needs it is not taken.
// The im2col buffer holds the input zero point at padded taps, so the
// folded bias (bias + input_offset * sum of all taps) is right for every
// pixel and the kernels multiply raw int8 inputs.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include "conv_layout.h"
#include "gemm_mve.h"
#include "mve_kernels.h"
#include "mve_util.h"
#include "scratch_need.h"
#include "tinyperf/engine/runtime.h"

extern "C" {
#include "gemm_mve_decls.inc"
}

// TP_MVE_STATS (tests only): [5] calls of a two-pair (u2) GEMM kernel,
// [6] convolutions with shift-0 channels (all of zero multiplier) run on the
// kernels with the sign fixup, not the masked one, [7] odd last pixels run as a fully
// connected layer ([17] of them by the 8-output kernels), [9] two-pair
// kernels with the masked fixup, [19] one-pair GEMM calls reading the input
// by words (GemmKernel::in_align), [23] resident-weight 1x1 calls
// (rw16), [15] GEMM
// and depthwise kernels without a rounding fixup (mve_util.h fixup_hidden)
// (dispatch.cc owns the counters; depthwise.cc counts [8], [12]-[15], [18],
// [20]-[22], [24] and [25] (the record kernels) too); [26] 3-channel im2col
// runs with a window row in the padding above or below (im2col_rows3_c3_fill);
// [27] gather im2col output rows through the strip (im2col_strip_t); [32]
// calls of a two-pair kernel with a halfword store a pair (u2w); [35] calls
// of a two-pair kernel with pair loops by immediate right shift
// (gen_gemm_asm.py SHIFT_U2, SHIFT_U2W) with a group of 4 equal shifts of
// 1-14 (count_shift_loops); [36] 1x1 calls on the 8-channel block kernels
// (run_b8), [37] of them with a group of 8 equal shifts of 1-14 (its pixel
// loop by immediate right shift), [38] rw16 calls with a group of 4 equal
// shifts of 1-14 (its pixel loops by immediate right shift).
#ifdef TP_MVE_STATS
extern "C" int tp_mve_fast_calls[40];
#define TP_MVE_COUNT(i) (++tp_mve_fast_calls[i])
#else
#define TP_MVE_COUNT(i) ((void)0)
#endif

namespace tp::kernels::mve {

namespace {

constexpr GemmKernel kGemmKernels[] = {
#include "gemm_mve_table.inc"
};

// The scratch as a buffer: 16-byte aligned, bytes rounded down to 16.
struct Buf {
  int8_t* data;
  int32_t bytes;
};
Buf buf_of(const Scratch& s) {
  if (s.data == nullptr) return {nullptr, 0};
  const std::size_t b = s.bytes > 0x7FFFFFF0u ? 0x7FFFFFF0u : s.bytes;
  return {static_cast<int8_t*>(s.data), static_cast<int32_t>(b & ~std::size_t{15})};
}

struct GemmCall {
  const GemmKernel* k;
  const RqInfo* rq;
  const ConvParams* p;
};

// TP_MVE_STATS: whether some output group of n channels (`groups` of them,
// their shifts rq_stride bytes apart) has n equal shifts of 1 ..
// kGemmShiftMax, so that a kernel ran its loop by immediate right shift;
// false in other builds (no scan).
inline bool one_shift_group([[maybe_unused]] const int32_t* shift, [[maybe_unused]] int32_t rq_stride,
                            [[maybe_unused]] int32_t groups, [[maybe_unused]] int n) {
#ifdef TP_MVE_STATS
  for (int32_t g = 0; g < groups; ++g) {
    const int32_t* sh = shift + g * (rq_stride / 4);
    bool equal = sh[0] >= -kGemmShiftMax && sh[0] <= -1;
    for (int j = 1; j < n; ++j) equal = equal && sh[j] == sh[0];
    if (equal) return true;
  }
#endif
  return false;
}

// TP_MVE_STATS: counter 35 for a call without the fixup of a two-pair kernel
// with pair loops by immediate right shift (kGemmShiftLoops, from
// gen_gemm_asm.py SHIFT_U2 / SHIFT_U2W: `nr` its no-fixup entry) on a group
// of 4 equal shifts of 1 .. kGemmShiftMax.
inline void count_shift_loops([[maybe_unused]] const GemmCall& c, [[maybe_unused]] GemmFn nr) {
#ifdef TP_MVE_STATS
  if (fixup_variant(*c.rq) != 2 || c.rq->rq_stride == 0) return;
  bool loops = false;
  for (GemmFn f : kGemmShiftLoops) loops = loops || f == nr;
  if (loops && one_shift_group(c.rq->shift, c.rq->rq_stride, c.p->output.c / 4, 4)) TP_MVE_COUNT(35);
#endif
}

// The arguments of a two-pair kernel (u2, u2w) over `even` pairs (run_gemm's
// arguments; soffs: the kernel's store offsets).
inline void u2_args(GemmArgs* a, const GemmCall& c, const int8_t* in, int32_t px1_delta,
                    int32_t pair_step, int32_t even, int8_t* out, int32_t out_adv, const uint16_t* soffs) {
  a->in = in;
  a->w = c.p->filter_data;
  a->out = out;
  a->w_stride = c.p->filter.h * c.p->filter.w * c.p->filter.c;
  a->seg_step = 0;
  a->in_adv = pair_step - c.k->l;
  a->in_end = offset_ptr(in, even * pair_step);
  a->out_adv = 2 * out_adv;
  a->out_offset = c.p->requant.output_offset;
  a->bias = c.p->folded_bias;
  a->mult = c.rq->mult;
  a->shift = c.rq->shift;
  a->soffs = soffs;
  a->groups = c.p->output.c / 4;
  a->in1_delta = px1_delta;
  a->rq_stride = c.rq->rq_stride;
}

// The two-pair kernel with one halfword store a pair (fn2w, U2W: the two
// pairs' outputs more than 255 bytes apart) on the even part of `pairs`
// (run_gemm's arguments); 3 instructions fewer per two pairs and output
// group than the one-pair kernel, so an odd pair count, whose last pair
// costs a second call (~20 instructions a group), only from 16 pairs on.
// Returns the pairs run (0: none).
__attribute__((noinline)) int32_t run_gemm_u2w(const GemmCall& c, const int8_t* in, int32_t px1_delta,
                                               int32_t pair_step, int32_t pairs, int8_t* out,
                                               int32_t out_step, int32_t out_adv) {
  const GemmKernel& k = *c.k;
  if (pairs < 2 || ((pairs & 1) != 0 && pairs < 16) || pair_step != 2 * k.px1 || out_step < 0 ||
      out_adv < 0 || out_step + out_adv > 65535 - 3) {
    return 0;
  }
  alignas(16) uint16_t so[8];
  make_store_offsets(so, out_step);
  const int32_t even = pairs & ~1;
  GemmArgs a;
  u2_args(&a, c, in, px1_delta, pair_step, even, out, out_adv, so);
  k.fn2w[fixup_variant(*c.rq)](&a);
  TP_MVE_COUNT(32);
  count_shift_loops(c, k.fn2w[2]);
  if (c.rq->no_fix) TP_MVE_COUNT(15);
  return even;
}

// Runs `pairs` pixel pairs. in: pixel 0 of the first pair; pixel 1 at
// in + px1_delta (mode b) or the kernel's px1; pair_step: input bytes
// between pairs; out_step: output bytes from pixel 0 to pixel 1; out_adv:
// output bytes between pairs; seg_step: input bytes from the start of one
// segment to the next.
void run_gemm(const GemmCall& c, const int8_t* in, int32_t px1_delta, int32_t pair_step,
              int32_t pairs, int8_t* out, int32_t out_step, int32_t out_adv,
              int32_t seg_step) {
  const GemmKernel& k = *c.k;
  alignas(16) uint16_t so[8];
  GemmArgs a;
  // Two pairs per iteration when the shape has that kernel (one flag for
  // the shapes without) and the store offsets of 2 pairs fit in bytes, else
  // (U2W shapes) with a halfword store a pair; an odd last pair runs the
  // one-pair kernel.
  if (k.u2 != 0 && k.fn2[0] != nullptr && pairs >= 2 && pair_step == 2 * k.px1 && out_step >= 0 &&
      out_adv >= 0 && out_step + out_adv <= 255 - 3) {
    alignas(16) uint8_t so2[16];
    make_store_offsets_u2(so2, out_step, out_adv);
    const int32_t even = pairs & ~1;
    u2_args(&a, c, in, px1_delta, pair_step, even, out, out_adv, reinterpret_cast<const uint16_t*>(so2));
    k.fn2[fixup_variant(*c.rq)](&a);
    TP_MVE_COUNT(5);
    count_shift_loops(c, k.fn2[2]);
    if (c.rq->no_fix) TP_MVE_COUNT(15);
    if (c.rq->fix) TP_MVE_COUNT(9);
    if (even == pairs) return;
    in = offset_ptr(in, even * pair_step);
    out += even * out_adv;
    pairs = 1;
  } else if (k.u2 > 1) {
    // (apart, so that the paths above and below stay as they were)
    const int32_t done = run_gemm_u2w(c, in, px1_delta, pair_step, pairs, out, out_step, out_adv);
    if (done == pairs) return;
    in = offset_ptr(in, done * pair_step);
    out += done * out_adv;
    pairs -= done;
  }
  make_store_offsets(so, out_step);
  a.in = in;
  a.w = c.p->filter_data;
  a.out = out;
  a.w_stride = c.p->filter.h * c.p->filter.w * c.p->filter.c;
  const int32_t internal = k.nseg * k.l + (k.nseg - 1) * (seg_step - k.l);
  a.seg_step = seg_step - k.l;
  a.in_adv = pair_step - internal;
  a.in_end = offset_ptr(in, pairs * pair_step);
  a.out_adv = out_adv;
  a.out_offset = c.p->requant.output_offset;
  a.bias = c.p->folded_bias;
  a.mult = c.rq->mult;
  a.shift = c.rq->shift;
  a.soffs = so;
  a.groups = c.p->output.c / 4;
  a.in1_delta = px1_delta;
  a.rq_stride = c.rq->rq_stride;
  k.fn[fixup_variant(*c.rq)](&a);
  if (c.rq->no_fix) TP_MVE_COUNT(15);
  if (k.in_align > 1) TP_MVE_COUNT(19);
}

// The last pixel of an odd run of one-segment GEMM rows (1x1 convolutions,
// im2col rows: K contiguous input bytes, weight rows K apart, the pixel's
// C_out outputs contiguous) as a fully connected layer: groups of 8
// outputs where fc_groups8 has a kernel for K, the rest in groups of 4; no
// second pixel computed and thrown away.
void gemm_last_pixel(const GemmCall& c, const int8_t* in, int8_t* out) {
  const int32_t k = c.p->filter.h * c.p->filter.w * c.p->filter.c;
  const int32_t c_out = c.p->output.c;
  // Groups of 8 where a kernel exists for K (fc_groups8), the rest by 4.
  const int32_t done = fc_groups8(in, k, c.p->filter_data, out, c_out, c.p->folded_bias,
                                  c.rq->mult, c.rq->shift, c.rq->rq_stride,
                                  c.p->requant.output_offset, fixup_variant(*c.rq));
  if (done > 0) TP_MVE_COUNT(17);
  // rq_stride advances per 4 channels: done / 4 steps.
  if (done < c_out) {
    fc_groups(in, k, c.p->filter_data + done * k, out + done, (c_out - done) / 4,
              c.p->folded_bias + done, c.rq->mult + (done / 4) * (c.rq->rq_stride / 4),
              c.rq->shift + (done / 4) * (c.rq->rq_stride / 4), c.rq->rq_stride,
              c.p->requant.output_offset);
  }
  TP_MVE_COUNT(7);
}

// run_gemm_line over rows of 16 bytes (pixels 16 bytes apart), on the
// resident-weight 1x1 kernels (gen_gemm_asm.py rw16_kernel) where the
// rounding fixup cannot show and one has the output step out_px: false
// (nothing run) otherwise.
bool run_rw16(const GemmCall& c, const int8_t* in, int32_t n, int8_t* out, int32_t out_px) {
  if (!c.rq->no_fix || c.p->filter.h * c.p->filter.w * c.p->filter.c != 16 || n < 1) return false;
  for (std::size_t i = 0; i < sizeof(kRw16Steps) / sizeof(kRw16Steps[0]); ++i) {
    if (kRw16Steps[i] != out_px) continue;
    GemmArgs a;  // (no zeroing memset: picolibc's sets byte by byte)
    a.in = in;
    a.w = c.p->filter_data;
    a.out = out;
    a.w_stride = 0;
    a.seg_step = 0;
    a.in_adv = 0;
    a.out_adv = 0;
    a.soffs = nullptr;
    a.in1_delta = 0;
    a.in_end = in + 16 * n;
    a.out_offset = c.p->requant.output_offset;
    a.bias = c.p->folded_bias;
    a.mult = c.rq->mult;
    a.shift = c.rq->shift;
    a.groups = c.p->output.c / 4;
    a.rq_stride = c.rq->rq_stride;
    kRw16[i](&a);
    TP_MVE_COUNT(15);
    TP_MVE_COUNT(23);
    if (one_shift_group(a.shift, a.rq_stride, a.groups, 4)) TP_MVE_COUNT(38);
    return true;
  }
  return false;
}

// Calls run_gemm for n >= 1 pixels spaced px_step apart in the input and
// out_px apart in the output (pixel pairs; an odd last pixel is paired
// with its predecessor, or with itself when n == 1; one-segment rows:
// gemm_last_pixel).
void run_gemm_line(const GemmCall& c, const int8_t* in, int32_t px_step, int32_t n,
                   int8_t* out, int32_t out_px, int32_t seg_step) {
  const int32_t px1 = c.k->px1 >= 0 ? c.k->px1 : px_step;
  if (n >= 2) {
    run_gemm(c, in, px1, 2 * px_step, n / 2, out, out_px, 2 * out_px, seg_step);
    if ((n & 1) && c.k->nseg == 1) {
      gemm_last_pixel(c, in + (n - 1) * px_step, out + (n - 1) * out_px);
    } else if (n & 1) {
      run_gemm(c, in + (n - 2) * px_step, px1, 2 * px_step, 1, out + (n - 2) * out_px,
               out_px, 2 * out_px, seg_step);
    }
  } else if (c.k->nseg == 1) {
    gemm_last_pixel(c, in, out);
  } else {
    // One pixel (mode b only: callers never pass n == 1 to a mode-a kernel):
    // both halves of the pair read and write the same pixel.
    run_gemm(c, in, 0, 0, 1, out, 0, 0, seg_step);
  }
}

// Writes the window of output pixel (oy, ox) of batch image `in` to dst:
// kh * kw * C_in bytes in OHWI tap order, the input zero point at taps in
// the padding, zeros from K up to k_pad.
void im2col_pixel(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox, int8_t* dst,
                  int32_t k_pad) {
  const int32_t c_in = p.input.c;
  const int32_t kh = p.filter.h, kw = p.filter.w;
  const int32_t seg = kw * c_in;
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const int32_t iy0 = oy * p.stride_h - p.pad_h;
  const int32_t ix0 = ox * p.stride_w - p.pad_w;
  const int32_t kx_lo = ix0 < 0 ? -ix0 : 0;
  const int32_t kx_hi = p.input.w - ix0 < kw ? p.input.w - ix0 : kw;
  if ((c_in & 15) == 0 && p.dilation_w == 1) {
    for (int32_t ky = 0; ky < kh; ++ky) {
      const int32_t iy = iy0 + ky * p.dilation_h;
      const bool row_ok = iy >= 0 && iy < p.input.h;
      for (int32_t kx = 0; kx < kw; ++kx) {
        int8_t* d = dst + (ky * kw + kx) * c_in;
        if (row_ok && kx >= kx_lo && kx < kx_hi) {
          const int8_t* s = in + (iy * p.input.w + ix0 + kx) * c_in;
          for (int32_t i = 0; i < c_in; i += 16) vstrbq_s8(d + i, vldrbq_s8(s + i));
        } else {
          for (int32_t i = 0; i < c_in; i += 16) vstrbq_s8(d + i, zp);
        }
      }
    }
  } else {
    // Row segments of seg bytes, valid bytes [a, b) (dilation 1 only).
    const int32_t a = kx_lo * c_in, b = (kx_hi > kx_lo ? kx_hi : kx_lo) * c_in;
    for (int32_t ky = 0; ky < kh; ++ky) {
      const int32_t iy = iy0 + ky * p.dilation_h;
      int8_t* d = dst + ky * seg;
      if (iy < 0 || iy >= p.input.h) {
        for (int32_t i = 0; i < seg; i += 16) vstrbq_s8(d + i, zp);
        continue;
      }
      const int8_t* s = offset_ptr(in, (iy * p.input.w + ix0) * c_in);
      for (int32_t i = 0; i < seg; i += 16) {
        const int32_t lo = a - i > 0 ? a - i : 0;
        const int32_t hi = b - i > 0 ? b - i : 0;
        const mve_pred16_t m = vctp8q(static_cast<uint32_t>(hi)) & ~vctp8q(static_cast<uint32_t>(lo));
        const int8x16_t v = vldrbq_z_s8(offset_ptr(s, i), m);
        vstrbq_s8(d + i, vpselq_s8(v, zp, m));
      }
    }
  }
  const int32_t k = kh * kw * c_in;
  // The row copies may have spilled up to 15 bytes past K: zero [K, k_pad).
  if (k < k_pad) vstrbq_p_s8(dst + k, vdupq_n_s8(0), vctp8q(static_cast<uint32_t>(k_pad - k)));
}

// im2col_pixel for a 3x3 window (dilation 1) with C_in = 16 * NC (NC 0:
// any multiple of 16, not unrolled).
template <int NC>
void im2col_3x3_c16_t(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox,
                      int8_t* dst) {
  const int32_t c_in = NC > 0 ? 16 * NC : p.input.c;
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const int32_t iy0 = oy * p.stride_h - p.pad_h;
  const int32_t ix0 = ox * p.stride_w - p.pad_w;
  const int32_t row_bytes = p.input.w * c_in;
  const int8_t* row = offset_ptr(in, (iy0 * p.input.w + ix0) * c_in);
  const uint32_t h = static_cast<uint32_t>(p.input.h), w = static_cast<uint32_t>(p.input.w);
#pragma GCC unroll 3
  for (int32_t ky = 0; ky < 3; ++ky) {
    const bool row_ok = static_cast<uint32_t>(iy0 + ky) < h;
#pragma GCC unroll 3
    for (int32_t kx = 0; kx < 3; ++kx) {
      const bool ok = row_ok && static_cast<uint32_t>(ix0 + kx) < w;
      const int8_t* src = offset_ptr(row, kx * c_in);
      int8_t* d = dst + (ky * 3 + kx) * c_in;
      if (ok) {
#pragma GCC unroll 4
        for (int32_t i = 0; i < c_in; i += 16) vstrbq_s8(d + i, vldrbq_s8(src + i));
      } else {
#pragma GCC unroll 4
        for (int32_t i = 0; i < c_in; i += 16) vstrbq_s8(d + i, zp);
      }
    }
    row = offset_ptr(row, row_bytes);
  }
}

void im2col_3x3_c16(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox, int8_t* dst) {
  switch (p.input.c) {
    case 16: return im2col_3x3_c16_t<1>(p, in, oy, ox, dst);
    case 32: return im2col_3x3_c16_t<2>(p, in, oy, ox, dst);
    case 64: return im2col_3x3_c16_t<4>(p, in, oy, ox, dst);
    default: return im2col_3x3_c16_t<0>(p, in, oy, ox, dst);
  }
}

// im2col of `count` consecutive output pixels (raster order from (oy, ox))
// whose window rows are at most 16 bytes (kw * C_in <= 16, dilation_w 1):
// each window row is one predicated load (the bytes of the row) and one
// 16-byte store whose spill past the row is overwritten by the next row,
// the zero tail after the last one. Pixels whose window lies inside the
// input run through a tight loop; the others replace padded taps by the
// zero point. KH: the kernel height when known at compile time, else 0.
// The window rows of `run` pixels of a 3-row window (im2col_run_narrow's
// tight loop): rows 0 and 1 as whole 16-byte loads, row 2 predicated to
// seg bytes; pointers to each row kept apart so that nothing spills.
__attribute__((noinline)) void im2col_rows3(const int8_t* src, int32_t dy, int32_t seg, int32_t sx,
                                            int8_t* dst, int32_t k_pad, int32_t run, mve_pred16_t pseg) {
  const int8_t* s1 = src + dy;
  const int8_t* s2 = src + 2 * dy;
  int8_t* d1 = dst + seg;
  int8_t* d2 = dst + 2 * seg;
  for (int32_t i = 0; i < run; ++i) {
    const int8x16_t a = vldrbq_s8(src);
    const int8x16_t b = vldrbq_s8(s1);
    const int8x16_t c = vldrbq_z_s8(s2, pseg);
    vstrbq_s8(dst, a);
    vstrbq_s8(d1, b);
    vstrbq_s8(d2, c);
    src += sx;
    s1 += sx;
    s2 += sx;
    dst += k_pad;
    d1 += k_pad;
    d2 += k_pad;
  }
}

// im2col_rows3 for 3x3 windows over 3 channels (rows of 9 bytes, K_pad 32)
// with stride SX bytes (3: stride 1, 6: stride 2; vww01's first layer):
// every step an immediate, 3 loads and 3 stores a pixel in a low-overhead
// loop. The stores go in row order (each one's spill is overwritten by the
// next row), the last one advancing dst. The last window row is read whole
// too (no predicate) unless it is the input's last row (LAST: read
// predicated to its 9 bytes, nothing past the tensor); either way bytes
// 27-31 of a buffer row end up 0 (a store of 0 after the whole read), as
// the K = 27 kernel, which reads its tail chunk whole, needs.
// The loop around the last row's load (rows 0 and 1 loaded; the three
// stores; the low-overhead loop's end), shared by both variants.
#define TP_C3_HEAD                             \
  "wls lr, %[n], 2f\n"                         \
  "1:\n"                                       \
  "vldrb.u8 q0, [%[s0]], #%c[sx]\n"            \
  "vldrb.u8 q1, [%[s1]], #%c[sx]\n"
#define TP_C3_STORES                           \
  "vstrb.8 q0, [%[d], #-18]\n"                 \
  "vstrb.8 q1, [%[d], #-9]\n"                  \
  "vstrb.8 q2, [%[d]], #32\n"
#define TP_C3_END "le lr, 1b\n" "2:\n"
template <int SX, bool LAST>
__attribute__((noinline)) void im2col_rows3_c3(const int8_t* src, int32_t dy, int8_t* dst,
                                               int32_t run, mve_pred16_t pseg) {
  const int8_t* s1 = src + dy;
  const int8_t* s2 = s1 + dy;
  int8_t* d = dst + 18;
  const uint32_t p = pseg;
  if (LAST) {
    asm volatile("vmsr p0, %[p]\n" TP_C3_HEAD
                 "vpst\n"
                 "vldrbt.u8 q2, [%[s2]]\n"
                 "adds %[s2], #%c[sx]\n" TP_C3_STORES TP_C3_END
                 : [s0] "+r"(src), [s1] "+r"(s1), [s2] "+r"(s2), [d] "+r"(d)
                 : [n] "r"(run), [p] "r"(p), [sx] "i"(SX)
                 : "q0", "q1", "q2", "lr", "p0", "memory", "cc");
  } else {
    // Bytes 27-31 zeroed after the last row's store (a 16-byte store of 0
    // at 27, its spill overwritten by the next pixel's rows): the K = 27
    // kernel reads its tail chunk whole (gen_gemm_asm.py UNPRED_TAIL).
    int8_t* z = d + 9;
    asm volatile("vmov.i32 q3, #0\n" TP_C3_HEAD "vldrb.u8 q2, [%[s2]], #%c[sx]\n" TP_C3_STORES
                 "vstrb.8 q3, [%[z]], #32\n" TP_C3_END
                 : [s0] "+r"(src), [s1] "+r"(s1), [s2] "+r"(s2), [d] "+r"(d), [z] "+r"(z)
                 : [n] "r"(run), [p] "r"(p), [sx] "i"(SX)
                 : "q0", "q1", "q2", "q3", "lr", "memory", "cc");
  }
}
#undef TP_C3_HEAD
#undef TP_C3_STORES
#undef TP_C3_END

// im2col_rows3_c3 for output rows whose window has one row outside the
// input (the padding above or below): ROW 2, the last window row outside
// (rows 0 and 1 the input's last two: row 0 read whole, row 1 predicated
// to its 9 bytes, nothing past the tensor); ROW 0, the first outside (rows
// 1 and 2 read, row 2 predicated). The row outside is `fill` (the zero
// point at its 9 taps, and for row 2 0 after them: bytes 27-31 of the
// buffer row; for row 0 the predicated row 2 leaves them 0). 8
// instructions a pixel instead of the border path's ~40.
#define TP_C3F_ASM(STORES)                                                     \
  asm volatile("vmsr p0, %[p]\n"                                              \
               "wls lr, %[n], 2f\n"                                           \
               "1:\n"                                                         \
               "vldrb.u8 q0, [%[sa]], #%c[sx]\n"                              \
               "vpst\n"                                                       \
               "vldrbt.u8 q1, [%[sb]]\n"                                      \
               "adds %[sb], #%c[sx]\n" STORES                                 \
               "le lr, 1b\n"                                                  \
               "2:\n"                                                         \
               : [sa] "+r"(s_a), [sb] "+r"(s_b), [d] "+r"(d)                  \
               : [n] "r"(run), [p] "r"(p), [sx] "i"(SX), [f] "w"(fill)        \
               : "q0", "q1", "lr", "p0", "memory", "cc")
template <int SX, int ROW>
__attribute__((noinline)) void im2col_rows3_c3_fill(const int8_t* s_a, int32_t dy, int8_t* dst,
                                                    int32_t run, mve_pred16_t pseg, int8x16_t fill) {
  const int8_t* s_b = s_a + dy;  // ROW 2: rows 0, 1; ROW 0: rows 1, 2
  int8_t* d = dst + 18;
  const uint32_t p = pseg;
  if (ROW == 2) {
    TP_C3F_ASM("vstrb.8 q0, [%[d], #-18]\n"
               "vstrb.8 q1, [%[d], #-9]\n"
               "vstrb.8 %q[f], [%[d]], #32\n");
  } else {
    TP_C3F_ASM("vstrb.8 %q[f], [%[d], #-18]\n"
               "vstrb.8 q0, [%[d], #-9]\n"
               "vstrb.8 q1, [%[d]], #32\n");
  }
}
#undef TP_C3F_ASM

// im2col of 3x3 windows over 3 channels (K 27, K_pad 32), dilation 1,
// stride 1 or 2 (SX = 3 or 6 bytes; vww01's first layer): per output row
// its columns whose windows lie inside the input in one im2col_rows3_c3
// run, the others (at most a few a side, and every pixel of a row whose
// window rows leave the input) one by one, their taps outside the input
// at the input zero point.
template <int SX>
__attribute__((noinline)) void im2col_c3(const ConvParams& p, const int8_t* in, int32_t oy,
                                         int32_t ox, int32_t count, int8_t* dst) {
  constexpr int32_t kSw = SX / 3;
  const int32_t w = p.input.w, h = p.input.h, row_bytes = 3 * w, out_w = p.output.w;
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const mve_pred16_t p9 = vctp8q(9);
  // The last window row's fill: the zero point at its 9 taps, 0 past them
  // (bytes 27-31 of the buffer row: 0, for the K = 27 kernel's whole tail).
  const int8x16_t zp_last = vpselq_s8(zp, vdupq_n_s8(0), p9);
  const int32_t ox_lo = p.pad_w <= 0 ? 0 : (p.pad_w + kSw - 1) / kSw;
  const int32_t num = w - 3 + p.pad_w;
  const int32_t ox_hi = num < 0 ? 0 : num / kSw + 1;
  // One pixel whose window leaves the input: per window row a load
  // predicated to the columns inside (nothing outside is read), the zero
  // point elsewhere; rows outside: the zero point.
  const auto border = [&](int32_t iy0, int32_t x) {
    const int32_t ix0 = x * kSw - p.pad_w;
    const int32_t kx_lo = ix0 < 0 ? -ix0 : 0;
    int32_t kx_hi = w - ix0 < 3 ? w - ix0 : 3;
    if (kx_hi < kx_lo) kx_hi = kx_lo;
    const mve_pred16_t m = static_cast<mve_pred16_t>(vctp8q(static_cast<uint32_t>(3 * kx_hi)) &
                                                     ~vctp8q(static_cast<uint32_t>(3 * kx_lo)));
    for (int32_t ky = 0; ky < 3; ++ky) {
      const int32_t iy = iy0 + ky;
      const int8x16_t fill = ky == 2 ? zp_last : zp;
      int8x16_t v = fill;
      if (iy >= 0 && iy < h) {
        v = vpselq_s8(vldrbq_z_s8(offset_ptr(in, iy * row_bytes + 3 * ix0), m), fill, m);
      }
      vstrbq_s8(dst + 9 * ky, v);
    }
    dst += 32;
  };
  // One border column at the right (SAME padding's extra column, vww01's
  // first layer): in rows whose three window rows are inside, its load
  // mask set once a call, three predicated loads, selects and stores a
  // pixel instead of `border`'s ~75 instructions.
  const bool right1 = out_w - ox_hi == 1 && ox_hi * kSw - p.pad_w >= 0;
  mve_pred16_t m_r = 0;
  if (right1) {
    const int32_t kx_hi = w - (ox_hi * kSw - p.pad_w);
    m_r = vctp8q(static_cast<uint32_t>(3 * (kx_hi < 0 ? 0 : kx_hi)));
  }
  // A run [a, b) of windows inside in a row whose three window rows are
  // inside (the last one read whole when a row follows it in the input).
  const auto run_inside = [&](int32_t iy0, int32_t a, int32_t b) {
    const int8_t* src = in + iy0 * row_bytes + 3 * (a * kSw - p.pad_w);
    if (iy0 + 2 >= h - 1) {
      im2col_rows3_c3<SX, true>(src, row_bytes, dst, b - a, p9);
    } else {
      im2col_rows3_c3<SX, false>(src, row_bytes, dst, b - a, p9);
    }
    dst += 32 * (b - a);
  };
  // right1's column in such a row.
  const auto right_column = [&](int32_t iy0) {
    const int8_t* s = in + iy0 * row_bytes + 3 * (ox_hi * kSw - p.pad_w);
    vstrbq_s8(dst, vpselq_s8(vldrbq_z_s8(s, m_r), zp, m_r));
    vstrbq_s8(dst + 9, vpselq_s8(vldrbq_z_s8(s + row_bytes, m_r), zp, m_r));
    vstrbq_s8(dst + 18, vpselq_s8(vldrbq_z_s8(s + 2 * row_bytes, m_r), zp_last, m_r));
    dst += 32;
  };
  // The common output row (vww01's first layer: all but its last): its
  // three window rows inside, its columns inside from the left and at most
  // right1's one column outside on the right: the run and that column with
  // little book-keeping a row (~100 instructions a row before).
  const bool fast_rows = ox_lo == 0 && (right1 || ox_hi >= out_w);
  const int32_t sh = p.stride_h, pad_h = p.pad_h;
  while (count > 0) {
    const int32_t iy0 = oy * sh - pad_h;
    const int32_t end = ox + count < out_w ? ox + count : out_w;
    count -= end - ox;
    if (fast_rows && iy0 >= 0 && iy0 + 2 < h) {
      const int32_t b = end < ox_hi ? end : ox_hi;
      if (b > ox) run_inside(iy0, ox, b);
      if (end > b) right_column(iy0);  // (end == out_w == ox_hi + 1)
      if (end == out_w) {
        ox = 0;
        ++oy;
      } else {
        ox = end;
      }
      continue;
    }
    int32_t a = end, b = end;  // the run [a, b) of windows inside across
    // Window rows inside: all three, or all but the first or the last
    // (the padding above or below; h >= 2).
    const bool rows_in = iy0 >= 0 && iy0 + 2 < h;
    const int32_t one_out = iy0 == -1 && h >= 2 ? 0 : iy0 >= 0 && iy0 + 2 == h ? 2 : -1;
    if (rows_in || one_out >= 0) {
      a = ox > ox_lo ? ox : ox_lo;
      b = end < ox_hi ? end : ox_hi;
      if (a > end) a = end;
      if (b < a) b = a;
    }
    for (; ox < a; ++ox) border(iy0, ox);
    if (b > a) {
      if (!rows_in) {
        const int8_t* src = in + iy0 * row_bytes + 3 * (a * kSw - p.pad_w);
        TP_MVE_COUNT(26);
        if (one_out == 2) {
          im2col_rows3_c3_fill<SX, 2>(src, row_bytes, dst, b - a, p9, zp_last);
        } else {
          im2col_rows3_c3_fill<SX, 0>(src + row_bytes, row_bytes, dst, b - a, p9, zp);
        }
        dst += 32 * (b - a);
      } else {
        run_inside(iy0, a, b);
      }
      ox = b;
    }
    if (right1 && rows_in && ox == ox_hi && ox < end) {
      right_column(iy0);
      ++ox;
    }
    for (; ox < end; ++ox) border(iy0, ox);
    if (ox == out_w) {
      ox = 0;
      ++oy;
    }
  }
}

template <int KH>
void im2col_run_narrow(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox,
                       int32_t count, int8_t* buf, int32_t k_pad) {
  const int32_t c_in = p.input.c;
  const int32_t kh = KH > 0 ? KH : p.filter.h, kw = p.filter.w;
  const int32_t seg = kw * c_in;
  const int32_t k = kh * seg;
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const int8x16_t zero = vdupq_n_s8(0);
  const mve_pred16_t pseg = vctp8q(static_cast<uint32_t>(seg));
  const int32_t row_bytes = p.input.w * c_in;
  const int32_t dy_bytes = p.dilation_h * row_bytes;
  const int32_t sx = p.stride_w * c_in;
  const bool zero_tail = (kh - 1) * seg + 16 < k_pad;  // the last row's zeros do not reach K_pad
  // Output columns whose window columns are all inside the input.
  const arm_mve::ColsInside cols = arm_mve::cols_inside(p);
  const int32_t ox_in_lo = cols.lo, ox_in_hi = cols.hi;
  int8_t* dst = buf;
  while (count > 0) {
    const int32_t iy0 = oy * p.stride_h - p.pad_h;
    uint32_t rows_ok = 0;
    for (int32_t ky = 0; ky < kh; ++ky) {
      const int32_t iy = iy0 + ky * p.dilation_h;
      if (iy >= 0 && iy < p.input.h) rows_ok |= 1u << ky;
    }
    const bool rows_full = rows_ok == (1u << kh) - 1;
    const int32_t row_end = ox + count < p.output.w ? ox + count : p.output.w;
    while (ox < row_end) {
      const int32_t ix0 = ox * p.stride_w - p.pad_w;
      const int8_t* src = offset_ptr(in, (iy0 * p.input.w + ix0) * c_in);
      if (rows_full && ox >= ox_in_lo && ox < ox_in_hi) {
        // Tight loop over the pixels of this row inside the input.
        const int32_t run = (row_end < ox_in_hi ? row_end : ox_in_hi) - ox;
        if (KH > 0 && dy_bytes + seg >= 16) {
          // Window rows 0..KH-2 as whole 16-byte loads: the bytes past the
          // row's seg lie before the end of the next window row, inside the
          // input (dy + seg >= 16). Only the last row is predicated (its
          // zeros cover K..K_pad when (KH - 1) seg + 16 >= K_pad).
          if (KH == 3 && !zero_tail) {
            im2col_rows3(src, dy_bytes, seg, sx, dst, k_pad, run, pseg);
            src += run * sx;
            dst += run * k_pad;
          } else {
            for (int32_t i = 0; i < run; ++i) {
              const int8_t* s = src;
              for (int32_t ky = 0; ky < kh - 1; ++ky) {
                vstrbq_s8(dst + ky * seg, vldrbq_s8(s));
                s += dy_bytes;
              }
              vstrbq_s8(dst + (kh - 1) * seg, vldrbq_z_s8(s, pseg));
              if (zero_tail) vstrbq_s8(dst + k, zero);
              src += sx;
              dst += k_pad;
            }
          }
          ox += run;
          count -= run;
          continue;
        }
        for (int32_t i = 0; i < run; ++i) {
          const int8_t* s = src;
          for (int32_t ky = 0; ky < kh; ++ky) {
            vstrbq_s8(dst + ky * seg, vldrbq_z_s8(s, pseg));
            s += dy_bytes;
          }
          if (k < k_pad) vstrbq_s8(dst + k, zero);
          src += sx;
          dst += k_pad;
        }
        ox += run;
        count -= run;
        continue;
      }
      const int32_t kx_lo = ix0 < 0 ? -ix0 : 0;
      int32_t kx_hi = p.input.w - ix0 < kw ? p.input.w - ix0 : kw;
      if (kx_hi < kx_lo) kx_hi = kx_lo;
      const mve_pred16_t cmask = static_cast<mve_pred16_t>(
          vctp8q(static_cast<uint32_t>(kx_hi * c_in)) & ~vctp8q(static_cast<uint32_t>(kx_lo * c_in)));
      for (int32_t ky = 0; ky < kh; ++ky) {
        int8x16_t v = zp;
        if ((rows_ok >> ky) & 1) {
          v = vpselq_s8(vldrbq_z_s8(offset_ptr(src, ky * dy_bytes), cmask), zp, cmask);
        }
        vstrbq_s8(dst + ky * seg, v);
      }
      if (k < k_pad) vstrbq_s8(dst + k, zero);
      dst += k_pad;
      ++ox;
      --count;
    }
    if (ox == p.output.w) {
      ox = 0;
      ++oy;
    }
  }
}

// im2col by byte gathers, for windows whose every tap lies at most 255
// bytes from the window's first (dilation_w 1, K_pad <= 64: kws01's 10x4
// first layer, 3x3 over 3 channels on inputs up to 28 wide): per chunk of 16
// taps one gather (offsets in `off`) and one store. Output rows with a
// window in the padding: where the shape takes the strip
// (scratch_need.h im2col_strip_shape), the filter's rows of the input under
// the output row are copied into the strip (zero point around, once a
// call) and every pixel of the row gathers from it; otherwise pixels whose
// window touches the padding gather only their valid taps (lane mask from
// each tap's row / column, compared unsigned in 8-bit lanes: the rows' mask
// once an output row, the columns' by a predicated compare a pixel) and
// take the input zero point elsewhere; the lanes past K get 0.

// The tables of the gather im2col at the end of the layer's scratch
// (gather_tables). Masks: 3 x 64 bytes, per tap its byte offset from the
// window origin, its row in the window (times dilation_h), its column.
// Strip: the offsets in the input and in the strip (K_pad bytes each), then
// the strip.
constexpr int32_t kGatherTableBytes = arm_mve::kGatherTableBytes;
struct GatherTables {
  const uint8_t* p;
  int8_t* strip;         // nullptr: the masks; else the offsets in the strip at p + K_pad
  uint8x16_t off(int32_t j) const { return vldrbq_u8(p + 16 * j); }
  uint8x16_t ty(int32_t j) const { return vldrbq_u8(p + 64 + 16 * j); }
  uint8x16_t tx(int32_t j) const { return vldrbq_u8(p + 128 + 16 * j); }
};

// n windows by plain gathers (chunk j through offsets off[j], the last
// chunk's lanes past K zero: ptail), from base on by sx bytes, each to
// k_pad bytes of dst; returns dst past them.
template <int NCH>
__attribute__((always_inline)) inline int8_t* gather_windows(const int8_t* base, const uint8x16_t (&off)[NCH],
                                                             mve_pred16_t ptail, int32_t sx, int32_t n, int8_t* dst,
                                                             int32_t k_pad) {
  for (int32_t i = n; i > 0; --i) {
#pragma GCC unroll 4
    for (int32_t j = 0; j < NCH - 1; ++j) vstrbq_s8(dst + 16 * j, vldrbq_gather_offset_s8(base, off[j]));
    vstrbq_s8(dst + 16 * (NCH - 1), vldrbq_gather_offset_z_s8(base, off[NCH - 1], ptail));
    base = offset_ptr(base, sx);
    dst += k_pad;
  }
  return dst;
}

// The gather im2col through the strip (scratch_need.h im2col_strip_shape):
// per output row the strip's rows (row j: input row iy0 + j dilation_h, its
// input columns; the zero point for rows outside the input; the columns
// around keep gather_tables' zero points), then the row's pixels gathered
// from it (strip column s: input column s - pad_w).
template <int NCH>
void im2col_strip_t(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox, int32_t count,
                    int8_t* dst, int32_t k_pad, const GatherTables& t) {
  const int32_t c_in = p.input.c;
  const int32_t k = p.filter.h * p.filter.w * c_in;
  const mve_pred16_t ptail = vctp8q(static_cast<uint32_t>(k - 16 * (NCH - 1)));
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const int32_t srow = arm_mve::im2col_strip_row_bytes(p);
  const int32_t x_lo = p.pad_w > 0 ? 0 : -p.pad_w;
  int32_t x_hi = srow / c_in - p.pad_w;
  if (x_hi > p.input.w) x_hi = p.input.w;
  const int32_t n = x_hi > x_lo ? (x_hi - x_lo) * c_in : 0;
  const int8_t* const in0 = offset_ptr(in, x_lo * c_in);
  int8_t* const s0 = t.strip + (x_lo + p.pad_w) * c_in;
  const int32_t kh = p.filter.h, dh = p.dilation_h, in_h = p.input.h, out_w = p.output.w;
  const int32_t row_in = p.input.w * c_in, dy = dh * row_in;
  const int32_t sh = p.stride_h, pad_h = p.pad_h, sx = p.stride_w * c_in;
  uint8x16_t so[NCH];
#pragma GCC unroll 4
  for (int32_t j = 0; j < NCH; ++j) so[j] = vldrbq_u8(t.p + k_pad + 16 * j);
  const mve_pred16_t pr = vctp8q(static_cast<uint32_t>(n < 16 ? n : 16));
  // Without border columns, rows whose windows lie inside the input gather
  // from it.
  const arm_mve::ColsInside cols = arm_mve::cols_inside(p);
  const bool no_cols = cols.lo == 0 && cols.hi >= out_w;
  const int32_t win_h = (kh - 1) * dh;
  while (count > 0) {
    const int32_t iy0 = oy * sh - pad_h;
    if (no_cols && iy0 >= 0 && iy0 + win_h < in_h) {
      const int32_t row_end = ox + count < out_w ? ox + count : out_w;
      count -= row_end - ox;
      const int8_t* base = offset_ptr(in, iy0 * row_in + (ox * p.stride_w - p.pad_w) * c_in);
      uint8x16_t off[NCH];
#pragma GCC unroll 4
      for (int32_t j = 0; j < NCH; ++j) off[j] = t.off(j);
      dst = gather_windows<NCH>(base, off, ptail, sx, row_end - ox, dst, k_pad);
      ox = 0;
      ++oy;
      continue;
    }
    // Strip rows inside the input: j_lo..j_hi.
    int32_t j_lo = iy0 >= 0 ? 0 : (dh == 1 ? -iy0 : (-iy0 + dh - 1) / dh);
    int32_t j_hi = in_h - iy0 <= 0 ? 0 : (dh == 1 ? in_h - iy0 : (in_h - iy0 + dh - 1) / dh);
    if (j_hi > kh) j_hi = kh;
    if (j_lo > j_hi) j_lo = j_hi;
    int8_t* d = s0;
    if (n <= 16) {
      for (int32_t j = 0; j < j_lo; ++j, d += srow) vstrbq_p_s8(d, zp, pr);
      const int8_t* src = offset_ptr(in0, (iy0 + j_lo * dh) * row_in);
      // the rows inside: one VPST for the load and the store (6 a row)
      __asm__ volatile(
          "  vmsr p0, %[pr]\n"
          "  wls lr, %[cnt], 2f\n"
          "1:\n"
          "  vpstt\n"
          "  vldrbt.u8 q0, [%[src]]\n"
          "  vstrbt.8 q0, [%[d]]\n"
          "  add %[src], %[dy]\n"
          "  add %[d], %[srow]\n"
          "  le lr, 1b\n"
          "2:\n"
          : [src] "+r"(src), [d] "+r"(d)
          : [pr] "r"(static_cast<uint32_t>(pr)), [cnt] "r"(j_hi - j_lo), [dy] "r"(dy), [srow] "r"(srow)
          : "lr", "q0", "p0", "memory");
      for (int32_t j = j_hi; j < kh; ++j, d += srow) vstrbq_p_s8(d, zp, pr);
    } else {
      const int8_t* src = offset_ptr(in0, iy0 * row_in);
      for (int32_t j = 0; j < kh; ++j, d += srow, src = offset_ptr(src, dy)) {
        const bool inside = j >= j_lo && j < j_hi;
        for (int32_t b = 0; b < n; b += 16) {
          const mve_pred16_t pb = vctp8q(static_cast<uint32_t>(n - b));
          vstrbq_p_s8(d + b, inside ? vldrbq_z_s8(src + b, pb) : zp, pb);
        }
      }
    }
    TP_MVE_COUNT(27);
    const int32_t row_end = ox + count < out_w ? ox + count : out_w;
    count -= row_end - ox;
    const int8_t* base = t.strip + ox * sx;
    if constexpr (NCH == 3) {
      // (K 33-48, kws01's 40: 10 instructions a pixel)
      __asm__ volatile(
          "  vmsr p0, %[pt]\n"
          "  wls lr, %[cnt], 2f\n"
          "1:\n"
          "  vldrb.u8 q0, [%[b], %q[s0]]\n"
          "  vldrb.u8 q1, [%[b], %q[s1]]\n"
          "  vpst\n"
          "  vldrbt.u8 q2, [%[b], %q[s2]]\n"
          "  vstrb.8 q0, [%[d]]\n"
          "  vstrb.8 q1, [%[d], #16]\n"
          "  vstrb.8 q2, [%[d], #32]\n"
          "  add %[b], %[sx]\n"
          "  add %[d], %[kp]\n"
          "  le lr, 1b\n"
          "2:\n"
          : [b] "+r"(base), [d] "+r"(dst)
          : [pt] "r"(static_cast<uint32_t>(ptail)), [cnt] "r"(row_end - ox), [sx] "r"(sx), [kp] "r"(k_pad),
            [s0] "w"(so[0]), [s1] "w"(so[1]), [s2] "w"(so[2])
          : "lr", "q0", "q1", "q2", "p0", "memory");
    } else {
      dst = gather_windows<NCH>(base, so, ptail, sx, row_end - ox, dst, k_pad);
    }
    ox = 0;
    ++oy;
  }
}

template <int NCH>
void im2col_gather_t(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox, int32_t count,
                     int8_t* dst, int32_t k_pad, const GatherTables& t) {
  const int32_t c_in = p.input.c;
  const int32_t k = p.filter.h * p.filter.w * c_in;
  const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
  const mve_pred16_t ptail = vctp8q(static_cast<uint32_t>(k - 16 * (NCH - 1)));
  // The last chunk's fill: the zero point at taps, 0 past K.
  const int8x16_t zp_last = vpselq_s8(zp, vdupq_n_s8(0), ptail);
  const uint8x16_t vh = vdupq_n_u8(static_cast<uint8_t>(p.input.h));
  const uint8x16_t vw = vdupq_n_u8(static_cast<uint8_t>(p.input.w));
  const arm_mve::ColsInside cols = arm_mve::cols_inside(p);
  const int32_t ox_in_lo = cols.lo, ox_in_hi = cols.hi;
  const int32_t sx = p.stride_w * c_in;
  const int32_t row_in = p.input.w * c_in;
  const int32_t win_h = (p.filter.h - 1) * p.dilation_h;
  // The offsets in registers (the stores below may alias the tables for
  // the compiler).
  uint8x16_t off[NCH];
#pragma GCC unroll 4
  for (int32_t j = 0; j < NCH; ++j) off[j] = t.off(j);
  // Every window of the layer inside the input (sww01's 1x1 over 40
  // channels, one pixel a row): rows without the masks' bookkeeping.
  if (p.pad_h <= 0 && p.pad_w <= 0 && ox_in_hi >= p.output.w &&
      (p.output.h - 1) * p.stride_h - p.pad_h + win_h < p.input.h) {
    const int32_t out_w = p.output.w, sy = p.stride_h * row_in;
    const int8_t* row0 = offset_ptr(in, -p.pad_h * row_in - p.pad_w * c_in);
    const int8_t* rowp = offset_ptr(row0, oy * sy);
    while (count > 0) {
      const int32_t n = count < out_w - ox ? count : out_w - ox;
      dst = gather_windows<NCH>(offset_ptr(rowp, ox * sx), off, ptail, sx, n, dst, k_pad);
      count -= n;
      ox = 0;
      rowp = offset_ptr(rowp, sy);
    }
    return;
  }
  while (count > 0) {
    const int32_t iy0 = oy * p.stride_h - p.pad_h;
    const bool rows_full = iy0 >= 0 && iy0 + win_h < p.input.h;
    const int32_t row_end = ox + count < p.output.w ? ox + count : p.output.w;
    const uint8x16_t vy = vdupq_n_u8(static_cast<uint8_t>(iy0));
    const int8_t* row = offset_ptr(in, iy0 * row_in);
    count -= row_end - ox;
    // Lanes of taps on rows inside the input (and before K), once a row
    // that has pixels with padding.
    mve_pred16_t my[NCH] = {};
    if (!rows_full || ox < ox_in_lo || row_end > ox_in_hi) {
#pragma GCC unroll 4
      for (int32_t j = 0; j < NCH; ++j) {
        my[j] = vcmphiq_m_u8(vh, vaddq_u8(t.ty(j), vy), j == NCH - 1 ? ptail : 0xFFFF);
      }
    }
    for (; ox < row_end; ++ox) {
      const int32_t ix0 = ox * p.stride_w - p.pad_w;
      const int8_t* base = offset_ptr(row, ix0 * c_in);
      if (rows_full && ox >= ox_in_lo && ox < ox_in_hi) {
        // Window inside the input: plain gathers.
        const int32_t run = (row_end < ox_in_hi ? row_end : ox_in_hi) - ox;
        dst = gather_windows<NCH>(base, off, ptail, sx, run, dst, k_pad);
        ox += run - 1;
        continue;
      }
      const uint8x16_t vx = vdupq_n_u8(static_cast<uint8_t>(ix0));
#pragma GCC unroll 4
      for (int32_t j = 0; j < NCH; ++j) {
        const mve_pred16_t m = vcmphiq_m_u8(vw, vaddq_u8(t.tx(j), vx), my[j]);
        const int8x16_t v = vldrbq_gather_offset_z_s8(base, off[j], m);
        vstrbq_s8(dst + 16 * j, vpselq_s8(v, j == NCH - 1 ? zp_last : zp, m));
      }
      dst += k_pad;
    }
    if (ox == p.output.w) {
      ox = 0;
      ++oy;
    }
  }
}

// Builds the tables of im2col_gather_t at `tmp` (im2col_gather_table_bytes
// for `strip`, kGatherTableBytes otherwise).
void gather_tables(const ConvParams& p, uint8_t* tmp, int32_t k_pad, bool strip, GatherTables* t) {
  const int32_t c_in = p.input.c;
  const int32_t dy = p.dilation_h * p.input.w * c_in;
  const int32_t srow = arm_mve::im2col_strip_row_bytes(p);
  uint8_t* off = tmp;
  uint8_t* ty = tmp + 64;
  uint8_t* tx = tmp + 128;
  uint8_t* so = tmp + k_pad;
  const int32_t bytes = strip ? 2 * k_pad : kGatherTableBytes;
  for (int32_t i = 0; i < bytes; i += 16) vstrbq_u8(tmp + i, vdupq_n_u8(0));
  // Tap i = ky seg + j (j = kx C + c): offset ky dy + j, in the strip
  // ky srow + j; row ky dilation_h, column j / C.
  const int32_t seg = p.filter.w * c_in;
  const uint8x16_t idx = vidupq_n_u8(0, 1);
  if (!strip) {
    for (int32_t j = 0; j < seg; ++j) tx[j] = static_cast<uint8_t>(j / c_in);
  }
  for (int32_t ky = 0; ky < p.filter.h; ++ky) {
    const int32_t i = ky * seg;
    for (int32_t b = 0; b < seg; b += 16) {
      const mve_pred16_t pr = vctp8q(static_cast<uint32_t>(seg - b));
      vstrbq_p_u8(off + i + b, vaddq_n_u8(idx, static_cast<uint8_t>(ky * dy + b)), pr);
      if (strip) {
        vstrbq_p_u8(so + i + b, vaddq_n_u8(idx, static_cast<uint8_t>(ky * srow + b)), pr);
      } else {
        vstrbq_p_u8(ty + i + b, vdupq_n_u8(static_cast<uint8_t>(ky * p.dilation_h)), pr);
        if (ky > 0) vstrbq_p_u8(tx + i + b, vldrbq_u8(tx + b), pr);
      }
    }
  }
  t->p = tmp;
  t->strip = nullptr;
  if (strip) {
    // The strip's zero points (its rows' input columns are written per
    // output row; the columns around them stay).
    int8_t* s = reinterpret_cast<int8_t*>(tmp + 2 * k_pad);
    const int32_t n = static_cast<int32_t>(arm_mve::im2col_strip_bytes(p));
    const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
    for (int32_t j = 0; j < n; j += 16) vstrbq_s8(s + j, zp);
    t->strip = s;
  }
}

__attribute__((noinline)) void im2col_gather(const ConvParams& p, const int8_t* in, int32_t oy,
                                             int32_t ox, int32_t count, int8_t* buf,
                                             int32_t k_pad, const GatherTables& t) {
  if (t.strip != nullptr) {
    switch (k_pad / 16) {
      case 1: return im2col_strip_t<1>(p, in, oy, ox, count, buf, k_pad, t);
      case 2: return im2col_strip_t<2>(p, in, oy, ox, count, buf, k_pad, t);
      case 3: return im2col_strip_t<3>(p, in, oy, ox, count, buf, k_pad, t);
      default: return im2col_strip_t<4>(p, in, oy, ox, count, buf, k_pad, t);
    }
  }
  switch (k_pad / 16) {
    case 1: return im2col_gather_t<1>(p, in, oy, ox, count, buf, k_pad, t);
    case 2: return im2col_gather_t<2>(p, in, oy, ox, count, buf, k_pad, t);
    case 3: return im2col_gather_t<3>(p, in, oy, ox, count, buf, k_pad, t);
    default: return im2col_gather_t<4>(p, in, oy, ox, count, buf, k_pad, t);
  }
}

void im2col_run(const ConvParams& p, const int8_t* in, int32_t oy, int32_t ox, int32_t count,
                int8_t* buf, int32_t k_pad, const GatherTables* gt) {
  if (gt != nullptr) return im2col_gather(p, in, oy, ox, count, buf, k_pad, *gt);
  if (p.filter.h == 3 && p.filter.w == 3 && p.input.c == 3 && k_pad == 32 &&
      p.dilation_h == 1 && p.dilation_w == 1 && (p.stride_w == 1 || p.stride_w == 2)) {
    return p.stride_w == 1 ? im2col_c3<3>(p, in, oy, ox, count, buf)
                           : im2col_c3<6>(p, in, oy, ox, count, buf);
  }
  if (p.filter.w * p.input.c <= 16 && p.dilation_w == 1) {
    if (p.filter.h == 3) return im2col_run_narrow<3>(p, in, oy, ox, count, buf, k_pad);
    return im2col_run_narrow<0>(p, in, oy, ox, count, buf, k_pad);
  }
  for (int32_t i = 0; i < count; ++i) {
    im2col_pixel(p, in, oy, ox, buf + i * k_pad, k_pad);
    if (++ox == p.output.w) {
      ox = 0;
      ++oy;
    }
  }
}

// The one-segment GEMM kernel for rows of l bytes with pixel 1 px1 bytes
// after pixel 0 (mode a) that can read rows starting at `in`
// (GemmKernel::in_align), else the one reading pixel 1 through a second
// pointer (mode b), else nullptr.
inline __attribute__((always_inline)) const GemmKernel* find_row_gemm(int32_t l, int32_t px1, int32_t tail,
                                                                  const int8_t* in) {
  const GemmKernel* k = find_gemm(1, l, px1, tail);
  if (k != nullptr && k->in_align > 1 && !aligned(in, k->in_align)) k = nullptr;
  return k != nullptr ? k : find_gemm(1, l, -1, tail);
}

// Convolution through im2col of runs of pixels (raster order; the output
// of a run is contiguous).
__attribute__((noinline)) bool conv_im2col(const ConvParams& p, const RqInfo& rq, const int8_t* input, int8_t* output, Buf sb) {
  const int32_t k = p.filter.h * p.filter.w * p.filter.c;
  const int32_t k_pad = (k + 15) & ~15;
  const int32_t tail = k & 15;
  if (p.dilation_w != 1) return false;
  if (2 * k_pad + 16 > sb.bytes) return false;
  const GemmKernel* kern = find_row_gemm(k_pad, k_pad, tail, sb.data);
  if (kern == nullptr || (kern->w_align > 1 && (!aligned(p.filter_data, 4) || (k & 3) != 0))) {
    return false;
  }
  int8_t* const buf = sb.data;
  // The gather im2col's tables at the scratch's end when two pixels still fit.
  GatherTables gtab{nullptr, nullptr};
  const GatherTables* gt = nullptr;
  int32_t rows_bytes = sb.bytes;
  if (arm_mve::im2col_gather_shape(p, k_pad)) {
    // The strip's tables where the shape takes it and the scratch holds
    // them, else the masks'.
    bool strip = arm_mve::im2col_strip_shape(p, k_pad);
    int32_t tables = static_cast<int32_t>(arm_mve::im2col_gather_table_bytes(p, k_pad));
    if (strip && 2 * k_pad + 16 + tables > sb.bytes) {
      strip = false;
      tables = kGatherTableBytes;
    }
    if (2 * k_pad + 16 + tables <= sb.bytes) {
      rows_bytes = sb.bytes - tables;
      gather_tables(p, reinterpret_cast<uint8_t*>(buf + rows_bytes), k_pad, strip, &gtab);
      gt = &gtab;
    }
  }
  int32_t run_max = ((rows_bytes - 16) / k_pad) & ~1;
  // Whole pairs of pairs for the two-pair kernel (an odd pair count costs
  // one more kernel call for the last pair).
  if (kern->u2 != 0 && run_max >= 4) run_max &= ~3;
  const GemmCall call{kern, &rq, &p};
  const int32_t c_out = p.output.c;
  const int32_t in_image = p.input.h * p.input.w * p.input.c;
  const int32_t out_pixels = p.output.h * p.output.w;
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in = input + n * in_image;
    int8_t* out = output + n * out_pixels * c_out;
    for (int32_t start = 0; start < out_pixels; start += run_max) {
      const int32_t count = out_pixels - start < run_max ? out_pixels - start : run_max;
      im2col_run(p, in, start / p.output.w, start % p.output.w, count, buf, k_pad, gt);
      if (count == 1) {
        gemm_last_pixel(call, buf, out + start * c_out);
      } else {
        run_gemm_line(call, buf, k_pad, count, out + start * c_out, c_out, 0);
      }
    }
  }
  return true;
}

// 1x1 convolution with 8 input channels, stride 1: one 16-byte row holds
// two pixels, so the GEMM runs over pixel pairs with 2 * C_out "virtual"
// output channels: weight rows [w_o | 0] (the first pixel's outputs) and
// [0 | w_o] (the second's), built in the scratch; output row stride 2 C_out.
__attribute__((noinline)) bool conv_1x1_c8(const ConvParams& p, const RqInfo& rq, const int8_t* input, int8_t* output, Buf sb) {
  const int32_t c_out = p.output.c;
  if (c_out > 32 || sb.bytes < 32 * c_out) return false;
  const int32_t pixels = p.output.n * p.output.h * p.output.w;
  if ((pixels & 1) || pixels < 4) return false;
  const GemmKernel* k = find_gemm(1, 16, 16, 0);
  if (k == nullptr) return false;
  int8_t* const w2 = sb.data;
  const int8x16_t zero = vdupq_n_s8(0);
  const mve_pred16_t lo8 = vctp8q(8);
  for (int32_t o = 0; o < c_out; ++o) {
    const int8x16_t w = vldrbq_z_s8(p.filter_data + 8 * o, lo8);  // [w_o | 0]
    vstrbq_s8(w2 + 16 * o, w);
    vstrbq_s8(w2 + 16 * (c_out + o), zero);
    vstrbq_p_s8(w2 + 16 * (c_out + o) + 8, w, lo8);              // [0 | w_o]
  }
  // (a copy by words: the struct copy calls picolibc's memcpy, byte by byte)
  ConvParams q;
  engine::copy_bytes(&q, &p, sizeof q);
  q.filter_data = w2;
  q.filter = {c_out, 1, 1, 16};
  const GemmCall call{k, &rq, &q};
  // Virtual channels [0, C_out): first pixel of each row, [C_out, 2 C_out): second.
  const int32_t rows = pixels / 2;
  if (!run_rw16(call, input, rows, output, 2 * c_out)) {
    run_gemm_line(call, input, 16, rows, output, 2 * c_out, 0);
  }
  q.filter_data = w2 + 16 * c_out;
  if (!run_rw16(call, input, rows, output + c_out, 2 * c_out)) {
    run_gemm_line(call, input, 16, rows, output + c_out, 2 * c_out, 0);
  }
  return true;
}

// A dense 1x1 convolution (stride 1, no padding) on the 8-channel block
// kernels (gen_gemm_asm.py b8_kernel): weights in the compiler's block
// layout (conv_layout.h kConvBlock8) or K = 64 plain rows (the same bytes),
// a multiple of 8 output channels, no rounding fixup, 4-aligned input and
// weights; false (nothing run) otherwise.
bool run_b8(const ConvParams& p, const RqInfo& rq, const int8_t* input, int8_t* output) {
  const int32_t K = p.input.c, c_out = p.output.c;
  const int32_t pixels = p.output.n * p.output.h * p.output.w;
  if (!rq.no_fix || (c_out & 7) != 0 || pixels < 1 || !aligned(input, 4) || !aligned(p.filter_data, 4)) {
    return false;  // (the kernels' pixel loop runs at least once)
  }
  if (p.filter_layout != arm_mve::kConvBlock8 && !(p.filter_layout == 0 && K == 64)) return false;
  for (std::size_t i = 0; i < sizeof(kB8Ks) / sizeof(kB8Ks[0]); ++i) {
    if (kB8Ks[i] != K) continue;
    alignas(4) static constexpr uint16_t kSoffs[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    B8Args a;
    a.bias = p.folded_bias;
    a.mult = rq.mult;  // (per-tensor: RqInfo's 8 copies, stride 0)
    a.shift = rq.shift;
    a.rq_stride = 2 * rq.rq_stride;  // 8 channels a group
    a.in = input;
    a.w = p.filter_data;
    a.out = output;
    a.in_end = input + pixels * K;
    a.out_step = c_out;
    a.groups = c_out / 8;
    a.out_offset = p.requant.output_offset;
    a.soffs = kSoffs;
    kB8[i](&a);
    TP_MVE_COUNT(15);
    TP_MVE_COUNT(36);
    if (one_shift_group(a.shift, a.rq_stride, a.groups, 8)) TP_MVE_COUNT(37);
    return true;
  }
  return false;
}

// 1x1 convolution (no padding taps).
bool conv_1x1(const ConvParams& p, const RqInfo& rq, const int8_t* input, int8_t* output, Buf sb) {
  const int32_t c_in = p.input.c, c_out = p.output.c;
  const bool dense = p.stride_h == 1 && p.stride_w == 1 && p.pad_h == 0 && p.pad_w == 0 &&
                     p.input.h == p.output.h && p.input.w == p.output.w;
  if (dense && run_b8(p, rq, input, output)) return true;
  if (p.filter_layout != 0) return false;  // (dispatch.cc: conv2d_block8_plain)
  if (c_in == 8 && dense && conv_1x1_c8(p, rq, input, output, sb)) return true;
  if ((c_in & 15) != 0 || !aligned(p.filter_data, 4)) return false;
  if (p.pad_h != 0 || p.pad_w != 0) return false;
  if (dense) {
    const int32_t pixels = p.output.n * p.output.h * p.output.w;
    const GemmKernel* k = find_row_gemm(c_in, c_in, 0, input);
    if (k == nullptr) return false;  // (im2col then: its rows are aligned)
    if (pixels == 1) return false;  // (mode a cannot pair a pixel with itself)
    const GemmCall call{k, &rq, &p};
    if (c_in == 16 && run_rw16(call, input, pixels, output, c_out)) return true;
    run_gemm_line(call, input, c_in, pixels, output, c_out, 0);
    return true;
  }
  const int32_t px_step = p.stride_w * c_in;
  const GemmKernel* k = find_row_gemm(c_in, px_step, 0, input);
  if (k == nullptr || p.output.w < 2) return false;
  const GemmCall call{k, &rq, &p};
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t iy = oy * p.stride_h;
      const int8_t* in = input + ((n * p.input.h + iy) * p.input.w) * c_in;
      int8_t* out = output + ((n * p.output.h + oy) * p.output.w) * c_out;
      run_gemm_line(call, in, px_step, p.output.w, out, c_out, 0);
    }
  }
  return true;
}

// 3x3 convolution with C_in a multiple of 16: interior pixels in place,
// border pixels through im2col.
__attribute__((noinline)) bool conv_3x3(const ConvParams& p, const RqInfo& rq, const int8_t* input, int8_t* output, Buf sb) {
  const int32_t c_in = p.input.c, c_out = p.output.c;
  if ((c_in & 15) != 0 || !aligned(p.filter_data, 4)) return false;
  if (p.dilation_h != 1 || p.dilation_w != 1) return false;
  const int32_t k_pad = 9 * c_in;
  const GemmKernel* kin = find_gemm(3, 3 * c_in, p.stride_w * c_in, 0);
  const GemmKernel* kcol = find_gemm(1, k_pad, -1, 0);
  if (kin == nullptr || kcol == nullptr || 2 * k_pad > sb.bytes) return false;
  // Interior: 0 <= oy*s - pad and oy*s - pad + 2 < H.
  const auto lo = [](int32_t pad, int32_t s) { return pad <= 0 ? 0 : (pad + s - 1) / s; };
  const auto hi = [](int32_t pad, int32_t s, int32_t in, int32_t out) {
    // largest o with o*s - pad + 2 <= in - 1, plus one, clamped to out
    const int32_t num = in - 3 + pad;
    int32_t h = num < 0 ? 0 : num / s + 1;
    return h > out ? out : h;
  };
  const int32_t oy_lo = lo(p.pad_h, p.stride_h), oy_hi = hi(p.pad_h, p.stride_h, p.input.h, p.output.h);
  const int32_t ox_lo = lo(p.pad_w, p.stride_w), ox_hi = hi(p.pad_w, p.stride_w, p.input.w, p.output.w);
  const int32_t row_bytes = p.input.w * c_in;
  const GemmCall cin{kin, &rq, &p};
  const GemmCall ccol{kcol, &rq, &p};
  int8_t* const buf = sb.data;
  const int32_t run_max = (sb.bytes / k_pad) & ~1;  // pixels per im2col batch (>= 2)
  const int32_t out_w = p.output.w;
  const int32_t interior_w = ox_hi > ox_lo ? ox_hi - ox_lo : 0;
  const bool has_interior = interior_w >= 2 && oy_hi > oy_lo;
  // Border columns of the interior rows.
  int32_t side[2], n_side = 0;
  for (int32_t ox = 0; ox < out_w && n_side <= 2; ++ox) {
    if (ox < ox_lo || ox >= ox_hi) {
      if (n_side < 2) side[n_side] = ox;
      ++n_side;
    }
  }
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in = input + n * p.input.h * row_bytes;
    int8_t* out = output + n * p.output.h * out_w * c_out;
    // Consecutive border pixels of one row through im2col batches.
    const auto border_run = [&](int32_t oy, int32_t ox, int32_t count) {
      while (count > 0) {
        const int32_t m = count < run_max ? count : run_max;
        for (int32_t i = 0; i < m; ++i) im2col_3x3_c16(p, in, oy, ox + i, buf + i * k_pad);
        run_gemm_line(ccol, buf, k_pad, m, out + (oy * out_w + ox) * c_out, c_out, 0);
        ox += m;
        count -= m;
      }
    };
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      if (!has_interior || oy < oy_lo || oy >= oy_hi) {
        border_run(oy, 0, out_w);
        continue;
      }
      const int32_t iy = oy * p.stride_h - p.pad_h;
      const int32_t ix = ox_lo * p.stride_w - p.pad_w;
      run_gemm_line(cin, in + (iy * p.input.w + ix) * c_in, p.stride_w * c_in, interior_w,
                    out + (oy * out_w + ox_lo) * c_out, c_out, row_bytes);
    }
    if (!has_interior || n_side == 0) continue;
    // The interior rows' border columns: the same one or two columns in
    // every row, so pixel pairs have a fixed geometry (one call per batch).
    const int32_t rows = oy_hi - oy_lo;
    if (n_side == 2 && (side[1] - side[0]) * c_out <= 65535 - 4) {
      // Pairs (left, right) of a row; pair after pair down the rows.
      for (int32_t r0 = 0; r0 < rows; r0 += run_max / 2) {
        const int32_t m = rows - r0 < run_max / 2 ? rows - r0 : run_max / 2;
        for (int32_t i = 0; i < m; ++i) {
          im2col_3x3_c16(p, in, oy_lo + r0 + i, side[0], buf + 2 * i * k_pad);
          im2col_3x3_c16(p, in, oy_lo + r0 + i, side[1], buf + (2 * i + 1) * k_pad);
        }
        run_gemm(ccol, buf, k_pad, 2 * k_pad, m, out + ((oy_lo + r0) * out_w + side[0]) * c_out,
                 (side[1] - side[0]) * c_out, out_w * c_out, 0);
      }
    } else if (n_side == 1 && out_w * c_out <= 65535 - 4) {
      // One column: pairs of consecutive rows.
      for (int32_t r0 = 0; r0 < rows; r0 += run_max) {
        const int32_t m = rows - r0 < run_max ? rows - r0 : run_max;
        for (int32_t i = 0; i < m; ++i) {
          im2col_3x3_c16(p, in, oy_lo + r0 + i, side[0], buf + i * k_pad);
        }
        run_gemm_line(ccol, buf, k_pad, m, out + ((oy_lo + r0) * out_w + side[0]) * c_out,
                      out_w * c_out, 0);
      }
    } else {
      for (int32_t oy = oy_lo; oy < oy_hi; ++oy) {
        if (ox_lo > 0) border_run(oy, 0, ox_lo);
        if (ox_hi < out_w) border_run(oy, ox_hi, out_w - ox_hi);
      }
    }
  }
  return true;
}

}  // namespace

const GemmKernel* find_gemm(int nseg, int l, int px1, int tail) {
  for (const GemmKernel& k : kGemmKernels) {
    if (k.nseg == nseg && k.l == l && k.px1 == px1 && k.tail == tail) return &k;
  }
  return nullptr;
}

bool conv2d(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  if (p.input.c != p.filter.c || (p.output.c & 3) != 0 || p.output.c == 0) return false;
  RqInfo rq;
  prepare_rq(p.requant, p.output.c, &rq);
  if (!rq.ok) return false;
#ifdef TP_MVE_STATS
  if (!rq.fix && !rq.no_fix) {
    for (int32_t i = 0; i < (p.requant.per_channel ? p.output.c : 1); ++i) {
      if (p.requant.shift[i] == 0) {
        TP_MVE_COUNT(6);
        break;
      }
    }
  }
#endif
  const Buf sb = buf_of(scratch);
  if (p.filter.h == 1 && p.filter.w == 1 && conv_1x1(p, rq, input, output, sb)) return true;
  if (p.filter_layout != 0) return false;  // (the block layout: conv_1x1 or dispatch.cc)
  if (p.filter.h == 3 && p.filter.w == 3 && conv_3x3(p, rq, input, output, sb)) return true;
  return conv_im2col(p, rq, input, output, sb);
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
