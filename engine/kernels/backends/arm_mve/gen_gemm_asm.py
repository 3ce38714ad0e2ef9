#!/usr/bin/env python3
"""Generates gemm_mve.S: the Helium (MVE) int8 GEMM micro-kernels of the
arm_mve backend. Run it after editing and commit what it writes next to it (gemm_mve.S,
gemm_mve_table.inc, gemm_mve_decls.inc):

    engine/kernels/backends/arm_mve/gen_gemm_asm.py

Every kernel computes blocks of 2 pixels x 4 output channels: eight int32
dot products of length K = NSEG segments x L bytes, 16 int8 MACs per
VMLADAVA, the eight accumulators living in the even core registers
(r0 r2 r4 r6 r8 r10 r12 lr, the only ones VMLADAVA accepts). The input of
pixel 0 is read through r1 (post-incremented by 16 per chunk, + seg_step
between segments); pixel 1 either at the immediate offset PX1 from it
("mode a", which leaves r11 for seg_step) or through its own pointer r11
("mode b", one segment). Weights of the 4 output channels come through
r3 r5 r7 r9 with immediate offsets (or post-increment and a rewind when the
row is longer than the immediate range).

The accumulators then go to two vectors (pixel 0 and pixel 1, lanes = the
4 channels), get the folded bias, TFLite's requantization (VQRDMULH is
exactly SaturatingRoundingDoublingHighMul; the rounding right shift adds
-1 to negative values first so that VRSHL's round-half-up becomes
round-half-away-from-zero), the output zero point, saturation to int8
(the kernels assume the activation range is the whole int8 range; the
dispatcher checks it) and one scatter store of the 8 bytes.

Loops: groups of 4 output channels (outer), pixel pairs (inner).

The 8-channel block kernels (b8_kernel) are the exception: one pixel x 8
output channels a step, the pixel's and each channel's 64 bytes by one
VLDM (weights in conv_layout.h's block layout), groups of 8 channels
outside the pixels.
"""

import contextlib
import sys

# Offsets in struct tp::kernels::mve::GemmArgs (gemm_mve.h).
# (bias, mult, shift, rq_stride first: the group loop's one LDM / STM;
# in_adv, in_end and out_adv, out_offset side by side: LDRD pairs)
ARGS = dict(BIAS=0, MULT=4, SHIFT=8, RQ_STRIDE=12, IN=16, W=20, OUT=24, W_STRIDE=28,
            SEG_STEP=32, IN_ADV=36, IN_END=40, OUT_ADV=44, OUT_OFFSET=48, SOFFS=52,
            GROUPS=56, IN1_DELTA=60)

# Stack frame of a kernel (below the saved registers): a copy of the
# arguments (four VLDRW / VSTRW), then the block's output pointer.
F = dict(ARGS, OUT_BASE=ARGS["OUT"], OUT_CUR=64)
FRAME = 72

ACC = [["r0", "r2", "r4", "r6"], ["r8", "r10", "r12", "lr"]]  # [pixel][oc]
WPTR = ["r3", "r5", "r7", "r9"]


def fixup_and_shift(e, fix, q, sh, tmp):
    """TFLite's rounding right shift of the lanes of q by the (negative)
    shifts in sh: the rounding fixup FIX (FIXUPS: "sign" adds -1 to negative
    lanes, "masked" only where the shift is nonzero, "none" nothing), then
    VRSHL. tmp is clobbered."""
    if fix != "none":
        if fix == "masked":
            e(f"  vand {tmp}, {q}, {sh}")
            e(f"  vshr.s32 {tmp}, {tmp}, #31")
        else:
            e(f"  vshr.s32 {tmp}, {q}, #31")
        e(f"  vqadd.s32 {q}, {q}, {tmp}")
    if SHIFT_IMM is None:
        e(f"  vrshl.s32 {q}, {q}, {sh}")
    else:
        assert fix == "none"  # (the shift in narrow_pair)


def narrow_pair(e, d, zp):
    """q0 (lanes to the even halfwords) and q1 (the odd ones) narrowed with
    saturation into d's 16-bit lanes, the output zero point zp (a core or a
    Q register of 16-bit copies) added with saturation; the last narrowing
    to bytes is the caller's (VQMOVNB or VQMOVNT)."""
    if SHIFT_IMM is None:
        e(f"  vqmovnb.s32 {d}, q0")
        e(f"  vqmovnt.s32 {d}, q1")
    else:
        e(f"  vqrshrnb.s32 {d}, q0, #{SHIFT_IMM}")
        e(f"  vqrshrnt.s32 {d}, q1, #{SHIFT_IMM}")
    e(f"  vqadd.s16 {d}, {d}, {zp}")


def tbh_table(e, reg, bits, label, target):
    """A branch by the value of reg clamped to 0 .. 2^bits - 1 (USAT): TBH
    through a table of 2^bits halfwords at `label`, entry k to target(k)
    (labels after the table: TBH branches forward only)."""
    e(f"  usat {reg}, #{bits}, {reg}")
    e(f"  tbh [pc, {reg}, lsl #1]")
    e(f"{label}:")
    for k in range(1 << bits):
        e(f"  .hword ({target(k)} - {label}) / 2")


def group_shift_dispatch(e, name, sh, vecs, tmps):
    """An output group's shifts (the vectors vecs) all equal to the core
    register sh, a right shift of 1 .. GEMM_SHIFT_MAX: to label
    .L<name>_s<shift> (after the function), else on to .L<name>_gg, emitted
    here (VCMP and VMRS a vector into tmps, one TBH). sh is clobbered."""
    for v, t in zip(vecs, tmps):
        e(f"  vcmp.i32 ne, {v}, {sh}")
        e(f"  vmrs {t}, p0")
    if len(vecs) == 1:
        e(f"  cbnz {tmps[0]}, .L{name}_gg")
    else:
        e(f"  orrs {tmps[0]}, {tmps[1]}")
        e(f"  bne .L{name}_gg")
    e(f"  rsb {sh}, {sh}, #0")
    tbh_table(e, sh, 4, f".L{name}_gt",
              lambda k: f".L{name}_s{k}" if 1 <= k <= GEMM_SHIFT_MAX else f".L{name}_gg")
    e(f".L{name}_gg:")


def fn_begin(e, name, frame=0):
    """A kernel's header and prologue: r4-r11, lr and d8-d15 saved, `frame`
    bytes of stack below them."""
    e(f"\n  .global {name}\n  .type {name}, %function\n  .p2align 2\n  .thumb_func")
    e(f"{name}:")
    e("  push {r4-r11, lr}")
    e("  vpush {d8-d15}")
    if frame:
        e(f"  sub sp, #{frame}")


def fn_return(e, frame=0):
    """fn_begin's epilogue: the frame dropped, the registers restored."""
    if frame:
        e(f"  add sp, #{frame}")
    e("  vpop {d8-d15}")
    e("  pop {r4-r11, pc}")


def dot8(e, K, ptrs, in_load):
    """The unrolled dot products of one input (K bytes, K % 16 == 0) with 8
    weight rows K apart, into r0 r2 .. lr: the rows split evenly over the
    pointers `ptrs` (immediate offsets, VLDRW), the input chunk c loaded into
    q0 by the line in_load(c)."""
    acc = ["r0", "r2", "r4", "r6", "r8", "r10", "r12", "lr"]
    per = 8 // len(ptrs)
    for c in range(K // 16):
        e(in_load(c))
        for j in range(8):
            off = (j % per) * K + 16 * c
            e(f"  vldrw.u32 q1, [{ptrs[j // per]}, #{off}]")
            e(f"  {'vmladav.s8' if c == 0 else 'vmladava.s8'} {acc[j]}, q0, q1")


def kernel(name, nseg, L, px1, wload, wb, fix, tail=0, u2=False, pred_tail=True, wide=False,
           shift_variants=False):
    """nseg segments of L bytes (multiple of 16); px1 = pixel-1 offset in
    mode a, None for mode b; wload 'w' (VLDRW, 4-aligned rows) or 'b';
    wb: weights post-incremented (rows longer than the immediate range);
    fix: the rounding fixup before VRSHL (see FIXUPS): "sign", "masked"
    (vand with the shift: needed when a shift can be 0) or "none";
    tail: bytes valid in the last chunk of each row (0 = all 16): the weight
    loads of that chunk are predicated (no read past a row); not with
    pred_tail False (UNPRED_TAIL): the chunk read whole, the input bytes past
    K being 0 (both im2col paths write them so) and the bytes read past the
    last row being the filter array's padding (the model compiler's).
    u2 (one-weight-pointer shapes with the folded pair step only): two pixel
    pairs per loop iteration (an even pair count: in_end - in a multiple of
    2 pair steps; out_adv = the output step of 2 pairs), their 16 results
    narrowed into one vector (pair A in the even bytes, pair B in the odd
    ones) and stored by one byte scatter with 8-bit offsets (16 bytes at
    soffs: 0..3 A px0, +out_step A px1, +pair B ..., see gemm_mve.h); the
    output zero point in r9 instead of q7 (q7 holds pair A's result).
    wide (with u2: outputs whose two pairs lie more than 255 bytes apart,
    U2W): each pair narrowed and stored by its own halfword scatter (soffs:
    the one-pair kernel's 8 offsets; pair B's, soffs + out_adv / 2, in q7)."""
    chunks = L // 16
    assert L % 16 == 0 and chunks >= 1
    d, reuse, wstride, onew = kernel_mode(nseg, L, px1, wload, wb, tail)
    if px1 is None:
        assert nseg == 1
    else:
        assert -111 <= px1 <= 143, px1
    # One weight pointer and the pair step 2 PX1 (every caller: run_gemm_line
    # pairs pixels PX1 apart): the last chunk's pixel-0 load post-increments
    # r1 straight to the next pair (16 + in_adv, in_adv = 2 PX1 - L) when
    # that fits the load's immediate; pixel 1's chunk is loaded first.
    fold_adv = (onew and px1 <= 127 and -127 <= 16 + 2 * px1 - L <= 127)
    # Pixel 1 beyond the byte loads' immediates (PX1 128: pw128): the input
    # read by VLDRW (4-aligned rows: GemmKernel::in_align), whose immediates
    # reach 508 in steps of 4, so that the pair step folds there too.
    in_words = in_word_loads(px1, L, onew)
    fold_adv = fold_adv or in_words
    ild = "vldrw.u32" if in_words else "vldrb.u8"
    if u2:
        assert onew and fold_adv
    o = []
    e = o.append
    fn_begin(e, name, FRAME)
    # copy the arguments into the frame (its first 64 bytes)
    for i in range(0, 64, 16):
        e(f"  vldrw.u32 q0, [r0, #{i}]")
        e(f"  vstrw.32 q0, [sp, #{i}]")
    e(f"  ldr r1, [r0, #{ARGS['SOFFS']}]")
    e("  vldrw.u32 q6, [r1]")
    if u2:
        e(f"  ldr r9, [r0, #{ARGS['OUT_OFFSET']}]")
    if wide:
        assert u2
        e(f"  ldr r1, [r0, #{ARGS['OUT_ADV']}]")
        e("  lsrs r1, r1, #1")
        e("  vadd.i16 q7, q6, r1")
    elif u2:
        pass  # (the zero point in r9; q7 holds pair A's result)
    elif onew:
        e(f"  ldr r1, [r0, #{ARGS['OUT_OFFSET']}]")
        e("  vdup.16 q7, r1")
    if tail:
        e(f"  movs r1, #{tail}")
        e("  vctp.8 r1")
    # ---- group loop
    e("1:")
    assert (F["BIAS"], F["MULT"], F["SHIFT"], F["RQ_STRIDE"]) == (0, 4, 8, 12)
    e("  ldm sp, {r0, r2, r4, r6}")               # bias, mult, shift, rq_stride
    e("  vldrw.u32 q3, [r0], #16")
    e("  vldrw.u32 q4, [r2]")
    e("  vldrw.u32 q5, [r4]")
    if shift_variants:
        e("  ldr r10, [r4]")                       # the group's first shift
    e("  add r2, r6")
    e("  add r4, r6")
    e("  stm sp, {r0, r2, r4}")
    # One segment in mode a without reuse leaves r11 free: it holds the
    # output pointer of the block (no frame load and store per block).
    out_r11 = px1 is not None and nseg == 1 and not reuse
    if onew:
        # in, w, out by one LDM, the next group's w and out by one STRD
        assert out_r11 and (F["IN"], F["W"], F["OUT_BASE"]) == (16, 20, 24)
        e("  add r8, sp, #16")
        e("  ldm r8, {r1, r3, r11}")
        e(f"  add r4, r3, #{4 * wstride}")
        e("  adds r6, r11, #4")
        e("  strd r4, r6, [sp, #20]")
        if u2:
            assert F["OUT_ADV"] == F["IN_END"] + 4
            e(f"  ldrd r7, r5, [sp, #{F['IN_END']}]")   # in_end, out_adv
        else:
            e(f"  ldr r5, [sp, #{F['OUT_ADV']}]")
            e(f"  ldrd r9, r7, [sp, #{F['IN_ADV']}]")   # in_adv, in_end
    else:
        e(f"  ldr r3, [sp, #{F['W']}]")
        e(f"  ldr r2, [sp, #{F['W_STRIDE']}]")
        e("  add r5, r3, r2")
        e("  add r7, r5, r2")
        e("  add r9, r7, r2")
        e("  add r4, r9, r2")
        e(f"  str r4, [sp, #{F['W']}]")
    # (onew: out and in by the LDM above)
    if not onew:
        if out_r11:
            e(f"  ldr r11, [sp, #{F['OUT_BASE']}]")
            e("  adds r4, r11, #4")
        else:
            e(f"  ldr r4, [sp, #{F['OUT_BASE']}]")
            e(f"  str r4, [sp, #{F['OUT_CUR']}]")
            e("  adds r4, #4")
        e(f"  str r4, [sp, #{F['OUT_BASE']}]")
        e(f"  ldr r1, [sp, #{F['IN']}]")
    if px1 is None:
        e(f"  ldr r11, [sp, #{F['IN1_DELTA']}]")
        e("  add r11, r1")
    elif not out_r11:
        e(f"  ldr r11, [sp, #{F['SEG_STEP']}]")
        if reuse:
            e(f"  adds r11, #{L}")
    def block():
        """One 2 x 4 block: dot products, then q0 / q1 requantized."""
        wadv = 0
        for s in range(nseg):
            cache = {}  # input chunk index -> Q register (reuse mode)
            for c in range(chunks):
                first = s == 0 and c == 0
                last_chunk = c == chunks - 1
                pred = bool(tail) and last_chunk and pred_tail
                mac = "vmladav.s8" if first else "vmladava.s8"
                if reuse:
                    # Pixel 1's chunk c is pixel 0's chunk c + d: load each
                    # input chunk once (immediate offsets from the segment start).
                    need = [c, c + d]
                    for idx in need:
                        if idx in cache:
                            continue
                        free = [r for r in ("q0", "q1", "q7")
                                if r not in [cache[i] for i in cache if i in need]]
                        stale = [i for i in cache if i not in need and i < c]
                        for i in stale:
                            del cache[i]
                        free = [r for r in ("q0", "q1", "q7") if r not in cache.values()]
                        cache[idx] = free[0]
                        e(f"  vldrb.u8 {cache[idx]}, [r1, #{16 * idx}]")
                    x0, x1 = cache[c], cache[c + d]
                elif fold_adv and last_chunk:
                    x0, x1 = "q0", "q1"
                    e(f"  {ild} q1, [r1, #{px1}]")
                    e(f"  {ild} q0, [r1], #{16 + 2 * px1 - L}")
                else:
                    x0, x1 = "q0", "q1"
                    e(f"  {ild} q0, [r1], #16")
                    if px1 is None:
                        e("  vldrb.u8 q1, [r11], #16")
                    else:
                        e(f"  {ild} q1, [r1, #{px1 - 16}]")
                # The tail chunk: weight loads predicated (no read past a
                # row), and the dot products too (the inactive lanes' inputs
                # are 0 anyway), so that one VPST covers 4 instructions.
                seq = []
                for j in range(4):
                    off = s * L + c * 16
                    if wb:
                        addr = f"[{WPTR[j]}], #16"
                    elif onew:
                        addr = f"[r3, #{j * wstride + off}]" if j * wstride + off else "[r3]"
                    else:
                        addr = f"[{WPTR[j]}, #{off}]" if off else f"[{WPTR[j]}]"
                    ld = "vldrw.u32" if wload == "w" else "vldrb.u8"
                    m = mac
                    if pred:
                        ld = ld.replace("vldrw", "vldrwt").replace("vldrb", "vldrbt")
                        m = mac.replace(".s8", "t.s8")
                    seq.append(f"  {ld} q2, {addr}")
                    seq.append(f"  {m} {ACC[0][j]}, {x0}, q2")
                    seq.append(f"  {m} {ACC[1][j]}, {x1}, q2")
                for i, ins in enumerate(seq):
                    if pred and i % 4 == 0:
                        e("  vpst" + "t" * (min(4, len(seq) - i) - 1))
                    e(ins)
                if wb:
                    wadv += 16
            if s != nseg - 1:
                e("  add r1, r11")
        if reuse:
            e(f"  adds r1, #{L}")  # (the pointer contract of the other kernels)
        # ---- requantize and store the 2 x 4 block
        # (VFP VMOV D <- 2 core registers: D0 = lanes 0-1 of Q0, D1 = lanes 2-3)
        e("  vmov d0, r0, r2")
        e("  vmov d1, r4, r6")
        e("  vmov d2, r8, r10")
        e("  vmov d3, r12, lr")
        e("  vadd.i32 q0, q0, q3")
        e("  vadd.i32 q1, q1, q3")
        e("  vqrdmulh.s32 q0, q0, q4")
        e("  vqrdmulh.s32 q1, q1, q4")
        for q in ("q0", "q1"):
            fixup_and_shift(e, fix, q, "q5", "q2")

        return wadv
    if shift_variants:
        # the group's 4 shifts equal, a right shift of 1 .. GEMM_SHIFT_MAX:
        # the pair loop of that shift (after the function), else this one
        assert u2 and fix == "none" and not (tail and pred_tail)
        e("  vcmp.i32 ne, q5, r10")
        e("  vmrs r0, p0")
        e("  cbnz r0, 2f")
        e("  rsb r10, r10, #0")
        tbh_table(e, "r10", 4, f".L{name}_gt",
                  lambda sh: f".L{name}_g{sh}" if 1 <= sh <= GEMM_SHIFT_MAX else f".L{name}_gg")
        e(f".L{name}_gg:")
    def u2_loop(label):
        """The two-pair loop (label: its number)."""
        e(f"{label}:")
        block()
        if wide:
            for offs in ("q6", "q7"):
                narrow_pair(e, "q2", "r9")
                e("  vqmovnb.s16 q2, q2")
                e(f"  vstrb.16 q2, [r11, {offs}]")
                if offs == "q6":
                    block()
        else:
            narrow_pair(e, "q7", "r9")
            e("  vqmovnb.s16 q7, q7")
            block()
            narrow_pair(e, "q2", "r9")
            e("  vqmovnt.s16 q7, q2")
            e("  vstrb.8 q7, [r11, q6]")
        e("  add r11, r5")
        e("  cmp r1, r7")
        e(f"  bne {label}b")

    # ---- pair loop
    if u2:
        u2_loop(2)
    elif onew:
        e("2:")
        block()
        narrow_pair(e, "q2", "q7")
        e("  vqmovnb.s16 q2, q2")
        e("  vstrb.16 q2, [r11, q6]")
        e("  add r11, r5")
        if not fold_adv:
            e("  add r1, r9")
        e("  cmp r1, r7")
        e("  bne 2b")
    else:
        e("2:")
        tail_store(e, out_r11, px1, wb, block())
    # ---- next group
    e("3:")
    e(f"  ldr r1, [sp, #{F['GROUPS']}]")
    e("  subs r1, #1")
    e(f"  str r1, [sp, #{F['GROUPS']}]")
    e("  bne 1b")
    fn_return(e, FRAME)
    if shift_variants:
        # the pair loop once per right shift: VQRSHRNB / VQRSHRNT #s instead
        # of VRSHL and the saturating narrowing (4 instructions fewer a loop
        # step), then to the group's end
        for sh in range(1, GEMM_SHIFT_MAX + 1):
            e(f".L{name}_g{sh}:")
            with shift_imm(sh):
                u2_loop(7)
            e("  b 3b")
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


# Depths of the 8-channel block kernels (b8_kernel): one kernel each
# (conv_layout.h conv_block8_depth, and 64).
B8_KS = (40, 64, 128, 192, 256)
# Offsets in struct tp::kernels::mve::B8Args (gemm_mve.h).
B8A = dict(BIAS=0, MULT=4, SHIFT=8, RQ_STRIDE=12, IN=16, W=20, OUT=24, IN_END=28, OUT_STEP=32,
           GROUPS=36, OUT_OFFSET=40, SOFFS=44)
# Its frame: the group's multipliers (32 bytes) and shifts (32), 8 copies of
# the output zero point (int16) and the 8 store offsets (one VLDM: q2-q7),
# then the arguments' pointer, the groups left, the group's output, and the
# multiplier and shift pointers.
B8F = dict(MULT=0, SHIFT=32, ZP=64, SOFFS=80, ARGS=96, LEFT=100, OUT=104, MPTR=108, SPTR=112)
B8_FRAME = 120


def b8_kernel(name, K):
    """1x1 convolution, stride 1, K input bytes a pixel (a multiple of 64,
    or under 64 a multiple of 8: below), no rounding fixup (output zero point -128): per group of 8 output
    channels (outer loop) every pixel (inner loop) gets the 8 dot products,
    one pixel at a time. The weights come in the 8-channel block layout
    (conv_layout.h: per group, per 64 input bytes, the 8 channels' 64 bytes
    one after another; for K = 64 the plain rows) so that one VLDM reads a
    channel's 64 bytes into q4-q7 and the weights are one stream; one VLDM
    reads the pixel's 64 bytes into q0-q3: 41 instructions for 32 VMLADAVAs
    (against 56 with a load per vector). The sums start at the folded bias
    (one LDM into the 8 even core registers), go to q0 (channels 0-3) and q1
    (4-7), are requantized by the group's multipliers and shifts and
    narrowed with the zero point from the frame (one VLDM into q2-q7) and
    stored by one halfword scatter. A group whose 8 shifts are equal (a
    right shift of 1 .. GEMM_SHIFT_MAX) runs a pixel loop of its own with
    the shift an immediate (VQRSHRNB / VQRSHRNT #s: 2 instructions fewer a
    pixel), entered by one TBH. B8Args: bias, mult, shift (8 a group;
    rq_stride 32, or 0 and 8 copies), in (4-aligned), w (4-aligned), out,
    in_end, out_step, groups, out_offset, soffs ({0, 4, 1, 5, 2, 6, 3, 7}).
    Registers: r1 input, r3 weights, r5 the input's end, r7 output, r9
    bias, r11 the output step, the sums in r0 r2 .. lr."""
    # (K < 64, a multiple of 8: one step; the weight rows padded with zeros
    # to Kp, a multiple of 16; the input's VLDM reads K bytes, the last
    # vector's stale upper half meets zero weights)
    assert K % 64 == 0 or (K < 64 and K % 8 == 0)
    kp = K if K % 64 == 0 else (K + 15) // 16 * 16
    step = min(kp, 64)
    acc = ["r0", "r2", "r4", "r6", "r8", "r10", "r12", "lr"]
    ldm_acc = "  ldm r9, {r0, r2, r4, r6, r8, r10, r12, lr}"
    o = []
    e = o.append

    def pixel_loop(sh):
        """The pixel loop (label 2), right shift sh (None: the frame's)."""
        e("2:")
        for _ in range(kp // step):
            e(f"  vldmia r1!, {{d0-d{min(K, step) // 8 - 1}}}")
            for c in range(8):
                e(f"  vldmia r3!, {{d8-d{8 + step // 8 - 1}}}")
                for j in range(step // 16):
                    e(f"  vmladava.s8 {acc[c]}, q{j}, q{4 + j}")
        e("  vmov d0, r0, r2")
        e("  vmov d1, r4, r6")
        e("  vmov d2, r8, r10")
        e("  vmov d3, r12, lr")
        e("  vldmia sp, {d4-d15}")
        e("  vqrdmulh.s32 q0, q0, q2")
        e("  vqrdmulh.s32 q1, q1, q3")
        if sh is None:
            e("  vrshl.s32 q0, q0, q4")
            e("  vrshl.s32 q1, q1, q5")
            e("  vqmovnb.s32 q2, q0")
            e("  vqmovnt.s32 q2, q1")
        else:
            e(f"  vqrshrnb.s32 q2, q0, #{sh}")
            e(f"  vqrshrnt.s32 q2, q1, #{sh}")
        e("  vqadd.s16 q2, q2, q6")
        e("  vqmovnb.s16 q2, q2")
        e("  vstrb.16 q2, [r7, q7]")
        e("  add r7, r11")
        e(f"  sub r3, r3, #{8 * kp}")
        e(ldm_acc)
        e("  cmp r1, r5")
        e("  bne 2b")

    fn_begin(e, name, B8_FRAME)
    e(f"  str r0, [sp, #{B8F['ARGS']}]")
    e(f"  ldr r1, [r0, #{B8A['GROUPS']}]")
    e(f"  str r1, [sp, #{B8F['LEFT']}]")
    e(f"  ldr r1, [r0, #{B8A['OUT']}]")
    e(f"  str r1, [sp, #{B8F['OUT']}]")
    e(f"  ldr r1, [r0, #{B8A['MULT']}]")
    e(f"  str r1, [sp, #{B8F['MPTR']}]")
    e(f"  ldr r1, [r0, #{B8A['SHIFT']}]")
    e(f"  str r1, [sp, #{B8F['SPTR']}]")
    e(f"  ldr r1, [r0, #{B8A['OUT_OFFSET']}]")
    e("  vdup.16 q6, r1")
    e(f"  vstrw.32 q6, [sp, #{B8F['ZP']}]")
    e(f"  ldr r1, [r0, #{B8A['SOFFS']}]")
    e("  vldrw.u32 q7, [r1]")
    e(f"  vstrw.32 q7, [sp, #{B8F['SOFFS']}]")
    e(f"  ldr r9, [r0, #{B8A['BIAS']}]")
    e(f"  ldr r3, [r0, #{B8A['W']}]")
    e(f"  ldr r5, [r0, #{B8A['IN_END']}]")
    e(f"  ldr r11, [r0, #{B8A['OUT_STEP']}]")
    e("1:")  # group: its multipliers and shifts into the frame
    e(f"  ldr r2, [r0, #{B8A['RQ_STRIDE']}]")
    for what in ("MULT", "SHIFT"):
        ptr = "MPTR" if what == "MULT" else "SPTR"
        e(f"  ldr r1, [sp, #{B8F[ptr]}]")
        e("  vldrw.u32 q0, [r1]")
        e("  vldrw.u32 q1, [r1, #16]")
        e(f"  vstrw.32 q0, [sp, #{B8F[what]}]")
        e(f"  vstrw.32 q1, [sp, #{B8F[what] + 16}]")
        if what == "SHIFT":
            e("  ldr r6, [r1]")  # the group's first shift
        e("  add r1, r2")
        e(f"  str r1, [sp, #{B8F[ptr]}]")
    e(f"  ldr r7, [sp, #{B8F['OUT']}]")
    e("  adds r1, r7, #8")
    e(f"  str r1, [sp, #{B8F['OUT']}]")
    e(f"  ldr r1, [r0, #{B8A['IN']}]")
    # the 8 shifts equal, a right shift of 1 .. GEMM_SHIFT_MAX: that
    # shift's pixel loop (after the function), else the next one
    group_shift_dispatch(e, name, "r6", ("q0", "q1"), ("r4", "r8"))
    e(ldm_acc)
    pixel_loop(None)
    e("3:")
    e(f"  add r3, r3, #{8 * kp}")
    e("  adds r9, #32")
    e(f"  ldr r0, [sp, #{B8F['ARGS']}]")
    e(f"  ldr r1, [sp, #{B8F['LEFT']}]")
    e("  subs r1, #1")
    e(f"  str r1, [sp, #{B8F['LEFT']}]")
    e("  bne 1b")
    fn_return(e, B8_FRAME)
    for sh in range(1, GEMM_SHIFT_MAX + 1):
        e(f".L{name}_s{sh}:")
        e(ldm_acc)
        pixel_loop(sh)
        e("  b 3b")
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


# Output pixel steps of the resident-weight kernels (rw16_kernel): one
# kernel each, the step being the stores' post-increment.
RW16_STEPS = (16, 32, 64)


def rw16_kernel(name, step):
    """1x1 convolution over K = 16 input bytes a pixel, no rounding fixup
    (output zero point -128), weights resident: per group of 4 output
    channels their 4 weight rows stay in q0-q3 (bias q5, multipliers q6,
    shifts q7) while the pixels stream through q4, 4 a loop iteration then
    one at a time: a load, 4 VMLADAVs, the 4 sums moved into q4 and
    requantized there, narrowed and stored by VSTRB.32 (the low byte of each
    32-bit lane: 4 channels' bytes) with the pixel step `step` as
    post-increment. A group whose 4 shifts are equal (a right shift of 1 ..
    GEMM_SHIFT_MAX) runs pixel loops of their own with the shift an
    immediate (VQRSHRNB #s: 1 instruction fewer a pixel), entered by one
    TBH. GemmArgs: in, w (4-aligned rows of 16 bytes), out,
    in_end (in + 16 pixels), out_offset, bias, mult, shift, rq_stride,
    groups. Registers: r0 the arguments, r1 input, r3 output (a low
    register: the narrowing store's base), r2 r4 r6 r8
    sums, r11 weights, r5 bias, r7 multipliers, r10 shifts, r9 the output
    zero point, r12 groups left, lr the loop counter."""
    o = []
    e = o.append
    fn_begin(e, name, 8)
    e(f"  ldr r1, [r0, #{ARGS['OUT']}]")
    e("  str r1, [sp]")
    e(f"  ldr r12, [r0, #{ARGS['GROUPS']}]")
    e(f"  ldr r11, [r0, #{ARGS['W']}]")
    e(f"  ldr r5, [r0, #{ARGS['BIAS']}]")
    e(f"  ldr r7, [r0, #{ARGS['MULT']}]")
    e(f"  ldr r10, [r0, #{ARGS['SHIFT']}]")
    e(f"  ldr r9, [r0, #{ARGS['OUT_OFFSET']}]")

    def pixel(sh):
        e("  vldrb.u8 q4, [r1], #16")
        for j, acc in enumerate(("r2", "r4", "r6", "r8")):
            e(f"  vmladav.s8 {acc}, q4, q{j}")
        e("  vmov d8, r2, r4")
        e("  vmov d9, r6, r8")
        e("  vadd.i32 q4, q4, q5")
        e("  vqrdmulh.s32 q4, q4, q6")
        if sh is None:
            e("  vrshl.s32 q4, q4, q7")
            e("  vqmovnb.s32 q4, q4")
        else:
            e(f"  vqrshrnb.s32 q4, q4, #{sh}")
        e("  vqadd.s16 q4, q4, r9")
        e("  vqmovnb.s16 q4, q4")
        e(f"  vstrb.32 q4, [r3], #{step}")

    def pixels(sh):
        """The group's pixels (count / 4 in r2), 4 a loop step then the 0-3
        left, right shift sh (None: the group's shifts in q7)."""
        e("  wls lr, r2, 7f")
        e("2:")
        for _ in range(4):
            pixel(sh)
        e("  le lr, 2b")
        e("7:")
        e(f"  ldr r2, [r0, #{ARGS['IN_END']}]")
        e("  subs r2, r1")
        e("  lsrs r2, r2, #4")      # the 0-3 pixels left
        e("  wls lr, r2, 8f")
        e("4:")
        pixel(sh)
        e("  le lr, 4b")
        e("8:")

    e("1:")
    for j in range(4):
        e(f"  vldrw.u32 q{j}, [r11, #{16 * j}]" if j else "  vldrw.u32 q0, [r11]")
    e("  adds r11, #64")
    e("  vldrw.u32 q5, [r5], #16")
    e("  vldrw.u32 q6, [r7]")
    e("  vldrw.u32 q7, [r10]")
    e("  ldr r4, [r10]")          # the group's first shift
    e(f"  ldr r1, [r0, #{ARGS['RQ_STRIDE']}]")
    e("  add r7, r1")
    e("  add r10, r1")
    e("  ldr r3, [sp]")
    e("  adds r2, r3, #4")
    e("  str r2, [sp]")
    e(f"  ldr r1, [r0, #{ARGS['IN']}]")
    e(f"  ldr r2, [r0, #{ARGS['IN_END']}]")
    e("  subs r2, r1")
    e("  lsrs r2, r2, #6")      # pixels / 4
    # the group's 4 shifts equal, a right shift of 1 .. GEMM_SHIFT_MAX:
    # that shift's loops (after the function), else the next ones
    group_shift_dispatch(e, name, "r4", ("q7",), ("r6",))
    pixels(None)
    e(f".L{name}_ge:")
    e("  subs r12, #1")
    e("  bne 1b")
    fn_return(e, 8)
    for sh in range(1, GEMM_SHIFT_MAX + 1):
        e(f".L{name}_s{sh}:")
        pixels(sh)
        e(f"  b .L{name}_ge")
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


def kernel_mode(nseg, L, px1, wload, wb, tail):
    """(d, reuse, wstride, onew) of a shape (see kernel).
    Reuse mode: pixel 1's input is pixel 0's shifted by d whole chunks
    inside the segment (3x3, stride 1 or 2 with small C_in).
    One weight pointer (onew): one segment in mode a without reuse, rows of
    K bytes (w_stride == K: 1x1 convolutions and im2col rows) within the
    load's immediate range. r5 r7 r9 then hold out_adv, in_end, in_adv and
    q7 the output zero point: no frame loads per pair.
    With a tail the rows are K = L - 16 + tail bytes (im2col: K = kh kw C_in)."""
    chunks = L // 16
    d = px1 // 16 if px1 is not None and px1 % 16 == 0 else 0
    reuse = 1 <= d <= 2 and chunks > d and (chunks - 1 + d) * 16 <= 127 and not wb
    wstride = L if tail == 0 else L - 16 + tail
    imm_max = 508 if wload == "w" else 127
    onew = (px1 is not None and nseg == 1 and not reuse and not wb
            and (wload != "w" or wstride % 4 == 0) and 3 * wstride + L - 16 <= imm_max)
    return d, reuse, wstride, onew


def in_word_loads(px1, L, onew):
    """Input rows read by VLDRW (see kernel): one weight pointer, pixel 1 at
    PX1 > 127 (a multiple of 4) and the folded pair step within VLDRW's
    immediate range."""
    return (onew and px1 is not None and px1 > 127 and px1 % 4 == 0 and L % 16 == 0
            and px1 <= 508 and -508 <= 16 + 2 * px1 - L <= 508 and (16 + 2 * px1 - L) % 4 == 0)


def tail_store(e, out_r11, px1, wb, wadv):
    """The requantized 2 x 4 block's store and the pair loop's end (frame
    loads of out_offset, out_adv, in_end, in_adv)."""
    e(f"  ldrd r2, r0, [sp, #{F['OUT_ADV']}]")      # out_adv, out_offset
    e(f"  ldrd r6, r4, [sp, #{F['IN_ADV']}]")       # in_adv, in_end
    if not out_r11:
        e(f"  ldr r8, [sp, #{F['OUT_CUR']}]")
    narrow_pair(e, "q2", "r0")
    e("  vqmovnb.s16 q2, q2")
    if out_r11:
        e("  vstrb.16 q2, [r11, q6]")
        e("  add r11, r2")
    else:
        e("  vstrb.16 q2, [r8, q6]")
        e("  add r8, r2")
        e(f"  str r8, [sp, #{F['OUT_CUR']}]")
    e("  add r1, r6")
    if px1 is None:
        e("  add r11, r6")
    if wb:
        for j in range(4):
            e(f"  subw {WPTR[j]}, {WPTR[j]}, #{wadv}")
    e("  cmp r1, r4")
    e("  bne 2b")


# (name suffix, nseg, L, px1, wload, wb, tail)
# Shapes of the MLPerf Tiny models (see gemm_mve.h for the table the
# dispatcher searches); each comes in the three FIXUPS variants below.
SHAPES = [
    # 1x1 convolutions, stride 1: K = C_in, pixel 1 at +C_in
    ("pw16", 1, 16, 16, "w", False, 0),
    ("pw32", 1, 32, 32, "w", False, 0),
    ("pw64", 1, 64, 64, "w", False, 0),
    ("pw128", 1, 128, 128, "w", False, 0),
    ("pw256", 1, 256, None, "w", False, 0),
    # 1x1 convolutions, stride 2
    ("pw16s2", 1, 16, 32, "w", False, 0),
    ("pw32s2", 1, 32, 64, "w", False, 0),
    # 3x3 convolutions on C_in = 16 / 32 / 64, three row segments of 3*C_in
    ("c3x3c16s1", 3, 48, 16, "w", False, 0),
    ("c3x3c16s2", 3, 48, 32, "w", False, 0),
    ("c3x3c32s1", 3, 96, 32, "w", False, 0),
    ("c3x3c32s2", 3, 96, 64, "w", False, 0),
    ("c3x3c64s1", 3, 192, 64, "w", True, 0),
    # im2col buffers (pixel rows of K padded to 16, second pixel in mode b)
    ("col144", 1, 144, None, "w", False, 0),
    ("col288", 1, 288, None, "w", False, 0),
    ("col576", 1, 576, None, "w", True, 0),
    ("col40", 1, 48, 48, "w", False, 8),    # kws: 10x4 x 1 channel
    ("col27", 1, 32, 32, "b", False, 11),   # 3x3 x 3 channels
]
# The rounding fixup variants of every GEMM kernel, by name suffix:
# "sign" (every shift < 0, or 0 with a zero multiplier): -1 added to
# negative values before VRSHL, so that its round-half-up becomes TFLite's
# round-half-away-from-zero; "masked" (a shift may be 0): the -1 only where
# the shift is nonzero; "none": no fixup, for outputs whose zero point is
# -128 (the bottom of the whole int8 range the kernels assume). There a
# negative value rounds to 0 or below either way, and r + (-128) saturates
# to -128 whichever rounding made r: ties of negative values cannot show
# (mve_util.h fixup_hidden).
FIXUPS = (("sign", ""), ("masked", "_fix"), ("none", "_nr"))

# Shapes that also get the two-pairs-per-iteration kernel (`kernel(u2=True)`,
# names ending in _u2): the one-weight-pointer shapes with the folded pair step.

U2 = ("pw16", "pw32", "pw64", "pw16s2", "pw32s2", "col40", "col27")
# ... and the two-pair kernel with one halfword store per pair (`kernel(u2=True,
# wide=True)`, names ending in _u2w): for outputs whose two pairs lie more
# than 255 bytes apart (128 output channels: vww01's and sww01's 1x1 layers).
U2W = ("pw64", "pw128")
# ... of which these (no fixup) get the pair loop once per right shift for
# output groups whose 4 shifts are equal (kernel(shift_variants=True)):
# kws01's 1x1 and first layers.
SHIFT_U2 = ("pw32", "pw64", "col40", "col27")
SHIFT_U2W = ("pw64", "pw128")
GEMM_SHIFT_MAX = 14

# Shapes whose tail chunk runs unpredicated (kernel's pred_tail): 3 VPSTs
# fewer a 2 x 4 block. Their im2col rows hold 0 past K (conv.cc:
# im2col_gather_t, im2col_run_narrow, im2col_c3 / im2col_rows3_c3), and the
# model compiler pads their filter arrays (scratch_need.h: scratch_need_conv's
# filter_read_past), so the bytes read past the last weight row stay inside
# the array.
UNPRED_TAIL = ("col40", "col27")


# ---- depthwise 3x3 ----------------------------------------------------------
# Field offsets in struct tp::kernels::mve::DwArgs (depthwise.cc). The kernel
# keeps a per-channel state at the bottom of its stack frame (ST, moved by one
# LDM / STM per channel), copies the struct above it (A_* = frame offsets)
# and its own call state above that (S_*).
DWA = ["IN", "OUT", "GROUPS", "FILTER", "BIAS", "MULT", "SHIFT_DELTA", "RQ_STRIDE", "OUT_OFFSET",
       "PLANE", "COPY_ROWS", "COPY_DST", "IN_ROW_BYTES", "PW", "COPY_N", "ROWS_FULL",
       "LASTV", "COLS", "PARTIAL", "IN_ROW_SKIP", "OUT_ROW_SKIP", "OUT_COL_ADV",
       "PRED_LAST", "WOFF", "SOFF", "WG", "ROWV", "OFFS8", "FULL_END", "PART_END", "OFFW",
       "NPAIRS", "COLOFF", "COPY5", "ROWS4", "PAD3"]
# Per-channel state: LDM / STM order r0 r1 r2 r4 r6 r8 r10 lr.
ST = dict(PJ=0, OUT=4, WST=8, FEND=12, PEND=16, BIAS=20, MS=24, LEFT=28)
ST_BYTES = 32
A = {k: ST_BYTES + 4 * i for i, k in enumerate(DWA)}
DW_ARGS_BYTES = 4 * len(DWA)  # 144
_s0 = ST_BYTES + DW_ARGS_BYTES
# WOFF2V: stride 2, the second window's offsets; stride 1, the stage
# offsets of the (1, 0) weight vector.
S = dict(STAGE=_s0, WGV=_s0 + 48, T0=_s0 + 64, T1=_s0 + 68, TL0=_s0 + 72, TL1=_s0 + 76,
         IN_G=_s0 + 80, F_G=_s0 + 84, GRP_LEFT=_s0 + 88, C8=_s0 + 92, WOFFV=_s0 + 96,
         WOFF2V=_s0 + 112, SOFFV=_s0 + 128, COLV=_s0 + 144, PE0=_s0 + 160, PE1=_s0 + 164)
DW_FRAME = _s0 + 168  # 344
# ROWV 11: rows of up to this many block pairs (and no tail) as one
# unrolled row entered at pair PAIRS_UNROLLED - NPAIRS (dw_unrolled_pairs).
PAIRS_UNROLLED = 12


def dw_kernel(name, stride, group=1):
    """Depthwise 3x3 (depth multiplier 1) of all channels, stride 1 or 2, on
    a zero-point padded planar copy of each channel (see depthwise.cc).
    Block loop registers: r0 window, r1 output, r2 r4 r6 r8 dot products,
    r3 bias, r5 multiplier, r7 shift, r9 output zero point, r11 output step
    per block, r12 plane bytes from a row's end to the next row, lr block
    counter; q2 window offsets, q3 store offsets, q4-q7 weight vectors
    (stride 2: q4, q5, and q6 = the window offsets + 4 group, the second
    window of a 1x4 group).

    Channels run in groups of `group`: group 4 interleaves 4 channels in the
    plane (plane pixel = 4 bytes; the window offsets and the row bytes come
    scaled from depthwise.cc), their rows copied at once (word gathers, up
    to 4 a row); each of the 4 channels then runs from plane + j. Per group
    the taps of its channels are staged in the frame (group 4: three word
    gathers, byte 4k + j = tap k of channel j; group 1: byte k = tap k);
    bytes 9 g .. 9 g + 11 of the stage hold 0. Per channel the first weight
    vector is one gather from the stage (offsets WG, built by depthwise.cc),
    the others are shifts of it: stride 1, lanes 4r + q of a 4x4 window,
    (0,1) = VSHL.I32 #8 (one lane right in each row), (1,0) = a second
    gather whose offsets are WG's one window row down (lanes + 4, built
    once a call), (1,1) = that VSHL.I32 #8; stride 2,
    lanes 5r + q of a 3x5 window, the second = the first shifted by 16 bits.
    The row loop variant (per call, with and without the rounding fixup)
    comes from two tables (ROWV, LASTV) and is entered by LDR PC."""
    o = []
    e = o.append
    g = group
    fn_begin(e, name, DW_FRAME)
    for i in range(0, DW_ARGS_BYTES, 16):
        e(f"  vldrw.u32 q0, [r0, #{i}]")
        e(f"  vstrw.32 q0, [sp, #{ST_BYTES + i}]")
    e(f"  ldr r1, [sp, #{A['GROUPS']}]")
    e(f"  str r1, [sp, #{S['GRP_LEFT']}]")
    e(f"  ldr r1, [sp, #{A['IN']}]")
    e(f"  str r1, [sp, #{S['IN_G']}]")
    e(f"  ldr r1, [sp, #{A['FILTER']}]")
    e(f"  str r1, [sp, #{S['F_G']}]")
    # channel state of channel 0
    e(f"  ldr r0, [sp, #{A['PLANE']}]")
    e(f"  ldr r1, [sp, #{A['OUT']}]")
    e(f"  add r2, sp, #{S['STAGE']}")
    e(f"  ldrd r4, r6, [sp, #{A['FULL_END']}]")     # full_end, part_end
    e(f"  ldr r8, [sp, #{A['BIAS']}]")
    e(f"  ldr r10, [sp, #{A['MULT']}]")
    e("  stm sp, {r0, r1, r2, r4, r6, r8, r10}")
    e(f"  ldr r1, [sp, #{A['WG']}]")
    e("  vldrw.u32 q0, [r1]")
    e(f"  vstrw.32 q0, [sp, #{S['WGV']}]")
    e(f"  ldr r1, [sp, #{A['WOFF']}]")
    e("  vldrw.u32 q2, [r1]")
    e(f"  vstrw.32 q2, [sp, #{S['WOFFV']}]")
    if stride == 2:
        # the second 3x5 window of a 1x4 group, 4 columns right: offsets + 4 g
        # (q6, reloaded per channel: the copies use q4-q6)
        e(f"  vmov.i8 q0, #{4 * g}")
        e("  vadd.i8 q0, q2, q0")
        e(f"  vstrw.32 q0, [sp, #{S['WOFF2V']}]")
    else:
        # stride 1: the stage offsets of the third weight vector, output
        # (1, 0): the first vector's offsets one window row down (lanes + 4),
        # lanes 0-3 at stage byte 9 g (0), kept in the WOFF2V slot; per
        # channel one gather instead of VMOV, VSHLC and its zero register
        e(f"  ldr r1, [sp, #{A['WG']}]")
        e("  vldrw.u32 q0, [r1]")
        e(f"  mov r3, #{9 * g * 0x01010101:#x}")
        e("  vshlc q0, r3, #32")
        e(f"  vstrw.32 q0, [sp, #{S['WOFF2V']}]")
    e(f"  ldr r1, [sp, #{A['SOFF']}]")
    e("  vldrw.u32 q3, [r1]")
    if stride == 1:
        # the store offsets kept for w5_four_rows' column store, and that
        # store's offsets (COLOFF)
        e(f"  vstrw.32 q3, [sp, #{S['SOFFV']}]")
        e(f"  ldr r1, [sp, #{A['COLOFF']}]")
        e("  vldrw.u32 q0, [r1]")
        e(f"  vstrw.32 q0, [sp, #{S['COLV']}]")
    e(f"  ldr r9, [sp, #{A['OUT_OFFSET']}]")
    e(f"  ldr r11, [sp, #{A['OUT_COL_ADV']}]")
    e(f"  ldr r12, [sp, #{A['IN_ROW_SKIP']}]")
    if g == 1:
        # stage bytes 9-15 stay 0; 8 C: filter bytes from tap 0 to tap 8
        e("  vmov.i32 q0, #0")
        e(f"  vstrw.32 q0, [sp, #{S['STAGE']}]")
        e(f"  ldr r1, [sp, #{A['OFFS8']}]")
        e("  ldrh r2, [r1, #2]")                     # C
        e("  ldrh r1, [r1, #16 - 2]")                # 7 C
        e("  add r1, r2")
        e(f"  str r1, [sp, #{S['C8']}]")
    # the unrolled pair rows' entries (dw_unrolled_pairs): pair
    # PAIRS_UNROLLED - NPAIRS (NPAIRS clamped: other calls do not use them)
    e(f"  ldr r2, [sp, #{A['NPAIRS']}]")
    e(f"  cmp r2, #{PAIRS_UNROLLED}")
    e("  it hi")
    e(f"  movhi r2, #{PAIRS_UNROLLED}")
    e(f"  rsb r2, r2, #{PAIRS_UNROLLED}")
    for tbl, dst in (("97f", "PE0"), ("98f", "PE1")):
        e(f"  adr r1, {tbl}")
        e("  ldr r3, [r1, r2, lsl #2]")
        e(f"  str r3, [sp, #{S[dst]}]")
    # the row loops of this call: {no fixup, fixup} entry points
    for tbl, field, dst in (("95f", "ROWV", "T0"), ("96f", "LASTV", "TL0")):
        e(f"  adr r1, {tbl}")
        e(f"  ldr r2, [sp, #{A[field]}]")
        e("  add r1, r1, r2, lsl #3")
        e("  ldrd r2, r3, [r1]")
        e(f"  strd r2, r3, [sp, #{S[dst]}]")
    e("  b 200f")
    e("  .p2align 2")
    # block loops by row tail (none, single, partial, single + partial),
    # then (stride 1) the unrolled rows
    rows, last = dw_row_tables(stride)
    # Each table twice, the second time with the no-fixup loop in both
    # slots: outputs of zero point -128 (mve_util.h fixup_hidden), for which
    # depthwise.cc adds the first half's length to ROWV and LASTV
    # (kDwRowVariants, kDwLastVariants in dw_mve_decls.inc).
    e("95:")
    for nofix, fix in rows:
        e(f"  .word {nofix} + 1, {fix} + 1")
    for nofix, fix in rows:
        e(f"  .word {nofix} + 1, {nofix} + 1")
    e("96:")
    for nofix, fix in last:
        e(f"  .word {nofix} + 1, {fix} + 1")
    for nofix, fix in last:
        e(f"  .word {nofix} + 1, {nofix} + 1")
    # dw_unrolled_pairs' pair labels: no fixup (97), fixup (98)
    for tbl, base in (("97", 500), ("98", 520)):
        e(f"{tbl}:")
        e("  .word " + ", ".join(f"{base + k}f + 1" for k in range(PAIRS_UNROLLED + 1)))
    # ---- group loop: copy the group's rows, stage its taps
    e("200:")
    if g == 4:
        dw_copy_group4(e, stride, name)
    else:
        dw_copy_one(e)
    e("201:")
    e(f"  ldr r0, [sp, #{S['F_G']}]")
    e(f"  add r1, sp, #{S['STAGE']}")
    if g == 4:
        e(f"  ldr r6, [sp, #{A['OFFW']}]")
        e("  vldrw.u32 q0, [r6]")
        e("  vldrw.u32 q1, [r6, #16]")
        e("  vldrw.u32 q4, [r6, #32]")
        e("  vldrw.u32 q5, [r0, q0]")                # taps 0-3 of the 4 channels
        e("  vldrw.u32 q6, [r0, q1]")                # taps 4-7
        e("  movs r2, #1")
        e("  vctp.32 r2")
        e("  vpst")
        e("  vldrwt.u32 q7, [r0, q4]")              # tap 8; lanes 1-3 (bytes 36-47) 0
        e("  vstrw.32 q5, [r1]")
        e("  vstrw.32 q6, [r1, #16]")
        e("  vstrw.32 q7, [r1, #32]")
        e("  adds r0, #4")
        e(f"  str r0, [sp, #{S['F_G']}]")
        # the group's channel 0: plane + 0, stage + 0, end pointers
        e(f"  ldr r0, [sp, #{A['PLANE']}]")
        e(f"  ldrd r4, r6, [sp, #{A['FULL_END']}]")
        e(f"  str r0, [sp, #{ST['PJ']}]")
        e(f"  str r1, [sp, #{ST['WST']}]")
        e(f"  strd r4, r6, [sp, #{ST['FEND']}]")
    else:
        e(f"  ldr r6, [sp, #{A['OFFS8']}]")
        e("  vldrw.u32 q0, [r6]")
        e("  vldrb.s16 q1, [r0, q0]")               # taps 0-7
        e("  vstrb.16 q1, [r1]")
        e(f"  ldr r6, [sp, #{S['C8']}]")
        e("  ldrb r6, [r0, r6]")                     # tap 8
        e("  strb r6, [r1, #8]")
        e("  adds r0, #1")
        e(f"  str r0, [sp, #{S['F_G']}]")
    e(f"  movs r1, #{g}")
    e(f"  str r1, [sp, #{ST['LEFT']}]")
    # ---- channel loop
    e("210:")
    e("  ldm sp, {r0, r1, r2, r4, r6, r8, r10}")   # plane + j, out, stage + j, ends, bias, mult
    # (the next channel enters at 212: its state is in those registers)
    e("212:")
    dw_channel_head(e, stride)
    e("  cbz r7, 211f")
    e(f"  ldr pc, [sp, #{S['T1']}]")
    e("211:")
    e(f"  ldr pc, [sp, #{S['T0']}]")
    # full block rows (loops over the blocks of a row)
    for t in range(4):
        for fix in (True, False):
            e(f"{140 + 2 * t + (0 if fix else 1)}:")
            s1_loop_rows(e, g, fix, t, 160 + 3 * (2 * t + (0 if fix else 1)), stride)
            e(f"  ldr pc, [sp, #{S['TL1' if fix else 'TL0']}]")
    for fix in (True, False):
        dw_unrolled_pairs(e, g, fix, stride)
    # the last block row with its second output row outside (odd height);
    # the row loops jump to it (or to 60:) through TL0 / TL1 themselves, 40:
    # is for calls without full rows
    e("40:")
    e("  cbz r7, 41f")
    e(f"  ldr pc, [sp, #{S['TL1']}]")
    e("41:")
    e(f"  ldr pc, [sp, #{S['TL0']}]")
    if stride == 1:
        for t in range(4):
            for fix in (True, False):
                i = 2 * t + (0 if fix else 1)
                e(f"{150 + i}:")
                s1_pred_rows(e, g, fix, t, 220 + 3 * i)
                e("  b 60f")
    # ---- next channel: advance the state (one LDM / STM)
    e("60:")
    e("  ldm sp, {r0, r1, r2, r4, r6, r8, r10, lr}")
    if g == 4:
        for r in ("r0", "r2", "r4", "r6"):
            e(f"  adds {r}, #1")
    e("  adds r1, #1")
    e("  add r8, #4")
    e(f"  ldr r3, [sp, #{A['RQ_STRIDE']}]")
    e("  add r10, r3")
    e("  subs lr, #1")
    e("  stm sp, {r0, r1, r2, r4, r6, r8, r10, lr}")
    e("  bne 212b")
    e("62:")
    e(f"  ldr r0, [sp, #{S['IN_G']}]")
    e(f"  adds r0, #{g}")
    e(f"  str r0, [sp, #{S['IN_G']}]")
    e(f"  ldr r0, [sp, #{S['GRP_LEFT']}]")
    e("  subs r0, #1")
    e(f"  str r0, [sp, #{S['GRP_LEFT']}]")
    e("  bne 200b")
    fn_return(e, DW_FRAME)
    if stride == 1:
        dw_unrolled_rows(e, g, name if g == 4 else None)
        dw_recomputed_last_rows(e, g)
        if g == 4:
            w5_shift_variants(e, g, name)
            w5_channel_variants(e, g, name)
            dw_copy_w5_variants(e, name)
    else:
        dw_unrolled_rows_s2(e, g)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


def dw_row_tables(stride):
    """The planar kernel's row loops as (no fixup, fixup) entry labels: the
    full block rows by ROWV (block loops by row tail, then at stride 1 the
    unrolled rows), the last block row by LASTV (by row tail; stride 2 has
    no such row: LASTV is 0)."""
    rows = [("40f", "40f")] + [(f"{141 + 2 * t}f", f"{140 + 2 * t}f") for t in range(4)]
    rows += [(f"{100 + k}f", f"{106 + k}f") for k in range(6)]
    # ROWV 11: up to PAIRS_UNROLLED pairs (stride 2: of 1x4 groups) and no
    # tail unrolled (dw_unrolled_pairs)
    rows += [("541f", "540f")]
    if stride == 1:
        # ROWV 12: W = 5 with a multiple of 4 block rows (dw_unrolled_rows);
        # ROWV 13: the same without the fixup and an odd height's last row
        # after them, group 4 (w5_channel_variants; group 1: as ROWV 12)
        rows += [("443f", "449f"), ("453f", "449f")]
    last = [("60f", "60f")]
    if stride == 1:
        last += [(f"{151 + 2 * t}f", f"{150 + 2 * t}f") for t in range(4)]
        last += [(f"{400 + k}f", f"{406 + k}f") for k in range(6)]
    return rows, last


# The rows of 1-3 full blocks (stride 1: 2x2 blocks; stride 2: 1x4 groups)
# (+ a partial one), by (fixup, full blocks, partial): index k + 6 fix, k =
# 2 (cols - 1) + partial (depthwise.cc ROWV = 5 + k), and the row's tail
# (s1_tail: 1 an odd full block, 2 the partial one, 3 both).
UNROLLED = [(fix, cols, partial, (cols & 1) + 2 * partial)
            for fix in (False, True) for cols in (1, 2, 3) for partial in (0, 1)]


def row_blocks(e, group, fix, cols, tail, stride=1):
    """One block row of `cols` full blocks (stride 2: 1x4 groups) and the
    tail: the pairs, then the tail (no output advance after the last; P0
    holds the tail's predicate, see s1_tail)."""
    npairs = cols // 2
    for k in range(npairs):
        s1_pair(e, group, fix, adv=(tail != 0 or k < npairs - 1), stride=stride)
    s1_tail(e, group, fix, tail, stride=stride, adv=False)


def dw_unrolled_rows(e, group, name=None):
    """Stride 1, rows of 1-3 full blocks (+ a partial one): the full block
    rows with the row's blocks unrolled (pairs, see s1_pair), lr counting
    rows (no block loop, no end-pointer compare). Entries 100 + k (no
    fixup) and 106 + k (fixup), k = 2 (cols - 1) + partial (depthwise.cc:
    ROWV = 5 + k). Then to the last row's loop (TL0 / TL1) with r0 / r1
    where the block loops leave them."""
    for idx, (fix, cols, partial, tail) in enumerate(UNROLLED):
        e(f"{100 + idx}:")
        e(f"  ldr lr, [sp, #{A['ROWS_FULL']}]")
        w5 = cols == 2 and partial
        if w5:
            # W = 5: r12 comes with 4 group more (depthwise.cc: the four-row
            # loop's row skip, w5_four_rows), the single and pair of rows
            # before the loop take it off. A multiple of 4 block rows
            # straight into the four-row loop (it needs no predicate); ROWV
            # 12 enters at 440 + idx with the count from depthwise.cc.
            e("  tst lr, #3")
            e(f"  bne {360 + idx}f")
            e("  lsrs lr, lr, #2")
            e(f"  b {120 + idx}f")
            e(f"{360 + idx}:")
            e(f"  sub r12, #{4 * group}")
        if tail:
            e(f"  movw r10, #{S1_TAIL_PRED[tail]:#x}")
            e("  vmsr p0, r10")
        # From the row's last store to the next block row: that block's own
        # step (r11 = 2 C a block) and 2 R - 2 C (cols + partial) = cols x
        # r11 (W = 2 cols + partial): (last + cols) x r11, one add (3 and 5
        # x r11 kept in r10, free in these rows).
        last = 2 if tail in (0, 3) else 1
        step = last + cols
        if step in (3, 5):
            e(f"  add r10, r11, r11, lsl #{1 if step == 3 else 2}")

        def one_row():
            row_blocks(e, group, fix, cols, tail)
            e("  add r0, r12")
            if step in (3, 5):
                e("  add r1, r10")
            else:
                e(f"  add r1, r1, r11, lsl #{ {2: 1, 4: 2}[step] }")
        if cols == 2 and partial:
            # W = 5 (kws01): four block rows an iteration, their partial
            # blocks requantized as two vectors and stored at once
            # (w5_four_rows); a single row and a pair of rows first (the
            # count's bits 0 and 1; the pair's partial blocks as one vector,
            # w5_two_rows).
            e("  lsrs lr, lr, #1")
            e(f"  bcc {300 + idx}f")
            one_row()
            e(f"{300 + idx}:")
            e("  lsrs lr, lr, #1")
            e(f"  bcc {340 + idx}f")
            w5_two_rows(e, group, fix)
            e(f"{340 + idx}:")
            e(f"  add r12, #{4 * group}")
            e("  cmp lr, #0")
            e(f"  beq {320 + idx}f")
            # the four-row loop's output step (w5_four_rows): r10 = 5 x r11,
            # a block row of output
            e(f"{120 + idx}:")
            if not fix and name is not None:
                # group 4 without the fixup: the loop of the channel's
                # shift where one is generated (w5_shift_variants)
                w5_shift_dispatch(e, name)
            e("  add r10, r11, r11, lsl #2")
            e(f"{380 + idx}:")
            w5_four_rows(e, group, fix)
            e("  subs lr, #1")
            e(f"  bne {380 + idx}b")
            e(f"{320 + idx}:")
            e(f"  ldr pc, [sp, #{S['TL1' if fix else 'TL0']}]")
            if not fix:
                e("453:")
                if name is not None:
                    # ROWV 13 (depthwise.cc: group 4, no fixup, a multiple
                    # of 4 block rows and the last row): the channel's
                    # variant of w5_channel_variants (the rows, the last
                    # row and the next channel's set-up, which comes back
                    # here), other shifts to the loop with VRSHL
                    e(f"  ldr lr, [sp, #{A['ROWS4']}]")
                    w5_shift_dispatch(e, name, "c")
            e(f"{440 + idx}:")
            e(f"  ldr lr, [sp, #{A['ROWS4']}]")
            e(f"  b {120 + idx}b")
            continue
        else:
            e(f"{120 + idx}:")
            one_row()
            e("  subs lr, #1")
            e(f"  bne {120 + idx}b")
        e(f"  ldr pc, [sp, #{S['TL1' if fix else 'TL0']}]")


def dw_unrolled_rows_s2(e, group):
    """Stride 2, rows of 1-3 full 1x4 groups (+ a partial one): the rows
    with their groups unrolled (pairs, then the row's tail: s1_tail, P0 =
    PRED_LAST), lr counting rows; entries 100 + k (no fixup) and 106 + k
    (fixup), k as in dw_unrolled_rows (depthwise.cc: ROWV = 5 + k). The
    row's last group leaves r1 where it starts: r10 = OUT_ROW_SKIP plus that
    group's (single: r11) or pair's (2 r11) output step, one add a row.
    Stride 2 has no last rows: then to 60 through TL0 / TL1."""
    for idx, (fix, cols, partial, tail) in enumerate(UNROLLED):
        e(f"{100 + idx}:")
        e(f"  ldr lr, [sp, #{A['ROWS_FULL']}]")
        if tail:
            e(f"  ldr r10, [sp, #{A['PRED_LAST']}]")
            e("  vmsr p0, r10")
        e(f"  ldr r10, [sp, #{A['OUT_ROW_SKIP']}]")
        last = 2 if tail in (0, 3) else 1
        e(f"  add r10, r10, r11{', lsl #1' if last == 2 else ''}")
        e(f"{120 + idx}:")
        row_blocks(e, group, fix, cols, tail, stride=2)
        e("  add r0, r12")
        e("  add r1, r10")
        e("  subs lr, #1")
        e(f"  bne {120 + idx}b")
        e(f"  ldr pc, [sp, #{S['TL1' if fix else 'TL0']}]")


def dw_recomputed_last_rows(e, group):
    """Stride 1, an odd height's last block row on rows of 1-3 full blocks
    (+ a partial one): instead of its first output row alone (s1_pred_rows,
    the block loop's dot products halved but every requantization, store
    and predicate kept), the whole block row one row up: its first output
    row is the previous block row's second one, recomputed and stored again
    with the same bytes (the plane still holds that channel's rows; the
    output over the input too, see depthwise.cc). Entries 400 + k (no
    fixup) and 406 + k (fixup), k as in dw_unrolled_rows (depthwise.cc:
    LASTV = ROWV when it takes them, rows_full >= 1). From where the full
    rows leave r0 / r1: back one plane row (PW) and one output row (R, the
    low half of the store offsets' word 2). W = 5 (2 blocks and the
    partial one) computes the last row alone instead (w5_last_row)."""
    for idx, (fix, cols, partial, tail) in enumerate(UNROLLED):
        e(f"{400 + idx}:")
        if cols == 2 and partial:
            w5_last_row(e, group, fix)
            continue
        e(f"  ldr r10, [sp, #{A['PW']}]")
        e("  sub r0, r10")
        e(f"  ldr r10, [sp, #{A['SOFF']}]")
        e("  ldrh r10, [r10, #8]")
        e("  sub r1, r10")
        if tail:
            e(f"  movw r10, #{S1_TAIL_PRED[tail]:#x}")
            e("  vmsr p0, r10")
        row_blocks(e, group, fix, cols, tail)
        e("  b 60b")


def w5_last_row(e, group, fix, end="  b 60b"):
    """An odd height's last output row on a 5-wide output (kws01), alone:
    the top row of the last block row's windows (r0 / r1 where the full
    rows leave them; the plane holds two rows past it), the dot products of
    blocks A, B (columns 0-3: q4, q5) and of the partial window (column 4:
    q4) requantized as two vectors, columns (0, 1, 4, 4) and (2, 3),
    narrowed together (halfwords 0-3: columns 0, 2, 1, 3, the pair store's
    offsets {0, 2C, C, 3C}, P0 = 0x00FF; halfword 4: column 4, stored from
    a core register at 4 C = 2 r11). 32 instructions against 47 for the
    whole block row one row up."""
    g = group
    e("  vldrb.u8 q0, [r0, q2]")
    e("  vmladav.s8 r2, q0, q4")
    e("  vmladav.s8 r4, q0, q5")
    e(f"  adds r0, #{2 * g}")
    e("  vldrb.u8 q0, [r0, q2]")
    e("  vmladav.s8 r6, q0, q4")
    e("  vmladav.s8 r8, q0, q5")
    e(f"  adds r0, #{2 * g}")
    e("  vldrb.u8 q0, [r0, q2]")
    e("  vmladav.s8 r10, q0, q4")
    (_, xa, ta), (_, xb, tb) = pair_regs(fix)
    ra = dw_requant(e, fix, xa, ta, ("r2", "r4"), ("r10", "r10"))
    rb = dw_requant(e, fix, xb, tb, ("r6", "r8"), ("r6", "r8"))
    narrow_halves(e, fix, ra, rb)
    e("  movw r10, #0x00ff")
    e("  vmsr p0, r10")
    e("  vpst")
    e(f"  vstrbt.16 {ra}, [r1, q3]")
    e(f"  vmov.u16 r10, {ra}[4]")
    e("  strb r10, [r1, r11, lsl #1]")
    if end:
        e(end)


def w5_four_rows(e, group, fix):
    """Block rows k .. k + 3 of a 5-wide output (r0 at row k's first
    window, r1 at output (2k, 0), r10 = 5 x r11: a block row of output,
    r12 the plane's row skip + 4 group (depthwise.cc passes it so for
    W = 5): from a row's second block to the next row's first): the four
    rows' pairs (s1_pair, block B without its
    own window advance, no output advance), each row's partial block left
    for the end; then the four partial windows (column 4, plane rows 16 g
    bytes apart: the plane row is 8 pixels; 2 g past row k + 3's block B),
    rows k and k + 1 requantized as the first vector, k + 2 and k + 3 as
    the second (s1_pair's registers), narrowed together (halfword lanes 2j:
    output row 2k + j, 2j + 1: row 2k + 4 + j) and stored at column 4 by
    one scatter (COLV: {0, 4R, R, 5R, 2R, 6R, 3R, 7R}; q3 reloaded from
    SOFFV after it). 148 instructions for 40 outputs against 2 x 86."""
    g = group
    for k in range(4):
        s1_pair(e, g, fix, adv=False, adv_b=False)
        if k < 3:
            e("  add r0, r12")
            e("  add r1, r10")
    # r0: row k + 3's block B window; r1: output (2k + 6, 0)
    halves = []
    for first, (gq, xq, tq) in zip((46 * g, 14 * g), pair_regs(fix)):
        e(f"  sub r2, r0, #{first}")
        e(f"  vldrb.u8 {gq}, [r2, q2]")
        e(f"  vmladav.s8 r2, {gq}, q4")
        e(f"  vmladav.s8 r4, {gq}, q6")
        if first == 46 * g:
            e(f"  sub r6, r0, #{30 * g}")
        else:
            e(f"  add r6, r0, #{2 * g}")
        e(f"  vldrb.u8 {gq}, [r6, q2]")
        e(f"  vmladav.s8 r6, {gq}, q4")
        e(f"  vmladav.s8 r8, {gq}, q6")
        halves.append(dw_requant(e, fix, xq, tq, ("r2", "r4"), ("r6", "r8")))
    ra, rb = halves
    narrow_halves(e, fix, ra, rb)
    # r1 to the next iteration's output (2k + 8, 0); output (2k, 4) =
    # r1 - 8 R + 4 C = r1 - 18 r11 (R = 5 C, r11 = 2 C)
    e("  add r1, r10")
    e("  sub r2, r1, r11, lsl #4")
    e("  sub r2, r2, r11, lsl #1")
    e(f"  vldrw.u32 q3, [sp, #{S['COLV']}]")
    e(f"  vstrb.16 {ra}, [r2, q3]")
    e(f"  vldrw.u32 q3, [sp, #{S['SOFFV']}]")
    e("  add r0, r12")


# Right shifts with a four-row loop of their own (w5_shift_variants): 1 ..
# W5_SHIFT_MAX (USAT #4 in the dispatch: 15 stands for 15 and more).
W5_SHIFT_MAX = 14


def w5_shift_dispatch(e, name, kind="s"):
    """At the four-row loop's entry (no fixup): r7 = -s (the channel's
    right shift s >= 0; depthwise.cc refuses left shifts); a shift of 1 ..
    W5_SHIFT_MAX to its variant (w5_shift_variants) by one TBH, others
    (0, 15 and more) on to the loop with VRSHL. r10 is free here (the
    loop's output step is set after)."""
    e("  rsb r10, r7, #0")
    tbh_table(e, "r10", 4, f".L{name}_w5{kind}t",
              lambda sh: f".L{name}_w5{kind}{sh}" if 1 <= sh <= W5_SHIFT_MAX else f".L{name}_w5{kind}g")
    if kind == "s":
        e(f".L{name}_w5sg:")


def w5_shift_variants(e, group, name):
    """The W = 5 four-row loop without the fixup once per right shift s =
    1 .. W5_SHIFT_MAX (w5_shift_dispatch enters them): the shift an
    immediate (SHIFT_IMM: no VRSHL, VQRSHRNB / VQRSHRNT instead of the
    saturating narrowing), 138 instructions for 40 outputs against 148.
    Then to the last row (TL0) as the loop with VRSHL."""
    for sh in range(1, W5_SHIFT_MAX + 1):
        e(f".L{name}_w5s{sh}:")
        w5_rows_loop_imm(e, group, 700, sh)
        e(f"  ldr pc, [sp, #{S['TL0']}]")


def w5_rows_loop_imm(e, group, label, sh):
    """The W = 5 four-row loop (lr iterations, no fixup) with the right
    shift sh an immediate (SHIFT_IMM)."""
    e("  add r10, r11, r11, lsl #2")
    e(f"{label}:")
    with shift_imm(sh):
        w5_four_rows(e, group, False)
    e("  subs lr, #1")
    e(f"  bne {label}b")


def dw_channel_head(e, stride):
    """A channel's weight vectors (q4-q7; stride 2: q4, q5 and the second
    window's offsets in q6) from its staged taps (r2), its bias (r3),
    multiplier (r5) and shift (r7) (r8, r10: their pointers)."""
    e(f"  vldrw.u32 q0, [sp, #{S['WGV']}]")
    e("  vldrb.u8 q4, [r2, q0]")
    if stride == 1:
        e(f"  vldrw.u32 q0, [sp, #{S['WOFF2V']}]")
        e("  vldrb.u8 q6, [r2, q0]")
        e("  vshl.i32 q5, q4, #8")
        e("  vshl.i32 q7, q6, #8")
    else:
        e("  movs r3, #0")
        e("  vmov q5, q4")
        e("  vshlc q5, r3, #16")
        e(f"  vldrw.u32 q6, [sp, #{S['WOFF2V']}]")
    e("  ldr r3, [r8]")
    e("  ldr r5, [r10]")
    e(f"  ldr lr, [sp, #{A['SHIFT_DELTA']}]")
    e("  ldr r7, [r10, lr]")


def w5_channel_variants(e, group, name):
    """ROWV 13's channels (w5_shift_dispatch "c" at 453 enters them): per
    right shift s = 1 .. W5_SHIFT_MAX the four-row loop and the last row
    with the shift an immediate (SHIFT_IMM), then the next channel's state
    (as 60:, one LDM / STM; the group's end to 62) and its weight vectors,
    bias, multiplier and shift (as 212:), and back to 453 for its variant:
    no LDR PC through T0 / TL0, no branch to 60. A shift of 0 or 15 and
    more: the loop with VRSHL (its generic path, through a forward
    trampoline: TBH branches forward only)."""
    e(f".L{name}_w5cg:")
    e(f"  b .L{name}_w5sg")
    for sh in range(1, W5_SHIFT_MAX + 1):
        e(f".L{name}_w5c{sh}:")
        w5_rows_loop_imm(e, group, 702, sh)
        with shift_imm(sh):
            w5_last_row(e, group, False, end=None)
        # (the end pointers r4 / r6 stay: no path of a ROWV 13 call reads
        # them, the W = 5 loops count rows; 60: still advances them)
        e("  ldm sp, {r0, r1, r2, r4, r6, r8, r10, lr}")
        for r in ("r0", "r2", "r1"):
            e(f"  adds {r}, #1")
        e("  add r8, #4")
        e(f"  ldr r3, [sp, #{A['RQ_STRIDE']}]")
        e("  add r10, r3")
        e("  subs lr, #1")
        e("  stm sp, {r0, r1, r2, r4, r6, r8, r10, lr}")
        e("  beq 62b")
        dw_channel_head(e, 1)
        e("  b 453b")


def w5_two_rows(e, group, fix):
    """Block rows k and k + 1 of a 5-wide output (2 blocks and a partial
    one a row; r0 at row k's first window, r1 at output (2k, 0), r10 = 3 x
    r11, P0 = the partial block's predicate 0x0303). Row k's pair, then
    the partial blocks of both rows (row k's dot products in r2 r6, row k +
    1's in r4 r8, its window at r0 + r12 + 4 group), requantized in one
    vector, lanes (2k, 2k + 2, 2k + 1, 2k + 3) at column 4: stored at
    (2k, 4) through halfwords 0 and 4 (P0), then `VREV64.32` brings
    (2k + 2, 2k + 3) to those halfwords for the store at (2k + 2, 4); then
    row k + 1's pair. 93 instructions for 20 outputs against 2 x 50."""
    g = group
    s1_pair(e, g, fix, adv=True)
    e("  vldrb.u8 q0, [r0, q2]")
    e("  vmladav.s8 r2, q0, q4")
    e("  vmladav.s8 r6, q0, q6")
    e(f"  adds r0, #{2 * g}")
    e("  add r4, r0, r12")
    e(f"  adds r4, #{4 * g}")
    e("  vldrb.u8 q0, [r4, q2]")
    e("  vmladav.s8 r4, q0, q4")
    e("  vmladav.s8 r8, q0, q6")
    ra = dw_requant(e, fix, "q1", "q0", ("r2", "r4"), ("r6", "r8"))
    rb = "q1" if ra == "q0" else "q0"
    e(f"  vqmovnb.s32 {ra}, {ra}")
    e(f"  vqadd.s16 {ra}, {ra}, r9")
    e(f"  vqmovnb.s16 {ra}, {ra}")
    e("  vpst")
    e(f"  vstrbt.16 {ra}, [r1, q3]")
    e(f"  vrev64.32 {rb}, {ra}")
    e("  add r0, r12")
    e("  add r1, r10")
    e("  add r2, r1, r11, lsl #1")
    e("  vpst")
    e(f"  vstrbt.16 {rb}, [r2, q3]")
    s1_pair(e, g, fix, adv=True)
    e(f"  adds r0, #{2 * g}")
    e("  add r0, r12")
    e("  add r1, r10")


# Stride 1 in pairs of blocks: the store offsets q3 are 8 halfwords, the
# outputs of blocks A (at r1) and B (at r1 + 2 C) interleaved: {A0, B0, A1,
# B1, A2, B2, A3, B3} with block lanes 0 1 2 3 = (row 0, col 0), (0, 1),
# (1, 0), (1, 1): {0, 2C, C, 3C, R, R + 2C, R + C, R + 3C} (R the output
# row bytes). A single block stores through the even halfwords (A's
# offsets), so every store is a VSTRB.16 scatter; a row's tail (after its
# pairs) is one predicated store, its predicate fixed per call:
# single block (0x3333), partial block alone (its column 0: A0 and A2,
# 0x0303), single + partial as a pair (not B1, B3: 0x3F3F).
S1_TAIL_PRED = {1: 0x3333, 2: 0x0303, 3: 0x3F3F}


def s1_half(e, group, fix, keep, gq, xq, tq, stride=1, adv=True):
    """One block: stride 1, a 2x2 block (gather into gq, the dot products of
    `keep`, r2 r4 r6 r8); stride 2, a 1x4 group (two 3x5 windows, two dot
    products each). Then into vector xq with the bias, the requantization
    and the rounding shift; returns the register holding the result.

    Without the fixup (shift 0): VQRDMULH in place, the result in xq. With
    it (right shift >= 1): tq = x >> 31 (-1 for a negative x), then
    `VQRDMLAH tq, xq, r5` adds SaturatingRoundingDoublingHighMul(x, m) to it,
    so tq = y - 1 for negative x (y the high half) and VRSHL's round-half-up
    becomes TFLite's round-half-away-from-zero: one instruction fewer than
    VQRDMULH, VSHR and VQADD on y. Taking the sign of x rather than of y is
    exact here: m > 0, so y < 0 only for x < 0, and a negative x whose y
    rounds to 0 gives -1, which any right shift >= 1 rounds back to 0.
    The result is in tq."""
    e(f"  vldrb.u8 {gq}, [r0, q2]")
    if stride == 1:
        for i, (acc, w) in enumerate((("r2", "q4"), ("r4", "q5"), ("r6", "q6"), ("r8", "q7"))):
            if i in keep:
                e(f"  vmladav.s8 {acc}, {gq}, {w}")
        if adv:
            e(f"  adds r0, #{2 * group}")
    else:
        e(f"  vmladav.s8 r2, {gq}, q4")
        e(f"  vmladav.s8 r4, {gq}, q5")
        e(f"  vldrb.u8 {gq}, [r0, q6]")             # the second window (+ 4 g)
        e(f"  vmladav.s8 r6, {gq}, q4")
        e(f"  vmladav.s8 r8, {gq}, q5")
        e(f"  adds r0, #{8 * group}")
    return dw_requant(e, fix, xq, tq, ("r2", "r4"), ("r6", "r8"))


# The immediate right shift of the variants generated per shift value
# (set by `with shift_imm(s)`): None in every other loop. With it, dw_requant leaves
# the VRSHL out and narrow_halves narrows by VQRSHRNB / VQRSHRNT #SHIFT_IMM,
# which is VRSHL by -SHIFT_IMM and the saturating narrowing in one (the
# rounding add in the wider precision, as VRSHL's).
SHIFT_IMM = None


@contextlib.contextmanager
def shift_imm(sh):
    """SHIFT_IMM = sh for the code emitted inside."""
    global SHIFT_IMM
    SHIFT_IMM = sh
    try:
        yield
    finally:
        SHIFT_IMM = None


def dw_requant(e, fix, xq, tq, lo, hi):
    """Four dot products (core register pairs lo -> lanes 0-1, hi -> lanes
    2-3) into vector xq with the bias (r3), the multiplier (r5) and the
    shift (r7) of one channel; returns the register holding the result: xq
    without the fixup, tq with it (see s1_half)."""
    d = 2 * int(xq[1:])
    e(f"  vmov d{d}, {lo[0]}, {lo[1]}")
    e(f"  vmov d{d + 1}, {hi[0]}, {hi[1]}")
    e(f"  vadd.i32 {xq}, {xq}, r3")
    if fix:
        e(f"  vshr.s32 {tq}, {xq}, #31")
        e(f"  vqrdmlah.s32 {tq}, {xq}, r5")
        e(f"  vrshl.s32 {tq}, r7")
        return tq
    e(f"  vqrdmulh.s32 {xq}, {xq}, r5")
    if SHIFT_IMM is None:
        e(f"  vrshl.s32 {xq}, r7")
    return xq


def pair_regs(fix):
    """s1_half's registers (gather, vector, fixup temporary) for the two
    halves of a pair: the first leaves its result in q0 (fixup) or q1, the
    second uses the other two of q0-q2 (with the fixup q2, the window
    offsets, reloaded after narrow_halves)."""
    return ("q0", "q1", "q0"), (("q1", "q1", "q2") if fix else ("q0", "q0", None))


def narrow_halves(e, fix, ra, rb):
    """The two halves' results narrowed into ra's 16-bit lanes (ra even,
    rb odd), the window offsets back in q2 after a fixup used it, the
    output zero point added and the bytes narrowed into ra's even bytes."""
    if SHIFT_IMM is not None and not fix:
        e(f"  vqrshrnb.s32 {ra}, {ra}, #{SHIFT_IMM}")
        e(f"  vqrshrnt.s32 {ra}, {rb}, #{SHIFT_IMM}")
    else:
        e(f"  vqmovnb.s32 {ra}, {ra}")
        e(f"  vqmovnt.s32 {ra}, {rb}")
    if fix:
        e(f"  vldrw.u32 q2, [sp, #{S['WOFFV']}]")
    e(f"  vqadd.s16 {ra}, {ra}, r9")
    e(f"  vqmovnb.s16 {ra}, {ra}")


def s1_pair(e, group, fix, keep_b=(0, 1, 2, 3), pred=False, stride=1, keep_a=(0, 1, 2, 3),
            adv=True, adv_b=True):
    """Blocks A and B (stride 1), requantized in two vectors (pair_regs),
    narrowed together (A in the even halfwords, B in the odd ones:
    narrow_halves), one store of 8 bytes. adv: the output pointer past the
    pair; adv_b: the window past block B (stride 1)."""
    regs_a, regs_b = pair_regs(fix)
    ra = s1_half(e, group, fix, keep_a, *regs_a, stride)
    rb = s1_half(e, group, fix, keep_b, *regs_b, stride, adv=adv_b or stride != 1)
    narrow_halves(e, fix, ra, rb)
    if pred:
        e("  vpst")
        e(f"  vstrbt.16 {ra}, [r1, q3]")
    else:
        e(f"  vstrb.16 {ra}, [r1, q3]")
    if adv:
        e("  add r1, r1, r11, lsl #1")


def s1_single(e, group, fix, keep, pred=True, stride=1, adv=True):
    """One block alone: stored through A's halfword offsets (predicated: P0
    selects its lanes)."""
    ra = s1_half(e, group, fix, keep, "q0", "q1", "q0", stride)
    e(f"  vqmovnb.s32 {ra}, {ra}")
    e(f"  vqadd.s16 {ra}, {ra}, r9")
    e(f"  vqmovnb.s16 {ra}, {ra}")
    e("  vpst")
    e(f"  vstrbt.16 {ra}, [r1, q3]")
    if adv:
        e("  add r1, r11")


def s1_tail(e, group, fix, tail, stride=1, adv=True):
    """A row's blocks after its pairs: 1 a full block, 2 the partial block
    (stride 1: its column 0), 3 both (as a pair); P0 holds the tail's
    predicate (stride 1: S1_TAIL_PRED[tail]; stride 2: PRED_LAST)."""
    if tail == 1:
        s1_single(e, group, fix, (0, 1, 2, 3), stride=stride, adv=adv)
    elif tail == 2:
        s1_single(e, group, fix, (0, 2), stride=stride, adv=adv)
    elif tail == 3:
        s1_pair(e, group, fix, keep_b=(0, 2), pred=True, stride=stride, adv=adv)


def next_block_row(e, label, end):
    """The row loops' step to the next block row: the plane's row skip
    (r12), the output's (OUT_ROW_SKIP), back to `label` until r0 reaches
    the state's end pointer `end` (FEND: the full block rows, PEND: the
    partial one)."""
    e("  add r0, r12")
    e(f"  ldr r10, [sp, #{A['OUT_ROW_SKIP']}]")
    e("  add r1, r10")
    e(f"  ldr r10, [sp, #{ST[end]}]")
    e("  cmp r0, r10")
    e(f"  bne {label}b")


def s1_loop_rows(e, group, fix, tail, label, stride=1):
    """Full block rows from r0 (plane) / r1 (output) up to ST_FEND: NPAIRS
    pairs a row (WLS / LE), then the row's tail. Stride 2: pairs of 1x4
    groups (store offsets {0, 4C, C, 5C, 2C, 6C, 3C, 7C})."""
    if tail and stride == 1:
        e(f"  movw r10, #{S1_TAIL_PRED[tail]:#x}")
        e("  vmsr p0, r10")
    elif tail:
        e(f"  ldr r10, [sp, #{A['PRED_LAST']}]")
        e("  vmsr p0, r10")
    e(f"{label}:")
    e(f"  ldr r10, [sp, #{A['NPAIRS']}]")
    e(f"  wls lr, r10, {label + 2}f")
    e(f"{label + 1}:")
    s1_pair(e, group, fix, stride=stride)
    e(f"  le lr, {label + 1}b")
    e(f"{label + 2}:")
    s1_tail(e, group, fix, tail, stride)
    next_block_row(e, label, "FEND")


def dw_unrolled_pairs(e, group, fix, stride=1):
    """Full block rows of 1..PAIRS_UNROLLED pairs of blocks (stride 2: of
    1x4 groups) and no tail (ROWV 11): the row's pairs
    unrolled, entered by LDR PC at pair PAIRS_UNROLLED - NPAIRS (labels
    500 + k without the fixup, 520 + k with it; the call's entry in PE0 /
    PE1), lr counting rows: no pair loop and no end-pointer compare (2 +
    NPAIRS instructions a block row fewer than the pair loop).
    Entries 541 (no fixup) and 540."""
    base = 520 if fix else 500
    e(f"{540 if fix else 541}:")
    e(f"  ldr lr, [sp, #{A['ROWS_FULL']}]")
    e(f"{542 if fix else 543}:")
    e(f"  ldr pc, [sp, #{S['PE1' if fix else 'PE0']}]")
    for k in range(PAIRS_UNROLLED):
        e(f"{base + k}:")
        s1_pair(e, group, fix, stride=stride)
    e(f"{base + PAIRS_UNROLLED}:")
    e("  add r0, r12")
    e(f"  ldr r10, [sp, #{A['OUT_ROW_SKIP']}]")
    e("  add r1, r10")
    e("  subs lr, #1")
    e(f"  bne {542 if fix else 543}b")
    e(f"  ldr pc, [sp, #{S['TL1' if fix else 'TL0']}]")


# The last block row of an odd height stores its first output row only:
# pairs with P0 = A0 B0 A1 B1 (0x00FF), then the row's tail (single block:
# A0 A1; partial block: A0; both: A0 B0 A1).
S1_LAST_PRED = {1: 0x0033, 2: 0x0003, 3: 0x003F}


def s1_pred_rows(e, group, fix, tail, label):
    """Stride 1, the last block row of an odd height (its second output row
    outside): NPAIRS pairs and the row's tail, the dot products of the first
    output row only, stores predicated (S1_LAST_PRED). Up to ST_PEND."""
    e("  movs r10, #0xFF")
    e("  vmsr p0, r10")
    e(f"{label}:")
    e(f"  ldr r10, [sp, #{A['NPAIRS']}]")
    e(f"  wls lr, r10, {label + 2}f")
    e(f"{label + 1}:")
    s1_pair(e, group, fix, keep_a=(0, 1), keep_b=(0, 1), pred=True)
    e(f"  le lr, {label + 1}b")
    e(f"{label + 2}:")
    if tail:
        e(f"  movs r10, #{S1_LAST_PRED[tail]:#x}")
        e("  vmsr p0, r10")
        if tail == 3:
            s1_pair(e, group, fix, keep_a=(0, 1), keep_b=(0,), pred=True)
        else:
            s1_single(e, group, fix, (0, 1) if tail == 1 else (0,))
        e("  movs r10, #0xFF")
        e("  vmsr p0, r10")
    next_block_row(e, label, "PEND")


# ---- depthwise 3x3, stride 1, small planes as per-channel records ----------
# Field offsets in struct tp::kernels::mve::DwrArgs (depthwise.cc), copied
# into the kernel's frame at DWR_ARGS.
DWRA_FIELDS = ["REC", "OUT", "BATCHES", "ROW_SKIP", "COL_ADV", "OUT_OFFSET", "WOFF", "SOFF",
               "FIX", "IN", "C", "FILTER", "BIAS", "MULT", "SHIFT", "RQ_INC", "O4", "O8", "IN_ZP",
               "PAD"]
DWR_ARGS = 32
DWRF = {k: DWR_ARGS + 4 * i for i, k in enumerate(DWRA_FIELDS)}
# Output sizes (H, W) with a record kernel (stride 1, padding 1 around, the
# output as large as the input): one unrolled body per size.
DWR_SIZES = [(3, 3), (4, 4), (5, 5), (6, 6), (7, 7)]
# Frame slots besides the arguments and S['WOFFV'] (the window offsets, as
# dw_kernel keeps them for s1_pair's reload): the current channel's output,
# the body of the channels with a nonzero shift.
DWR_OUTC = 0
DWR_TFIX = 4


def dwr_geometry(h, w):
    """Plane row bytes, plane rows and record bytes of an H x W output:
    the 2x2 blocks' padded plane (as depthwise.cc's planar one: 2 blocks'
    columns + 2, 2 block rows' rows + 2) after 32 bytes of per-channel
    values (bias, multiplier, shift, 0; then the 16 lanes of the first
    weight vector)."""
    pw = 2 * ((w + 1) // 2) + 2
    ph = 2 * ((h + 1) // 2) + 2
    return pw, ph, 32 + (pw * ph + 15) // 16 * 16


def dwr_body(e, h, w, fix):
    """One channel's H x W outputs from its record's plane (r0 at the plane,
    r1 at its output (0, 0)); returns how far r0 moved. Block rows of
    pairs and a tail as the planar kernel's unrolled rows (s1_pair,
    s1_tail), the last block row of an odd height its first output row
    only (as s1_pred_rows); P0 per store as there."""
    pw, ph, _ = dwr_geometry(h, w)
    br = (h + 1) // 2
    cols, partial = w // 2, w & 1
    tail = (cols & 1) + 2 * partial
    npairs = cols // 2
    nb = cols + partial
    moved = 0
    for i in range(br):
        odd = (h & 1) and i == br - 1
        if not odd:
            if tail and (h & 1):
                e(f"  movw r10, #{S1_TAIL_PRED[tail]:#x}")
                e("  vmsr p0, r10")
            for k in range(npairs):
                s1_pair(e, 1, fix, adv=(tail != 0 or k < npairs - 1))
            s1_tail(e, 1, fix, tail, adv=False)
        else:
            if npairs:
                e("  movs r10, #0xFF")
                e("  vmsr p0, r10")
            for k in range(npairs):
                s1_pair(e, 1, fix, keep_a=(0, 1), keep_b=(0, 1), pred=True,
                        adv=(tail != 0 or k < npairs - 1))
            if tail:
                e(f"  movs r10, #{S1_LAST_PRED[tail]:#x}")
                e("  vmsr p0, r10")
                if tail == 3:
                    s1_pair(e, 1, fix, keep_a=(0, 1), keep_b=(0,), pred=True, adv=False)
                else:
                    s1_single(e, 1, fix, (0, 1) if tail == 1 else (0,), adv=False)
        moved += 2 * nb
        if i < br - 1:
            e(f"  add r0, #{2 * pw - 2 * nb}")
            e("  add r1, r12")
            moved += 2 * pw - 2 * nb
    return moved


def dwr_body_3x3(e, fix):
    """One channel's 3 x 3 outputs (r0 at its plane, r1 at output (0, 0),
    r11 = 8 C: the offset of output (2, 2)): four windows, nine dot
    products in three vectors instead of four half-used ones: X = block
    (0, 0)'s four outputs, Y = (0, 2), (1, 2) (window B, 2 right) and (2,
    0), (2, 1) (window A', 2 down), narrowed together (X in the even
    halfwords, Y in the odd ones) and stored by one unpredicated scatter
    (depthwise.cc's 3 x 3 store offsets {0, 2C, C, R + 2C, R, 2R, R + C, 2R
    + C}); Z = (2, 2) (window B') requantized in lane 0 and stored from a
    core register (QADD of the zero point, SSAT to 8 bits). Returns how
    far r0 moved. With the fixup, q2 (the window offsets) is the
    temporary of Y and Z, reloaded from WOFFV at the end."""
    pw, _, _ = dwr_geometry(3, 3)
    gq, rx_x, rx_t = ("q1", "q1", "q0") if fix else ("q0", "q1", None)
    # window A: X
    e("  vldrb.u8 q0, [r0, q2]")
    for acc, wq in (("r2", "q4"), ("r4", "q5"), ("r6", "q6"), ("r8", "q7")):
        e(f"  vmladav.s8 {acc}, q0, {wq}")
    e("  adds r0, #2")
    # window B: (0, 2), (1, 2)
    e("  vldrb.u8 q0, [r0, q2]")
    e("  vmladav.s8 r10, q0, q4")
    e("  vmladav.s8 r12, q0, q6")
    rx = dw_requant(e, fix, rx_x, rx_t, ("r2", "r4"), ("r6", "r8"))
    # windows A' (2 rows down from A) and B'
    e(f"  adds r0, #{2 * pw - 2}")
    e(f"  vldrb.u8 {gq}, [r0, q2]")
    e(f"  vmladav.s8 r2, {gq}, q4")
    e(f"  vmladav.s8 r4, {gq}, q5")
    e("  adds r0, #2")
    e(f"  vldrb.u8 {gq}, [r0, q2]")
    e(f"  vmladav.s8 r6, {gq}, q4")
    ry = dw_requant(e, fix, gq, "q2" if fix else None, ("r10", "r12"), ("r2", "r4"))
    e(f"  vqmovnb.s32 {rx}, {rx}")
    e(f"  vqmovnt.s32 {rx}, {ry}")
    e(f"  vqadd.s16 {rx}, {rx}, r9")
    e(f"  vqmovnb.s16 {rx}, {rx}")
    e(f"  vstrb.16 {rx}, [r1, q3]")
    # Z: output (2, 2), lane 0 of the free register (the fixup's result in q2)
    zq = ry if not fix else gq
    e(f"  vmov d{2 * int(zq[1:])}, r6, r6")
    e(f"  vadd.i32 {zq}, {zq}, r3")
    if fix:
        e(f"  vshr.s32 q2, {zq}, #31")
        e(f"  vqrdmlah.s32 q2, {zq}, r5")
        e("  vrshl.s32 q2, r7")
        rz = "q2"
    else:
        e(f"  vqrdmulh.s32 {zq}, {zq}, r5")
        e(f"  vrshl.s32 {zq}, r7")
        rz = zq
    e(f"  vmov r6, s{4 * int(rz[1:])}")
    e("  qadd r6, r6, r9")
    e("  ssat r6, #8, r6")
    e("  strb r6, [r1, r11]")
    if fix:
        e(f"  vldrw.u32 q2, [sp, #{S['WOFFV']}]")
    return 2 + 2 * pw - 2 + 2


def dwr_records(e, h, w):
    """One batch's records (16 channels, REC + j x record bytes): bias,
    multiplier, shift (word scatters, offsets O4: 4 vectors of 4 records),
    the 9 taps at lanes 4r + q of the first weight vector and the input
    pixels into the planes' interiors (byte scatters of 8 channels, offsets
    O8: records 0-7, 8-15). The records' zeros and the planes' zero-point
    borders are dwr_kernel's, once a call. Advances IN, FILTER, BIAS,
    MULT, SHIFT to the next batch."""
    pw, ph, rs = dwr_geometry(h, w)
    e(f"  ldr r0, [sp, #{DWRF['O4']}]")
    for i in range(4):
        e(f"  vldrw.u32 q{4 + i}, [r0, #{16 * i}]")
    e(f"  ldr r0, [sp, #{DWRF['REC']}]")
    for k, off in (("BIAS", 0), ("MULT", 4), ("SHIFT", 8)):
        e(f"  ldr r1, [sp, #{DWRF[k]}]")
        if off:
            e(f"  add r2, r0, #{off}")
        for i in range(4):
            e(f"  vldrw.u32 q0, [r1, #{16 * i}]")
            e(f"  vstrw.32 q0, [{'r2' if off else 'r0'}, q{4 + i}]")
        if k == "BIAS":
            e("  adds r1, #64")
        else:
            e(f"  ldr r3, [sp, #{DWRF['RQ_INC']}]")
            e("  add r1, r3")
        e(f"  str r1, [sp, #{DWRF[k]}]")
    e(f"  ldr r0, [sp, #{DWRF['O8']}]")
    e("  vldrw.u32 q2, [r0]")
    e("  vldrw.u32 q3, [r0, #16]")
    e(f"  ldr r3, [sp, #{DWRF['C']}]")
    e(f"  ldr r1, [sp, #{DWRF['FILTER']}]")
    e("  adds r4, r1, #16")
    e(f"  str r4, [sp, #{DWRF['FILTER']}]")
    e(f"  ldr r2, [sp, #{DWRF['REC']}]")
    e("  adds r2, #16")
    lane = 0
    for t in range(9):
        nl = 4 * (t // 3) + t % 3
        if nl != lane:
            e(f"  adds r2, #{nl - lane}")
            lane = nl
        e("  vldrb.s16 q0, [r1]")
        e("  vldrb.s16 q1, [r1, #8]")
        if t < 8:
            e("  add r1, r3")
        e("  vstrb.16 q0, [r2, q2]")
        e("  vstrb.16 q1, [r2, q3]")
    e(f"  ldr r1, [sp, #{DWRF['IN']}]")
    e("  adds r4, r1, #16")
    e(f"  str r4, [sp, #{DWRF['IN']}]")
    e(f"  ldr r2, [sp, #{DWRF['REC']}]")
    e(f"  adds r2, #{32 + pw + 1}")
    for y in range(h):
        for x in range(w):
            e("  vldrb.s16 q0, [r1]")
            e("  vldrb.s16 q1, [r1, #8]")
            if y < h - 1 or x < w - 1:
                e("  add r1, r3")
            e("  vstrb.16 q0, [r2, q2]")
            e("  vstrb.16 q1, [r2, q3]")
            if y < h - 1 or x < w - 1:
                e(f"  adds r2, #{1 if x < w - 1 else pw - w + 1}")


def dwr_kernel(name, h, w):
    """Depthwise 3x3, stride 1, an H x W output (DWR_SIZES), C % 16 == 0,
    one batch item, 16 channels at a time as records in the scratch (REC +
    j x record bytes, dwr_geometry): the channel's folded bias, multiplier,
    shift and 0; its first weight vector (tap 3r + q at lane 4r + q, other
    lanes 0); its zero-point padded plane (zeros and borders once a call,
    dwr_records writes a batch's values, taps and pixels).
    Per channel: the three values by LDRD / LDR; the weight vectors by two
    loads (the second 4 bytes lower: one window row down, lanes 0-3 the
    zero word) and VSHL.I32 #8 of each; then the unrolled blocks
    (dwr_body): no plane copy by rows, no per-channel state in memory but
    the output pointer. Registers in the blocks as the planar kernel's
    (dw_kernel): r12 the output step between block rows (ROW_SKIP), r11 the
    block step, r9 the output zero point, q2 the window offsets, q3 the
    store offsets, lr the channel count (DLS / LE). One LDR PC a channel
    enters the body without the rounding fixup (FIX = 0: every channel's
    fixup hidden, mve_util.h fixup_hidden) or the one with it, whose
    channels of shift 0 branch to the other."""
    o = []
    e = o.append
    pw, ph, rs = dwr_geometry(h, w)
    fn_begin(e, name, DW_FRAME)
    for i in range(0, 4 * len(DWRA_FIELDS), 16):
        e(f"  vldrw.u32 q0, [r0, #{i}]")
        e(f"  vstrw.32 q0, [sp, #{DWR_ARGS + i}]")
    e(f"  ldr r1, [sp, #{DWRF['WOFF']}]")
    e("  vldrw.u32 q0, [r1]")
    e(f"  vstrw.32 q0, [sp, #{S['WOFFV']}]")
    e("  adr r2, 20f")
    e("  adr r3, 30f")
    e(f"  ldr r4, [sp, #{DWRF['FIX']}]")
    e("  cmp r4, #0")
    e("  it eq")
    e("  moveq r2, r3")
    e("  adds r2, #1")
    e(f"  str r2, [sp, #{DWR_TFIX}]")
    # the records' zeros (values word 3, weight lanes without a tap) and the
    # planes' zero-point borders, once a call
    e(f"  ldr r0, [sp, #{DWRF['REC']}]")
    e(f"  ldr r1, [sp, #{DWRF['IN_ZP']}]")
    e("  vdup.8 q0, r1")
    e("  vmov.i32 q1, #0")
    e("  movs r1, #16")
    e("  dls lr, r1")
    e("3:")
    e("  vstrw.32 q1, [r0], #16")
    e("  vstrw.32 q1, [r0], #16")
    for _ in range((rs - 32) // 16):
        e("  vstrw.32 q0, [r0], #16")
    e("  le lr, 3b")
    cols, partial = w // 2, w & 1
    tail = (cols & 1) + 2 * partial
    e("5:")  # batch loop
    dwr_records(e, h, w)
    e(f"  vldrw.u32 q2, [sp, #{S['WOFFV']}]")
    e(f"  ldr r1, [sp, #{DWRF['SOFF']}]")
    e("  vldrw.u32 q3, [r1]")
    e(f"  ldr r9, [sp, #{DWRF['OUT_OFFSET']}]")
    if (h, w) == (3, 3):
        # dwr_body_3x3: r11 = 8 C, the offset of output (2, 2)
        e(f"  ldr r11, [sp, #{DWRF['C']}]")
        e("  lsls r11, r11, #3")
    else:
        e(f"  ldr r11, [sp, #{DWRF['COL_ADV']}]")
        e(f"  ldr r12, [sp, #{DWRF['ROW_SKIP']}]")
    e(f"  ldr r1, [sp, #{DWRF['OUT']}]")
    e(f"  str r1, [sp, #{DWR_OUTC}]")
    e("  adds r2, r1, #16")
    e(f"  str r2, [sp, #{DWRF['OUT']}]")
    if tail and not (h & 1):
        # one store predicate for every row's tail
        e(f"  movw r10, #{S1_TAIL_PRED[tail]:#x}")
        e("  vmsr p0, r10")
    e(f"  ldr r0, [sp, #{DWRF['REC']}]")
    e("  movs r2, #16")
    e("  dls lr, r2")
    e("10:")
    e("  ldrd r3, r5, [r0]")
    e("  ldr r7, [r0, #8]")
    e("  vldrw.u32 q4, [r0, #16]")
    e("  vldrw.u32 q6, [r0, #12]")
    e("  vshl.i32 q5, q4, #8")
    e("  vshl.i32 q7, q6, #8")
    e("  adds r0, #32")
    e(f"  ldr pc, [sp, #{DWR_TFIX}]")
    e("  .p2align 2")
    body = dwr_body_3x3 if (h, w) == (3, 3) else (lambda e, fix: dwr_body(e, h, w, fix))
    e("20:")
    e("  cmp r7, #0")
    e("  beq 30f")
    moved = body(e, True)
    e("  b 40f")
    e("  .p2align 2")
    e("30:")
    assert body(e, False) == moved
    e("40:")
    e(f"  add r0, #{rs - 32 - moved}")
    e(f"  ldr r1, [sp, #{DWR_OUTC}]")
    e("  adds r1, #1")
    e(f"  str r1, [sp, #{DWR_OUTC}]")
    e("  le lr, 10b")
    e(f"  ldr r0, [sp, #{DWRF['BATCHES']}]")
    e("  subs r0, #1")
    e(f"  str r0, [sp, #{DWRF['BATCHES']}]")
    e("  bne 5b")
    fn_return(e, DW_FRAME)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


def copy_row_loop(e, entry, loop, n, ld, st, step, src, to_end=True):
    """One of the plane copies' row loops (DLS / LE over r2 rows; r0 the
    source row, r1 the plane row, r3 / r4 their steps): n gathers `ld` a
    row, each stored by `st` `step` bytes after the previous one, the last
    pair predicated (VPSTT; P0 from the caller). src(k): the lines before
    gather k and its address operand. Then to 201f (unless not to_end)."""
    def pred(m):
        op, dt = m.split(".", 1)
        return f"{op}t.{dt}"
    e(f"{entry}:")
    e("  dls lr, r2")
    e(f"{loop}:")
    for k in range(n):
        pre, addr = src(k)
        for line in pre:
            e(line)
        dst = f"[r1, #{step * k}]" if k else "[r1]"
        if k == n - 1:
            e("  vpstt")
            e(f"  {pred(ld)} q1, {addr}")
            e(f"  {pred(st)} q1, {dst}")
        else:
            e(f"  {ld} q1, {addr}")
            e(f"  {st} q1, {dst}")
    e("  add r0, r3")
    e("  add r1, r4")
    e(f"  le lr, {loop}b")
    if to_end:
        e("  b 201f")


def dw_copy_one(e):
    """Copy of one channel's rows into its plane (group 1): r0 source row,
    r1 destination row, r2 rows. Ends at 201f."""
    e(f"  ldr r1, [sp, #{A['OFFS8']}]")
    e("  vldrw.u32 q0, [r1]")
    e(f"  ldr r0, [sp, #{S['IN_G']}]")
    e(f"  ldrd r1, r2, [sp, #{A['PLANE']}]")    # plane, copy_rows
    e(f"  ldr r3, [sp, #{A['COPY_DST']}]")
    e("  add r1, r3")
    e(f"  ldrd r3, r4, [sp, #{A['IN_ROW_BYTES']}]")  # in_row_bytes, pw
    e(f"  ldr r5, [sp, #{A['COPY_N']}]")
    e("  cmp r2, #0")
    e("  beq 201f")
    e("  cmp r5, #8")
    e("  bgt 14f")
    # up to 8 pixels per row: one predicated gather and store
    e("  vctp.16 r5")
    e("  dls lr, r2")
    e("11:")
    e("  vpstt")
    e("  vldrbt.s16 q1, [r0, q0]")
    e("  vstrbt.16 q1, [r1]")
    e("  add r0, r3")
    e("  add r1, r4")
    e("  le lr, 11b")
    e("  b 201f")
    e("14:")
    e(f"  ldr r6, [sp, #{A['OFFS8']}]")
    e("  ldrh r6, [r6, #2]")                   # C
    # C <= 17: 16 pixels a gather (byte offsets i C, i = 0..15, fit 8 bits)
    e("  cmp r6, #17")
    e("  bgt 16f")
    e("  movs r8, #0")
    e("  vidup.u8 q0, r8, #1")
    e("  vmul.i8 q0, q0, r6")
    e("  lsls r6, r6, #4")                       # 16 C: source bytes per 16 pixels
    e("  cmp r5, #48")
    e("  bgt 17f")
    # up to 3 gathers a row, unrolled (the next ones from r8 = r0 + k 16 C),
    # the last predicated
    e("  subs r7, r5, #1")
    e("  lsrs r7, r7, #4")                       # gathers - 1
    e("  sub r8, r5, r7, lsl #4")                # pixels of the last one
    e("  vctp.8 r8")
    e("  cmp r7, #1")
    e("  blt 81f")
    e("  beq 82f")
    def byte_src(k):
        if k == 0:
            return [], "[r0, q0]"
        return ["  add r8, r0, r6" if k == 1 else "  add r8, r6"], "[r8, q0]"
    for n in (3, 2, 1):
        copy_row_loop(e, 80 + n, 84 + n, n, "vldrb.u8", "vstrb.8", 16, byte_src)
    e("17:")
    e("  mov r8, r0")
    e("  mov r7, r1")
    e("  dlstp.8 lr, r5")
    e("18:")
    e("  vldrb.u8 q1, [r8, q0]")
    e("  vstrb.8 q1, [r7], #16")
    e("  add r8, r6")
    e("  letp lr, 18b")
    e("  add r0, r3")
    e("  add r1, r4")
    e("  subs r2, #1")
    e("  bne 17b")
    e("  b 201f")
    e("16:")
    e("  lsls r6, r6, #3")                       # 8 C: source bytes per 8 pixels
    e("  cmp r5, #32")
    e("  bgt 15f")
    # up to 4 halfword gathers a row (offsets q0, q4 = q0 + 8 C, q5, q6),
    # unrolled, the last predicated
    e("  vadd.i16 q4, q0, r6")
    e("  vadd.i16 q5, q4, r6")
    e("  vadd.i16 q6, q5, r6")
    e("  subs r7, r5, #1")
    e("  lsrs r7, r7, #3")                       # gathers - 1 (1..3)
    e("  sub r8, r5, r7, lsl #3")
    e("  vctp.16 r8")
    e("  cmp r7, #2")
    e("  blt 92f")
    e("  beq 93f")
    offs = ["q0", "q4", "q5", "q6"]
    for n in (4, 3, 2):
        copy_row_loop(e, 90 + n, 95 + n, n, "vldrb.s16", "vstrb.16", 8,
                      lambda k: ([], f"[r0, {offs[k]}]"))
    e("15:")
    e("  mov r8, r0")
    e("  mov r7, r1")
    e("  dlstp.16 lr, r5")
    e("13:")
    e("  vldrb.s16 q1, [r8, q0]")
    e("  vstrb.16 q1, [r7], #8")
    e("  add r8, r6")
    e("  letp lr, 13b")
    e("  add r0, r3")
    e("  add r1, r4")
    e("  subs r2, #1")
    e("  bne 15b")


def dw_copy_group4(e, stride, name):
    """Copy of 4 channels' rows into the interleaved plane (group 4): each
    row is n = ceil(copy_n / 4) word gathers (offsets {0, C, .., 15C} in
    q0 q4 q5 q6, 4 pixels x 4 channels each; gathers 5-8 from r8 = the
    row + 16 C with the same offsets) and 16-byte stores, the last one
    predicated (VCTP.32 of the pixels left); q4-q6 are free until the
    weight vectors. Ends at 201f."""
    e(f"  ldr r0, [sp, #{S['IN_G']}]")
    e(f"  ldrd r1, r2, [sp, #{A['PLANE']}]")    # plane, copy_rows
    e(f"  ldr r3, [sp, #{A['COPY_DST']}]")
    e("  add r1, r3")
    e(f"  ldrd r3, r4, [sp, #{A['IN_ROW_BYTES']}]")  # in_row_bytes, plane row bytes
    e(f"  ldr r5, [sp, #{A['COPY_N']}]")
    e("  cmp r2, #0")
    e("  beq 201f")
    if stride == 1:
        e(f"  ldr r7, [sp, #{A['COPY5']}]")
        e("  cmp r7, #0")
        e("  bne 270f")
    e(f"  ldr r6, [sp, #{A['OFFW']}]")
    e("  vldrw.u32 q0, [r6]")
    e("  vldrw.u32 q4, [r6, #16]")
    e("  vldrw.u32 q5, [r6, #32]")
    e("  vldrw.u32 q6, [r6, #48]")
    e("  subs r7, r5, #1")
    e("  lsrs r7, r7, #2")                       # n - 1
    e("  sub r8, r5, r7, lsl #2")                # pixels of the last gather
    e("  vctp.32 r8")
    e("  cmp r7, #1")
    e("  blt 71f")
    e("  beq 72f")
    e("  cmp r7, #2")
    e("  beq 73f")
    e("  cmp r7, #3")
    e("  beq 74f")
    offs = ["q0", "q4", "q5", "q6"]
    # rows of 17-32 pixels: n = 5-8 gathers, those past the 16th pixel from
    # r8 = r0 + 16 C (r6; C = OFFW[1])
    e(f"  ldr r6, [sp, #{A['OFFW']}]")
    e("  ldr r6, [r6, #4]")
    e("  lsls r6, r6, #4")
    e("  cmp r7, #5")
    e("  blt 255f")
    e("  beq 256f")
    e("  cmp r7, #6")
    e("  beq 257f")
    def word_src(k):
        pre = ["  add r8, r0, r6"] if k == 0 else []
        return pre, f"[{'r0' if k < 4 else 'r8'}, {offs[k % 4]}]"
    for n in (8, 5, 6, 7):
        copy_row_loop(e, 250 + n, 260 + n, n, "vldrw.u32", "vstrw.32", 16, word_src)
    for n in (4, 1, 2, 3):
        copy_row_loop(e, 70 + n, 75 + n, n, "vldrw.u32", "vstrw.32", 16,
                      lambda k: ([], f"[r0, {offs[k]}]"), to_end=(n != 3 or stride == 1))
    if stride == 1:
        dw_copy_w5(e, name)


# Channel counts C = 4 k (k = 1 .. COPY5_KMAX) with a copy loop of their own
# (dw_copy_w5_variants): the immediate 16 k of VLDRW's vector-base form
# reaches 508.
COPY5_KMAX = 30


def dw_copy_w5_variants(e, name):
    """dw_copy_w5's 4-row loop once per C = 4 k: the 5 gathers through the
    pixel addresses in q0 (the offsets {0, C, 2C, 3C} plus the source less
    4 C), each one written back + 4 C (VLDRW [q0, #16 k]!): 11 instructions
    a step against 16 (no source adds). Then the source for the rows left
    (lane 0 + 4 C), q0 the offsets again (the row loop's gathers) and back
    to the common tail (276)."""
    for k in range(1, COPY5_KMAX + 1):
        e(f".L{name}_c5k{k}:")
        e("  sub r5, r0, r6")
        e("  vadd.i32 q0, q0, r5")
        e("  dls lr, r8")
        e("701:")
        for q in ("q3", "q4", "q5", "q6", "q7"):
            e(f"  vldrw.u32 q1, [q0, #{16 * k}]!")
            e(f"  vstrw.32 q1, [{q}, #128]!")
        e("  le lr, 701b")
        # one row left (kws01's 25): its 4 + 1 pixels by the next two
        # gathers (the second predicated to lane 0) into the plane row
        # after the last (q3, q4 + 128: its pixels 0-3 and 4), then on to
        # the taps (201); more rows: the common tail's row loop
        e("  and r5, r2, #3")
        e("  cmp r5, #1")
        e(f"  bne .L{name}_c5r{k}")
        e("  vctp.32 r5")
        e(f"  vldrw.u32 q1, [q0, #{16 * k}]!")
        e("  vstrw.32 q1, [q3, #128]")
        e("  vpstt")
        e(f"  vldrwt.u32 q1, [q0, #{16 * k}]")
        e("  vstrwt.32 q1, [q4, #128]")
        e(f"  vldrw.u32 q3, [sp, #{S['SOFFV']}]")
        e("  b 201b")
        e(f".L{name}_c5r{k}:")
        e("  vmov r0, s0")
        e("  vsub.i32 q0, q0, r0")                   # the offsets again (the rows left)
        e("  add r0, r6")
        e("  b 276b")


def dw_copy_w5(e, name):
    """Group 4, rows of 5 pixels from a 5-pixel-wide input (COPY5 set by
    depthwise.cc: the rows' pixels are one sequence C bytes apart, the
    plane rows 32 bytes) with at least 4 rows: 4 rows (20 pixels) a loop
    step as 5 word gathers of 4 pixels (offsets {0, C, 2C, 3C} in q0, the
    source + 4C after each) and 5 word scatters through plane addresses in
    q3-q7 (COPY5's 5 offset vectors, each written back + 128 bytes: 4 plane
    rows), 16 instructions against 32 a row at a time. The rows past the
    last multiple of 4 by the 2-gather row loop (72). q3 (the store offsets)
    back from SOFFV. r0 source, r1 plane, r2 rows, r3 / r4 as the row loops
    take them; r7 = COPY5."""
    e("270:")
    e(f"  ldr r6, [sp, #{A['OFFW']}]")
    e("  vldrw.u32 q0, [r6]")
    e("  ldr r6, [r6, #16]")                     # 4 C
    e("  sub r8, r1, #128")                       # the scatters pre-index + 128
    for j, q in enumerate(("q3", "q4", "q5", "q6", "q7")):
        e(f"  vldrw.u32 {q}, [r7, #{16 * j}]" if j else f"  vldrw.u32 {q}, [r7]")
        e(f"  vadd.i32 {q}, {q}, r8")
    e("  lsrs r8, r2, #2")
    # C = 4 k with k <= COPY5_KMAX: the loop with the source step 4 C an
    # immediate (dw_copy_w5_variants); others on here (USAT #5: 31 stands
    # for 31 and more)
    e("  lsrs r5, r6, #4")
    tbh_table(e, "r5", 5, f".L{name}_c5t",
              lambda k: f".L{name}_c5k{k}" if 1 <= k <= COPY5_KMAX else f".L{name}_c5g")
    e(f".L{name}_c5g:")
    e("  dls lr, r8")
    e("271:")
    for q in ("q3", "q4", "q5", "q6", "q7"):
        e("  vldrw.u32 q1, [r0, q0]")
        e("  add r0, r6")
        e(f"  vstrw.32 q1, [{q}, #128]!")
    e("  le lr, 271b")
    e("276:")
    e(f"  vldrw.u32 q3, [sp, #{S['SOFFV']}]")
    e("  ands r2, r2, #3")
    e("  beq 201f")
    e("  add r1, r1, r8, lsl #7")
    e(f"  ldr r6, [sp, #{A['OFFW']}]")
    e("  vldrw.u32 q4, [r6, #16]")
    e("  movs r8, #1")
    e("  vctp.32 r8")
    e("  b 72b")


# ---- depthwise 3x3, channels in lanes (small outputs) ----------------------
# Field offsets in struct tp::kernels::mve::DwlArgs (depthwise.cc).
DWLA = {"TAP": 0, "FILTER": 36, "C": 40, "OUT": 44, "BIAS": 48, "MULT": 52, "SHIFT": 56,
        "RQ_INC": 60, "OUT_ZP": 64, "GROUPS": 68, "OFFS": 72}
DWL_F = {"BIAS": 0, "MULT": 4, "SHIFT": 8, "RQ_INC": 12, "OUT_ZP": 16, "GROUPS": 20, "C": 24,
         "OFFS": 28}
DWL_FRAME = 32


def dwl_kernel(name, nofix=False, pairs=False):
    """One output pixel of a depthwise 3x3, all channels, 16 a step: the 9
    taps' input pointers in r1-r9 (post-incremented by 16; taps in the
    padding point at a row of zero points), the filter walked through r10
    (C bytes between taps, r11), output r12. Per tap: two 16-byte loads,
    VMULLB / VMULLT.S8 (16-bit products of the even / odd channels), each
    widened twice (VMOVLB / VMOVLT.S16) into the accumulators q0-q3 of the
    channels 4k, 4k+1, 4k+2, 4k+3, started from the folded bias (gathered
    with the offsets {i, i+4, i+8, i+12} of OFFS). Then per accumulator the
    multiplier and shift gathered the same way (RQ_INC 64 per-channel, 0
    per-tensor with 16 repeated values), VQRDMULH, the sign fixup masked by
    the shift (shift 0 takes none), VRSHL; the four narrowed into channel
    order (VQMOVNB / VQMOVNT twice, the output zero point in 16-bit lanes
    between), one 16-byte store. nofix: no sign fixup (output zero point
    -128: mve_util.h fixup_hidden). pairs: taps 2k and 2k + 1 summed in
    16-bit lanes before the widening (no second tap of a pair holds -128:
    mve_util.h tap_pairs_fit_s16), the second tap's products in place
    (VMULLB / VMULLT.S8 write each 16-bit lane from its own two bytes) with
    its weights loaded twice: 21 instructions a pair of taps instead of 26."""
    o = []
    e = o.append
    fn_begin(e, name, DWL_FRAME)
    for k in ("BIAS", "MULT", "SHIFT", "RQ_INC", "OUT_ZP", "GROUPS", "OFFS"):
        e(f"  ldr r1, [r0, #{DWLA[k]}]")
        e(f"  str r1, [sp, #{DWL_F[k]}]")
    e(f"  ldr r10, [r0, #{DWLA['FILTER']}]")
    e(f"  ldr r11, [r0, #{DWLA['C']}]")
    e(f"  str r11, [sp, #{DWL_F['C']}]")
    e(f"  ldr r12, [r0, #{DWLA['OUT']}]")
    e("  ldm r0, {r1-r9}")
    e("1:")
    e(f"  ldr r0, [sp, #{DWL_F['BIAS']}]")
    e(f"  ldr lr, [sp, #{DWL_F['OFFS']}]")
    for i in range(4):
        e(f"  vldrw.u32 q4, [lr, #{16 * i}]")
        e(f"  vldrw.u32 q{i}, [r0, q4, uxtw #2]")
    e("  adds r0, #64")
    e(f"  str r0, [sp, #{DWL_F['BIAS']}]")
    for t in range(0, 9, 2 if pairs else 1):
        e(f"  vldrb.u8 q4, [r{1 + t}], #16")
        e("  vldrb.u8 q5, [r10]")
        if t < 8:
            e("  add r10, r11")
        e("  vmullb.s8 q6, q4, q5")
        e("  vmullt.s8 q7, q4, q5")
        if pairs and t < 8:
            e(f"  vldrb.u8 q4, [r{2 + t}], #16")
            e("  vldrb.u8 q5, [r10]")
            e("  vmullb.s8 q5, q4, q5")
            e("  vadd.i16 q6, q6, q5")
            e("  vldrb.u8 q5, [r10]")
            if t + 1 < 8:
                e("  add r10, r11")
            e("  vmullt.s8 q4, q4, q5")
            e("  vadd.i16 q7, q7, q4")
        for acc, src, half in ((0, 6, "b"), (2, 6, "t"), (1, 7, "b"), (3, 7, "t")):
            e(f"  vmovl{half}.s16 q4, q{src}")
            e(f"  vadd.i32 q{acc}, q{acc}, q4")
    e("  sub r10, r10, r11, lsl #3")
    e("  adds r10, #16")
    e(f"  ldrd r0, r11, [sp, #{DWL_F['MULT']}]")   # mult, shift
    for i in range(4):
        e(f"  vldrw.u32 q4, [lr, #{16 * i}]")
        e(f"  vldrw.u32 q5, [r0, q4, uxtw #2]")
        e(f"  vqrdmulh.s32 q{i}, q{i}, q5")
        e(f"  vldrw.u32 q5, [r11, q4, uxtw #2]")
        fixup_and_shift(e, "none" if nofix else "masked", f"q{i}", "q5", "q6")
    e(f"  ldr lr, [sp, #{DWL_F['RQ_INC']}]")
    e("  add r0, lr")
    e("  add r11, lr")
    e(f"  strd r0, r11, [sp, #{DWL_F['MULT']}]")
    e(f"  ldrd r11, r0, [sp, #{DWL_F['OUT_ZP']}]")   # out_zp, groups
    e("  vqmovnb.s32 q4, q0")       # 16-bit lane j: channel 2j
    e("  vqmovnt.s32 q4, q2")
    e("  vqmovnb.s32 q5, q1")       # channel 2j + 1
    e("  vqmovnt.s32 q5, q3")
    e("  vqadd.s16 q4, q4, r11")
    e("  vqadd.s16 q5, q5, r11")
    e("  vqmovnb.s16 q6, q4")
    e("  vqmovnt.s16 q6, q5")
    e("  vstrb.8 q6, [r12], #16")
    e("  subs r0, #1")
    e(f"  str r0, [sp, #{DWL_F['GROUPS']}]")
    e(f"  ldr r11, [sp, #{DWL_F['C']}]")          # (r11 was a temporary above)
    e("  bne 1b")
    fn_return(e, DWL_FRAME)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


# ---- fully connected (one input vector) -------------------------------------
FCA = ["IN", "K", "W0", "W1", "W2", "W3", "W_ADV", "OUT", "GROUPS", "BIAS", "MULT", "SHIFT",
       "RQ_STRIDE", "OUT_OFFSET", "ACT_MIN", "ACT_MAX", "PRED"]
FA = {k: 4 * i for i, k in enumerate(FCA)}
FC_ARGS_BYTES = 4 * len(FCA)  # 68
FC_FRAME = 80


def fc_kernel(name, unroll=False):
    """Groups of 4 outputs: 4 dot products of the input (K bytes, any K >= 1)
    with 4 weight rows in a tail-predicated loop (16 MACs per VMLADAVA),
    then bias, requantization (per-lane multiplier / shift vectors), zero
    point, clamp, 4-byte store (predicated with PRED). Registers: r0 r2 r4
    r6 dot products, r1 input, r3 r5 r11 r9 weight rows, r7 output, r8
    bias, r12 groups left, lr loop.
    unroll: K % 32 == 0 (the caller checks): two 16-byte steps per
    iteration of a plain low-overhead loop (DLS/LE), no tail predication."""
    o = []
    e = o.append
    fn_begin(e, name, FC_FRAME)
    for i in range(0, FC_ARGS_BYTES, 4):
        e(f"  ldr r1, [r0, #{i}]")
        e(f"  str r1, [sp, #{i}]")
    e(f"  ldrd r1, r2, [sp, #{FA['ACT_MIN']}]")
    e("  vdup.32 q6, r1")
    e("  vdup.32 q7, r2")
    e(f"  ldrd r3, r5, [sp, #{FA['W0']}]")
    e(f"  ldrd r11, r9, [sp, #{FA['W2']}]")
    # kept in registers across groups: r8 bias, r7 output, r12 groups
    # left, q5 output zero point, p0 store predicate
    e(f"  ldr r8, [sp, #{FA['BIAS']}]")
    e(f"  ldr r7, [sp, #{FA['OUT']}]")
    e(f"  ldr r12, [sp, #{FA['GROUPS']}]")
    e(f"  ldr r1, [sp, #{FA['OUT_OFFSET']}]")
    e("  vdup.32 q5, r1")
    e(f"  ldr r1, [sp, #{FA['PRED']}]")
    e("  vmsr p0, r1")
    e("1:")
    e(f"  ldrd r1, r10, [sp, #{FA['IN']}]")      # in, K
    e("  movs r0, #0")
    e("  movs r2, #0")
    e("  movs r4, #0")
    e("  movs r6, #0")
    if unroll:
        e("  lsrs r10, r10, #5")
        e("  dls lr, r10")
    else:
        e("  dlstp.8 lr, r10")
    e("2:")
    for _ in range(2 if unroll else 1):
        e("  vldrb.u8 q0, [r1], #16")
        e("  vldrb.u8 q1, [r3], #16")
        e("  vmladava.s8 r0, q0, q1")
        e("  vldrb.u8 q1, [r5], #16")
        e("  vmladava.s8 r2, q0, q1")
        e("  vldrb.u8 q1, [r11], #16")
        e("  vmladava.s8 r4, q0, q1")
        e("  vldrb.u8 q1, [r9], #16")
        e("  vmladava.s8 r6, q0, q1")
    e(f"  {'le' if unroll else 'letp'} lr, 2b")
    e("  vmov d0, r0, r2")
    e("  vmov d1, r4, r6")
    e("  vldrw.u32 q1, [r8], #16")
    e("  vadd.i32 q0, q0, q1")
    e(f"  ldrd r0, r2, [sp, #{FA['MULT']}]")
    e(f"  ldr r4, [sp, #{FA['RQ_STRIDE']}]")
    e("  vldrw.u32 q1, [r0]")
    e("  vldrw.u32 q2, [r2]")
    e("  add r0, r4")
    e("  add r2, r4")
    e(f"  strd r0, r2, [sp, #{FA['MULT']}]")
    e("  vqrdmulh.s32 q0, q0, q1")
    fixup_and_shift(e, "masked", "q0", "q2", "q1")
    e("  vadd.i32 q0, q0, q5")
    e("  vmax.s32 q0, q0, q6")
    e("  vmin.s32 q0, q0, q7")
    e("  vpst")
    e("  vstrbt.32 q0, [r7], #4")
    e(f"  ldr r0, [sp, #{FA['W_ADV']}]")
    e("  add r3, r0")
    e("  add r5, r0")
    e("  add r11, r0")
    e("  add r9, r0")
    e("  subs r12, #1")
    e("  bne 1b")
    fn_return(e, FC_FRAME)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


FC8A = ["IN", "W", "OUT", "GROUPS", "BIAS", "OUT_OFFSET", "ACT_MIN", "ACT_MAX", "MULT", "SHIFT",
        "SOFF"]


def fc8_kernel(name, K, sat=False):
    """Groups of 8 outputs for an input of K bytes (K % 16 == 0, 3 K + K - 16
    <= 508): 8 dot products, fully unrolled, weight rows through two
    pointers (rows 0-3 and 4-7 of the group) with VLDRW immediate offsets
    (rows 4-aligned); per-tensor requantization. Registers: r0 r2 .. lr
    dot products, r1 input, r3 r5 weights, r7 output, r9 groups, r11 bias.
    sat: the whole int8 range and a shift < 0 (the caller checks): no
    clamp, the rounding fixup unmasked, the zero point added and the
    outputs narrowed with saturation (VQMOVNB/VQMOVNT interleave outputs
    0-3 and 4-7 in 16-bit lanes; SOFF, 8 halfword offsets {0,4,1,5,2,6,3,7},
    puts them back in order in one byte scatter)."""
    o = []
    e = o.append
    fa = {k: 4 * i for i, k in enumerate(FC8A)}
    fn_begin(e, name, 8)
    e(f"  ldr r1, [r0, #{fa['IN']}]")
    e("  str r1, [sp, #0]")
    e(f"  ldr r1, [r0, #{fa['OUT_OFFSET']}]")
    e("  str r1, [sp, #4]")
    e(f"  ldr r1, [r0, #{fa['MULT']}]")
    e("  vdup.32 q4, r1")
    e(f"  ldr r1, [r0, #{fa['SHIFT']}]")
    e("  vdup.32 q5, r1")
    if sat:
        e(f"  ldr r1, [r0, #{fa['SOFF']}]")
        e("  vldrh.u16 q6, [r1]")
    else:
        e(f"  ldr r1, [r0, #{fa['ACT_MIN']}]")
        e("  vdup.32 q6, r1")
        e(f"  ldr r1, [r0, #{fa['ACT_MAX']}]")
        e("  vdup.32 q7, r1")
    e(f"  ldr r3, [r0, #{fa['W']}]")
    e(f"  add r5, r3, #{4 * K}")
    e(f"  ldr r7, [r0, #{fa['OUT']}]")
    e(f"  ldr r9, [r0, #{fa['GROUPS']}]")
    e(f"  ldr r11, [r0, #{fa['BIAS']}]")
    e("  ldr r1, [sp, #0]")                     # the input: never moves
    e("1:")
    dot8(e, K, ["r3", "r5"], lambda c: f"  vldrb.u8 q0, [r1, #{16 * c}]")
    e(f"  add r3, r3, #{8 * K}")
    e(f"  add r5, r5, #{8 * K}")
    e("  vmov d0, r0, r2")
    e("  vmov d1, r4, r6")
    e("  vmov d2, r8, r10")
    e("  vmov d3, r12, lr")
    e("  vldrw.u32 q2, [r11]")
    e("  vldrw.u32 q3, [r11, #16]")
    e("  adds r11, #32")
    e("  vadd.i32 q0, q0, q2")
    e("  vadd.i32 q1, q1, q3")
    e("  vqrdmulh.s32 q0, q0, q4")
    e("  vqrdmulh.s32 q1, q1, q4")
    for q in ("q0", "q1"):
        fixup_and_shift(e, "sign" if sat else "masked", q, "q5", "q2")
    e("  ldr r0, [sp, #4]")
    if sat:
        narrow_pair(e, "q2", "r0")
        e("  vqmovnb.s16 q2, q2")
        e("  vstrb.16 q2, [r7, q6]")
        e("  adds r7, #8")
        e("  subs r9, #1")
        e("  bne 1b")
        fn_return(e, 8)
        e(f"  .size {name}, . - {name}")
        return "\n".join(o) + "\n"
    e("  vadd.i32 q0, q0, r0")
    e("  vadd.i32 q1, q1, r0")
    e("  vmax.s32 q0, q0, q6")
    e("  vmax.s32 q1, q1, q6")
    e("  vmin.s32 q0, q0, q7")
    e("  vmin.s32 q1, q1, q7")
    e("  vstrb.32 q0, [r7]")
    e("  vstrb.32 q1, [r7, #4]")
    e("  adds r7, #8")
    e("  subs r9, #1")
    e("  bne 1b")
    fn_return(e, 8)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


# Offsets in struct tp::kernels::mve::Fc8pArgs (fc.cc).
FC8P = ["IN", "W", "OUT", "OUT_END", "BIAS", "MULT", "SHIFT", "RQ_STRIDE", "OUT_OFFSET", "SOFF"]
FC8P_KS = (64, 128, 256)


def fc8p_kernel(name, K, fix):
    """One pixel of a 1x1 / im2col GEMM (the odd last one of a run) as
    groups of 8 outputs: K bytes (FC8P_KS), fully unrolled, per-channel
    requantization as in the GEMM kernels (multiplier and shift vectors
    rq_stride apart per 4 channels, the rounding fixup FIX as in FIXUPS)
    and the whole int8 range: the GEMM kernels' conditions, which the
    caller (conv.cc gemm_last_pixel) already holds. Weight rows K apart,
    4-aligned (VLDRW), through r3 r5 r7 r9 (rows 0-1, 2-3, 4-5, 6-7 of the
    group at immediate offsets up to 2 K - 16 <= 508); the input through r1
    (post-incremented, rewound per group); r11 the output (8 bytes a group,
    one halfword-offset byte scatter: VQMOVNB / VQMOVNT interleave outputs
    0-3 and 4-7, SOFF {0, 4, 1, 5, 2, 6, 3, 7} puts them back in order).
    Accumulators: r0 r2 .. lr. Frame: bias, mult, shift, out_end, rq_stride."""
    assert K in FC8P_KS and 2 * K - 16 <= 508
    o = []
    e = o.append
    fa = {k: 4 * i for i, k in enumerate(FC8P)}
    wp = ["r3", "r5", "r7", "r9"]
    fn_begin(e, name, 24)
    for i, f in enumerate(("BIAS", "MULT", "SHIFT", "OUT_END", "RQ_STRIDE")):
        e(f"  ldr r1, [r0, #{fa[f]}]")
        e(f"  str r1, [sp, #{4 * i}]")
    e(f"  ldr r1, [r0, #{fa['OUT_OFFSET']}]")
    e("  vdup.16 q4, r1")
    e(f"  ldr r1, [r0, #{fa['SOFF']}]")
    e("  vldrh.u16 q7, [r1]")
    e(f"  ldr r3, [r0, #{fa['W']}]")
    for i in range(1, 4):
        e(f"  add.w {wp[i]}, r3, #{2 * i * K}")
    e(f"  ldr r11, [r0, #{fa['OUT']}]")
    e(f"  ldr r1, [r0, #{fa['IN']}]")
    e("1:")
    dot8(e, K, wp, lambda c: "  vldrb.u8 q0, [r1], #16")
    e(f"  sub.w r1, r1, #{K}")
    for r in wp:
        e(f"  add.w {r}, {r}, #{8 * K}")
    e("  vmov d0, r0, r2")
    e("  vmov d1, r4, r6")
    e("  vmov d2, r8, r10")
    e("  vmov d3, r12, lr")
    e("  ldr r0, [sp, #0]")
    e("  vldrw.u32 q2, [r0]")
    e("  vldrw.u32 q3, [r0, #16]")
    e("  adds r0, #32")
    e("  str r0, [sp, #0]")
    e("  vadd.i32 q0, q0, q2")
    e("  vadd.i32 q1, q1, q3")
    e("  ldrd r0, r2, [sp, #4]")          # mult, shift
    e("  ldr r4, [sp, #16]")              # rq_stride
    e("  vldrw.u32 q2, [r0]")
    e("  add r0, r4")
    e("  vqrdmulh.s32 q0, q0, q2")
    e("  vldrw.u32 q2, [r0]")
    e("  add r0, r4")
    e("  vqrdmulh.s32 q1, q1, q2")
    e("  vldrw.u32 q2, [r2]")
    e("  add r2, r4")
    e("  vldrw.u32 q3, [r2]")
    e("  add r2, r4")
    e("  strd r0, r2, [sp, #4]")
    for q, sh in (("q0", "q2"), ("q1", "q3")):
        fixup_and_shift(e, fix, q, sh, "q5")
    narrow_pair(e, "q2", "q4")
    e("  vqmovnb.s16 q2, q2")
    e("  vstrb.16 q2, [r11, q7]")
    e("  adds r11, #8")
    e("  ldr r0, [sp, #12]")
    e("  cmp r11, r0")
    e("  bne 1b")
    fn_return(e, 24)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


def fc8_k8_kernel(name):
    """K = 8, groups of 8 outputs, per-tensor requantization, any activation
    range. The input is loaded once as [x|x] (a byte gather with the
    offsets 0..7, 0..7); each 16-byte weight load holds two rows, and a
    VPT block TETE runs VMLADAV on lanes 0-7 (P0 = 0x00FF, row 2i) and on
    lanes 8-15 (the inverse, row 2i+1). Tail: the folded bias, VQRDMULH,
    the masked rounding fixup (the shift may be 0), VRSHL, saturating
    narrowing to 16 bits (outputs 0-3 bottom, 4-7 top), the zero point,
    the clamp in 16-bit lanes, narrowing to bytes and one scatter (SOFF).
    Registers: r0 r2 .. lr dot products, r1 input, r3 weights, r7 output,
    r9 groups, r11 bias; q3 input, q4 multiplier, q5 shift, q6 / q7
    activation min / max (16-bit lanes)."""
    o = []
    e = o.append
    fa = {k: 4 * i for i, k in enumerate(FC8A)}
    fn_begin(e, name, 24)
    e(f"  ldr r1, [r0, #{fa['OUT_OFFSET']}]")
    e("  str r1, [sp, #16]")
    e(f"  ldr r1, [r0, #{fa['MULT']}]")
    e("  vdup.32 q4, r1")
    e(f"  ldr r1, [r0, #{fa['SHIFT']}]")
    e("  vdup.32 q5, r1")
    e(f"  ldr r1, [r0, #{fa['ACT_MIN']}]")
    e("  vdup.16 q6, r1")
    e(f"  ldr r1, [r0, #{fa['ACT_MAX']}]")
    e("  vdup.16 q7, r1")
    e(f"  ldr r1, [r0, #{fa['SOFF']}]")
    e("  vldrh.u16 q2, [r1]")
    e("  vstrw.32 q2, [sp]")   # store offsets, reloaded per group
    e(f"  ldr r1, [r0, #{fa['IN']}]")
    e("  movs r4, #0")
    e("  movs r5, #8")
    e("  viwdup.u8 q2, r4, r5, #1")
    e("  vldrb.u8 q3, [r1, q2]")
    e(f"  ldr r3, [r0, #{fa['W']}]")
    e(f"  ldr r7, [r0, #{fa['OUT']}]")
    e(f"  ldr r9, [r0, #{fa['GROUPS']}]")
    e(f"  ldr r11, [r0, #{fa['BIAS']}]")
    e("  movs r1, #255")
    e("  vmsr p0, r1")
    e("1:")
    e("  vldrw.u32 q0, [r3]")
    e("  vldrw.u32 q1, [r3, #16]")
    e("  vpstete")
    e("  vmladavt.s8 r0, q3, q0")
    e("  vmladave.s8 r2, q3, q0")
    e("  vmladavt.s8 r4, q3, q1")
    e("  vmladave.s8 r6, q3, q1")
    e("  vldrw.u32 q0, [r3, #32]")
    e("  vldrw.u32 q1, [r3, #48]")
    # A TETE block leaves P0 inverted (three T/E flips): this block's T
    # lanes are 8-15, and it leaves P0 = 0x00FF for the next group.
    e("  vpstete")
    e("  vmladavt.s8 r10, q3, q0")
    e("  vmladave.s8 r8, q3, q0")
    e("  vmladavt.s8 lr, q3, q1")
    e("  vmladave.s8 r12, q3, q1")
    e("  adds r3, #64")
    e("  vmov d0, r0, r2")
    e("  vmov d1, r4, r6")
    e("  vmov d2, r8, r10")
    e("  vmov d3, r12, lr")
    e("  vldrw.u32 q2, [r11], #16")
    e("  vadd.i32 q0, q0, q2")
    e("  vldrw.u32 q2, [r11], #16")
    e("  vadd.i32 q1, q1, q2")
    e("  vqrdmulh.s32 q0, q0, q4")
    e("  vqrdmulh.s32 q1, q1, q4")
    for q in ("q0", "q1"):
        fixup_and_shift(e, "masked", q, "q5", "q2")
    e("  ldr r0, [sp, #16]")
    narrow_pair(e, "q2", "r0")
    e("  vmax.s16 q2, q2, q6")
    e("  vmin.s16 q2, q2, q7")
    e("  vqmovnb.s16 q2, q2")
    e("  vldrw.u32 q0, [sp]")
    e("  vstrb.16 q2, [r7, q0]")
    e("  adds r7, #8")
    e("  subs r9, #1")
    e("  bne 1b")
    fn_return(e, 24)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


# ---- ADD ----------------------------------------------------------------------
ADDA = ["IN1", "IN2", "OUT", "SIZE", "OFF1", "OFF2", "LSHIFT", "M1", "S1", "M2", "S2", "MO", "SO",
        "OUT_OFFSET", "ACT_MIN", "ACT_MAX"]


def add_kernel(name):
    """TFLite int8 ADD, 4 elements per iteration (tail-predicated loop). The
    three right shifts (<= 0) are vectors (q4 q5 q3) so that the rounding
    fixup can be masked for a zero shift; the multipliers are per tensor
    (core registers), so each requantization takes its fixup by VQRDMLAH."""
    o = []
    e = o.append
    ad = {k: 4 * i for i, k in enumerate(ADDA)}
    fn_begin(e, name)
    e(f"  ldrd r1, r2, [r0, #{ad['ACT_MIN']}]")
    e("  vdup.32 q6, r1")
    e("  vdup.32 q7, r2")
    e(f"  ldr r1, [r0, #{ad['S1']}]")
    e("  vdup.32 q4, r1")
    e(f"  ldr r1, [r0, #{ad['S2']}]")
    e("  vdup.32 q5, r1")
    e(f"  ldr r1, [r0, #{ad['SO']}]")
    e("  vdup.32 q3, r1")
    regs = {"OFF1": "r3", "OFF2": "r4", "LSHIFT": "r5", "M1": "r6", "M2": "r8", "MO": "r10",
            "OUT_OFFSET": "r12", "SIZE": "lr"}
    for k, r in regs.items():
        e(f"  ldr {r}, [r0, #{ad[k]}]")
    e(f"  ldr r1, [r0, #{ad['IN2']}]")
    e(f"  ldr r2, [r0, #{ad['OUT']}]")
    e(f"  ldr r0, [r0, #{ad['IN1']}]")
    e("  dlstp.32 lr, lr")
    e("1:")
    e("  vldrb.s32 q0, [r0], #4")
    e("  vldrb.s32 q1, [r1], #4")
    e("  vadd.i32 q0, q0, r3")
    e("  vadd.i32 q1, q1, r4")
    e("  vshl.s32 q0, r5")
    e("  vshl.s32 q1, r5")
    # Each requantization: t = (x & shift) >> 31 (-1 for a negative x when
    # the shift is a right shift), `VQRDMLAH t, x, m` (t + the high half of
    # x * m), then the rounding shift: as the depthwise kernel's fixup
    # (s1_half), masked for a zero shift. In1 into q2, in2 into q0, their
    # sum's into q1.
    for x, t, sh, m in (("q0", "q2", "q4", "r6"), ("q1", "q0", "q5", "r8")):
        e(f"  vand {t}, {x}, {sh}")
        e(f"  vshr.s32 {t}, {t}, #31")
        e(f"  vqrdmlah.s32 {t}, {x}, {m}")
        e(f"  vrshl.s32 {t}, {t}, {sh}")
    e("  vadd.i32 q0, q0, q2")
    e("  vand q1, q0, q3")
    e("  vshr.s32 q1, q1, #31")
    e("  vqrdmlah.s32 q1, q0, r10")
    e("  vrshl.s32 q1, q1, q3")
    e("  vadd.i32 q1, q1, r12")
    e("  vmax.s32 q1, q1, q6")
    e("  vmin.s32 q1, q1, q7")
    e("  vstrb.32 q1, [r2], #4")
    e("  letp lr, 1b")
    fn_return(e)
    e(f"  .size {name}, . - {name}")
    return "\n".join(o) + "\n"


def table():
    t = ["// Generated by gen_gemm_asm.py. Do not edit.",
         "// {nseg, l, px1 (-1: mode b), tail, w_align, in_align, u2, {fn, fn_fix, fn_nr}, {fn2, fn2_fix, fn2_nr},",
         "//  {fn2w, fn2w_fix, fn2w_nr}}"]
    for sfx, nseg, L, px1, wload, wb, tail in SHAPES:
        one = ", ".join(f"tp_mve_gemm_{sfx}{x}" for _, x in FIXUPS)
        u2 = (", ".join(f"tp_mve_gemm_{sfx}_u2{x}" for _, x in FIXUPS) if sfx in U2
              else "nullptr, nullptr, nullptr")
        iw = in_word_loads(px1, L, kernel_mode(nseg, L, px1, wload, wb, tail)[3])
        u2w = (", ".join(f"tp_mve_gemm_{sfx}_u2w{x}" for _, x in FIXUPS) if sfx in U2W
               else "nullptr, nullptr, nullptr")
        t.append(f"{{{nseg}, {L}, {-1 if px1 is None else px1}, {tail}, {4 if wload == 'w' else 1}, "
                 f"{4 if iw else 1}, {2 if sfx in U2W else 1 if sfx in U2 else 0}, {{{one}}}, {{{u2}}}, {{{u2w}}}}},")
    return "\n".join(t) + "\n"


def decls():
    t = ["// Generated by gen_gemm_asm.py. Do not edit."]
    for sfx, *_ in SHAPES:
        for u2 in ("",) + (("_u2",) if sfx in U2 else ()) + (("_u2w",) if sfx in U2W else ()):
            for _, fix in FIXUPS:
                t.append(f"void tp_mve_gemm_{sfx}{u2}{fix}(const tp::kernels::mve::GemmArgs*);")
    # The resident-weight 1x1 kernels over K = 16 (rw16_kernel) by output
    # pixel step (RW16_STEPS).
    t.extend(f"void tp_mve_rw16_s{st}_nr(const tp::kernels::mve::GemmArgs*);" for st in RW16_STEPS)
    t.append("static constexpr int32_t kRw16Steps[] = {" + ", ".join(str(st) for st in RW16_STEPS) + "};")
    t.append("static void (*const kRw16[])(const tp::kernels::mve::GemmArgs*) = {"
             + ", ".join(f"tp_mve_rw16_s{st}_nr" for st in RW16_STEPS) + "};")
    # The 8-channel block 1x1 kernels (b8_kernel) by K (B8_KS).
    t.extend(f"void tp_mve_b8_k{k}_nr(const tp::kernels::mve::B8Args*);" for k in B8_KS)
    t.append("static constexpr int32_t kB8Ks[] = {" + ", ".join(str(k) for k in B8_KS) + "};")
    t.append("static void (*const kB8[])(const tp::kernels::mve::B8Args*) = {"
             + ", ".join(f"tp_mve_b8_k{k}_nr" for k in B8_KS) + "};")
    # The two-pair kernels with pair loops by immediate right shift
    # (SHIFT_U2, SHIFT_U2W): their no-fixup entries and the largest shift.
    t.append(f"static constexpr int32_t kGemmShiftMax = {GEMM_SHIFT_MAX};")
    t.append("static void (*const kGemmShiftLoops[])(const tp::kernels::mve::GemmArgs*) = {"
             + ", ".join([f"tp_mve_gemm_{sfx}_u2_nr" for sfx in SHIFT_U2]
                         + [f"tp_mve_gemm_{sfx}_u2w_nr" for sfx in SHIFT_U2W]) + "};")
    return "\n".join(t) + "\n"


def dw_decls():
    nrow = [len(dw_row_tables(st)[0]) for st in (1, 2)]
    nlast = [len(dw_row_tables(st)[1]) for st in (1, 2)]
    return ("// Generated by gen_gemm_asm.py. Do not edit.\n"
            "// Entries of the planar kernels' row tables by stride (1, 2): the\n"
            "// no-fixup half starts there (depthwise.cc).\n"
            f"static constexpr int32_t kDwRowVariants[2] = {{{nrow[0]}, {nrow[1]}}};\n"
            f"static constexpr int32_t kDwLastVariants[2] = {{{nlast[0]}, {nlast[1]}}};\n"
            "// ROWV 11: rows of up to this many pairs unrolled.\n"
            f"static constexpr int32_t kDwPairsUnrolled = {PAIRS_UNROLLED};\n"
            "// W = 5 (group 4, no fixup): the largest right shift with loops of its own.\n"
            f"static constexpr int32_t kDwW5ShiftMax = {W5_SHIFT_MAX};\n"
            "void tp_mve_dw3x3_s1(const tp::kernels::mve::DwArgs*);\n"
            "void tp_mve_dw3x3_s2(const tp::kernels::mve::DwArgs*);\n"
            "void tp_mve_dw3x3_s1g4(const tp::kernels::mve::DwArgs*);\n"
            "void tp_mve_dw3x3_s2g4(const tp::kernels::mve::DwArgs*);\n"
            "void tp_mve_fc4(const tp::kernels::mve::FcArgs*);\n"
            "void tp_mve_add(const tp::kernels::mve::AddArgs*);\n"
            "void tp_mve_fc8_k64(const tp::kernels::mve::Fc8Args*);\n"
            "void tp_mve_fc8_k128(const tp::kernels::mve::Fc8Args*);\n"
            "void tp_mve_fc8s_k64(const tp::kernels::mve::Fc8Args*);\n"
            "void tp_mve_fc8s_k128(const tp::kernels::mve::Fc8Args*);\n"
            "void tp_mve_fc4u(const tp::kernels::mve::FcArgs*);\n"
            "void tp_mve_fc8_k8(const tp::kernels::mve::Fc8Args*);\n"
            "// The record kernels (dwr_kernel) by output size (DWR_SIZES): {H, W,\n"
            "// plane row bytes, plane rows, record bytes, kernel}.\n"
            + "".join(f"void tp_mve_dwr3x3_{h}x{w}(const tp::kernels::mve::DwrArgs*);\n"
                      for h, w in DWR_SIZES)
            + "struct DwrKernel {\n  int32_t h, w, pw, ph, rs;\n"
            "  void (*fn)(const tp::kernels::mve::DwrArgs*);\n};\n"
            "static constexpr DwrKernel kDwr[] = {\n"
            + "".join("    {%d, %d, %d, %d, %d, tp_mve_dwr3x3_%dx%d},\n" % ((h, w) + dwr_geometry(h, w) + (h, w))
                      for h, w in DWR_SIZES)
            + "};\n"
            "void tp_mve_dwl3x3(const tp::kernels::mve::DwlArgs*);\n"
            "void tp_mve_dwl3x3_nr(const tp::kernels::mve::DwlArgs*);\n"
            "void tp_mve_dwl3x3p(const tp::kernels::mve::DwlArgs*);\n"
            "void tp_mve_dwl3x3p_nr(const tp::kernels::mve::DwlArgs*);\n"
            "// The 8-output last-pixel kernels (fc8p_kernel) by K (FC8P_KS) and\n"
            "// fixup variant (FIXUPS, GemmKernel::fn's order).\n"
            + "".join(f"void tp_mve_fc8p_k{k}{x}(const tp::kernels::mve::Fc8pArgs*);\n"
                      for k in FC8P_KS for _, x in FIXUPS)
            + "static constexpr int32_t kFc8pKs[] = {"
            + ", ".join(str(k) for k in FC8P_KS) + "};\n"
            "static void (*const kFc8p[][3])(const tp::kernels::mve::Fc8pArgs*) = {\n"
            + "".join("    {" + ", ".join(f"tp_mve_fc8p_k{k}{x}" for _, x in FIXUPS) + "},\n"
                      for k in FC8P_KS)
            + "};\n")


def asm():
    out = ["@ Generated by gen_gemm_asm.py. Do not edit.",
           "#if defined(__ARM_FEATURE_MVE)",
           "  .syntax unified",
           "  .arch armv8.1-m.main",
           "  .arch_extension mve",
           "  .thumb",
           "  .text"]
    for sfx, nseg, L, px1, wload, wb, tail in SHAPES:
        pt = sfx not in UNPRED_TAIL
        for fix, x in FIXUPS:
            out.append(kernel(f"tp_mve_gemm_{sfx}{x}", nseg, L, px1, wload, wb, fix, tail,
                              pred_tail=pt))
        if sfx in U2:
            for fix, x in FIXUPS:
                out.append(kernel(f"tp_mve_gemm_{sfx}_u2{x}", nseg, L, px1, wload, wb, fix, tail,
                                  u2=True, pred_tail=pt,
                                  shift_variants=(sfx in SHIFT_U2 and fix == "none")))
        if sfx in U2W:
            for fix, x in FIXUPS:
                out.append(kernel(f"tp_mve_gemm_{sfx}_u2w{x}", nseg, L, px1, wload, wb, fix, tail,
                                  u2=True, pred_tail=pt, wide=True,
                                  shift_variants=(sfx in SHIFT_U2W and fix == "none")))
    out.append(fc_kernel("tp_mve_fc4"))
    out.append(add_kernel("tp_mve_add"))
    out.append(fc8_kernel("tp_mve_fc8_k64", 64))
    out.append(fc8_kernel("tp_mve_fc8_k128", 128))
    out.append(fc8_kernel("tp_mve_fc8s_k64", 64, sat=True))
    out.append(fc8_kernel("tp_mve_fc8s_k128", 128, sat=True))
    out.append(fc_kernel("tp_mve_fc4u", unroll=True))
    out.append(fc8_k8_kernel("tp_mve_fc8_k8"))
    for k in FC8P_KS:
        for fix, x in FIXUPS:
            out.append(fc8p_kernel(f"tp_mve_fc8p_k{k}{x}", k, fix))
    out.append(dw_kernel("tp_mve_dw3x3_s1", 1))
    out.append(dw_kernel("tp_mve_dw3x3_s2", 2))
    out.append(dw_kernel("tp_mve_dw3x3_s1g4", 1, 4))
    out.append(dw_kernel("tp_mve_dw3x3_s2g4", 2, 4))
    for h, w in DWR_SIZES:
        out.append(dwr_kernel(f"tp_mve_dwr3x3_{h}x{w}", h, w))
    out.append(dwl_kernel("tp_mve_dwl3x3"))
    out.append(dwl_kernel("tp_mve_dwl3x3_nr", nofix=True))
    out.append(dwl_kernel("tp_mve_dwl3x3p", pairs=True))
    out.append(dwl_kernel("tp_mve_dwl3x3p_nr", nofix=True, pairs=True))
    for st in RW16_STEPS:
        out.append(rw16_kernel(f"tp_mve_rw16_s{st}_nr", st))
    for k in B8_KS:
        out.append(b8_kernel(f"tp_mve_b8_k{k}_nr", k))
    out.append("#endif  // __ARM_FEATURE_MVE\n")
    return "\n".join(out)


def main():
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    for fname, text in (("gemm_mve.S", asm()), ("gemm_mve_table.inc", table()),
                        ("gemm_mve_decls.inc", decls()), ("dw_mve_decls.inc", dw_decls())):
        with open(os.path.join(here, fname), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
