@ CONV_2D with a short window (conv_smallk_layout.h: few input channels,
@ at most 12 groups of 4 window values) for Cortex-M4: 2 output pixels x
@ 2 output channels a block, the whole window in one unrolled pass.
@
@ x: the two pixels' windows as halfword pairs (input offset added), per
@    group g the words (p0 w0, p0 w1, p1 w0, p1 w1): one LDM of 4.
@ w: the blob of conv_smallk_layout.h, walked by one pointer: per channel
@    pair 4 doubled biases (c0, c1, c0, c1), per group (c0 w0, c0 w1, c1 w0, c1 w1) (one LDM
@    of 4), then m, K, e of both channels (one LDM of 6).
@ Per group: 2 LDM + 8 SMLAD for 16 MACs (2 pixels x 2 channels x 4 values).
@ Requantization (gemm_m4.S, DBL = 1, FOLD = 1): SMMLAR(acc2, m, K), the
@ rounding correction when CORR (output zero point above -128), ASR e, SSAT.
@
@ Only the row kernel below is here, without the rounding correction (the
@ first layers' output zero point is -128), for flash (sparkfun_edge): the
@ other shapes and zero points run the same blocks in C++ (conv_smallk.cc).

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

@ ---------------------------------------------------------------------------
@ One output row of a 3x3 filter over 3 input channels (window rows of
@ 8 + 1 bytes, S = 7) and an even channel count: per pair of pixels their
@ windows built here (per row 2 LDR, 4 SXTAB16 with the input offset, 2
@ STRD; the three 9th bytes as one group), then every channel pair as above.
@
@ void name(SmallKRowArgs* a): a = {w, out, xbuf, cout, npx, src, rb, step,
@ off2}: npx >= 1 pixel pairs, pixel 0's window at src (rows rb bytes
@ apart), each next pixel step bytes on; outputs at out, cout bytes a pixel.

    .equ R_OUT0, 0
    .equ R_OUT1, 4
    .equ R_XBUF, 8
    .equ R_END, 12
    .equ R_W, 16
    .equ R_OUT, 20
    .equ R_COUT, 24
    .equ R_NPX, 28
    .equ R_SRC, 32
    .equ R_RB, 36
    .equ R_STEP, 40
    .equ R_OFF2, 44
    .equ RFRAME, 48

@ The window at r0 (rows r1 bytes apart, offset pair r2) into the block at
@ r12, pixel slot byte offset \so. Uses r4-r11.
.macro WIN331 so
    ldr     r4, [r0]
    ldr     r5, [r0, #4]
    sxtab16 r6, r2, r4
    sxtab16 r7, r2, r4, ror #8
    sxtab16 r8, r2, r5
    sxtab16 r9, r2, r5, ror #8
    strd    r6, r7, [r12, #(\so)]
    strd    r8, r9, [r12, #(16 + \so)]
    add     r11, r0, r1
    ldr     r4, [r11]
    ldr     r5, [r11, #4]
    sxtab16 r6, r2, r4
    sxtab16 r7, r2, r4, ror #8
    sxtab16 r8, r2, r5
    sxtab16 r9, r2, r5, ror #8
    strd    r6, r7, [r12, #(32 + \so)]
    strd    r8, r9, [r12, #(48 + \so)]
    add     r10, r11, r1
    ldr     r4, [r10]
    ldr     r5, [r10, #4]
    sxtab16 r6, r2, r4
    sxtab16 r7, r2, r4, ror #8
    sxtab16 r8, r2, r5
    sxtab16 r9, r2, r5, ror #8
    strd    r6, r7, [r12, #(64 + \so)]
    strd    r8, r9, [r12, #(80 + \so)]
    @ group 6: (row 0 byte 8, row 2 byte 8), (row 1 byte 8, -)
    ldrsb.w r4, [r0, #8]
    ldrsb.w r5, [r11, #8]
    ldrsb.w r6, [r10, #8]
    pkhbt   r4, r4, r6, lsl #16
    sadd16  r4, r4, r2
    sadd16  r5, r5, r2
    strd    r4, r5, [r12, #(96 + \so)]
.endm

.macro SMALLK331 name, corr
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #RFRAME
    ldmia   r0, {r1-r9}            @ w, out, xbuf, cout, npx, src, rb, step, off2
    str     r3, [sp, #R_XBUF]
    add     r10, sp, #R_W
    stmia   r10, {r1, r2, r4-r9}
.Lpix\@:
    ldr     r0, [sp, #R_SRC]
    ldr     r1, [sp, #R_RB]
    ldr     r2, [sp, #R_OFF2]
    ldr     r12, [sp, #R_XBUF]
    ldr     r3, [sp, #R_STEP]
    WIN331  0
    add     r0, r0, r3
    WIN331  8
    add     r0, r0, r3
    str     r0, [sp, #R_SRC]
    ldrd    r4, r5, [sp, #R_OUT]   @ out (pixel 0), cout
    add     r6, r4, r5             @ pixel 1, and the end of pixel 0's channels
    strd    r4, r6, [sp, #R_OUT0]
    str     r6, [sp, #R_END]
    add     r6, r6, r5
    str     r6, [sp, #R_OUT]
    ldr     lr, [sp, #R_W]
.Lpair\@:
    ldmia   lr!, {r0-r3}           @ doubled biases of c0, c1, c0, c1
    ldr     r12, [sp, #R_XBUF]
    .rept 7
    ldmia.w r12!, {r4-r7}
    ldmia.w lr!, {r8-r11}
    smlad   r0, r4, r8, r0
    smlad   r0, r5, r9, r0
    smlad   r1, r4, r10, r1
    smlad   r1, r5, r11, r1
    smlad   r2, r6, r8, r2
    smlad   r2, r7, r9, r2
    smlad   r3, r6, r10, r3
    smlad   r3, r7, r11, r3
    .endr
    ldmia   lr!, {r4-r9}           @ m0 K0 e0 m1 K1 e1
    ldrd    r10, r11, [sp, #R_OUT0]
    RQ2     r0, r4, r5, r6, r10, \corr
    RQ2     r1, r7, r8, r9, r10, \corr
    RQ2     r2, r4, r5, r6, r11, \corr
    RQ2     r3, r7, r8, r9, r11, \corr
    strd    r10, r11, [sp, #R_OUT0]
    ldr     r4, [sp, #R_END]
    cmp     r10, r4
    bne     .Lpair\@
    ldr     r0, [sp, #R_NPX]
    subs    r0, r0, #1
    str     r0, [sp, #R_NPX]
    bne     .Lpix\@
    add     sp, sp, #RFRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    SMALLK331 tp_arm_dsp_smallk331_0, 0
