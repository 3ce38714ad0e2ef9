#include "gemm.h"

namespace tp::kernels::arm_dsp {

#if TP_ARM_DSP_NATIVE
extern "C" {
#define TP_GEMM_DECL(P)                      \
  void tp_arm_dsp_gemm##P##_000(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_001(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_010(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_011(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_100(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_101(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_110(GemmArgs*); \
  void tp_arm_dsp_gemm##P##_111(GemmArgs*);
TP_GEMM_DECL(1)
TP_GEMM_DECL(2)
TP_GEMM_DECL(3)
TP_GEMM_DECL(4)
#undef TP_GEMM_DECL
}

namespace {
using GemmFn = void (*)(GemmArgs*);
#define TP_GEMM_ROW(P)                                                                   \
  {tp_arm_dsp_gemm##P##_000, tp_arm_dsp_gemm##P##_001, tp_arm_dsp_gemm##P##_010,         \
   tp_arm_dsp_gemm##P##_011, tp_arm_dsp_gemm##P##_100, tp_arm_dsp_gemm##P##_101,         \
   tp_arm_dsp_gemm##P##_110, tp_arm_dsp_gemm##P##_111}
const GemmFn kGemm[4][8] = {TP_GEMM_ROW(1), TP_GEMM_ROW(2), TP_GEMM_ROW(3), TP_GEMM_ROW(4)};
#undef TP_GEMM_ROW
}  // namespace

void gemm_run(int P, const GemmMode& mode, GemmArgs& args) {
  const int v = (mode.dbl ? 4 : 0) | (mode.corr ? 2 : 0) | (mode.fold ? 1 : 0);
  kGemm[P - 1][v](&args);
}

#else  // portable twin of gemm_m4.S, same arithmetic step by step

void gemm_run(int P, const GemmMode& mode, GemmArgs& a) {
  const int32_t channels = static_cast<int32_t>(a.mult_end - a.mult);
  const int8_t* w = a.w;
  for (int32_t c = 0; c < channels; ++c) {
    int32_t acc[4];
    for (int p = 0; p < P; ++p) {
      acc[p] = mode.dbl ? static_cast<int32_t>(static_cast<uint32_t>(a.bias[c]) << 1) : a.bias[c];
    }
    const uint32_t* x = reinterpret_cast<const uint32_t*>(a.xbuf);
    for (int32_t s = 0; s < a.steps; ++s) {
      const uint32_t w0 = load32(w);
      const uint32_t w1 = load32(w + 4);
      w += 8;
      const uint32_t wa = sxtb16(w0), wb = sxtb16_ror8(w0);
      const uint32_t wc = sxtb16(w1), wd = sxtb16_ror8(w1);
      for (int p = 0; p < P; ++p) {
        acc[p] = smlad(x[0], wa, acc[p]);
        acc[p] = smlad(x[1], wb, acc[p]);
        acc[p] = smlad(x[2], wc, acc[p]);
        acc[p] = smlad(x[3], wd, acc[p]);
        x += 4;
      }
    }
    int32_t m = a.mult[c];
    if (!mode.dbl) {
      m = static_cast<int32_t>(static_cast<uint32_t>(m) << 1);
      if (m == 0) {
        for (int p = 0; p < P; ++p) acc[p] = 0;
      }
    }
    const int32_t e = -a.shift[c];
    int32_t k = static_cast<int32_t>(static_cast<uint32_t>(a.zpc) << e);
    k = mode.fold ? (k >> 1) : static_cast<int32_t>(static_cast<uint32_t>(k) >> 1);
    for (int p = 0; p < P; ++p) {
      int32_t t;
      const int32_t neg = acc[p] < 0 ? -1 : 0;
      if (mode.dbl) {
        t = smmlar(acc[p], m, k);
        if (mode.corr) t += neg;
      } else {
        uint32_t u = static_cast<uint32_t>(acc[p]) + static_cast<uint32_t>(k);
        if (mode.corr) u += static_cast<uint32_t>(neg);
        t = smmlar(acc[p], m, static_cast<int32_t>(u));
      }
      t >>= e;
      if (!mode.fold) t += a.zp;
      a.out[p * a.stride + c] = static_cast<int8_t>(ssat8(t));
    }
  }
}

#endif

bool gemm_mode_for(const Requant& rq, const int32_t* bias, int32_t channels, int32_t k,
                   GemmMode* mode) {
  if (!rq.per_channel || rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t zp = rq.output_offset;
  if (zp < -128 || zp > 127) return false;
  const bool corr = zp > -128;
  const uint64_t products = static_cast<uint64_t>(k) * 255u * 128u;
  const uint64_t zp_abs = static_cast<uint64_t>(zp < 0 ? -zp : zp);
  constexpr uint64_t kLimit = uint64_t{1} << 31;
  bool dbl_ok = true, fold_ok = true;
  for (int32_t c = 0; c < channels; ++c) {
    const int32_t m = rq.multiplier[c];
    if (m != 0 && m < (int32_t{1} << 30)) return false;
    const int32_t e = -rq.shift[c];
    if (e < 0 || e > 31 || (corr && e == 0)) return false;
    // Bound of |acc| and so of |SRDHM(acc, m)|: the rounding adds of the
    // kernel (2^(e-1), and zp * 2^e when folded) must not overflow int32.
    const int64_t b = bias != nullptr ? bias[c] : 0;
    const uint64_t acc_max = static_cast<uint64_t>(b < 0 ? -b : b) + products;
    if (2 * acc_max >= kLimit) dbl_ok = false;
    // |SRDHM(acc, m)| <= ceil(acc_max * m / 2^31)
    const uint64_t s_max = ((acc_max * static_cast<uint64_t>(m)) >> 31) + 1;
    const uint64_t half = (uint64_t{1} << e) >> 1;
    if (s_max + half + 1 >= kLimit) return false;
    // Folded: K = ((2 zp + 1) << e) >> 1 is computed in int32.
    if (s_max + half + 1 + (zp_abs << e) >= kLimit || ((2 * zp_abs + 1) << e) >= kLimit) {
      fold_ok = false;
    }
  }
  mode->corr = corr;
  mode->fold = fold_ok;
  mode->dbl = dbl_ok;  // allowed; the caller decides whether it pays off
  return true;
}

}  // namespace tp::kernels::arm_dsp
