# arm_dsp backend (Cortex-M4 / Armv7E-M DSP): kernel sources beside dispatch.cc.
# The assembly microkernels are built for Arm targets only; elsewhere (host
# tests) the portable twins in the .cc files are compiled instead.
set(_tp_arm_dsp_dir "${CMAKE_CURRENT_LIST_DIR}")
list(APPEND TP_KERNEL_BACKEND_SOURCES
  "${_tp_arm_dsp_dir}/gemm.cc"
  "${_tp_arm_dsp_dir}/conv.cc"
  "${_tp_arm_dsp_dir}/conv_smallk.cc"
  "${_tp_arm_dsp_dir}/depthwise.cc"
  "${_tp_arm_dsp_dir}/dw_column.cc"
  "${_tp_arm_dsp_dir}/fc.cc"
  "${_tp_arm_dsp_dir}/eltwise.cc")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(arm|ARM)")
  list(APPEND TP_KERNEL_BACKEND_SOURCES "${_tp_arm_dsp_dir}/gemm_m4.S" "${_tp_arm_dsp_dir}/dw_m4.S"
       "${_tp_arm_dsp_dir}/fc_m4.S" "${_tp_arm_dsp_dir}/eltwise_m4.S"
       "${_tp_arm_dsp_dir}/im2col_m4.S" "${_tp_arm_dsp_dir}/conv_smallk_m4.S"
       "${_tp_arm_dsp_dir}/dwcol_m4.S")
endif()
# The small-map depthwise kernel (depthwise.cc / dw_m4.S tp_arm_dsp_dws*:
# 3x3 stride 1 SAME on maps 2-6 wide, ~5 KB of code): the board's
# declaration TP_BOARD_ARM_DSP_DW_SMALL (sparkfun_edge: OFF, its image has
# no room; its CPU's TP_CPU_ARM_DSP_DW_SMALL otherwise, arch/cortex_m4f: ON)
# unless -DTP_ARM_DSP_DW_SMALL=ON|OFF says otherwise. OFF: those layers run
# the direct variant, as before the kernel.
set(TP_ARM_DSP_DW_SMALL "" CACHE STRING "arm_dsp small-map depthwise kernel, ON or OFF (empty: the board's choice)")
set(_tp_dws "$CACHE{TP_ARM_DSP_DW_SMALL}")
if("${_tp_dws}" STREQUAL "")
  if(NOT "${TP_BOARD_ARM_DSP_DW_SMALL}" STREQUAL "")
    set(_tp_dws "${TP_BOARD_ARM_DSP_DW_SMALL}")
  else()
    set(_tp_dws ON)
  endif()
endif()
if(NOT _tp_dws)
  set_property(SOURCE "${_tp_arm_dsp_dir}/depthwise.cc" APPEND PROPERTY COMPILE_DEFINITIONS TP_ARM_DSP_DW_SMALL=0)
endif()
