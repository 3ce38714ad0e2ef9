# Cross toolchain for Synopsys ARC EM cores: Debian's g++-12-arc-linux-gnu.
# It is a Linux toolchain; we use it freestanding: no C library, no crt
# files, no libstdc++. The few C library functions the firmware needs come
# from drivers/arc_runtime, and so do the libgcc helpers it needs: Debian's
# libgcc.a for this target is built for ARC HS (LL64, FPUD, DIV_REM objects
# that ld refuses to merge with EM objects), so it is not linked at all.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

find_program(CMAKE_C_COMPILER NAMES arc-linux-gnu-gcc-12 arc-linux-gnu-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES arc-linux-gnu-g++-12 arc-linux-gnu-g++ REQUIRED)
find_program(CMAKE_ASM_COMPILER NAMES arc-linux-gnu-gcc-12 arc-linux-gnu-gcc REQUIRED)
find_program(TP_OBJCOPY arc-linux-gnu-objcopy REQUIRED)
find_program(TP_SIZE arc-linux-gnu-size REQUIRED)
find_program(TP_OBJDUMP arc-linux-gnu-objdump)

# No C library on this target: "none" (the runtime is drivers/arc_runtime).
set(LIBC "none" CACHE STRING "C library (ARC: none, the project's arc_runtime)")

set(_tp_free "-ffreestanding -fno-builtin-printf -fno-pic -fno-pie -mno-sdata")
set(CMAKE_C_FLAGS_INIT "${_tp_free}")
set(CMAKE_CXX_FLAGS_INIT "${_tp_free}")
set(CMAKE_ASM_FLAGS_INIT "")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -static -no-pie")
set(CMAKE_CXX_STANDARD_LIBRARIES "")
set(CMAKE_C_STANDARD_LIBRARIES "")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
