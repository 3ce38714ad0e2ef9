// DEPTHWISE_CONV_2D Kx1 over a column (W = 1, stride 1, no padding, depth
// multiplier 1: sww01's four depthwise layers) on Cortex-M4: the planar
// column kernel and the direct 4-channel loop (dwcol_m4.S), driven from
// here once per group of 4 channels. -Os (not the build's -O3: 64 B less,
// no slower here) and the weight pairs in assembly: the SparkFun Edge's
// image has little flash left.
#include "conv.h"
#include "gemm.h"
#include "scratch.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os", "no-tree-loop-distribute-patterns")
#endif

#ifdef TP_ARM_DSP_STATS
extern "C" int tp_arm_dsp_fast_calls[10];  // dispatch.cc (tests only)
#endif

#if TP_ARM_DSP_NATIVE
extern "C" void tp_arm_dsp_dw_expand(int16_t* dst, const int8_t* src, int32_t pairs, int32_t step,
                                     int32_t plane, uint32_t off2);  // dw_m4.S
extern "C" void tp_arm_dsp_dwcol_w(uint32_t* w, const int8_t* f, int32_t C, int32_t K, int32_t J3);  // dwcol_m4.S
#endif

namespace tp::kernels::arm_dsp {

namespace {
// 4 channels x 2 * pairs rows (step bytes apart) -> 4 planes of L words,
// word i = rows 2i, 2i + 1 (raw int8 as halfwords).
void column_expand(uint32_t* dst, const int8_t* src, int32_t pairs, int32_t step, int32_t L) {
  if (pairs <= 0) return;
#if TP_ARM_DSP_NATIVE
  tp_arm_dsp_dw_expand(reinterpret_cast<int16_t*>(dst), src, pairs, step, 4 * L, 0);
#else
  for (int32_t i = 0; i < pairs; ++i, src += 2 * step) {
    const uint32_t a = load32(src), b = load32(src + step);
    const uint32_t a02 = sxtb16(a), a13 = sxtb16_ror8(a);
    const uint32_t b02 = sxtb16(b), b13 = sxtb16_ror8(b);
    dst[i] = pkhbt(a02, b02);
    dst[i + L] = pkhbt(a13, b13);
    dst[i + 2 * L] = pkhtb(b02, a02);
    dst[i + 3 * L] = pkhtb(b13, a13);
  }
#endif
}
}  // namespace

// ---- Kx1 columns (W = 1, stride 1, no padding: sww01's depthwise layers) ----
//
// Two variants:
// - the planar column kernel (dwcol_m4.S): per group of 4 channels the
//   taps as doubled halfword pairs of consecutive taps (We/Wo, below) and
//   the input rows transposed into one int16 plane per channel (raw inputs,
//   the offset is in the folded bias), then one channel at a time, 6 output
//   rows a block, 2 MACs per SMLAD, and the requantization of the GEMM
//   kernels with the zero point folded in (and the rounding correction
//   always applied). Output rows in passes as the scratch holds them
//   (scratch_need.h: dw_column_scratch_bytes);
// - the direct one (assembly too): 4 channels a step with SMLABB/SMLATT
//   onto the folded bias, one output row at a time, the same
//   requantization; for very short columns (fewer output rows than
//   kColumnPlanarMinRows: the transposition and the weight pairs would
//   cost more than they save) and a scratch too small for one block.
// Both take channels in multiples of 4 and the layers gemm_mode_for accepts
// with DBL and FOLD (and shifts >= 1 where it does not ask for the rounding
// correction); the rest runs the reference.
//
// Order of reads and writes: the planner never runs a call with its output
// over its input (check.cc), but both variants keep to what the reference
// allows: a channel's output row is written only after every input row of
// that channel it or an earlier output row reads, output rows top-down per
// channel (batches in order), so an output placed at or below its input by
// whole rows (output = input - d * C, d >= 0) is computed as the reference
// computes it.
namespace {

// The records of channels c0 .. c0 + nch - 1: 6 x 2 * folded bias, m,
// k = ((2 zp + 1) << e) >> 1, e.
__attribute__((noinline)) void column_records(const DepthwiseConvParams& p, int32_t c0, int32_t nch, int32_t* rec) {
  const Requant& rq = p.requant;
  const uint32_t zpc = static_cast<uint32_t>(2 * rq.output_offset + 1);
  const int32_t step = rq.per_channel ? 1 : 0;
  const int32_t* m = rq.multiplier + step * c0;
  const int32_t* sh = rq.shift + step * c0;
  const int32_t* fb = p.folded_bias + c0;
  for (int32_t q = 0; q < nch; ++q, rec += 9, m += step, sh += step) {
    const int32_t b2 = static_cast<int32_t>(static_cast<uint32_t>(fb[q]) << 1);
    const int32_t e = -*sh;
    rec[0] = b2;
    rec[1] = b2;
    rec[2] = b2;
    rec[3] = b2;
    rec[4] = b2;
    rec[5] = b2;
    rec[6] = *m;
    rec[7] = static_cast<int32_t>(zpc << e) >> 1;
    rec[8] = e;
  }
}

// The kernel's requantization of a doubled sum (record r).
inline int8_t column_rq(int32_t acc2, const int32_t* r) {
  return static_cast<int8_t>(ssat8(smmlar(acc2, r[6], r[7] + (acc2 >> 31)) >> r[8]));
}

// Field order is dwcol_m4.S's frame.
struct DwcArgs {
  const uint32_t* x;    // plane of channel 0 (word u = rows 2u, 2u + 1 of the pass)
  int32_t plane;        // bytes between channel planes
  const uint32_t* w;    // weight table: J3 x 4 channels x {We, Wo}
  int32_t wbytes;       // its bytes (32 * J3)
  const int32_t* rec;   // per channel: 6 x 2 * folded bias, m, k, e
  int8_t* out;          // output row 0 of the pass, channel 0
  int32_t C;            // bytes between output rows
  int32_t blocks;       // full blocks of 6 output rows
  int32_t last;         // output rows of a last, partial block (0..5)
  int32_t nch;          // channels (4; the assembly counts them down)
};

#if TP_ARM_DSP_NATIVE
extern "C" void tp_arm_dsp_dwcol(DwcArgs*);
void dwcol_run(DwcArgs& a, int32_t) { tp_arm_dsp_dwcol(&a); }
#else
// Portable twin of dwcol_m4.S (words = the plane words that hold inputs:
// the assembly also reads past them, into zero weights or outputs it does
// not store; the twin stops there).
void dwcol_run(DwcArgs& a, int32_t words) {
  const int32_t J3 = a.wbytes / 32;
  const int32_t n_out = 6 * a.blocks + a.last;
  for (int32_t q = 0; q < a.nch; ++q) {
    const uint32_t* x = a.x + q * (a.plane / 4);
    const uint32_t* w = a.w + 2 * q;
    const int32_t* rec = a.rec + 9 * q;
    for (int32_t o = 0; o < n_out; ++o) {
      int32_t acc = rec[o % 6];
      for (int32_t j = 0; j < J3 && o / 2 + j < words; ++j) acc = smlad(x[o / 2 + j], w[8 * j + (o & 1)], acc);
      a.out[q + o * a.C] = column_rq(acc, rec);
    }
  }
}
#endif

// Field order is dwcol_m4.S's tp_arm_dsp_dwcol_direct.
struct DwdcArgs {
  const int8_t* x;        // input row of the next output row, channel c0
  const int8_t* w;        // taps, channel c0
  const int32_t* fb;      // folded biases of the 4 channels
  int32_t mstep;          // bytes between the channels' m and shift (4; per tensor 0)
  int8_t* out;            // next output row, channel c0
  int32_t C;              // bytes between rows
  int32_t K;              // taps
  int32_t rows;           // output rows left
  const int32_t* m;       // multiplier of channel c0
  const int32_t* sh;      // shift of channel c0
  int32_t zpc;            // 2 zp + 1
};

#if TP_ARM_DSP_NATIVE
extern "C" void tp_arm_dsp_dwcol_direct(DwdcArgs*);
void dwcol_direct_run(DwdcArgs& d) { tp_arm_dsp_dwcol_direct(&d); }
#else
// Portable twin: 4 channels a step, SMLABB/SMLATT onto the folded bias, the
// sum doubled for the kernel's requantization.
void dwcol_direct_run(DwdcArgs& d) {
  for (; d.rows > 0; --d.rows, d.x += d.C, d.out += d.C) {
    int32_t a[4] = {d.fb[0], d.fb[1], d.fb[2], d.fb[3]};
    const int8_t* xp = d.x;
    const int8_t* wp = d.w;
    for (int32_t k = 0; k < d.K; ++k, xp += d.C, wp += d.C) {
      const uint32_t xv = load32(xp), wv = load32(wp);
      const uint32_t x02 = sxtb16(xv), x13 = sxtb16_ror8(xv);
      const uint32_t w02 = sxtb16(wv), w13 = sxtb16_ror8(wv);
      a[0] = smlabb(x02, w02, a[0]);
      a[2] = smlatt(x02, w02, a[2]);
      a[1] = smlabb(x13, w13, a[1]);
      a[3] = smlatt(x13, w13, a[3]);
    }
    for (int q = 0; q < 4; ++q) {
      const int32_t i = q * (d.mstep / 4), e = -d.sh[i];
      const int32_t r[9] = {0, 0, 0, 0, 0, 0, d.m[i],
                            static_cast<int32_t>(static_cast<uint32_t>(d.zpc) << e) >> 1, e};
      d.out[q] = column_rq(wrap_add(a[q], a[q]), r);
    }
  }
}
#endif

// The doubled taps of channels c0 .. c0 + 3 as the kernel's We/Wo steps
// (f = their taps).
void column_weights(const int8_t* f, int32_t C, int32_t K, int32_t J3, uint32_t* w) {
#if TP_ARM_DSP_NATIVE
  tp_arm_dsp_dwcol_w(w, f, C, K, J3);
#else
  for (int32_t j = 0; j < J3; ++j, w += 8) {
    for (int32_t q = 0; q < 4; ++q) {
      auto tap = [&](int32_t k) -> int32_t { return k >= 0 && k < K ? 2 * f[k * C + q] : 0; };
      w[2 * q] = pack16(tap(2 * j), tap(2 * j + 1));
      w[2 * q + 1] = pack16(tap(2 * j - 1), tap(2 * j));
    }
  }
#endif
}

// Rows [0, rows) of channels c0 .. c0 + 3 (src = row 0, channel c0) into
// the planes (plane q at x + L * q, word u = rows 2u, 2u + 1; a last odd
// row with a zero high half).
void column_planes(const int8_t* src, int32_t C, int32_t rows, int32_t L, uint32_t* x) {
  column_expand(x, src, rows / 2, C, L);
  if (rows & 1) {
    const uint32_t v = load32(src + (rows - 1) * C);
    const uint32_t a02 = sxtb16(v), a13 = sxtb16_ror8(v);
    uint32_t* e = x + rows / 2;
    e[0] = a02 & 0xFFFFu;
    e[L] = a13 & 0xFFFFu;
    e[2 * L] = a02 >> 16;
    e[3 * L] = a13 >> 16;
  }
}

// The planar column variant (see above); false when the scratch holds no
// block of 6 output rows.
bool depthwise_column_planar(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                             const Scratch& scratch) {
  const int32_t C = p.input.c, K = p.filter.h, TI = p.input.h, TO = p.output.h, N = p.output.n;
  const int32_t J3 = dw_column_steps(K);
  // Output rows per pass: as many blocks of 6 as the scratch holds.
  const int64_t avail = static_cast<int64_t>(scratch_bytes(scratch)) - dw_column_scratch_bytes(K, 0);
  const int64_t blocks_max = avail / 48;  // 4 planes x 3 words a block
  if (avail < 0 || blocks_max < 1) return false;
  const int32_t chunk = TO <= 6 * blocks_max ? TO : static_cast<int32_t>(6 * blocks_max);
  const int32_t L = 3 * ((chunk + 5) / 6) + J3;  // words per plane
  int32_t* const rec = reinterpret_cast<int32_t*>(scratch16(scratch));
  uint32_t* const wt = reinterpret_cast<uint32_t*>(rec + 36);
  uint32_t* const planes = wt + 8 * J3;
  DwcArgs a;
  a.x = planes;
  a.plane = 4 * L;
  a.w = wt;
  a.wbytes = 32 * J3;
  a.nch = 4;
  a.rec = rec;
  a.C = C;
  for (int32_t n = 0; n < N; ++n) {
    const int8_t* in_n = input + n * TI * C;
    int8_t* out_n = output + n * TO * C;
    for (int32_t c0 = 0; c0 < C; c0 += 4) {
      column_records(p, c0, 4, rec);
      column_weights(p.filter_data + c0, C, K, J3, wt);
      for (int32_t o0 = 0; o0 < TO; o0 += chunk) {
        const int32_t n_out = TO - o0 < chunk ? TO - o0 : chunk;
        const int32_t rows = n_out + K - 1;
        column_planes(in_n + o0 * C + c0, C, rows, L, planes);
        a.out = out_n + o0 * C + c0;
        a.blocks = n_out / 6;
        a.last = n_out % 6;
        dwcol_run(a, (rows + 1) / 2);
      }
    }
  }
  return true;
}

}  // namespace

// Kx1 column (see above).
bool depthwise_column(const DepthwiseConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  const int32_t C = p.input.c, K = p.filter.h;
  if (!dw_column_shape(p) || p.output.c != C || p.filter.c != C || p.output.n != p.input.n) return false;
  if (p.folded_bias == nullptr || C < 1) return false;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.bias, C, K, &mode) || !mode.dbl || !mode.fold) return false;
  // The kernels always apply the rounding correction: exact for shifts >= 1
  // (gemm_mode_for asks for them where the correction is needed).
  if (!mode.corr) {
    const int32_t nq = p.requant.per_channel ? C : 1;
    for (int32_t q = 0; q < nq; ++q) {
      if (p.requant.shift[q] > -1) return false;
    }
  }
  if (C % 4 != 0) return false;
  if (p.output.h >= kColumnPlanarMinRows && depthwise_column_planar(p, input, output, scratch)) {
#ifdef TP_ARM_DSP_STATS
    ++tp_arm_dsp_fast_calls[8];  // tests: planar column kernel
#endif
    return true;
  }
  // Direct: per group of 4 channels, output rows top-down.
  DwdcArgs d;
  d.C = C;
  d.K = K;
  d.zpc = 2 * p.requant.output_offset + 1;
  const int32_t step = p.requant.per_channel ? 1 : 0;
  d.mstep = 4 * step;
  for (int32_t c = 0; c < C; c += 4) {
    d.w = p.filter_data + c;
    d.fb = p.folded_bias + c;
    for (int32_t n = 0; n < p.output.n; ++n) {
      d.x = input + n * p.input.h * C + c;
      d.out = output + n * p.output.h * C + c;
      d.rows = p.output.h;
      d.m = p.requant.multiplier + step * c;
      d.sh = p.requant.shift + step * c;
      dwcol_direct_run(d);
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
