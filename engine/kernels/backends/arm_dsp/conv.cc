// CONV_2D on Cortex-M4: im2col of up to 4 output pixels into int16 (input
// offset added, padding = 0) and the GEMM microkernel over all channels.
#include "conv.h"

#include "../../reference/requant.h"
#include "conv_layout.h"
#include "conv_smallk.h"
#include "conv_smallk_layout.h"
#include "gemm.h"
#include "scratch.h"

// Small copy/fill loops must stay inline: GCC would turn them into
// memcpy/memset calls, which cost more than the loops for these sizes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O2", "no-tree-loop-distribute-patterns")
#endif

namespace tp::kernels::arm_dsp {


namespace {

// ---- im2col primitives (im2col_m4.S, portable twins below) ----------------
#if TP_ARM_DSP_NATIVE
extern "C" {
void tp_arm_dsp_expand8(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                        uint32_t off2);
void tp_arm_dsp_expand8_dbl(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                            uint32_t off2);
void tp_arm_dsp_im2col_pw(int16_t* dst, const int8_t* src, int32_t n8, int32_t P,
                          int32_t pix_stride, uint32_t off2);
void tp_arm_dsp_expand_rows(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                            uint32_t off2, int32_t rows, int32_t src_stride);
void tp_arm_dsp_expand_rows_dbl(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                                uint32_t off2, int32_t rows, int32_t src_stride);
void tp_arm_dsp_im2col_pw_dbl(int16_t* dst, const int8_t* src, int32_t n8, int32_t P,
                              int32_t pix_stride, uint32_t off2);
}
inline void expand8(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                    uint32_t off2) {
  (dbl ? tp_arm_dsp_expand8_dbl : tp_arm_dsp_expand8)(dst, src, n8, dst_stride, off2);
}
inline void im2col_pw(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t P,
                      int32_t pix_stride, uint32_t off2) {
  (dbl ? tp_arm_dsp_im2col_pw_dbl : tp_arm_dsp_im2col_pw)(dst, src, n8, P, pix_stride, off2);
}
inline void expand_rows(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
                        uint32_t off2, int32_t rows, int32_t src_stride) {
  (dbl ? tp_arm_dsp_expand_rows_dbl : tp_arm_dsp_expand_rows)(dst, src, n8, dst_stride, off2, rows,
                                                               src_stride);
}
#else
void expand8(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
             uint32_t off2) {
  for (int32_t g = 0; g < n8; ++g, src += 8, dst += dst_stride / 2) {
    const uint32_t v0 = load32(src), v1 = load32(src + 4);
    uint32_t w[4] = {sxtab16(off2, v0), sxtab16_ror8(off2, v0), sxtab16(off2, v1),
                     sxtab16_ror8(off2, v1)};
    for (uint32_t& x : w) {
      if (dbl) x = sadd16(x, x);
    }
    std::memcpy(dst, w, sizeof w);
  }
}
void im2col_pw(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t P, int32_t pix_stride,
               uint32_t off2) {
  for (int32_t g = 0; g < n8; ++g) {
    for (int32_t p = 0; p < P; ++p, dst += 8) expand8(dbl, dst, src + p * pix_stride + 8 * g, 1, 16, off2);
  }
}
void expand_rows(bool dbl, int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride, uint32_t off2,
                 int32_t rows, int32_t src_stride) {
  for (int32_t r = 0; r < rows; ++r, src += src_stride, dst += n8 * dst_stride / 2) {
    expand8(dbl, dst, src, n8, dst_stride, off2);
  }
}
#endif

// Everything below takes its invariants by value: stores through the int16
// buffer may alias memory GCC cannot rule out (the parameter struct).

// len int8 values from src into pixel slot `pixel` of a [K/8][P][8] block
// at column position k0.
void put_segment(int16_t* x, int32_t P, int32_t pixel, uint32_t off2, bool dbl, const int8_t* src,
                 int32_t k0, int32_t len) {
  if (((k0 | len) & 7) == 0) {
    expand8(dbl, x + gemm_x_index(k0, P, pixel), src, len / 8, 16 * P, off2);
  } else if (((k0 | len) & 3) == 0) {
    for (int32_t i = 0; i < len; i += 4) {
      const uint32_t v = load32(src + i);
      uint32_t a = sxtab16(off2, v);
      uint32_t b = sxtab16_ror8(off2, v);
      if (dbl) {
        a = sadd16(a, a);
        b = sadd16(b, b);
      }
      uint32_t* g = reinterpret_cast<uint32_t*>(x + gemm_x_index(k0 + i, P, pixel));
      g[0] = a;
      g[1] = b;
    }
  } else {
    const int32_t offset = lo16(off2);
    for (int32_t i = 0; i < len; ++i) {
      const int32_t v = (src[i] + offset) * (dbl ? 2 : 1);
      x[gemm_x_index(k0 + i, P, pixel)] = static_cast<int16_t>(v);
    }
  }
}

void put_zeros(int16_t* x, int32_t P, int32_t pixel, int32_t k0, int32_t len) {
  if (((k0 | len) & 3) == 0) {
    for (int32_t i = 0; i < len; i += 4) {
      uint32_t* g = reinterpret_cast<uint32_t*>(x + gemm_x_index(k0 + i, P, pixel));
      g[0] = 0;
      g[1] = 0;
    }
  } else {
    for (int32_t i = 0; i < len; ++i) x[gemm_x_index(k0 + i, P, pixel)] = 0;
  }
}

// Column order. Plain: OHWI order (k = (ky * fw + kx) * cin + ci), used
// when a kernel row is a whole number of 8-byte groups. Packed (rows of
// row_len = 8 * q8 + r bytes, r != 0): each row's q8 full groups first
// (row ky at k = 8 * q8 * ky), then the r-byte remainders of all rows side
// by side (row ky at k = kfull + r * ky), zero-padded to a multiple of 8;
// the weights are reordered the same way when that differs from OHWI.
// Either way every group of 8 comes from one contiguous run of the input.
struct Geometry {
  const int8_t* in;  // batch image
  int32_t H, W, cin, fh, fw, row_len, K, K8;
  int32_t q8, r, kfull;  // packed order (r != 0)
  uint32_t off2;
  int8_t pad_byte;
  bool dbl, packed;
};

// Column of output pixel (iy0, ix0 = window origin) into slot j of a block
// of P pixels.
void put_column(const Geometry& g, int16_t* x, int32_t P, int32_t j, int32_t iy0, int32_t ix0) {
  const bool x_inside = ix0 >= 0 && ix0 + g.fw <= g.W;
  for (int32_t ky = 0; ky < g.fh; ++ky) {
    const int32_t iy = iy0 + ky;
    const int32_t k0 = ky * g.row_len;
    if (iy < 0 || iy >= g.H) {
      put_zeros(x, P, j, k0, g.row_len);
    } else if (x_inside) {
      put_segment(x, P, j, g.off2, g.dbl, g.in + (iy * g.W + ix0) * g.cin, k0, g.row_len);
    } else {
      for (int32_t kx = 0; kx < g.fw; ++kx) {
        const int32_t ix = ix0 + kx;
        const int32_t k = k0 + kx * g.cin;
        if (ix < 0 || ix >= g.W) {
          put_zeros(x, P, j, k, g.cin);
        } else {
          put_segment(x, P, j, g.off2, g.dbl, g.in + (iy * g.W + ix) * g.cin, k, g.cin);
        }
      }
    }
  }
}

// Packed order: the fh input rows of output row oy, padded (pad_byte) to
// every window of the row: rowbuf[ky][col][ci], col = ox * sw + kx.
void fill_rows(const Geometry& g, int8_t* rowbuf, int32_t wp, int32_t iy0, int32_t pad_left) {
  const int32_t row_bytes = wp * g.cin;
  for (int32_t ky = 0; ky < g.fh; ++ky, rowbuf += row_bytes) {
    const int32_t iy = iy0 + ky;
    if (iy < 0 || iy >= g.H) {
      for (int32_t i = 0; i < row_bytes; ++i) rowbuf[i] = g.pad_byte;
      continue;
    }
    // Columns [0, pad_left) and [pad_left + W, wp) are padding (or
    // clipped: pad_left may be negative for a band).
    int32_t c0 = pad_left > 0 ? pad_left : 0;
    int32_t c1 = pad_left + g.W < wp ? pad_left + g.W : wp;
    for (int32_t i = 0; i < c0 * g.cin; ++i) rowbuf[i] = g.pad_byte;
    const int8_t* s = g.in + (iy * g.W + (c0 - pad_left)) * g.cin;
    int8_t* d = rowbuf + c0 * g.cin;
    const int32_t n = (c1 - c0) * g.cin;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) store32(d + i, load32(s + i));
    for (; i < n; ++i) d[i] = s[i];
    for (int32_t k = c1 * g.cin; k < row_bytes; ++k) rowbuf[k] = g.pad_byte;
  }
}

// Packed column of the window at rowbuf column `col` into slot j.
inline void put_packed(const Geometry& g, int16_t* x, int32_t P, int32_t j, const int8_t* rowbuf,
                       int32_t row_bytes, int32_t col, int8_t* rem) {
  const int32_t full = 8 * g.q8;
  const int32_t dstride = 16 * P;
  const int8_t* s = rowbuf + col * g.cin;
  int16_t* d = x + j * 8;
  int8_t* rd = rem;
  for (int32_t ky = 0; ky < g.fh; ++ky, s += row_bytes, rd += g.r) {
    if (full) {
      expand8(g.dbl, d, s, g.q8, dstride, g.off2);
      d += g.q8 * P * 8;
    }
    if (g.r == 4) {
      store32(rd, load32(s + full));
    } else {
      for (int32_t i = 0; i < g.r; ++i) rd[i] = s[full + i];
    }
  }
  const int32_t nrem = g.K8 - g.kfull;
  for (int32_t i = g.fh * g.r; i < nrem; ++i) rem[i] = g.pad_byte;
  expand8(g.dbl, x + (g.kfull / 8 * P + j) * 8, rem, nrem / 8, dstride, g.off2);
}

// Packed columns through offset tables built once per call (block size P
// fixed; remainders other than 4 bytes a row, e.g. vww01's and ic01's first
// layers: 3 channels x 3 columns = 8 + 1): every group of 8 full bytes of
// the window (2 LDR, 4 SXTAB16, 4 stores) and every remainder byte (one
// load, one add, one halfword store) without per-row bookkeeping. Remainder lanes no value is written to
// multiply zero weights, so they are left as they are (the block buffer is
// zeroed once per call, so they are deterministic).
struct PackTab {
  static constexpr int kMax = 64;
  uint16_t gsrc[kMax];  // byte offset of group gi in the window
  uint16_t rsrc[kMax];  // byte offset of remainder value n in the window
  uint16_t roff[kMax];  // halfword offset of remainder value n from the slot's first remainder group
  int32_t ng = 0, nr = 0;
};

bool build_pack_tab(const Geometry& g, int32_t row_bytes, int32_t P, PackTab* t) {
  static constexpr int8_t kLane[8] = {0, 2, 1, 3, 4, 6, 5, 7};
  t->ng = g.fh * g.q8;
  t->nr = g.fh * g.r;
  if (t->ng > PackTab::kMax || t->nr > PackTab::kMax) return false;
  if (static_cast<int64_t>(g.fh) * row_bytes > 60000 || (g.K8 - g.kfull) / 8 * 8 * P > 60000) return false;
  int32_t gi = 0, n = 0;
  for (int32_t ky = 0; ky < g.fh; ++ky) {
    for (int32_t q = 0; q < g.q8; ++q) t->gsrc[gi++] = static_cast<uint16_t>(ky * row_bytes + 8 * q);
    for (int32_t i = 0; i < g.r; ++i, ++n) {
      t->rsrc[n] = static_cast<uint16_t>(ky * row_bytes + 8 * g.q8 + i);
      t->roff[n] = static_cast<uint16_t>((n >> 3) * 8 * P + kLane[n & 7]);
    }
  }
  return true;
}

template <bool Dbl>
void put_packed_tab(const PackTab& t, int16_t* x, int32_t P, int32_t j, int32_t kfull, const int8_t* s,
                    uint32_t off2, int32_t offset) {
  uint32_t* d = reinterpret_cast<uint32_t*>(x + j * 8);
  const int32_t dw = 4 * P;  // words from one group of the block to the next
  for (int32_t gi = 0; gi < t.ng; ++gi, d += dw) {
    const int8_t* p = s + t.gsrc[gi];
    const uint32_t v0 = load32(p), v1 = load32(p + 4);
    uint32_t a = sxtab16(off2, v0), b = sxtab16_ror8(off2, v0);
    uint32_t c = sxtab16(off2, v1), e = sxtab16_ror8(off2, v1);
    if (Dbl) {
      a = sadd16(a, a);
      b = sadd16(b, b);
      c = sadd16(c, c);
      e = sadd16(e, e);
    }
    d[0] = a;
    d[1] = b;
    d[2] = c;
    d[3] = e;
  }
  int16_t* const rb = x + (kfull / 8 * P + j) * 8;
  for (int32_t n = 0; n < t.nr; ++n) {
    rb[t.roff[n]] = static_cast<int16_t>((s[t.rsrc[n]] + offset) * (Dbl ? 2 : 1));
  }
}

// int16 weights (conv_layout.h): 1x1, stride 1, whole rows (a row band:
// pad_h <= 0), 4 consecutive pixels a block (then one at a time), the GEMM
// over the weights as they are in flash.
bool conv2d_int16(const ConvParams& p, const int8_t* input, int8_t* output, Scratch scratch) {
  const int32_t cin = p.input.c, cout = p.output.c;
  const int32_t H = p.input.h, W = p.input.w, OH = p.output.h, OW = p.output.w, N = p.output.n;
  const int32_t ph = p.pad_h;
  if (p.filter.h != 1 || p.filter.w != 1 || p.filter.c != cin || p.stride_h != 1 || p.stride_w != 1 ||
      p.dilation_h != 1 || p.dilation_w != 1 || p.pad_w != 0 || OW != W || ph > 0 || OH - ph > H ||
      cin < 8 || cin % 8 != 0) {
    return false;
  }
  if (p.bias == nullptr || !p.requant.per_channel) return false;
  if ((reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0) return false;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.bias, cout, cin, &mode)) return false;
  mode.dbl = mode.dbl && 5 * cout > 2 * cin;
  const std::size_t col = 2 * static_cast<std::size_t>(cin);
  if (col > scratch_bytes(scratch)) return false;
  const int32_t P = scratch_bytes(scratch) >= 4 * col ? 4 : 1;
  const uint32_t off2 = (static_cast<uint32_t>(p.input_offset) & 0xFFFFu) | (static_cast<uint32_t>(p.input_offset) << 16);
  int16_t* const xbuf = scratch16(scratch);
  GemmArgs a;
  a.mult_end = p.requant.multiplier + cout;
  a.zpc = mode.fold ? 2 * p.requant.output_offset + 1 : 1;
  a.zp = p.requant.output_offset;
  a.stride = cout;
  a.stride3 = 3 * cout;
  a.xbuf = xbuf;
  a.entry = 0;
  a.w = p.filter_data;
  a.steps = cin / 8;
  const int32_t pixels = OH * OW;
  for (int32_t n = 0; n < N; ++n) {
    const int8_t* src = input + (n * H - ph) * W * cin;
    int8_t* out_n = output + n * pixels * cout;
    for (int32_t pix = 0; pix < pixels;) {
      const int32_t np = pixels - pix >= P ? P : 1;
      im2col_pw(mode.dbl, xbuf, src + pix * cin, cin / 8, np, cin, off2);
      a.mult = p.requant.multiplier;
      a.shift = p.requant.shift;
      a.bias = p.bias;
      a.out = out_n + pix * cout;
      gemm16_run(np, mode, a);
      pix += np;
    }
  }
  return true;
}

}  // namespace

// int16-weight convolutions conv2d_int16 refuses: the reference's
// arithmetic (any stride and padding of a 1x1 filter), each weight read
// from the layout.
void conv2d_int16_plain(const ConvParams& p, const int8_t* input, int8_t* output) {
  if (p.filter_layout == kConvSmallK) return conv2d_smallk_plain(p, input, output);
  const int32_t K = p.input.c, cout = p.output.c;
  const int32_t H = p.input.h, W = p.input.w, OH = p.output.h, OW = p.output.w;
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < OH; ++oy) {
      for (int32_t ox = 0; ox < OW; ++ox) {
        const int32_t iy = oy * p.stride_h - p.pad_h, ix = ox * p.stride_w - p.pad_w;
        const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        const int8_t* in = input + ((n * H + iy) * W + ix) * K;
        int8_t* out = output + ((n * OH + oy) * OW + ox) * cout;
        for (int32_t c = 0; c < cout; ++c) {
          uint32_t acc = p.bias != nullptr ? static_cast<uint32_t>(p.bias[c]) : 0u;
          if (inside) {
            for (int32_t k = 0; k < K; ++k) {
              acc += static_cast<uint32_t>((in[k] + p.input_offset) * conv_int16_weight(p.filter_data, K, c, k));
            }
          }
          out[c] = ref::detail::requantize(static_cast<int32_t>(acc), p.requant, c);
        }
      }
    }
  }
}

bool conv2d_gemm(const ConvParams& p, const int8_t* input, int8_t* output, Scratch scratch) {
  if (p.filter_layout == kConvInt16) return conv2d_int16(p, input, output, scratch);
  if (p.filter_layout == kConvSmallK) return conv2d_smallk(p, input, output, scratch);
  if (p.filter_layout != 0) return false;
  if (p.filter.c != p.input.c || p.dilation_h != 1 || p.dilation_w != 1) return false;
  if (p.bias == nullptr || !p.requant.per_channel) return false;
  const int32_t cin = p.input.c;
  const int32_t fh = p.filter.h, fw = p.filter.w;
  const int32_t K = fh * fw * cin;
  const int32_t row_len = fw * cin;
  const int32_t q8 = row_len / 8, r = row_len % 8;
  const bool packed = r != 0;
  const int32_t kfull = fh * 8 * q8;
  const int32_t K8 = packed ? kfull + ((fh * r + 7) & ~7) : K;
  if (packed && (row_len > 256 || K8 - kfull > 256)) return false;
  const int32_t cout = p.output.c;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.bias, cout, K, &mode)) return false;
  // Doubled activations cost K/2 SADD16 per pixel and save ~5 instructions
  // per channel and 4-pixel block.
  mode.dbl = mode.dbl && 5 * cout > 2 * K;

  // Weights: used in place when the column order is OHWI with rows of a
  // multiple of 8 bytes on a 4-byte boundary, else copied (reordered,
  // zero-padded) into the scratch.
  const bool reorder = packed && q8 > 0;
  const bool copy_w = reorder || K8 != K || (reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0;
  const std::size_t w_bytes = copy_w ? static_cast<std::size_t>(cout) * K8 : 0;
  // Packed order: a row buffer of the fh input rows of an output row.
  const int32_t wp = (p.output.w - 1) * p.stride_w + fw;
  const std::size_t rb_bytes = packed ? (static_cast<std::size_t>(fh) * wp * cin + 3) & ~std::size_t{3} : 0;
  if (w_bytes + rb_bytes + 2 * static_cast<std::size_t>(K8) > scratch_bytes(scratch)) return false;
  int32_t P = static_cast<int32_t>((scratch_bytes(scratch) - w_bytes - rb_bytes) / (2 * static_cast<std::size_t>(K8)));
  if (P > 4) P = 4;

  int8_t* wcopy = reinterpret_cast<int8_t*>(scratch16(scratch));
  int8_t* rowbuf = reinterpret_cast<int8_t*>(scratch16(scratch)) + w_bytes;
  int16_t* xbuf = scratch16(scratch) + (w_bytes + rb_bytes) / 2;
  if (copy_w) {
    for (int32_t c = 0; c < cout; ++c) {
      const int8_t* src = p.filter_data + c * K;
      int8_t* dst = wcopy + c * K8;
      if (reorder) {
        for (int32_t ky = 0; ky < fh; ++ky) {
          const int8_t* row = src + ky * row_len;
          for (int32_t i = 0; i < 8 * q8; ++i) dst[ky * 8 * q8 + i] = row[i];
          for (int32_t i = 0; i < r; ++i) dst[kfull + ky * r + i] = row[8 * q8 + i];
        }
        for (int32_t i = kfull + fh * r; i < K8; ++i) dst[i] = 0;
      } else {
        for (int32_t i = 0; i < K; ++i) dst[i] = src[i];
        for (int32_t i = K; i < K8; ++i) dst[i] = 0;
      }
    }
  }

  // Loop invariants as locals (see put_segment).
  const int32_t H = p.input.h, W = p.input.w;
  const int32_t OH = p.output.h, OW = p.output.w, N = p.output.n;
  const int32_t sh = p.stride_h, sw = p.stride_w, ph = p.pad_h, pw = p.pad_w;
  const int32_t* const mult = p.requant.multiplier;
  const int32_t* const shift = p.requant.shift;
  const int32_t* const bias = p.bias;
  Geometry g;
  g.H = H;
  g.W = W;
  g.cin = cin;
  g.fh = fh;
  g.fw = fw;
  g.row_len = row_len;
  g.K = K;
  g.K8 = K8;
  g.q8 = q8;
  g.r = r;
  g.kfull = kfull;
  g.off2 = (static_cast<uint32_t>(p.input_offset) & 0xFFFFu) | (static_cast<uint32_t>(p.input_offset) << 16);
  g.pad_byte = static_cast<int8_t>(-p.input_offset);
  g.dbl = mode.dbl;
  g.packed = packed;

  GemmArgs a;
  a.mult_end = mult + cout;
  a.zpc = mode.fold ? 2 * p.requant.output_offset + 1 : 1;
  a.zp = p.requant.output_offset;
  a.stride = cout;
  a.stride3 = 3 * cout;
  a.xbuf = xbuf;
  a.entry = 0;
  a.w = copy_w ? wcopy : p.filter_data;
  a.steps = K8 / 8;

  // 1x1, stride 1, whole rows: the block's pixels are consecutive input
  // pixels (possibly a row band: pad_h <= 0).
  const bool pw_fast = fh == 1 && fw == 1 && sh == 1 && sw == 1 && pw == 0 && OW == W && ph <= 0 &&
                       OH - ph <= H && cin % 8 == 0;
  const int32_t pixels = OH * OW;
  alignas(4) int8_t rem[256];
  // Packed order: offset tables for the full blocks (P pixels), and the
  // block buffer zeroed once (remainder lanes not written stay finite).
  PackTab tab;
  const bool use_tab = packed && r != 4 && build_pack_tab(g, wp * cin, P, &tab);
  if (use_tab) {
    uint32_t* z = reinterpret_cast<uint32_t*>(xbuf);
    for (int32_t i = 0; i < K8 * P / 2; ++i) z[i] = 0;
  }
  for (int32_t n = 0; n < N; ++n) {
    g.in = input + n * H * W * cin;
    int8_t* out_n = output + n * pixels * cout;
    const int8_t* pw_src = g.in - ph * W * cin;
    int32_t oy = 0, ox = 0, rows_oy = -1;
    for (int32_t pix = 0; pix < pixels; pix += P) {
      const int32_t np = pixels - pix < P ? pixels - pix : P;
      if (pw_fast) {
        im2col_pw(g.dbl, xbuf, pw_src + pix * cin, cin / 8, np, cin, g.off2);
      } else if (packed) {
        const bool fast = use_tab && np == P;
        for (int32_t j = 0; j < np; ++j) {
          if (oy != rows_oy) {
            fill_rows(g, rowbuf, wp, oy * sh - ph, pw);
            rows_oy = oy;
          }
          if (fast) {
            const int8_t* win = rowbuf + ox * sw * cin;
            if (g.dbl) {
              put_packed_tab<true>(tab, xbuf, np, j, kfull, win, g.off2, lo16(g.off2));
            } else {
              put_packed_tab<false>(tab, xbuf, np, j, kfull, win, g.off2, lo16(g.off2));
            }
          } else {
            put_packed(g, xbuf, np, j, rowbuf, wp * cin, ox * sw, rem);
          }
          if (++ox == OW) {
            ox = 0;
            ++oy;
          }
        }
      } else {
        for (int32_t j = 0; j < np; ++j) {
          const int32_t iy0 = oy * sh - ph, ix0 = ox * sw - pw;
          if (iy0 >= 0 && iy0 + fh <= H && ix0 >= 0 && ix0 + fw <= W) {
            // Interior: fh row segments of fw * cin bytes, one call.
            expand_rows(g.dbl, xbuf + j * 8, g.in + (iy0 * W + ix0) * cin, g.row_len / 8, 16 * np, g.off2,
                        fh, W * cin);
          } else {
            put_column(g, xbuf, np, j, iy0, ix0);
          }
          if (++ox == OW) {
            ox = 0;
            ++oy;
          }
        }
      }
      a.mult = mult;
      a.shift = shift;
      a.bias = bias;
      a.out = out_n + pix * cout;
      gemm_run(np, mode, a);
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
