# Link faults (host_tests/soak/linkfault.py): `tinyperf bench` on the native
# image through a proxy that flips, drops, duplicates, delays or disconnects.
add_test(NAME linkfault_native
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/linkfault.py test --image $<TARGET_FILE:tinyperf>
                 --dataset ${TINYPERF_DATASETS_DIR} --limit 20)
set_tests_properties(linkfault_native PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools"
                     LABELS "native;linkfault" TIMEOUT 600)

# The native image and its model compiler built with ASan + UBSan (a variant
# build of its own; tests off), for the protocol suite, its hostile inputs and
# the soak below.
set(_san_dir ${CMAKE_BINARY_DIR}/variants/native-sanitize)
add_test(NAME build_native-sanitize
         COMMAND ${CMAKE_COMMAND} -DSRC=${TP_ROOT} -DBIN=${_san_dir}
                 "-DARGS=-DBOARD=native;-DTP_BUILD_TESTS=OFF;-DTP_SANITIZE=ON;-DTINYPERF_MODELS_DIR=${TINYPERF_MODELS_DIR}"
                 -P ${TP_ROOT}/host_tests/boot/build_variant.cmake)
set_tests_properties(build_native-sanitize PROPERTIES FIXTURES_SETUP img_native-sanitize TIMEOUT 1200
                     LABELS "build;native" RESOURCE_LOCK build)
add_test(NAME protocol_native_sanitize
         COMMAND python3 ${TP_ROOT}/host_tests/boot/dut_session.py --mode protocol
                 --golden ${TINYPERF_GOLDEN_DIR} --board-name native -- ${_san_dir}/tinyperf)
set_tests_properties(protocol_native_sanitize PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools"
                     LABELS "native" TIMEOUT 300 FIXTURES_REQUIRED img_native-sanitize)

# Random-session soak (host_tests/soak/soak.py) against a Python model of the
# protocol: 20,000 commands on the sanitized native image, 2,000 on QEMU M4
# (CI), and longer runs under label `long` (./tinyperf test --long).
set(_soak python3 ${CMAKE_CURRENT_LIST_DIR}/soak.py --golden ${TINYPERF_GOLDEN_DIR})
set(_m4 qemu-system-arm -M mps2-an386 -display none -monitor none -serial stdio -kernel
        ${CMAKE_BINARY_DIR}/variants/qemu_mps2_an386/tinyperf.elf)
add_test(NAME soak_native_sanitize COMMAND ${_soak} --commands 20000 --seed 1 -- ${_san_dir}/tinyperf)
add_test(NAME soak_qemu_mps2_an386 COMMAND ${_soak} --commands 2000 --seed 2 --per-model 1 -- ${_m4})
add_test(NAME soak_native_long COMMAND ${_soak} --commands 1000000 --seed 3 -- ${_san_dir}/tinyperf)
add_test(NAME soak_qemu_mps2_an386_long COMMAND ${_soak} --commands 50000 --seed 4 -- ${_m4})
set_tests_properties(soak_native_sanitize soak_qemu_mps2_an386 soak_native_long soak_qemu_mps2_an386_long
                     PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools")
set_tests_properties(soak_native_sanitize PROPERTIES LABELS "native;soak" TIMEOUT 600
                     FIXTURES_REQUIRED img_native-sanitize)
set_tests_properties(soak_native_long PROPERTIES LABELS "native;soak;long" TIMEOUT 7200
                     FIXTURES_REQUIRED img_native-sanitize)
set_tests_properties(soak_qemu_mps2_an386 PROPERTIES LABELS "qemu;soak" TIMEOUT 900
                     FIXTURES_REQUIRED img_qemu_mps2_an386)
set_tests_properties(soak_qemu_mps2_an386_long PROPERTIES LABELS "qemu;soak;long" TIMEOUT 7200
                     FIXTURES_REQUIRED img_qemu_mps2_an386)
