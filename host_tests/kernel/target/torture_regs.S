/* One round of the context-switch torture test: fills r0-r12, lr, s0-s31
 * (the M55's Q0-Q7), FPSCR and on the M55 VPR with patterns derived from a
 * seed, spins `iters` times re-checking every one of them, and returns 0,
 * or 1 at the first corrupted register. Interrupts (and switches to other
 * threads doing the same with other seeds) may land anywhere in the loop.
 *   uint32_t tp_torture_round(uint32_t seed, uint32_t iters)   */
  .syntax unified
  .thumb
  .text
  .global tp_torture_round
  .type tp_torture_round, %function
  .thumb_func
tp_torture_round:
  push  {r4-r11, lr}
  vpush {s16-s31}
  vmrs  r2, fpscr
  push  {r2, r3}
  /* FPSCR: rounding mode from the seed (bits 22-23), flags clear */
  and   r2, r0, #3
  lsl   r2, r2, #22
  vmsr  fpscr, r2
#if defined(__ARM_FEATURE_MVE)
  /* VPR.P0: the seed's low 16 bits */
  uxth  r2, r0
  vmsr  p0, r2
#endif
  /* s_k = seed + 100 + k */
  .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  add   r2, r0, #(100 + \k)
  vmov  s\k, r2
  .endr
  /* r_k = seed + k (r1 is the counter) */
  .irp k, 2,3,4,5,6,7,8,9,10,11,12
  add   r\k, r0, #\k
  .endr
  add   lr, r0, #14
1:
  .irp k, 2,3,4,5,6,7,8,9,10,11,12
  sub   r\k, r\k, r0
  cmp   r\k, #\k
  bne   9f
  add   r\k, r\k, r0
  .endr
  sub   lr, lr, r0
  cmp   lr, #14
  bne   9f
  add   lr, lr, r0
  .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  vmov  r2, s\k
  sub   r2, r2, r0
  cmp   r2, #(100 + \k)
  bne   9f
  .endr
  vmrs  r2, fpscr
  and   r3, r0, #3
  lsl   r3, r3, #22
  cmp   r2, r3
  bne   9f
#if defined(__ARM_FEATURE_MVE)
  vmrs  r2, p0
  uxth  r3, r0
  cmp   r2, r3
  bne   9f
  add   r3, r0, #3
#endif
  add   r3, r0, #3
  add   r2, r0, #2
  subs  r1, r1, #1
  bne   1b
  movs  r0, #0
  b     8f
9:
  movs  r0, #1
8:
  pop   {r2, r3}
  vmsr  fpscr, r2
  vpop  {s16-s31}
  pop   {r4-r11, pc}
  .size tp_torture_round, . - tp_torture_round
