# Cross toolchain: Debian's gcc-arm-none-eabi (arm-none-eabi-gcc 12).
# C library: picolibc (Debian picolibc-arm-none-eabi) by default,
# newlib-nano (Debian libnewlib-arm-none-eabi) with -DLIBC=newlib.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

find_program(CMAKE_C_COMPILER arm-none-eabi-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER arm-none-eabi-g++ REQUIRED)
find_program(CMAKE_ASM_COMPILER arm-none-eabi-gcc REQUIRED)
find_program(TP_OBJCOPY arm-none-eabi-objcopy REQUIRED)
find_program(TP_SIZE arm-none-eabi-size REQUIRED)

set(LIBC "picolibc" CACHE STRING "C library: picolibc or newlib (newlib-nano)")
set_property(CACHE LIBC PROPERTY STRINGS picolibc newlib)
if(LIBC STREQUAL "picolibc")
  set(_tp_libc_flags "--specs=picolibc.specs")
  set(_tp_libc_link "")
elseif(LIBC STREQUAL "newlib")
  set(_tp_libc_flags "--specs=nano.specs")
  set(_tp_libc_link "--specs=nosys.specs")
else()
  message(FATAL_ERROR "LIBC must be picolibc or newlib, not '${LIBC}'")
endif()

set(CMAKE_C_FLAGS_INIT "${_tp_libc_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_tp_libc_flags}")
set(CMAKE_ASM_FLAGS_INIT "${_tp_libc_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_tp_libc_link} -nostartfiles")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
