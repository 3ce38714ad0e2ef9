/* insn_mix: a QEMU TCG plugin counting the executed Arm M-profile (Thumb)
 * instructions by timing class, for `./tinyperf perf --estimate` (the cycle
 * estimate of the real boards, tools/tinyperf_cli/estimate.py).
 *
 *   qemu-system-arm ... -plugin file=libtinyperf_insn_mix.so,out=FILE[,mark=0xADDR]
 *
 * Counts (classes of thumb_class.h plus): insns, insns32, ldm_regs, stm_regs,
 * fp_ldm_words, fp_stm_words, flow (instructions that may write the pc),
 * taken (those after which the next block did not start at the fall-through
 * address), code_reads / code_read_bytes (data reads below 0x20000000, the
 * Code region: flash on the real boards), data_reads (all data reads).
 *
 * Each execution of the instruction at `mark` (the entry of the firmware's
 * timestamp function) appends one line "mark <n> name=value ..." with the
 * running totals to FILE and flushes it; the differences between two marks
 * are the counts between two `m-lap-us` timestamps. At exit one line
 * "exit name=value ...".
 *
 * QEMU 7.2 (Debian bookworm) ships no qemu-plugin.h: the documented plugin
 * API (QEMU_PLUGIN_VERSION 1) the plugins use is declared in qemu_plugin_api.h.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thumb_class.h"

#include "plugin_args.h"
#include "qemu_plugin_api.h"

EXPORT int qemu_plugin_version = 1;

/* ---- counters (one vCPU: the M-profile machines have one) ---------------- */
enum {
  X_INSNS = TP_N_CLASSES, X_INSNS32, X_LDM_REGS, X_STM_REGS, X_FP_LDM_WORDS, X_FP_STM_WORDS, X_FLOW, X_TAKEN,
  X_CODE_READS, X_CODE_READ_BYTES, X_DATA_READS, X_N
};
static const char* const kNames[X_N] = {TP_CLASS_NAMES, "insns", "insns32", "ldm_regs", "stm_regs",
                                        "fp_ldm_words", "fp_stm_words", "flow", "taken", "code_reads",
                                        "code_read_bytes", "data_reads"};
static uint64_t counts[X_N];
static uint64_t pending_fallthrough; /* nonzero: a flow instruction ran; its fall-through address */
static uint64_t mark_addr;
static uint64_t marks;
static FILE* out;
static const uint64_t kCodeRegionEnd = 0x20000000u; /* Armv7-M/v8-M memory map: Code region */

static void emit(const char* head) {
  char line[2048];
  size_t n = (size_t)snprintf(line, sizeof line, "%s", head);
  for (int i = 0; i < X_N && n < sizeof line; ++i)
    n += (size_t)snprintf(line + n, sizeof line - n, " %s=%" PRIu64, kNames[i], counts[i]);
  if (n < sizeof line) snprintf(line + n, sizeof line - n, "\n");
  if (out) {
    fputs(line, out);
    fflush(out);
  } else {
    qemu_plugin_outs(line);
  }
}

static void on_tb_exec(unsigned int vcpu, void* udata) {
  (void)vcpu;
  if (pending_fallthrough) {
    if ((uint64_t)(uintptr_t)udata != pending_fallthrough) ++counts[X_TAKEN];
    pending_fallthrough = 0;
  }
}

static void on_flow_exec(unsigned int vcpu, void* udata) {
  (void)vcpu;
  pending_fallthrough = (uint64_t)(uintptr_t)udata;
}

static void on_mark(unsigned int vcpu, void* udata) {
  (void)vcpu;
  (void)udata;
  char head[32];
  snprintf(head, sizeof head, "mark %" PRIu64, marks++);
  emit(head);
}

static void on_read(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void* udata) {
  (void)vcpu;
  (void)udata;
  if (qemu_plugin_mem_is_store(info)) return;
  ++counts[X_DATA_READS];
  if (vaddr < kCodeRegionEnd) {
    ++counts[X_CODE_READS];
    counts[X_CODE_READ_BYTES] += 1u << qemu_plugin_mem_size_shift(info);
  }
}

static void add_inline(struct qemu_plugin_insn* insn, int counter, uint64_t n) {
  if (n) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &counts[counter], n);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  const size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS,
                                       (void*)(uintptr_t)qemu_plugin_tb_vaddr(tb));
  struct tp_insn_class prev = {0};
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    const uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
    uint8_t bytes[4] = {0};
    const size_t size = qemu_plugin_insn_size(insn);
    memcpy(bytes, qemu_plugin_insn_data(insn), size < 4 ? size : 4);
    struct tp_insn_class c = tp_classify(bytes);
    if (mark_addr && vaddr == mark_addr)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
    /* Cortex-M4: a single load right after a single load pipelines unless its
     * address uses that load's result. */
    if (c.cls == TP_LOAD && i > 0 && prev.single_load && !(c.addr_regs & (1u << prev.rt))) c.cls = TP_LOAD_PIPE;
    add_inline(insn, c.cls, 1);
    add_inline(insn, X_INSNS, 1);
    if (c.size == 4) add_inline(insn, X_INSNS32, 1);
    if (c.cls == TP_LDM) add_inline(insn, X_LDM_REGS, c.regs);
    if (c.cls == TP_STM) add_inline(insn, X_STM_REGS, c.regs);
    if (c.cls == TP_FP_LDM) add_inline(insn, X_FP_LDM_WORDS, c.regs);
    if (c.cls == TP_FP_STM) add_inline(insn, X_FP_STM_WORDS, c.regs);
    if (c.writes_pc) {
      add_inline(insn, X_FLOW, 1);
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_flow_exec, QEMU_PLUGIN_CB_NO_REGS,
                                             (void*)(uintptr_t)(vaddr + size));
    }
    /* Loads only; QEMU 7.2 calls back for them when asked for reads and
     * writes (MEM_R alone gave none), so the callback skips stores. */
    if (c.reads_mem)
      qemu_plugin_register_vcpu_mem_cb(insn, on_read, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
    prev = c;
  }
}

static void on_qemu_exit(qemu_plugin_id_t id, void* udata) {
  (void)id;
  (void)udata;
  emit("exit");
  if (out) fclose(out);
  out = NULL;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc, char** argv) {
  if (!info->target_name || strcmp(info->target_name, "arm") != 0) {
    fprintf(stderr, "insn_mix: an Arm (qemu-system-arm) plugin, not for %s\n",
            info->target_name ? info->target_name : "?");
    return -1;
  }
  if (tp_plugin_args("insn_mix", argc, argv, &out, &mark_addr) != 0) return -1;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  return 0;
}
