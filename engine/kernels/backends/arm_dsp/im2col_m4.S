@ im2col expansion helpers for the GEMM (gemm_m4.S layout: [K/8][P][8]
@ halfwords, each group of 8 in the order (k0,k2),(k1,k3),(k4,k6),(k5,k7)).
@ Values are x + input offset (off2 = offset in both halfwords), doubled in
@ the _dbl variants. Sources may be unaligned; destinations are 4-aligned.

    .syntax unified
    .cpu cortex-m4
    .thumb

@ Expand 8 bytes at [r1] (post-increment) into r4-r7 (+ offset r3 / doubled).
.macro EXP8 src, off, dbl
    ldr     r7, [\src, #4]
    ldr     r5, [\src], #8
    sxtab16 r6, \off, r7
    sxtab16 r7, \off, r7, ror #8
    sxtab16 r4, \off, r5
    sxtab16 r5, \off, r5, ror #8
  .if \dbl
    sadd16  r4, r4, r4
    sadd16  r5, r5, r5
    sadd16  r6, r6, r6
    sadd16  r7, r7, r7
  .endif
.endm

@ void name(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
@           uint32_t off2): n8 >= 1 groups of 8, dst advancing dst_stride
@           bytes per group (16 * P).
.macro EXPAND name, dbl
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r8, lr}
    ldr     r8, [sp, #24]          @ off2
1:  EXP8    r1, r8, \dbl
    stmia   r0, {r4-r7}
    add     r0, r0, r3
    subs    r2, r2, #1
    bne     1b
    pop     {r4-r8, pc}
    .size \name, . - \name
.endm

    EXPAND tp_arm_dsp_expand8, 0
    EXPAND tp_arm_dsp_expand8_dbl, 1

@ void name(int16_t* dst, const int8_t* src, int32_t n8, int32_t P,
@           int32_t pix_stride, uint32_t off2): the columns of P consecutive
@           pixels of a 1x1 convolution (pixel p's n8 * 8 values at
@           src + p * pix_stride), written sequentially.
.macro PW name, dbl
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    ldrd    r8, r9, [sp, #36]      @ r8 = pix_stride, r9 = off2
    mov     r10, r1                @ group base (pixel 0)
1:  mov     r11, r3                @ pixels left
    mov     r12, r10
2:  mov     r1, r12
    EXP8    r1, r9, \dbl
    stmia   r0!, {r4-r7}
    add     r12, r12, r8
    subs    r11, r11, #1
    bne     2b
    add     r10, r10, #8
    subs    r2, r2, #1
    bne     1b
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    PW tp_arm_dsp_im2col_pw, 0
    PW tp_arm_dsp_im2col_pw_dbl, 1

@ void name(int16_t* dst, const int8_t* src, int32_t n8, int32_t dst_stride,
@           uint32_t off2, int32_t rows, int32_t src_stride):
@ rows x (n8 groups of 8) from rows src_stride bytes apart, written as
@ consecutive groups of one pixel's column (dst advancing dst_stride bytes
@ per group): the whole column of an interior output pixel in one call.
.macro EXPROWS name, dbl
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    ldrd    r8, r9, [sp, #36]      @ r8 = off2, r9 = rows
    ldr     r10, [sp, #44]         @ src_stride
    mov     r11, r1                @ row start
1:  mov     r12, r2                @ groups left in the row
    mov     r1, r11
2:  EXP8    r1, r8, \dbl
    stmia   r0, {r4-r7}
    add     r0, r0, r3
    subs    r12, r12, #1
    bne     2b
    add     r11, r11, r10
    subs    r9, r9, #1
    bne     1b
    pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    EXPROWS tp_arm_dsp_expand_rows, 0
    EXPROWS tp_arm_dsp_expand_rows_dbl, 1
