@ FULLY_CONNECTED rows on Cortex-M4: R = 1..3 output rows per block, the
@ input vector (int16, (x0,x2),(x1,x3) order, prepared by fc.cc) loaded
@ once per 8 values with one LDM and shared by the R rows; each row costs
@ LDRD + 4 SXTB16 + 4 SMLAD per 8 weights. Per-tensor requantization, exact
@ for every int32 accumulator (no bound on the bias needed):
@   s = SMMLAR(acc, 2m - 2^32, acc) = SRDHM(acc, m)   (m in [2^30, 2^31))
@   t = QADD(s, K [+ (acc >> 31) when CORR]) >> e [+ zp unless FOLD] ; SSAT 8
@ with K = 2^(e-1) (+ zp * 2^e when FOLD). QADD saturates where s + K would
@ overflow; for e <= 23 the int8 result is then saturated either way.
@
@ void name(FcArgs* a); field order in fc.cc (struct FcArgs).

    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ F_XBUF, 0
    .equ F_W, 4          @ first row of the next block
    .equ F_K, 8          @ bytes per weight row (steps * 8)
    .equ F_BIAS, 12      @ folded bias of the next block (advanced)
    .equ F_OUT, 16       @ next output (advanced)
    .equ F_BLOCKS, 20
    .equ F_M, 24
    .equ F_KC, 28
    .equ F_E, 32
    .equ F_ZP, 36
    .equ F_STEPS, 40
    .equ F_ENTRY, 44
    .equ F_XEND, 48
    .equ FRAME, 56

.macro FROW acc, p
    ldrd    r8, r9, [\p], #8
    sxtb16  r10, r8
    smlad   \acc, r4, r10, \acc
    sxtb16  r8, r8, ror #8
    smlad   \acc, r5, r8, \acc
    sxtb16  r10, r9
    smlad   \acc, r6, r10, \acc
    sxtb16  r9, r9, ror #8
    smlad   \acc, r7, r9, \acc
.endm

.macro FSTEP R
    ldmia.w r11!, {r4-r7}
    FROW    r0, r12
  .if \R > 1
    FROW    r1, lr
  .endif
  .if \R > 2
    FROW    r2, r3
  .endif
.endm

.macro FRQ acc, corr, fold
    smmlar  r8, \acc, r4, \acc
  .if \corr
    add.w   r9, r5, \acc, asr #31
    qadd    r8, r8, r9
  .else
    qadd    r8, r8, r5
  .endif
    asr.w   r8, r8, r6
  .if !\fold
    add.w   r8, r8, r10
  .endif
    ssat    r8, #8, r8
    strb    r8, [r7], #1
.endm

.macro FC name, R, corr, fold
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
    ldmia   r0!, {r1-r4}
    stmia   r12!, {r1-r4}
    @ xend = xbuf + steps * 16
    ldr     r1, [sp, #F_STEPS]
    ldr     r2, [sp, #F_XBUF]
    add     r3, r2, r1, lsl #4
    str     r3, [sp, #F_XEND]
    and     r1, r1, #7
    rsb     r1, r1, #8
    and     r1, r1, #7
    movs    r3, #((1 + 9 * \R) * 4)
    mul     r1, r1, r3
    adr.w   r3, .Lbody\@
    add     r1, r1, r3
    orr     r1, r1, #1
    str     r1, [sp, #F_ENTRY]
.Lblock\@:
    ldr     r4, [sp, #F_BIAS]
  .if \R == 1
    ldr     r0, [r4], #4
  .elseif \R == 2
    ldmia   r4!, {r0, r1}
  .else
    ldmia   r4!, {r0, r1, r2}
  .endif
    str     r4, [sp, #F_BIAS]
    ldrd    r12, r4, [sp, #F_W]     @ r12 = row 0, r4 = K
  .if \R == 1
    add     r5, r12, r4
  .elseif \R == 2
    add     lr, r12, r4
    add     r5, lr, r4
  .else
    add     lr, r12, r4
    add     r3, lr, r4
    add     r5, r3, r4
  .endif
    str     r5, [sp, #F_W]
    ldr     r11, [sp, #F_XBUF]
    ldr     r4, [sp, #F_ENTRY]
    bx      r4
.Lbody\@:
    .rept 8
    FSTEP   \R
    .endr
.Lbody_end\@:
    .if (.Lbody_end\@ - .Lbody\@) != 8 * (1 + 9 * \R) * 4
    .error "unexpected instruction sizes in the FC body"
    .endif
    ldr     r8, [sp, #F_XEND]
    cmp     r11, r8
    bne     .Lbody\@
    ldrd    r4, r5, [sp, #F_M]
    ldr     r6, [sp, #F_E]
    ldr     r7, [sp, #F_OUT]
  .if !\fold
    ldr     r10, [sp, #F_ZP]
  .endif
    FRQ     r0, \corr, \fold
  .if \R > 1
    FRQ     r1, \corr, \fold
  .endif
  .if \R > 2
    FRQ     r2, \corr, \fold
  .endif
    str     r7, [sp, #F_OUT]
    ldr     r8, [sp, #F_BLOCKS]
    subs    r8, r8, #1
    str     r8, [sp, #F_BLOCKS]
    bne     .Lblock\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro FC_ALL R
    FC tp_arm_dsp_fc\R\()_00, \R, 0, 0
    FC tp_arm_dsp_fc\R\()_01, \R, 0, 1
    FC tp_arm_dsp_fc\R\()_10, \R, 1, 0
    FC tp_arm_dsp_fc\R\()_11, \R, 1, 1
.endm

    FC_ALL 1
    FC_ALL 2
    FC_ALL 3

@ uint32_t tp_arm_dsp_abs_or(const int32_t* p, int32_t n):
@ OR over i of (p[i] ^ (p[i] >> 31)) (>= |p[i]| - 1 for every i).
    .section .text.tp_arm_dsp_abs_or, "ax", %progbits
    .global tp_arm_dsp_abs_or
    .type tp_arm_dsp_abs_or, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_abs_or:
    push    {r4-r10, lr}
    movs    r2, #0
    subs    r1, r1, #8
    blt     2f
1:  ldmia   r0!, {r3-r10}
    eor     r3, r3, r3, asr #31
    eor     r4, r4, r4, asr #31
    eor     r5, r5, r5, asr #31
    eor     r6, r6, r6, asr #31
    eor     r7, r7, r7, asr #31
    eor     r8, r8, r8, asr #31
    eor     r9, r9, r9, asr #31
    eor     r10, r10, r10, asr #31
    orr     r2, r2, r3
    orr     r2, r2, r4
    orr     r2, r2, r5
    orr     r2, r2, r6
    orr     r2, r2, r7
    orr     r2, r2, r8
    orr     r2, r2, r9
    orr     r2, r2, r10
    subs    r1, r1, #8
    bge     1b
2:  adds    r1, r1, #8
    beq     4f
3:  ldr     r3, [r0], #4
    eor     r3, r3, r3, asr #31
    orr     r2, r2, r3
    subs    r1, r1, #1
    bne     3b
4:  mov     r0, r2
    pop     {r4-r10, pc}
    .size tp_arm_dsp_abs_or, . - tp_arm_dsp_abs_or

@ requantize \acc (see FRQ) and store at [\out], #1 (\m = 2m - 2^32)
.macro HRQ acc, m, k, e, zpr, out, t, t2, corr, fold
    smmlar  \t, \acc, \m, \acc
  .if \corr
    add.w   \t2, \k, \acc, asr #31
    qadd    \t, \t, \t2
  .else
    qadd    \t, \t, \k
  .endif
    asr.w   \t, \t, \e
  .if !\fold
    add.w   \t, \t, \zpr
  .endif
    ssat    \t, #8, \t
    strb    \t, [\out], #1
.endm

@ ---------------------------------------------------------------------------
@ Row pairs (fc_layout.h): P = 1 or 2 pairs of output rows per block, 2P
@ rows. For each pair two accumulators start from the even row's folded
@ bias: M sums SMLAD(x, SXTB16(h)) (the even row), R sums SMLAD(x, h)
@ (even + 256 x odd), so per 8 inputs and pair: 2 LDRD + 2 SXTB16 + 4 x 2
@ SMLAD = 14 instructions for 16 MACs (1 LDM of x shared by the block).
@ Odd row = its bias + ((R - M) asr 8). The 8-input steps run U at a time,
@ the first pass entered Duff-style.
@ Registers: M0 r0, R0 r1, M1 r2, R1 r3, x r4-r7, weights r8 r9, r10
@ temporary, x pointer r11, pair 0 pointer r12, pair 1 pointer lr.
@ void name(FcArgs* a): a->w the first pair, a->k = K (bytes per row),
@ a->blocks = blocks of P pairs, a->steps = K / 8.

    .equ PU, 8
    .equ P_K2, 52

.macro PHALF accm, accr, p, xa, xb
    ldrd    r8, r9, [\p], #8
    sxtb16  r10, r8
    smlad   \accm, \xa, r10, \accm
    smlad   \accr, \xa, r8, \accr
    sxtb16  r10, r9
    smlad   \accm, \xb, r10, \accm
    smlad   \accr, \xb, r9, \accr
.endm

.macro PSTEP P
    ldmia.w r11!, {r4-r7}
    PHALF   r0, r1, r12, r4, r5
    PHALF   r0, r1, r12, r6, r7
  .if \P == 2
    PHALF   r2, r3, lr, r4, r5
    PHALF   r2, r3, lr, r6, r7
  .endif
.endm

.macro FCP name, P, corr, fold
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
    ldmia   r0!, {r1-r4}
    stmia   r12!, {r1-r4}
    @ xend = xbuf + steps * 16; entry = body + ((U - steps % U) % U) * step
    ldr     r1, [sp, #F_STEPS]
    ldr     r2, [sp, #F_XBUF]
    add     r3, r2, r1, lsl #4
    str     r3, [sp, #F_XEND]
    and     r1, r1, #(PU - 1)
    rsb     r1, r1, #PU
    and     r1, r1, #(PU - 1)
    movs    r3, #((1 + 14 * \P) * 4)
    mul     r1, r1, r3
    adr.w   r3, .Lpbody\@
    add     r1, r1, r3
    orr     r1, r1, #1
    str     r1, [sp, #F_ENTRY]
    ldr     r1, [sp, #F_K]
    lsl     r1, r1, #1
    str     r1, [sp, #P_K2]
    ldr     r12, [sp, #F_W]
  .if \P == 2
    add     lr, r12, r1
  .endif
.Lpblock\@:
    ldr     r11, [sp, #F_BIAS]
    ldr     r0, [r11]
    mov     r1, r0
  .if \P == 2
    ldr     r2, [r11, #8]
    mov     r3, r2
  .endif
    ldr     r11, [sp, #F_XBUF]
    ldr     r8, [sp, #F_ENTRY]
    bx      r8
.Lpbody\@:
    .rept PU
    PSTEP   \P
    .endr
.Lpbody_end\@:
    .if (.Lpbody_end\@ - .Lpbody\@) != PU * (1 + 14 * \P) * 4
    .error "unexpected instruction sizes in the row-pair body"
    .endif
    ldr     r8, [sp, #F_XEND]
    cmp     r11, r8
    bne     .Lpbody\@
    @ odd rows: bias + ((R - M) asr 8)
    ldr     r11, [sp, #F_BIAS]
    ldr     r9, [r11, #4]
    sub     r10, r1, r0
    add     r1, r9, r10, asr #8
  .if \P == 2
    ldr     r9, [r11, #12]
    sub     r10, r3, r2
    add     r3, r9, r10, asr #8
  .endif
    add     r11, r11, #(8 * \P)
    str     r11, [sp, #F_BIAS]
    ldrd    r4, r5, [sp, #F_M]
    ldr     r6, [sp, #F_E]
    ldr     r7, [sp, #F_OUT]
  .if !\fold
    ldr     r8, [sp, #F_ZP]
  .endif
    HRQ     r0, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    HRQ     r1, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
  .if \P == 2
    HRQ     r2, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    HRQ     r3, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    @ next block: pair 0 where pair 1 ended, pair 1 2K further
    mov     r12, lr
    ldr     r8, [sp, #P_K2]
    add     lr, lr, r8
  .endif
    str     r7, [sp, #F_OUT]
    ldr     r8, [sp, #F_BLOCKS]
    subs    r8, r8, #1
    str     r8, [sp, #F_BLOCKS]
    bne     .Lpblock\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro FCP_ALL P
    FCP tp_arm_dsp_fcp\P\()_00, \P, 0, 0
    FCP tp_arm_dsp_fcp\P\()_01, \P, 0, 1
    FCP tp_arm_dsp_fcp\P\()_10, \P, 1, 0
    FCP tp_arm_dsp_fcp\P\()_11, \P, 1, 1
.endm

    FCP_ALL 1
    FCP_ALL 2

@ void tp_arm_dsp_expand_x(uint32_t* dst, const int8_t* src, int32_t n8):
@ n8 groups of 8 int8 -> int16 in (x0,x2),(x1,x3),(x4,x6),(x5,x7) order
@ (the FULLY_CONNECTED input vector). src may be unaligned.
    .section .text.tp_arm_dsp_expand_x, "ax", %progbits
    .global tp_arm_dsp_expand_x
    .type tp_arm_dsp_expand_x, %function
    .thumb_func
    .p2align 2
tp_arm_dsp_expand_x:
    push    {r4-r7}
1:  ldr     r4, [r1], #4
    ldr     r6, [r1], #4
    sxtb16  r3, r4
    sxtb16  r4, r4, ror #8
    sxtb16  r5, r6
    sxtb16  r6, r6, ror #8
    stmia   r0!, {r3-r6}
    subs    r2, r2, #1
    bne     1b
    pop     {r4-r7}
    bx      lr
    .size tp_arm_dsp_expand_x, . - tp_arm_dsp_expand_x
