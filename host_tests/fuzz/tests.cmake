# The libFuzzer targets (host_tests/fuzz) in CTest: label `fuzz`, a short fixed
# time per target (CI budget); the long campaign is the same script with
# --seconds 3600 (README, "Reliability"). They are built by run.py with clang
# as a project of their own in ${CMAKE_BINARY_DIR}/fuzz.
find_program(TP_CLANGXX clang++)
if(TP_CLANGXX)
  add_test(NAME fuzz_protocol
           COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/run.py --build-dir ${CMAKE_BINARY_DIR}/fuzz
                   --target protocol --seconds 20)
  add_test(NAME fuzz_compiler
           COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/run.py --build-dir ${CMAKE_BINARY_DIR}/fuzz
                   --target compiler --seconds 30 --models ${TINYPERF_MODELS_DIR})
  set_tests_properties(fuzz_protocol fuzz_compiler PROPERTIES LABELS fuzz TIMEOUT 600
                       RESOURCE_LOCK fuzz_build)
else()
  message(WARNING "clang++ not found: the fuzz tests (label fuzz) are not registered; "
                  "./tinyperf setup installs clang")
endif()

# The differential target: mutated models the compiler accepts are emitted,
# built with the engine under ASan + UBSan and run on random inputs
# (host_tests/fuzz/differential.py; g++, no clang needed).
if(EXISTS "${TINYPERF_MODELS_DIR}/ad01_int8.tflite")
  add_test(NAME fuzz_differential
           COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/differential.py
                   --compiler $<TARGET_FILE:tinyperf-compile> --models ${TINYPERF_MODELS_DIR}
                   --work ${CMAKE_BINARY_DIR}/fuzz-differential --seconds 30)
  set_tests_properties(fuzz_differential PROPERTIES LABELS fuzz TIMEOUT 600
                       PASS_REGULAR_EXPRESSION "differential: tried [0-9]+, refused [0-9]+, accepted [1-9][0-9]*, clean [1-9][0-9]*, findings 0")
endif()
