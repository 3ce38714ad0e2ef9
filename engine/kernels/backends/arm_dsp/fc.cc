// FULLY_CONNECTED on Cortex-M4: the input row is expanded once to int16 in
// the scratch, then fc_m4.S computes blocks of output rows: 2 pairs of rows
// a block when the compiler wrote the weights in row pairs (fc_layout.h),
// else 1 to 3 plain rows. The requantization (see fc_m4.S) is exact for any
// accumulator, so no layer check has to look at the bias.
#include <cstddef>

#include "../../reference/requant.h"
#include "conv.h"
#include "fc_layout.h"
#include "gemm.h"
#include "scratch.h"

// Small copy/fill loops must stay inline: GCC would turn them into
// memcpy/memset calls, which cost more than the loops for these sizes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O2", "no-tree-loop-distribute-patterns")
#endif

namespace tp::kernels::arm_dsp {

namespace {

// Field order is fc_m4.S's frame layout.
struct FcArgs {
  const int16_t* xbuf;
  const int8_t* w;
  int32_t k;  // bytes per weight row
  const int32_t* bias;
  int8_t* out;
  int32_t blocks;
  int32_t m;  // 2 * multiplier - 2^32
  int32_t kc;
  int32_t e;
  int32_t zp;
  int32_t steps;
};

#if TP_ARM_DSP_NATIVE
extern "C" {
#define TP_FC_DECL(R)                  \
  void tp_arm_dsp_fc##R##_00(FcArgs*); \
  void tp_arm_dsp_fc##R##_01(FcArgs*); \
  void tp_arm_dsp_fc##R##_10(FcArgs*); \
  void tp_arm_dsp_fc##R##_11(FcArgs*);
TP_FC_DECL(1)
TP_FC_DECL(2)
TP_FC_DECL(3)
TP_FC_DECL(p1)
TP_FC_DECL(p2)
#undef TP_FC_DECL
}
using FcFn = void (*)(FcArgs*);
#define TP_FC_ROW(R) {tp_arm_dsp_fc##R##_00, tp_arm_dsp_fc##R##_01, tp_arm_dsp_fc##R##_10, tp_arm_dsp_fc##R##_11}
const FcFn kFc[3][4] = {TP_FC_ROW(1), TP_FC_ROW(2), TP_FC_ROW(3)};
const FcFn kFcPairs[2][4] = {TP_FC_ROW(p1), TP_FC_ROW(p2)};
#undef TP_FC_ROW

// R plain rows per block (1..3).
void fc_run(int R, const GemmMode& mode, FcArgs& a) {
  kFc[R - 1][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
// P (1, 2) row pairs per block.
void fc_pairs_run(int P, const GemmMode& mode, FcArgs& a) {
  kFcPairs[P - 1][(mode.corr ? 2 : 0) | (mode.fold ? 1 : 0)](&a);
}
#else
int8_t fc_requant(int32_t acc, const GemmMode& mode, const FcArgs& a) {
  const int32_t s = smmlar(acc, a.m, acc);
  int32_t t = qadd(s, mode.corr ? a.kc + (acc >> 31) : a.kc);
  t >>= a.e;
  if (!mode.fold) t += a.zp;
  return static_cast<int8_t>(ssat8(t));
}

// Portable twins of fc_m4.S.
void fc_run(int R, const GemmMode& mode, FcArgs& a) {
  const uint32_t* x0 = reinterpret_cast<const uint32_t*>(a.xbuf);
  for (int32_t b = 0; b < a.blocks; ++b) {
    for (int r = 0; r < R; ++r) {
      const int8_t* w = a.w + (b * R + r) * a.k;
      int32_t acc = a.bias[b * R + r];
      const uint32_t* x = x0;
      for (int32_t s = 0; s < a.steps; ++s, w += 8, x += 4) {
        const uint32_t w0 = load32(w), w1 = load32(w + 4);
        acc = smlad(x[0], sxtb16(w0), acc);
        acc = smlad(x[1], sxtb16_ror8(w0), acc);
        acc = smlad(x[2], sxtb16(w1), acc);
        acc = smlad(x[3], sxtb16_ror8(w1), acc);
      }
      a.out[b * R + r] = fc_requant(acc, mode, a);
    }
  }
}

void fc_pairs_run(int P, const GemmMode& mode, FcArgs& a) {
  const uint32_t* x0 = reinterpret_cast<const uint32_t*>(a.xbuf);
  for (int32_t b = 0; b < a.blocks; ++b) {
    for (int q = 0; q < P; ++q) {
      const int32_t row = 2 * (b * P + q);
      const int8_t* w = a.w + row * a.k;
      int32_t m = a.bias[row], r = a.bias[row];
      const uint32_t* x = x0;
      for (int32_t s = 0; s < a.steps; ++s, w += 16, x += 4) {
        for (int i = 0; i < 4; ++i) {
          const uint32_t h = load32(w + 4 * i);
          m = smlad(x[i], sxtb16(h), m);
          r = smlad(x[i], h, r);
        }
      }
      const int32_t odd = wrap_add(a.bias[row + 1], static_cast<int32_t>(static_cast<uint32_t>(r) - static_cast<uint32_t>(m)) >> 8);
      a.out[row] = fc_requant(m, mode, a);
      a.out[row + 1] = fc_requant(odd, mode, a);
    }
  }
}
#endif

#if TP_ARM_DSP_NATIVE
extern "C" void tp_arm_dsp_expand_x(uint32_t* dst, const int8_t* src, int32_t n8);
void expand_x(uint32_t* x, const int8_t* in, int32_t n8) { tp_arm_dsp_expand_x(x, in, n8); }
#else
void expand_x(uint32_t* x, const int8_t* in, int32_t n8) {
  for (int32_t i = 0; i < 8 * n8; i += 4) {
    const uint32_t v = load32(in + i);
    x[i / 2] = sxtb16(v);
    x[i / 2 + 1] = sxtb16_ror8(v);
  }
}
#endif

}  // namespace

// Any input depth K >= 8 with K % 4 == 0 (weight rows word-aligned for the
// kernels' LDRD): the kernels run over the first K8 = K & ~7 columns with
// rows K bytes apart; the last K - K8 (4) columns, when there are any, are
// added to a copy of the folded biases in the scratch (after the expanded
// input) before they run. Sums wrap in int32 like the reference's.
// Weights in row pairs (filter_layout kFcRowPairs, K % 8 == 0: what the
// compiler writes where fc_row_pairs_fit allows) run 2 pairs a block.
// Stated fallbacks (tp::kernels::ref, or fully_connected_row_pairs_plain
// for row pairs): K < 8 or K % 4 != 0, per-channel requantization, a
// clamped activation range, multiplier < 2^30, shift outside [-23, 0] (or 0
// with an output zero point above -128), a scratch smaller than
// scratch_need.h asks for.
bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output, Scratch scratch) {
  const int32_t K = p.input_depth;
  const int32_t N = p.output_depth;
  const int32_t K8 = K & ~7;
  const int32_t tail = K - K8;
  const bool pairs = p.filter_layout == kFcRowPairs;
  if (pairs && tail != 0) return false;
  if (K8 == 0 || (K & 3) != 0 || (reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0) return false;
  if (p.requant.per_channel) return false;
  const std::size_t x_bytes = 2 * static_cast<std::size_t>(K8);
  const std::size_t need = x_bytes + (tail != 0 ? 4 * static_cast<std::size_t>(N) : 0);
  if (need > scratch_bytes(scratch)) return false;
  const Requant& rq = p.requant;
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t m = rq.multiplier[0];
  const int32_t e = -rq.shift[0];
  const int32_t zp = rq.output_offset;
  if (m < (int32_t{1} << 30) || e < 0 || e > 23 || zp < -128 || zp > 127) return false;
  GemmMode mode{};
  mode.corr = zp > -128;
  if (mode.corr && e == 0) return false;
  const uint32_t zp2 = static_cast<uint32_t>(2 * (zp < 0 ? -zp : zp) + 1);
  mode.fold = (zp2 >> (31 - e)) == 0;  // (2 zp + 1) << e fits

  FcArgs a{};
  a.xbuf = scratch16(scratch);
  a.k = K;
  a.steps = K8 / 8;
  a.m = static_cast<int32_t>(static_cast<uint32_t>(m) << 1);
  a.e = e;
  const int32_t zpc = mode.fold ? 2 * zp + 1 : 1;
  const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << e);
  a.kc = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
  a.zp = zp;
  uint32_t* x = reinterpret_cast<uint32_t*>(scratch16(scratch));
  int32_t* const badj = reinterpret_cast<int32_t*>(scratch16(scratch) + K8);
  // The scratch may overlap the input only by ending where it ends, with
  // one batch and K % 8 == 0 (scratch_need.h): expanding front to back, 8
  // input bytes at in + 8j become 16 bytes at in - K + 16j, which end at or
  // before the first input byte not yet read.
  const int8_t* const xb = reinterpret_cast<const int8_t*>(x);
  const bool overlap = xb < input + static_cast<std::ptrdiff_t>(p.batches) * K && input < xb + need;
  if (overlap && (p.batches != 1 || tail != 0 || xb + K != input)) return false;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* in = input + b * K;
    const int32_t* bias = p.folded_bias;
    if (tail != 0) {
      const int8_t* w = p.filter_data + K8;
      for (int32_t r = 0; r < N; ++r, w += K) {
        uint32_t acc = static_cast<uint32_t>(bias[r]);
        for (int32_t j = 0; j < tail; ++j) acc += static_cast<uint32_t>(in[K8 + j] * w[j]);
        badj[r] = static_cast<int32_t>(acc);
      }
      bias = badj;
    }
    expand_x(x, in, K8 / 8);
    int8_t* const out = output + b * N;
    int32_t done = 0;
    if (pairs) {
      // 2 pairs a block, then 1 pair, then a last plain row when N is odd.
      a.w = p.filter_data;
      a.bias = bias;
      a.out = out;
      if (N >= 4) {
        a.blocks = N / 4;
        fc_pairs_run(2, mode, a);
        done = 4 * (N / 4);
      }
      if (N - done >= 2) {
        a.w = p.filter_data + done * K;
        a.bias = bias + done;
        a.out = out + done;
        a.blocks = 1;
        fc_pairs_run(1, mode, a);
        done += 2;
      }
    } else if (N >= 3) {
      a.w = p.filter_data;
      a.bias = bias;
      a.out = out;
      a.blocks = N / 3;
      fc_run(3, mode, a);
      done = 3 * (N / 3);
    }
    if (done < N) {  // 1 or 2 plain rows
      a.w = p.filter_data + done * K;
      a.bias = bias + done;
      a.out = out + done;
      a.blocks = 1;
      fc_run(N - done, mode, a);
    }
  }
  return true;
}

// Row-pair weights the fast path above does not take: the reference's
// arithmetic, each weight read back from the layout (fc_layout.h).
void fully_connected_row_pairs_plain(const FullyConnectedParams& p, const int8_t* input, int8_t* output) {
  const int32_t K = p.input_depth, N = p.output_depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* in = input + b * K;
    for (int32_t o = 0; o < N; ++o) {
      uint32_t acc = static_cast<uint32_t>(p.folded_bias[o]);
      for (int32_t i = 0; i < K; ++i) {
        acc += static_cast<uint32_t>(static_cast<int32_t>(fc_row_pairs_weight(p.filter_data, K, N, o, i)) *
                                     static_cast<int32_t>(in[i]));
      }
      output[b * N + o] = ref::detail::requantize(static_cast<int32_t>(acc), p.requant, o);
    }
  }
}

}  // namespace tp::kernels::arm_dsp
