@ 3x3 depthwise convolution rows of one channel on Cortex-M4.
@
@ Input: a "planar" int16 window of the channel prepared by depthwise.cc:
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
@ void name(DwArgs* a); field order in depthwise.cc (struct DwArgs).

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

@ ---------------------------------------------------------------------------
@ Direct 3x3 depthwise for 4 channels at a time (small maps, stride 2):
@ the input is a padded buffer of the band's pixels: expanded for stride 1
@ (8 bytes per pixel: (x0,x2),(x1,x3) + input offset as halfwords, zeros
@ where the layer pads; each tap one LDRD), raw for stride 2 (one word per
@ pixel, padding bytes = -input offset; LDR + 2 SXTAB16); one LDRD of the
@ doubled weights (w0,w2),(w1,w3) per tap, and
@ SMLABB / SMLATT accumulate the four channels separately; requantization
@ as in dw3x3 (doubled accumulators). One output pixel (4 channels, one
@ word store) per iteration.
@ void name(DwdArgs* a); field order in depthwise.cc (struct DwdArgs).

    .equ Q_IN, 0         @ window origin of output (row 0, col 0) in the buffer
    .equ Q_RSB, 4        @ buffer row stride (bytes)
    .equ Q_OUT, 8        @ output pixel (row 0, col 0), channel 0 of the group
    .equ Q_STEP, 12      @ bytes between output pixels of a row
    .equ Q_OUTROW, 16    @ bytes between output rows
    .equ Q_COLS, 20      @ output pixels per row
    .equ Q_ROWS, 24      @ output rows
    .equ Q_WT, 28        @ 9 x 2 weight words
    .equ Q_RQ, 32        @ 4 x {m, K, e}
    .equ Q_BIAS, 36      @ 4 doubled biases
    .equ Q_OFF2, 40      @ input offset in both halfwords
    .equ Q_ZP, 44        @ output zero point (not folded)
    .equ Q_END, 48       @ (kernel) end of the current row's first-row pointer
    .equ QFRAME, 56

@ One tap. XP = 1: expanded buffer (8 bytes per pixel, LDRD); XP = 0: raw
@ int8 buffer (4 bytes per pixel: LDR + 2 SXTAB16 with the offset in r8).
.macro DTAP p, off, xp
  .if \xp
    ldrd    r4, r5, [\p, #(2 * \off)]
  .else
    ldr     r4, [\p, #\off]
    sxtab16 r5, r8, r4, ror #8
    sxtab16 r4, r8, r4
  .endif
    ldrd    r6, r7, [r12], #8
    smlabb  r0, r4, r6, r0
    smlatt  r2, r4, r6, r2
    smlabb  r1, r5, r7, r1
    smlatt  r3, r5, r7, r3
.endm

@ requantize \acc: r4 = {m, K, e} table (advanced), r12 = zp (not folded)
.macro DRQ acc, corr, fold
    ldmia   r4!, {r5, r6, r7}
  .if \corr
    add.w   r6, r6, \acc, asr #31
  .endif
    smmlar  \acc, \acc, r5, r6
    asr.w   \acc, \acc, r7
  .if !\fold
    add.w   \acc, \acc, r12
  .endif
    ssat    \acc, #8, \acc
.endm

@ Registers: acc r0-r3 (channels 0..3), x r4-r5, w r6-r7, off2 r8, window
@ rows r9-r11, weight table r12, output lr.
.macro DWD name, S, xp, corr, fold
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #QFRAME
    mov     r12, sp
    ldmia   r0!, {r1-r6}
    stmia   r12!, {r1-r6}
    ldmia   r0!, {r1-r6}
    stmia   r12!, {r1-r6}
  .if !\xp
    ldr     r8, [sp, #Q_OFF2]
  .endif
.Lrow\@:
    ldrd    r9, r10, [sp, #Q_IN]     @ r9 = row 0, r10 = row stride
    ldr     r4, [sp, #Q_COLS]
    add     r4, r9, r4, lsl #(1 + \xp + \S)
    str     r4, [sp, #Q_END]
    add     r11, r9, r10, lsl #1     @ row 2
    add     r10, r9, r10             @ row 1
    ldr     lr, [sp, #Q_OUT]
    ldr     r12, [sp, #Q_WT]
.Lpix\@:
    ldr     r4, [sp, #Q_BIAS]
    ldmia   r4, {r0-r3}
    DTAP    r9, 0, \xp
    DTAP    r9, 4, \xp
    DTAP    r9, 8, \xp
    DTAP    r10, 0, \xp
    DTAP    r10, 4, \xp
    DTAP    r10, 8, \xp
    DTAP    r11, 0, \xp
    DTAP    r11, 4, \xp
    DTAP    r11, 8, \xp
    ldr     r4, [sp, #Q_RQ]
  .if !\fold
    ldr     r12, [sp, #Q_ZP]
  .endif
    DRQ     r0, \corr, \fold
    DRQ     r1, \corr, \fold
    DRQ     r2, \corr, \fold
    DRQ     r3, \corr, \fold
    bfi     r0, r1, #8, #8
    bfi     r0, r2, #16, #8
    bfi     r0, r3, #24, #8
    str     r0, [lr]
    ldr     r4, [sp, #Q_STEP]
    add     lr, lr, r4
    ldr     r12, [sp, #Q_WT]
    add     r9, r9, #((4 + 4 * \xp) * \S)
    add     r10, r10, #((4 + 4 * \xp) * \S)
    add     r11, r11, #((4 + 4 * \xp) * \S)
    ldr     r4, [sp, #Q_END]
    cmp     r9, r4
    bne     .Lpix\@
    @ next output row: window rows S lower, output one row on
    ldrd    r9, r10, [sp, #Q_IN]
  .if \S == 1
    add     r9, r9, r10
  .else
    add     r9, r9, r10, lsl #1
  .endif
    str     r9, [sp, #Q_IN]
    ldr     r9, [sp, #Q_OUT]
    ldr     r10, [sp, #Q_OUTROW]
    add     r9, r9, r10
    str     r9, [sp, #Q_OUT]
    ldr     r4, [sp, #Q_ROWS]
    subs    r4, r4, #1
    str     r4, [sp, #Q_ROWS]
    bne     .Lrow\@
    add     sp, sp, #QFRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro DWD_S S, xp
    DWD tp_arm_dsp_dwd_s\S\()_00, \S, \xp, 0, 0
    DWD tp_arm_dsp_dwd_s\S\()_01, \S, \xp, 0, 1
    DWD tp_arm_dsp_dwd_s\S\()_10, \S, \xp, 1, 0
    DWD tp_arm_dsp_dwd_s\S\()_11, \S, \xp, 1, 1
.endm

    @ stride 1: expanded buffer (each pixel is read by up to 9 windows);
    @ stride 2: raw int8 buffer (cheaper to build, pixels read ~2.25 times)
    DWD_S 1, 1
    DWD_S 2, 0

@ ---------------------------------------------------------------------------
@ 3x3 depthwise, stride 1, one channel, a strip of 4 output rows (issue 17):
@ vertical pairs. The buffer (depthwise.cc) holds, per input column, the
@ channel's 6 rows of the strip as 3 words (x0,x1), (x2,x3), (x4,x5)
@ (x + input offset, halfwords, zeros where the layer pads), columns 12
@ bytes apart, so one LDM brings a whole column and the window slides by
@ one column per output. Weights per kernel column kx, doubled:
@ W01 = (2w0, 2w1), W12 = (2w1, 2w2) of the taps down that column. Per
@ kernel column 8 MACs instructions for 12 MACs (SMLAD, SMLABT, SMLATB):
@   row0 += (x0,x1).W01 + x2 * w2    row1 += x1 * w0 + (x2,x3).W12
@   row2 += (x2,x3).W01 + x4 * w2    row3 += x3 * w0 + (x4,x5).W12
@ Stride 2 (tp_arm_dsp_dwvs2_*): a strip of 4 output rows from 10 input
@ rows as 5 words a column (two LDMs), 8 MAC instructions per column, the
@ window 2 columns on per output:
@   row r += (x2r,x2r+1).W01 + x2r+2 * w2    (r = 0..3)
@ Requantization as dw3x3 (doubled accumulators); rows are stored 3 to 0
@ at out + rowoff[r] (rowoff[0] = 0), so a partial strip points its
@ missing rows at a valid row stored after them.
@ void name(const DwvArgs* a); field order in depthwise.cc (struct DwvArgs).

    .equ V_W, 0          @ W01_0, W12_0, W01_1, W12_1, W01_2, W12_2
    .equ V_M, 24
    .equ V_K, 28
    .equ V_E, 32
    .equ V_ZP, 36
    .equ V_BIAS, 40      @ 2 * bias
    .equ V_X, 44         @ column 0 of the window
    .equ V_OUT, 48       @ output row 0, column 0 (advanced)
    .equ V_STEP, 52      @ bytes between output columns
    .equ V_ROW1, 56      @ rowoff[1..3]
    .equ V_COLS, 68      @ output columns (>= 1)
    .equ V_XEND, 72      @ (kernel) end of the column walk
    .equ VFRAME, 80

.macro VCOL wa, wb, rows
    ldmia   lr!, {r10, r11, r12}
    smlad   r0, r10, \wa, r0
    smlabt  r0, r11, \wb, r0
    smlatb  r1, r10, \wa, r1
    smlad   r1, r11, \wb, r1
  .if \rows > 2
    smlad   r2, r11, \wa, r2
    smlabt  r2, r12, \wb, r2
    smlatb  r3, r11, \wa, r3
    smlad   r3, r12, \wb, r3
  .endif
.endm

@ stride 2: output rows 0..3 (input rows 2r..2r+2) of one kernel column
.macro VCOL_S2 wa, wb
    ldmia   lr!, {r10, r11, r12}
    smlad   r0, r10, \wa, r0
    smlabt  r0, r11, \wb, r0
    smlad   r1, r11, \wa, r1
    smlabt  r1, r12, \wb, r1
    smlad   r2, r12, \wa, r2
    ldmia   lr!, {r10, r11}
    smlabt  r2, r10, \wb, r2
    smlad   r3, r10, \wa, r3
    smlabt  r3, r11, \wb, r3
.endm

@ requantize \acc with r4 = m, r5 = K, r6 = e, r7 = zp (!fold); r12 temp
.macro VRQ acc, corr, fold
  .if \corr
    add.w   r12, r5, \acc, asr #31
    smmlar  \acc, \acc, r4, r12
  .else
    smmlar  \acc, \acc, r4, r5
  .endif
    asr.w   \acc, \acc, r6
  .if !\fold
    add.w   \acc, \acc, r7
  .endif
    ssat    \acc, #8, \acc
.endm

.macro DWV name, corr, fold, rows, S=1
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #VFRAME
    mov     r12, sp
    ldmia   r0!, {r1-r9}
    stmia   r12!, {r1-r9}
    ldmia   r0!, {r1-r9}
    stmia   r12!, {r1-r9}
    ldr     lr, [sp, #V_X]
    ldr     r1, [sp, #V_COLS]
  .if \S == 2
    add     r1, r1, r1, lsl #2
    add     r1, lr, r1, lsl #3      @ x + 40 * cols
  .else
    add     r1, r1, r1, lsl #1
    add     r1, lr, r1, lsl #2      @ x + 12 * cols
  .endif
    str     r1, [sp, #V_XEND]
    ldmia   sp, {r4-r9}
.Lcol\@:
    ldr     r0, [sp, #V_BIAS]
    mov     r1, r0
  .if \rows > 2
    mov     r2, r0
    mov     r3, r0
  .endif
  .if \S == 2
    VCOL_S2 r4, r5
    VCOL_S2 r6, r7
    VCOL_S2 r8, r9
    sub     lr, lr, #20             @ next window: two columns on
  .else
    VCOL    r4, r5, \rows
    VCOL    r6, r7, \rows
    VCOL    r8, r9, \rows
    sub     lr, lr, #24             @ next window: one column on
  .endif
    add     r4, sp, #V_M
  .if \fold
    ldmia   r4, {r4, r5, r6}
  .else
    ldmia   r4, {r4, r5, r6, r7}
  .endif
    add     r8, sp, #V_OUT
    ldmia   r8, {r8, r9}            @ out, step
    add     r10, sp, #V_ROW1
    ldmia   r10, {r10, r11}         @ rowoff 1, 2
  .if \rows > 2
    VRQ     r3, \corr, \fold
    ldr     r12, [sp, #(V_ROW1 + 8)]
    strb    r3, [r8, r12]
    VRQ     r2, \corr, \fold
    strb    r2, [r8, r11]
  .endif
    VRQ     r1, \corr, \fold
    strb    r1, [r8, r10]
    VRQ     r0, \corr, \fold
    strb    r0, [r8]
    add     r8, r8, r9
    str     r8, [sp, #V_OUT]
    ldmia   sp, {r4-r9}
    ldr     r10, [sp, #V_XEND]
    cmp     lr, r10
    bne     .Lcol\@
    add     sp, sp, #VFRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    DWV tp_arm_dsp_dwv_00, 0, 0, 4
    DWV tp_arm_dsp_dwv_01, 0, 1, 4
    DWV tp_arm_dsp_dwv_10, 1, 0, 4
    DWV tp_arm_dsp_dwv_11, 1, 1, 4
    DWV tp_arm_dsp_dwv2_00, 0, 0, 2
    DWV tp_arm_dsp_dwv2_01, 0, 1, 2
    DWV tp_arm_dsp_dwv2_10, 1, 0, 2
    DWV tp_arm_dsp_dwv2_11, 1, 1, 2
    DWV tp_arm_dsp_dwvs2_00, 0, 0, 4, 2
    DWV tp_arm_dsp_dwvs2_01, 0, 1, 4, 2
    DWV tp_arm_dsp_dwvs2_10, 1, 0, 4, 2
    DWV tp_arm_dsp_dwvs2_11, 1, 1, 4, 2

@ ---------------------------------------------------------------------------
@ 3x3 depthwise, stride 1, padding 1 on both sides, maps of width W <= 6
@ (vww01's 6x6 and 3x3 layers): one channel, every output row of the map in
@ one call, a whole output row in registers. The plane (depthwise.cc) holds
@ the channel's input rows as int16 (x + input offset), the W pixels of a
@ row as ceil(W / 2) words (x0,x1), (x2,x3), ... (a zero high half when W
@ is odd), with one zero row above and one below: the left and right
@ padding columns are not stored, the taps that would read them are left
@ out. Per kernel row one LDM of the row's words and one LDM of its two
@ doubled weight words W01 = (2w0, 2w1), W12 = (2w1, 2w2), then for output
@ j (words k):
@   j even: (x[j],x[j+1]).W12 (SMLAD) + x[j-1] * w0 (SMLATB, j > 0)
@   j odd:  (x[j-1],x[j]).W01 (SMLAD) + x[j+1] * w2 (SMLABT, j + 1 < W)
@ 2W - 2 MAC instructions per row of W outputs and kernel row (W even).
@ Requantization as dw3x3 (doubled accumulators).
@ void name(const DwsArgs* a); field order in depthwise.cc (struct DwsArgs).

    .equ S_BIAS, 0       @ 6 x 2 * bias (the kernel loads the last W)
    .equ S_W, 24         @ W01_0, W12_0, W01_1, W12_1, W01_2, W12_2
    .equ S_M, 48         @ m, K, e, zp, step (one LDM)
    .equ S_X, 68         @ plane row 0 (the zero row above the map)
    .equ S_OUT, 72       @ output row 0, column 0
    .equ S_ROWS, 76      @ output rows (>= 1)

@ One kernel row: weights r9 (W01), r10 (W12), words r6-r8, acc r0-r5.
.macro SROW W
    ldmia   r12!, {r9, r10}
  .if \W <= 2
    ldr     r6, [r11], #4
  .elseif \W <= 4
    ldmia   r11!, {r6, r7}
  .else
    ldmia   r11!, {r6, r7, r8}
  .endif
    smlad   r0, r6, r10, r0
  .if \W >= 2
    smlad   r1, r6, r9, r1
  .endif
  .if \W >= 3
    smlabt  r1, r7, r10, r1
    smlatb  r2, r6, r9, r2
    smlad   r2, r7, r10, r2
  .endif
  .if \W >= 4
    smlad   r3, r7, r9, r3
  .endif
  .if \W >= 5
    smlabt  r3, r8, r10, r3
    smlatb  r4, r7, r9, r4
    smlad   r4, r8, r10, r4
  .endif
  .if \W >= 6
    smlad   r5, r8, r9, r5
  .endif
.endm

@ requantize \acc: r6 = m, r7 = K, r8 = e, r9 = zp (!fold); r12 temp
.macro SRQ acc, corr, fold
  .if \corr
    add.w   r12, r7, \acc, asr #31
    smmlar  \acc, \acc, r6, r12
  .else
    smmlar  \acc, \acc, r6, r7
  .endif
    asr.w   \acc, \acc, r8
  .if !\fold
    add.w   \acc, \acc, r9
  .endif
    ssat    \acc, #8, \acc
.endm

.macro DWS name, W, corr, fold
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    sub     sp, sp, #8
    add     r1, r0, #(4 * (6 - \W))
    str     r1, [sp]                @ [sp]: the W biases, then weights, m...
    ldr     r11, [r0, #S_X]
    ldr     lr, [r0, #S_OUT]
    ldr     r2, [r0, #S_ROWS]
    ldr     r3, [r0, #(S_M + 16)]   @ step
    mul     r2, r2, r3
    movs    r3, #\W
    mul     r2, r2, r3
    add     r2, lr, r2
    str     r2, [sp, #4]            @ end of the output
.Lsrow\@:
    ldr     r12, [sp]
  .if \W == 2
    ldmia   r12!, {r0, r1}
  .elseif \W == 3
    ldmia   r12!, {r0-r2}
  .elseif \W == 4
    ldmia   r12!, {r0-r3}
  .elseif \W == 5
    ldmia   r12!, {r0-r4}
  .else
    ldmia   r12!, {r0-r5}
  .endif
    SROW    \W
    SROW    \W
    SROW    \W
    sub     r11, r11, #(8 * ((\W + 1) / 2))  @ next window: one row on
    ldmia   r12, {r6-r10}           @ m, K, e, zp, step
    SRQ     r0, \corr, \fold
    strb    r0, [lr]
  .if \W >= 2
    SRQ     r1, \corr, \fold
    strb    r1, [lr, r10]
    add     lr, lr, r10, lsl #1
  .else
    add     lr, lr, r10
  .endif
  .if \W >= 3
    SRQ     r2, \corr, \fold
    strb    r2, [lr]
    .if \W >= 4
    SRQ     r3, \corr, \fold
    strb    r3, [lr, r10]
    add     lr, lr, r10, lsl #1
    .else
    add     lr, lr, r10
    .endif
  .endif
  .if \W >= 5
    SRQ     r4, \corr, \fold
    strb    r4, [lr]
    .if \W >= 6
    SRQ     r5, \corr, \fold
    strb    r5, [lr, r10]
    add     lr, lr, r10, lsl #1
    .else
    add     lr, lr, r10
    .endif
  .endif
    ldr     r12, [sp, #4]
    cmp     lr, r12
    bne     .Lsrow\@
    add     sp, sp, #8
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro DWS_W W
    DWS tp_arm_dsp_dws\W\()_00, \W, 0, 0
    DWS tp_arm_dsp_dws\W\()_01, \W, 0, 1
    DWS tp_arm_dsp_dws\W\()_10, \W, 1, 0
    DWS tp_arm_dsp_dws\W\()_11, \W, 1, 1
.endm

    DWS_W 2
    DWS_W 3
    DWS_W 4
    DWS_W 5
    DWS_W 6
