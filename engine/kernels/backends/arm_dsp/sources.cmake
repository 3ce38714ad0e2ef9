# arm_dsp backend (Cortex-M4 / Armv7E-M DSP): kernel sources beside dispatch.cc.
# The assembly microkernels are built for Arm targets only; elsewhere (host
# tests) the portable twins in the .cc files are compiled instead.
set(_tp_arm_dsp_dir "${CMAKE_CURRENT_LIST_DIR}")
list(APPEND TP_KERNEL_BACKEND_SOURCES
  "${_tp_arm_dsp_dir}/gemm.cc"
  "${_tp_arm_dsp_dir}/conv.cc"
  "${_tp_arm_dsp_dir}/conv_smallk.cc"
  "${_tp_arm_dsp_dir}/depthwise.cc"
  "${_tp_arm_dsp_dir}/fc.cc"
  "${_tp_arm_dsp_dir}/eltwise.cc")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(arm|ARM)")
  list(APPEND TP_KERNEL_BACKEND_SOURCES "${_tp_arm_dsp_dir}/gemm_m4.S" "${_tp_arm_dsp_dir}/dw_m4.S"
       "${_tp_arm_dsp_dir}/fc_m4.S" "${_tp_arm_dsp_dir}/eltwise_m4.S"
       "${_tp_arm_dsp_dir}/im2col_m4.S" "${_tp_arm_dsp_dir}/conv_smallk_m4.S")
endif()
