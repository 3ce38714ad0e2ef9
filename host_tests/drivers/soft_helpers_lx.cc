// arch/common/soft_helpers.cc as Xtensa LX106 builds it (no division
// instruction), its helpers renamed lx_* (see soft_helpers_test.cc).
#define TP_HELPER(name) lx_##name
#define TP_SOFT_HW_DIV32 0
#include "../../arch/common/soft_helpers.cc"
