// How much kernel scratch the arm_dsp kernels want for one layer, so that
// the model compiler can plan it inside the arena (it includes this file
// through cmake/kernel_backends.cmake; kernels.h's Scratch carries it to the
// kernels). A kernel that starts using more says so here, and the plan
// follows.
#pragma once

#include <cstdint>

#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/scratch_need.h"
#include "conv_layout.h"  // the compiler writes weights in these layouts
#include "conv_smallk_layout.h"
#include "fc_layout.h"

namespace tp::kernels::arm_dsp {

// Convolutions, depthwise convolutions: at most this (their blockings
// shrink with less); each layer asks for what its shape uses (below).
inline constexpr uint32_t kLayerScratchBytes = 2304;
inline constexpr uint32_t kAddTableBytes = 2 * 256 * 4;  // ADD: two 256-entry int32 tables

// What the layer's variant uses at full speed, from its shape (the whole
// layer; row bands of it need no more), at most kLayerScratchBytes but for
// the wide layers below:
// CONV_2D (conv.cc): the 4-pixel int16 block (8 bytes per K8 value), plus the
// reordered weights and the padded row buffer of the packed order.
inline ScratchNeed scratch_need_conv(const ConvParams& p) {
  // Few input channels (conv_smallk_layout.h, the layout the compiler writes
  // for them): two windows, the padded rows of an output row.
  if (p.filter_layout == kConvSmallK || conv_smallk_fit(p, p.bias)) {
    return {scratch_align16(static_cast<uint64_t>(smallk_scratch_bytes(p))), false};
  }
  const int64_t cin = p.filter.c, fh = p.filter.h, fw = p.filter.w;
  const int64_t row_len = fw * cin, q8 = row_len / 8, r = row_len % 8;
  const bool packed = r != 0;
  const int64_t K = fh * row_len;
  const int64_t K8 = packed ? fh * 8 * q8 + ((fh * r + 7) & ~int64_t{7}) : K;
  const bool copy_w = (packed && q8 > 0) || K8 != K;
  const int64_t w_bytes = copy_w ? static_cast<int64_t>(p.output.c) * K8 : 0;
  const int64_t wp = (static_cast<int64_t>(p.output.w) - 1) * p.stride_w + fw;
  const int64_t rb = packed ? (fh * wp * cin + 3) & ~int64_t{3} : 0;
  const int64_t need = w_bytes + rb + 8 * K8;
  if (K <= 0 || need <= 0) return {kLayerScratchBytes, false};
  // A layer too wide for two columns in kLayerScratchBytes whose rows need no
  // repacking (filter width x input depth a multiple of 8: ic02's 3x3x80 and
  // 3x3x160, K = 720 and 1440) gets its full-speed block (four columns)
  // instead of falling back to the reference kernel.
  if (need > kLayerScratchBytes) {
    if (packed || 4 * K <= kLayerScratchBytes) return {kLayerScratchBytes, false};
  }
  return {scratch_align16(static_cast<uint64_t>(need)), false};
}

// DEPTHWISE_CONV_2D Kx1 over a column (depthwise.cc, dwcol_m4.S: W = 1,
// stride 1, no padding): the planar column kernel's steps (pairs of taps,
// a multiple of 3) and its scratch for `rows` output rows in one pass: 4
// channel records (9 words), 4 weight tables (2 words a step), 4 planes
// of 3 words per block of 6 output rows plus one word a step. Columns of
// fewer than kColumnPlanarMinRows output rows run the direct variant,
// which needs none.
inline constexpr int32_t kColumnPlanarMinRows = 4;
inline int32_t dw_column_steps(int32_t K) { return (K / 2 + 1 + 2) / 3 * 3; }
inline int64_t dw_column_scratch_bytes(int32_t K, int64_t rows) {
  const int64_t J3 = dw_column_steps(K);
  return 4 * (4 * 9 + 4 * 2 * J3) + 16 * (3 * ((rows + 5) / 6) + J3);
}
inline bool dw_column_shape(const DepthwiseConvParams& p) {
  return p.input.w == 1 && p.filter.w == 1 && p.output.w == 1 && p.stride_h == 1 && p.dilation_h == 1 &&
         p.pad_h == 0 && p.pad_w == 0 && p.depth_multiplier == 1 && p.filter.h >= 1 &&
         p.output.h == p.input.h - p.filter.h + 1;
}

// DEPTHWISE_CONV_2D 3x3 (depthwise.cc): the band buffer of the variant the
// layer's shape selects, whole layer in one band; Kx1 columns: the column
// kernel's (above, whole column in one pass up to kLayerScratchBytes);
// other shapes use none of it beyond what the old flat figure gave.
inline ScratchNeed scratch_need_depthwise(const DepthwiseConvParams& p) {
  if (dw_column_shape(p)) {
    if (p.output.h < kColumnPlanarMinRows) return {};
    int64_t need = dw_column_scratch_bytes(p.filter.h, p.output.h);
    if (need > kLayerScratchBytes) need = kLayerScratchBytes;
    return {scratch_align16(static_cast<uint64_t>(need)), false};
  }
  const int64_t s = p.stride_h, OH = p.output.h, OW = p.output.w;
  if (p.filter.h != 3 || p.filter.w != 3 || (s != 1 && s != 2) || OH <= 0 || OW <= 0) {
    return {kLayerScratchBytes, false};
  }
  int64_t need = 0;
  const int64_t longest = OH > OW ? OH : OW;
  if (s == 2 || longest <= 8) {
    need = (s == 1 ? 8 : 4) * ((OW - 1) * s + 3) * ((OH - 1) * s + 3);  // direct
  } else {
    // Planar, 4 channel planes of 16-halfword rows (up to 13 outputs along
    // the walked dimension at stride 1, 6 at stride 2: a row band of the
    // layer, as the planner runs kws01's, in one pass; longer lines are
    // walked in chunks).
    const int64_t out_o = OH > OW ? OW : OH;
    need = 8 * 16 * ((out_o - 1) * s + 3);
  }
  if (need > kLayerScratchBytes) need = kLayerScratchBytes;
  if (s == 2 && OW >= 12) {
    // Vertical pairs (depthwise.cc): strips of 4 output rows, 80 bytes per
    // input column each (4 channel planes x 5 words); as many strips as
    // kLayerScratchBytes holds, at least one up to 4,096 B (vww01's 48-wide
    // input: 3,920 B), else the direct variant's buffer.
    const int64_t strip = 80 * ((OW - 1) * 2 + 3);
    int64_t strips = kLayerScratchBytes / strip;
    if (strips > (OH + 3) / 4) strips = (OH + 3) / 4;
    if (strips < 1) strips = 1;
    if (strip <= 4096 && strip * strips > need) need = strip * strips;
  }
  return {scratch_align16(static_cast<uint64_t>(need)), false};
}

// FULLY_CONNECTED: the input expanded to int16 (2 bytes an element) when the
// fast path applies (depth >= 8, a multiple of 4). It may end where the
// layer's input ends, over it, when a single batch and the depth is a
// multiple of 8 (the kernel expands front to back: every input byte is read
// before it is written over). Depth 8k + 4: the first 8k elements expanded,
// then the output depth's folded biases with the last 4 columns added.
inline ScratchNeed scratch_need_fully_connected(const FullyConnectedParams& p) {
  const uint64_t k = static_cast<uint64_t>(p.input_depth);
  if (k < 8 || k % 4 != 0) return {};
  if (k % 8 == 0) return {scratch_align16(2 * k), p.batches == 1};
  return {scratch_align16(2 * (k & ~uint64_t{7}) + 4 * static_cast<uint64_t>(p.output_depth)), false};
}

inline ScratchNeed scratch_need_add(const AddParams&) { return {kAddTableBytes, false}; }

// AVERAGE_POOL_2D and SOFTMAX use none.

}  // namespace tp::kernels::arm_dsp
