// How much kernel scratch the arm_mve (Helium) kernels want for one layer,
// so that the model compiler plans it inside the arena (it includes this
// file through cmake/kernel_backends.cmake) and the generated code passes it
// with each call (tp::kernels::Scratch). The kernels keep no large buffer on
// the stack: they use this range and fall back to the reference kernel when
// they get less than they need (tested by test/kernel_test.cc). Host code
// includes this file too: no Helium here.
#pragma once

#include <cstdint>

#include "conv_layout.h"  // (the compiler reads the layout from here too)
#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/scratch_need.h"

namespace tp::kernels::arm_mve {

// CONV_2D through im2col (first layers, borders of 3x3 convolutions): rows
// of pixels, each K = kh*kw*C_in bytes padded to 16; at least two rows.
inline constexpr uint32_t kColBytes = 1536;
// Single-channel inputs (kws01's 10x4x1 first layer) take at most this much
// im2col scratch (24 rows of 48 bytes): that layer's scratch is kws01's
// arena peak, and with less of it the depthwise layers run in 2 bands
// instead of 3 within the RAM goal (arch/cortex_m55/cpu.cmake's band budget).
inline constexpr uint32_t kColBytesShallow = 1200;
// Windows of K_pad <= 576 (3x3 over 3 channels in the first layers of
// vww01, ic01 and ic02; ic01's 3x3 borders over 16-64 channels) take up to
// this much: longer runs (vww01's first layer: 94 pixels instead of 46), so
// fewer im2col set-ups and GEMM calls, for up to 1.5 KB more arena where
// the layer is the peak (vww01, ic02).
inline constexpr uint32_t kColBytesNarrow = 3072;
inline constexpr int64_t kColNarrowMaxKPad = 576;
// DEPTHWISE_CONV_2D 3x3: the planar buffer of one channel's band of rows is
// at most this big (taller inputs run in bands), plus 16 bytes of over-read.
// 2560: vww01's 48x48 planes (50 x 50 bytes with the padding) in one band
// (with 1024 they ran in 3, each paying the rows it shares and the
// per-channel set-up again); its depthwise layers are off the arena's peak.
inline constexpr uint32_t kPlaneMaxBytes = 2560;
inline constexpr uint32_t kPlaneSlack = 16;

// 1x1 convolution in place (no scratch): C_in a multiple of 16, no padding,
// at least two pixels a row (the GEMM runs pixel pairs). Fewer: im2col.
inline bool conv_in_place(const ConvParams& p) {
  if (p.filter.h != 1 || p.filter.w != 1 || p.input.c % 16 != 0 || p.pad_h != 0 || p.pad_w != 0) return false;
  if (p.stride_h == 1 && p.stride_w == 1 && p.input.h == p.output.h && p.input.w == p.output.w) {
    return static_cast<int64_t>(p.output.n) * p.output.h * p.output.w >= 2;
  }
  return p.output.w >= 2;
}

// 1x1, C_in = 8, stride 1, C_out <= 32: the weight rows [w|0], [0|w] of
// 2 C_out virtual channels, 16 bytes each.
inline bool conv_1x1_c8_shape(const ConvParams& p) {
  return p.filter.h == 1 && p.filter.w == 1 && p.input.c == 8 && p.stride_h == 1 && p.stride_w == 1 &&
         p.pad_h == 0 && p.pad_w == 0 && p.input.h == p.output.h && p.input.w == p.output.w &&
         p.output.c <= 32;
}

// Output columns whose windows' columns all lie inside the input
// (dilation_w 1): ox in [lo, hi); hi is not clamped to the output width.
struct ColsInside {
  int32_t lo, hi;
};
inline ColsInside cols_inside(const ConvParams& p) {
  const int32_t num = p.input.w - p.filter.w + p.pad_w;
  return {p.pad_w <= 0 ? 0 : (p.pad_w + p.stride_w - 1) / p.stride_w, num < 0 ? 0 : num / p.stride_w + 1};
}

// The gather im2col (conv.cc): every window tap within 255 bytes of the
// window's first, K_pad <= 64, the rows / columns of every tap comparable in
// 8-bit lanes. Its tables (kGatherTableBytes: the masks' tables; with the
// strip below, im2col_gather_table_bytes) sit at the scratch's end.
inline constexpr int32_t kGatherTableBytes = 192;
inline bool im2col_gather_shape(const ConvParams& p, int32_t k_pad) {
  if (p.dilation_w != 1 || k_pad > 64) return false;
  const int32_t seg = p.filter.w * p.input.c;
  const int32_t dy = p.dilation_h * p.input.w * p.input.c;
  if ((p.filter.h - 1) * dy + seg - 1 > 255) return false;
  // Rows and columns of every tap in [-128, 255] and the tensor under 128:
  // the 8-bit unsigned compare is then exact.
  const int32_t iy_max = (p.output.h - 1) * p.stride_h - p.pad_h + (p.filter.h - 1) * p.dilation_h;
  const int32_t ix_max = (p.output.w - 1) * p.stride_w - p.pad_w + p.filter.w - 1;
  return p.input.h < 128 && p.input.w < 128 && p.pad_h <= 128 && p.pad_w <= 128 &&
         iy_max <= 255 && ix_max <= 255;
}

// The gather im2col's strip (conv.cc im2col_gather_t), for output rows with
// a window in the padding: the filter's rows of the input under the output
// row, copied into a strip as wide as the columns the row's windows cover
// (strip column s: input column s - pad_w), the input zero point around,
// so that every pixel of the row gathers from it as an interior one does.
// Chosen by shape where a row's copies (~5 instructions a 16-byte chunk)
// cost less than the masked gathers of a full row's border pixels (~10
// more a chunk than a plain gather): narrow outputs like kws01's 10x4 first
// layer (5 pixels a row, 2 at the border, 10 rows of 12 bytes). Its tables:
// the window's offsets in the input and in the strip (K_pad bytes each),
// then the strip.
inline int32_t im2col_strip_row_bytes(const ConvParams& p) {
  return ((p.output.w - 1) * p.stride_w + p.filter.w) * p.input.c;
}
inline bool im2col_strip_shape(const ConvParams& p, int32_t k_pad) {
  if (!im2col_gather_shape(p, k_pad)) return false;
  const int32_t srow = im2col_strip_row_bytes(p);
  if ((p.filter.h - 1) * srow + p.filter.w * p.input.c - 1 > 255) return false;
  const ColsInside in = cols_inside(p);
  const int32_t ox_lo = in.lo;
  int32_t ox_hi = in.hi;
  if (ox_hi > p.output.w) ox_hi = p.output.w;
  if (ox_hi < ox_lo) ox_hi = ox_lo;
  const int32_t border = ox_lo + (p.output.w - ox_hi);  // border pixels of a row
  if (border == 0) {
    // Only rows above or below: their strips (the other rows gather from
    // the input).
    return p.pad_h > 0 ||
           (p.output.h - 1) * p.stride_h - p.pad_h + (p.filter.h - 1) * p.dilation_h >= p.input.h;
  }
  const int32_t strip_cost = p.filter.h * ((srow + 15) / 16) * 5;
  return strip_cost <= border * (k_pad / 16) * 10;
}
inline uint32_t im2col_strip_bytes(const ConvParams& p) {
  return static_cast<uint32_t>(scratch_align16(static_cast<uint64_t>(p.filter.h) * im2col_strip_row_bytes(p)));
}
// The gather im2col's tables: the strip's (above) or kGatherTableBytes.
inline uint32_t im2col_gather_table_bytes(const ConvParams& p, int32_t k_pad) {
  if (im2col_strip_shape(p, k_pad)) return static_cast<uint32_t>(2 * k_pad) + im2col_strip_bytes(p);
  return im2col_gather_shape(p, k_pad) ? static_cast<uint32_t>(kGatherTableBytes) : 0;
}

// The scratch of scratch_need_conv.
inline ScratchNeed scratch_need_conv_scratch(const ConvParams& p) {
  // (No output over input: the GEMM kernels loop over groups of 4 output
  // channels outside the pixel pairs, so each group reads every pixel.)
  if (conv_in_place(p)) return {};
  // (the 8-channel block layout's layers: the b8 kernels or the plain
  // fallback, neither with scratch; the compiler writes the layout for every
  // layer that fits)
  if (conv_block8_fit(p)) return {};
  if (conv_1x1_c8_shape(p)) return {static_cast<uint32_t>(32 * p.output.c), false};
  // im2col: runs of pixels up to kColBytes; no more than the whole output
  // needs (two rows at least, 16 bytes of over-write).
  const int64_t k_pad = (static_cast<int64_t>(p.filter.h) * p.filter.w * p.filter.c + 15) / 16 * 16;
  int64_t pixels = static_cast<int64_t>(p.output.h) * p.output.w;
  if (pixels < 2) pixels = 2;
  // Too deep for im2col: the generic Helium path (conv_generic.cc) wants two
  // interleaved window columns of K rounded up to 16 bytes each (pixel
  // pairs; up to kColBytes taps); deeper: reference kernel. (Shallower
  // shapes it takes get the im2col size below, at least 2 * k_pad.)
  if (2 * k_pad + 16 > kColBytes) {
    const int64_t k = static_cast<int64_t>(p.filter.h) * p.filter.w * p.filter.c;
    if (k > 0 && k <= kColBytes) return {scratch_align16(static_cast<uint64_t>(4 * k_pad)), false};
    return {};
  }
  // The gather tables beside the rows (single-channel inputs: inside the
  // cap, kws01's first layer is the arena's peak).
  const int32_t tables = static_cast<int32_t>(im2col_gather_table_bytes(p, static_cast<int32_t>(k_pad)));
  const int64_t want = pixels * k_pad + 16 + tables;
  const uint32_t wide = k_pad <= kColNarrowMaxKPad ? kColBytesNarrow : kColBytes;
  const uint32_t cap = p.filter.c == 1 ? kColBytesShallow : wide + tables;
  return {want < cap ? scratch_align16(static_cast<uint64_t>(want)) : cap, false};
}

// The im2col kernels of K = 40 and K = 27 (gen_gemm_asm.py UNPRED_TAIL:
// tp_mve_gemm_col40*, col27*) read their weight rows' last 16-byte chunk
// whole, up to 8 bytes past the last row: the filter arrays of rows that are
// not a multiple of 16 bytes get 16 zero bytes after them.
inline ScratchNeed scratch_need_conv(const ConvParams& p) {
  ScratchNeed n = scratch_need_conv_scratch(p);
  n.filter_read_past = (p.filter.h * p.filter.w * p.filter.c) % 16 != 0 ? 16 : 0;
  return n;
}

// Geometry of the 3x3 depthwise kernel (depthwise.cc): plane row bytes pw,
// block rows, rows per band beyond 2 per block row. ok = false: the shape
// does not fit the kernel (reference kernel, no scratch).
// group = 4: the plane interleaves 4 channels (pixel = 4 bytes, one copy
// per 4 channels); 1: one channel's plane.
struct DwGeometry {
  bool ok = false;
  int32_t pw = 0;
  int32_t block_rows = 0;
  int32_t band_extra = 0;
  int32_t group = 1;
};

// Pixels copied per plane row (input columns the plane covers).
inline int32_t dw_copy_n(const DepthwiseConvParams& p, int32_t pw) {
  const int32_t x0 = -p.pad_w;
  const int32_t lo = x0 > 0 ? x0 : 0;
  const int32_t hi = x0 + pw < p.input.w ? x0 + pw : p.input.w;
  return hi - lo;
}

// 4 channels interleaved when C % 4 == 0, the window's byte offsets stay
// below 256, the copy takes at most 8 word gathers a row (32 pixels) and a
// band of one block row fits the plane limit.
inline int32_t dw_group(const DepthwiseConvParams& p, const DwGeometry& g) {
  const int32_t s = p.stride_h;
  if (p.output.c % 4 != 0) return 1;
  if (4 * (s == 1 ? 3 * g.pw + 3 : 2 * g.pw + 4) > 255) return 1;
  const int32_t n = dw_copy_n(p, g.pw);
  if (n < 1 || n > 32) return 1;
  if (4 * g.pw * (2 + g.band_extra) > static_cast<int32_t>(kPlaneMaxBytes)) return 1;
  return 4;
}

inline DwGeometry dw_geometry(const DepthwiseConvParams& p) {
  DwGeometry g;
  if (p.depth_multiplier != 1 || p.filter.h != 3 || p.filter.w != 3) return g;
  if (p.dilation_h != 1 || p.dilation_w != 1) return g;
  const int32_t s = p.stride_h;
  if (s != p.stride_w || (s != 1 && s != 2)) return g;
  const int32_t out_w = p.output.w;
  if (s == 1) {
    g.pw = 2 * (out_w / 2 + (out_w & 1)) + 2;
    g.band_extra = 2;
    g.block_rows = (p.output.h + 1) / 2;
  } else {
    g.pw = 8 * (out_w / 4 + ((out_w & 3) != 0 ? 1 : 0)) + 1;
    g.band_extra = 1;
    g.block_rows = p.output.h;
  }
  if ((s == 1 ? 3 * g.pw + 3 : 2 * g.pw + 4) > 255 || 8 * p.output.c > 65535) return g;
  // stride 1: halfword store offsets up to an output row and 3 pixels
  if (s == 1 && static_cast<int64_t>(out_w + 3) * p.output.c > 65535) return g;
  g.ok = g.pw * (2 + g.band_extra) <= static_cast<int32_t>(kPlaneMaxBytes);
  if (g.ok) g.group = dw_group(p, g);
  return g;
}

// Small stride-1 outputs as per-channel records (depthwise.cc dw_records,
// gen_gemm_asm.py dwr_kernel): 3x3, depth multiplier 1, padding 1 on every
// side (the output as large as the input), H = W in 3..7 (DWR_SIZES),
// C % 16 == 0; kDwrChannels records at a time, each 32 bytes of values and
// weights, then the 2x2 blocks' padded plane (the planar kernel's).
inline constexpr int32_t kDwrChannels = 16;
constexpr int32_t dw_record_bytes(int32_t h, int32_t w) {
  const int32_t pw = 2 * ((w + 1) / 2) + 2, ph = 2 * ((h + 1) / 2) + 2;
  return 32 + (pw * ph + 15) / 16 * 16;
}
inline bool dw_records_shape(const DepthwiseConvParams& p) {
  if (p.depth_multiplier != 1 || p.filter.h != 3 || p.filter.w != 3) return false;
  if (p.dilation_h != 1 || p.dilation_w != 1 || p.stride_h != 1 || p.stride_w != 1) return false;
  if (p.pad_h != 1 || p.pad_w != 1 || p.output.c % 16 != 0 || p.output.c <= 0) return false;
  const int32_t h = p.output.h, w = p.output.w;
  if (p.input.h != h || p.input.w != w || h != w) return false;
  return h >= 3 && h <= 7;
}
// The records, then the kernel's tables (scatter, window and store offsets,
// per-tensor multiplier and shift copies: kDwrTableBytes, off the stack).
inline constexpr int32_t kDwrTableBytes = 256;
inline uint32_t dw_records_scratch(const DepthwiseConvParams& p) {
  if (!dw_records_shape(p)) return 0;
  return static_cast<uint32_t>(kDwrChannels * dw_record_bytes(p.output.h, p.output.w) + kDwrTableBytes);
}

// Channels in vector lanes (depthwise.cc dw_lanes): 3x3, dilation 1,
// C % 16 == 0, at most 9 outputs a channel; its scratch: a row of C input
// zero points.
inline bool dw_lanes_shape(const DepthwiseConvParams& p) {
  if ((p.output.c & 15) != 0 || p.output.c == 0) return false;
  if (p.depth_multiplier != 1 || p.filter.h != 3 || p.filter.w != 3) return false;
  if (p.dilation_h != 1 || p.dilation_w != 1) return false;
  return static_cast<int64_t>(p.output.h) * p.output.w <= 9;
}

// Channels in vector lanes for any other depthwise shape (dw_column.cc
// depthwise_lanes): depth multiplier 1, 2, 4, 8 or 16, at most
// kLanesMaxTaps taps.
inline constexpr int32_t kLanesMaxTaps = 64;
inline bool dw_lanes_any_shape(const DepthwiseConvParams& p) {
  const int32_t m = p.depth_multiplier;
  if ((m != 1 && m != 2 && m != 4 && m != 8 && m != 16) || p.output.c <= 0) return false;
  if (p.input.c * m != p.output.c) return false;
  if (p.filter.h < 1 || p.filter.w < 1 || p.stride_h < 1 || p.stride_w < 1) return false;
  if (p.dilation_h < 1 || p.dilation_w < 1) return false;
  return static_cast<int64_t>(p.filter.h) * p.filter.w <= kLanesMaxTaps;
}

// A column whose every output row has all its taps inside the input walks
// its taps with one pointer: no scratch.
inline bool dw_lanes_walk_only(const DepthwiseConvParams& p) {
  if (p.filter.w != 1 || p.input.w != 1 || p.output.w != 1 || p.pad_w != 0) return false;
  if (p.pad_h < 0) return false;
  const int64_t last = static_cast<int64_t>(p.output.h - 1) * p.stride_h - p.pad_h +
                       static_cast<int64_t>(p.filter.h - 1) * p.dilation_h;
  return p.pad_h == 0 && last < p.input.h;
}

// Other shapes: the taps' pointers of one output pixel (4 bytes each,
// rounded up to 16), then a row of C input zero points.
inline uint32_t dw_lanes_list_bytes(const DepthwiseConvParams& p) {
  return static_cast<uint32_t>(scratch_align16(static_cast<uint64_t>(4 * p.filter.h * p.filter.w)));
}
inline uint32_t dw_lanes_any_scratch(const DepthwiseConvParams& p) {
  if (dw_lanes_walk_only(p)) return 0;
  return static_cast<uint32_t>(scratch_align16(dw_lanes_list_bytes(p) + static_cast<uint64_t>(p.output.c)));
}

// Output over input (ScratchNeed::alias_step): the planar 3x3 kernel
// (depthwise.cc depthwise_conv2d) takes the layer, with the whole height's
// plane in the scratch scratch_need_depthwise asks for (one band inside the
// kernel). It then copies all input rows of a channel (or of a group of 4)
// into the plane before it writes any output of those channels, and reads
// the input nowhere else; output channel c lands on input bytes of channel
// c when the two offsets differ by a multiple of C. The conditions are the
// kernel's own tests, in its order: a shape it refuses, dw_lanes' shapes
// (first in line), a clamp other than [-128, 127], a left shift, or a plane
// taller than kPlaneMaxBytes (bands inside the kernel) give 0. The record
// kernels (dw_records_shape, tried first) keep the same contract: a
// batch's records hold its channels' whole input before any of their
// outputs is written; their 3x3 shapes are dw_lanes' and so give 0 (with
// less scratch than the records ask, the lanes kernel would run).
inline int32_t dw_alias_step(const DepthwiseConvParams& p, const DwGeometry& g) {
  if (!g.ok || dw_lanes_shape(p) || p.output.n != 1 || p.input.c != p.output.c) return 0;
  const Requant& rq = p.requant;
  if (rq.act_min != -128 || rq.act_max != 127 || rq.shift == nullptr) return 0;
  const int32_t n = rq.per_channel ? p.output.c : 1;
  for (int32_t i = 0; i < n; ++i) {
    if (rq.shift[i] > 0) return 0;
  }
  const int64_t plane = static_cast<int64_t>(g.group) * g.pw * (2 * g.block_rows + g.band_extra);
  if (plane > kPlaneMaxBytes) return 0;
  return p.output.c;
}

// The plane (group channels interleaved) for the whole height in one band
// when it fits kPlaneMaxBytes, else the largest band's. Shapes the 3x3
// kernels do not take: what depthwise_lanes needs.
inline ScratchNeed scratch_need_depthwise(const DepthwiseConvParams& p) {
  const DwGeometry g = dw_geometry(p);
  if (!g.ok) {
    if (!dw_lanes_any_shape(p)) return {};
    return {dw_lanes_any_scratch(p), false};
  }
  int64_t plane = static_cast<int64_t>(g.group) * g.pw * (2 * g.block_rows + g.band_extra);
  if (plane > kPlaneMaxBytes) plane = kPlaneMaxBytes;
  uint64_t need = static_cast<uint64_t>(plane) + kPlaneSlack;
  if (dw_lanes_shape(p) && need < static_cast<uint64_t>(p.output.c)) need = static_cast<uint64_t>(p.output.c);
  if (need < dw_records_scratch(p)) need = dw_records_scratch(p);
  ScratchNeed n;
  n.bytes = scratch_align16(need);
  n.alias_step = dw_alias_step(p, g);
  return n;
}

// FULLY_CONNECTED, ADD, AVERAGE_POOL_2D and SOFTMAX use none.
inline ScratchNeed scratch_need_fully_connected(const FullyConnectedParams&) { return {}; }
inline ScratchNeed scratch_need_add(const AddParams&) { return {}; }

}  // namespace tp::kernels::arm_mve
