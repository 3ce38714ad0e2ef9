@ 3x3 depthwise convolution rows of one channel on Cortex-M4.
@
@ Input: a "planar" int16 window of the channel prepared by dwconv.cc:
@ rows RS bytes apart, element i of a row = (x + input offset) at the
@ window's column i, zeros where the layer pads. Weights come doubled as
@ halfword pairs per kernel row r: W01_r = (2w_r0, 2w_r1), W12_r = (2w_r1,
@ 2w_r2), so every accumulator holds 2 * acc (see gemm_m4.S: SMMLAR(acc2, m,
@ K) is then TFLite's SaturatingRoundingDoublingHighMul).
@
@ Two outputs per iteration. Stride 1, A = (x0,x1), B = (x2,x3):
@   out0 = A.W01 + x2*w2   (SMLAD, SMLABT)
@   out1 = x1*w0 + B.W12   (SMLATB, SMLAD)
@ Stride 2, A = (x0,x1), B = (x2,x3), C = (x4,x5):
@   out0 = A.W01 + x2*w2, out1 = B.W01 + x4*w2
@
@ void name(DwArgs* a); field order in dwconv.cc (struct DwArgs).

    .syntax unified
    .cpu cortex-m4
    .thumb

    @ DwArgs, copied to the stack frame
    .equ D_M, 0          @ multiplier
    .equ D_K, 4          @ rounding constant (+ zero point when folded)
    .equ D_E, 8          @ right shift
    .equ D_BIAS0, 12     @ 2 * bias
    .equ D_BIAS1, 16     @ 2 * bias (again, for LDRD)
    .equ D_ZP, 20        @ output zero point (not folded)
    .equ D_X, 24         @ planar row of the first output row
    .equ D_OUT, 28       @ first output
    .equ D_STEP, 32      @ bytes between outputs along a row
    .equ D_OUTROW, 36    @ bytes between output rows
    .equ D_PAIRS, 40     @ output pairs per row
    .equ D_ODD, 44       @ 1 if the row has one more output
    .equ D_ROWS, 48      @ output rows
    .equ D_W, 52         @ 6 weight words
    .equ D_XEND, 56      @ (kernel) end of the pair loop of the current row
    .equ FRAME, 64

@ Multiply-accumulate of one kernel row into r6 (out0) / r7 (out1).
@ \wa, \wb = W01, W12 of the row; \off = byte offset of the row.
.macro ROW_S1 off, wa, wb
    ldrd    r8, r9, [r10, #\off]
    smlad   r6, r8, \wa, r6
    smlabt  r6, r9, \wb, r6
    smlatb  r7, r8, \wa, r7
    smlad   r7, r9, \wb, r7
.endm

.macro ROW_S2 off, wa, wb
    ldrd    r8, r9, [r10, #\off]
    smlad   r6, r8, \wa, r6
    smlabt  r6, r9, \wb, r6
    smlad   r7, r9, \wa, r7
    ldr     r8, [r10, #(\off + 8)]
    smlabt  r7, r8, \wb, r7
.endm

@ Requantize r6 (and r7 when \two) and store at [r11] (and [r11, r12]).
.macro REQUANT two, corr, fold
    ldrd    r8, r9, [sp, #D_M]
  .if \corr
    add.w   lr, r9, r6, asr #31
    smmlar  r6, r6, r8, lr
    .if \two
    add.w   lr, r9, r7, asr #31
    smmlar  r7, r7, r8, lr
    .endif
    ldr     lr, [sp, #D_XEND]
  .else
    smmlar  r6, r6, r8, r9
    .if \two
    smmlar  r7, r7, r8, r9
    .endif
  .endif
    ldr     r8, [sp, #D_E]
    asr.w   r6, r6, r8
  .if \two
    asr.w   r7, r7, r8
  .endif
  .if !\fold
    ldr     r9, [sp, #D_ZP]
    add.w   r6, r6, r9
    .if \two
    add.w   r7, r7, r9
    .endif
  .endif
    ssat    r6, #8, r6
    strb    r6, [r11]
  .if \two
    ssat    r7, #8, r7
    strb    r7, [r11, r12]
  .endif
.endm

.macro PAIR S, RS
    ldrd    r6, r7, [sp, #D_BIAS0]
  .if \S == 1
    ROW_S1  0, r0, r1
    ROW_S1  \RS, r2, r3
    ROW_S1  (2 * \RS), r4, r5
  .else
    ROW_S2  0, r0, r1
    ROW_S2  \RS, r2, r3
    ROW_S2  (2 * \RS), r4, r5
  .endif
.endm

.macro DW name, S, RS, corr, fold
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
    ldmia   r0!, {r1-r7}
    stmia   r12!, {r1-r7}
    ldr     r0, [sp, #D_W]
    ldmia   r0, {r0-r5}
.Lrow\@:
    ldr     r10, [sp, #D_X]
    ldr     r11, [sp, #D_OUT]
    ldr     r12, [sp, #D_STEP]
    ldr     lr, [sp, #D_PAIRS]
    add     lr, r10, lr, lsl #(1 + \S)     @ x advances 2*S halfwords per pair
    str     lr, [sp, #D_XEND]
    cmp     r10, lr
    beq     .Lodd\@
.Lpair\@:
    PAIR    \S, \RS
    REQUANT 1, \corr, \fold
    add     r11, r11, r12, lsl #1
    add     r10, r10, #(4 * \S)
    cmp     r10, lr
    bne     .Lpair\@
.Lodd\@:
    ldr     r8, [sp, #D_ODD]
    cmp     r8, #0
    beq     .Lnext\@
    PAIR    \S, \RS
    REQUANT 0, \corr, \fold
.Lnext\@:
    ldr     r10, [sp, #D_X]
    add     r10, r10, #(\S * \RS)
    str     r10, [sp, #D_X]
    ldr     r11, [sp, #D_OUT]
    ldr     r12, [sp, #D_OUTROW]
    add     r11, r11, r12
    str     r11, [sp, #D_OUT]
    ldr     r8, [sp, #D_ROWS]
    subs    r8, r8, #1
    str     r8, [sp, #D_ROWS]
    bne     .Lrow\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro DW_RS S, RS
    DW tp_arm_dsp_dw3x3_s\S\()_r\RS\()_00, \S, \RS, 0, 0
    DW tp_arm_dsp_dw3x3_s\S\()_r\RS\()_01, \S, \RS, 0, 1
    DW tp_arm_dsp_dw3x3_s\S\()_r\RS\()_10, \S, \RS, 1, 0
    DW tp_arm_dsp_dw3x3_s\S\()_r\RS\()_11, \S, \RS, 1, 1
.endm

    DW_RS 1, 32
    DW_RS 1, 64
    DW_RS 1, 128
    DW_RS 2, 32
    DW_RS 2, 64
    DW_RS 2, 128

@ ---------------------------------------------------------------------------
@ void tp_arm_dsp_dw_expand(int16_t* dst, const int8_t* src, int32_t pairs,
@                           int32_t step, int32_t plane, uint32_t off2):
@ transpose 4 channels x 2 * pairs pixels (NHWC int8, pixels step bytes
@ apart, src unaligned) into 4 planar int16 rows (x + offset) plane bytes
@ apart: row q gets (x[2i][q], x[2i+1][q]) as word i.
    .section .text.tp_arm_dsp_dw_expand, "ax", %progbits
    .global tp_arm_dsp_dw_expand
    .type tp_arm_dsp_dw_expand, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_dw_expand:
    push    {r4-r11, lr}
    ldrd    r9, r10, [sp, #36]     @ r9 = plane, r10 = off2
    add     r11, r0, r9            @ plane 1
    add     r12, r11, r9           @ plane 2
    add     lr, r12, r9            @ plane 3
1:  ldr     r4, [r1]
    ldr     r5, [r1, r3]
    add     r1, r1, r3, lsl #1
    sxtab16 r6, r10, r4
    sxtab16 r4, r10, r4, ror #8
    sxtab16 r7, r10, r5
    sxtab16 r5, r10, r5, ror #8
    pkhbt   r8, r6, r7, lsl #16
    pkhtb   r7, r7, r6, asr #16
    pkhbt   r6, r4, r5, lsl #16
    pkhtb   r5, r5, r4, asr #16
    str     r8, [r0], #4
    str     r6, [r11], #4
    str     r7, [r12], #4
    str     r5, [lr], #4
    subs    r2, r2, #1
    bne     1b
    pop     {r4-r11, pc}
    .size tp_arm_dsp_dw_expand, . - tp_arm_dsp_dw_expand
