/* Known pin edges for the pin_watch plugin's test (test_pin_watch.py): a
 * bare-metal image for QEMU's mps2-an386 that writes the FPGA I/O LED
 * register (0x40028000): all LEDs off; USERLED2 high; a counted stretch of
 * instructions; USERLED2 low; a sleep (WFI until SysTick fires); the same
 * value again (a store that changes no LED); then it exits through
 * semihosting. */
        .syntax unified
        .thumb
        .section .vectors, "a"
        .word   0x20010000              /* initial stack pointer */
        .word   reset + 1
        .fill   13, 4, 0                /* NMI .. PendSV: unused */
        .word   systick + 1             /* exception 15: SysTick */

        .text
        .thumb_func
systick:
        bx      lr

        .global reset
        .thumb_func
reset:
        ldr     r0, =0x40028000         /* FPGA I/O LED register */
        movs    r1, #0
        str     r1, [r0]                /* store 0: every LED off (QEMU's reset shows them on) */
        movs    r1, #4
        str     r1, [r0]                /* store 1: USERLED2 0 -> 1 */
counted:
        movs    r2, #100                /* 1 */
1:      subs    r2, r2, #1              /* 100 x 2 */
        bne     1b
        movs    r1, #0                  /* 1 */
        str     r1, [r0]                /* store 2 (1): USERLED2 1 -> 0 */
        ldr     r3, =0xE000E010         /* SysTick: 1 ms at the 25 MHz processor clock */
        ldr     r4, =24999
        str     r4, [r3, #4]            /* LOAD */
        str     r1, [r3, #8]            /* VAL */
        movs    r4, #7                  /* CLKSOURCE | TICKINT | ENABLE */
        str     r4, [r3]
        wfi                             /* sleeps until the tick */
        str     r1, [r3]                /* SysTick off */
        str     r1, [r0]                /* store 3: no LED changes */
        movs    r0, #0x18               /* semihosting SYS_EXIT */
        ldr     r1, =0x20026            /* ADP_Stopped_ApplicationExit */
        bkpt    0xab
        .ltorg
