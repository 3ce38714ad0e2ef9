// drivers/arc_runtime/libgcc_em.cc with its helpers renamed arc_* (see soft_helpers_test.cc).
#define TP_HELPER(name) arc_##name
#include "../../arch/arc_em/runtime/libgcc_em.cc"
