/* Classifies one ARMv7-M / ARMv8.1-M Thumb instruction for the instruction-mix
 * plugin (insn_mix.c): its timing class on a Cortex-M4, the registers an
 * LDM/STM-type instruction moves, whether it can write the PC, and what the
 * load-pipelining rule needs (destination and address registers of a single
 * load/store).
 *
 * Decoded from the encoding tables of the ARMv7-M Architecture Reference
 * Manual (A5.2 16-bit, A5.3 32-bit, A6 floating-point), written for this
 * project. MVE (Helium) and the v8.1-M low-overhead branches are recognised
 * coarsely (one class each); IT blocks are not followed: an instruction whose
 * condition fails is counted as executed.
 */
#ifndef TP_THUMB_CLASS_H
#define TP_THUMB_CLASS_H

#include <stdint.h>

/* Keep in the order of TP_CLASS_NAMES. */
enum tp_class {
  TP_ALU,        /* data processing, shifts, extends, DSP/SIMD byte and halfword ops, hints */
  TP_IT,         /* IT */
  TP_LOAD,       /* LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX, not pipelined with the one before */
  TP_LOAD_PIPE,  /* a single load right after a single load whose result it does not address with */
  TP_STORE,      /* STR/STRB/STRH/STREX */
  TP_LDRD,       /* LDRD */
  TP_STRD,       /* STRD */
  TP_LDM,        /* LDM/POP (registers: TP_X_LDM_REGS) */
  TP_STM,        /* STM/PUSH (registers: TP_X_STM_REGS) */
  TP_LOAD_PC,    /* LDR pc, ... */
  TP_TB,         /* TBB/TBH */
  TP_MUL,        /* 32-bit result multiplies and MACs: MUL MLA MLS SMUL* SMLA* SMUAD SMLAD* SMMUL SMMLA* USAD8 ... */
  TP_MUL_LONG,   /* 64-bit result: SMULL UMULL SMLAL UMLAL SMLAL<x><y> SMLALD SMLSLD UMAAL */
  TP_DIV,        /* SDIV UDIV */
  TP_BRANCH,     /* B B<c> BL BX BLX CBZ CBNZ, MOV/ADD pc */
  TP_LOB,        /* v8.1-M low-overhead loop instructions: WLS DLS LE LETP ... */
  TP_FP_ALU,     /* VADD VSUB VMUL VNMUL VABS VNEG VCMP VCVT VMOV VMRS VMSR ... */
  TP_FP_MAC,     /* VMLA VMLS VNMLA VNMLS VFMA VFMS VFNMA VFNMS */
  TP_FP_DIV,     /* VDIV VSQRT */
  TP_FP_LOAD,    /* VLDR */
  TP_FP_STORE,   /* VSTR */
  TP_FP_LDM,     /* VLDM/VPOP (words: TP_X_FP_LDM_WORDS) */
  TP_FP_STM,     /* VSTM/VPUSH (words: TP_X_FP_STM_WORDS) */
  TP_MVE,        /* M-profile vector extension (Helium), any */
  TP_SYSTEM,     /* MSR MRS CPS barriers SVC BKPT WFI WFE UDF */
  TP_N_CLASSES
};

#define TP_CLASS_NAMES                                                                    \
  "alu", "it", "load", "load_pipelined", "store", "ldrd", "strd", "ldm", "stm", "load_pc", \
      "tbb_tbh", "mul", "mul_long", "div", "branch", "lob", "fp_alu", "fp_mac", "fp_div",   \
      "fp_load", "fp_store", "fp_ldm", "fp_stm", "mve", "system"

struct tp_insn_class {
  uint8_t cls;         /* enum tp_class */
  uint8_t regs;        /* LDM/STM: registers; VLDM/VSTM: 32-bit words */
  uint8_t writes_pc;   /* may change the flow (branches, pops and loads of pc, TBB/TBH, LOB) */
  uint8_t single_load; /* LDR-type single load (a candidate to pipeline the next load) */
  uint8_t single_ldst; /* single load or store (LDR/STR families, LDREX/STREX) */
  uint8_t rt;          /* single load: destination register */
  uint16_t addr_regs;  /* single load/store: mask of registers forming the address */
  uint8_t reads_mem;   /* reads data memory (loads of any kind, TBB/TBH) */
  uint8_t size;        /* 2 or 4 bytes */
};

static inline unsigned tp_popcount16(unsigned v) {
  unsigned n = 0;
  for (v &= 0xFFFFu; v; v &= v - 1) ++n;
  return n;
}

static inline void tp_single(struct tp_insn_class* c, int load, unsigned rt, unsigned rn, int rm) {
  c->cls = load ? TP_LOAD : TP_STORE;
  c->single_ldst = 1;
  c->single_load = (uint8_t)load;
  c->reads_mem = (uint8_t)load;
  c->rt = (uint8_t)rt;
  c->addr_regs = (uint16_t)(1u << rn);
  if (rm >= 0) c->addr_regs |= (uint16_t)(1u << rm);
  if (load && rt == 15) {
    c->cls = TP_LOAD_PC;
    c->writes_pc = 1;
    c->single_load = 0;
    c->single_ldst = 0;
  }
}

static inline void tp_classify_coproc(struct tp_insn_class* c, unsigned hw1, unsigned hw2) {
  const unsigned coproc = (hw2 >> 8) & 0xFu;
  if ((hw1 & 0xEF00u) == 0xEF00u || (coproc != 9 && coproc != 10 && coproc != 11)) {
    c->cls = TP_MVE; /* vector data processing (0xEF/0xFF) or a non-FP coprocessor number */
    if ((hw1 & 0xEE00u) == 0xEC00u && (hw1 & 0x10u)) c->reads_mem = 1; /* load-type space */
    return;
  }
  if ((hw1 & 0xEE00u) == 0xEC00u) { /* extension register load/store, 64-bit transfers */
    if ((hw1 & 0xEFE0u) == 0xEC40u) {
      c->cls = TP_FP_ALU; /* VMOV two core registers */
    } else if ((hw1 & 0xEF20u) == 0xED00u) {
      const int load = (hw1 >> 4) & 1u;
      c->cls = load ? TP_FP_LOAD : TP_FP_STORE; /* VLDR / VSTR */
      c->reads_mem = (uint8_t)load;
    } else {
      const int load = (hw1 >> 4) & 1u;
      c->cls = load ? TP_FP_LDM : TP_FP_STM; /* VLDM/VSTM/VPUSH/VPOP: imm8 = words */
      c->regs = (uint8_t)(hw2 & 0xFFu);
      c->reads_mem = (uint8_t)load;
    }
    return;
  }
  /* 0xEE / 0xFE: data processing (bit 4 of hw2 clear) or core register transfers */
  if (hw2 & 0x10u) {
    c->cls = TP_FP_ALU; /* VMOV core <-> S, VMRS, VMSR */
    return;
  }
  const unsigned opc1 = (hw1 >> 4) & 0xBu;
  switch (opc1) {
    case 0x0: case 0x1: case 0x9: case 0xA:
      c->cls = TP_FP_MAC; /* VMLA VMLS, VNMLA VNMLS, VFNMA VFNMS, VFMA VFMS */
      break;
    case 0x8:
      c->cls = TP_FP_DIV; /* VDIV */
      break;
    case 0xB: {
      const unsigned opc2 = hw1 & 0xFu, opc3 = (hw2 >> 6) & 3u;
      c->cls = (opc2 == 1 && opc3 == 3) ? TP_FP_DIV : TP_FP_ALU; /* VSQRT, else VMOV imm/reg, VABS, VNEG, VCMP, VCVT */
      break;
    }
    default:
      c->cls = TP_FP_ALU; /* VMUL VNMUL VADD VSUB */
  }
}

/* b: the instruction's bytes as fetched (little-endian halfwords). */
static inline struct tp_insn_class tp_classify(const uint8_t* b) {
  struct tp_insn_class c = {0};
  const unsigned hw1 = (unsigned)b[0] | ((unsigned)b[1] << 8);
  c.cls = TP_ALU;
  if ((hw1 >> 11) >= 0x1D) { /* 32-bit */
    const unsigned hw2 = (unsigned)b[2] | ((unsigned)b[3] << 8);
    const unsigned op1 = (hw1 >> 11) & 3u, op2 = (hw1 >> 4) & 0x7Fu;
    c.size = 4;
    if (op1 == 1) {
      if ((op2 & 0x64u) == 0x00u) { /* load/store multiple, SRS, RFE */
        const unsigned kind = (hw1 >> 7) & 3u;
        if (kind == 1 || kind == 2) {
          const int load = (hw1 >> 4) & 1u;
          c.cls = load ? TP_LDM : TP_STM;
          c.regs = (uint8_t)tp_popcount16(hw2);
          c.reads_mem = (uint8_t)load;
          c.writes_pc = (uint8_t)(load && (hw2 & 0x8000u));
        } else {
          c.cls = TP_SYSTEM;
        }
      } else if ((op2 & 0x64u) == 0x04u) { /* dual, exclusive, table branch */
        const unsigned t = hw1 & 0xFFF0u;
        if (t == 0xE840u) {
          tp_single(&c, 0, hw2 >> 12, hw1 & 0xFu, -1); /* STREX */
        } else if (t == 0xE850u) {
          tp_single(&c, 1, hw2 >> 12, hw1 & 0xFu, -1); /* LDREX */
        } else if (t == 0xE8C0u) {
          tp_single(&c, 0, hw2 >> 12, hw1 & 0xFu, -1); /* STREXB/H/D */
        } else if (t == 0xE8D0u && ((hw2 >> 4) & 0xFu) <= 1u) {
          c.cls = TP_TB; /* TBB/TBH */
          c.writes_pc = 1;
          c.reads_mem = 1;
        } else if (t == 0xE8D0u) {
          tp_single(&c, 1, hw2 >> 12, hw1 & 0xFu, -1); /* LDREXB/H/D */
        } else {
          const int load = (hw1 >> 4) & 1u;
          c.cls = load ? TP_LDRD : TP_STRD;
          c.reads_mem = (uint8_t)load;
        }
      } else if ((op2 & 0x60u) == 0x20u) {
        c.cls = TP_ALU; /* data processing, shifted register */
      } else {
        tp_classify_coproc(&c, hw1, hw2);
      }
    } else if (op1 == 2) {
      if (!(hw2 & 0x8000u)) {
        c.cls = TP_ALU; /* data processing, immediate */
      } else {
        const unsigned k = (hw2 >> 12) & 7u;
        if ((k & 5u) == 0u) {
          if ((op2 & 0x38u) != 0x38u) {
            c.cls = TP_BRANCH; /* B<c>.W */
            c.writes_pc = 1;
          } else if ((hw1 & 0xFFF0u) == 0xF3A0u && (hw2 & 0x07FFu) == 0u) {
            c.cls = TP_ALU; /* NOP.W */
          } else {
            c.cls = TP_SYSTEM; /* MSR MRS barriers hints UDF.W */
          }
        } else if ((k & 5u) == 1u || (k & 5u) == 5u) {
          c.cls = TP_BRANCH; /* B.W, BL */
          c.writes_pc = 1;
        } else {
          c.cls = TP_LOB; /* v8.1-M WLS DLS LE LETP LCTP (undefined on v7-M) */
          c.writes_pc = 1;
        }
      }
    } else { /* op1 == 3 */
      const unsigned rn = hw1 & 0xFu, rt = hw2 >> 12;
      const int reg_form = !(hw1 & 0x80u) && (hw2 & 0x0FC0u) == 0u && rn != 15;
      if ((op2 & 0x71u) == 0x00u) {
        tp_single(&c, 0, rt, rn, reg_form ? (int)(hw2 & 0xFu) : -1); /* STR/STRB/STRH */
      } else if ((op2 & 0x67u) == 0x01u || (op2 & 0x67u) == 0x03u) {
        if (rt == 15)
          c.cls = TP_ALU; /* PLD / PLI / unallocated hints */
        else
          tp_single(&c, 1, rt, rn, reg_form ? (int)(hw2 & 0xFu) : -1); /* LDRB LDRSB LDRH LDRSH */
      } else if ((op2 & 0x67u) == 0x05u) {
        tp_single(&c, 1, rt, rn, reg_form ? (int)(hw2 & 0xFu) : -1); /* LDR (pc: TP_LOAD_PC) */
      } else if ((op2 & 0x70u) == 0x20u) {
        c.cls = TP_ALU; /* data processing, register (incl. parallel add/sub, extends) */
      } else if ((op2 & 0x78u) == 0x30u) {
        c.cls = TP_MUL;
      } else if ((op2 & 0x78u) == 0x38u) {
        const unsigned o1 = (hw1 >> 4) & 7u, o2 = (hw2 >> 4) & 0xFu;
        c.cls = ((o1 == 1 || o1 == 3) && o2 == 0xFu) ? TP_DIV : TP_MUL_LONG;
      } else if (op2 & 0x40u) {
        tp_classify_coproc(&c, hw1, hw2);
      } else {
        c.cls = TP_SYSTEM; /* undefined */
      }
    }
    return c;
  }
  /* 16-bit */
  c.size = 2;
  if ((hw1 >> 14) == 0u) {
    c.cls = TP_ALU; /* shift, add, subtract, move, compare */
  } else if ((hw1 >> 10) == 0x10u) {
    c.cls = (hw1 & 0xFFC0u) == 0x4340u ? TP_MUL : TP_ALU; /* MULS, else data processing */
  } else if ((hw1 >> 10) == 0x11u) { /* special data, BX, BLX */
    const unsigned op = (hw1 >> 8) & 3u, rd = ((hw1 >> 4) & 8u) | (hw1 & 7u);
    if (op == 3u || ((op == 0u || op == 2u) && rd == 15u)) {
      c.cls = TP_BRANCH;
      c.writes_pc = 1;
    }
  } else if ((hw1 >> 11) == 0x09u) {
    tp_single(&c, 1, (hw1 >> 8) & 7u, 15, -1); /* LDR literal */
  } else if ((hw1 >> 12) == 0x5u) {
    const unsigned opb = (hw1 >> 9) & 7u;
    tp_single(&c, opb >= 3u, hw1 & 7u, (hw1 >> 3) & 7u, (int)((hw1 >> 6) & 7u));
  } else if ((hw1 >> 13) == 0x3u || (hw1 >> 12) == 0x8u) {
    tp_single(&c, (hw1 >> 11) & 1u, hw1 & 7u, (hw1 >> 3) & 7u, -1); /* imm offset: word, byte, half */
  } else if ((hw1 >> 12) == 0x9u) {
    tp_single(&c, (hw1 >> 11) & 1u, (hw1 >> 8) & 7u, 13, -1); /* SP-relative */
  } else if ((hw1 >> 12) == 0xAu) {
    c.cls = TP_ALU; /* ADR, ADD SP */
  } else if ((hw1 >> 12) == 0xBu) {
    if ((hw1 & 0xF500u) == 0xB100u) {
      c.cls = TP_BRANCH; /* CBZ CBNZ */
      c.writes_pc = 1;
    } else if ((hw1 & 0xFE00u) == 0xB400u) {
      c.cls = TP_STM; /* PUSH */
      c.regs = (uint8_t)tp_popcount16(hw1 & 0x1FFu);
    } else if ((hw1 & 0xFE00u) == 0xBC00u) {
      c.cls = TP_LDM; /* POP */
      c.regs = (uint8_t)tp_popcount16(hw1 & 0x1FFu);
      c.reads_mem = 1;
      c.writes_pc = (uint8_t)((hw1 >> 8) & 1u);
    } else if ((hw1 & 0xFF00u) == 0xBF00u) {
      if (hw1 & 0xFu)
        c.cls = TP_IT;
      else
        c.cls = ((hw1 >> 4) & 0xFu) == 0u ? TP_ALU : TP_SYSTEM; /* NOP; YIELD WFE WFI SEV */
    } else if ((hw1 & 0xFF00u) == 0xBE00u || (hw1 & 0xFFE8u) == 0xB660u) {
      c.cls = TP_SYSTEM; /* BKPT, CPS */
    } else {
      c.cls = TP_ALU; /* ADD/SUB SP, extends, REV */
    }
  } else if ((hw1 >> 12) == 0xCu) {
    const int load = (hw1 >> 11) & 1u;
    c.cls = load ? TP_LDM : TP_STM;
    c.regs = (uint8_t)tp_popcount16(hw1 & 0xFFu);
    c.reads_mem = (uint8_t)load;
  } else if ((hw1 >> 12) == 0xDu) {
    const unsigned cond = (hw1 >> 8) & 0xFu;
    if (cond >= 0xEu) {
      c.cls = TP_SYSTEM; /* UDF, SVC */
    } else {
      c.cls = TP_BRANCH;
      c.writes_pc = 1;
    }
  } else { /* 11100: B */
    c.cls = TP_BRANCH;
    c.writes_pc = 1;
  }
  return c;
}

#endif /* TP_THUMB_CLASS_H */
