#include "gemm.h"

namespace tp::kernels::arm_dsp {

#if TP_ARM_DSP_NATIVE
extern "C" uint32_t tp_arm_dsp_abs_or(const int32_t* p, int32_t n);
uint32_t abs_or(const int32_t* p, int32_t n) { return tp_arm_dsp_abs_or(p, n); }
#else
uint32_t abs_or(const int32_t* p, int32_t n) {
  uint32_t bits = 0;
  for (int32_t i = 0; i < n; ++i) bits |= static_cast<uint32_t>(p[i] ^ (p[i] >> 31));
  return bits;
}
#endif

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
  // 32-bit arithmetic only (plus UMULL): this runs once per layer call.
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t zp = rq.output_offset;
  if (zp < -128 || zp > 127 || k <= 0 || k > 65536) return false;
  const bool corr = zp > -128;
  const uint32_t products = static_cast<uint32_t>(k) * 255u * 128u;  // < 2^31
  const uint32_t zp_abs = static_cast<uint32_t>(zp < 0 ? -zp : zp);
  constexpr uint32_t kLimit = 0x80000000u;
  bool dbl_ok = true, fold_ok = true;
  const int32_t n = rq.per_channel ? channels : 1;
  uint32_t bias_max = 0;
  if (!rq.per_channel && bias != nullptr) {
    // |b| <= (b ^ (b >> 31)) + 1, and the OR of those bounds them all.
    const uint32_t bits = abs_or(bias, channels);
    if (bits >= kLimit - 1) return false;
    bias_max = bits + 1;
  }
  for (int32_t q = 0; q < n; ++q) {
    const int32_t m = rq.multiplier[q];
    if (m != 0 && m < (int32_t{1} << 30)) return false;
    const int32_t e = -rq.shift[q];
    if (e < 0 || e > 31 || (corr && e == 0)) return false;
    uint32_t b = bias_max;
    if (rq.per_channel && bias != nullptr) {
      b = bias[q] < 0 ? 0u - static_cast<uint32_t>(bias[q]) : static_cast<uint32_t>(bias[q]);
    }
    if (b >= kLimit - products) return false;
    const uint32_t acc_max = b + products;  // bound of |acc|
    if (acc_max >= kLimit / 2) dbl_ok = false;
    // |SRDHM(acc, m)| <= acc_max * m / 2^31 + 1; the kernels add 2^(e-1)
    // (and zp * 2^e when folded) to it in int32.
    const uint32_t s_max =
        static_cast<uint32_t>((uint64_t{acc_max} * static_cast<uint32_t>(m)) >> 31) + 1;
    const uint32_t half = (1u << e) >> 1;
    if (uint64_t{s_max} + half + 1 >= kLimit) return false;
    const int r = 31 - e;
    if ((zp_abs >> r) != 0 || ((2 * zp_abs + 1) >> r) != 0 ||
        uint64_t{s_max} + half + 1 + (zp_abs << e) >= kLimit) {
      fold_ok = false;
    }
  }
  mode->corr = corr;
  mode->fold = fold_ok;
  mode->dbl = dbl_ok;  // allowed; the caller decides whether it pays off
  return true;
}

}  // namespace tp::kernels::arm_dsp
