// FULLY_CONNECTED on Cortex-M4: the input row is expanded once to doubled
// int16 in the scratch, then fc_m4.S computes blocks of 3 output rows.
#include "conv.h"
#include "gemm.h"
#include "scratch.h"

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
  int32_t m;
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
#undef TP_FC_DECL
}
using FcFn = void (*)(FcArgs*);
const FcFn kFc[3][4] = {
    {tp_arm_dsp_fc1_00, tp_arm_dsp_fc1_01, tp_arm_dsp_fc1_10, tp_arm_dsp_fc1_11},
    {tp_arm_dsp_fc2_00, tp_arm_dsp_fc2_01, tp_arm_dsp_fc2_10, tp_arm_dsp_fc2_11},
    {tp_arm_dsp_fc3_00, tp_arm_dsp_fc3_01, tp_arm_dsp_fc3_10, tp_arm_dsp_fc3_11}};

const FcFn kFc4[3][4] = {
    {tp_arm_dsp_fc4k8_00, tp_arm_dsp_fc4k8_01, tp_arm_dsp_fc4k8_10, tp_arm_dsp_fc4k8_11},
    {tp_arm_dsp_fc4k64_00, tp_arm_dsp_fc4k64_01, tp_arm_dsp_fc4k64_10, tp_arm_dsp_fc4k64_11},
    {tp_arm_dsp_fc4k128_00, tp_arm_dsp_fc4k128_01, tp_arm_dsp_fc4k128_10, tp_arm_dsp_fc4k128_11}};

// R = 4 needs a row length with a specialized kernel (8, 64 or 128).
void fc_run(int R, const GemmMode& mode, FcArgs& a) {
  const int v = (mode.corr ? 2 : 0) | (mode.fold ? 1 : 0);
  if (R == 4) {
    kFc4[a.k == 8 ? 0 : (a.k == 64 ? 1 : 2)][v](&a);
  } else {
    kFc[R - 1][v](&a);
  }
}
#else
// Portable twin of fc_m4.S.
void fc_run(int R, const GemmMode& mode, FcArgs& a) {
  const uint32_t* x0 = reinterpret_cast<const uint32_t*>(a.xbuf);
  for (int32_t b = 0; b < a.blocks; ++b) {
    for (int r = 0; r < R; ++r) {
      const int8_t* w = a.w + (b * R + r) * a.k;
      int32_t acc = static_cast<int32_t>(static_cast<uint32_t>(a.bias[b * R + r]) << 1);
      const uint32_t* x = x0;
      for (int32_t s = 0; s < a.steps; ++s, w += 8, x += 4) {
        const uint32_t w0 = load32(w), w1 = load32(w + 4);
        acc = smlad(x[0], sxtb16(w0), acc);
        acc = smlad(x[1], sxtb16_ror8(w0), acc);
        acc = smlad(x[2], sxtb16(w1), acc);
        acc = smlad(x[3], sxtb16_ror8(w1), acc);
      }
      int32_t t = smmlar(acc, a.m, a.kc);
      if (mode.corr && acc < 0) t -= 1;
      t >>= a.e;
      if (!mode.fold) t += a.zp;
      a.out[b * R + r] = static_cast<int8_t>(ssat8(t));
    }
  }
}
#endif

}  // namespace

bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output) {
  const int32_t K = p.input_depth;
  const int32_t N = p.output_depth;
  if (K % 8 != 0 || (reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0) return false;
  if (p.requant.per_channel) return false;
  if (2 * static_cast<std::size_t>(K) > kScratchBytes) return false;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.folded_bias, N, K, &mode) || !mode.dbl) return false;

  FcArgs a{};
  a.xbuf = g_scratch;
  a.k = K;
  a.steps = K / 8;
  a.m = p.requant.multiplier[0];
  a.e = -p.requant.shift[0];
  const int32_t zp = p.requant.output_offset;
  const int32_t zpc = mode.fold ? 2 * zp + 1 : 1;
  const int32_t kk = static_cast<int32_t>(static_cast<uint32_t>(zpc) << a.e);
  a.kc = mode.fold ? (kk >> 1) : static_cast<int32_t>(static_cast<uint32_t>(kk) >> 1);
  a.zp = zp;
  uint32_t* x = reinterpret_cast<uint32_t*>(g_scratch);
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* in = input + b * K;
    for (int32_t i = 0; i < K; i += 4) {
      const uint32_t v = load32(in + i);
      const uint32_t lo = sxtb16(v), hi = sxtb16_ror8(v);
      x[i / 2] = sadd16(lo, lo);
      x[i / 2 + 1] = sadd16(hi, hi);
    }
    const int32_t R = (K == 8 || K == 64 || K == 128) ? 4 : 3;
    const int32_t full = N / R;
    a.w = p.filter_data;
    a.bias = p.folded_bias;
    a.out = output + b * N;
    if (full > 0) {
      a.blocks = full;
      fc_run(R, mode, a);
    }
    for (int32_t done = R * full; done < N;) {
      const int32_t rest = N - done < 3 ? N - done : 3;
      a.w = p.filter_data + done * K;
      a.bias = p.folded_bias + done;
      a.out = output + b * N + done;
      a.blocks = 1;
      fc_run(rest, mode, a);
      done += rest;
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
