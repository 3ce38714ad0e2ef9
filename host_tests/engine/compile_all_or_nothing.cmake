# tinyperf-compile is all or nothing (#21): a run with several models where
# one is refused leaves the output directories exactly as they were (no file
# written, none replaced, no temporary left); the same run without the bad
# model writes everything.
#   cmake -DCOMPILER=<tinyperf-compile> -DMODEL=<good .tflite> -DBAD=<not a model> -DWORK=<dir> -P this
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/out)
file(WRITE ${WORK}/out/model_a.cc "previous contents\n")

execute_process(COMMAND ${COMPILER} --quiet --out-dir ${WORK}/out --registry-dir ${WORK}/reg
                        --id a ${MODEL} --id b ${BAD} --id c ${MODEL}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "a run with a refused model exited ${rc}, not 1: ${err}")
endif()
file(READ ${WORK}/out/model_a.cc after)
if(NOT after STREQUAL "previous contents\n")
  message(FATAL_ERROR "the refused run replaced out/model_a.cc")
endif()
file(GLOB_RECURSE left RELATIVE ${WORK} ${WORK}/*)
if(NOT left STREQUAL "out/model_a.cc")
  message(FATAL_ERROR "the refused run left files behind: ${left}")
endif()
if(EXISTS ${WORK}/reg)
  message(FATAL_ERROR "the refused run created the registry directory")
endif()

execute_process(COMMAND ${COMPILER} --quiet --out-dir ${WORK}/out --registry-dir ${WORK}/reg
                        --id a ${MODEL} --id c ${MODEL}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the run without the refused model exited ${rc}: ${err}")
endif()
file(GLOB_RECURSE left RELATIVE ${WORK} ${WORK}/*)
list(SORT left)
set(want "out/model_a.cc;out/model_c.cc;reg/include/tinyperf/models/registry.h;reg/registry.cc")
if(NOT left STREQUAL want)
  message(FATAL_ERROR "the good run wrote ${left}, not ${want}")
endif()
file(READ ${WORK}/out/model_a.cc after)
if(after STREQUAL "previous contents\n")
  message(FATAL_ERROR "the good run did not replace out/model_a.cc")
endif()
message(STATUS "all or nothing: refused run changed nothing, good run wrote every file")
