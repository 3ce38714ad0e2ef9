/* A known instruction mix for the insn_mix plugin's test (test_insn_mix.py):
 * a bare-metal image for QEMU's mps2-an386 (Cortex-M4F) that calls `mark`
 * twice around a loop of 10 iterations whose every instruction's class is
 * known, then exits through semihosting. Data: `table` in the Code region
 * (flash on a real board), `buf` in SRAM. */
        .syntax unified
        .thumb
        .section .vectors, "a"
        .word   0x20010000              /* initial stack pointer */
        .word   reset + 1

        .text
        .global reset
        .thumb_func
reset:
        ldr     r0, =0xE000ED88         /* CPACR: CP10 and CP11 full access */
        ldr     r1, [r0]
        orr     r1, r1, #(0xF << 20)
        str     r1, [r0]
        dsb
        isb
        ldr     r8, =table
        ldr     r9, =buf
        bl      mark                    /* snapshot 0 */
window_start:
        movs    r7, #10
loop:
        ldr     r0, [r8, #4]            /* load (code region) */
        ldr     r1, [r8]                /* load, pipelined (code region) */
        ldr     r2, [r1]                /* load: its address is the last load's result */
        ldrb    r3, [r9, #1]            /* load, pipelined */
        str     r2, [r9, #8]            /* store */
        ldrh    r4, [r9]                /* load: nothing pipelines after a store */
        add     r5, r2, r3              /* alu */
        ldrd    r4, r5, [r9]            /* ldrd */
        strd    r4, r5, [r9, #16]       /* strd */
        ldm     r8, {r0-r3}             /* ldm, 4 registers (code region) */
        stm     r9, {r0-r3}             /* stm, 4 registers */
        push    {r4, r5}                /* stm, 2 registers */
        pop     {r4, r5}                /* ldm, 2 registers */
        mul     r0, r1, r2              /* mul */
        mla     r0, r1, r2, r0          /* mul */
        smlad   r0, r1, r2, r0          /* mul */
        smlal   r4, r5, r1, r2          /* mul_long */
        movs    r1, #100                /* alu */
        movs    r2, #7                  /* alu */
        sdiv    r3, r1, r2              /* div */
        udiv    r3, r1, r2              /* div */
        vldr    s0, [r8, #8]            /* fp_load (code region) */
        vadd.f32 s1, s0, s0             /* fp_alu */
        vmla.f32 s2, s0, s1             /* fp_mac */
        vstr    s2, [r9, #24]           /* fp_store */
        vldmia  r9, {s4-s5}             /* fp_ldm, 2 words */
        vstmia  r9, {s4-s5}             /* fp_stm, 2 words */
        cmp     r7, #100                /* alu */
        beq     never                   /* branch, never taken */
        cbz     r7, never               /* branch, never taken */
        subs    r7, #1                  /* alu */
        bne     loop                    /* branch, taken 9 times of 10 */
after_loop:                             /* once each, after the loop */
        cmp     r7, #0                  /* alu */
        it      eq                      /* it */
        addeq   r7, r7, #2              /* alu */
        bl      sub                     /* branch, taken */
        movs    r0, #1                  /* alu */
        tbb     [pc, r0]                /* tbb_tbh (a code-region byte read), taken */
cases:
        .byte   (case0 - cases) / 2
        .byte   (case1 - cases) / 2
case0:
        b       case0                   /* never runs */
case1:
        ldr     pc, =after_load_pc + 1  /* load_pc (a code-region read), taken */
        .ltorg
after_load_pc:
        mrs     r0, primask             /* system */
window_end:
        bl      mark                    /* snapshot 1 */
        movs    r0, #0x18               /* semihosting SYS_EXIT */
        ldr     r1, =0x20026            /* ADP_Stopped_ApplicationExit */
        bkpt    0xab
never:
        b       never

        .thumb_func
sub:
        push    {lr}                    /* stm, 1 register */
        vdiv.f32 s3, s0, s1             /* fp_div */
        pop     {pc}                    /* ldm, 1 register, taken */

        .thumb_func
        .global mark
mark:
        bx      lr

        .ltorg
        .balign 4
table:
        .word   buf
        .word   0x00030002
        .float  1.5
        .word   0

        .bss
        .balign 8
buf:
        .space  64
