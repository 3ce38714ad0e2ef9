# Sources of the arm_mve backend (Cortex-M55 Helium kernels), appended to
# TP_KERNEL_BACKEND_SOURCES by engine/CMakeLists.txt. The Helium code is
# compiled only for an MVE target (__ARM_FEATURE_MVE); elsewhere dispatch.cc
# falls back to the reference kernels.
list(APPEND TP_KERNEL_BACKEND_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/conv.cc"
  "${CMAKE_CURRENT_LIST_DIR}/conv_generic.cc"
  "${CMAKE_CURRENT_LIST_DIR}/depthwise.cc"
  "${CMAKE_CURRENT_LIST_DIR}/dw_column.cc"
  "${CMAKE_CURRENT_LIST_DIR}/fc.cc"
  "${CMAKE_CURRENT_LIST_DIR}/eltwise.cc")
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "arm")
  list(APPEND TP_KERNEL_BACKEND_SOURCES "${CMAKE_CURRENT_LIST_DIR}/gemm_mve.S")
endif()
