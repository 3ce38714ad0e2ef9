// FULLY_CONNECTED on Cortex-M4: the input row is expanded once to int16 in
// the scratch, then fc_m4.S computes blocks of 3 to 5 output rows. The
// requantization (see fc_m4.S) is exact for any accumulator, so no layer
// check has to look at the bias.
#include <cstddef>

#include "conv.h"
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
TP_FC_DECL(4k8)
TP_FC_DECL(4k64)
TP_FC_DECL(4k128)
TP_FC_DECL(5h128)
TP_FC_DECL(4h640)
#undef TP_FC_DECL
}
using FcFn = void (*)(FcArgs*);
const FcFn kFc[3][4] = {
    {tp_arm_dsp_fc1_00, tp_arm_dsp_fc1_01, tp_arm_dsp_fc1_10, tp_arm_dsp_fc1_11},
    {tp_arm_dsp_fc2_00, tp_arm_dsp_fc2_01, tp_arm_dsp_fc2_10, tp_arm_dsp_fc2_11},
    {tp_arm_dsp_fc3_00, tp_arm_dsp_fc3_01, tp_arm_dsp_fc3_10, tp_arm_dsp_fc3_11}};

#define TP_FC_ROW(R) {tp_arm_dsp_fc##R##_00, tp_arm_dsp_fc##R##_01, tp_arm_dsp_fc##R##_10, tp_arm_dsp_fc##R##_11}
const FcFn kFcK8[4] = TP_FC_ROW(4k8);
const FcFn kFcK64[4] = TP_FC_ROW(4k64);
const FcFn kFcK128[4] = TP_FC_ROW(4k128);
const FcFn kFcH128[4] = TP_FC_ROW(5h128);
const FcFn kFcH640[4] = TP_FC_ROW(4h640);
#undef TP_FC_ROW

// Rows per block of the kernel specialized for row length k (0: none).
int fc_special_rows(int32_t k) {
  return k == 128 ? 5 : ((k == 640 || k == 8 || k == 64) ? 4 : 0);
}

// R rows per block: R <= 3 general kernels; R = 4 / 5 the specialized ones
// (R = 4 for k = 128 is the 4-row kernel, used for tails).
void fc_run(int R, const GemmMode& mode, FcArgs& a) {
  const int v = (mode.corr ? 2 : 0) | (mode.fold ? 1 : 0);
  if (R <= 3) {
    kFc[R - 1][v](&a);
  } else if (R == 5) {
    kFcH128[v](&a);
  } else if (a.k == 640) {
    kFcH640[v](&a);
  } else {
    (a.k == 8 ? kFcK8 : (a.k == 64 ? kFcK64 : kFcK128))[v](&a);
  }
}
#else
int fc_special_rows(int32_t k) {
  return k == 128 ? 5 : ((k == 640 || k == 8 || k == 64) ? 4 : 0);
}

// Portable twin of fc_m4.S.
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
      const int32_t s = smmlar(acc, a.m, acc);
      int32_t t = qadd(s, mode.corr ? a.kc + (acc >> 31) : a.kc);
      t >>= a.e;
      if (!mode.fold) t += a.zp;
      a.out[b * R + r] = static_cast<int8_t>(ssat8(t));
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
// Stated fallbacks (tp::kernels::ref): K < 8 or K % 4 != 0, per-channel
// requantization, a clamped activation range, multiplier < 2^30, shift
// outside [-23, 0] (or 0 with an output zero point above -128), a scratch
// smaller than scratch_need.h asks for.
// Depth a multiple of 8 (every depth of the MLPerf Tiny models) takes the
// specialized row kernels where there is one (fc_special_rows).
bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output, Scratch scratch) {
  const int32_t K = p.input_depth;
  const int32_t N = p.output_depth;
  const int32_t K8 = K & ~7;
  const int32_t tail = K - K8;
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
    const int32_t special = tail == 0 ? fc_special_rows(K) : 0;
    const int32_t R = special > 0 ? special : 3;
    const int32_t full = N / R;
    a.w = p.filter_data;
    a.bias = bias;
    a.out = output + b * N;
    if (full > 0) {
      a.blocks = full;
      fc_run(R, mode, a);
    }
    for (int32_t done = R * full; done < N;) {
      int32_t rest = N - done;
      if (rest > 3) rest = (K == 128 && rest == 4) ? 4 : 3;
      a.w = p.filter_data + done * K;
      a.bias = bias + done;
      a.out = output + b * N + done;
      a.blocks = 1;
      fc_run(rest, mode, a);
      done += rest;
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
