@ ADD inner loop on Cortex-M4 (tables built by eltwise.cc): per element
@   sum2 = T1[x1] + T2[x2]                  (doubled rescaled inputs)
@   t = SMMLAR(sum2, m, K [+ (sum2 >> 31) when CORR]) >> e [+ zp unless FOLD]
@   out = SSAT8(t)
@ void name(AddArgs* a); field order in eltwise.cc (struct AddArgs).

    .syntax unified
    .cpu cortex-m4
    .thumb

.macro ADD1 corr, fold
    ldrsb   r10, [r0], #1
    ldrsb   r11, [r1], #1
    ldr     r10, [r4, r10, lsl #2]
    ldr     r11, [r5, r11, lsl #2]
    add     r10, r10, r11
  .if \corr
    add     r11, r7, r10, asr #31
    smmlar  r10, r10, r6, r11
  .else
    smmlar  r10, r10, r6, r7
  .endif
    asr     r10, r10, r8
  .if !\fold
    add     r10, r10, r9
  .endif
    ssat    r10, #8, r10
    strb    r10, [r2], #1
.endm

.macro ADDLOOP name, corr, fold
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
    .p2align 2
\name:
    push    {r4-r11, lr}
    mov     r12, r0
    ldmia   r12, {r0-r9}      @ in1, in2, out, n, t1, t2, m, k, e, zp
    add     r3, r2, r3        @ end of output
    sub     lr, r3, #3        @ last start of a group of 4
    cmp     r2, lr
    bhs     2f
1:  ADD1    \corr, \fold
    ADD1    \corr, \fold
    ADD1    \corr, \fold
    ADD1    \corr, \fold
    cmp     r2, lr
    blo     1b
2:  cmp     r2, r3
    bhs     3f
    ADD1    \corr, \fold
    b       2b
3:  pop     {r4-r11, pc}
    .size \name, . - \name
.endm

    ADDLOOP tp_arm_dsp_add_00, 0, 0
    ADDLOOP tp_arm_dsp_add_01, 0, 1
    ADDLOOP tp_arm_dsp_add_10, 1, 0
    ADDLOOP tp_arm_dsp_add_11, 1, 1
