# Cross toolchain for the ESP32 (Xtensa LX6): Debian's gcc-xtensa-lx106 (the
# ESP8266's LX106 core, call0 ABI, no FPU) with picolibc-xtensa-lx106-elf.
# The ESP32's cores execute this code: LX106's instruction options (core,
# 16/32-bit multiply, no windows, no FPU, no loops) are a subset of the
# ESP32's. Debian ships no C++ library for it: the four C wrapper headers
# the firmware includes come from drivers/cxx_shims.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

find_program(CMAKE_C_COMPILER xtensa-lx106-elf-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER xtensa-lx106-elf-g++ REQUIRED)
find_program(CMAKE_ASM_COMPILER xtensa-lx106-elf-gcc REQUIRED)
find_program(TP_OBJCOPY xtensa-lx106-elf-objcopy REQUIRED)
find_program(TP_SIZE xtensa-lx106-elf-size REQUIRED)

set(LIBC "picolibc" CACHE STRING "C library (Xtensa: picolibc)")
set(_tp_specs "--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs")
get_filename_component(_tp_shims "${CMAKE_CURRENT_LIST_DIR}/../arch/cxx_shims/include" ABSOLUTE)
set(CMAKE_C_FLAGS_INIT "${_tp_specs} -ffreestanding")
set(CMAKE_CXX_FLAGS_INIT "${_tp_specs} -ffreestanding -isystem ${_tp_shims}")
set(CMAKE_ASM_FLAGS_INIT "${_tp_specs}")
# No -lstdc++ (there is none): the C library and libgcc by name.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -nodefaultlibs")  # the specs come with CMAKE_CXX_FLAGS
set(CMAKE_CXX_STANDARD_LIBRARIES "-Wl,--start-group -lc -lgcc -Wl,--end-group")
set(CMAKE_C_STANDARD_LIBRARIES "-Wl,--start-group -lc -lgcc -Wl,--end-group")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
