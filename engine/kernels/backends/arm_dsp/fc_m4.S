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

@ ---------------------------------------------------------------------------
@ Fixed row length KB (bytes, a multiple of 8, 3 * KB <= 1020): 4 rows per
@ block through one weight pointer with immediate offsets, the K loop fully
@ unrolled. Registers: acc r0-r3, x r4-r7, weights r8-r10, x pointer r11,
@ weight pointer r12, folded-bias pointer lr.
@ void name(FcArgs* a) with a->blocks = rows / 4 (same FcArgs as above).

.macro FROWK acc, off, post
  .if \post
    ldrd    r8, r9, [r12], #8
  .else
    ldrd    r8, r9, [r12, #\off]
  .endif
    sxtb16  r10, r8
    smlad   \acc, r4, r10, \acc
    sxtb16  r8, r8, ror #8
    smlad   \acc, r5, r8, \acc
    sxtb16  r10, r9
    smlad   \acc, r6, r10, \acc
    sxtb16  r9, r9, ror #8
    smlad   \acc, r7, r9, \acc
.endm

    .equ G_BIAS_END, 48

.macro FCK name, KB, corr, fold
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
    ldr     lr, [sp, #F_BIAS]
    ldr     r1, [sp, #F_BLOCKS]
    add     r1, lr, r1, lsl #4
    str     r1, [sp, #G_BIAS_END]
    ldr     r12, [sp, #F_W]
    ldr     r11, [sp, #F_XBUF]
.Lblock\@:
    ldmia   lr!, {r0-r3}
    .rept (\KB / 8)
    ldmia.w r11!, {r4-r7}
    FROWK   r1, \KB, 0
    FROWK   r2, (2 * \KB), 0
    FROWK   r3, (3 * \KB), 0
    FROWK   r0, 0, 1
    .endr
    sub     r11, r11, #(2 * \KB)
    add     r12, r12, #(3 * \KB)
    ldrd    r4, r5, [sp, #F_M]
    ldr     r6, [sp, #F_E]
    ldr     r7, [sp, #F_OUT]
  .if !\fold
    ldr     r10, [sp, #F_ZP]
  .endif
    FRQ     r0, \corr, \fold
    FRQ     r1, \corr, \fold
    FRQ     r2, \corr, \fold
    FRQ     r3, \corr, \fold
    str     r7, [sp, #F_OUT]
    ldr     r8, [sp, #G_BIAS_END]
    cmp     lr, r8
    bne     .Lblock\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro FCK_ALL KB
    FCK tp_arm_dsp_fc4k\KB\()_00, \KB, 0, 0
    FCK tp_arm_dsp_fc4k\KB\()_01, \KB, 0, 1
    FCK tp_arm_dsp_fc4k\KB\()_10, \KB, 1, 0
    FCK tp_arm_dsp_fc4k\KB\()_11, \KB, 1, 1
.endm

    FCK_ALL 64
    FCK_ALL 128
    FCK_ALL 8

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

@ ---------------------------------------------------------------------------
@ Fixed row length KB, R = 4 or 5 rows per block, folded-bias pointer in the
@ frame, K loop fully unrolled.
@   R = 5: rows at 0..4*KB from one pointer (4 * KB <= 1020);
@          acc r0-r4, x r5-r8, weights r9-r11, x ptr r12, weight ptr lr.
@   R = 4: rows 0,1 from one pointer and rows 2,3 from a second (KB <= 1020);
@          acc r0-r3, x r4-r7, weights r8-r10, x ptr r11, ptrs r12, lr.

    .equ H_BIAS_END, 48
    .equ H_XEND, 52

.macro HROW acc, xa, xb, xc, xd, wa, wb, wc, p, off, post
  .if \post
    ldrd    \wa, \wb, [\p], #8
  .else
    ldrd    \wa, \wb, [\p, #\off]
  .endif
    sxtb16  \wc, \wa
    smlad   \acc, \xa, \wc, \acc
    sxtb16  \wa, \wa, ror #8
    smlad   \acc, \xb, \wa, \acc
    sxtb16  \wc, \wb
    smlad   \acc, \xc, \wc, \acc
    sxtb16  \wb, \wb, ror #8
    smlad   \acc, \xd, \wb, \acc
.endm

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

.macro FCH name, KB, R, corr, fold
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
    ldr     r1, [sp, #F_BIAS]
    ldr     r2, [sp, #F_BLOCKS]
    movs    r3, #(4 * \R)
    mla     r1, r2, r3, r1
    str     r1, [sp, #H_BIAS_END]
  .if \R == 5
    ldr     lr, [sp, #F_W]
    ldr     r12, [sp, #F_XBUF]
  .else
    .if (\KB % 320) == 0
    .set FCH_U, 40
    .else
    .set FCH_U, 16
    .endif
    .if (\KB % (8 * FCH_U)) != 0
    .error "FCH with R = 4 needs KB a multiple of 8 * FCH_U"
    .endif
    ldr     r12, [sp, #F_W]
    add     lr, r12, #(2 * \KB)
    ldr     r11, [sp, #F_XBUF]
    add     r1, r11, #(2 * \KB)
    str     r1, [sp, #H_XEND]
  .endif
.Lblock\@:
    ldr     r8, [sp, #F_BIAS]
  .if \R == 5
    ldmia   r8!, {r0-r4}
  .else
    ldmia   r8!, {r0-r3}
  .endif
    str     r8, [sp, #F_BIAS]
  .if \R == 5
    ldr     r9, [sp, #H_BIAS_END]
    cmp     r8, r9                  @ flags survive to the loop branch
  .endif
  .if \R == 5
    .rept (\KB / 8)
    ldmia.w r12!, {r5-r8}
    HROW    r1, r5, r6, r7, r8, r9, r10, r11, lr, \KB, 0
    HROW    r2, r5, r6, r7, r8, r9, r10, r11, lr, (2 * \KB), 0
    HROW    r3, r5, r6, r7, r8, r9, r10, r11, lr, (3 * \KB), 0
    HROW    r4, r5, r6, r7, r8, r9, r10, r11, lr, (4 * \KB), 0
    HROW    r0, r5, r6, r7, r8, r9, r10, r11, lr, 0, 1
    .endr
    sub     r12, r12, #(2 * \KB)
    add     lr, lr, #(4 * \KB)
    ldrd    r5, r6, [sp, #F_M]
    ldr     r7, [sp, #F_E]
    ldr     r8, [sp, #F_OUT]
    .if !\fold
    ldr     r9, [sp, #F_ZP]
    .endif
    HRQ     r0, r5, r6, r7, r9, r8, r10, r11, \corr, \fold
    HRQ     r1, r5, r6, r7, r9, r8, r10, r11, \corr, \fold
    HRQ     r2, r5, r6, r7, r9, r8, r10, r11, \corr, \fold
    HRQ     r3, r5, r6, r7, r9, r8, r10, r11, \corr, \fold
    HRQ     r4, r5, r6, r7, r9, r8, r10, r11, \corr, \fold
    str     r8, [sp, #F_OUT]
  .else
    @ U-step body looped (x pointer end in the frame)
.Lk\@:
    .rept FCH_U
    ldmia.w r11!, {r4-r7}
    HROW    r1, r4, r5, r6, r7, r8, r9, r10, r12, \KB, 0
    HROW    r0, r4, r5, r6, r7, r8, r9, r10, r12, 0, 1
    HROW    r3, r4, r5, r6, r7, r8, r9, r10, lr, \KB, 0
    HROW    r2, r4, r5, r6, r7, r8, r9, r10, lr, 0, 1
    .endr
    ldr     r8, [sp, #H_XEND]
    cmp     r11, r8
    bne     .Lk\@
    sub     r11, r11, #(2 * \KB)
    add     r12, r12, #(3 * \KB)
    add     lr, lr, #(3 * \KB)
    ldrd    r4, r5, [sp, #F_M]
    ldr     r6, [sp, #F_E]
    ldr     r7, [sp, #F_OUT]
    .if !\fold
    ldr     r8, [sp, #F_ZP]
    .endif
    HRQ     r0, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    HRQ     r1, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    HRQ     r2, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    HRQ     r3, r4, r5, r6, r8, r7, r9, r10, \corr, \fold
    str     r7, [sp, #F_OUT]
    ldr     r8, [sp, #F_BIAS]
    ldr     r9, [sp, #H_BIAS_END]
    cmp     r8, r9
  .endif
    bne     .Lblock\@
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

.macro FCH_ALL KB, R
    FCH tp_arm_dsp_fc\R\()h\KB\()_00, \KB, \R, 0, 0
    FCH tp_arm_dsp_fc\R\()h\KB\()_01, \KB, \R, 0, 1
    FCH tp_arm_dsp_fc\R\()h\KB\()_10, \KB, \R, 1, 0
    FCH tp_arm_dsp_fc\R\()h\KB\()_11, \KB, \R, 1, 1
.endm

    FCH_ALL 128, 5
    FCH_ALL 640, 4

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
