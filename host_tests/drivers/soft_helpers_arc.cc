// drivers/arc_runtime/libgcc_em.cc with its helpers renamed arc_* (see soft_helpers_test.cc).
#define TP_HELPER(name) arc_##name
#include "../../drivers/arc_runtime/libgcc_em.cc"
