// The one-line fault report every CPU's fault handler writes before it halts:
//   e-[fault <name>=0x<hex> <name>=0x<hex> ... halted]
// polled, character by character, through the output the board set (its
// console's raw put); nothing is written before a board sets one.
#pragma once

#include <cstdint>

namespace tp::arch {

struct FaultField {
  const char* name;
  uint32_t value;
};

// Where fault reports go (a board calls its CPU's set_fault_output).
void set_fault_output(void (*put)(char c));
// Writes "\r\ne-[fault name=0x... name=0x... halted]\r\n"; with a thread
// (the kernel's running thread), "e-[fault thread=<name> name=0x...".
void write_fault_report(const FaultField* fields, int count, const char* thread = nullptr);
// Writes text as it is (the kernel's fatal line).
void write_fault_text(const char* s);

}  // namespace tp::arch
