// FULLY_CONNECTED for the arm_mve backend: groups of four outputs, each a
// tail-predicated dot product loop over the input (generated assembly
// tp_mve_fc4: 16 MACs per VMLADAVA, the input vector loaded once per 4
// weight rows; tp_mve_fc4u: K % 32 == 0, two steps per iteration of a
// plain low-overhead loop), vector requantization of the 4 accumulators.
// Per-tensor K = 64 / 128: groups of 8 outputs fully unrolled
// (tp_mve_fc8_*; tp_mve_fc8s_* with the whole int8 range and a right
// shift: saturating narrowing instead of the clamp). Per-tensor K = 8:
// tp_mve_fc8_k8 (two weight rows per load, VMLADAV on each half).
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstddef>

#include "mve_kernels.h"
#include "mve_util.h"

namespace tp::kernels::mve {

// Field order is fixed: gen_gemm_asm.py's FCA.
struct FcArgs {
  const int8_t* in;
  int32_t k;
  const int8_t* w0;  // weight rows of the group's 4 outputs
  const int8_t* w1;
  const int8_t* w2;
  const int8_t* w3;
  int32_t w_adv;  // bytes from a row's end-of-loop position to the next group's row
  int8_t* out;
  int32_t groups;
  const int32_t* bias;   // 4 per group
  const int32_t* mult;   // 4 per group (rq_stride 16) or 4 copies (rq_stride 0)
  const int32_t* shift;  // <= 0
  int32_t rq_stride;
  int32_t out_offset;
  int32_t act_min;
  int32_t act_max;
  uint32_t pred;  // store predicate (4 bits per output)
};
static_assert(offsetof(FcArgs, pred) == 64, "FcArgs layout is fixed by the assembly");

// Field order is fixed: gen_gemm_asm.py's FC8P.
struct Fc8pArgs {
  const int8_t* in;
  const int8_t* w;       // first weight row (4-aligned; rows K apart)
  int8_t* out;
  int8_t* out_end;       // out + 8 * groups
  const int32_t* bias;   // 8 per group
  const int32_t* mult;   // 4 per rq_stride, two per group
  const int32_t* shift;  // <= 0
  int32_t rq_stride;     // 16 per-channel, 0 per-tensor (4 copies)
  int32_t out_offset;
  const uint16_t* soff;  // {0, 4, 1, 5, 2, 6, 3, 7}
};
static_assert(offsetof(Fc8pArgs, soff) == 36, "Fc8pArgs layout is fixed by the assembly");

// Field order is fixed: gen_gemm_asm.py's FC8A.
struct Fc8Args {
  const int8_t* in;
  const int8_t* w;  // first weight row of the first group (4-aligned)
  int8_t* out;
  int32_t groups;   // of 8 outputs
  const int32_t* bias;
  int32_t out_offset, act_min, act_max;
  int32_t mult, shift;  // per tensor
  const uint16_t* soff;  // fc8s: store offsets {0, 4, 1, 5, 2, 6, 3, 7}
};

extern "C" {
#include "dw_mve_decls.inc"
}

bool fully_connected(const FullyConnectedParams& p, const int8_t* input, int8_t* output) {
  const Requant& rq = p.requant;
  const int32_t n_out = p.output_depth, k = p.input_depth;
  if (n_out <= 0 || k <= 0) return false;
  if ((rq.per_channel ? max_s32(rq.shift, n_out) : rq.shift[0]) > 0) return false;
  fully_connected_run(p, input, output);
  return true;
}

void fc_groups(const int8_t* in, int32_t k, const int8_t* w, int8_t* out, int32_t groups,
               const int32_t* bias, const int32_t* mult, const int32_t* shift, int32_t rq_stride,
               int32_t out_offset) {
  FcArgs a;
  a.in = in;
  a.k = k;
  a.w0 = w;
  a.w1 = w + k;
  a.w2 = w + 2 * k;
  a.w3 = w + 3 * k;
  a.w_adv = 4 * k - ((k + 15) & ~15);
  a.out = out;
  a.groups = groups;
  a.bias = bias;
  a.mult = mult;
  a.shift = shift;
  a.rq_stride = rq_stride;
  a.out_offset = out_offset;
  a.act_min = -128;
  a.act_max = 127;
  a.pred = 0xFFFF;
  ((k & 31) == 0 ? tp_mve_fc4u : tp_mve_fc4)(&a);
}

int32_t fc_groups8(const int8_t* in, int32_t k, const int8_t* w, int8_t* out, int32_t c_out,
                   const int32_t* bias, const int32_t* mult, const int32_t* shift,
                   int32_t rq_stride, int32_t out_offset, int variant) {
  const int32_t groups = c_out / 8;
  if (groups == 0 || !aligned(w, 4)) return 0;
  for (size_t i = 0; i < sizeof(kFc8pKs) / sizeof(kFc8pKs[0]); ++i) {
    if (kFc8pKs[i] != k) continue;
    alignas(16) static constexpr uint16_t kSoff[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    Fc8pArgs a;
    a.in = in;
    a.w = w;
    a.out = out;
    a.out_end = out + 8 * groups;
    a.bias = bias;
    a.mult = mult;
    a.shift = shift;
    a.rq_stride = rq_stride;
    a.out_offset = out_offset;
    a.soff = kSoff;
    kFc8p[i][variant](&a);
    return 8 * groups;
  }
  return 0;
}

void fully_connected_run(const FullyConnectedParams& p, const int8_t* input, int8_t* output) {
  const Requant& rq = p.requant;
  const int32_t n_out = p.output_depth, k = p.input_depth;
  // Per-tensor, K = 64 or 128, 4-aligned rows: groups of 8 outputs.
  int32_t done = 0;
  const bool fc8 = !rq.per_channel && (k == 64 || k == 128) && aligned(p.filter_data, 4) &&
                   n_out >= 8;
  // Per-tensor, K = 8: two weight rows per 16-byte load, 8 outputs a group.
  if (!rq.per_channel && k == 8 && aligned(p.filter_data, 4) && n_out >= 8) {
    alignas(16) static constexpr uint16_t kSoff8[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    Fc8Args a8;  // every field set below (no zeroing memset per call)
    a8.soff = kSoff8;
    a8.w = p.filter_data;
    a8.groups = n_out / 8;
    a8.bias = p.folded_bias;
    a8.out_offset = rq.output_offset;
    a8.act_min = rq.act_min;
    a8.act_max = rq.act_max;
    a8.mult = rq.multiplier[0];
    a8.shift = rq.shift[0];
    for (int32_t b = 0; b < p.batches; ++b) {
      a8.in = input + b * k;
      a8.out = output + b * n_out;
      tp_mve_fc8_k8(&a8);
    }
    done = 8 * a8.groups;
    if (done == n_out) return;
  }
  if (fc8) {
    // The whole int8 range and a right shift: the saturating tail (fc8s).
    const bool sat = rq.act_min == -128 && rq.act_max == 127 && rq.shift[0] < 0;
    alignas(16) static constexpr uint16_t kSoff[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    Fc8Args a8;  // every field set below (no zeroing memset per call)
    a8.soff = kSoff;
    a8.w = p.filter_data;
    a8.groups = n_out / 8;
    a8.bias = p.folded_bias;
    a8.out_offset = rq.output_offset;
    a8.act_min = rq.act_min;
    a8.act_max = rq.act_max;
    a8.mult = rq.multiplier[0];
    a8.shift = rq.shift[0];
    for (int32_t b = 0; b < p.batches; ++b) {
      a8.in = input + b * k;
      a8.out = output + b * n_out;
      if (sat) {
        (k == 64 ? tp_mve_fc8s_k64 : tp_mve_fc8s_k128)(&a8);
      } else {
        (k == 64 ? tp_mve_fc8_k64 : tp_mve_fc8_k128)(&a8);
      }
    }
    done = 8 * a8.groups;
    if (done == n_out) return;
  }
  const int32_t groups = (n_out - done) / 4, rem = (n_out - done) % 4;
  const int32_t loop_bytes = (k + 15) & ~15;  // what the loop advances each pointer by
  // Per-tensor requantization: 4 copies. The partial group: its own copies.
  alignas(16) int32_t m4[4], s4[4], b4[4], pm4[4], ps4[4];
  for (int i = 0; i < 4; ++i) {
    m4[i] = rq.multiplier[0];
    s4[i] = rq.shift[0];
  }
  FcArgs a;  // every field set before each call (no zeroing memset)
  a.k = k;
  a.rq_stride = rq.per_channel ? 16 : 0;
  a.out_offset = rq.output_offset;
  a.act_min = rq.act_min;
  a.act_max = rq.act_max;
  for (int32_t b = 0; b < p.batches; ++b) {
    a.in = input + b * k;
    int8_t* out = output + b * n_out;
    if (groups > 0) {
      a.w0 = p.filter_data + done * k;
      a.w1 = a.w0 + k;
      a.w2 = a.w1 + k;
      a.w3 = a.w2 + k;
      a.w_adv = 4 * k - loop_bytes;
      a.out = out + done;
      a.groups = groups;
      a.bias = p.folded_bias + done;
      a.mult = rq.per_channel ? rq.multiplier + done : m4;
      a.shift = rq.per_channel ? rq.shift + done : s4;
      a.pred = 0xFFFF;
      ((k & 31) == 0 ? tp_mve_fc4u : tp_mve_fc4)(&a);
    }
    if (rem > 0) {
      const int32_t o0 = done + 4 * groups;
      const int8_t* rows[4];
      for (int i = 0; i < 4; ++i) {
        const int32_t o = o0 + i < n_out ? o0 + i : n_out - 1;
        rows[i] = p.filter_data + o * k;
        b4[i] = p.folded_bias[o];
        pm4[i] = rq.multiplier[rq.per_channel ? o : 0];
        ps4[i] = rq.shift[rq.per_channel ? o : 0];
      }
      a.w0 = rows[0];
      a.w1 = rows[1];
      a.w2 = rows[2];
      a.w3 = rows[3];
      a.w_adv = 0;
      a.out = out + o0;
      a.groups = 1;
      a.bias = b4;
      a.mult = pm4;
      a.shift = ps4;
      a.pred = (1u << (4 * rem)) - 1;
      tp_mve_fc4(&a);
    }
  }
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
