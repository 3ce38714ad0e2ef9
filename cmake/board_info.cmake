# What a board folder declares beyond the build itself, as JSON members for
# board-info.json (written by tp_add_firmware) and for the host tools:
#
#   TP_BOARD_CLOCK_HZ       core clock of the image, Hz ("clock_hz"; also
#                           passed to board.cc as TP_BOARD_CLOCK_HZ)
#   TP_BOARD_APP_ADDRESS    where the image's first byte goes ("app_address")
#   TP_BOARD_SERIAL_PORT    usual host device of the console or bootloader
#   TP_BOARD_FLASH_TOOLS    flashing tools, the default first ("flash_tools")
#   TP_BOARD_FLASH_<tool>   its command line: a list of arguments, "&&" between
#                           commands run in turn; placeholders @ELF@ @BIN@ @HEX@
#                           (the image), @PORT@ (serial port), @WORK@ (a scratch
#                           directory) and @NAME@ for any other NAME (taken from
#                           the environment variable TINYPERF_NAME)
#   TP_BOARD_FLASH_<tool>_NOTE  where the tool comes from
#
# As a script it prints one board's declarations without configuring a build:
#   cmake -DBOARD=<board> -P cmake/board_info.cmake

# A JSON string. Semicolons become \u003b so that no CMake list operation
# (nor execute_process below) can split the text.
function(_tp_json_string out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE ";" "\\u003b" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# Sets out to the JSON members (each line starting with ",\n  ") for the
# TP_BOARD_* variables above that are set.
function(tp_board_declared_json out)
  set(_j "")
  if(DEFINED TP_BOARD_CLOCK_HZ)
    if(NOT TP_BOARD_CLOCK_HZ MATCHES "^[0-9]+$")
      message(FATAL_ERROR "TP_BOARD_CLOCK_HZ must be a whole number of Hz, not '${TP_BOARD_CLOCK_HZ}'")
    endif()
    string(APPEND _j ",\n  \"clock_hz\": ${TP_BOARD_CLOCK_HZ}")
  endif()
  foreach(_key APP_ADDRESS SERIAL_PORT)
    if(DEFINED TP_BOARD_${_key})
      string(TOLOWER ${_key} _name)
      _tp_json_string(_v "${TP_BOARD_${_key}}")
      string(APPEND _j ",\n  \"${_name}\": ${_v}")
    endif()
  endforeach()
  if(DEFINED TP_BOARD_FLASH_TOOLS)
    set(_tools "")
    set(_flash "")
    foreach(_tool ${TP_BOARD_FLASH_TOOLS})
      if(NOT DEFINED TP_BOARD_FLASH_${_tool})
        message(FATAL_ERROR "Board ${BOARD} lists flash tool '${_tool}' but sets no TP_BOARD_FLASH_${_tool}")
      endif()
      _tp_json_string(_t "${_tool}")
      list(APPEND _tools "${_t}")
      set(_cmds "")
      set(_cmd "")
      foreach(_arg IN LISTS TP_BOARD_FLASH_${_tool})
        if(_arg STREQUAL "&&")
          string(JOIN ", " _c ${_cmd})
          list(APPEND _cmds "[${_c}]")
          set(_cmd "")
        else()
          _tp_json_string(_a "${_arg}")
          list(APPEND _cmd "${_a}")
        endif()
      endforeach()
      string(JOIN ", " _c ${_cmd})
      list(APPEND _cmds "[${_c}]")
      string(JOIN ",\n        " _cs ${_cmds})
      _tp_json_string(_note "${TP_BOARD_FLASH_${_tool}_NOTE}")
      list(APPEND _flash "${_t}: {\n      \"note\": ${_note},\n      \"commands\": [\n        ${_cs}]}")
    endforeach()
    string(JOIN ", " _tl ${_tools})
    string(JOIN ",\n    " _fl ${_flash})
    string(APPEND _j ",\n  \"flash_tools\": [${_tl}]")
    string(APPEND _j ",\n  \"flash\": {\n    ${_fl}}")
  endif()
  set(${out} "${_j}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT BOARD)
    message(FATAL_ERROR "usage: cmake -DBOARD=<board> -P cmake/board_info.cmake")
  endif()
  get_filename_component(_root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
  if(NOT EXISTS ${_root}/boards/${BOARD}/board.cmake)
    message(FATAL_ERROR "Unknown BOARD '${BOARD}'")
  endif()
  include(${_root}/cmake/boards.cmake)
  tp_load_board(${_root} ${BOARD})
  tp_board_declared_json(_members)
  _tp_json_string(_b "${BOARD}")
  _tp_json_string(_k "${TP_BOARD_KIND}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "{\n  \"board\": ${_b},\n  \"kind\": ${_k}${_members}\n}")
endif()
