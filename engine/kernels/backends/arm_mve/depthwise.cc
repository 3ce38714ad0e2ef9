// DEPTHWISE_CONV_2D 3x3 (depth multiplier 1, no dilation, stride 1 or 2)
// for the arm_mve backend.
//
// One channel at a time: its input rows are copied (8-lane gathers) into a
// small planar buffer whose borders hold the input zero point, so every
// window is "inside" and the folded bias (bias + input_offset * sum of the
// taps) is right for every output. A 16-lane int8 gather with byte offsets
// then loads a whole input window that covers several outputs of the
// channel: 4x4 inputs for a 2x2 block of outputs (stride 1), 3x5 inputs for
// a 1x2 block (stride 2). Each output is one VMLADAV of that window with a
// weight vector holding the 9 taps at the output's positions and zeros
// elsewhere (per channel: one gather of the taps staged per group of
// channels, the other vectors shifts of it). Blocks run in pairs: both
// requantized in vectors (scalar multiplier and shift of the channel),
// narrowed together and scattered to the NHWC output in one 8-byte store
// (a row's odd block and the partial one at the right edge predicated;
// the bottom row of an odd height too). The per-channel state moves by one
// LDM / STM, and the row loops are chosen once per call. The block loops
// are generated assembly (gen_gemm_asm.py, tp_mve_dw3x3_*).
//
// The planar buffer lives in the layer's scratch (scratch_need.h: the
// whole height when it fits kPlaneMaxBytes); tall inputs are processed in
// bands of rows that fit the scratch given. Less scratch than one band of
// two block rows: the reference kernel runs instead.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstddef>

#include "mve_kernels.h"
#include "mve_util.h"
#include "scratch_need.h"

#ifdef TP_MVE_STATS
extern "C" int tp_mve_fast_calls[40];  // dispatch.cc
#endif

namespace tp::kernels::mve {

// Field order is fixed: gen_gemm_asm.py's DWA.
struct DwArgs {
  const int8_t* in;         // channel 0: first copied input pixel
  int8_t* out;              // channel 0: first output of the first block
  int32_t groups;           // channel groups (C / group)
  const int8_t* filter;     // channel 0's first tap
  const int32_t* bias;      // folded bias, one per channel
  const int32_t* mult;      // advanced by rq_stride per channel
  int32_t shift_delta;      // bytes from mult to shift (the shifts, <= 0, move with mult)
  int32_t rq_stride;        // 4 per-channel, 0 per-tensor
  int32_t out_offset;
  int8_t* plane;            // planar buffer, borders at the zero point
  int32_t copy_rows;        // input rows copied per channel
  int32_t copy_dst;         // plane offset of the first copied pixel
  int32_t in_row_bytes;     // input bytes between rows
  int32_t pw;               // plane bytes between rows
  int32_t copy_n;           // pixels copied per row (>= 1)
  int32_t rows_full;        // block rows with all outputs inside
  int32_t lastv;            // the last block row, its second output row outside: 0 none,
                            // 1 + tail (that row alone), 5 + 2 (cols - 1) + partial (rows
                            // of 1-3 blocks: recomputed one row up)
  int32_t cols;             // full blocks per row
  int32_t partial;          // 1: one more block per row (predicated store)
  int32_t in_row_skip;      // plane bytes from the end of a block row to the next row
  int32_t out_row_skip;     // output bytes from the end of a block row to the next row
  int32_t out_col_adv;      // output bytes between blocks
  uint32_t pred_last;       // stride 2: store predicate of a row's tail
  const uint8_t* woff;      // 16 window offsets (4-aligned)
  const uint32_t* soff;     // 8 halfword store offsets of a pair of blocks
  const uint8_t* wg;        // 16 stage offsets of the first weight vector (4-aligned)
  int32_t rowv;             // row loop variant: 0 none, 1 + tail (block pairs), rows
                            // of 1-3 blocks: 5 + 2 (cols - 1) + partial (unrolled),
                            // 11 (up to kDwPairsUnrolled pairs, no tail: one unrolled
                            // row), stride 1: 12 (W = 5, a multiple of 4 block rows:
                            // ROWS4 loop steps)
  const uint16_t* offs8;    // {0, C, .., 7C} (4-aligned)
  const int8_t* full_end;   // plane position after the full block rows
  const int8_t* part_end;   // plane position after the partial block row
  const uint32_t* offw;     // group 4: {0, C, .., 15C}, word gather offsets of the copy
  int32_t npairs;           // pairs of full blocks a row
  const uint16_t* coloff;   // stride 1, W = 5: column store offsets {0, 4R, R, 5R, 2R, 6R, 3R, 7R}
  const uint32_t* copy5;    // stride 1, group 4, rows of 5 pixels from a 5-wide input, >= 4
                            // rows: the plane offsets of 20 pixels (4 rows) in 5 vectors; else null
  int32_t rows4;            // ROWV 12 (stride 1, W = 5, rows_full % 4 == 0): rows_full / 4
  int32_t pad[1];           // (the struct a whole number of 16 bytes: the kernels copy it by VLDRW)
};
static_assert(sizeof(DwArgs) == 144, "DwArgs layout is fixed by the assembly");

// Field order is fixed: gen_gemm_asm.py's DWLA.
struct DwlArgs {
  const int8_t* tap[9];     // the taps' input pixels (channel 0); padding: the zero-point row
  const int8_t* filter;     // channel 0 of tap 0 (C bytes between taps)
  int32_t c;                // channels (multiple of 16)
  int8_t* out;              // the output pixel
  const int32_t* bias;      // folded bias
  const int32_t* mult;      // per-channel, or 16 repeated values (rq_inc 0)
  const int32_t* shift;
  int32_t rq_inc;           // 64 per-channel, 0 per-tensor
  int32_t out_zp;
  int32_t groups;           // c / 16
  const uint32_t* offs;     // {i, i + 4, i + 8, i + 12} for i = 0..3
};
static_assert(sizeof(DwlArgs) == 76, "DwlArgs layout is fixed by the assembly");

// Field order is fixed: gen_gemm_asm.py's DWRA_FIELDS.
struct DwrArgs {
  int8_t* rec;              // kDwrChannels records (dw_records)
  int8_t* out;              // channel 0's output (0, 0)
  int32_t batches;          // C / kDwrChannels
  int32_t row_skip;         // output bytes from a block row's last store to the next row
  int32_t col_adv;          // output bytes between blocks (2 C)
  int32_t out_offset;
  const uint8_t* woff;      // 16 window offsets (4-aligned)
  const uint32_t* soff;     // 8 halfword store offsets of a pair of blocks
  int32_t fix;              // 0: no channel needs the rounding fixup
  const int8_t* in;         // channel 0's input (0, 0)
  int32_t c;                // channels
  const int8_t* filter;     // channel 0's tap 0
  const int32_t* bias;      // folded bias
  const int32_t* mult;      // 16 per batch (rq_inc 64), or 16 copies (rq_inc 0)
  const int32_t* shift;     // the same
  int32_t rq_inc;
  const uint32_t* o4;       // 4 x 4 word scatter offsets: record j at j x record bytes
  const uint16_t* o8;       // 2 x 8 byte scatter offsets: the same
  int32_t in_zp;            // the input zero point (the planes' borders)
  int32_t pad;
};
static_assert(sizeof(DwrArgs) == 80, "DwrArgs layout is fixed by the assembly");

extern "C" {
#include "dw_mve_decls.inc"
}

namespace {

// Window lanes (row r, column q) of the planar and record kernels: stride
// 1, lane 4r + q of a 4x4 window; stride 2, lane 5r + q of a 3x5 one (lane
// 15 repeats lane 14, its weights are 0).
alignas(16) constexpr uint8_t kLaneR[2][16] = {
    {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2}};
alignas(16) constexpr uint8_t kLaneQ[2][16] = {
    {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 4}};

// gen_gemm_asm.py's record sizes and geometry are scratch_need.h's.
constexpr bool dwr_tables_agree() {
  int32_t next = 3;
  for (const DwrKernel& d : kDwr) {
    if (d.h != next || d.w != next || d.rs != arm_mve::dw_record_bytes(d.h, d.w)) return false;
    ++next;
  }
  return next == 8;
}
static_assert(dwr_tables_agree(), "DWR_SIZES must be 3x3 .. 7x7 (scratch_need.h dw_records_shape)");

// Small outputs (vww01's 3x3 outputs over 128 and 256 channels): channels
// in vector lanes (tp_mve_dwl3x3, one call per output pixel, 16 channels a
// step) instead of the planar scheme, whose fixed cost per channel (copy,
// weight vectors, set-up: ~110 instructions) dominates when a channel has
// few outputs. Taps in the padding read a row of C input zero points in the
// layer's scratch (the folded bias counts every tap). Shapes:
// arm_mve::dw_lanes_shape (scratch_need.h).
__attribute__((noinline)) void dw_lanes(const DepthwiseConvParams& p, const int8_t* input,
                                        int8_t* output, int8_t* zrow) {
  const Requant& rq = p.requant;
  const int32_t c_n = p.output.c;
  for (int32_t i = 0; i < c_n; i += 16) {
    vstrbq_s8(zrow + i, vdupq_n_s8(static_cast<int8_t>(-p.input_offset)));
  }
  alignas(16) static constexpr uint32_t kOffs[16] = {0, 4, 8, 12, 1, 5, 9, 13,
                                                     2, 6, 10, 14, 3, 7, 11, 15};
  alignas(16) int32_t m16[16], s16[16];
  // No rounding fixup where it cannot show (mve_util.h fixup_hidden).
  const bool no_fix = fixup_hidden(rq);
  // Taps in pairs summed in int16 where no pair can overflow (mve_util.h).
  const bool pairs = tap_pairs_fit_s16(p.filter_data, 9, c_n);
  void (*const kernel)(const DwlArgs*) = pairs ? (no_fix ? tp_mve_dwl3x3p_nr : tp_mve_dwl3x3p)
                                               : (no_fix ? tp_mve_dwl3x3_nr : tp_mve_dwl3x3);
#ifdef TP_MVE_STATS
  if (no_fix) ++tp_mve_fast_calls[15];
  ++tp_mve_fast_calls[pairs ? 21 : 22];
#endif
  DwlArgs a;
  a.filter = p.filter_data;
  a.c = c_n;
  a.out_zp = rq.output_offset;
  a.groups = c_n / 16;
  a.offs = kOffs;
  if (rq.per_channel) {
    a.mult = rq.multiplier;
    a.shift = rq.shift;
    a.rq_inc = 64;
  } else {
    for (int32_t i = 0; i < 16; ++i) {
      m16[i] = rq.multiplier[0];
      s16[i] = rq.shift[0];
    }
    a.mult = m16;
    a.shift = s16;
    a.rq_inc = 0;
  }
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in_n = input + n * p.input.h * p.input.w * c_n;
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t iy0 = oy * p.stride_h - p.pad_h, ix0 = ox * p.stride_w - p.pad_w;
        for (int32_t ky = 0; ky < 3; ++ky) {
          for (int32_t kx = 0; kx < 3; ++kx) {
            const int32_t iy = iy0 + ky, ix = ix0 + kx;
            const bool in = iy >= 0 && iy < p.input.h && ix >= 0 && ix < p.input.w;
            a.tap[3 * ky + kx] = in ? in_n + (iy * p.input.w + ix) * c_n : zrow;
          }
        }
        a.out = output + ((n * p.output.h + oy) * p.output.w + ox) * c_n;
        a.bias = p.folded_bias;
        kernel(&a);
      }
    }
  }
}

// Store offsets of a pair of stride-1 2x2 blocks A, B (gen_gemm_asm.py
// s1_pair): 8 halfwords {A0, B0, A1, B1, A2, B2, A3, B3} = {0, 2C, C, 3C,
// R, R + 2C, R + C, R + 3C}, R the output row bytes (dw_geometry keeps
// R + 3C below 65,536).
void s1_pair_store_offsets(int32_t c_n, int32_t out_row_bytes, uint32_t* soff) {
  const uint32_t c = static_cast<uint32_t>(c_n), r = static_cast<uint32_t>(out_row_bytes);
  soff[0] = (2 * c) << 16;
  soff[1] = c | ((3 * c) << 16);
  soff[2] = r | ((r + 2 * c) << 16);
  soff[3] = (r + c) | ((r + 3 * c) << 16);
}

// Small stride-1 outputs (H = W in 3..7, padding 1 around, C % 16 == 0;
// scratch_need.h dw_records_shape): the planar kernel's per-channel cost
// (plane copy by rows, weight staging, state moved by LDM / STM, row loops
// entered by table) outweighs a channel's 9-49 outputs, and the lanes
// kernel (3x3) spends ~9 instructions an output widening its products.
// Here 16 channels at a time are laid out as records (dw_record_bytes
// each): bias, multiplier, shift, 0; the first weight vector (tap 3r + q at
// lane 4r + q, zeros elsewhere); the channel's plane with its zero-point
// border (zeros and borders once a call; only values, taps and the
// interior change between batches). The kernel (tp_mve_dwr3x3_HxW,
// gen_gemm_asm.py dwr_kernel) writes a batch's records by vector scatters,
// 16 channels' values, 8 channels' taps and pixels a store, then runs each
// channel's blocks unrolled from its record. Each batch's records hold its channels' whole
// input before any of their outputs is written (the output-over-input
// contract of scratch_need.h dw_alias_step holds here too).
bool dw_records(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                const Scratch& scratch, bool no_fix) {
  const DwrKernel* k = nullptr;
  for (const DwrKernel& d : kDwr) {
    if (d.h == p.output.h && d.w == p.output.w) k = &d;
  }
  if (k == nullptr || scratch.data == nullptr ||
      scratch.bytes < static_cast<std::size_t>(arm_mve::dw_records_scratch(p))) {
    return false;
  }
  const Requant& rq = p.requant;
  const int32_t c_n = p.output.c, h = k->h, w = k->w, pw = k->pw, rs = k->rs;
  int8_t* const rec = static_cast<int8_t*>(scratch.data);  // 16-byte aligned
  // The tables after the records (scratch_need.h kDwrTableBytes).
  uint8_t* const tables = reinterpret_cast<uint8_t*>(rec + arm_mve::kDwrChannels * rs);
  uint32_t* const o4 = reinterpret_cast<uint32_t*>(tables);        // 64 B
  uint16_t* const o8 = reinterpret_cast<uint16_t*>(tables + 64);   // 32 B
  uint8_t* const woff = tables + 96;                               // 16 B
  uint32_t* const soff = reinterpret_cast<uint32_t*>(tables + 112);  // 16 B
  int32_t* const m16 = reinterpret_cast<int32_t*>(tables + 128);   // 64 B
  int32_t* const s16 = reinterpret_cast<int32_t*>(tables + 192);   // 64 B
  const uint32x4_t j4 = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(rs));
  for (int32_t q = 0; q < 4; ++q) vstrwq_u32(o4 + 4 * q, vaddq_n_u32(j4, static_cast<uint32_t>(4 * q * rs)));
  const uint16x8_t j8 = vmulq_n_u16(vidupq_n_u16(0, 1), static_cast<uint16_t>(rs));
  vstrhq_u16(o8, j8);
  vstrhq_u16(o8 + 8, vaddq_n_u16(j8, static_cast<uint16_t>(8 * rs)));
  const int32_t out_row = w * c_n;
  vstrbq_u8(woff, vmlaq_n_u8(vldrbq_u8(kLaneQ[0]), vldrbq_u8(kLaneR[0]), static_cast<uint8_t>(pw)));
  if (h == 3 && w == 3) {
    // gen_gemm_asm.py dwr_body_3x3: halfwords {X0, Y0, .., X3, Y3}, X =
    // outputs (0, 0), (0, 1), (1, 0), (1, 1), Y = (0, 2), (1, 2), (2, 0),
    // (2, 1); (2, 2) at 8 C (R = 3 C) from the kernel
    const uint32_t c = static_cast<uint32_t>(c_n), r = static_cast<uint32_t>(out_row);
    const uint32_t v[8] = {0, 2 * c, c, r + 2 * c, r, 2 * r, r + c, 2 * r + c};
    for (int32_t i = 0; i < 4; ++i) soff[i] = v[2 * i] | (v[2 * i + 1] << 16);
  } else {
    s1_pair_store_offsets(c_n, out_row, soff);
  }
  // From a block row's last store (gen_gemm_asm.py dwr_body: pairs advance
  // two blocks but the row's last item) to the next block row.
  const int32_t cols = w / 2, tail = (cols & 1) + 2 * (w & 1), npairs = cols / 2;
  const int32_t adv_blocks = 2 * npairs - (tail == 0 ? 2 : 0);
  DwrArgs a;
  a.rec = rec;
  a.row_skip = 2 * out_row - adv_blocks * 2 * c_n;
  a.col_adv = 2 * c_n;
  a.out_offset = rq.output_offset;
  a.woff = woff;
  a.soff = soff;
  a.fix = no_fix ? 0 : 1;
  a.c = c_n;
  a.o4 = o4;
  a.o8 = o8;
  a.in_zp = -p.input_offset;
  a.batches = c_n / arm_mve::kDwrChannels;
  a.filter = p.filter_data;
  a.bias = p.folded_bias;
  if (rq.per_channel) {
    a.mult = rq.multiplier;
    a.shift = rq.shift;
    a.rq_inc = 64;
  } else {
    for (int32_t i = 0; i < 16; ++i) {
      m16[i] = rq.multiplier[0];
      s16[i] = rq.shift[0];
    }
    a.mult = m16;
    a.shift = s16;
    a.rq_inc = 0;
  }
#ifdef TP_MVE_STATS
  ++tp_mve_fast_calls[25];
#endif
  // (the kernel counts batches and walks the pointers in its own copy)
  for (int32_t n = 0; n < p.output.n; ++n) {
    a.in = input + n * h * w * c_n;
    a.out = output + n * h * out_row;
    k->fn(&a);
  }
  return true;
}

}  // namespace

// The model compiler may pass output over input here (scratch_need.h
// dw_alias_step): which shapes reach the planar kernel with a one-band
// plane, and its copy of a channel's rows before any of that channel's
// outputs, are part of that contract (kernel_test.cc "output over the
// input" checks it).
bool depthwise_conv2d(const DepthwiseConvParams& p, const int8_t* input, int8_t* output,
                      const Scratch& scratch) {
  const arm_mve::DwGeometry geo = arm_mve::dw_geometry(p);
  if (!geo.ok) return false;
  const int32_t s = p.stride_h;
  const Requant& rq = p.requant;
  if (rq.act_min != -128 || rq.act_max != 127) return false;
  const int32_t c_n = p.output.c, in_w = p.input.w, in_h = p.input.h;
  const int32_t out_w = p.output.w, out_h = p.output.h;
  if (out_w <= 0 || out_h <= 0) return true;
  if ((rq.per_channel ? max_s32(rq.shift, c_n) : rq.shift[0]) > 0) return false;
  if (arm_mve::dw_records_shape(p) && dw_records(p, input, output, scratch, fixup_hidden(rq))) {
    return true;
  }
  if (arm_mve::dw_lanes_shape(p) && scratch.data != nullptr &&
      scratch.bytes >= static_cast<std::size_t>(c_n)) {
    dw_lanes(p, input, output, static_cast<int8_t*>(scratch.data));
    return true;
  }

  // Geometry. Stride 1: blocks of 2x2 outputs, window 4x4. Stride 2: groups
  // of 1x4 outputs (two 1x2 blocks), windows 3x5.
  int32_t full_cols, partial, pw, rows_per_block, band_extra, block_rows;
  if (s == 1) {
    full_cols = out_w / 2;
    partial = out_w & 1;
    pw = 2 * (full_cols + partial) + 2;
    rows_per_block = 2;
    band_extra = 2;
    block_rows = (out_h + 1) / 2;
  } else {
    full_cols = out_w / 4;
    partial = (out_w & 3) != 0;
    pw = 8 * (full_cols + partial) + 1;
    rows_per_block = 1;
    band_extra = 1;
    block_rows = out_h;
  }
  if ((s == 1 ? 3 * pw + 3 : 2 * pw + 4) > 255 || 8 * c_n > 65535) return false;
  // Every block row advances two input rows. The plane: the scratch less
  // the over-read slack, and no more than one band of the whole height.
  // Group 4 (4 channels interleaved, word gathers: a 4-aligned input) when
  // the scratch holds a band of it, else one channel at a time.
  if (scratch.data == nullptr || scratch.bytes < arm_mve::kPlaneSlack) return false;
  const int32_t scratch_plane = static_cast<int32_t>((scratch.bytes - arm_mve::kPlaneSlack) & ~std::size_t{15});
  int32_t g = geo.group == 4 && aligned(input, 4) && aligned(p.filter_data, 4) ? 4 : 1;
  int32_t plane_bytes = 0, band_max = 0;
  for (;; g = 1) {
    const int32_t gpw = g * pw;
    plane_bytes = scratch_plane;
    const int32_t plane_full = ((gpw * (2 * block_rows + band_extra) + 15) & ~15);
    if (plane_bytes > plane_full) plane_bytes = plane_full;
    band_max = (plane_bytes / gpw - band_extra) / 2;
    if (band_max >= 1 || g == 1) break;
  }
  if (band_max < 1) return false;
  const int32_t gpw = g * pw;

  const int32_t x0 = -p.pad_w;  // input column of plane column 0
  const int32_t ix_lo = x0 > 0 ? x0 : 0;
  const int32_t ix_hi = x0 + pw < in_w ? x0 + pw : in_w;
  const int8_t zp = static_cast<int8_t>(-p.input_offset);

  // Window lanes (kLaneR, kLaneQ) and their plane offsets. The first weight vector's lanes
  // gather the stage (the group's taps, tap k at byte g k, byte 9 g and on
  // hold 0; gen_gemm_asm.py derives the other weight vectors by shifts).
  alignas(16) static constexpr uint8_t kTap[2][16] = {
      {0, 1, 2, 9, 3, 4, 5, 9, 6, 7, 8, 9, 9, 9, 9, 9}, {0, 1, 2, 9, 9, 3, 4, 5, 9, 9, 6, 7, 8, 9, 9, 9}};
  const int32_t si = s == 1 ? 0 : 1;
  alignas(16) uint8_t woff[16];
  alignas(16) uint8_t wg[16];
  vstrbq_u8(woff, vmlaq_n_u8(vmulq_n_u8(vldrbq_u8(kLaneQ[si]), static_cast<uint8_t>(g)),
                             vldrbq_u8(kLaneR[si]), static_cast<uint8_t>(gpw)));
  vstrbq_u8(wg, vmulq_n_u8(vldrbq_u8(kTap[si]), static_cast<uint8_t>(g)));
  const int32_t out_row_bytes = out_w * c_n;
  // Store offsets. Stride 1 (pairs of 2x2 blocks A, B: gen_gemm_asm.py
  // s1_pair): 8 halfwords {A0, B0, A1, B1, A2, B2, A3, B3}; stride 2: the
  // 4 words of a 1x4 group.
  alignas(16) uint32_t soff[4];
  if (s == 1) {
    if (out_row_bytes + 3 * c_n > 65535) return false;
    s1_pair_store_offsets(c_n, out_row_bytes, soff);
  } else {
    // pairs of 1x4 groups A, B: {A0, B0, .., A3, B3} = {0, 4C, C, 5C, 2C, 6C, 3C, 7C}
    for (uint32_t i = 0; i < 4; ++i) soff[i] = static_cast<uint32_t>(c_n) * (i | ((i + 4) << 16));
  }
  // Gather offsets of 8 consecutive pixels / taps of one channel; of 16
  // pixels' words (group 4).
  alignas(16) uint16_t o8[8];
  vstrhq_u16(o8, vmulq_n_u16(vidupq_n_u16(0, 1), static_cast<uint16_t>(c_n)));
  alignas(16) uint32_t ow[16];
  const uint32x4_t i4 = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(c_n));
  const uint32_t c4 = static_cast<uint32_t>(4 * c_n);
  vstrwq_u32(ow, i4);
  vstrwq_u32(ow + 4, vaddq_n_u32(i4, c4));
  vstrwq_u32(ow + 8, vaddq_n_u32(i4, 2 * c4));
  vstrwq_u32(ow + 12, vaddq_n_u32(i4, 3 * c4));

  int8_t* const plane = static_cast<int8_t*>(scratch.data);  // 16-byte aligned
  const int8x16_t zpv = vdupq_n_s8(zp);
  {
    // The whole plane's zero points (plane_bytes % 16 == 0), four stores a
    // loop step: 1.25 instructions per 16 bytes against 2.
    int8_t* d = plane;
    const uint32_t blocks = static_cast<uint32_t>(plane_bytes) >> 6;
    const uint32_t rest = (static_cast<uint32_t>(plane_bytes) >> 4) & 3u;
    __asm__ volatile(
        "  wls lr, %[b], 2f\n"
        "1:\n"
        "  vstrb.8 %q[v], [%[d]], #16\n"
        "  vstrb.8 %q[v], [%[d]], #16\n"
        "  vstrb.8 %q[v], [%[d]], #16\n"
        "  vstrb.8 %q[v], [%[d]], #16\n"
        "  le lr, 1b\n"
        "2:\n"
        "  wls lr, %[r], 4f\n"
        "3:\n"
        "  vstrb.8 %q[v], [%[d]], #16\n"
        "  le lr, 3b\n"
        "4:\n"
        : [d] "+r"(d)
        : [b] "r"(blocks), [r] "r"(rest), [v] "w"(zpv)
        : "lr", "memory");
  }

  DwArgs a;  // every field set below (no zeroing memset per call)
  a.groups = c_n / g;
  a.rq_stride = rq.per_channel ? 4 : 0;
  a.shift_delta = static_cast<int32_t>(reinterpret_cast<uintptr_t>(rq.shift) -
                                       reinterpret_cast<uintptr_t>(rq.multiplier));
  a.out_offset = rq.output_offset;
  a.plane = plane;
  a.in_row_bytes = in_w * c_n;
  a.pw = gpw;
  a.copy_n = ix_hi - ix_lo;
  a.cols = full_cols;
  a.partial = partial;
  a.out_col_adv = (s == 1 ? 2 : 4) * c_n;
  // Every block row advances two input rows; a block (and the partial one)
  // advances the window by 2 (stride 1) or 8 (stride 2) columns.
  const int32_t in_row_skip = 2 * gpw - g * (s == 1 ? 2 : 8) * (full_cols + partial);
  a.out_row_skip = rows_per_block * out_row_bytes - a.out_col_adv * (full_cols + partial);
  // Row loop variant (gen_gemm_asm.py's tables): block pairs and a tail (1
  // a single block, 2 the partial one, 3 both), or rows of 1-3 blocks
  // (stride 2: 1x4 groups) unrolled.
  const int32_t tail = (full_cols & 1) + 2 * partial;
  int32_t rowv = 1 + tail;
  if (full_cols >= 1 && full_cols <= 3) rowv = 5 + 2 * (full_cols - 1) + partial;
  // Stride 1, W = 5: four block rows' column 4 stored by one scatter
  // (gen_gemm_asm.py w5_four_rows), halfword offsets up to 7 output rows;
  // where they do not fit, the pair loop.
  // Other calls pass the pair offsets (any 16 readable bytes: the kernel
  // loads COLOFF at every stride-1 entry, uses it at W = 5 only).
  alignas(16) uint16_t coloff[8];
  const uint16_t* coloff_p = reinterpret_cast<const uint16_t*>(soff);
  if (s == 1 && out_w == 5) {
    const uint32_t r = static_cast<uint32_t>(out_row_bytes);
    if (7 * r > 65535) {
      rowv = 1 + tail;
    } else {
      for (uint32_t i = 0; i < 8; ++i) coloff[i] = static_cast<uint16_t>(((i >> 1) + 4 * (i & 1)) * r);
      coloff_p = coloff;
    }
  }
  // Where the rounding fixup cannot show (mve_util.h fixup_hidden): the
  // loops without it for every channel, the second half of the kernel's
  // tables (dw_mve_decls.inc).
  const bool no_fix = fixup_hidden(rq);
  const int32_t rowv_nf = no_fix ? kDwRowVariants[s - 1] : 0;
  const int32_t lastv_nf = no_fix ? kDwLastVariants[s - 1] : 0;
  a.npairs = full_cols / 2;
  // Rows of block pairs only (no single or partial block), up to
  // kDwPairsUnrolled of them (stride 2: of 1x4 groups): one unrolled row
  // entered at the right pair, lr counting rows (ROWV 11; gen_gemm_asm.py
  // dw_unrolled_pairs).
  const bool unrolled_pairs = rowv == 1 && tail == 0 && a.npairs >= 1 && a.npairs <= kDwPairsUnrolled;
  a.pred_last = 0;
  if (s == 2) {
    // the tail's store predicate over the halfwords of a pair: a single
    // group (A: even halfwords), the partial group's out_w % 4 outputs alone
    // (even) or after a single group (odd)
    uint32_t part_even = 0, part_odd = 0;
    for (int32_t i = 0; i < (out_w & 3); ++i) {
      part_even |= 0x3u << (4 * i);
      part_odd |= 0xCu << (4 * i);
    }
    a.pred_last = tail == 1 ? 0x3333u : tail == 2 ? part_even : 0x3333u | part_odd;
  }
  a.woff = woff;
  a.soff = soff;
  a.wg = wg;
  a.offs8 = o8;
  a.offw = ow;
  a.coloff = coloff_p;
  // Stride 1, group 4, a 5-wide input copied whole into 8-pixel plane
  // rows: its rows' pixels are one sequence C bytes apart, copied 4 rows (20
  // pixels, 5 word gathers) a loop step; the plane offsets of those 20
  // pixels (the kernel's dw_copy_w5).
  alignas(16) static const uint32_t kCopy5[20] = {0,  4,  8,  12,  16,  32,  36,  40,  44,  48,
                                                  64, 68, 72, 76,  80,  96,  100, 104, 108, 112};
  const bool copy5 = s == 1 && g == 4 && in_w == 5 && ix_lo == 0 && ix_hi == 5 && gpw == 32;
#ifdef TP_MVE_STATS
  // the planar kernel by group (12: 4 channels, 13: one), 14: rows unrolled
  // (24: at stride 2)
  ++tp_mve_fast_calls[g == 4 ? 12 : 13];
  // 18: group 4 with rows of more than 16 pixels (5-8 word gathers a row)
  if (g == 4 && ix_hi - ix_lo > 16) ++tp_mve_fast_calls[18];
  if (rowv >= 5) ++tp_mve_fast_calls[14];
  if (s == 2 && rowv >= 5) ++tp_mve_fast_calls[24];
  if (no_fix) ++tp_mve_fast_calls[15];
#endif

  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in_n = input + n * in_h * in_w * c_n;
    int8_t* out_n = output + n * out_h * out_row_bytes;
    for (int32_t b0 = 0; b0 < block_rows; b0 += band_max) {
      const int32_t nb = block_rows - b0 < band_max ? block_rows - b0 : band_max;
      const int32_t ph = nb * 2 + band_extra;
      const int32_t iy_first = b0 * 2 - p.pad_h;
      // Rows of the band outside the input: zero point (an earlier band
      // or batch item may have written them; before the first band of the
      // first item, the whole plane's fill above holds).
      int32_t j_lo = -iy_first > 0 ? -iy_first : 0;
      int32_t j_hi = in_h - iy_first < ph ? in_h - iy_first : ph;
      if (j_hi < j_lo) j_hi = j_lo;
      if (j_hi > ph) j_hi = ph;
      if (j_lo > ph) j_lo = ph;
      if (b0 > 0 || n > 0) {
        for (int32_t j = 0; j < ph; ++j) {
          if (j == j_lo) j = j_hi;
          if (j >= ph) break;
          for (int32_t i = 0; i < gpw; i += 16) {
            vstrbq_p_s8(plane + j * gpw + i, zpv, vctp8q(static_cast<uint32_t>(gpw - i)));
          }
        }
      }
      const bool last_partial = s == 1 && (out_h & 1) && b0 + nb == block_rows;
      a.rows_full = nb - (last_partial ? 1 : 0);
      a.full_end = plane + a.rows_full * 2 * gpw;
      a.part_end = a.full_end + 2 * gpw;
      // The last block row recomputed one row up (rows of 1-3 blocks with a
      // full block row before it in the band): LASTV = ROWV's variant.
      const bool recompute = last_partial && s == 1 && rowv >= 5 && a.rows_full >= 1;
      a.lastv = (recompute ? rowv : last_partial ? 1 + tail : 0) + lastv_nf;
#ifdef TP_MVE_STATS
      if (recompute) ++tp_mve_fast_calls[20];
#endif
      // W = 5 (the unrolled variant of 2 blocks and a partial one): the
      // plane's row skip as the four-row loop takes it, from a row's
      // second block (gen_gemm_asm.py w5_four_rows; the rows before that
      // loop take the 4 group off); a multiple of 4 block rows enters the
      // loop with its count (ROWV 12).
      const bool w5 = s == 1 && rowv == 8 && a.rows_full > 0;
      a.in_row_skip = in_row_skip + (w5 ? 4 * g : 0);
      a.rows4 = a.rows_full / 4;
      // ROWV 13: the same in group 4 without the fixup with the W = 5 last
      // row after it (recompute: LASTV = 8): each channel's rows, last row
      // and the next channel's set-up in one variant per right shift
      // (gen_gemm_asm.py w5_channel_variants).
      const bool w5_rows4 = w5 && (a.rows_full & 3) == 0;
      const int32_t rowv_band = unrolled_pairs ? 11
                                : w5_rows4 && no_fix && g == 4 && recompute ? 13
                                : w5_rows4                                  ? 12
                                                                            : rowv;
      a.rowv = (a.rows_full > 0 ? rowv_band : 0) + rowv_nf;
#ifdef TP_MVE_STATS
      // 30: W = 5 straight into its four-row loop, 31: the unrolled rows
      if (a.rows_full > 0 && (rowv_band == 12 || rowv_band == 13)) ++tp_mve_fast_calls[30];
      if (a.rows_full > 0 && rowv_band == 13) ++tp_mve_fast_calls[34];
      if (a.rows_full > 0 && rowv_band == 11) ++tp_mve_fast_calls[31];
      // 33: the W = 5 four-row loop of a channel's immediate right shift
      // (group 4 without the fixup, shifts 1 .. kDwW5ShiftMax:
      // gen_gemm_asm.py w5_shift_variants)
      if (w5 && g == 4 && no_fix && a.rows_full >= 4) {
        for (int32_t c = 0; c < (rq.per_channel ? c_n : 1); ++c) {
          if (rq.shift[c] <= -1 && rq.shift[c] >= -kDwW5ShiftMax) {
            ++tp_mve_fast_calls[33];
            break;
          }
        }
      }
#endif
      a.copy_rows = ix_hi > ix_lo ? j_hi - j_lo : 0;
      a.copy_dst = g * (j_lo * pw + (ix_lo - x0));
      a.copy5 = copy5 && a.copy_rows >= 4 ? kCopy5 : nullptr;
#ifdef TP_MVE_STATS
      if (a.copy5 != nullptr) ++tp_mve_fast_calls[28];
#endif
      a.in = in_n + ((iy_first + j_lo) * in_w + ix_lo) * c_n;
      a.out = out_n + b0 * rows_per_block * out_row_bytes;
      a.filter = p.filter_data;
      a.bias = p.folded_bias;
      a.mult = rq.multiplier;
      if (g == 4) {
        (s == 1 ? tp_mve_dw3x3_s1g4 : tp_mve_dw3x3_s2g4)(&a);
      } else {
#ifdef TP_MVE_STATS
        // the copy by 16-pixel byte gathers (C <= 17, rows of > 8 pixels)
        if (a.copy_rows > 0 && a.copy_n > 8 && c_n <= 17) ++tp_mve_fast_calls[8];
#endif
        (s == 1 ? tp_mve_dw3x3_s1 : tp_mve_dw3x3_s2)(&a);
      }
    }
  }
  return true;
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
