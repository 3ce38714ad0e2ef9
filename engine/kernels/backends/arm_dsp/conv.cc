// CONV_2D on Cortex-M4: im2col of up to 4 output pixels into int16 (input
// offset added, padding = 0) and the GEMM microkernel over all channels.
#include "conv.h"

#include "gemm.h"
#include "scratch.h"

namespace tp::kernels::arm_dsp {

alignas(8) int16_t g_scratch[kScratchBytes / 2];

namespace {

struct ColumnWriter {
  int16_t* x;      // block base
  int32_t P;       // pixels in the block (layout parameter)
  int32_t pixel;   // slot being written
  uint32_t off2;   // input offset in both halfwords
  int32_t offset;  // input offset
  bool dbl;

  // Halfword pointer of the 4-group starting at k (k % 4 == 0).
  uint32_t* group(int32_t k) const {
    return reinterpret_cast<uint32_t*>(x + gemm_x_index(k, P, pixel));
  }

  // len int8 values from src at column position k0.
  void segment(const int8_t* src, int32_t k0, int32_t len) const {
    if (((k0 | len) & 3) == 0) {
      for (int32_t i = 0; i < len; i += 4) {
        const uint32_t v = load32(src + i);
        uint32_t a = sxtab16(off2, v);
        uint32_t b = sxtab16_ror8(off2, v);
        if (dbl) {
          a = sadd16(a, a);
          b = sadd16(b, b);
        }
        uint32_t* g = group(k0 + i);
        g[0] = a;
        g[1] = b;
      }
    } else {
      for (int32_t i = 0; i < len; ++i) {
        const int32_t v = (src[i] + offset) * (dbl ? 2 : 1);
        x[gemm_x_index(k0 + i, P, pixel)] = static_cast<int16_t>(v);
      }
    }
  }

  void zeros(int32_t k0, int32_t len) const {
    if (((k0 | len) & 3) == 0) {
      for (int32_t i = 0; i < len; i += 4) {
        uint32_t* g = group(k0 + i);
        g[0] = 0;
        g[1] = 0;
      }
    } else {
      for (int32_t i = 0; i < len; ++i) x[gemm_x_index(k0 + i, P, pixel)] = 0;
    }
  }
};

}  // namespace

bool conv2d_gemm(const ConvParams& p, const int8_t* input, int8_t* output) {
  if (p.filter.c != p.input.c || p.dilation_h != 1 || p.dilation_w != 1) return false;
  if (p.bias == nullptr || !p.requant.per_channel) return false;
  const int32_t cin = p.input.c;
  const int32_t fh = p.filter.h, fw = p.filter.w;
  const int32_t K = fh * fw * cin;
  const int32_t K8 = (K + 7) & ~7;
  const int32_t cout = p.output.c;
  GemmMode mode;
  if (!gemm_mode_for(p.requant, p.bias, cout, K, &mode)) return false;
  // Doubled activations cost K/2 SADD16 per pixel and save ~5 instructions
  // per channel and 4-pixel block.
  mode.dbl = mode.dbl && 5 * cout > 2 * K;

  // Weights: used in place when rows are 8-byte multiples on a 4-byte
  // boundary, else copied into the scratch with zero-padded rows.
  const bool copy_w = K8 != K || (reinterpret_cast<uintptr_t>(p.filter_data) & 3) != 0;
  const std::size_t w_bytes = copy_w ? static_cast<std::size_t>(cout) * K8 : 0;
  if (w_bytes + 2 * static_cast<std::size_t>(K8) > kScratchBytes) return false;
  int32_t P = static_cast<int32_t>((kScratchBytes - w_bytes) / (2 * static_cast<std::size_t>(K8)));
  if (P > 4) P = 4;
  // Columns whose taps are not whole 4-byte groups are gathered as int8
  // first (padding = -input_offset, which the expansion turns into 0).
  const bool gather = cin % 4 != 0;
  if (gather && K8 > 256) return false;

  int8_t* wcopy = reinterpret_cast<int8_t*>(g_scratch);
  int16_t* xbuf = g_scratch + w_bytes / 2;
  if (copy_w) {
    for (int32_t c = 0; c < cout; ++c) {
      const int8_t* src = p.filter_data + c * K;
      int8_t* dst = wcopy + c * K8;
      for (int32_t i = 0; i < K; ++i) dst[i] = src[i];
      for (int32_t i = K; i < K8; ++i) dst[i] = 0;
    }
  }

  ColumnWriter col{};
  col.x = xbuf;
  col.offset = p.input_offset;
  col.off2 = (static_cast<uint32_t>(p.input_offset) & 0xFFFFu) | (static_cast<uint32_t>(p.input_offset) << 16);
  col.dbl = mode.dbl;
  const int8_t pad_byte = static_cast<int8_t>(-p.input_offset);

  GemmArgs a{};
  a.mult_end = p.requant.multiplier + cout;
  a.zpc = mode.fold ? 2 * p.requant.output_offset + 1 : 1;
  a.zp = p.requant.output_offset;
  a.stride = cout;
  a.stride3 = 3 * cout;
  a.xbuf = xbuf;
  a.w = copy_w ? wcopy : p.filter_data;
  a.steps = K8 / 8;

  const int32_t pixels = p.output.h * p.output.w;
  const int32_t row_len = fw * cin;
  alignas(4) int8_t tmp[256];
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in_n = input + n * p.input.h * p.input.w * cin;
    int8_t* out_n = output + n * pixels * cout;
    int32_t oy = 0, ox = 0;
    for (int32_t pix = 0; pix < pixels; pix += P) {
      const int32_t np = pixels - pix < P ? pixels - pix : P;
      col.P = np;
      for (int32_t j = 0; j < np; ++j) {
        col.pixel = j;
        const int32_t iy0 = oy * p.stride_h - p.pad_h;
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        if (gather) {
          for (int32_t ky = 0; ky < fh; ++ky) {
            const int32_t iy = iy0 + ky;
            int8_t* d = tmp + ky * row_len;
            if (iy < 0 || iy >= p.input.h) {
              for (int32_t i = 0; i < row_len; ++i) d[i] = pad_byte;
            } else if (ix0 >= 0 && ix0 + fw <= p.input.w) {
              const int8_t* s = in_n + (iy * p.input.w + ix0) * cin;
              for (int32_t i = 0; i < row_len; ++i) d[i] = s[i];
            } else {
              for (int32_t kx = 0; kx < fw; ++kx) {
                const int32_t ix = ix0 + kx;
                if (ix >= 0 && ix < p.input.w) {
                  const int8_t* s = in_n + (iy * p.input.w + ix) * cin;
                  for (int32_t ci = 0; ci < cin; ++ci) d[kx * cin + ci] = s[ci];
                } else {
                  for (int32_t ci = 0; ci < cin; ++ci) d[kx * cin + ci] = pad_byte;
                }
              }
            }
          }
          for (int32_t i = K; i < K8; ++i) tmp[i] = pad_byte;
          col.segment(tmp, 0, K8);
        } else {
          for (int32_t ky = 0; ky < fh; ++ky) {
            const int32_t iy = iy0 + ky;
            const int32_t k0 = ky * row_len;
            if (iy < 0 || iy >= p.input.h) {
              col.zeros(k0, row_len);
            } else if (ix0 >= 0 && ix0 + fw <= p.input.w) {
              col.segment(in_n + (iy * p.input.w + ix0) * cin, k0, row_len);
            } else {
              for (int32_t kx = 0; kx < fw; ++kx) {
                const int32_t ix = ix0 + kx;
                if (ix < 0 || ix >= p.input.w) {
                  col.zeros(k0 + kx * cin, cin);
                } else {
                  col.segment(in_n + (iy * p.input.w + ix) * cin, k0 + kx * cin, cin);
                }
              }
            }
          }
          if (K8 != K) col.zeros(K, K8 - K);
        }
        if (++ox == p.output.w) {
          ox = 0;
          ++oy;
        }
      }
      a.mult = p.requant.multiplier;
      a.shift = p.requant.shift;
      a.bias = p.bias;
      a.out = out_n + pix * cout;
      gemm_run(np, mode, a);
    }
  }
  return true;
}

}  // namespace tp::kernels::arm_dsp
