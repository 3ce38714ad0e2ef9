#include "gemm.h"

// Small copy/fill loops must stay inline: GCC would turn them into
// memcpy/memset calls, which cost more than the loops for these sizes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

namespace tp::kernels::arm_dsp {

inline int count_clz(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

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

extern "C" {
#define TP_GEMM16_DECL(P)                      \
  void tp_arm_dsp_gemm16_##P##_000(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_001(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_010(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_011(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_100(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_101(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_110(GemmArgs*); \
  void tp_arm_dsp_gemm16_##P##_111(GemmArgs*);
TP_GEMM16_DECL(1)
TP_GEMM16_DECL(4)
#undef TP_GEMM16_DECL
}

namespace {
#define TP_GEMM16_ROW(P)                                                                      \
  {tp_arm_dsp_gemm16_##P##_000, tp_arm_dsp_gemm16_##P##_001, tp_arm_dsp_gemm16_##P##_010,     \
   tp_arm_dsp_gemm16_##P##_011, tp_arm_dsp_gemm16_##P##_100, tp_arm_dsp_gemm16_##P##_101,     \
   tp_arm_dsp_gemm16_##P##_110, tp_arm_dsp_gemm16_##P##_111}
const GemmFn kGemm16[2][8] = {TP_GEMM16_ROW(1), TP_GEMM16_ROW(4)};
#undef TP_GEMM16_ROW
}  // namespace

void gemm16_run(int P, const GemmMode& mode, GemmArgs& args) {
  const int v = (mode.dbl ? 4 : 0) | (mode.corr ? 2 : 0) | (mode.fold ? 1 : 0);
  kGemm16[P == 4 ? 1 : 0][v](&args);
}

#else  // portable twin of gemm_m4.S, same arithmetic step by step

namespace {
void gemm_twin(int P, const GemmMode& mode, GemmArgs& a, bool w16) {
  const int32_t channels = static_cast<int32_t>(a.mult_end - a.mult);
  const int8_t* w = a.w;
  for (int32_t c = 0; c < channels; ++c) {
    int32_t acc[4];
    for (int p = 0; p < P; ++p) {
      acc[p] = mode.dbl ? static_cast<int32_t>(static_cast<uint32_t>(a.bias[c]) << 1) : a.bias[c];
    }
    const uint32_t* x = reinterpret_cast<const uint32_t*>(a.xbuf);
    for (int32_t s = 0; s < a.steps; ++s) {
      uint32_t wa, wb, wc, wd;
      if (w16) {  // int16 weights already in the activations' order
        wa = load32(w);
        wb = load32(w + 4);
        wc = load32(w + 8);
        wd = load32(w + 12);
        w += 16;
      } else {
        const uint32_t w0 = load32(w);
        const uint32_t w1 = load32(w + 4);
        w += 8;
        wa = sxtb16(w0);
        wb = sxtb16_ror8(w0);
        wc = sxtb16(w1);
        wd = sxtb16_ror8(w1);
      }
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
        t = smmlar(acc[p], m, acc[p]);
        if (mode.corr) t += neg;
        t = qadd(t, k);
      }
      t >>= e;
      if (!mode.fold) t += a.zp;
      a.out[p * a.stride + c] = static_cast<int8_t>(ssat8(t));
    }
  }
}
}  // namespace

void gemm_run(int P, const GemmMode& mode, GemmArgs& a) { gemm_twin(P, mode, a, false); }
void gemm16_run(int P, const GemmMode& mode, GemmArgs& a) { gemm_twin(P, mode, a, true); }

#endif

bool gemm_mode_for(const Requant& rq, const int32_t* bias, int32_t channels, int32_t k,
                   GemmMode* mode) {
  // Runs once per layer call: one cheap pass over the multipliers/shifts,
  // one over the biases (abs_or), and a precise bound only for the rare
  // channels with a shift beyond 23.
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t zp = rq.output_offset;
  if (zp < -128 || zp > 127 || k <= 0 || k > 65536) return false;
  const bool corr = zp > -128;
  const int32_t n = rq.per_channel ? channels : 1;
  // Branch-free pass: m valid <=> m >= 0 and clz(m) in {1 (m >= 2^30),
  // 32 (m == 0)} <=> (m >> 31 | (clz(m) & 30)) == 0; e in [0, 31] <=>
  // (e & ~31) == 0; e == 0 <=> e - 1 < 0. ORs of those, and e_bits (>= every
  // e) as the bound.
  uint32_t m_bits = 0, e_bits = 0, e0_bits = 0;
  for (int32_t q = 0; q < n; ++q) {
    const uint32_t m = static_cast<uint32_t>(rq.multiplier[q]);
    const uint32_t e = 0u - static_cast<uint32_t>(rq.shift[q]);
    m_bits |= (m >> 31) | (static_cast<uint32_t>(count_clz(m)) & 30u);
    e_bits |= e;
    e0_bits |= e - 1u;
  }
  const uint32_t bad = m_bits | (e_bits & ~31u) | (corr ? (e0_bits >> 31) : 0u);
  const uint32_t e_max = e_bits;  // an upper bound of every e (<= 31 here)
  if (bad) return false;
  constexpr uint32_t kLimit = 0x80000000u;
  const uint32_t products = static_cast<uint32_t>(k) * 255u * 128u;  // < 2^31
  // DBL needs |acc| < 2^30 (conservative OR bound of the biases).
  const uint32_t bias_bits = bias != nullptr ? abs_or(bias, channels) : 0u;
  const bool dbl_ok = bias_bits < kLimit / 2 && bias_bits + 1 + products < kLimit / 2;
  const uint32_t zp2 = static_cast<uint32_t>(2 * (zp < 0 ? -zp : zp) + 1);
  // FOLD: K = ((2 zp + 1) << e) >> 1 in int32 (|K| < 2^30).
  bool fold_ok = (zp2 >> (31 - e_max)) == 0;
  if (e_max > 23) {
    // Not DBL, shift > 23: the kernels' s + K must not saturate (QADD is
    // only exact-by-saturation up to e = 23). Exact per-channel bound.
    for (int32_t q = 0; q < n; ++q) {
      const uint32_t e = static_cast<uint32_t>(-rq.shift[q]);
      if (e <= 23) continue;
      const uint32_t m = static_cast<uint32_t>(rq.multiplier[q]);
      uint64_t acc_max = products;
      if (bias != nullptr) {
        const int64_t b = bias[rq.per_channel ? q : 0];
        acc_max += static_cast<uint64_t>(b < 0 ? -b : b);
      }
      if (!rq.per_channel && bias != nullptr) acc_max = uint64_t{bias_bits} + 1 + products;
      const uint64_t s_max = ((acc_max * m) >> 31) + 1;
      const uint64_t half = uint64_t{1} << (e - 1);
      if (s_max + half + 1 >= kLimit) return false;
      if (s_max + half + 1 + (uint64_t{zp2 / 2} << e) >= kLimit) fold_ok = false;
    }
  }
  mode->corr = corr;
  mode->fold = fold_ok;
  mode->dbl = dbl_ok;  // allowed; the caller decides whether it pays off
  return true;
}

}  // namespace tp::kernels::arm_dsp
