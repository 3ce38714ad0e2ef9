/* pc_profile: a QEMU TCG plugin counting how often each instruction address
 * executes, for `./tinyperf perf --profile` (instructions per inference by
 * function: tools/tinyperf_cli/profile.py maps the addresses to the image's
 * symbols).
 *
 *   qemu-system-arm ... -plugin file=libtinyperf_pc_profile.so,out=FILE,mark=0xADDR
 *
 * Each execution of the instruction at `mark` (the entry of the firmware's
 * timestamp function, as for insn_mix) appends to FILE the line "mark <n>",
 * one line "<address in hex> <count>" per instruction address executed so far
 * (running totals, addresses in first-execution order), and the line "end";
 * the differences between two marks are the counts between two `m-lap-us`
 * timestamps. The mark is counted as insn_mix counts it (its callback is
 * registered before the count), so both plugins see the same window.
 *
 * Addresses live in a fixed open-addressing table (kSlots entries: far more
 * than the instructions of any image here); an address that finds no free
 * slot within kSlots / 2 probes is counted in one line "overflow <count>",
 * so that no instruction is lost from the totals.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_args.h"
#include "qemu_plugin_api.h"

EXPORT int qemu_plugin_version = 1;

enum { kSlots = 1 << 18 };
struct slot {
  uint64_t vaddr; /* 0: free (address 0 is the vector table, never executed) */
  uint64_t count;
};
static struct slot* slots;
static uint32_t* order; /* slot indices in first-translation order */
static uint32_t used;
static uint64_t overflow;
static uint64_t mark_addr;
static uint64_t marks;
static FILE* out;

static uint64_t* counter_for(uint64_t vaddr) {
  uint32_t i = (uint32_t)((vaddr >> 1) * 2654435761u) & (kSlots - 1);
  for (uint32_t probes = 0; probes < kSlots / 2; ++probes, i = (i + 1) & (kSlots - 1)) {
    if (slots[i].vaddr == vaddr) return &slots[i].count;
    if (slots[i].vaddr == 0) {
      slots[i].vaddr = vaddr;
      order[used++] = i;
      return &slots[i].count;
    }
  }
  return &overflow; /* table half full: count, but no longer by address */
}

static void on_mark(unsigned int vcpu, void* udata) {
  (void)vcpu;
  (void)udata;
  fprintf(out, "mark %" PRIu64 "\n", marks++);
  for (uint32_t k = 0; k < used; ++k) {
    const struct slot* s = &slots[order[k]];
    if (s->count) fprintf(out, "%" PRIx64 " %" PRIu64 "\n", s->vaddr, s->count);
  }
  if (overflow) fprintf(out, "overflow %" PRIu64 "\n", overflow);
  fputs("end\n", out);
  fflush(out);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  const size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    const uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
    if (mark_addr && vaddr == mark_addr)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, counter_for(vaddr), 1);
  }
}

static void on_qemu_exit(qemu_plugin_id_t id, void* udata) {
  (void)id;
  (void)udata;
  if (out) fclose(out);
  out = NULL;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc, char** argv) {
  if (!info->target_name || strcmp(info->target_name, "arm") != 0) {
    fprintf(stderr, "pc_profile: an Arm (qemu-system-arm) plugin, not for %s\n",
            info->target_name ? info->target_name : "?");
    return -1;
  }
  if (tp_plugin_args("pc_profile", argc, argv, &out, &mark_addr) != 0) return -1;
  if (!out || !mark_addr) {
    fprintf(stderr, "pc_profile: out=FILE and mark=ADDRESS are both needed\n");
    return -1;
  }
  slots = calloc(kSlots, sizeof *slots);
  order = calloc(kSlots, sizeof *order);
  if (!slots || !order) {
    fprintf(stderr, "pc_profile: out of memory\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  return 0;
}
