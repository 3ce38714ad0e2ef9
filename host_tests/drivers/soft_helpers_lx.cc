// drivers/xtensa_runtime/libgcc_lx106.cc with its helpers renamed lx_* (see soft_helpers_test.cc).
#define TP_HELPER(name) lx_##name
#include "../../arch/xtensa_lx/runtime/libgcc_lx106.cc"
