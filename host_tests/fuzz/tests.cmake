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
