# cmake -DSRC=<repo> -DBIN=<dir> -DARGS=<;-list of -D options> -P build_variant.cmake
# Configures (first time) and builds one image variant in its own directory.
if(NOT EXISTS ${BIN}/build.ninja)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G Ninja ${ARGS}
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "configuring ${BIN} failed")
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building ${BIN} failed")
endif()
