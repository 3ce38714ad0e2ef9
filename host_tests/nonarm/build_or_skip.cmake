# cmake -DSRC=<repo> -DBIN=<dir> -DCOMPILER=<program> -DARGS=<;-list> -P build_or_skip.cmake
# Builds one non-Arm image, or says SKIPPED (and the test is skipped) when
# the board's cross compiler is not installed: `./tinyperf test` installs
# them (setup group "nonarm"); a plain ctest run may not have them.
find_program(_cc ${COMPILER})
if(NOT _cc)
  message("SKIPPED: ${COMPILER} is not installed (apt-get install the 'nonarm' group of tools/tinyperf_cli/setup.py)")
  return()
endif()
if(NOT EXISTS ${BIN}/build.ninja)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G Ninja ${ARGS} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "configuring ${BIN} failed")
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building ${BIN} failed")
endif()
