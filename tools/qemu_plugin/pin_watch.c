/* pin_watch: a QEMU TCG plugin that watches a board's pins from outside the
 * DUT, as an interface board or a logic analyser would: it reports every
 * store to one device register (the MPS2/MPS3 FPGA I/O LED register, whose
 * bits are the boards' WW_DETECTED and PROCESSING pins) with the DUT's time
 * at that store.
 *
 *   qemu-system-arm ... -plugin file=libtinyperf_pin_watch.so,addr=0x40028000 -d plugin
 *       [-trace led_change_intensity] [-D LOGFILE]
 *
 * One line per store to `addr`, after the store has completed:
 *
 *   pin-store <n> vt_ns=<QEMU's virtual clock, ns> icount=<instructions executed>
 *
 * Under -icount shift=0 the virtual clock is the DUT's clock (its SysTick and
 * timers count it): one executed instruction is 1 ns, and a sleeping CPU
 * (WFI under sleep=off) jumps it to the next timer deadline; so vt_ns - icount
 * is the time the DUT slept. vt_ns is what an instrument on the pin would
 * time; icount is what the instructions alone account for.
 *
 * The lines go to QEMU's log (qemu_plugin_outs: give -d plugin), the stream
 * that -trace led_change_intensity writes to as well: the LED changes a store
 * made (QEMU's model of the register traces them during the store) come just
 * before its pin-store line, so the host pairs each change with its time. The
 * plugin does not see the value stored (QEMU 7.2's plugin API gives a
 * memory callback the address, not the data): the trace says which pin
 * moved and which way, the plugin when.
 *
 * Watched: single stores (STR, STRB, STRH, STRD and their exclusive forms:
 * how a driver writes a device register); STM/PUSH and FP stores are not.
 *
 * The time: QEMU 7.2's plugin API has no clock. Debian's qemu-system-arm
 * exports its internal symbols, among them qemu_clock_get_ns() and
 * icount_get_raw(); the plugin looks them up when it is loaded and, if they
 * are not there, says so and watches nothing (no pin-store lines: a host
 * then has the LED trace's edges without their times). Reading the clock in the memory callback of an I/O store
 * is allowed under -icount (the store ends its translation block, where QEMU
 * may do I/O and read the instruction counter).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thumb_class.h"

#include "qemu_plugin_api.h"

EXPORT int qemu_plugin_version = 1;

/* ---- QEMU internals it reads the time with (see above) -------------------- */
enum { kQemuClockVirtual = 1 }; /* QEMUClockType: QEMU_CLOCK_REALTIME 0, QEMU_CLOCK_VIRTUAL 1 */
static int64_t (*clock_get_ns)(int);
static int64_t (*icount_raw)(void);

static uint64_t watch_addr;
static uint64_t stores;

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void* udata) {
  (void)vcpu;
  (void)udata;
  if (vaddr != watch_addr || !qemu_plugin_mem_is_store(info)) return;
  char line[96];
  snprintf(line, sizeof line, "pin-store %" PRIu64 " vt_ns=%" PRId64 " icount=%" PRId64 "\n", stores++,
           clock_get_ns(kQemuClockVirtual), icount_raw());
  qemu_plugin_outs(line);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  const size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    uint8_t bytes[4] = {0};
    const size_t size = qemu_plugin_insn_size(insn);
    memcpy(bytes, qemu_plugin_insn_data(insn), size < 4 ? size : 4);
    const struct tp_insn_class c = tp_classify(bytes);
    /* Reads and writes asked for: QEMU 7.2 gave no callbacks for MEM_R alone
     * (insn_mix.c); the callback keeps the stores. */
    if (c.cls == TP_STORE || c.cls == TP_STRD)
      qemu_plugin_register_vcpu_mem_cb(insn, on_store, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
  }
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc, char** argv) {
  if (!info->target_name || strcmp(info->target_name, "arm") != 0) {
    fprintf(stderr, "pin_watch: an Arm (qemu-system-arm) plugin, not for %s\n",
            info->target_name ? info->target_name : "?");
    return -1;
  }
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "addr=", 5) == 0) {
      char* end = NULL;
      watch_addr = strtoull(argv[i] + 5, &end, 0);
      if (!end || *end || !watch_addr) {
        fprintf(stderr, "pin_watch: addr=%s is not an address\n", argv[i] + 5);
        return -1;
      }
    } else {
      fprintf(stderr, "pin_watch: unknown argument %s (addr=ADDRESS)\n", argv[i]);
      return -1;
    }
  }
  if (!watch_addr) {
    fprintf(stderr, "pin_watch: give addr=ADDRESS (the register to watch)\n");
    return -1;
  }
  *(void**)&clock_get_ns = dlsym(RTLD_DEFAULT, "qemu_clock_get_ns");
  *(void**)&icount_raw = dlsym(RTLD_DEFAULT, "icount_get_raw");
  if (!clock_get_ns || !icount_raw) {
    /* QEMU still runs, with no pin-store lines: the host counts the traced
     * edges without their times and says so. */
    fprintf(stderr, "pin_watch: this qemu-system-arm does not export qemu_clock_get_ns and "
                    "icount_get_raw (Debian 12's QEMU 7.2 does): no clock to time the pins with; "
                    "watching nothing\n");
    return 0;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  return 0;
}
