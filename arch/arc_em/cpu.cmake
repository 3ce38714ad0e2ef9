# Synopsys ARCv2 EM (the Himax WE-I Plus's EM9D). Debian's ARC compiler is a
# Linux one (arc-linux-gnu), used freestanding (cmake/toolchain-arc.cmake):
# the C library functions come from runtime/runtime.cc, the libgcc helpers
# from arch/common/soft_helpers.cc (Debian's ARC libgcc is ARC HS code).
set(TP_CPU_KIND arc)
set(TP_CPU_TOOLCHAIN toolchain-arc.cmake)
# ARC EM with code density, single-precision FPU and double assist: the EM9D
# of the WE-I Plus has the FPU; -mcpu=em4_fpuda adds no DSP (XY) instructions,
# so the portable kernels run as plain C++ (zero-overhead loops included).
set(TP_CPU_FLAGS -mcpu=em4_fpuda -mlittle-endian)
set(TP_CPU_KERNEL_BACKEND reference)
set(TP_CPU_SOURCES ${CMAKE_CURRENT_LIST_DIR}/startup.cc ${CMAKE_CURRENT_LIST_DIR}/runtime/runtime.cc
    ${CMAKE_CURRENT_LIST_DIR}/../common/soft_helpers.cc ${CMAKE_CURRENT_LIST_DIR}/../common/fault_output.cc)
set(TP_CPU_INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/../common)
# memcpy & co must not become calls to themselves.
set(TP_CPU_SOURCE_OPTIONS -fno-builtin -fno-tree-loop-distribute-patterns)
