// Kernel tests of the arm_mve backend, run under QEMU (test/run.sh): every
// tp::kernels entry point against tp::kernels::ref on random data, on the
// layer shapes of the MLPerf Tiny models and on random shapes, with
// activations at every byte alignment and guard bytes around the outputs.
// Command line (QEMU -append): "<scale> <seed>": the random-shape loops run
// scale times their base count (conv 400, depthwise 400, depthwise columns
// 150, FC 300, ADD 300, pool 300) from the given seed. For every op the test prints which share
// of its random shapes ran a Helium kernel (dispatch.cc, TP_MVE_STATS) and
// which fell back to the reference kernel.
#include <cstdint>
#include <cstring>

#include "../conv_layout.h"
#include "../mve_util.h"
#include "../scratch_need.h"
#include "semihost.h"
#include "tinyperf/engine/kernels.h"

extern "C" int tp_mve_fast_calls[40];  // dispatch.cc with TP_MVE_STATS

using namespace tp::kernels;
using tp::mve_test::put;
using tp::mve_test::put_int;

namespace {

uint32_t g_rng = 0x12345678u;
uint32_t rnd() {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
int32_t rnd_range(int32_t lo, int32_t hi) {  // inclusive
  return lo + static_cast<int32_t>(rnd() % static_cast<uint32_t>(hi - lo + 1));
}

constexpr int kGuard = 32;
alignas(16) int8_t g_in[160 * 1024];
alignas(16) int8_t g_in2[64 * 1024];
alignas(16) int8_t g_out_ref[80 * 1024];
alignas(16) int8_t g_out_opt[80 * 1024];
alignas(16) int8_t g_filter[80 * 1024];
int32_t g_bias[1024], g_folded[1024], g_mult[1024], g_shift[1024];

int g_failures = 0;
int g_tests = 0;
int g_scale = 1;
int g_scratch_short = 0;  // cases given less scratch than scratch_need.h asks

// The layer's scratch (as the model compiler plans it from scratch_need.h):
// mostly exactly what the kernel asks for, sometimes less (the kernel must
// then fall back, still bit-exact) or none; guard bytes after it must stay.
constexpr int kScratchMax = 8192;
alignas(16) int8_t g_scratch[kScratchMax + kGuard];

Scratch make_scratch(uint32_t need, bool exact = false) {
  uint32_t bytes = need;
  const int r = exact ? 15 : rnd_range(0, 15);
  if (need > 0 && r == 0) bytes = 0;
  if (need > 0 && r == 1) bytes = static_cast<uint32_t>(rnd_range(0, static_cast<int32_t>(need) - 1));
  if (bytes < need) ++g_scratch_short;
  if (bytes > kScratchMax) bytes = kScratchMax;
  memset(g_scratch, 0x5A, sizeof g_scratch);
  return {bytes > 0 || rnd_range(0, 1) ? g_scratch : nullptr, bytes};
}

bool scratch_intact(const char* what, const Scratch& s) {
  for (std::size_t i = s.bytes; i < kScratchMax + kGuard; ++i) {
    if (g_scratch[i] != 0x5A) {
      ++g_failures;
      put("FAIL ");
      put(what);
      put(" wrote past its scratch of ");
      put_int(static_cast<long long>(s.bytes));
      put(" bytes\n");
      return false;
    }
  }
  return true;
}

// Random-shape phase of one op: how many cases, how many optimized.
struct Share {
  int op;
  int calls0;
  int tests0;
  int short0;
};
Share share_begin(int op) { return {op, tp_mve_fast_calls[op], g_tests, g_scratch_short}; }
void share_end(const char* what, const Share& s) {
  const int n = g_tests - s.tests0, fast = tp_mve_fast_calls[s.op] - s.calls0;
  put("optimized share of random shapes: ");
  put(what);
  put(" ");
  put_int(fast);
  put(" of ");
  put_int(n);
  put(" (");
  put_int(n > 0 ? (100 * fast + n / 2) / n : 0);
  put("%), reference fallback ");
  put_int(n - fast);
  if (g_scratch_short != s.short0) {
    put(" (");
    put_int(g_scratch_short - s.short0);
    put(" cases given less scratch than asked)");
  }
  put("\n");
}

void fill(int8_t* p, int32_t n, int mode) {
  for (int32_t i = 0; i < n; ++i) {
    switch (mode) {
      case 0: p[i] = static_cast<int8_t>(rnd()); break;
      case 1: p[i] = (rnd() & 1) ? 127 : -128; break;  // extremes
      default: p[i] = static_cast<int8_t>(rnd_range(-20, 20)); break;
    }
  }
}

// allow_min: a few weights of -128 (outside TFLite's symmetric range; the
// column kernel must notice them: dw_column.cc).
bool g_allow_w128 = false;
void fill_weights(int8_t* p, int32_t n) {
  const int mode = rnd_range(0, 5);
  for (int32_t i = 0; i < n; ++i) {
    int32_t v = static_cast<int8_t>(rnd());
    if (mode == 1) v = (rnd() & 1) ? 127 : -127;
    if (mode == 2) v = rnd_range(-3, 3);
    if (v == -128 && !(g_allow_w128 && mode == 3)) v = -127;
    if (g_allow_w128 && mode == 4 && (rnd() & 3) == 0) v = -128;
    p[i] = static_cast<int8_t>(v);
  }
}

// Requantization parameters for `n` channels; mostly realistic, sometimes extreme.
// >= 0: the requantization style every fill_requant takes (test sections
// that need one); -1: a random style per call.
int g_rq_style = -1;

// Every output zero point -128 (the kernels without a rounding fixup).
bool g_zp_m128 = false;

void fill_requant(Requant* rq, int32_t n, bool per_channel) {
  const int style = g_rq_style >= 0 ? g_rq_style : rnd_range(0, 9);
  const int32_t m = per_channel ? n : 1;
  for (int32_t i = 0; i < m; ++i) {
    g_mult[i] = static_cast<int32_t>((rnd() >> 1) | 0x40000000u);
    g_shift[i] = -rnd_range(1, 12);
    if (style == 1 && (rnd() & 3) == 0) {
      g_shift[i] = 0;
      if (rnd() & 1) g_mult[i] = 0;
    }
    if (style == 2) g_shift[i] = -rnd_range(0, 31);
    if (style == 3 && (rnd() & 7) == 0) g_shift[i] = rnd_range(1, 3);  // left shift
    // 11 and 12 (not drawn at random): equal within groups of 4 (11) or 8
    // (12) channels (0-16), a group in four mixed
    if (style == 11 || style == 12) {
      const int32_t n = style == 11 ? 4 : 8;
      g_shift[i] = i % n != 0 && (i / n) % 4 != 3 ? g_shift[i - 1] : -rnd_range(0, 16);
    }
  }
  rq->multiplier = g_mult;
  rq->shift = g_shift;
  // One case in four at zero point -128, the bottom of the range: the
  // kernels without a rounding fixup (mve_util.h fixup_hidden).
  rq->output_offset = (g_zp_m128 || (rnd() & 3) == 0) ? -128 : rnd_range(-128, 127);
  rq->act_min = -128;
  rq->act_max = 127;
  if (style == 4) {
    rq->act_min = rnd_range(-128, 0);
    rq->act_max = rnd_range(rq->act_min, 127);
  }
  rq->per_channel = per_channel ? 1 : 0;
}

bool compare(const char* what, int32_t n, const int8_t* ref, const int8_t* opt) {
  ++g_tests;
  for (int32_t i = -kGuard; i < n + kGuard; ++i) {
    if (ref[i] != opt[i]) {
      ++g_failures;
      put("FAIL ");
      put(what);
      put(" at ");
      put_int(i);
      put(" of ");
      put_int(n);
      put(": ref ");
      put_int(ref[i]);
      put(" opt ");
      put_int(opt[i]);
      put("\n");
      return false;
    }
  }
  return true;
}

void prepare_outputs(int8_t** ref, int8_t** opt, int32_t n) {
  const int32_t a = rnd_range(0, 15);
  *ref = g_out_ref + kGuard + a;
  *opt = g_out_opt + kGuard + a;
  const int8_t fillv = static_cast<int8_t>(rnd());
  memset(g_out_ref, fillv, static_cast<size_t>(n + 2 * kGuard + 16));
  memset(g_out_opt, fillv, static_cast<size_t>(n + 2 * kGuard + 16));
}

// ---- CONV_2D
struct ConvShape {
  int32_t n, ih, iw, ic, oc, kh, kw, sh, sw, pad_h, pad_w, oh, ow;
  int32_t dh, dw;
};

void describe_conv(const ConvShape& s) {
  put(" [n");
  put_int(s.n);
  put(" in ");
  put_int(s.ih);
  put("x");
  put_int(s.iw);
  put("x");
  put_int(s.ic);
  put(" k ");
  put_int(s.kh);
  put("x");
  put_int(s.kw);
  put(" s ");
  put_int(s.sh);
  put(",");
  put_int(s.sw);
  put(" pad ");
  put_int(s.pad_h);
  put(",");
  put_int(s.pad_w);
  put(" out ");
  put_int(s.oh);
  put("x");
  put_int(s.ow);
  put("x");
  put_int(s.oc);
  put("]\n");
}

// Conv cases that ran a two-pair (u2) GEMM kernel, that had shift-0
// channels of zero multiplier on the unmasked kernels, that ran an odd
// last pixel as a fully connected layer.
int g_conv_u2 = 0, g_conv_u2_fix = 0, g_conv_zero_mult = 0, g_conv_last_fc = 0;
int g_conv_u2w = 0;  // ... with a halfword store a pair (conv.cc counter 32)
int g_conv_shift_imm = 0;  // ... by immediate right shift (conv.cc counter 35)
// Conv cases on a GEMM kernel that reads the input by words (pw128,
// GemmKernel::in_align; conv.cc counter 19), and the input's offset from
// 16-byte alignment (-1: random 0-15).
int g_conv_in_words = 0;
// Conv cases on the resident-weight 1x1 kernels (rw16; conv.cc counter 23),
// ... with a group's pixel loops by immediate right shift (counter 38).
int g_conv_rw16 = 0, g_conv_rw16_imm = 0;
// ... of them 3-channel im2col runs with a window row in the padding above
// or below (conv.cc counter 26).
int g_conv_c3_fill = 0;
// ... gather im2col cases with output rows gathered through the strip
// (scratch_need.h im2col_strip_shape; conv.cc counter 27).
int g_conv_strip = 0;
int32_t g_conv_in_off = -1;
// ... of which on the 8-output kernels (fc8p, counter 17), by fixup variant
// (sign, masked, none: mve_util.h fixup_variant).
int g_conv_last_fc8[3] = {0, 0, 0};
// Conv and depthwise cases whose kernels ran without the rounding fixup
// (mve_util.h fixup_hidden; counter 15).
int g_conv_no_fix = 0, g_dw_no_fix = 0;

// Conv cases where the shape fits conv_layout.h's 8-channel blocks get the
// weights in that layout (filter_layout kConvBlock8, as the model compiler
// writes them); cases that ran the b8 kernels (conv.cc run_b8, counter 36),
// and flagged cases the kernels did not take (dispatch.cc's
// conv2d_block8_plain: an input not 4-aligned, a requantization they lack).
bool g_conv_block8 = false;
int g_conv_b8 = 0, g_conv_b8_flagged = 0, g_conv_b8_plain = 0;
int g_conv_b8_imm = 0;  // ... with a group's pixel loop by immediate right shift (counter 37)

// Small values (input offset 0, weights in [-3, 3], inputs in [-5, 5],
// bias in [-200, 200]): outputs mostly inside the int8 range, so that a
// rounding fixup taken or left out where it must not be shows in the bytes.
bool g_conv_small = false;

void test_conv(const ConvShape& s) {
  ConvParams p{};
  p.input = {s.n, s.ih, s.iw, s.ic};
  p.filter = {s.oc, s.kh, s.kw, s.ic};
  p.output = {s.n, s.oh, s.ow, s.oc};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = static_cast<int16_t>(s.sh);
  p.stride_w = static_cast<int16_t>(s.sw);
  p.dilation_h = static_cast<int16_t>(s.dh);
  p.dilation_w = static_cast<int16_t>(s.dw);
  p.pad_h = static_cast<int16_t>(s.pad_h);
  p.pad_w = static_cast<int16_t>(s.pad_w);
  const int32_t taps = s.kh * s.kw * s.ic;
  fill_weights(g_filter, s.oc * taps);
  if (g_conv_small) {
    p.input_offset = 0;
    for (int32_t i = 0; i < s.oc * taps; ++i) g_filter[i] = static_cast<int8_t>(rnd_range(-3, 3));
  }
  p.filter_data = g_filter;
  for (int32_t o = 0; o < s.oc; ++o) {
    g_bias[o] = g_conv_small ? rnd_range(-200, 200) : rnd_range(-20000, 20000);
    int32_t sum = 0;
    for (int32_t i = 0; i < taps; ++i) sum += g_filter[o * taps + i];
    g_folded[o] = g_bias[o] + p.input_offset * sum;
  }
  p.bias = (rnd() & 7) ? g_bias : nullptr;
  if (p.bias == nullptr) {
    for (int32_t o = 0; o < s.oc; ++o) g_folded[o] -= g_bias[o];
  }
  p.folded_bias = g_folded;
  fill_requant(&p.requant, s.oc, (rnd() & 7) != 0);
  const int32_t in_bytes = s.n * s.ih * s.iw * s.ic;
  int8_t* in = g_in + (g_conv_in_off >= 0 ? g_conv_in_off : rnd_range(0, 15));
  fill(in, in_bytes, rnd_range(0, 2));
  if (g_conv_small) {
    for (int32_t i = 0; i < in_bytes; ++i) in[i] = static_cast<int8_t>(rnd_range(-5, 5));
  }
  const int32_t out_bytes = s.n * s.oh * s.ow * s.oc;
  int8_t *ref, *opt;
  prepare_outputs(&ref, &opt, out_bytes);
  ref::conv2d_s8(p, in, ref);
  // (the layout written to g_filter's second half: the reference has run)
  int8_t* const filter_b8 = g_filter + sizeof g_filter / 2;
  const bool block8 = g_conv_block8 && arm_mve::conv_block8_fit(p) &&
                      s.oc * arm_mve::conv_block8_row(s.ic) <= static_cast<int32_t>(sizeof g_filter / 2);
  if (block8) {
    arm_mve::conv_block8_pack(g_filter, filter_b8, s.ic, s.oc);
    p.filter_data = filter_b8;
    p.filter_layout = arm_mve::kConvBlock8;
    ++g_conv_b8_flagged;
  }
  const int b8_0 = tp_mve_fast_calls[36], b8i0 = tp_mve_fast_calls[37];
  const Scratch scr = make_scratch(arm_mve::scratch_need_conv(p).bytes);
  const int u2_0 = tp_mve_fast_calls[5], z0_0 = tp_mve_fast_calls[6];
  const int u2f0 = tp_mve_fast_calls[9];
  const int fc0 = tp_mve_fast_calls[7], nf0 = tp_mve_fast_calls[15];
  const int f80 = tp_mve_fast_calls[17], w0 = tp_mve_fast_calls[19];
  const int rw0 = tp_mve_fast_calls[23], c3f0 = tp_mve_fast_calls[26], rwi0 = tp_mve_fast_calls[38];
  const int st0 = tp_mve_fast_calls[27], u2w0 = tp_mve_fast_calls[32];
  conv2d_s8(p, in, opt, scr);
  if (tp_mve_fast_calls[36] != b8_0) ++g_conv_b8;
  if (tp_mve_fast_calls[37] != b8i0) ++g_conv_b8_imm;
  if (block8 && tp_mve_fast_calls[36] == b8_0) ++g_conv_b8_plain;
  if (tp_mve_fast_calls[32] != u2w0) ++g_conv_u2w;
  if (tp_mve_fast_calls[26] != c3f0) ++g_conv_c3_fill;
  if (tp_mve_fast_calls[27] != st0) ++g_conv_strip;
  if (tp_mve_fast_calls[23] != rw0) ++g_conv_rw16;
  if (tp_mve_fast_calls[38] != rwi0) ++g_conv_rw16_imm;
  if (tp_mve_fast_calls[19] != w0) ++g_conv_in_words;
  if (tp_mve_fast_calls[17] != f80) {
    mve::RqInfo rq;
    mve::prepare_rq(p.requant, s.oc, &rq);
    ++g_conv_last_fc8[mve::fixup_variant(rq)];
  }
  if (tp_mve_fast_calls[15] != nf0) ++g_conv_no_fix;
  if (tp_mve_fast_calls[5] != u2_0) ++g_conv_u2;
  if (tp_mve_fast_calls[9] != u2f0) ++g_conv_u2_fix;
  if (tp_mve_fast_calls[6] != z0_0) ++g_conv_zero_mult;
  if (tp_mve_fast_calls[7] != fc0) ++g_conv_last_fc;
  if (!compare("conv2d", out_bytes, ref, opt) || !scratch_intact("conv2d", scr)) describe_conv(s);
}

ConvShape same_conv(int32_t ih, int32_t iw, int32_t ic, int32_t oc, int32_t k, int32_t s) {
  ConvShape c{};
  c.n = 1;
  c.ih = ih;
  c.iw = iw;
  c.ic = ic;
  c.oc = oc;
  c.kh = c.kw = k;
  c.sh = c.sw = s;
  c.oh = (ih + s - 1) / s;
  c.ow = (iw + s - 1) / s;
  const int32_t ph = (c.oh - 1) * s + k - ih, pw = (c.ow - 1) * s + k - iw;
  c.pad_h = ph > 0 ? ph / 2 : 0;
  c.pad_w = pw > 0 ? pw / 2 : 0;
  c.dh = c.dw = 1;
  return c;
}

void conv_tests() {
  // Layer shapes of the models.
  ConvShape kws0 = same_conv(49, 10, 1, 64, 1, 2);
  kws0.kh = 10;
  kws0.kw = 4;
  kws0.oh = 25;
  kws0.ow = 5;
  kws0.pad_h = 4;
  kws0.pad_w = 1;
  const ConvShape model[] = {
      kws0,
      same_conv(25, 5, 64, 64, 1, 1),
      same_conv(96, 96, 3, 8, 3, 2),
      same_conv(48, 48, 8, 16, 1, 1),
      same_conv(24, 24, 16, 32, 1, 1),
      same_conv(24, 24, 32, 32, 1, 1),
      same_conv(12, 12, 32, 64, 1, 1),
      same_conv(12, 12, 64, 64, 1, 1),
      same_conv(6, 6, 64, 128, 1, 1),
      same_conv(6, 6, 128, 128, 1, 1),
      same_conv(3, 3, 128, 256, 1, 1),
      same_conv(3, 3, 256, 256, 1, 1),
      same_conv(32, 32, 3, 16, 3, 1),
      same_conv(32, 32, 16, 16, 3, 1),
      same_conv(32, 32, 16, 32, 3, 2),
      same_conv(16, 16, 32, 32, 3, 1),
      same_conv(32, 32, 16, 32, 1, 2),
      same_conv(16, 16, 32, 64, 3, 2),
      same_conv(8, 8, 64, 64, 3, 1),
      same_conv(16, 16, 32, 64, 1, 2),
      // ic02 (C_in 40 and 80, K up to 1440: conv_generic.cc), output
      // channels cut where the filter buffer needs it
      same_conv(32, 32, 40, 40, 3, 1),
      same_conv(32, 32, 40, 80, 3, 2),
      same_conv(16, 16, 80, 80, 3, 1),
      same_conv(16, 16, 80, 48, 3, 2),
      same_conv(8, 8, 160, 48, 3, 1),
      same_conv(16, 16, 80, 160, 1, 2),
  };
  for (int rep = 0; rep < 3; ++rep) {
    for (const ConvShape& s : model) test_conv(s);
  }
  put("conv model shapes done\n");
  // Random shapes.
  static const int32_t kIc[] = {1, 2, 3, 4, 8, 16, 32, 64, 24, 40};
  const Share sh = share_begin(0);
  for (int it = 0; it < 400 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = kIc[rnd_range(0, 9)];
    c.oc = 4 * rnd_range(1, 8);
    if ((rnd() & 7) == 0) c.oc = rnd_range(1, 20);
    const int kind = rnd_range(0, 3);
    c.kh = kind == 0 ? 1 : (kind == 1 ? 3 : rnd_range(1, 5));
    c.kw = kind == 0 ? 1 : (kind == 1 ? 3 : rnd_range(1, 5));
    c.sh = rnd_range(1, 2);
    c.sw = rnd_range(1, 2);
    c.dh = (rnd() & 15) == 0 ? 2 : 1;
    c.dw = (rnd() & 15) == 0 ? 2 : 1;
    c.ih = rnd_range(1, 20);
    c.iw = rnd_range(1, 20);
    c.pad_h = rnd_range(-1, c.kh - 1);
    c.pad_w = rnd_range(0, c.kw - 1);
    if (kind == 0 && (rnd() & 1)) c.pad_h = c.pad_w = 0;
    const int32_t eff_h = (c.kh - 1) * c.dh + 1, eff_w = (c.kw - 1) * c.dw + 1;
    const int32_t span_h = c.ih + c.pad_h + rnd_range(0, c.kh - 1) - eff_h;
    const int32_t span_w = c.iw + c.pad_w + rnd_range(0, c.kw - 1) - eff_w;
    if (span_h < 0 || span_w < 0) continue;
    c.oh = span_h / c.sh + 1;
    c.ow = span_w / c.sw + 1;
    if (c.n * c.ih * c.iw * c.ic > 150000 || c.n * c.oh * c.ow * c.oc > 70000) continue;
    if (c.oc * c.kh * c.kw * c.ic > 80000) continue;
    test_conv(c);
  }
  // im2col shapes of the generated K = 40 / 27 kernels (kws01's 10x4 over 1
  // channel and its relatives, 3x3 over 3 channels): windows within 255
  // bytes take the gather im2col (conv.cc), wider ones the row copies (3x3
  // over 3 channels, stride 1 or 2: the fixed-step assembly loop); any
  // padding, strides, dilation_h 2, inputs up to 40 wide (3 channels: 100).
  static const int32_t kGat[][3] = {{1, 10, 4}, {1, 8, 5}, {1, 5, 8}, {1, 4, 10}, {2, 5, 4},
                                    {2, 4, 5},  {4, 2, 5}, {8, 1, 5}, {3, 3, 3}, {40, 1, 1}};
  for (int it = 0; it < 100 * g_scale; ++it) {
    ConvShape c{};
    const int32_t* g = kGat[rnd_range(0, 9)];
    c.n = rnd_range(1, 2);
    c.ic = g[0];
    c.kh = g[1];
    c.kw = g[2];
    c.oc = 4 * rnd_range(1, 6);
    c.sh = rnd_range(1, 2);
    c.sw = rnd_range(1, 2);
    c.dh = (rnd() & 7) == 0 ? 2 : 1;
    c.dw = 1;
    c.ih = rnd_range(1, 40);
    c.iw = rnd_range(1, c.ic == 3 ? 100 : 40);  // 3 channels: also rows of > 255 bytes
    c.pad_h = rnd_range(0, c.kh - 1);
    c.pad_w = rnd_range(0, c.kw - 1);
    const int32_t eff_h = (c.kh - 1) * c.dh + 1;
    const int32_t span_h = c.ih + c.pad_h + rnd_range(0, c.kh - 1) - eff_h;
    const int32_t span_w = c.iw + c.pad_w + rnd_range(0, c.kw - 1) - c.kw;
    if (span_h < 0 || span_w < 0) continue;
    c.oh = span_h / c.sh + 1;
    c.ow = span_w / c.sw + 1;
    if (c.n * c.oh * c.ow * c.oc > 70000) continue;
    test_conv(c);
  }
  // 3x3 over 3 channels on rows of 43-100 pixels (windows over 255 bytes:
  // the row copies, conv.cc im2col_c3), 2-12 rows, padding 0-2 around:
  // the runs with the window's first or last row in the padding
  // (im2col_rows3_c3_fill) beside the border pixels.
  for (int it = 0; it < 30 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = 3;
    c.kh = c.kw = 3;
    c.oc = 4 * rnd_range(1, 4);
    c.sh = c.sw = rnd_range(1, 2);
    c.dh = c.dw = 1;
    c.ih = rnd_range(2, 12);
    c.iw = rnd_range(43, 100);
    c.pad_h = rnd_range(0, 2);
    c.pad_w = rnd_range(0, 2);
    const int32_t span_h = c.ih + c.pad_h + rnd_range(0, 2) - 3;
    const int32_t span_w = c.iw + c.pad_w + rnd_range(0, 2) - 3;
    if (span_h < 0 || span_w < 0) continue;
    c.oh = span_h / c.sh + 1;
    c.ow = span_w / c.sw + 1;
    test_conv(c);
  }
  share_end("conv", sh);
  // The odd last pixel of 1x1 layers over K = 64, 128, 256 (the 8-output
  // kernels) with small values and a right shift of 0 on about a quarter of
  // the channels: every fixup variant where it shows.
  g_conv_small = true;
  g_rq_style = 1;
  for (int rep = 0; rep < 4; ++rep) {
    static constexpr int32_t kKs[] = {64, 128, 256};
    for (int32_t k : kKs) {
      test_conv(same_conv(3, 3, k, 16, 1, 1));
      test_conv(same_conv(5, 5, k, 24, 1, 1));
    }
  }
  g_rq_style = -1;
  g_conv_small = false;
  // 1x1 stride 1 over 128 channels (pw128, input read by words) on inputs
  // at every offset from 16-byte alignment, twice: 4-aligned ones on that
  // kernel, the others on the generic path (no scratch for im2col rows:
  // the engine's tensors are 16-aligned); odd and even pixel counts.
  for (int32_t off = 0; off < 32; ++off) {
    g_conv_in_off = off & 15;
    test_conv(same_conv(rnd_range(1, 5), rnd_range(2, 5), 128, 4 * rnd_range(1, 8), 1, 1));
  }
  g_conv_in_off = -1;
  // 1x1 over 16 and 8 input channels at zero point -128: the resident-weight
  // kernels (output steps 16 / 32 / 64: C_out 16 / 32 / 64, or 8 / 16 / 32
  // through the 8-channel pixel pairs) and the other output counts beside
  // them; pixel counts of every remainder mod 4; half with small values;
  // half with shifts equal within groups of 4 (the pixel loops by immediate
  // right shift).
  g_zp_m128 = true;
  for (int32_t rep = 0; rep < 48; ++rep) {
    g_rq_style = (rep & 4) != 0 ? 11 : -1;
    static constexpr int32_t kOc[] = {16, 32, 64, 8, 4, 12, 20, 48};
    g_conv_small = (rep & 2) != 0;
    const int32_t ic = (rep & 1) ? 8 : 16;
    const int32_t oc = kOc[(rep >> 2) % 8];
    test_conv(same_conv(rnd_range(1, 6), rnd_range(1, 7), ic, oc, 1, 1));
  }
  g_conv_small = false;
  g_rq_style = -1;
  // 1x1 over 32, 64 and 128 channels (up to 128 outputs: the halfword-store
  // kernels too), kws01's 10x4 first layer (heights 10-49) and 3x3 stride 2
  // over 3 channels (vww01's first layer) at zero point -128, shifts equal
  // within groups of 4 output channels (0-16, a group in four mixed): the
  // two-pair kernels' pair loops by immediate right shift (gen_gemm_asm.py
  // SHIFT_U2, SHIFT_U2W; counter 35).
  g_rq_style = 11;
  for (int32_t rep = 0; rep < 32; ++rep) {
    const int32_t oc = 4 * rnd_range(1, 32);
    const int sv = tp_mve_fast_calls[35];
    switch (rep % 5) {
      case 0: {
        const int32_t ih = rnd_range(10, 49);
        test_conv(ConvShape{1, ih, 10, 1, oc > 64 ? oc / 2 : oc, 10, 4, 2, 2, 4, 1, (ih + 1) / 2, 5, 1, 1});
        break;
      }
      case 1:
        test_conv(same_conv(rnd_range(4, 16), rnd_range(4, 16), 3, oc > 64 ? oc / 4 : oc, 3, 2));
        break;
      default:
        test_conv(same_conv(rnd_range(2, 9), rnd_range(2, 9), 32 << (rep % 5 - 2), oc, 1, 1));
        break;
    }
    if (tp_mve_fast_calls[35] != sv) ++g_conv_shift_imm;
  }
  g_rq_style = -1;
  g_zp_m128 = false;
  // Dense 1x1 over K = 64 (plain rows), 40, 128, 192, 256 (the 8-channel
  // block layout) and 320 (no b8 kernel: the other paths), 8-64 output channels
  // (1 case in 8 a multiple of 4 only: the other paths), 1-98 pixels, 3
  // cases in 4 at zero point -128; 1 input in 4 at a random offset from
  // 16-byte alignment (not 4-aligned: conv2d_block8_plain), half with
  // small values; half with shifts equal within groups of 8 (0-16, a group
  // in four mixed: the pixel loops by immediate right shift).
  g_conv_block8 = true;
  for (int32_t rep = 0; rep < 72; ++rep) {
    g_rq_style = (rep & 16) != 0 ? 12 : -1;
    static constexpr int32_t kK[] = {64, 128, 192, 256, 320, 40};
    const int32_t K = kK[rep % 6];
    const int32_t oc = (rep & 7) == 7 ? 4 * (2 * rnd_range(0, 7) + 1) : 8 * rnd_range(1, 8);
    g_zp_m128 = (rep & 3) != 0;
    g_conv_small = (rep & 8) != 0;
    g_conv_in_off = (rnd() & 3) == 0 ? rnd_range(0, 15) : 0;
    ConvShape c = same_conv(rnd_range(1, 7), rnd_range(1, 7), K, oc, 1, 1);
    c.n = rnd_range(1, 2);
    test_conv(c);
  }
  g_conv_block8 = false;
  g_rq_style = -1;
  g_zp_m128 = false;
  g_conv_small = false;
  g_conv_in_off = -1;
  put("conv cases on the 8-channel block 1x1 kernels (b8): ");
  put_int(g_conv_b8);
  put("; in the block layout: ");
  put_int(g_conv_b8_flagged);
  put(", of them by conv2d_block8_plain: ");
  put_int(g_conv_b8_plain);
  put("; by immediate right shift: ");
  put_int(g_conv_b8_imm);
  put("\n");
  if (g_conv_b8 == 0 || g_conv_b8_plain == 0 || g_conv_b8_flagged == g_conv_b8_plain || g_conv_b8_imm == 0) {
    ++g_failures;
    put("FAIL the b8 kernels or their fallback never ran\n");
  }
  put("conv cases (model and random shapes) with the two-pair GEMM kernels: ");
  put_int(g_conv_u2);
  put(" (by immediate right shift: ");
  put_int(g_conv_shift_imm);
  put("; ");
  put_int(g_conv_u2_fix);
  put(" with the masked fixup; ");
  put_int(g_conv_u2w);
  put(" with a halfword store a pair)");
  put(", with shift-0 channels of zero multiplier on the unmasked kernels: ");
  put_int(g_conv_zero_mult);
  put(", with an odd last pixel as a fully connected layer: ");
  put_int(g_conv_last_fc);
  put(" (by the 8-output kernels with the sign / masked / no fixup: ");
  put_int(g_conv_last_fc8[0]);
  put(" / ");
  put_int(g_conv_last_fc8[1]);
  put(" / ");
  put_int(g_conv_last_fc8[2]);
  put(")");
  put(", without the rounding fixup (zero point -128): ");
  put_int(g_conv_no_fix);
  put(", with the input read by words (pw128): ");
  put_int(g_conv_in_words);
  put(", on the resident-weight 1x1 kernels (rw16): ");
  put_int(g_conv_rw16);
  put(" (by immediate right shift: ");
  put_int(g_conv_rw16_imm);
  put(")");
  if (g_conv_rw16_imm == 0) {
    ++g_failures;
    put(" FAIL the rw16 loops by immediate right shift never ran");
  }
  put(", 3-channel im2col runs with a window row in the padding: ");
  put_int(g_conv_c3_fill);
  put(", gather im2col with rows through the strip: ");
  put_int(g_conv_strip);
  put("\n");
  put("conv random shapes done\n");
}

// ---- DEPTHWISE_CONV_2D
// Depthwise cases whose plane copy ran 16-pixel byte gathers (depthwise.cc counter).
int g_dw_copy16 = 0;
// Depthwise cases on the planar kernel: 4 channels interleaved, one channel,
// block rows unrolled (depthwise.cc counters 12, 13, 14).
int g_dw_g4 = 0, g_dw_g1 = 0, g_dw_unrolled = 0;
// ... of them at stride 2 (1x4 groups; depthwise.cc counter 24).
int g_dw_unrolled_s2 = 0;
// ... of them 4-channel groups whose rows copy more than 16 pixels (5-8
// word gathers a row; depthwise.cc counter 18).
int g_dw_g4_wide = 0;
// ... of them 4-channel groups of a 5-wide input copied 4 rows a loop step
// (depthwise.cc counter 28, the kernel's dw_copy_w5).
int g_dw_copy5 = 0;
// ... W = 5 calls entering the four-row loop with the count from
// depthwise.cc (ROWV 12; counter 30).
int g_dw_w5x4 = 0;
// ... W = 5 calls on the four-row loops by immediate right shift (counter 33).
int g_dw_w5imm = 0;
// ... of them with the last row and the next channel in the variant (ROWV 13,
// counter 34).
int g_dw_w5chan = 0;
// ... rows of up to 12 pairs of blocks (stride 2: of 1x4 groups) as one
// unrolled row (ROWV 11; counter 31).
int g_dw_pairs_unrolled = 0;
// ... whose odd height's last block row ran recomputed one row up
// (depthwise.cc counter 20).
int g_dw_recomputed = 0;
// Depthwise cases on the channels-in-lanes kernel with its taps summed in
// int16 pairs, and with every tap widened (a -128 in a pair's second tap;
// depthwise.cc counters 21, 22).
int g_dw_lanes_pairs = 0, g_dw_lanes_wide = 0;
// Depthwise cases on the record kernels (small stride-1 outputs;
// depthwise.cc dw_records, counter 25).
int g_dw_records = 0, g_dw_records_alias = 0;
int g_dw_in_place = 0;  // column cases run with the output over the input
// Cases run with the output over the input by scratch_need.h's contract
// (alias_step: the planner's whole in-place call), and those asked for one
// whose shape has no contract (run apart).
int g_dw_alias = 0, g_dw_alias_refused = 0;
constexpr int kNoAlias = 1000;

// in_place: the output over the input (the same address; stride 1, no
// padding, so output row y only overwrites input row y, which no later row
// reads), as a layer run in place over its input would see it. in_aligned:
// the input 4-aligned. alias (not kNoAlias): where scratch_need.h gives the
// shape an alias_step, the output `alias` steps from the input in one
// buffer, with the whole scratch asked for (as the model compiler plans a
// whole call over its input).
void test_dw(const ConvShape& s, int32_t mult, bool in_place = false, bool in_aligned = false,
             int alias = kNoAlias) {
  DepthwiseConvParams p{};
  const int32_t oc = s.ic * mult;
  p.input = {s.n, s.ih, s.iw, s.ic};
  p.filter = {1, s.kh, s.kw, oc};
  p.output = {s.n, s.oh, s.ow, oc};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = static_cast<int16_t>(s.sh);
  p.stride_w = static_cast<int16_t>(s.sw);
  p.dilation_h = static_cast<int16_t>(s.dh);
  p.dilation_w = static_cast<int16_t>(s.dw);
  p.pad_h = static_cast<int16_t>(s.pad_h);
  p.pad_w = static_cast<int16_t>(s.pad_w);
  p.depth_multiplier = static_cast<int16_t>(mult);
  fill_weights(g_filter, s.kh * s.kw * oc);
  p.filter_data = g_filter;
  for (int32_t o = 0; o < oc; ++o) {
    g_bias[o] = rnd_range(-20000, 20000);
    int32_t sum = 0;
    for (int32_t t = 0; t < s.kh * s.kw; ++t) sum += g_filter[t * oc + o];
    g_folded[o] = g_bias[o] + p.input_offset * sum;
  }
  p.bias = g_bias;
  p.folded_bias = g_folded;
  fill_requant(&p.requant, oc, (rnd() & 7) != 0);
  const int32_t in_bytes = s.n * s.ih * s.iw * s.ic;
  int8_t* in = g_in + (in_aligned ? 4 * rnd_range(0, 3) : rnd_range(0, 15));
  fill(in, in_bytes, rnd_range(0, 2));
  const int32_t out_bytes = s.n * s.oh * s.ow * oc;
  int8_t *ref, *opt;
  prepare_outputs(&ref, &opt, out_bytes);
  ref::depthwise_conv2d_s8(p, in, ref);
  const ScratchNeed need = arm_mve::scratch_need_depthwise(p);
  const int32_t shift = alias != kNoAlias ? alias * need.alias_step : 0;
  if (alias != kNoAlias && need.alias_step == 0) ++g_dw_alias_refused;
  if (alias != kNoAlias && need.alias_step > 0 &&
      in_bytes + (shift < 0 ? -shift : shift) + 2 * kGuard + 32 <= static_cast<int32_t>(sizeof g_out_opt)) {
    // Input and output in one buffer, the output `shift` bytes from the
    // input; the reference's buffer holds the same input bytes at the same
    // place, so the bytes the output leaves uncovered compare equal too.
    const int32_t a = in_aligned ? 4 * rnd_range(0, 3) : rnd_range(0, 15);
    const int32_t lo = kGuard + a + (shift < 0 ? -shift : 0);  // the input
    int8_t* const o_in = g_out_opt + lo;
    int8_t* const r_in = g_out_ref + lo;
    const int8_t fillv = static_cast<int8_t>(rnd());
    const int32_t span = lo + (in_bytes > out_bytes + shift ? in_bytes : out_bytes + shift) + kGuard + 16;
    memset(g_out_opt, fillv, static_cast<size_t>(span));
    memset(g_out_ref, fillv, static_cast<size_t>(span));
    memcpy(o_in, in, static_cast<size_t>(in_bytes));
    memcpy(r_in, in, static_cast<size_t>(in_bytes));
    ref::depthwise_conv2d_s8(p, in, r_in + shift);
    const Scratch scr = make_scratch(need.bytes, /*exact=*/true);
    ++g_dw_alias;
    const int recs = tp_mve_fast_calls[25];
    depthwise_conv2d_s8(p, o_in, o_in + shift, scr);
    if (tp_mve_fast_calls[25] != recs) ++g_dw_records_alias;
    if (!compare("depthwise, output over input", out_bytes, r_in + shift, o_in + shift) ||
        !scratch_intact("depthwise", scr)) {
      describe_conv(s);
      put("  output ");
      put_int(shift);
      put(" bytes from the input\n");
    }
    return;
  }
  const Scratch scr = make_scratch(need.bytes);
  const int c16 = tp_mve_fast_calls[8];
  const int g4 = tp_mve_fast_calls[12], g1 = tp_mve_fast_calls[13], un = tp_mve_fast_calls[14];
  const int g4w = tp_mve_fast_calls[18], rc = tp_mve_fast_calls[20];
  const int lp = tp_mve_fast_calls[21], lw = tp_mve_fast_calls[22];
  const int nf = tp_mve_fast_calls[15], u2s = tp_mve_fast_calls[24];
  const int recs = tp_mve_fast_calls[25], c5 = tp_mve_fast_calls[28];
  const int w54 = tp_mve_fast_calls[30];
  const int pu = tp_mve_fast_calls[31];
  if (in_place) {
    // The input copied to the output's address; past the output, the
    // rows no output overwrites stay input bytes (in the reference too).
    memcpy(opt, in, static_cast<size_t>(in_bytes));
    const int32_t rest = in_bytes - out_bytes < kGuard ? in_bytes - out_bytes : kGuard;
    memcpy(ref + out_bytes, in + out_bytes, static_cast<size_t>(rest));
    ++g_dw_in_place;
    depthwise_conv2d_s8(p, opt, opt, scr);
  } else {
    depthwise_conv2d_s8(p, in, opt, scr);
  }
  if (tp_mve_fast_calls[8] != c16) ++g_dw_copy16;
  if (tp_mve_fast_calls[12] != g4) ++g_dw_g4;
  if (tp_mve_fast_calls[18] != g4w) ++g_dw_g4_wide;
  if (tp_mve_fast_calls[20] != rc) ++g_dw_recomputed;
  if (tp_mve_fast_calls[21] != lp) ++g_dw_lanes_pairs;
  if (tp_mve_fast_calls[22] != lw) ++g_dw_lanes_wide;
  if (tp_mve_fast_calls[13] != g1) ++g_dw_g1;
  if (tp_mve_fast_calls[14] != un) ++g_dw_unrolled;
  if (tp_mve_fast_calls[24] != u2s) ++g_dw_unrolled_s2;
  if (tp_mve_fast_calls[15] != nf) ++g_dw_no_fix;
  if (tp_mve_fast_calls[25] != recs) ++g_dw_records;
  if (tp_mve_fast_calls[28] != c5) ++g_dw_copy5;
  if (tp_mve_fast_calls[30] != w54) ++g_dw_w5x4;
  if (tp_mve_fast_calls[31] != pu) ++g_dw_pairs_unrolled;
  if (!compare("depthwise", out_bytes, ref, opt) || !scratch_intact("depthwise", scr)) describe_conv(s);
}

// Kx1 columns over [N, T, 1, C] (sww01) and their relatives: channels in
// lanes (dw_column.cc): the walked rows, rows reaching into the padding
// (tap list), strides, dilations, tails of C % 16 channels, per-tensor and
// per-channel requantization, extreme inputs and weights (-128 too: every
// tap widened).
void dw_column_tests() {
  const ConvShape model[] = {
      {1, 30, 1, 40, 40, 3, 1, 1, 1, 0, 0, 28, 1, 1, 1},
      {1, 28, 1, 128, 128, 5, 1, 1, 1, 0, 0, 24, 1, 1, 1},
      {1, 24, 1, 128, 128, 10, 1, 1, 1, 0, 0, 15, 1, 1, 1},
      {1, 15, 1, 128, 128, 15, 1, 1, 1, 0, 0, 1, 1, 1, 1},
      // the bands the planner cuts sww01's layers 2 and 4 into
      {1, 12, 1, 128, 128, 5, 1, 1, 1, 0, 0, 8, 1, 1, 1},
      {1, 17, 1, 128, 128, 10, 1, 1, 1, 0, 0, 8, 1, 1, 1},
  };
  const int nf0 = tp_mve_fast_calls[15], s128_0 = tp_mve_fast_calls[16];
  for (int rep = 0; rep < 3; ++rep) {
    for (const ConvShape& s : model) test_dw(s, 1);
  }
  // and with a 4-aligned input (the step-128 kernels need one)
  for (int rep = 0; rep < 2; ++rep) {
    for (const ConvShape& s : model) test_dw(s, 1, false, true);
  }
  put("depthwise column model shapes done\n");
  g_allow_w128 = true;
  const int w128_0 = tp_mve_fast_calls[10], list0 = tp_mve_fast_calls[11];
  const Share sh = share_begin(1);
  for (int it = 0; it < 150 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = rnd_range(0, 1) ? 16 * rnd_range(1, 10) : rnd_range(1, 160);
    c.iw = c.kw = c.ow = 1;
    c.kh = rnd_range(1, 20);
    c.sh = (rnd() & 3) == 0 ? 2 : 1;
    c.sw = 1;
    c.dh = (rnd() & 7) == 0 ? 2 : 1;
    c.dw = 1;
    c.ih = rnd_range(1, 40);
    c.pad_h = (rnd() & 3) == 0 ? rnd_range(0, c.kh - 1) : 0;
    c.pad_w = 0;
    const int32_t eff_h = (c.kh - 1) * c.dh + 1;
    const int32_t span_h = c.ih + 2 * c.pad_h - eff_h;
    if (span_h < 0) continue;
    c.oh = span_h / c.sh + 1;
    if (c.n * c.oh * c.ic > 70000 || c.n * c.ih * c.ic > 150000) continue;
    // In place when the planner could run it so (stride 1, no padding, no
    // dilation: output row y over input row y) and it fits the buffer.
    const bool in_place = c.sh == 1 && c.dh == 1 && c.pad_h == 0 && c.n * c.ih * c.ic <= 70000 &&
                          (rnd() & 3) == 0;
    test_dw(c, 1, in_place);
  }
  share_end("depthwise columns", sh);
  g_allow_w128 = false;
  put("depthwise column cases with a weight of -128 (every tap widened): ");
  put_int(tp_mve_fast_calls[10] - w128_0);
  put(", through the tap list (padding, other shapes): ");
  put_int(tp_mve_fast_calls[11] - list0);
  put(", output over the input: ");
  put_int(g_dw_in_place);
  put(", without the rounding fixup (act_min at or above the zero point; model shapes too): ");
  put_int(tp_mve_fast_calls[15] - nf0);
  put(", walked rows on the step-128 kernels (model shapes too): ");
  put_int(tp_mve_fast_calls[16] - s128_0);
  put("\n");
}

// A random 3x3 geometry for c (n and ic set by the caller): stride 1 or 2
// (or `stride`), an input up to max_h x max_w, padding -1..2 before and
// 0..2 more after; false when the window does not fit.
bool random_3x3(ConvShape* c, int32_t max_h, int32_t max_w, int32_t min_w = 1, int32_t stride = 0) {
  c->kh = c->kw = 3;
  c->sh = c->sw = stride ? stride : rnd_range(1, 2);
  c->dh = c->dw = 1;
  c->ih = rnd_range(1, max_h);
  c->iw = rnd_range(min_w, max_w);
  c->pad_h = rnd_range(-1, 2);
  c->pad_w = rnd_range(-1, 2);
  const int32_t span_h = c->ih + c->pad_h + rnd_range(0, 2) - 3;
  const int32_t span_w = c->iw + c->pad_w + rnd_range(0, 2) - 3;
  if (span_h < 0 || span_w < 0) return false;
  c->oh = span_h / c->sh + 1;
  c->ow = span_w / c->sw + 1;
  return true;
}

void dw_tests() {
  const ConvShape model[] = {
      same_conv(25, 5, 64, 64, 3, 1),   same_conv(48, 48, 8, 8, 3, 1),
      same_conv(48, 48, 16, 16, 3, 2),  same_conv(24, 24, 32, 32, 3, 1),
      same_conv(24, 24, 32, 32, 3, 2),  same_conv(12, 12, 64, 64, 3, 1),
      same_conv(12, 12, 64, 64, 3, 2),  same_conv(6, 6, 128, 128, 3, 1),
      same_conv(6, 6, 128, 128, 3, 2),  same_conv(3, 3, 256, 256, 3, 1),
  };
  for (int rep = 0; rep < 3; ++rep) {
    for (const ConvShape& s : model) test_dw(s, 1);
  }
  // Again with a right shift of 0 on about a quarter of the channels, so
  // that every shape also runs the planar kernel's variants without the
  // rounding fixup (kws01's two-block-row loop among them).
  g_rq_style = 1;
  for (int rep = 0; rep < 2; ++rep) {
    for (const ConvShape& s : model) test_dw(s, 1);
  }
  g_rq_style = -1;
  put("depthwise model shapes done\n");
  const Share sh = share_begin(1);
  for (int it = 0; it < 400 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = rnd_range(1, 40);
    const int kind = rnd_range(0, 3);
    c.kh = kind ? 3 : rnd_range(1, 4);
    c.kw = kind ? 3 : rnd_range(1, 4);
    c.sh = c.sw = rnd_range(1, 2);
    if ((rnd() & 7) == 0) c.sw = 3 - c.sh;
    c.dh = c.dw = 1;
    if ((rnd() & 15) == 0) c.dh = 2;
    c.ih = rnd_range(1, 20);
    c.iw = rnd_range(1, 20);
    c.pad_h = rnd_range(-1, c.kh - 1);
    c.pad_w = rnd_range(-1, c.kw - 1);
    const int32_t eff_h = (c.kh - 1) * c.dh + 1, eff_w = (c.kw - 1) * c.dw + 1;
    const int32_t span_h = c.ih + c.pad_h + rnd_range(0, c.kh - 1) - eff_h;
    const int32_t span_w = c.iw + c.pad_w + rnd_range(0, c.kw - 1) - eff_w;
    if (span_h < 0 || span_w < 0) continue;
    c.oh = span_h / c.sh + 1;
    c.ow = span_w / c.sw + 1;
    const int32_t mult = (rnd() & 7) == 0 ? 2 : 1;
    if (c.n * c.oh * c.ow * c.ic * mult > 70000) continue;
    test_dw(c, mult);
  }
  // Small outputs over 16-256 channels (the channels-in-lanes kernel when
  // C % 16 == 0 and a channel has at most 9 outputs; else the planar one),
  // weights of -128 allowed (the lanes kernel's taps then widened one by
  // one where a pair's second tap holds one).
  g_allow_w128 = true;
  for (int it = 0; it < 80 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = 16 * rnd_range(1, 16);
    if ((rnd() & 7) == 0) c.ic = rnd_range(1, 64);
    if (!random_3x3(&c, 8, 8)) continue;
    test_dw(c, 1);
  }
  // The record kernels' shapes (H = W in 3..7, padding 1 around, C % 16
  // == 0; one or two batch items; scratch_need.h dw_records_shape), and
  // some that just miss them (another padding or width, C % 16 != 0: the
  // planar or lanes kernel), shift-0 channels beside the fixup in a third
  // of them (the record kernel's branch between its two bodies).
  for (int it = 0; it < 60 * g_scale; ++it) {
    const int32_t hw = rnd_range(3, 7);
    ConvShape c = same_conv(hw, hw, 16 * rnd_range(1, 12), 0, 3, 1);
    c.n = rnd_range(1, 2);
    const int miss = rnd_range(0, 7);
    if (miss == 0) c.ic = rnd_range(1, 40);
    if (miss == 1) c.iw = c.ow = hw - 1;
    if (miss == 2) {
      c.pad_h = 0;
      c.oh = hw - 2;
    }
    if (rnd_range(0, 2) == 0) g_rq_style = 1;
    // a quarter with the output over the input (c.n 1: the contract's)
    if ((rnd() & 3) == 0) {
      c.n = 1;
      test_dw(c, 1, false, true, rnd_range(-3, 3));
    } else {
      test_dw(c, 1);
    }
    g_rq_style = -1;
  }
  g_allow_w128 = false;
  // 3x3 over C % 4 == 0 channels, any stride-1 / stride-2 geometry: the
  // planar kernel's 4-channel groups (aligned input and filter), rows of
  // 1-3 blocks (unrolled) and more, odd heights, per-tensor requantization;
  // the input 4-aligned in 3 cases of 4.
  for (int it = 0; it < 100 * g_scale; ++it) {
    ConvShape c{};
    c.n = 1;
    c.ic = 4 * rnd_range(1, 16);
    if (!random_3x3(&c, 16, 14)) continue;
    test_dw(c, 1, false, (rnd() & 3) != 0);
  }
  // The same on rows of 17-25 input pixels: the group copy's 5-7 word
  // gathers a row (where the window still fits the byte offsets: stride 1
  // up to 18 outputs a row, stride 2 up to 12).
  for (int it = 0; it < 30 * g_scale; ++it) {
    ConvShape c{};
    c.n = 1;
    c.ic = 4 * rnd_range(1, 8);
    if (!random_3x3(&c, 12, 25, 17)) continue;
    test_dw(c, 1, false, (rnd() & 3) != 0);
  }
  // Stride 1 on rows of 14-20 block pairs (56-80 outputs: past the
  // unrolled rows' 12, the pair loop), shift-0 channels beside the fixup in
  // a third.
  for (int it = 0; it < 6 * g_scale; ++it) {
    const int32_t w = 8 * rnd_range(7, 10);
    const int32_t c = rnd_range(1, 6);
    if (it % 3 == 1) g_rq_style = 1;
    test_dw(same_conv(rnd_range(1, 9), w, c, c, 3, 1), 1, false, (rnd() & 3) != 0);
    g_rq_style = -1;
  }
  // Stride 1 on rows of 5 outputs (kws01's width: four block rows an
  // iteration, then one and two), heights 1-40, 4-channel groups and
  // single channels, shift-0 channels beside the fixup in a third.
  for (int it = 0; it < 30 * g_scale; ++it) {
    ConvShape c{};
    c.n = 1;
    c.ic = (rnd() & 3) ? 4 * rnd_range(1, 16) : rnd_range(1, 24);
    const int32_t oh = rnd_range(1, 40);
    c = same_conv(oh, 5, c.ic, c.ic, 3, 1);
    if (rnd_range(0, 2) == 0) g_rq_style = 1;
    test_dw(c, 1, false, (rnd() & 3) != 0);
    g_rq_style = -1;
  }
  // Again in 4-channel groups at output zero point -128 (no rounding
  // fixup), at least 4 block rows: the four-row loops by immediate right
  // shift (1-14; 0 and 15-31 keep VRSHL), shifts 0-31 in a third, shift-0
  // channels in a third; C 120-144 in a quarter (the 5-wide copy's loops by
  // immediate source step end at C = 120: gen_gemm_asm.py COPY5_KMAX).
  for (int it = 0; it < 12 * g_scale; ++it) {
    const int32_t c = it % 4 == 3 ? 4 * rnd_range(30, 36) : 4 * rnd_range(1, 16);
    // every other case an odd height over a multiple of 4 block rows (9, 17,
    // 25, 33: kws01's 25): the channel loops by immediate shift (counter 34)
    const int32_t oh = it % 2 == 0 ? 8 * rnd_range(1, 4) + 1 : rnd_range(7, 40);
    g_zp_m128 = true;
    g_rq_style = it % 3 == 0 ? 2 : it % 3 == 1 ? 1 : 0;
    const int w5s = tp_mve_fast_calls[33], w5c = tp_mve_fast_calls[34];
    test_dw(same_conv(oh, 5, c, c, 3, 1), 1, false, (rnd() & 3) != 0);
    if (tp_mve_fast_calls[33] != w5s) ++g_dw_w5imm;
    if (tp_mve_fast_calls[34] != w5c) ++g_dw_w5chan;
    g_rq_style = -1;
    g_zp_m128 = false;
  }
  // Stride 2 on rows of 3-15 outputs: 1-3 1x4 groups and a partial one
  // (the unrolled rows), 4-channel groups and single channels.
  for (int it = 0; it < 40 * g_scale; ++it) {
    ConvShape c{};
    c.n = 1;
    c.ic = (rnd() & 3) ? 4 * rnd_range(1, 8) : rnd_range(1, 24);
    if (!random_3x3(&c, 10, 31, 5, 2)) continue;
    test_dw(c, 1, false, (rnd() & 3) != 0);
  }
  share_end("depthwise", sh);
  // The output over the input where scratch_need.h allows it (the model
  // compiler's whole call in place, ScratchNeed::alias_step): the model
  // shapes, then random 3x3 shapes, tall ones too (a plane over
  // kPlaneMaxBytes: bands inside the kernel, no contract), at 0 and up to 3
  // steps below or above the input, the input 4-aligned or not.
  for (const ConvShape& s : model) test_dw(s, 1, false, true, rnd_range(-3, 3));
  for (int it = 0; it < 100 * g_scale; ++it) {
    ConvShape c{};
    c.n = 1;
    c.ic = (rnd() & 3) ? 4 * rnd_range(1, 16) : rnd_range(1, 40);
    if (!random_3x3(&c, 112, 14)) continue;
    if (c.ih * c.iw * c.ic > 40000) continue;
    test_dw(c, 1, false, (rnd() & 3) != 0, rnd_range(-3, 3));
  }
  put("depthwise cases with the output over the input (scratch_need.h alias_step): ");
  put_int(g_dw_alias);
  put(" (on the record kernels ");
  put_int(g_dw_records_alias);
  put("), shapes without that contract (run apart): ");
  put_int(g_dw_alias_refused);
  put("\n");
  put("depthwise cases (model and random shapes) whose plane copy ran 16-pixel byte gathers: ");
  put_int(g_dw_copy16);
  put("\n");
  put("depthwise cases on the planar kernel: 4-channel groups ");
  put_int(g_dw_g4);
  put(" (rows over 16 pixels ");
  put_int(g_dw_g4_wide);
  put(", 5-wide input rows copied 4 at a time ");
  put_int(g_dw_copy5);
  put(")");
  put(", one channel ");
  put_int(g_dw_g1);
  put(", rows of up to 12 block pairs unrolled ");
  put_int(g_dw_pairs_unrolled);
  put(", W = 5 straight into the four-row loop ");
  put_int(g_dw_w5x4);
  put(", W = 5 four-row loops by immediate right shift ");
  put_int(g_dw_w5imm);
  put(" (with the last row and the next channel: ");
  put_int(g_dw_w5chan);
  put(")");
  put(", block rows unrolled ");
  put_int(g_dw_unrolled);
  put(" (stride 2: ");
  put_int(g_dw_unrolled_s2);
  put(")");
  put(", an odd height's last block row recomputed one row up ");
  put_int(g_dw_recomputed);
  put("; on the record kernels ");
  put_int(g_dw_records);
  put("; on the channels-in-lanes kernel: taps in int16 pairs ");
  put_int(g_dw_lanes_pairs);
  put(", every tap widened ");
  put_int(g_dw_lanes_wide);
  put("\n");
  put("depthwise cases (model and random 3x3 shapes, every kernel) without the rounding fixup: ");
  put_int(g_dw_no_fix);
  put("\n");
  put("depthwise random shapes done\n");
  dw_column_tests();
}

// ---- FULLY_CONNECTED
void test_fc(int32_t batches, int32_t in_depth, int32_t out_depth) {
  FullyConnectedParams p{};
  p.batches = batches;
  p.input_depth = in_depth;
  p.output_depth = out_depth;
  fill_weights(g_filter, in_depth * out_depth);
  p.filter_data = g_filter;
  for (int32_t o = 0; o < out_depth; ++o) g_folded[o] = rnd_range(-100000, 100000);
  p.folded_bias = g_folded;
  fill_requant(&p.requant, out_depth, (rnd() & 3) == 0);
  int8_t* in = g_in + rnd_range(0, 15);
  fill(in, batches * in_depth, rnd_range(0, 2));
  const int32_t out_bytes = batches * out_depth;
  int8_t *ref, *opt;
  prepare_outputs(&ref, &opt, out_bytes);
  ref::fully_connected_s8(p, in, ref);
  fully_connected_s8(p, in, opt, {});
  if (!compare("fully_connected", out_bytes, ref, opt)) {
    put(" [batches ");
    put_int(batches);
    put(" ");
    put_int(in_depth);
    put(" -> ");
    put_int(out_depth);
    put("]\n");
  }
}

void fc_tests() {
  // Depths of the unrolled kernels (K % 32 == 0: tp_mve_fc4u; K = 64 / 128
  // per tensor: tp_mve_fc8_* / fc8s_*), with random output counts.
  static const int32_t kFcK[] = {32, 64, 96, 128, 160, 640};
  for (int it = 0; it < 60; ++it) test_fc(rnd_range(1, 2), kFcK[rnd_range(0, 5)], rnd_range(1, 70));
  // K = 8 (tp_mve_fc8_k8 per tensor), random output counts and activation ranges.
  for (int it = 0; it < 30; ++it) test_fc(rnd_range(1, 2), 8, rnd_range(1, 70));
  const int32_t model[][2] = {{64, 12}, {256, 2}, {64, 10}, {640, 128}, {128, 128}, {128, 8},
                              {8, 128}, {128, 640}};
  for (int rep = 0; rep < 3; ++rep) {
    for (const auto& m : model) test_fc(1, m[0], m[1]);
  }
  const Share sh = share_begin(2);
  for (int it = 0; it < 300 * g_scale; ++it) {
    test_fc(rnd_range(1, 3), rnd_range(1, 300), rnd_range(1, 70));
  }
  share_end("fully_connected", sh);
  put("fully connected done\n");
}

// ---- ADD
void test_add(int32_t size, bool alias) {
  AddParams p{};
  p.size = size;
  p.input1_offset = rnd_range(-127, 128);
  p.input2_offset = rnd_range(-127, 128);
  p.left_shift = (rnd() & 3) ? 20 : rnd_range(0, 22);
  p.input1_multiplier = static_cast<int32_t>((rnd() >> 1) | 0x40000000u);
  p.input2_multiplier = static_cast<int32_t>((rnd() >> 1) | 0x40000000u);
  p.output_multiplier = static_cast<int32_t>((rnd() >> 1) | 0x40000000u);
  p.input1_shift = -rnd_range(0, 4);
  p.input2_shift = -rnd_range(0, 4);
  p.output_shift = -rnd_range(0, 24);
  if (p.left_shift > 20) p.output_shift = -rnd_range(p.left_shift - 16, 31);
  p.output_offset = rnd_range(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  if ((rnd() & 3) == 0) {
    p.act_min = rnd_range(-128, 0);
    p.act_max = rnd_range(p.act_min, 127);
  }
  int8_t* a = g_in + rnd_range(0, 15);
  int8_t* b = g_in2 + rnd_range(0, 15);
  fill(a, size, rnd_range(0, 2));
  fill(b, size, rnd_range(0, 2));
  int8_t *ref, *opt;
  prepare_outputs(&ref, &opt, size);
  ref::add_s8(p, a, b, ref);
  if (alias) {
    // Output aliasing input 1: run on a copy placed at the output.
    memcpy(opt, a, static_cast<size_t>(size));
    add_s8(p, opt, b, opt, {});
  } else {
    add_s8(p, a, b, opt, {});
  }
  compare("add", size, ref, opt);
}

void add_tests() {
  for (int rep = 0; rep < 3; ++rep) {
    test_add(16384, false);
    test_add(8192, true);
    test_add(4096, false);
  }
  const Share sh = share_begin(4);
  for (int it = 0; it < 300 * g_scale; ++it) test_add(rnd_range(1, 300), (rnd() & 1) != 0);
  share_end("add", sh);
  put("add done\n");
}

// ---- AVERAGE_POOL_2D
void test_pool(const ConvShape& s) {
  AvgPoolParams p{};
  p.input = {s.n, s.ih, s.iw, s.ic};
  p.output = {s.n, s.oh, s.ow, s.ic};
  p.filter_h = static_cast<int16_t>(s.kh);
  p.filter_w = static_cast<int16_t>(s.kw);
  p.stride_h = static_cast<int16_t>(s.sh);
  p.stride_w = static_cast<int16_t>(s.sw);
  p.pad_h = static_cast<int16_t>(s.pad_h);
  p.pad_w = static_cast<int16_t>(s.pad_w);
  p.act_min = -128;
  p.act_max = 127;
  if ((rnd() & 3) == 0) {
    p.act_min = rnd_range(-128, 0);
    p.act_max = rnd_range(p.act_min, 127);
  }
  int8_t* in = g_in + rnd_range(0, 15);
  fill(in, s.n * s.ih * s.iw * s.ic, rnd_range(0, 2));
  const int32_t out_bytes = s.n * s.oh * s.ow * s.ic;
  int8_t *ref, *opt;
  prepare_outputs(&ref, &opt, out_bytes);
  ref::avg_pool2d_s8(p, in, ref);
  avg_pool2d_s8(p, in, opt, {});
  if (!compare("avg_pool", out_bytes, ref, opt)) describe_conv(s);
}

void pool_tests() {
  ConvShape g{};
  g.n = 1;
  g.sh = g.sw = 1;
  g.oh = g.ow = 1;
  const int32_t model[][3] = {{25, 5, 64}, {3, 3, 256}, {8, 8, 64}};
  for (int rep = 0; rep < 3; ++rep) {
    for (const auto& m : model) {
      g.ih = g.kh = m[0];
      g.iw = g.kw = m[1];
      g.ic = m[2];
      test_pool(g);
    }
  }
  // Whole-input windows (global pooling, kws01's): runs of 16-150
  // pixels (eltwise.cc long_run_sums: odd and even lengths, C from the
  // immediate-offset cases 16-112 and other C, partial groups).
  for (int it = 0; it < 30 * g_scale; ++it) {
    g.n = rnd_range(1, 2);
    g.ih = g.kh = rnd_range(2, 30);
    g.iw = g.kw = rnd_range(1, 5);
    if (g.ih * g.iw < 16) continue;
    g.ic = (rnd() & 1) ? 16 * rnd_range(1, 10) : rnd_range(16, 160);
    test_pool(g);
  }
  const Share sh = share_begin(3);
  for (int it = 0; it < 300 * g_scale; ++it) {
    ConvShape c{};
    c.n = rnd_range(1, 2);
    c.ic = rnd_range(1, 40);
    c.kh = rnd_range(1, 5);
    c.kw = rnd_range(1, 5);
    c.sh = rnd_range(1, 3);
    c.sw = rnd_range(1, 3);
    c.ih = rnd_range(1, 16);
    c.iw = rnd_range(1, 16);
    c.pad_h = rnd_range(0, c.kh - 1);
    c.pad_w = rnd_range(0, c.kw - 1);
    const int32_t span_h = c.ih + c.pad_h + rnd_range(0, c.kh - 1) - c.kh;
    const int32_t span_w = c.iw + c.pad_w + rnd_range(0, c.kw - 1) - c.kw;
    if (span_h < 0 || span_w < 0) continue;
    c.oh = span_h / c.sh + 1;
    c.ow = span_w / c.sw + 1;
    // Every window must hold an element (the compiler guarantees it).
    if ((c.oh - 1) * c.sh - c.pad_h >= c.ih || (c.ow - 1) * c.sw - c.pad_w >= c.iw) continue;
    test_pool(c);
  }
  share_end("avg_pool", sh);
  put("avg pool done\n");
}

int parse_int(const char*& s) {
  int v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  while (*s == ' ') ++s;
  return v;
}

}  // namespace

int main(int, char**) {
  // Command line (from -append), after the image name: "<scale> <seed>".
  static char cmdline[256];
  struct {
    char* buf;
    int len;
  } arg = {cmdline, sizeof cmdline - 1};
  uint32_t seed = 0;
  if (tp::mve_test::semihost_call(0x15, &arg) == 0) {
    const char* s = cmdline;
    while (*s && *s != ' ') ++s;  // image name
    while (*s == ' ') ++s;
    if (*s) g_scale = parse_int(s);
    if (*s) seed = static_cast<uint32_t>(parse_int(s));
  }
  if (g_scale < 1) g_scale = 1;
  if (seed != 0) g_rng = seed * 2654435761u + 12345u;
  if (g_rng == 0) g_rng = 1;
  put("arm_mve kernel tests, scale ");
  put_int(g_scale);
  put(", seed ");
  put_int(seed);
  put("\n");
  conv_tests();
  dw_tests();
  fc_tests();
  add_tests();
  pool_tests();
  put("cases given less scratch than scratch_need.h asks (smaller blocks or the reference kernel): ");
  put_int(g_scratch_short);
  put("\n");
  put("tests ");
  put_int(g_tests);
  put(", failures ");
  put_int(g_failures);
  put("\n");
  tp::mve_test::exit_qemu(g_failures != 0 ? 1 : 0);
}
