# cmake -DROOT=<repo> -DBOARD=<board> -DWORK=<dir> -P overflow_check.cmake
# Links a stand-in image with the board's memory.ld (and linker/common.ld)
# that is 4 KB too big for the application flash, then one whose .bss is
# 4 KB too big for the RAM, and checks that the link fails with the board's
# own message naming the limit (the size in the message must be the region's
# LENGTH, so the two cannot drift apart).
find_program(CC arm-none-eabi-gcc REQUIRED)
file(MAKE_DIRECTORY ${WORK})
file(READ ${ROOT}/boards/${BOARD}/memory.ld _ld)

# Region sizes from memory.ld: the one holding the vector table (flash) and
# the one aliased as RAM.
string(REGEX MATCH "__tp_vector_table = ORIGIN\\(([A-Z0-9_]+)\\)" _ ${_ld})
set(_flash ${CMAKE_MATCH_1})
string(REGEX MATCH "REGION_ALIAS\\(\"RAM\", ([A-Z0-9_]+)\\)" _ ${_ld})
set(_ram ${CMAKE_MATCH_1})
foreach(_r ${_flash} ${_ram})
  string(REGEX MATCH "${_r} *\\([a-z]+\\) *: *ORIGIN = 0x[0-9A-Fa-f]+, LENGTH = ([0-9]+)K" _ ${_ld})
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "no LENGTH for region ${_r} in boards/${BOARD}/memory.ld")
  endif()
  set(_kb_${_r} ${CMAKE_MATCH_1})
  math(EXPR _len_${_r} "${CMAKE_MATCH_1} * 1024")
endforeach()

function(link_expect_failure name source expect)
  file(WRITE ${WORK}/${name}.c "${source}")
  execute_process(COMMAND ${CC} -mcpu=cortex-m4 -mthumb -nostdlib -nostartfiles
                          -L${ROOT}/linker -T${ROOT}/boards/${BOARD}/memory.ld
                          ${WORK}/${name}.c -o ${WORK}/${name}.elf
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${name}: the link succeeded although the image does not fit")
  endif()
  if(NOT "${out}${err}" MATCHES "${expect}")
    message(FATAL_ERROR "${name}: no message matching '${expect}' in:\n${out}${err}")
  endif()
  message(STATUS "${name}: the link fails with: ${CMAKE_MATCH_0}")
endfunction()

math(EXPR _too_big_flash "${_len_${_flash}} + 4096")
link_expect_failure(flash_overflow
  "__attribute__((used)) const unsigned char big[${_too_big_flash}] = {1};\nvoid Reset_Handler(void) { for (;;) {} }\n"
  "${BOARD}: the image does not fit the ${_kb_${_flash}} KB[^\n]*")
math(EXPR _too_big_ram "${_len_${_ram}} + 4096")
link_expect_failure(ram_overflow
  "__attribute__((used)) unsigned char big[${_too_big_ram}];\nvoid Reset_Handler(void) { for (;;) {} }\n"
  "${BOARD}: data, bss and the stack do not fit the ${_kb_${_ram}} KB[^\n]*")

# A board whose flashing flow carries less than its flash region declares
# `__tp_image_limit = <bytes>;` in memory.ld with an ASSERT of its own (the
# SparkFun Edge: the Ambiq bootloader's wired update). An image just over the
# limit must fail with the board's message; one 4 KB under it must link.
string(REGEX MATCH "__tp_image_limit = ([0-9]+)" _ "${_ld}")
if(CMAKE_MATCH_1)
  set(_limit ${CMAKE_MATCH_1})
  math(EXPR _over "${_limit} + 64")
  link_expect_failure(image_limit
    "__attribute__((used)) const unsigned char big[${_over}] = {1};\nvoid Reset_Handler(void) { for (;;) {} }\n"
    "${BOARD}: the image is larger than [0-9,]+ bytes[^\n]*")
  math(EXPR _under "${_limit} - 4096")
  file(WRITE ${WORK}/image_under_limit.c
       "__attribute__((used)) const unsigned char big[${_under}] = {1};\nvoid Reset_Handler(void) { for (;;) {} }\n")
  execute_process(COMMAND ${CC} -mcpu=cortex-m4 -mthumb -nostdlib -nostartfiles
                          -L${ROOT}/linker -T${ROOT}/boards/${BOARD}/memory.ld
                          ${WORK}/image_under_limit.c -o ${WORK}/image_under_limit.elf
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "image_under_limit: an image 4 KB under the ${_limit}-byte limit did not link:\n${out}${err}")
  endif()
  message(STATUS "image_under_limit: ${_under} bytes link; ${_over} do not (limit ${_limit})")
endif()
