# The image: app entry + board binding + every layer, and for Arm boards the
# .bin/.hex, linker map and a size summary against the board's memories.
include(${CMAKE_CURRENT_LIST_DIR}/board_info.cmake)

function(tp_add_firmware name)
  add_executable(${name} ${TP_ROOT}/app/main.cc ${TP_BOARD_DIR}/board.cc)
  target_include_directories(${name} PRIVATE ${TP_ROOT}/boards/common)
  target_link_libraries(${name} PRIVATE tp_app tp_benchmarks tp_models tp_engine ${TP_DRIVER_LIBS} tp_arch)
  target_compile_options(${name} PRIVATE ${TP_WARNINGS})
  # The Cortex-M images run on the kernel (app/main.cc); the others (native,
  # ARC, Xtensa: no port runs the firmware there) keep the bare loop.
  if(TP_BOARD_KIND STREQUAL "arm")
    target_compile_definitions(${name} PRIVATE TP_FIRMWARE_ON_KERNEL=1)
    target_link_libraries(${name} PRIVATE tp_kernel)
    if(TP_BOARD_SWW_STREAM)  # board.cmake: an audio input for sww01 streaming (app/sww_stream)
      target_sources(${name} PRIVATE ${TP_ROOT}/app/sww_stream.cc)
      target_compile_definitions(${name} PRIVATE TP_SWW_STREAM=1)
      target_compile_definitions(tp_app PUBLIC TP_SWW_STREAM=1)  # the `start`/`stop` commands
    endif()
    # `serve` (app/serve.h): ~180 KB of RAM on the M4 (its arena pool, job
    # log and four stacks), so by default only where an emulator runs it.
    if(DEFINED TP_SERVE)
      set(_serve ${TP_SERVE})
    elseif(TP_BOARD_QEMU)
      set(_serve ON)
    else()
      set(_serve OFF)
    endif()
    if(_serve)
      target_sources(${name} PRIVATE ${TP_ROOT}/app/serve.cc)
      # Set-up and reporting, not a hot path: size over speed (-Os: 3 KB less flash).
      set_source_files_properties(${TP_ROOT}/app/serve.cc TARGET_DIRECTORY ${name} PROPERTIES COMPILE_OPTIONS -Os)
      target_compile_definitions(${name} PRIVATE TP_SERVE=1)
      # The scenarios' inputs: the models' golden pairs (cmake/serve_inputs.cmake).
      include(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/serve_inputs.cmake)
      tp_serve_inputs_source(_serve_inputs MODELS ${TP_MODELS})
      target_sources(${name} PRIVATE ${_serve_inputs})
      target_link_libraries(${name} PRIVATE tp_benchmarks)
    endif()
  elseif(TP_BOARD_KIND STREQUAL "host" AND (NOT DEFINED TP_SERVE OR TP_SERVE))
    # The native board keeps the bare loop; `serve` runs the kernel's host
    # port for the span of a run (app/serve.cc, TP_SERVE_HOST).
    include(${TP_ROOT}/boards/native/serve_m4.cmake)  # `serve clock m4`: the M4's instructions per layer
    tp_serve_m4_source(_serve_m4)
    include(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/serve_inputs.cmake)  # the scenarios' inputs, as above
    tp_serve_inputs_source(_serve_inputs MODELS ${TP_MODELS})
    target_sources(${name} PRIVATE ${TP_ROOT}/app/serve.cc ${_serve_m4} ${_serve_inputs})
    target_link_libraries(${name} PRIVATE tp_kernel)
    target_compile_definitions(${name} PRIVATE TP_SERVE=1 TP_SERVE_HOST=1)
  endif()
  if(TP_BOARD_KIND STREQUAL "host" AND TP_BOARD_SWW_STREAM)
    # The native board's sww01 streaming: app/sww_stream on the kernel's host
    # port for the span of each stream (app/sww_stream_native.h); a hop costs
    # the M4's measured instructions on its virtual clock (--audio-clock m4).
    set(_m4_json ${TP_ROOT}/boards/native/m4_layer_instructions.json)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_m4_json})
    file(READ ${_m4_json} _m4)
    string(JSON _hop GET "${_m4}" sww01_hop_instructions)
    target_sources(${name} PRIVATE ${TP_ROOT}/app/sww_stream.cc ${TP_ROOT}/app/sww_stream_native.cc)
    target_link_libraries(${name} PRIVATE tp_kernel)
    target_include_directories(${name} PRIVATE ${TP_BOARD_DIR})
    target_compile_definitions(${name} PRIVATE TP_SWW_STREAM=1 TP_SWW_STREAM_HOST=1
                               TP_SWW01_M4_HOP_INSTRUCTIONS=${_hop}u)
    target_compile_definitions(tp_app PUBLIC TP_SWW_STREAM=1)  # the `start`/`stop` commands
  endif()
  target_compile_definitions(${name} PRIVATE TP_DEFAULT_MODEL="${DEFAULT_MODEL}"
                             $<$<BOOL:${ENERGY_MODE}>:TP_ENERGY_MODE=1>)
  if(DEFINED TP_BOARD_CLOCK_HZ)
    target_compile_definitions(${name} PRIVATE TP_BOARD_CLOCK_HZ=${TP_BOARD_CLOCK_HZ}u)
  endif()
  # Console baud: 115200, 9600 in energy mode (through the energy monitor's
  # interface board), unless -DTP_CONSOLE_BAUD=<baud> says otherwise (the
  # upstream runner's devices_ad.yaml expects 921600 for ad01).
  if(TP_CONSOLE_BAUD)
    set(_baud ${TP_CONSOLE_BAUD})
  elseif(ENERGY_MODE)
    set(_baud 9600)
  else()
    set(_baud 115200)
  endif()
  target_compile_definitions(${name} PRIVATE TP_CONSOLE_BAUD=${_baud}u)
  if(ENERGY_MODE)
    target_compile_definitions(tp_app PUBLIC TP_ENERGY_MODE=1)
  endif()
  if(TP_FAULT_TEST)  # a test image with a `fault` command (host_tests/boot)
    target_compile_definitions(tp_app PRIVATE TP_FAULT_TEST=1)
  endif()

  if(ENERGY_MODE)
    set(_energy_json true)
  else()
    set(_energy_json false)
  endif()
  set(_qemu "")
  if(NOT TP_BOARD_KIND STREQUAL "host")  # arm, arc, xtensa: a linked ELF
    set_target_properties(${name} PROPERTIES SUFFIX ".elf")
    set(_elf ${CMAKE_BINARY_DIR}/${name}.elf)
    target_link_options(${name} PRIVATE
      -L${TP_ROOT}/linker -T${TP_BOARD_DIR}/${TP_BOARD_MEMORY_LD}
      -Wl,--gc-sections -Wl,-Map=${CMAKE_BINARY_DIR}/${name}.map
      -Wl,--print-memory-usage -Wl,--no-warn-rwx-segments)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
      ${TP_BOARD_DIR}/${TP_BOARD_MEMORY_LD} ${TP_ROOT}/linker/common.ld)
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND ${TP_OBJCOPY} -O binary ${_elf} ${CMAKE_BINARY_DIR}/${name}.bin
      COMMAND ${TP_OBJCOPY} -O ihex ${_elf} ${CMAKE_BINARY_DIR}/${name}.hex
      COMMAND ${TP_SIZE} ${_elf}
      VERBATIM)
    # A board whose boot ROM wants its own image format (ESP32) adds it here.
    if(TP_BOARD_IMAGE_COMMAND)
      string(REPLACE "@ELF@" "${_elf}" _img "${TP_BOARD_IMAGE_COMMAND}")
      string(REPLACE "@BINARY_DIR@" "${CMAKE_BINARY_DIR}" _img "${_img}")
      add_custom_command(TARGET ${name} POST_BUILD COMMAND ${_img} VERBATIM)
    endif()
    string(REPLACE "@ELF@" "${_elf}" _qemu "${TP_BOARD_QEMU}")
  else()
    set(_elf ${CMAKE_BINARY_DIR}/${name})
  endif()

  # What the front-door script needs to know about this build.
  set(_q "")
  foreach(_arg ${_qemu})
    string(APPEND _q "\"${_arg}\", ")
  endforeach()
  string(REGEX REPLACE ", $" "" _q "${_q}")
  tp_board_declared_json(_declared)  # board.cmake's clock, flash commands, ...
  file(WRITE ${CMAKE_BINARY_DIR}/board-info.json
"{\n  \"board\": \"${BOARD}\",\n  \"kind\": \"${TP_BOARD_KIND}\",\n  \"image\": \"${_elf}\",\n  \"libc\": \"${LIBC}\",\n  \"energy_mode\": ${_energy_json},\n  \"default_model\": \"${DEFAULT_MODEL}\",\n  \"console_baud\": ${_baud},\n  \"qemu\": [${_q}]${_declared}\n}\n")
endfunction()
