# Xtensa LX (the ESP32's LX6 cores) running LX106 call0 code: Debian's
# gcc-xtensa-lx106 (the ESP8266 core), whose instructions the LX6 also has;
# neither register windows nor the FPU are used (cmake/toolchain-xtensa.cmake).
set(TP_CPU_KIND xtensa)
set(TP_CPU_TOOLCHAIN toolchain-xtensa.cmake)
set(TP_CPU_FLAGS -mlongcalls -mtext-section-literals)
set(TP_CPU_KERNEL_BACKEND reference)
# Start-up, the libgcc helpers the package lacks, the C++ ABI symbols and
# header shims (arch/cxx_shims; the toolchain file puts its include/ first).
set(TP_CPU_SOURCES ${CMAKE_CURRENT_LIST_DIR}/startup.cc ${CMAKE_CURRENT_LIST_DIR}/../common/soft_helpers.cc
    ${CMAKE_CURRENT_LIST_DIR}/../cxx_shims/cxxabi.cc)
set(TP_CPU_INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/../common)
