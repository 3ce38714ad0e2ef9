// CONV_2D over few input channels on Cortex-M4 (conv_smallk_layout.h: the
// first layers of vww01, ic01, ic02): per output row the fh input rows,
// padded, in the scratch; per pair of output pixels their windows as
// halfword pairs (input offset added: SXTAB16) in the scratch; then
// conv_smallk_m4.S over every pair of output channels, 2 pixels x 2
// channels a block, requantization from the blob.
#include "conv_smallk.h"

#include "../../reference/requant.h"
#include "conv_smallk_layout.h"
#include "dsp.h"
#include "scratch.h"

// -Os: the hot loops are conv_smallk_m4.S's; flash is what sparkfun_edge
// lacks. Small copy/fill loops stay inline (no memcpy/memset calls).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("Os", "no-tree-loop-distribute-patterns")
#define TP_SMALLK_O2 __attribute__((optimize("O2", "no-tree-loop-distribute-patterns")))
#else
#define TP_SMALLK_O2
#endif

namespace tp::kernels::arm_dsp {

namespace {

// Field order is the assembly's: do not reorder.
struct SmallKArgs {
  const int8_t* w;       // the blob
  int8_t* out0;          // pixel 0's outputs (2 * pairs bytes written)
  int8_t* out1;          // pixel 1's
  const uint32_t* xbuf;  // [S][p0 w0, p0 w1, p1 w0, p1 w1]
  int32_t pairs;         // channel pairs (>= 1)
  int32_t S;             // groups of 4 window values (1..kSmallKMaxGroups)
};

// One output row of the 3 x (8 + 1) window, an even channel count, pixel
// pairs only (conv_smallk_m4.S builds the windows itself). Field order is
// the assembly's.
struct SmallKRowArgs {
  const int8_t* w;
  int8_t* out;      // the row's first pixel
  uint32_t* xbuf;
  int32_t cout;     // even
  int32_t npx;      // pixel pairs (>= 1)
  const int8_t* src;  // pixel 0's window in the row buffer
  int32_t rb;       // bytes between the window's rows
  int32_t step;     // bytes between two pixels' windows
  uint32_t off2;
};

void window_331(uint32_t* x, int32_t p, const int8_t* s, int32_t row_bytes, uint32_t off2);

// conv_smallk_m4.S holds the row kernel of the 3 x (8 + 1) window without
// the rounding correction (output zero point -128: the first layers of
// vww01, ic01, ic02) only, for flash (sparkfun_edge); every other case runs
// the same blocks in C++ below (also the portable twin off Arm).
#if TP_ARM_DSP_NATIVE && !defined(TP_SMALLK_NO_ASM)
extern "C" void tp_arm_dsp_smallk331_0(SmallKRowArgs*);
#define TP_SMALLK_ROW_ASM 1
#endif

// The blocks of conv_smallk_m4.S in C++, the same arithmetic step by step.
void run_pairs(bool corr, SmallKArgs* a) {
  const uint32_t* w = reinterpret_cast<const uint32_t*>(a->w);
  for (int32_t i = 0; i < a->pairs; ++i) {
    int32_t acc[4] = {static_cast<int32_t>(w[0]), static_cast<int32_t>(w[1]), static_cast<int32_t>(w[0]),
                      static_cast<int32_t>(w[1])};  // p0c0, p0c1, p1c0, p1c1
    w += 4;
    const uint32_t* x = a->xbuf;
    for (int32_t g = 0; g < a->S; ++g, x += 4, w += 4) {
      acc[0] = smlad(x[0], w[0], smlad(x[1], w[1], acc[0]));
      acc[1] = smlad(x[0], w[2], smlad(x[1], w[3], acc[1]));
      acc[2] = smlad(x[2], w[0], smlad(x[3], w[1], acc[2]));
      acc[3] = smlad(x[2], w[2], smlad(x[3], w[3], acc[3]));
    }
    for (int32_t q = 0; q < 4; ++q) {
      const int32_t h = q & 1;  // channel of the pair
      const int32_t m = static_cast<int32_t>(w[3 * h]), k = static_cast<int32_t>(w[3 * h + 1]);
      const int32_t e = static_cast<int32_t>(w[3 * h + 2]);
      int32_t t = smmlar(acc[q], m, k);
      if (corr) t += acc[q] < 0 ? -1 : 0;
      t >>= e;
      (q < 2 ? a->out0 : a->out1)[2 * i + h] = static_cast<int8_t>(ssat8(t));
    }
    w += 6;
  }
}

// The row kernel: the same windows, the same blocks.
void run_row331(bool corr, SmallKRowArgs* r) {
#ifdef TP_SMALLK_ROW_ASM
  if (!corr) {
    tp_arm_dsp_smallk331_0(r);
    return;
  }
#endif
  SmallKArgs a;
  a.w = r->w;
  a.xbuf = r->xbuf;
  a.pairs = r->cout / 2;
  a.S = 7;
  const int8_t* s = r->src;
  int8_t* out = r->out;
  for (int32_t i = 0; i < r->npx; ++i, s += 2 * r->step, out += 2 * r->cout) {
    window_331(r->xbuf, 0, s, r->rb, r->off2);
    window_331(r->xbuf, 1, s + r->step, r->rb, r->off2);
    a.out0 = out;
    a.out1 = out + r->cout;
    run_pairs(corr, &a);
  }
}

// Columns [ca, cb) of the fh padded input rows starting at input row iy0
// (column c is input column c - pad_left; outside the input: pad_byte),
// as rows of (cb - ca) * cin bytes at rowbuf.
// At -O2 (the rest of this file is -Os, for flash): ic01's and ic02's rows
// go through it whole.
TP_SMALLK_O2 void fill_cols(const int8_t* in, int32_t H, int32_t W, int32_t cin, int32_t fh, int8_t* rowbuf, int32_t ca,
               int32_t cb, int32_t iy0, int32_t pad_left, int8_t pad_byte) {
  const int32_t row_bytes = (cb - ca) * cin;
  // Columns of the range inside the input: [c0, c1).
  int32_t c0 = pad_left > ca ? pad_left : ca;
  int32_t c1 = pad_left + W < cb ? pad_left + W : cb;
  if (c1 < c0) c1 = c0;
  for (int32_t ky = 0; ky < fh; ++ky, rowbuf += row_bytes) {
    const int32_t iy = iy0 + ky;
    if (iy < 0 || iy >= H) {
      for (int32_t i = 0; i < row_bytes; ++i) rowbuf[i] = pad_byte;
      continue;
    }
    for (int32_t i = 0; i < (c0 - ca) * cin; ++i) rowbuf[i] = pad_byte;
    const int8_t* src = in + (iy * W + (c0 - pad_left)) * cin;
    int8_t* d = rowbuf + (c0 - ca) * cin;
    const int32_t n = (c1 - c0) * cin;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) store32(d + i, load32(src + i));
    for (; i < n; ++i) d[i] = src[i];
    for (int32_t j = (c1 - ca) * cin; j < row_bytes; ++j) rowbuf[j] = pad_byte;
  }
}

// One pixel's window (rows row_bytes apart from s) into slot p of the
// block. Lanes of the last group past fh * r are left as they are (their
// weights are zero; the block is zeroed once per call).
void window_any(uint32_t* x, int32_t p, const int8_t* s, int32_t row_bytes, const SmallKShape& k, uint32_t off2) {
  uint32_t* d = x + 2 * p;
  for (int32_t ky = 0; ky < k.fh; ++ky) {
    const int8_t* row = s + ky * row_bytes;
    for (int32_t g = 0; g < k.q4; ++g, d += 4) {
      const uint32_t v = load32(row + 4 * g);
      d[0] = sxtab16(off2, v);
      d[1] = sxtab16_ror8(off2, v);
    }
  }
  if (k.r == 0) return;
  int16_t* rem = reinterpret_cast<int16_t*>(x + 4 * k.fh * k.q4 + 2 * p);
  const int32_t offset = lo16(off2);
  for (int32_t ky = 0; ky < k.fh; ++ky) {
    const int8_t* row = s + ky * row_bytes + 4 * k.q4;
    for (int32_t i = 0; i < k.r; ++i) {
      const int32_t n = ky * k.r + i;  // group n / 4, lane n % 4: word 2 * (lane & 1) + ... below
      const int32_t lane = n & 3;
      rem[8 * (n >> 2) + 2 * (lane & 1) + (lane >> 1)] = static_cast<int16_t>(row[i] + offset);
    }
  }
}

// The 3 x (8 + 1) window of a 3x3 filter over 3 input channels.
void window_331(uint32_t* x, int32_t p, const int8_t* s, int32_t row_bytes, uint32_t off2) {
  uint32_t* d = x + 2 * p;
  const int8_t* r0 = s;
  const int8_t* r1 = s + row_bytes;
  const int8_t* r2 = r1 + row_bytes;
  uint32_t v = load32(r0);
  d[0] = sxtab16(off2, v);
  d[1] = sxtab16_ror8(off2, v);
  v = load32(r0 + 4);
  d[4] = sxtab16(off2, v);
  d[5] = sxtab16_ror8(off2, v);
  v = load32(r1);
  d[8] = sxtab16(off2, v);
  d[9] = sxtab16_ror8(off2, v);
  v = load32(r1 + 4);
  d[12] = sxtab16(off2, v);
  d[13] = sxtab16_ror8(off2, v);
  v = load32(r2);
  d[16] = sxtab16(off2, v);
  d[17] = sxtab16_ror8(off2, v);
  v = load32(r2 + 4);
  d[20] = sxtab16(off2, v);
  d[21] = sxtab16_ror8(off2, v);
  // group 6: lanes (r0[8], r1[8], r2[8], -): words (r0[8], r2[8]), (r1[8], -)
  const uint32_t a = static_cast<uint32_t>(static_cast<int32_t>(r0[8]));
  const uint32_t b = static_cast<uint32_t>(static_cast<int32_t>(r1[8]));
  const uint32_t c = static_cast<uint32_t>(static_cast<int32_t>(r2[8]));
  d[24] = sadd16(pkhbt(a, c), off2);
  d[25] = sadd16(b, off2);
}

}  // namespace

bool conv2d_smallk(const ConvParams& p, const int8_t* input, int8_t* output, Scratch scratch) {
  if (p.filter_layout != kConvSmallK) return false;
  if (p.filter.c != p.input.c || p.input.c < 1 || p.input.c > kSmallKMaxCin || p.dilation_h != 1 ||
      p.dilation_w != 1 || p.stride_h < 1 || p.stride_w < 1 || p.output.c < 1 || p.filter.h < 1 ||
      p.filter.w < 1 || p.output.w < 1 || p.output.h < 1) {
    return false;
  }
  if ((reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0) return false;
  if (p.input_offset < -127 || p.input_offset > 128) return false;  // pad byte -offset in int8
  const SmallKShape k = smallk_shape(p);
  if (k.S < 1 || k.S > kSmallKMaxGroups) return false;
  if (smallk_scratch_bytes(p) > scratch_bytes(scratch)) return false;
  const int32_t cin = p.input.c, cout = p.output.c, pairs = (cout + 1) / 2;
  const int32_t H = p.input.h, W = p.input.w, OH = p.output.h, OW = p.output.w, N = p.output.n;
  const int32_t sh = p.stride_h, sw = p.stride_w, ph = p.pad_h, pw = p.pad_w;
  const int32_t row_bytes = ((OW - 1) * sw + p.filter.w) * cin;  // the widest padded row
  const bool fixed331 = k.fh == 3 && k.q4 == 2 && k.r == 1;
  const bool odd = (cout & 1) != 0;
  const bool corr = p.requant.output_offset > -128;
  const uint32_t off2 = (static_cast<uint32_t>(p.input_offset) & 0xFFFFu) | (static_cast<uint32_t>(p.input_offset) << 16);
  const int8_t pad_byte = static_cast<int8_t>(-p.input_offset);

  uint32_t* const x = static_cast<uint32_t*>(scratch.data);
  int8_t* const rowbuf = reinterpret_cast<int8_t*>(x + 8 * k.S);
  int8_t* const tmp0 = rowbuf + ((static_cast<std::size_t>(k.fh) * row_bytes + 3) & ~std::size_t{3});
  int8_t* const tmp1 = odd ? tmp0 + ((cout + 4) & ~3) : tmp0;  // even: only the partnerless pixel's
  for (int32_t i = 0; i < 8 * k.S; ++i) x[i] = 0;

  SmallKArgs a;
  a.w = p.filter_data;
  a.xbuf = x;
  a.pairs = pairs;
  a.S = k.S;
  const int32_t step = sw * cin;
  // Pixels [oxa, oxb) of a row, pixel oxa's window at s, rows rb apart.
  auto run_range = [&](int32_t oxa, int32_t oxb, const int8_t* s, int32_t rb, int8_t* out) {
    int32_t ox = oxa;
    if (fixed331 && !odd && oxb - oxa >= 2) {  // the pixel pairs in one call
      SmallKRowArgs r;
      r.w = p.filter_data;
      r.out = out;
      r.xbuf = x;
      r.cout = cout;
      r.npx = (oxb - oxa) / 2;
      r.src = s;
      r.rb = rb;
      r.step = step;
      r.off2 = off2;
      run_row331(corr, &r);
      ox += 2 * r.npx;
      s += 2 * r.npx * step;
      out += 2 * r.npx * cout;
    }
    for (; ox < oxb; ox += 2, s += 2 * step, out += 2 * cout) {
      const bool two = ox + 1 < oxb;
      if (fixed331) {
        window_331(x, 0, s, rb, off2);
        if (two) window_331(x, 1, s + step, rb, off2);
      } else {
        window_any(x, 0, s, rb, k, off2);
        if (two) window_any(x, 1, s + step, rb, k, off2);
      }
      if (!odd) {
        a.out0 = out;
        a.out1 = two ? out + cout : tmp1;
        run_pairs(corr, &a);
      } else {
        a.out0 = tmp0;
        a.out1 = tmp1;
        run_pairs(corr, &a);
        for (int32_t c = 0; c < cout; ++c) out[c] = tmp0[c];
        if (two) {
          for (int32_t c = 0; c < cout; ++c) out[cout + c] = tmp1[c];
        }
      }
    }
  };
  // Pixels whose windows lie inside the input's columns: [lo, hi), an even
  // number of them starting at an even pixel, read in place where the
  // window's rows are inside too, when that leaves only a right edge (vww01:
  // the last pair of each row) to copy; a left edge too (ic01, ic02, kws01:
  // SAME padding at stride 1) costs more in calls than one padded copy of
  // the whole row (measured).
  int32_t lo = pw > 0 ? (pw + sw - 1) / sw : 0;
  int32_t hi = W - p.filter.w + pw >= 0 ? (W - p.filter.w + pw) / sw + 1 : 0;
  if (hi > OW) hi = OW;
  lo += lo & 1;
  if (hi < lo) hi = lo;
  hi -= (hi - lo) & 1;
  auto run_padded = [&](const int8_t* in, int32_t iy0, int32_t oxa, int32_t oxb, int8_t* out_row) {
    if (oxa >= oxb) return;
    const int32_t ca = oxa * sw, cb = (oxb - 1) * sw + p.filter.w;
    fill_cols(in, H, W, cin, k.fh, rowbuf, ca, cb, iy0, pw, pad_byte);
    run_range(oxa, oxb, rowbuf, (cb - ca) * cin, out_row + oxa * cout);
  };
  for (int32_t n = 0; n < N; ++n) {
    const int8_t* in = input + n * H * W * cin;
    for (int32_t oy = 0; oy < OH; ++oy) {
      const int32_t iy0 = oy * sh - ph;
      int8_t* out = output + ((n * OH + oy) * OW) * cout;
      if (iy0 >= 0 && iy0 + k.fh <= H && lo == 0 && hi > 0) {
        run_range(lo, hi, in + (iy0 * W + lo * sw - pw) * cin, W * cin, out + lo * cout);
        run_padded(in, iy0, hi, OW, out);
      } else {
        run_padded(in, iy0, 0, OW, out);
      }
    }
  }
  return true;
}

// The layout's weights, the reference's arithmetic (bias and requantization
// from p): for the layers conv2d_smallk refuses.
void conv2d_smallk_plain(const ConvParams& p, const int8_t* input, int8_t* output) {
  const SmallKShape k = smallk_shape(p);
  const int32_t cin = p.input.c, cout = p.output.c, fw = p.filter.w;
  const int32_t H = p.input.h, W = p.input.w, OH = p.output.h, OW = p.output.w;
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < OH; ++oy) {
      for (int32_t ox = 0; ox < OW; ++ox) {
        int8_t* out = output + ((n * OH + oy) * OW + ox) * cout;
        for (int32_t c = 0; c < cout; ++c) {
          uint32_t acc = p.bias != nullptr ? static_cast<uint32_t>(p.bias[c]) : 0u;
          for (int32_t ky = 0; ky < k.fh; ++ky) {
            const int32_t iy = oy * p.stride_h - p.pad_h + ky * p.dilation_h;
            if (iy < 0 || iy >= H) continue;
            for (int32_t kx = 0; kx < fw; ++kx) {
              const int32_t ix = ox * p.stride_w - p.pad_w + kx * p.dilation_w;
              if (ix < 0 || ix >= W) continue;
              const int8_t* in = input + ((n * H + iy) * W + ix) * cin;
              for (int32_t ci = 0; ci < cin; ++ci) {
                acc += static_cast<uint32_t>((in[ci] + p.input_offset) *
                                             smallk_weight(p.filter_data, k, c, ky, kx * cin + ci));
              }
            }
          }
          out[c] = ref::detail::requantize(static_cast<int32_t>(acc), p.requant, c);
        }
      }
    }
  }
}

}  // namespace tp::kernels::arm_dsp
