@ CONV_2D with a short window (conv_smallk_layout.h: few input channels,
@ at most 12 groups of 4 window values) for Cortex-M4: 2 output pixels x
@ 2 output channels a block, the whole window in one unrolled pass.
@
@ x: the two pixels' windows as halfword pairs (input offset added), per
@    group g the words (p0 w0, p0 w1, p1 w0, p1 w1): one LDM of 4.
@ w: the blob of conv_smallk_layout.h, walked by one pointer: per channel
@    pair 2 doubled biases, per group (c0 w0, c0 w1, c1 w0, c1 w1) (one LDM
@    of 4), then m, K, e of both channels (one LDM of 6).
@ Per group: 2 LDM + 8 SMLAD for 16 MACs (2 pixels x 2 channels x 4 values).
@ Requantization (gemm_m4.S, DBL = 1, FOLD = 1): SMMLAR(acc2, m, K), the
@ rounding correction when CORR (output zero point above -128), ASR e, SSAT.
@
@ void name(SmallKArgs* a): a = {w, out0, out1, xbuf, pairs, S}; writes
@ out0[0 .. 2 pairs) and out1[0 .. 2 pairs).

    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ F_OUT0, 0
    .equ F_OUT1, 4
    .equ F_XBUF, 8
    .equ F_ENTRY, 12
    .equ F_END, 16
    .equ FRAME, 24
    .equ MAXG, 12
    .equ GBYTES, 40

.macro RQ2 acc, m, k, e, out, corr
    smmlar  r12, \acc, \m, \k
  .if \corr
    add.w   r12, r12, \acc, asr #31
  .endif
    asr.w   r12, r12, \e
    ssat    r12, #8, r12
    strb    r12, [\out], #1
.endm

.macro SMALLK name, corr
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #FRAME
    ldmia   r0, {r1-r4, r6, r7}    @ r1 w, r2 out0, r3 out1, r4 xbuf, r6 pairs, r7 S
    adr.w   r5, .Lbody_end\@
    movs    r8, #GBYTES
    mls     r5, r7, r8, r5         @ entry: S groups before the end of the body
    orr     r5, r5, #1
    add     r6, r2, r6, lsl #1     @ end of out0
    stmia   sp, {r2-r6}            @ out0, out1, xbuf, entry, end
    mov     lr, r1
.Lpair\@:
    ldmia   lr!, {r0, r1}          @ doubled biases of c0, c1
    mov     r2, r0
    mov     r3, r1
    ldrd    r12, r4, [sp, #F_XBUF] @ r12 = xbuf, r4 = entry
    bx      r4
.Lbody\@:
    .rept MAXG
    ldmia   r12!, {r4-r7}          @ p0 w0, p0 w1, p1 w0, p1 w1
    ldmia.w lr!, {r8-r11}          @ c0 w0, c0 w1, c1 w0, c1 w1
    smlad   r0, r4, r8, r0         @ p0 c0
    smlad   r0, r5, r9, r0
    smlad   r1, r4, r10, r1        @ p0 c1
    smlad   r1, r5, r11, r1
    smlad   r2, r6, r8, r2         @ p1 c0
    smlad   r2, r7, r9, r2
    smlad   r3, r6, r10, r3        @ p1 c1
    smlad   r3, r7, r11, r3
    .endr
.Lbody_end\@:
    .if (.Lbody_end\@ - .Lbody\@) != MAXG * GBYTES
    .error "unexpected instruction sizes in the smallk body"
    .endif
    ldmia   lr!, {r4-r9}           @ m0 K0 e0 m1 K1 e1
    ldrd    r10, r11, [sp, #F_OUT0]
    RQ2     r0, r4, r5, r6, r10, \corr
    RQ2     r1, r7, r8, r9, r10, \corr
    RQ2     r2, r4, r5, r6, r11, \corr
    RQ2     r3, r7, r8, r9, r11, \corr
    strd    r10, r11, [sp, #F_OUT0]
    ldr     r4, [sp, #F_END]
    cmp     r10, r4
    bne     .Lpair\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    SMALLK tp_arm_dsp_smallk_0, 0
    SMALLK tp_arm_dsp_smallk_1, 1
