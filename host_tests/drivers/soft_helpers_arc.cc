// arch/common/soft_helpers.cc as ARC EM builds it (hardware 32-bit division),
// its helpers renamed arc_* (see soft_helpers_test.cc).
#define TP_HELPER(name) arc_##name
#define TP_SOFT_HW_DIV32 1
#include "../../arch/common/soft_helpers.cc"
