# What every Cortex-M CPU shares (included by arch/cortex_m*/cpu.cmake):
# start-up, vector table, interrupt routing, fault report, wait_for_event.
set(TP_CPU_SOURCES ${CMAKE_CURRENT_LIST_DIR}/startup.cc ${CMAKE_CURRENT_LIST_DIR}/../common/fault_output.cc
                   ${CMAKE_CURRENT_LIST_DIR}/../common/reset_cause.cc)
set(TP_CPU_INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/../common)
