@ Kx1 column depthwise (sww01's layers) on Cortex-M4: one channel at a
@ time, 6 output rows a block, 2 MACs per SMLAD.
@
@ Input: per channel a "plane" prepared by dw_column.cc (depthwise_column):
@ word u = (x[2u], x[2u+1]), the channel's raw int8 inputs of rows 2u and
@ 2u+1 of the chunk as halfwords (the input offset is in the folded bias).
@ Weights, J3 steps of 4 channels x two words (channel q's pair of step j
@ at word 8 j + 2 q), doubled taps (w[k] = 0 outside 0..K-1):
@   We[j] = (2w[2j], 2w[2j+1])    for the even outputs
@   Wo[j] = (2w[2j-1], 2w[2j])    for the odd outputs
@ so that, with o = 2v + i,
@   out[2v]   = sum_j P[v + j] . We[j]
@   out[2v+1] = sum_j P[v + j] . Wo[j]
@ (J3 = a multiple of 3 >= K / 2 + 1; the extra steps have zero weights).
@ A block is 3 output pairs (v, v+1, v+2): per step one LDRD of We/Wo,
@ one LDR of the next plane word (a window of 3 words rotating through
@ r6-r8, hence the loop unrolled 3 times) and 6 SMLAD: 8 instructions for
@ 12 MACs. The accumulators start at 2 * folded bias (one LDM of the
@ channel record's 6 copies); the requantization is gemm_m4.S's with
@ DBL, CORR and FOLD (the caller checks gemm_mode_for, and every shift
@ >= 1 when CORR is not needed there):
@   t = SSAT8(SMMLAR(acc2, m, k + (acc2 >> 31)) >> e),
@   k = ((2 zp + 1) << e) >> 1
@ then one byte store per output (output rows C bytes apart).
@ A block reads plane words up to 3 b + J3 + 2 (b = its index): the caller
@ sizes the planes for that; words past the chunk's inputs meet zero
@ weights or outputs that are not stored.
@
@ void tp_arm_dsp_dwcol(DwcArgs* a); field order in dw_column.cc (struct
@ DwcArgs). Every output of the channels is written after all of the
@ chunk's inputs were transposed into the planes (the caller's order).

    .syntax unified
    .cpu cortex-m4
    .thumb

    @ DwcArgs, copied to the stack frame (advanced per channel)
    .equ A_X, 0          @ plane of the current channel
    .equ A_PLANE, 4      @ bytes between planes
    .equ A_W, 8          @ weights of the current channel, step 0
    .equ A_WBYTES, 12    @ bytes of the weight table (32 * J3)
    .equ A_REC, 16       @ record of the current channel: 6 x 2 * bias, m, k, e
    .equ A_OUT, 20       @ output of the current channel, first row
    .equ A_C, 24         @ bytes between output rows
    .equ A_BLOCKS, 28    @ full blocks of 6 outputs
    .equ A_LAST, 32      @ outputs of a last, partial block (0..5)
    .equ A_NCH, 36       @ channels left
    @ kernel state
    .equ F_BX, 40        @ plane word of the current block
    .equ F_BO, 44        @ output of the current block
    .equ F_C, 48         @ = A_C (beside F_BO for LDRD)
    .equ F_BOEND, 52     @ output of the block after the last full one
    .equ F_WCUR, 56      @ the channel's weights, step 0
    .equ F_WEND, 60      @ the end of its steps (beside F_WCUR for LDRD)
    .equ F_RQ, 64        @ the channel's m, k, e
    .equ FRAME, 72

@ One step: plane words \a, \b, \c (pairs v+j, v+1+j, v+2+j), then the
@ next word into \a.
.macro STEP a, b, c
    ldrd    r9, r10, [r11], #32
    smlad   r0, \a, r9, r0
    smlad   r1, \a, r10, r1
    smlad   r2, \b, r9, r2
    smlad   r3, \b, r10, r3
    smlad   r4, \c, r9, r4
    smlad   r5, \c, r10, r5
    ldr     \a, [r12], #4
.endm

@ r = SSAT8(SMMLAR(r, m, k + (r >> 31)) >> e); m, k, e in r6, r7, r8.
.macro RQ r
    add     r9, r7, \r, asr #31
    smmlar  \r, \r, r6, r9
    asr     \r, \r, r8
    ssat    \r, #8, \r
.endm

    .section .text.tp_arm_dsp_dwcol, "ax", %progbits
    .global tp_arm_dsp_dwcol
    .type tp_arm_dsp_dwcol, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_dwcol:
    push    {r4-r11, lr}
    sub     sp, sp, #FRAME
    ldmia   r0, {r1-r10}
    stmia   sp, {r1-r10}
    str     r7, [sp, #F_C]
.Lch:
    ldr     r0, [sp, #A_X]
    ldrd    r1, r10, [sp, #A_OUT]  @ out, C
    ldr     r2, [sp, #A_BLOCKS]
    str     r0, [sp, #F_BX]
    str     r1, [sp, #F_BO]
    add     r2, r2, r2, lsl #1     @ 3 * blocks
    mul     r2, r2, r10
    add     r2, r1, r2, lsl #1     @ out + 6 * blocks * C
    str     r2, [sp, #F_BOEND]
    ldrd    r0, r1, [sp, #A_W]
    add     r1, r0, r1
    strd    r0, r1, [sp, #F_WCUR]
    ldr     r2, [sp, #A_REC]
    add     r2, r2, #24
    str     r2, [sp, #F_RQ]
.Lblk:
    ldr     r12, [sp, #F_BX]
    ldrd    r11, lr, [sp, #F_WCUR]
    ldr     r0, [sp, #A_REC]
    ldmia   r0, {r0-r5}
    ldmia   r12!, {r6-r8}
    str     r12, [sp, #F_BX]       @ the next block's first word
.Lstep:
    STEP    r6, r7, r8
    STEP    r7, r8, r6
    STEP    r8, r6, r7
    cmp     r11, lr
    bne     .Lstep
    ldr     r9, [sp, #F_RQ]
    ldmia   r9, {r6-r8}
    RQ      r0
    RQ      r1
    RQ      r2
    RQ      r3
    RQ      r4
    RQ      r5
    ldrd    r9, r10, [sp, #F_BO]
    ldr     lr, [sp, #F_BOEND]
    cmp     r9, lr
    beq     .Lpart
    strb    r0, [r9]
    strb    r1, [r9, r10]
    add     r9, r9, r10, lsl #1
    strb    r2, [r9]
    strb    r3, [r9, r10]
    add     r9, r9, r10, lsl #1
    strb    r4, [r9]
    strb    r5, [r9, r10]
    add     r9, r9, r10, lsl #1
    str     r9, [sp, #F_BO]
    cmp     r9, lr
    bne     .Lblk
    ldr     lr, [sp, #A_LAST]
    cmp     lr, #0
    bne     .Lblk
    b       .Lnext
.Lpart:                          @ A_LAST (1..5) outputs
    ldr     lr, [sp, #A_LAST]
    strb    r0, [r9]
    cmp     lr, #2
    blo     .Lnext
    strb    r1, [r9, r10]
    beq     .Lnext
    add     r9, r9, r10, lsl #1
    strb    r2, [r9]
    cmp     lr, #4
    blo     .Lnext
    strb    r3, [r9, r10]
    beq     .Lnext
    add     r9, r9, r10, lsl #1
    strb    r4, [r9]
.Lnext:
    ldrd    r0, r1, [sp, #A_X]
    add     r0, r0, r1
    ldr     r2, [sp, #A_W]
    add     r2, r2, #8
    ldrd    r4, r5, [sp, #A_REC]
    add     r4, r4, #36
    add     r5, r5, #1
    ldr     r6, [sp, #A_NCH]
    str     r0, [sp, #A_X]
    str     r2, [sp, #A_W]
    strd    r4, r5, [sp, #A_REC]
    subs    r6, r6, #1
    str     r6, [sp, #A_NCH]
    bne     .Lch
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size tp_arm_dsp_dwcol, . - tp_arm_dsp_dwcol

@ ---------------------------------------------------------------------------
@ void tp_arm_dsp_dwcol_w(uint32_t* w, const int8_t* f, int32_t C, int32_t K,
@                         int32_t J3):
@ the weight table of 4 channels (f = their taps, rows C bytes apart):
@ per step j, for q = 0..3, We = (2w[2j], 2w[2j+1]), Wo = (2w[2j-1], 2w[2j])
@ (8 words a step); taps past K read as 0 (never loaded).
    .section .text.tp_arm_dsp_dwcol_w, "ax", %progbits
    .global tp_arm_dsp_dwcol_w
    .type tp_arm_dsp_dwcol_w, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_dwcol_w:
    push    {r4-r11, lr}
    ldr     lr, [sp, #36]          @ J3
    add     lr, r0, lr, lsl #5     @ end of the table
    movs    r4, #0                 @ p02 = taps 2j - 1 of channels 0, 2 (doubled)
    movs    r5, #0                 @ p13 = channels 1, 3
1:  movs    r6, #0
    movs    r8, #0
    cmp     r3, #1
    it      ge
    ldrge   r6, [r1]               @ tap 2j
    cmp     r3, #2
    it      ge
    ldrge   r8, [r1, r2]           @ tap 2j + 1
    add     r1, r1, r2, lsl #1
    subs    r3, r3, #2
    sxtb16  r7, r6, ror #8
    sxtb16  r6, r6
    sxtb16  r9, r8, ror #8
    sxtb16  r8, r8
    sadd16  r6, r6, r6             @ a02
    sadd16  r7, r7, r7             @ a13
    sadd16  r8, r8, r8             @ b02
    sadd16  r9, r9, r9             @ b13
    pkhbt   r10, r7, r9, lsl #16   @ channel 1: (a1, b1)
    pkhbt   r11, r5, r7, lsl #16   @           (p1, a1)
    strd    r10, r11, [r0, #8]
    pkhtb   r10, r8, r6, asr #16   @ channel 2: (a2, b2)
    pkhtb   r11, r6, r4, asr #16   @           (p2, a2)
    strd    r10, r11, [r0, #16]
    pkhtb   r10, r9, r7, asr #16   @ channel 3
    pkhtb   r11, r7, r5, asr #16
    strd    r10, r11, [r0, #24]
    pkhbt   r10, r6, r8, lsl #16   @ channel 0
    pkhbt   r11, r4, r6, lsl #16
    strd    r10, r11, [r0], #32
    mov     r4, r8
    mov     r5, r9
    cmp     r0, lr
    bne     1b
    pop     {r4-r11, pc}
    .size tp_arm_dsp_dwcol_w, . - tp_arm_dsp_dwcol_w

@ ---------------------------------------------------------------------------
@ void tp_arm_dsp_dwcol_direct(DwdcArgs* a): the direct column variant for 4
@ channels (short columns): per output row, per tap one word of inputs and
@ one of taps (rows C bytes apart), SXTB16 and SMLABB/SMLATT onto the
@ folded bias, then the sum doubled and requantized as above with m and
@ e = -shift read per output (k = ((2 zp + 1) << e) >> 1 computed: no
@ records to write for so few outputs), and 4 byte stores. Advances a->x,
@ a->out and counts a->rows down. Field order in dw_column.cc (struct
@ DwdcArgs).
    .equ G_X, 0          @ input row of the next output row, channel c0
    .equ G_W, 4          @ taps, channel c0
    .equ G_FB, 8         @ folded biases of the 4 channels
    .equ G_MSTEP, 12     @ bytes between the channels' m and shift (4, or 0 per tensor)
    .equ G_OUT, 16       @ next output row, channel c0
    .equ G_C, 20         @ bytes between rows
    .equ G_K, 24         @ taps
    .equ G_ROWS, 28      @ output rows left
    .equ G_M, 32         @ multiplier of channel c0
    .equ G_SH, 36        @ shift of channel c0 (beside G_M for LDRD)
    .equ G_ZPC, 40       @ 2 zp + 1

@ r8 = &m, r9 = &shift (advanced by r11), lr = 2 zp + 1.
.macro DRQ r
    add     \r, \r, \r
    ldr     r4, [r8]
    ldr     r6, [r9]
    add     r8, r8, r11
    add     r9, r9, r11
    rsb     r6, r6, #0
    lsl     r5, lr, r6
    asr     r5, r5, #1
    add     r7, r5, \r, asr #31
    smmlar  \r, \r, r4, r7
    asr     \r, \r, r6
    ssat    \r, #8, \r
.endm

    .section .text.tp_arm_dsp_dwcol_direct, "ax", %progbits
    .global tp_arm_dsp_dwcol_direct
    .type tp_arm_dsp_dwcol_direct, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_dwcol_direct:
    push    {r4-r11, lr}
    mov     r12, r0
    ldr     r10, [r12, #G_C]
1:  ldrd    r8, r9, [r12, #G_X]    @ x, w
    ldr     r11, [r12, #G_K]
    ldr     r4, [r12, #G_FB]
    ldmia   r4, {r0-r3}
2:  ldr     r4, [r8]
    add     r8, r8, r10
    ldr     r5, [r9]
    add     r9, r9, r10
    sxtb16  r6, r4
    sxtb16  r4, r4, ror #8
    sxtb16  r7, r5
    sxtb16  r5, r5, ror #8
    smlabb  r0, r6, r7, r0
    smlatt  r2, r6, r7, r2
    smlabb  r1, r4, r5, r1
    smlatt  r3, r4, r5, r3
    subs    r11, r11, #1
    bne     2b
    ldrd    r8, r9, [r12, #G_M]
    ldr     r11, [r12, #G_MSTEP]
    ldr     lr, [r12, #G_ZPC]
    DRQ     r0
    DRQ     r1
    DRQ     r2
    DRQ     r3
    ldr     r9, [r12, #G_OUT]
    strb    r0, [r9]
    strb    r1, [r9, #1]
    strb    r2, [r9, #2]
    strb    r3, [r9, #3]
    add     r9, r9, r10
    str     r9, [r12, #G_OUT]
    ldr     r8, [r12, #G_X]
    add     r8, r8, r10
    str     r8, [r12, #G_X]
    ldr     r4, [r12, #G_ROWS]
    subs    r4, r4, #1
    str     r4, [r12, #G_ROWS]
    bne     1b
    pop     {r4-r11, pc}
    .size tp_arm_dsp_dwcol_direct, . - tp_arm_dsp_dwcol_direct
