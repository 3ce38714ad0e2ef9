@ int8 GEMM + requantization microkernels for Cortex-M4 (Armv7E-M DSP).
@
@ out[p][c] = requant_c(bias[c] + sum_k x[p][k] * w[c][k]) for P = 1..4
@ pixels at a time and every output channel c of a layer.
@
@ x: int16 activations (input offset already added, optionally doubled),
@    laid out by the caller as [K/8][P][8] halfwords, each group of 8 in
@    the order (k0,k2),(k1,k3),(k4,k6),(k5,k7) so that SXTB16 / SXTB16 ROR 8
@    of an int8 weight word pair up with them without repacking.
@ w: int8 weights, one row of K bytes per channel, rows contiguous, K % 8 == 0,
@    4-byte aligned (LDRD).
@
@ Per 8 values of K: 1 LDRD + 4 SXTB16 for the weights, then per pixel
@ 1 LDM + 4 SMLAD: 25 instructions for 32 MACs at P = 4. The K loop is an
@ 8-step unrolled body entered Duff-style. All 14 usable registers are in
@ use inside the loop; everything else lives in a stack frame (GemmArgs).
@
@ Requantization (TFLite MultiplyByQuantizedMultiplier, shift <= 0, then
@ output offset and int8 saturation), bit-exact:
@   SRDHM(acc, m)   = (2*acc*m + 2^31) >> 32   (m in [2^30, 2^31) or 0)
@     DBL=1: acc2 = 2*acc is what the loop accumulated -> SMMLAR(acc2, m, K)
@            (|acc| < 2^30 checked by the caller: no overflow anywhere)
@     DBL=0: s = SMMLAR(acc, 2m - 2^32, acc), then QADD(s, K): exact for any
@            accumulator, the saturation only happens where the int8 result
@            saturates anyway (e <= 23; larger shifts are checked by the
@            caller). m = 0 is handled by zeroing acc.
@   RDBPOT(s, e)    = (s + 2^(e-1) - [s<0]) >> e  (e >= 1), s for e = 0
@     [s<0] may be replaced by [acc<0] (they differ only when s = 0, where
@     the correction does not change the result). CORR=0 drops the term:
@     allowed when every negative s saturates to act_min anyway
@     (output zero point == -128 == act_min).
@   FOLD=1: K = (2*zp + 1) * 2^e / 2 folds rounding constant and zero point;
@   FOLD=0: K = 2^e / 2 and zp is added after the shift.
@
@ void name(GemmArgs* args); see gemm.h for the field order.

    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ A_MULT, 0
    .equ A_SHIFT, 4
    .equ A_OUT, 8
    .equ A_ZPC, 12
    .equ A_STRIDE, 16
    .equ A_STRIDE3, 20
    .equ A_MULT_END, 24
    .equ A_BIAS, 28
    .equ A_XBUF, 32
    .equ A_ENTRY, 36
    .equ A_W, 40
    .equ A_STEPS, 44
    .equ A_ZP, 48
    .equ A_XEND, 52
    .equ FRAME, 56

.macro SUB_STEP acc
    ldmia.w r12!, {r4-r7}
    smlad   \acc, r4, r10, \acc
    smlad   \acc, r5, r8, \acc
    smlad   \acc, r6, r11, \acc
    smlad   \acc, r7, r9, \acc
.endm

.macro STEP P
    ldrd    r8, r9, [lr], #8
    sxtb16  r10, r8
    sxtb16  r8, r8, ror #8
    sxtb16  r11, r9
    sxtb16  r9, r9, ror #8
    SUB_STEP r0
  .if \P > 1
    SUB_STEP r1
  .endif
  .if \P > 2
    SUB_STEP r2
  .endif
  .if \P > 3
    SUB_STEP r3
  .endif
.endm

@ int16 weights (conv_layout.h): 8 of them, already in the activations'
@ order, with one LDM.
.macro SUB_STEP16 acc
    ldmia.w r12!, {r4-r7}
    smlad   \acc, r4, r8, \acc
    smlad   \acc, r5, r9, \acc
    smlad   \acc, r6, r10, \acc
    smlad   \acc, r7, r11, \acc
.endm

.macro STEP16 P
    ldmia.w lr!, {r8-r11}
    SUB_STEP16 r0
  .if \P > 1
    SUB_STEP16 r1
  .endif
  .if \P > 2
    SUB_STEP16 r2
  .endif
  .if \P > 3
    SUB_STEP16 r3
  .endif
.endm

@ Requantize accumulator \acc into r4 (int8 value in an int32).
@ r12 = m (DBL) or 2m (!DBL), r7 = K, r10 = e, r5 = zp (!FOLD).
.macro RQ acc, dbl, corr, fold
  .if \dbl
    smmlar  r4, \acc, r12, r7
    .if \corr
    add.w   r4, r4, \acc, asr #31
    .endif
  .else
    smmlar  r4, \acc, r12, \acc
    .if \corr
    add.w   r4, r4, \acc, asr #31
    .endif
    qadd    r4, r4, r7
  .endif
    asr.w   r4, r4, r10
  .if !\fold
    add.w   r4, r4, r5
  .endif
    ssat    r4, #8, r4
.endm

.macro GEMM name, P, dbl, corr, fold, w16=0
  .if \w16
    .set GU, 4
    .set GSTEP, (1 + 5 * \P) * 4
  .else
    .set GU, 8
    .set GSTEP, (5 + 5 * \P) * 4
  .endif
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #FRAME
    mov     r12, sp
    ldmia   r0!, {r1-r7}
    stmia   r12!, {r1-r7}
    ldmia   r0!, {r1-r6}
    stmia   r12!, {r1-r6}
    @ xend = xbuf + steps * 16 * P
    ldr     r1, [sp, #A_STEPS]
    ldr     r2, [sp, #A_XBUF]
    movs    r3, #(16 * \P)
    mla     r3, r1, r3, r2
    str     r3, [sp, #A_XEND]
    @ Duff entry: skip (GU - steps % GU) % GU steps of the body
    and     r1, r1, #(GU - 1)
    rsb     r1, r1, #GU
    and     r1, r1, #(GU - 1)
    movs    r3, #GSTEP
    mul     r1, r1, r3
    adr.w   r3, .Lbody\@
    add     r1, r1, r3
    orr     r1, r1, #1
    str     r1, [sp, #A_ENTRY]
    ldr     lr, [sp, #A_W]
    ldr     r11, [sp, #A_BIAS]
.Lchan\@:
    ldr     r0, [r11], #4
  .if \dbl
    lsl     r0, r0, #1
  .endif
    str     r11, [sp, #A_BIAS]
  .if \P > 1
    mov     r1, r0
  .endif
  .if \P > 2
    mov     r2, r0
  .endif
  .if \P > 3
    mov     r3, r0
  .endif
    ldrd    r12, r4, [sp, #A_XBUF]      @ r12 = xbuf, r4 = entry (A_ENTRY follows)
    bx      r4
.Lbody\@:
    .rept GU
  .if \w16
    STEP16 \P
  .else
    STEP \P
  .endif
    .endr
.Lbody_end\@:
    .if (.Lbody_end\@ - .Lbody\@) != GU * GSTEP
    .error "unexpected instruction sizes in the GEMM body"
    .endif
    ldr     r8, [sp, #A_XEND]
    cmp     r12, r8
    bne     .Lbody\@
    @ requantize the P accumulators of this channel
    ldmia   sp, {r4-r11}   @ r4 mult, r5 shift, r6 out, r7 zpc, r8 stride, r9 stride3, r10 mult_end, r11 bias
    ldr     r12, [r4], #4
  .if !\dbl
    lsls    r12, r12, #1
    beq     .Lmzero\@
  .endif
.Lmback\@:
    cmp     r4, r10
    ldr     r10, [r5], #4
    rsb.w   r10, r10, #0
    stmia   sp, {r4, r5}
    lsl.w   r7, r7, r10
  .if \fold
    asr.w   r7, r7, #1
  .else
    lsr.w   r7, r7, #1
    ldr     r5, [sp, #A_ZP]
  .endif
    @ pixel 0 last: its store advances the output to the next channel
  .if \P > 3
    RQ      r3, \dbl, \corr, \fold
    strb    r4, [r6, r9]
  .endif
  .if \P > 2
    RQ      r2, \dbl, \corr, \fold
    strb    r4, [r6, r8, lsl #1]
  .endif
  .if \P > 1
    RQ      r1, \dbl, \corr, \fold
    strb    r4, [r6, r8]
  .endif
    RQ      r0, \dbl, \corr, \fold
    strb    r4, [r6], #1
    str     r6, [sp, #A_OUT]
    bne     .Lchan\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
  .if !\dbl
.Lmzero\@:
    movs    r0, #0
    .if \P > 1
    movs    r1, #0
    .endif
    .if \P > 2
    movs    r2, #0
    .endif
    .if \P > 3
    movs    r3, #0
    .endif
    b       .Lmback\@
  .endif
    .size \name, . - \name
.endm

.macro GEMM_ALL P
    GEMM tp_arm_dsp_gemm\P\()_000, \P, 0, 0, 0
    GEMM tp_arm_dsp_gemm\P\()_001, \P, 0, 0, 1
    GEMM tp_arm_dsp_gemm\P\()_010, \P, 0, 1, 0
    GEMM tp_arm_dsp_gemm\P\()_011, \P, 0, 1, 1
    GEMM tp_arm_dsp_gemm\P\()_100, \P, 1, 0, 0
    GEMM tp_arm_dsp_gemm\P\()_101, \P, 1, 0, 1
    GEMM tp_arm_dsp_gemm\P\()_110, \P, 1, 1, 0
    GEMM tp_arm_dsp_gemm\P\()_111, \P, 1, 1, 1
.endm

    GEMM_ALL 1
    GEMM_ALL 2
    GEMM_ALL 3
    GEMM_ALL 4

@ int16 weights (conv_layout.h): P = 4 and 1 (the block's last pixels one
@ at a time), 4 steps a pass.
.macro GEMM16_ALL P
    GEMM tp_arm_dsp_gemm16_\P\()_000, \P, 0, 0, 0, 1
    GEMM tp_arm_dsp_gemm16_\P\()_001, \P, 0, 0, 1, 1
    GEMM tp_arm_dsp_gemm16_\P\()_010, \P, 0, 1, 0, 1
    GEMM tp_arm_dsp_gemm16_\P\()_011, \P, 0, 1, 1, 1
    GEMM tp_arm_dsp_gemm16_\P\()_100, \P, 1, 0, 0, 1
    GEMM tp_arm_dsp_gemm16_\P\()_101, \P, 1, 0, 1, 1
    GEMM tp_arm_dsp_gemm16_\P\()_110, \P, 1, 1, 0, 1
    GEMM tp_arm_dsp_gemm16_\P\()_111, \P, 1, 1, 1, 1
.endm

    GEMM16_ALL 1
    GEMM16_ALL 4
