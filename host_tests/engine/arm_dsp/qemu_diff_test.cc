// Differential test of the arm_dsp backend: random layers through the
// tp::kernels entry points against tp::kernels::ref, compared byte for byte,
// with guard bytes around every output, misaligned activation pointers and
// sub-tensor style padding.
//   Cortex-M4 (the assembly kernels): built and run under QEMU with
//     semihosting by run_qemu_diff.sh ("bench" = instruction counts).
//   Host (the portable twins, with sanitizers): CMakeLists.txt here,
//     arguments "<iterations> <seed>".
// Exit status 0 = all equal.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../../../engine/kernels/backends/arm_dsp/conv_layout.h"
#include "../../../engine/kernels/backends/arm_dsp/conv_smallk_layout.h"
#include "../../../engine/kernels/backends/arm_dsp/fc_layout.h"
#include "../../../engine/kernels/backends/arm_dsp/gemm.h"
#include "../../../engine/kernels/backends/arm_dsp/scratch_need.h"
#include "tinyperf/engine/kernels.h"

namespace k = tp::kernels;

extern "C" int tp_arm_dsp_fast_calls[10];  // dispatch.cc with TP_ARM_DSP_STATS

namespace {

#if defined(__arm__)
// ---- semihosting ----------------------------------------------------------
int semihost(int op, const void* arg) {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
void puts_(const char* s) { semihost(0x04, s); }
[[noreturn]] void exit_(int code) {
  const uint32_t block[2] = {0x20026u, static_cast<uint32_t>(code)};  // ADP_Stopped_ApplicationExit
  semihost(0x20, block);
  for (;;) {
  }
}
#else
void puts_(const char* s) { std::fputs(s, stdout); }
[[noreturn]] void exit_(int code) {
  std::fflush(stdout);
  std::exit(code);
}
#endif
void put_int(long v) {
  char buf[24];
  char* p = buf + sizeof buf;
  *--p = 0;
  const bool neg = v < 0;
  unsigned long u = neg ? 0ul - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (neg) *--p = '-';
  puts_(p);
}

// ---- random ---------------------------------------------------------------
uint32_t g_rng = 1;
uint32_t rnd() {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
int32_t rnd_range(int32_t lo, int32_t hi) {  // inclusive
  return lo + static_cast<int32_t>(rnd() % static_cast<uint32_t>(hi - lo + 1));
}
bool coin(int percent) { return rnd_range(0, 99) < percent; }
void fill_s8(int8_t* p, int32_t n, int32_t lo = -128, int32_t hi = 127) {
  for (int32_t i = 0; i < n; ++i) p[i] = static_cast<int8_t>(rnd_range(lo, hi));
}

void random_add_params(k::AddParams* p);
void bench_dw(const char* name, int32_t ih, int32_t iw, int32_t c, int32_t stride, int32_t pad, int32_t oh,
              int32_t ow);

// ---- buffers --------------------------------------------------------------
constexpr int32_t kBuf = 160 * 1024;
alignas(16) int8_t g_in[kBuf];

// The kernels' scratch (what the planner gives each layer: scratch_need.h);
// TP_ARM_DSP_SCRATCH_BYTES builds try smaller ones (run_qemu_diff.sh).
#ifndef TP_ARM_DSP_SCRATCH_BYTES
#define TP_ARM_DSP_SCRATCH_BYTES 2304
#endif
alignas(16) int16_t g_scratch_buf[TP_ARM_DSP_SCRATCH_BYTES / 2];
k::Scratch g_scratch;  // what every kernel call below gets
void set_default_scratch() { g_scratch = {g_scratch_buf, sizeof g_scratch_buf}; }
[[maybe_unused]] alignas(16) int8_t g_in2[kBuf];
alignas(16) int8_t g_out_ref[kBuf];
alignas(16) int8_t g_out_dsp[kBuf];
alignas(16) int8_t g_filter[96 * 1024];
alignas(16) int8_t g_filter_pairs[96 * 1024];  // g_filter in arm_dsp row pairs (fc_layout.h)
int32_t g_bias[1024];
int32_t g_mult[1024];
int32_t g_shift[1024];
constexpr int32_t kGuard = 16;

int g_failures = 0;
int g_cases = 0;
// Cases per operator, indexed as dispatch.cc's tp_arm_dsp_fast_calls:
// 0 conv, 1 depthwise 3x3 (and other KxK), 2 fully connected, 3 average
// pool, 4 add, 5 depthwise Kx1 column. Set by each test before compare().
int g_op = 0;
int g_op_cases[8];
int g_op_fast[8];  // cases that ran an optimized variant (any of dispatch.cc's counters moved)
int fast_total() {
  int n = 0;
  for (int c : tp_arm_dsp_fast_calls) n += c;
  return n;
}

void random_requant(k::Requant* rq, int32_t channels, bool per_channel) {
  const int32_t n = per_channel ? channels : 1;
  const int kind = rnd_range(0, 9);
  for (int32_t c = 0; c < n; ++c) {
    g_mult[c] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
    // Shifts like the models': mostly -6..-11, sometimes 0 or large.
    int32_t s = -rnd_range(5, 11);
    if (kind == 0) s = -rnd_range(0, 31);
    if (kind == 1 && coin(20)) s = 0;
    g_shift[c] = s;
    if (kind == 2 && coin(20)) g_mult[c] = 0;
  }
  rq->multiplier = g_mult;
  rq->shift = g_shift;
  rq->per_channel = per_channel ? 1 : 0;
  const int act = rnd_range(0, 9);
  if (act < 6) {  // ReLU-like with zp -128
    rq->output_offset = -128;
    rq->act_min = -128;
    rq->act_max = 127;
  } else if (act < 9) {  // no activation
    rq->output_offset = rnd_range(-128, 127);
    rq->act_min = -128;
    rq->act_max = 127;
  } else {  // clamped (e.g. ReLU6)
    rq->output_offset = rnd_range(-128, 20);
    rq->act_min = rq->output_offset;
    rq->act_max = rnd_range(rq->act_min, 127);
  }
}

// Biases: mostly small; sometimes "dead" channels with |bias| near 2^30 as
// in vww01.
void random_bias(int32_t n) {
  const bool huge = coin(15);
  for (int32_t c = 0; c < n; ++c) {
    g_bias[c] = rnd_range(-40000, 40000);
    if (huge && coin(20)) g_bias[c] = (coin(50) ? 1 : -1) * rnd_range(1 << 29, (1 << 30) + 128);
  }
}

int32_t g_last_mismatch = -1;

template <typename Run>
void compare(const char* what, int32_t out_bytes, int8_t* out_ref, int8_t* out_dsp, Run run,
             const int8_t* in_for_alias = nullptr) {
  (void)in_for_alias;
  std::memset(out_ref - kGuard, 0x5A, out_bytes + 2 * kGuard);
  std::memset(out_dsp - kGuard, 0x5A, out_bytes + 2 * kGuard);
  const int fast_before = fast_total();
  run(out_ref, out_dsp);
  ++g_cases;
  ++g_op_cases[g_op];
  if (fast_total() != fast_before) ++g_op_fast[g_op];
  for (int32_t i = -kGuard; i < out_bytes + kGuard; ++i) {
    if (out_ref[i] != out_dsp[i]) {
      ++g_failures;
      g_last_mismatch = i;
      puts_("MISMATCH ");
      puts_(what);
      puts_(" at ");
      put_int(i);
      puts_(" of ");
      put_int(out_bytes);
      puts_(": ref ");
      put_int(out_ref[i]);
      puts_(" dsp ");
      put_int(out_dsp[i]);
      puts_("\n");
      return;
    }
  }
}

void print_shape(const char* name, const k::Shape4& s) {
  puts_(name);
  puts_("[");
  put_int(s.n);
  puts_(",");
  put_int(s.h);
  puts_(",");
  put_int(s.w);
  puts_(",");
  put_int(s.c);
  puts_("] ");
}

// ---- CONV_2D --------------------------------------------------------------
void test_conv(int iter) {
  g_op = 0;
  k::ConvParams p{};
  const int kind = rnd_range(0, 5);
  int32_t cin, cout, fh, fw, sh, sw;
  switch (kind) {
    case 0:  // pointwise
      cin = 4 * rnd_range(1, 64);
      cout = rnd_range(1, 80);
      fh = fw = 1;
      sh = sw = coin(80) ? 1 : 2;
      break;
    case 1:  // 3x3
      cin = 4 * rnd_range(1, 16);
      cout = rnd_range(1, 70);
      fh = fw = 3;
      sh = sw = rnd_range(1, 2);
      break;
    case 2:  // kws first layer style
      cin = 1;
      cout = rnd_range(1, 70);
      fh = 10;
      fw = 4;
      sh = sw = 2;
      break;
    case 3:  // 3 input channels
      cin = 3;
      cout = rnd_range(1, 20);
      fh = fw = 3;
      sh = sw = rnd_range(1, 2);
      break;
    default:  // anything small
      cin = rnd_range(1, 20);
      cout = rnd_range(1, 40);
      fh = rnd_range(1, 5);
      fw = rnd_range(1, 5);
      sh = rnd_range(1, 3);
      sw = rnd_range(1, 3);
      break;
  }
  const int32_t ih = rnd_range(fh > 3 ? fh : 1, 24);
  const int32_t iw = rnd_range(fw, 24);
  p.input = {rnd_range(1, 10) == 1 ? 2 : 1, ih, iw, cin};
  p.filter = {cout, fh, fw, cin};
  // Padding: SAME-like, VALID, or arbitrary (sub-tensor bands).
  const int pk = rnd_range(0, 3);
  int32_t ph = 0, pw = 0;
  if (pk == 1) {
    ph = (fh - 1) / 2;
    pw = (fw - 1) / 2;
  } else if (pk >= 2) {
    ph = rnd_range(-2, fh - 1);
    pw = rnd_range(0, fw - 1);
  }
  // Output size: windows must start inside [-pad, ...] and may hang over
  // the bottom/right by at most fh-1 / fw-1 (zero padding).
  const int32_t oh_max = (ih + ph - 1) / sh + 1;
  const int32_t ow_max = (iw + pw - 1) / sw + 1;
  int32_t oh = rnd_range(1, oh_max > 0 ? oh_max : 1);
  int32_t ow = rnd_range(1, ow_max > 0 ? ow_max : 1);
  if (ph < 0 && (oh - 1) * sh - ph >= ih) oh = 1;
  p.output = {p.input.n, oh, ow, cout};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = static_cast<int16_t>(sh);
  p.stride_w = static_cast<int16_t>(sw);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = static_cast<int16_t>(ph);
  p.pad_w = static_cast<int16_t>(pw);
  const int32_t fsize = cout * fh * fw * cin;
  if (fsize > static_cast<int32_t>(sizeof g_filter)) return;
  const int32_t in_bytes = p.input.n * ih * iw * cin;
  const int32_t out_bytes = p.output.n * oh * ow * cout;
  if (in_bytes + 8 > kBuf || out_bytes + 2 * kGuard + 8 > kBuf) return;
  fill_s8(g_filter, fsize);
  random_bias(cout);
  p.filter_data = g_filter;
  p.bias = g_bias;
  random_requant(&p.requant, cout, coin(95));
  p.folded_bias = g_bias;  // not used by the kernels under test with offsets
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), in_bytes);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  compare("conv", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::conv2d_s8(p, in, r);
    k::conv2d_s8(p, in, d, g_scratch);
  });
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("f", p.filter);
    print_shape("out", p.output);
    puts_("s ");
    put_int(sh);
    puts_(",");
    put_int(sw);
    puts_(" pad ");
    put_int(ph);
    puts_(",");
    put_int(pw);
    puts_(" zp ");
    put_int(p.requant.output_offset);
    puts_("\n");
  }
}

// 1x1 convolutions with int16 weights (conv_layout.h), as the compiler
// writes them for this backend: row bands (pad_h <= 0) and whole layers run
// the int16 GEMM; other strides and paddings the plain fallback.
int g_c16_cases = 0, g_c16_fast = 0;
void test_conv_int16(int iter) {
  g_op = 0;
  k::ConvParams p{};
  const int32_t cin = 8 * rnd_range(1, 16);
  const int32_t cout = rnd_range(1, 80);
  const bool plain = coin(15);  // a shape the GEMM does not take
  const int32_t sh = plain && coin(50) ? 2 : 1;
  const int32_t pw = plain && sh == 1 ? 1 : 0;
  const int32_t ih = rnd_range(1, 12), iw = rnd_range(1, 12);
  int32_t ph = coin(40) ? -rnd_range(0, ih - 1) : 0;  // a band's rows start further down
  if (pw != 0) ph = 0;
  const int32_t oh = rnd_range(1, (ih + ph - 1) / sh + 1);
  const int32_t ow = pw != 0 ? iw + 2 : (iw - 1) / sh + 1;
  p.input = {1, ih, iw, cin};
  p.filter = {cout, 1, 1, cin};
  p.output = {1, oh, ow, cout};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = p.stride_w = static_cast<int16_t>(sh);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = static_cast<int16_t>(ph);
  p.pad_w = static_cast<int16_t>(pw);
  const int32_t fsize = cout * cin;
  const int32_t out_bytes = oh * ow * cout;
  if (2 * fsize > static_cast<int32_t>(sizeof g_filter_pairs) || ih * iw * cin + 8 > kBuf ||
      out_bytes + 2 * kGuard + 8 > kBuf) {
    return;
  }
  fill_s8(g_filter, fsize);
  random_bias(cout);
  p.filter_data = g_filter;
  p.bias = g_bias;
  random_requant(&p.requant, cout, coin(95));
  p.folded_bias = g_bias;
  k::ConvParams q = p;
  tp::kernels::arm_dsp::conv_int16_pack(g_filter, g_filter_pairs, cin, cout);
  q.filter_data = g_filter_pairs;
  q.filter_layout = tp::kernels::arm_dsp::kConvInt16;
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), ih * iw * cin);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  const int fast_before = tp_arm_dsp_fast_calls[0];
  compare("conv int16", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::conv2d_s8(p, in, r);
    k::conv2d_s8(q, in, d, g_scratch);
  });
  ++g_c16_cases;
  if (tp_arm_dsp_fast_calls[0] != fast_before) {
    ++g_c16_fast;
    if (plain) {
      ++g_failures;
      puts_("CONV INT16 PATH: a stride/padding the GEMM does not take ran it\n");
    }
  }
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("out", p.output);
    puts_("s ");
    put_int(sh);
    puts_(" pad ");
    put_int(ph);
    puts_(",");
    put_int(pw);
    puts_("\n");
  }
}

// Convolutions over few input channels in the layout the compiler writes
// for them (conv_smallk_layout.h): random shapes of 1-4 input channels,
// filters up to 5x5, strides 1-2, any padding (row bands: pad_h < 0) and
// cout; with the scratch the planner gives them the smallk kernel must
// run, with too small a scratch the plain fallback (both against the
// reference). Layers whose requantization conv_smallk_fit refuses keep the
// int8 layout (the compiler's choice) and are counted.
int g_sk_cases = 0, g_sk_fast = 0, g_sk_refused = 0;
alignas(16) int16_t g_sk_scratch[2304 / 2];
void test_conv_smallk(int iter) {
  g_op = 0;
  k::ConvParams p{};
  const int32_t cin = coin(50) ? 3 : rnd_range(1, 4);
  const int32_t cout = coin(30) ? rnd_range(1, 9) : 2 * rnd_range(1, 16);
  const bool first = coin(50);  // vww01 / ic01 style 3x3
  const int32_t fh = first ? 3 : rnd_range(1, 5), fw = first ? 3 : rnd_range(1, 5);
  const int32_t sh = rnd_range(1, 2), sw = coin(80) ? sh : 3 - sh;
  const int32_t ih = rnd_range(fh, 20), iw = rnd_range(fw, 26);
  p.input = {coin(10) ? 2 : 1, ih, iw, cin};
  p.filter = {cout, fh, fw, cin};
  int32_t ph = 0, pw = 0;
  const int pk = rnd_range(0, 3);
  if (pk == 1) {
    ph = (fh - 1) / 2;
    pw = (fw - 1) / 2;
  } else if (pk >= 2) {
    ph = rnd_range(-2, fh - 1);
    pw = rnd_range(0, fw - 1);
  }
  const int32_t oh_max = (ih + ph - 1) / sh + 1, ow_max = (iw + pw - 1) / sw + 1;
  int32_t oh = rnd_range(1, oh_max > 0 ? oh_max : 1);
  const int32_t ow = rnd_range(1, ow_max > 0 ? ow_max : 1);
  if (ph < 0 && (oh - 1) * sh - ph >= ih) oh = 1;
  p.output = {p.input.n, oh, ow, cout};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = static_cast<int16_t>(sh);
  p.stride_w = static_cast<int16_t>(sw);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = static_cast<int16_t>(ph);
  p.pad_w = static_cast<int16_t>(pw);
  const int32_t fsize = cout * fh * fw * cin;
  const int32_t in_bytes = p.input.n * ih * iw * cin;
  const int32_t out_bytes = p.output.n * oh * ow * cout;
  if (in_bytes + 8 > kBuf || out_bytes + 2 * kGuard + 8 > kBuf) return;
  if (tp::kernels::arm_dsp::smallk_shape(p).S > tp::kernels::arm_dsp::kSmallKMaxGroups) return;
  fill_s8(g_filter, fsize);
  random_bias(cout);
  p.filter_data = g_filter;
  p.bias = g_bias;
  random_requant(&p.requant, cout, true);
  p.folded_bias = g_bias;
  if (!tp::kernels::arm_dsp::conv_smallk_fit(p, g_bias)) {
    ++g_sk_refused;
    return;
  }
  k::ConvParams q = p;
  if (tp::kernels::arm_dsp::smallk_blob_bytes(p) > sizeof g_filter_pairs) return;
  tp::kernels::arm_dsp::conv_smallk_pack(p, g_filter, g_bias, g_filter_pairs);
  q.filter_data = g_filter_pairs;
  q.filter_layout = tp::kernels::arm_dsp::kConvSmallK;
  // The planner's scratch (scratch_need.h), or too little of it.
  const uint32_t need = tp::kernels::arm_dsp::scratch_need_conv(q).bytes;
  const bool small = coin(15);
  if (need > sizeof g_sk_scratch) return;
  const k::Scratch sc{g_sk_scratch, small ? tp::kernels::arm_dsp::smallk_scratch_bytes(p) / 2 : need};
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), in_bytes);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  const int fast_before = tp_arm_dsp_fast_calls[0];
  compare("conv smallk", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::conv2d_s8(p, in, r);
    k::conv2d_s8(q, in, d, sc);
  });
  ++g_sk_cases;
  const bool fast = tp_arm_dsp_fast_calls[0] != fast_before;
  g_sk_fast += fast ? 1 : 0;
  if (fast == small) {
    ++g_failures;
    puts_(small ? "CONV SMALLK PATH: ran the kernel with too small a scratch\n"
                : "CONV SMALLK PATH: the planner's scratch did not run the kernel\n");
  }
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("f", p.filter);
    print_shape("out", p.output);
    puts_("s ");
    put_int(sh);
    puts_(",");
    put_int(sw);
    puts_(" pad ");
    put_int(ph);
    puts_(",");
    put_int(pw);
    puts_(" zp ");
    put_int(p.requant.output_offset);
    puts_("\n");
  }
}

// ---- DEPTHWISE_CONV_2D ----------------------------------------------------
// folded_bias as the compiler emits it: bias + input offset * the sum of each
// channel's taps (depth multiplier 1).
int32_t g_folded[1024];
const int32_t* fold_dw_bias(const k::DepthwiseConvParams& p) {
  const int32_t c = p.output.c, taps = p.filter.h * p.filter.w;
  for (int32_t ch = 0; ch < c; ++ch) {
    int32_t sum = 0;
    for (int32_t t = 0; t < taps; ++t) sum += p.filter_data[t * c + ch];
    g_folded[ch] = (p.bias != nullptr ? p.bias[ch] : 0) + p.input_offset * sum;
  }
  return g_folded;
}

// Kx1 columns (sww01's depthwise layers): W = 1, stride 1, no padding.
// ic02's widest convolutions (3x3 over 80 and 160 channels: K = 720 and
// 1440 taps) with the scratch the planner gives them (scratch_need_conv):
// the fast path must take them and equal the reference.
alignas(16) int16_t g_wide_scratch[8 * 1440 / 2];
void test_wide_conv() {
  const struct {
    int32_t h, w, cin, cout, stride;
  } kShapes[] = {{16, 16, 80, 24, 1}, {16, 16, 80, 24, 2}, {8, 8, 160, 32, 1}};
  for (const auto& s : kShapes) {
    for (int rep = 0; rep < 2; ++rep) {
      k::ConvParams p{};
      const int32_t oh = (s.h + s.stride - 1) / s.stride, ow = (s.w + s.stride - 1) / s.stride;
      p.input = {1, s.h, s.w, s.cin};
      p.filter = {s.cout, 3, 3, s.cin};
      p.output = {1, oh, ow, s.cout};
      p.input_offset = rnd_range(-127, 128);
      p.stride_h = p.stride_w = static_cast<int16_t>(s.stride);
      p.dilation_h = p.dilation_w = 1;
      p.pad_h = static_cast<int16_t>(((oh - 1) * s.stride + 3 - s.h) / 2);
      p.pad_w = static_cast<int16_t>(((ow - 1) * s.stride + 3 - s.w) / 2);
      fill_s8(g_filter, s.cout * 9 * s.cin);
      // Requantization as a trained model's (right shifts, per channel; what
      // ic02 has), so that the fast path applies.
      for (int32_t c = 0; c < s.cout; ++c) {
        g_bias[c] = rnd_range(-4000, 4000);
        g_mult[c] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
        g_shift[c] = -rnd_range(7, 10);
      }
      p.filter_data = g_filter;
      p.bias = g_bias;
      p.requant = {g_mult, g_shift, rnd_range(-128, 127), -128, 127, 1};
      p.folded_bias = g_bias;
      const uint32_t need = k::arm_dsp::scratch_need_conv(p).bytes;
      if (need <= 2304 || need > sizeof g_wide_scratch) {
        puts_("wide conv: unexpected scratch need ");
        put_int(need);
        puts_("\n");
        ++g_failures;
        continue;
      }
      g_scratch = {g_wide_scratch, need};
      fill_s8(g_in, s.h * s.w * s.cin);
      const int fast_before = tp_arm_dsp_fast_calls[0];
      compare("wide conv", oh * ow * s.cout, g_out_ref + 32, g_out_dsp + 32, [&](int8_t* r, int8_t* d) {
        k::ref::conv2d_s8(p, g_in, r);
        k::conv2d_s8(p, g_in, d, g_scratch);
      });
      if (tp_arm_dsp_fast_calls[0] == fast_before) {
        puts_("wide conv: the fast path did not take it\n");
        ++g_failures;
      }
      set_default_scratch();
    }
  }
}

// Kx1 columns: the planar column kernel (dw_column.cc, dwcol_m4.S), the
// direct loop and the reference fallback. Random K (1-24), channel counts
// (multiples of 4 and not), column lengths (up to a few hundred rows: the
// kernel's passes), per-channel and per-tensor requantization, extreme
// taps and inputs, scratches from none to the full 2,304 bytes, and, for
// single batches, the output in place over its input rows (output = input
// - d rows, d = 0..2, one buffer: the order the kernels guarantee).
int g_col_cases = 0, g_col_planar = 0, g_col_direct = 0, g_col_inplace = 0;
alignas(16) int16_t g_col_scratch[2304 / 2];
void test_dw_column(int iter) {
  g_op = 5;
  k::DepthwiseConvParams p{};
  const int32_t c = coin(80) ? 4 * rnd_range(1, 40) : rnd_range(1, 12);
  const int32_t fh = coin(90) ? rnd_range(1, 16) : rnd_range(17, 24);
  const int32_t ih = fh + (coin(85) ? rnd_range(0, 30) : rnd_range(31, 400));
  p.input = {coin(10) ? 2 : 1, ih, 1, c};
  p.filter = {1, fh, 1, c};
  p.output = {p.input.n, ih - fh + 1, 1, c};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.depth_multiplier = 1;
  const int32_t in_bytes = p.input.n * ih * c;
  const int32_t out_bytes = p.output.n * p.output.h * c;
  if (in_bytes + 8 > kBuf || out_bytes + 2 * kGuard + 8 > kBuf || fh * c > 96 * 1024) return;
  const int ext = rnd_range(0, 9);  // extreme taps / inputs
  if (ext == 0) {
    for (int32_t i = 0; i < fh * c; ++i) g_filter[i] = static_cast<int8_t>(coin(50) ? 127 : -127);
  } else if (ext == 1) {
    for (int32_t i = 0; i < fh * c; ++i) g_filter[i] = static_cast<int8_t>(coin(50) ? 127 : -128);
  } else {
    fill_s8(g_filter, fh * c);
  }
  random_bias(c);
  p.filter_data = g_filter;
  p.bias = coin(95) ? g_bias : nullptr;
  if (coin(50)) {
    random_requant(&p.requant, c, coin(75));
  } else {  // as a trained model's: right shifts, the full range
    const bool pc = coin(80);
    for (int32_t q = 0; q < (pc ? c : 1); ++q) {
      g_mult[q] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
      g_shift[q] = -rnd_range(1, 12);
    }
    p.requant = {g_mult, g_shift, rnd_range(-128, 127), -128, 127, static_cast<uint8_t>(pc ? 1 : 0)};
  }
  p.folded_bias = fold_dw_bias(p);
  int8_t* in = g_in + 4 * rnd_range(0, 3);
  if (ext == 2 || ext == 3) {
    for (int32_t i = 0; i < in_bytes; ++i) in[i] = static_cast<int8_t>(ext == 2 ? (coin(50) ? 127 : -128) : -128);
  } else {
    fill_s8(in, in_bytes);
  }
  // The scratch: what the planner plans for the layer (scratch_need.h),
  // sometimes less (passes of fewer rows, or none: the direct loop).
  uint32_t sb = k::arm_dsp::scratch_need_depthwise(p).bytes;
  if (sb > sizeof g_col_scratch) sb = sizeof g_col_scratch;
  if (coin(25)) sb = static_cast<uint32_t>(rnd_range(0, static_cast<int32_t>(sizeof g_col_scratch) / 16)) * 16;
  const k::Scratch scratch = {sb > 0 ? g_col_scratch : nullptr, sb};
  // Where the planar kernel must run: the stated conditions (dw_column.cc).
  k::arm_dsp::GemmMode mode;
  bool planar = c % 4 == 0 && p.output.h >= k::arm_dsp::kColumnPlanarMinRows &&
                k::arm_dsp::gemm_mode_for(p.requant, p.bias, c, fh, &mode) && mode.dbl && mode.fold &&
                static_cast<int64_t>(sb & ~15u) >=
                    k::arm_dsp::dw_column_scratch_bytes(fh, 6);
  if (planar && !mode.corr) {
    for (int32_t q = 0; q < (p.requant.per_channel ? c : 1); ++q) planar = planar && p.requant.shift[q] <= -1;
  }
  const int d = p.input.n == 1 && coin(30) ? rnd_range(0, 2) : -1;  // in place, output d rows below
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  const int planar_before = tp_arm_dsp_fast_calls[8], col_before = tp_arm_dsp_fast_calls[5];
  if (d < 0) {
    compare("dw-column", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* o) {
      k::ref::depthwise_conv2d_s8(p, in, r);
      k::depthwise_conv2d_s8(p, in, o, scratch);
    });
  } else {
    ++g_col_inplace;
    // One buffer: the output from its start, the input d rows further.
    compare("dw-column in place", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* o) {
      k::ref::depthwise_conv2d_s8(p, in, r);
      std::memmove(o + d * c, in, in_bytes);
      k::depthwise_conv2d_s8(p, o + d * c, o, scratch);
      // The bytes past the output are input rows (or the guard) the kernel
      // must not write; then the guard the comparison expects.
      for (int32_t i = out_bytes; i < out_bytes + kGuard; ++i) {
        const int32_t src = i - d * c;
        const int8_t want = src < in_bytes ? in[src] : static_cast<int8_t>(0x5A);
        if (o[i] != want) {
          ++g_failures;
          puts_("DW COLUMN in place: a byte past the output changed\n");
          break;
        }
      }
      std::memset(o + out_bytes, 0x5A, kGuard);
    });
  }
  ++g_col_cases;
  const bool ran_planar = tp_arm_dsp_fast_calls[8] != planar_before;
  if (ran_planar) ++g_col_planar;
  else if (tp_arm_dsp_fast_calls[5] != col_before) ++g_col_direct;
  if (ran_planar != planar) {
    ++g_failures;
    puts_(planar ? "DW COLUMN: the planar kernel did not run where it must\n"
                 : "DW COLUMN: the planar kernel ran outside its conditions\n");
  }
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("f", p.filter);
    puts_(" scratch ");
    put_int(sb);
    puts_(" in place ");
    put_int(d);
    puts_("\n");
  }
}

int g_dw_s2_cases = 0, g_dw_s2_vpair = 0;  // stride-2 3x3 cases, those the vertical pairs ran
int g_dw_small_cases = 0, g_dw_small_fast = 0;  // small-map cases, those the dws kernel ran
int g_dw_small_other = 0;  // other random depthwise cases the dws kernel ran

// wide_s2: 3x3 stride 2 with output widths 12-25 (the vertical-pair
// kernel's shapes, vww01's 24x24 and 12x12 layers among them). small: 3x3
// stride 1 on maps up to 8x8, mostly SAME padding (the small-map kernel's
// shapes, vww01's 6x6 and 3x3 layers among them).
void test_dw(int iter, bool wide_s2 = false, bool small = false) {
  g_op = 1;
  k::DepthwiseConvParams p{};
  const int kind = wide_s2 || small ? 0 : rnd_range(0, 9);
  const int32_t c = wide_s2 ? 4 * rnd_range(1, 8) : (kind < 8 ? 4 * rnd_range(1, 40) : rnd_range(1, 12));
  const int32_t fh = kind < 9 ? 3 : rnd_range(1, 4), fw = kind < 9 ? 3 : rnd_range(1, 4);
  const int32_t s = wide_s2 ? 2 : (small ? 1 : rnd_range(1, 2));
  const int32_t ih = small ? rnd_range(1, 8) : rnd_range(1, kind == 1 ? 100 : 30);
  const int32_t iw = wide_s2 ? rnd_range(25, 52) : (small ? (coin(85) ? rnd_range(2, 6) : rnd_range(1, 8)) : rnd_range(1, kind == 2 ? 140 : 30));
  p.input = {coin(10) ? 2 : 1, ih, iw, c};
  p.filter = {1, fh, fw, c};
  int32_t ph = 0, pw = 0;
  const int pk = small ? (coin(80) ? 1 : rnd_range(0, 3)) : rnd_range(0, 3);
  if (pk == 1) {
    ph = (fh - 1) / 2;
    pw = (fw - 1) / 2;
  } else if (pk >= 2) {
    ph = rnd_range(-2, fh - 1);
    pw = rnd_range(-1, fw - 1);
  }
  const int32_t oh_max = (ih + ph - 1) / s + 1;
  const int32_t ow_max = (iw + pw - 1) / s + 1;
  int32_t oh = small && pk == 1 ? ih : rnd_range(1, oh_max > 0 ? oh_max : 1);
  int32_t ow = wide_s2 ? rnd_range(ow_max < 12 ? ow_max : 12, ow_max < 25 ? ow_max : 25)
                       : (small && pk == 1 ? iw : rnd_range(1, ow_max > 0 ? ow_max : 1));
  p.output = {p.input.n, oh, ow, c};
  p.input_offset = rnd_range(-127, 128);
  p.stride_h = p.stride_w = static_cast<int16_t>(s);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = static_cast<int16_t>(ph);
  p.pad_w = static_cast<int16_t>(pw);
  p.depth_multiplier = 1;
  const int32_t in_bytes = p.input.n * ih * iw * c;
  const int32_t out_bytes = p.output.n * oh * ow * c;
  if (in_bytes + 8 > kBuf || out_bytes + 2 * kGuard + 8 > kBuf) return;
  fill_s8(g_filter, fh * fw * c);
  random_bias(c);
  p.filter_data = g_filter;
  p.bias = coin(95) ? g_bias : nullptr;
  random_requant(&p.requant, c, coin(95));
  p.folded_bias = fold_dw_bias(p);
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), in_bytes);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  // Stride 2, 3x3: the scratch the planner gives the layer when more than
  // the default (the vertical-pair strips of wide layers, up to 4,096 B).
  const bool s2_3x3 = s == 2 && fh == 3 && fw == 3 && c % 4 == 0;
  const uint32_t need = k::arm_dsp::scratch_need_depthwise(p).bytes;
  if (s2_3x3 && need > sizeof g_scratch_buf && need <= sizeof g_wide_scratch) g_scratch = {g_wide_scratch, need};
  const int vp_before = tp_arm_dsp_fast_calls[6];
  const int small_before = tp_arm_dsp_fast_calls[7];
  compare("dw", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::depthwise_conv2d_s8(p, in, r);
    k::depthwise_conv2d_s8(p, in, d, g_scratch);
  });
  set_default_scratch();
  if (s2_3x3) {
    ++g_dw_s2_cases;
    if (tp_arm_dsp_fast_calls[6] != vp_before) ++g_dw_s2_vpair;
  }
  if (small) {
    ++g_dw_small_cases;
    if (tp_arm_dsp_fast_calls[7] != small_before) ++g_dw_small_fast;
  }
  if (!small && tp_arm_dsp_fast_calls[7] != small_before) ++g_dw_small_other;
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("out", p.output);
    puts_("s ");
    put_int(s);
    puts_(" pad ");
    put_int(ph);
    puts_(",");
    put_int(pw);
    puts_(" zp ");
    put_int(p.requant.output_offset);
    const int32_t ch = g_last_mismatch >= 0 ? g_last_mismatch % c : 0;
    puts_(" ch ");
    put_int(ch);
    puts_(" m ");
    put_int(p.requant.multiplier[p.requant.per_channel ? ch : 0]);
    puts_(" shift ");
    put_int(p.requant.shift[p.requant.per_channel ? ch : 0]);
    puts_(" bias ");
    put_int(p.bias ? p.bias[ch] : 0);
    puts_(" off ");
    put_int(p.input_offset);
    puts_("\n");
  }
}

// ---- FULLY_CONNECTED ------------------------------------------------------
// Random filter, biases and requantization of an FC layer whose depths are
// set; false when the filter does not fit the test's buffer.
bool random_fc_weights(k::FullyConnectedParams* p) {
  const int32_t fsize = p->input_depth * p->output_depth;
  if (fsize > static_cast<int32_t>(sizeof g_filter)) return false;
  fill_s8(g_filter, fsize);
  random_bias(p->output_depth);
  p->filter_data = g_filter;
  p->folded_bias = g_bias;
  random_requant(&p->requant, p->output_depth, coin(10));
  return true;
}

// The FULLY_CONNECTED fast path's stated conditions (fc.cc): every other
// layer runs the reference. A case on the wrong side of them is a failure.
bool fc_should_be_fast(const k::FullyConnectedParams& p) {
  const int32_t K = p.input_depth;
  if (K < 8 || K % 4 != 0 || p.requant.per_channel) return false;
  const std::size_t need = 2 * static_cast<std::size_t>(K & ~7) + (K % 8 != 0 ? 4 * static_cast<std::size_t>(p.output_depth) : 0);
  if (need > (g_scratch.data != nullptr ? (g_scratch.bytes & ~std::size_t{15}) : 0)) return false;
  const k::Requant& rq = p.requant;
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t e = -rq.shift[0];
  if (rq.multiplier[0] < (int32_t{1} << 30) || e < 0 || e > 23) return false;
  return !(rq.output_offset > -128 && e == 0);
}

int g_fc_shapes = 0, g_fc_shape_fast = 0;  // shapes the fast path serves (any requantization)
int g_fc_pairs = 0, g_fc_pairs_fast = 0, g_fc_pairs_refused = 0;  // row-pair cases

// Half the FULLY_CONNECTED cases whose depth is a multiple of 8 run with the
// weights in row pairs, as the compiler writes them for this backend
// (weights in [-127, 127], TFLite's symmetric range, but now and then a
// -128 under a negative weight, which the layout cannot hold: refused and
// run plain). Returns the kernel's parameters: `p` itself or its row-pair
// twin over g_filter_pairs (read back and compared weight by weight).
k::FullyConnectedParams maybe_row_pairs(const k::FullyConnectedParams& p) {
  const int32_t K = p.input_depth, N = p.output_depth;
  if (K % 8 != 0 || N < 2 || !coin(50)) return p;
  const int32_t size = K * N;
  for (int32_t i = 0; i < size; ++i) {
    if (g_filter[i] == -128) g_filter[i] = -127;
  }
  if (coin(5)) {
    g_filter[K + rnd_range(0, K - 1)] = -128;  // row 1 (odd)
    for (int32_t j = 0; j < K; ++j) {
      if (g_filter[K + j] == -128) g_filter[j] = -5;
    }
  }
  if (!tp::kernels::arm_dsp::fc_row_pairs_fit(K, N, g_filter)) {
    ++g_fc_pairs_refused;
    return p;
  }
  tp::kernels::arm_dsp::fc_row_pairs_pack(g_filter, g_filter_pairs, K, N);
  if (coin(20)) {
    for (int32_t r = 0; r < N; ++r) {
      for (int32_t j = 0; j < K; ++j) {
        if (tp::kernels::arm_dsp::fc_row_pairs_weight(g_filter_pairs, K, N, r, j) != g_filter[r * K + j]) {
          ++g_failures;
          puts_("FC ROW PAIRS: weight read back wrong\n");
          return p;
        }
      }
    }
  }
  k::FullyConnectedParams q = p;
  q.filter_data = g_filter_pairs;
  q.filter_layout = tp::kernels::arm_dsp::kFcRowPairs;
  ++g_fc_pairs;
  return q;
}

void check_fc_path(const k::FullyConnectedParams& p, bool fast) {
  const int32_t K = p.input_depth;
  ++g_fc_shapes;
  if (K >= 8 && K % 4 == 0) ++g_fc_shape_fast;
  if (fast == fc_should_be_fast(p)) return;
  ++g_failures;
  puts_("FC PATH: in ");
  put_int(K);
  puts_(" out ");
  put_int(p.output_depth);
  puts_(fast ? " took the fast path, stated fallback\n" : " fell back, stated fast\n");
}

void test_fc(int iter) {
  g_op = 2;
  k::FullyConnectedParams p{};
  p.batches = coin(10) ? rnd_range(2, 3) : 1;
  p.input_depth = coin(85) ? 8 * rnd_range(1, 100) : rnd_range(1, 300);
  p.output_depth = rnd_range(1, 150);
  if (!random_fc_weights(&p)) return;
  const int32_t in_bytes = p.batches * p.input_depth;
  const int32_t out_bytes = p.batches * p.output_depth;
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), in_bytes);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  const int fast_before = tp_arm_dsp_fast_calls[2];
  const k::FullyConnectedParams q = maybe_row_pairs(p);
  compare("fc", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::fully_connected_s8(p, in, r);
    k::fully_connected_s8(q, in, d, g_scratch);
  });
  const bool fast = tp_arm_dsp_fast_calls[2] != fast_before;
  check_fc_path(p, fast);
  if (q.filter_layout != 0 && fast) ++g_fc_pairs_fast;
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" batches ");
    put_int(p.batches);
    puts_(" in ");
    put_int(p.input_depth);
    puts_(" out ");
    put_int(p.output_depth);
    puts_(" zp ");
    put_int(p.requant.output_offset);
    puts_("\n");
  }
}

// FULLY_CONNECTED with its scratch ending where its own input ends (what
// the planner does when the input dies at the layer: scratch_need.h): the
// kernel expands the input over itself and must still match the reference
// computed from an untouched copy.
alignas(16) int8_t g_fc_alias[2 * 800 + 16];
void test_fc_over_input(int iter) {
  g_op = 2;
  k::FullyConnectedParams p{};
  p.batches = 1;
  p.input_depth = 8 * rnd_range(1, 100);
  p.output_depth = rnd_range(1, 150);
  if (!random_fc_weights(&p)) return;
  const int32_t K = p.input_depth;
  int8_t* in_copy = g_in;
  fill_s8(in_copy, K);
  int8_t* out_ref = g_out_ref + 32;
  int8_t* out_dsp = g_out_dsp + 32;
  const int before = g_failures;
  const k::FullyConnectedParams q = maybe_row_pairs(p);
  const int fast_before = tp_arm_dsp_fast_calls[2];
  compare("fc over its input", p.output_depth, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::fully_connected_s8(p, in_copy, r);
    for (int32_t i = 0; i < K; ++i) g_fc_alias[K + i] = in_copy[i];
    g_scratch = {g_fc_alias, 2 * static_cast<std::size_t>(K)};
    k::fully_connected_s8(q, g_fc_alias + K, d, g_scratch);
    set_default_scratch();
  });
  if (q.filter_layout != 0 && tp_arm_dsp_fast_calls[2] != fast_before) ++g_fc_pairs_fast;
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" in ");
    put_int(K);
    puts_(" out ");
    put_int(p.output_depth);
    puts_("\n");
  }
}

// Row pairs at the layout's limit: an odd row of K = 512 weights of
// magnitude 127 (128 * sum |W| = 8,323,072, just under 2^23) against inputs
// all -128 or all 127, both signs, N = 2..5 (pairs, a last plain row).
void test_fc_pairs_edge() {
  g_op = 2;
  const int32_t K = 512;
  for (int32_t N = 2; N <= 5; ++N) {
    for (int32_t v = 0; v < 4; ++v) {
      k::FullyConnectedParams p{};
      p.batches = 1;
      p.input_depth = K;
      p.output_depth = N;
      if (!random_fc_weights(&p)) return;
      for (int32_t i = 0; i < K * N; ++i) {
        if (g_filter[i] == -128) g_filter[i] = -127;
      }
      const int8_t odd = (v & 1) != 0 ? 127 : -127;
      for (int32_t r = 1; r < N; r += 2) {
        for (int32_t j = 0; j < K; ++j) g_filter[r * K + j] = odd;
      }
      fill_s8(g_in, K, (v & 2) != 0 ? 127 : -128, (v & 2) != 0 ? 127 : -128);
      // a bias that keeps the odd rows' outputs off the clamp: the whole sum
      // and its low bits reach the requantization
      for (int32_t r = 0; r < N; ++r) g_bias[r] = -static_cast<int32_t>(odd) * ((v & 2) != 0 ? 127 : -128) * K + rnd_range(-300, 300);
      if (!tp::kernels::arm_dsp::fc_row_pairs_fit(K, N, g_filter)) {
        ++g_failures;
        puts_("FC ROW PAIRS: the limit case was refused\n");
        return;
      }
      tp::kernels::arm_dsp::fc_row_pairs_pack(g_filter, g_filter_pairs, K, N);
      k::FullyConnectedParams q = p;
      q.filter_data = g_filter_pairs;
      q.filter_layout = tp::kernels::arm_dsp::kFcRowPairs;
      compare("fc row pairs at the limit", N, g_out_ref + 32, g_out_dsp + 32, [&](int8_t* r, int8_t* d) {
        k::ref::fully_connected_s8(p, g_in, r);
        k::fully_connected_s8(q, g_in, d, g_scratch);
      });
    }
  }
  // K = 520 weights of 127 in the odd row: past the limit, refused
  const int32_t K2 = 520;
  for (int32_t j = 0; j < K2; ++j) {
    g_filter[j] = static_cast<int8_t>(rnd_range(-127, 127));
    g_filter[K2 + j] = 127;
  }
  if (tp::kernels::arm_dsp::fc_row_pairs_fit(K2, 2, g_filter)) {
    ++g_failures;
    puts_("FC ROW PAIRS: a sum past the limit was accepted\n");
  }
}

// ---- timing (run_qemu_diff.sh passes -icount shift=0: 1 instruction = 1 ns,
// one SysTick count at 25 MHz = 40 instructions; 0 on the host) -------------
#if defined(__arm__)
volatile uint32_t& reg32(uint32_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }
void tick_start() {
  reg32(0xE000E010) = 0;
  reg32(0xE000E014) = 0xFFFFFF;
  reg32(0xE000E018) = 0;
  reg32(0xE000E010) = 5;
}
uint32_t tick_now() { return reg32(0xE000E018); }
template <typename F>
long instructions(F f) {
  tick_start();
  const uint32_t t0 = tick_now();
  f();
  const uint32_t t1 = tick_now();
  return static_cast<long>((t0 - t1) & 0xFFFFFF) * 40;
}
#else
template <typename F>
long instructions(F f) {
  f();
  return 0;
}
#endif

void bench_line(const char* what, long ref, long dsp, long macs) {
  puts_(what);
  puts_(": ref ");
  put_int(ref);
  puts_(" dsp ");
  put_int(dsp);
  puts_(" MACs ");
  put_int(macs);
  puts_(" MACs/instr x100 ");
  put_int(dsp > 0 ? macs * 100 / dsp : 0);
  puts_("\n");
}

void bench_fc(int32_t in_depth, int32_t out_depth) {
  k::FullyConnectedParams p{};
  p.batches = 1;
  p.input_depth = in_depth;
  p.output_depth = out_depth;
  fill_s8(g_filter, in_depth * out_depth);
  for (int32_t c = 0; c < out_depth; ++c) g_bias[c] = rnd_range(-4000, 4000);
  p.filter_data = g_filter;
  p.folded_bias = g_bias;
  g_mult[0] = 1500000000;
  g_shift[0] = -8;
  p.requant = {g_mult, g_shift, -128, -128, 127, 0};
  fill_s8(g_in, in_depth);
  const long r = instructions([&] { k::ref::fully_connected_s8(p, g_in, g_out_ref); });
  const long d = instructions([&] { k::fully_connected_s8(p, g_in, g_out_dsp, g_scratch); });
  bench_line("fc", r, d, static_cast<long>(in_depth) * out_depth);
  for (int32_t i = 0; i < in_depth * out_depth; ++i) {
    if (g_filter[i] == -128) g_filter[i] = -127;
  }
  if (tp::kernels::arm_dsp::fc_row_pairs_fit(in_depth, out_depth, g_filter)) {
    tp::kernels::arm_dsp::fc_row_pairs_pack(g_filter, g_filter_pairs, in_depth, out_depth);
    k::FullyConnectedParams q = p;
    q.filter_data = g_filter_pairs;
    q.filter_layout = tp::kernels::arm_dsp::kFcRowPairs;
    const long dp = instructions([&] { k::fully_connected_s8(q, g_in, g_out_dsp, g_scratch); });
    bench_line("fc row pairs", r, dp, static_cast<long>(in_depth) * out_depth);
  }
  tp::kernels::arm_dsp::GemmMode mode;
  bool ok = false;
  const long m = instructions([&] {
    ok = tp::kernels::arm_dsp::gemm_mode_for(p.requant, p.folded_bias, out_depth, in_depth, &mode);
  });
  puts_("  mode check ");
  put_int(m);
  puts_(ok ? " ok\n" : " refused\n");
}

void bench_add(int32_t size) {
  k::AddParams p{};
  random_add_params(&p);
  p.output_offset = -128;
  p.act_min = -128;
  p.act_max = 127;
  p.size = size;
  fill_s8(g_in, size);
  fill_s8(g_in2, size);
  const long r = instructions([&] { k::ref::add_s8(p, g_in, g_in2, g_out_ref); });
  const long d = instructions([&] { k::add_s8(p, g_in, g_in2, g_out_dsp, g_scratch); });
  bench_line("add", r, d, size);
}

void bench_check(int32_t channels) {
  for (int32_t c = 0; c < channels; ++c) {
    g_mult[c] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
    g_shift[c] = -rnd_range(6, 9);
    g_bias[c] = rnd_range(-40000, 40000);
  }
  k::Requant rq{g_mult, g_shift, -128, -128, 127, 1};
  tp::kernels::arm_dsp::GemmMode mode;
  const long m = instructions([&] { tp::kernels::arm_dsp::gemm_mode_for(rq, g_bias, channels, 64, &mode); });
  puts_("per-channel check ");
  put_int(channels);
  puts_(": ");
  put_int(m);
  puts_("\n");
}

void bench_conv(const char* name, int32_t ih, int32_t iw, int32_t cin, int32_t cout, int32_t f,
                int32_t stride, int32_t pad, int32_t oh, int32_t ow) {
  k::ConvParams p{};
  p.input = {1, ih, iw, cin};
  p.filter = {cout, f, f, cin};
  p.output = {1, oh, ow, cout};
  p.input_offset = 128;
  p.stride_h = p.stride_w = static_cast<int16_t>(stride);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = static_cast<int16_t>(pad);
  fill_s8(g_filter, cout * f * f * cin);
  for (int32_t c = 0; c < cout; ++c) {
    g_bias[c] = rnd_range(-4000, 4000);
    g_mult[c] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
    g_shift[c] = -rnd_range(7, 9);
  }
  p.filter_data = g_filter;
  p.bias = g_bias;
  p.folded_bias = g_bias;
  p.requant = {g_mult, g_shift, -128, -128, 127, 1};
  fill_s8(g_in, ih * iw * cin);
  const long r = instructions([&] { k::ref::conv2d_s8(p, g_in, g_out_ref); });
  const long d = instructions([&] { k::conv2d_s8(p, g_in, g_out_dsp, g_scratch); });
  bench_line(name, r, d, static_cast<long>(oh) * ow * cout * f * f * cin);
}

void trace() {
  // One small layer for instruction tracing (qemu -d exec).
  bench_dw("dw trace", 6, 6, 32, 1, 1, 6, 6);
}

void bench_dw(const char* name, int32_t ih, int32_t iw, int32_t c, int32_t stride, int32_t pad, int32_t oh,
              int32_t ow) {
  k::DepthwiseConvParams p{};
  p.input = {1, ih, iw, c};
  p.filter = {1, 3, 3, c};
  p.output = {1, oh, ow, c};
  p.input_offset = 128;
  p.stride_h = p.stride_w = static_cast<int16_t>(stride);
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = static_cast<int16_t>(pad);
  p.depth_multiplier = 1;
  fill_s8(g_filter, 9 * c);
  for (int32_t q = 0; q < c; ++q) {
    g_bias[q] = rnd_range(-4000, 4000);
    g_mult[q] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
    g_shift[q] = -rnd_range(7, 9);
  }
  p.filter_data = g_filter;
  p.bias = g_bias;
  p.folded_bias = g_bias;
  p.requant = {g_mult, g_shift, -128, -128, 127, 1};
  fill_s8(g_in, ih * iw * c);
  const long r = instructions([&] { k::ref::depthwise_conv2d_s8(p, g_in, g_out_ref); });
  const long d = instructions([&] { k::depthwise_conv2d_s8(p, g_in, g_out_dsp, g_scratch); });
  bench_line(name, r, d, static_cast<long>(oh) * ow * c * 9);
}

// sww01's four Kx1 columns (its shapes and model-like requantization).
void bench_dw_column(const char* name, int32_t ih, int32_t c, int32_t fh) {
  k::DepthwiseConvParams p{};
  p.input = {1, ih, 1, c};
  p.filter = {1, fh, 1, c};
  p.output = {1, ih - fh + 1, 1, c};
  p.input_offset = 128;
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.depth_multiplier = 1;
  fill_s8(g_filter, fh * c);
  for (int32_t q = 0; q < c; ++q) {
    g_bias[q] = rnd_range(-4000, 4000);
    g_mult[q] = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
    g_shift[q] = -rnd_range(8, 10);
  }
  p.filter_data = g_filter;
  p.bias = g_bias;
  p.requant = {g_mult, g_shift, -3, -128, 127, 1};
  p.folded_bias = fold_dw_bias(p);
  fill_s8(g_in, ih * c);
  const uint32_t sb = k::arm_dsp::scratch_need_depthwise(p).bytes;
  const k::Scratch scratch = {sb > 0 ? g_col_scratch : nullptr, sb};
  const long r = instructions([&] { k::ref::depthwise_conv2d_s8(p, g_in, g_out_ref); });
  const long d = instructions([&] { k::depthwise_conv2d_s8(p, g_in, g_out_dsp, scratch); });
  bench_line(name, r, d, static_cast<long>(p.output.h) * c * fh);
  tp::kernels::arm_dsp::GemmMode mode;
  const long m = instructions([&] { tp::kernels::arm_dsp::gemm_mode_for(p.requant, p.bias, c, fh, &mode); });
  puts_("  mode check ");
  put_int(m);
  puts_("\n");
}

void bench() {
  bench_dw_column("dw column sww0 (3x1, 30x40)", 30, 40, 3);
  bench_dw_column("dw column sww2 (5x1, 28x128)", 28, 128, 5);
  bench_dw_column("dw column sww4 (10x1, 24x128)", 24, 128, 10);
  bench_dw_column("dw column sww6 (15x1, 15x128)", 15, 128, 15);
  bench_dw("dw kws", 25, 5, 64, 1, 1, 25, 5);
  bench_dw("dw vww1", 48, 48, 8, 1, 1, 48, 48);
  bench_dw("dw vww3", 48, 48, 16, 2, 0, 24, 24);
  bench_dw("dw vww13", 6, 6, 128, 1, 1, 6, 6);
  bench_dw("dw vww25", 3, 3, 256, 1, 1, 3, 3);
  bench_conv("conv vww0", 96, 96, 3, 8, 3, 2, 0, 48, 48);
  bench_conv("conv vww0 c1", 96, 96, 3, 1, 3, 2, 0, 48, 48);
  bench_conv("conv vww0 c2", 96, 96, 3, 2, 3, 2, 0, 48, 48);
  bench_conv("conv ic0", 32, 32, 3, 16, 3, 1, 1, 32, 32);
  bench_conv("conv ic1", 32, 32, 16, 16, 3, 1, 1, 32, 32);
  bench_conv("conv vww2", 48, 48, 8, 16, 1, 1, 0, 48, 48);
  bench_check(64);
  bench_check(256);
  bench_add(16384);
  bench_add(4096);
  bench_fc(128, 128);
  bench_fc(640, 128);
  bench_fc(128, 640);
  bench_fc(8, 128);
}

// ---- ADD ----------------------------------------------------------------------
void random_add_params(k::AddParams* p) {
  // As TFLite's Prepare: left shift 20, input multipliers < 1 relative to
  // twice the larger input scale, output multiplier for that over the output.
  p->left_shift = coin(90) ? 20 : rnd_range(0, 22);
  p->input1_offset = rnd_range(-127, 128);
  p->input2_offset = rnd_range(-127, 128);
  p->input1_multiplier = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
  p->input2_multiplier = coin(30) ? (1 << 30) : static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
  p->input1_shift = -rnd_range(0, 4);
  p->input2_shift = -rnd_range(0, 4);
  p->output_multiplier = static_cast<int32_t>((1u << 30) + (rnd() & 0x3FFFFFFFu));
  p->output_shift = -rnd_range(12, 22);
  const int act = rnd_range(0, 9);
  if (act < 5) {
    p->output_offset = -128;
    p->act_min = -128;
    p->act_max = 127;
  } else if (act < 9) {
    p->output_offset = rnd_range(-128, 127);
    p->act_min = -128;
    p->act_max = 127;
  } else {
    p->output_offset = rnd_range(-128, 50);
    p->act_min = p->output_offset;
    p->act_max = rnd_range(p->act_min, 127);
  }
}

void test_add(int iter) {
  g_op = 4;
  k::AddParams p{};
  random_add_params(&p);
  p.size = rnd_range(1, 5000);
  int8_t* in1 = g_in + rnd_range(0, 3);
  int8_t* in2 = g_in2 + rnd_range(0, 3);
  fill_s8(in1, p.size);
  fill_s8(in2, p.size);
  const int alias = rnd_range(0, 3);  // 1: out = in1, 2: out = in2
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  compare("add", p.size, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::add_s8(p, in1, in2, r);
    if (alias == 1 || alias == 2) {
      int8_t* a = alias == 1 ? in1 : in2;
      static int8_t save[5000];
      std::memcpy(save, a, p.size);
      k::add_s8(p, in1, in2, a, g_scratch);
      std::memcpy(d, a, p.size);
      std::memcpy(a, save, p.size);
    } else {
      k::add_s8(p, in1, in2, d, g_scratch);
    }
  });
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" size ");
    put_int(p.size);
    puts_(" alias ");
    put_int(alias);
    puts_("\n");
  }
}

// ---- AVERAGE_POOL_2D --------------------------------------------------------
void test_pool(int iter) {
  g_op = 3;
  k::AvgPoolParams p{};
  const int32_t c = coin(85) ? 4 * rnd_range(1, 64) : rnd_range(1, 20);
  const int32_t ih = rnd_range(1, 30), iw = rnd_range(1, 30);
  p.filter_h = static_cast<int16_t>(rnd_range(1, ih));
  p.filter_w = static_cast<int16_t>(rnd_range(1, iw));
  p.stride_h = static_cast<int16_t>(rnd_range(1, 4));
  p.stride_w = static_cast<int16_t>(rnd_range(1, 4));
  const bool same = coin(30);
  p.pad_h = static_cast<int16_t>(same ? rnd_range(0, (p.filter_h - 1) / 2) : 0);
  p.pad_w = static_cast<int16_t>(same ? rnd_range(0, (p.filter_w - 1) / 2) : 0);
  p.input = {coin(10) ? 2 : 1, ih, iw, c};
  const int32_t oh = (ih + 2 * p.pad_h - p.filter_h) / p.stride_h + 1;
  const int32_t ow = (iw + 2 * p.pad_w - p.filter_w) / p.stride_w + 1;
  p.output = {p.input.n, oh, ow, c};
  if (coin(80)) {
    p.act_min = -128;
    p.act_max = 127;
  } else {
    p.act_min = rnd_range(-128, 0);
    p.act_max = rnd_range(0, 127);
  }
  const int32_t in_bytes = p.input.n * ih * iw * c;
  const int32_t out_bytes = p.output.n * oh * ow * c;
  if (in_bytes + 8 > kBuf || out_bytes + 2 * kGuard + 8 > kBuf) return;
  const int8_t* in = g_in + rnd_range(0, 3);
  fill_s8(const_cast<int8_t*>(in), in_bytes);
  int8_t* out_ref = g_out_ref + 32 + rnd_range(0, 3);
  int8_t* out_dsp = g_out_dsp + 32 + rnd_range(0, 3);
  const int before = g_failures;
  compare("pool", out_bytes, out_ref, out_dsp, [&](int8_t* r, int8_t* d) {
    k::ref::avg_pool2d_s8(p, in, r);
    k::avg_pool2d_s8(p, in, d, g_scratch);
  });
  if (g_failures != before) {
    puts_("  iter ");
    put_int(iter);
    puts_(" ");
    print_shape("in", p.input);
    print_shape("out", p.output);
    puts_("\n");
  }
}

#if defined(__arm__)
int parse_int(const char*& s) {
  while (*s == ' ') ++s;
  int v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return v;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  int iters = 200;
  uint32_t seed = 1;
  bool do_bench = false, do_trace = false;
#if defined(__arm__)
  (void)argc;
  (void)argv;
  // Command line (from -append): "<iterations> <seed>" after the image name.
  static char cmdline[256];
  struct {
    char* buf;
    int len;
  } arg = {cmdline, sizeof cmdline - 1};
  if (semihost(0x15, &arg) == 0) {
    const char* s = cmdline;
    while (*s && *s != ' ') ++s;  // image name
    while (*s == ' ') ++s;
    do_trace = s[0] == 't' && s[1] == 'r';
    do_bench = s[0] == 'b' && s[1] == 'e';
    if (*s && !do_trace && !do_bench) iters = parse_int(s);
    if (*s) seed = static_cast<uint32_t>(parse_int(s));
  }
#else
  if (argc > 1) iters = std::atoi(argv[1]);
  if (argc > 2) seed = static_cast<uint32_t>(std::atoi(argv[2]));
#endif
  set_default_scratch();
  if (do_trace) {
    trace();
    exit_(0);
  }
  if (do_bench) {
    bench();
    exit_(0);
  }
  g_rng = seed * 2654435761u + 12345u;
  if (g_rng == 0) g_rng = 1;
  set_default_scratch();
  puts_("arm_dsp diff test: backend arm_dsp\n");
  for (int i = 0; i < iters; ++i) test_conv(i);
  test_wide_conv();
  for (int i = 0; i < iters; ++i) test_conv_int16(i);
  for (int i = 0; i < iters; ++i) test_conv_smallk(i);
  for (int i = 0; i < iters; ++i) test_dw(i);
  for (int i = 0; i < iters / 3; ++i) test_dw(i, true);
  for (int i = 0; i < iters / 2; ++i) test_dw(i, false, true);
  for (int i = 0; i < iters; ++i) test_dw_column(i);
  for (int i = 0; i < iters; ++i) test_fc(i);
  for (int i = 0; i < iters; ++i) test_fc_over_input(i);
  test_fc_pairs_edge();
  for (int i = 0; i < iters; ++i) test_add(i);
  for (int i = 0; i < iters; ++i) test_pool(i);
  // Share of the random cases each optimized variant served (the rest ran
  // the reference: the stated fallbacks of README.md here).
  static const char* const kOps[6] = {"conv", "dw", "fc", "pool", "add", "dw-column"};
  for (int op = 0; op < 6; ++op) {
    puts_("optimized ");
    puts_(kOps[op]);
    puts_(": ");
    put_int(g_op_fast[op]);
    puts_("/");
    put_int(g_op_cases[op]);
    puts_(" (");
    put_int(g_op_cases[op] > 0 ? (100L * g_op_fast[op] + g_op_cases[op] / 2) / g_op_cases[op] : 0);
    puts_("%)\n");
  }
  puts_("fc shapes (depth >= 8, a multiple of 4) ");
  put_int(g_fc_shape_fast);
  puts_("/");
  put_int(g_fc_shapes);
  puts_("; every fc case on the stated side of its fast-path conditions\n");
  puts_("conv int16 weights: ");
  put_int(g_c16_cases);
  puts_(" cases (");
  put_int(g_c16_fast);
  puts_(" through the int16 GEMM, the rest the plain fallback)\n");
  puts_("conv smallk layout (1-4 input channels): ");
  put_int(g_sk_cases);
  puts_(" cases (");
  put_int(g_sk_fast);
  puts_(" through the smallk kernel, the rest the plain fallback), ");
  put_int(g_sk_refused);
  puts_(" layers refused by conv_smallk_fit (requantization or blob size)\n");
  puts_("dw 3x3 stride 2: ");
  put_int(g_dw_s2_cases);
  puts_(" cases (");
  put_int(g_dw_s2_vpair);
  puts_(" through the vertical-pair kernel: output width >= 12 and a strip in the scratch)\n");
  puts_("dw 3x3 small maps (stride 1, up to 8x8, mostly SAME): ");
  put_int(g_dw_small_cases);
  puts_(" cases (");
  put_int(g_dw_small_fast);
  puts_(" through the small-map kernel: width 2-6, SAME padding, channels a multiple of 4), and ");
  put_int(g_dw_small_other);
  puts_(" of the other random depthwise cases\n");
  puts_("dw Kx1 columns: ");
  put_int(g_col_cases);
  puts_(" cases (");
  put_int(g_col_planar);
  puts_(" through the planar column kernel, ");
  put_int(g_col_direct);
  puts_(" the direct loop (fewer than 4 output rows or no room for a block), the rest the reference: ");
  puts_("channels not a multiple of 4 or a requantization gemm_mode_for refuses; ");
  put_int(g_col_inplace);
  puts_(" in place)\n");
  puts_("fc row pairs: ");
  put_int(g_fc_pairs);
  puts_(" cases (");
  put_int(g_fc_pairs_fast);
  puts_(" through the row-pair kernels, the rest the plain fallback), ");
  put_int(g_fc_pairs_refused);
  puts_(" filters refused by fc_row_pairs_fit\n");
  puts_("cases ");
  put_int(g_cases);
  puts_(", failures ");
  put_int(g_failures);
  puts_("\n");
  exit_(g_failures == 0 ? 0 : 1);
}
