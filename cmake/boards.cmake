# A board is a folder boards/<name>/ with a board.cmake that declares it.
function(tp_known_boards out)
  file(GLOB _cfgs RELATIVE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../boards
       ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../boards/*/board.cmake)
  set(_names "")
  foreach(_c ${_cfgs})
    get_filename_component(_d ${_c} DIRECTORY)
    list(APPEND _names ${_d})
  endforeach()
  list(SORT _names)
  set(${out} ${_names} PARENT_SCOPE)
endfunction()

# Loads boards/<board>/board.cmake, then the CPU it names (TP_BOARD_CPU:
# arch/<cpu>/cpu.cmake, the TP_CPU_* facts), and gives every CPU fact the
# board does not set itself the CPU's value:
#   TP_BOARD_KIND            <- TP_CPU_KIND            (arm, arc, xtensa, host)
#   TP_BOARD_TOOLCHAIN       <- TP_CPU_TOOLCHAIN       (cmake/<file>)
#   TP_BOARD_CPU_FLAGS       <- TP_CPU_FLAGS
#   TP_BOARD_KERNEL_BACKEND  <- TP_CPU_KERNEL_BACKEND
#   TP_BOARD_BAND_BUDGET     <- TP_CPU_BAND_BUDGET
#   TP_BOARD_CONV_INT16_MAX_WEIGHTS <- TP_CPU_CONV_INT16_MAX_WEIGHTS
#   TP_BOARD_ARM_DSP_DW_SMALL <- TP_CPU_ARM_DSP_DW_SMALL
# A macro: the variables land in the caller's scope (call it in a function
# to look at another board than the build's).
macro(tp_load_board _tp_root _tp_board)
  foreach(_tp_v TP_BOARD_CPU TP_BOARD_KIND TP_BOARD_TOOLCHAIN TP_BOARD_CPU_FLAGS TP_BOARD_KERNEL_BACKEND
                TP_BOARD_BAND_BUDGET TP_CPU_KIND TP_CPU_TOOLCHAIN TP_CPU_FLAGS TP_CPU_KERNEL_BACKEND
                TP_CPU_BAND_BUDGET TP_CPU_SOURCES TP_CPU_INCLUDE_DIRS TP_CPU_SOURCE_OPTIONS
                TP_BOARD_CONV_INT16_MAX_WEIGHTS TP_CPU_CONV_INT16_MAX_WEIGHTS
                TP_BOARD_ARM_DSP_DW_SMALL TP_CPU_ARM_DSP_DW_SMALL)
    unset(${_tp_v})  # another board's, when called again in one scope
  endforeach()
  include(${_tp_root}/boards/${_tp_board}/board.cmake)
  if(NOT TP_BOARD_CPU)
    message(FATAL_ERROR "boards/${_tp_board}/board.cmake does not declare TP_BOARD_CPU (a folder under arch/)")
  endif()
  if(NOT EXISTS ${_tp_root}/arch/${TP_BOARD_CPU}/cpu.cmake)
    file(GLOB _tp_cpus RELATIVE ${_tp_root}/arch ${_tp_root}/arch/*/cpu.cmake)
    string(REPLACE "/cpu.cmake" "" _tp_cpus "${_tp_cpus}")
    string(REPLACE ";" ", " _tp_cpus "${_tp_cpus}")
    message(FATAL_ERROR "boards/${_tp_board}: unknown TP_BOARD_CPU '${TP_BOARD_CPU}'. Known CPUs: ${_tp_cpus}")
  endif()
  include(${_tp_root}/arch/${TP_BOARD_CPU}/cpu.cmake)
  foreach(_tp_fact KIND TOOLCHAIN KERNEL_BACKEND BAND_BUDGET CONV_INT16_MAX_WEIGHTS ARM_DSP_DW_SMALL)
    if(NOT DEFINED TP_BOARD_${_tp_fact} AND DEFINED TP_CPU_${_tp_fact})
      set(TP_BOARD_${_tp_fact} "${TP_CPU_${_tp_fact}}")
    endif()
  endforeach()
  if(NOT DEFINED TP_BOARD_CPU_FLAGS AND DEFINED TP_CPU_FLAGS)
    set(TP_BOARD_CPU_FLAGS "${TP_CPU_FLAGS}")
  endif()
endmacro()
