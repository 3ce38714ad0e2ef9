# Link faults (host_tests/soak/linkfault.py): `tinyperf bench` on the native
# image through a proxy that flips, drops, duplicates, delays or disconnects.
add_test(NAME linkfault_native
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/linkfault.py test --image $<TARGET_FILE:tinyperf>
                 --dataset ${TINYPERF_DATASETS_DIR} --limit 20)
set_tests_properties(linkfault_native PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools"
                     LABELS "native;linkfault" TIMEOUT 600)

# Random-session soak (host_tests/soak/soak.py) against a Python model of the
# protocol: 20,000 commands on the native image, 2,000 on QEMU M4 (CI), and
# longer runs under label `long` (./tinyperf test --long).
set(_soak python3 ${CMAKE_CURRENT_LIST_DIR}/soak.py --golden ${TINYPERF_GOLDEN_DIR})
set(_m4 qemu-system-arm -M mps2-an386 -display none -monitor none -serial stdio -kernel
        ${CMAKE_BINARY_DIR}/variants/qemu_mps2_an386/tinyperf.elf)
add_test(NAME soak_native COMMAND ${_soak} --commands 20000 --seed 1 -- $<TARGET_FILE:tinyperf>)
add_test(NAME soak_qemu_mps2_an386 COMMAND ${_soak} --commands 2000 --seed 2 --per-model 1 -- ${_m4})
add_test(NAME soak_native_long COMMAND ${_soak} --commands 1000000 --seed 3 -- $<TARGET_FILE:tinyperf>)
add_test(NAME soak_qemu_mps2_an386_long COMMAND ${_soak} --commands 50000 --seed 4 -- ${_m4})
set_tests_properties(soak_native soak_qemu_mps2_an386 soak_native_long soak_qemu_mps2_an386_long
                     PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools")
set_tests_properties(soak_native PROPERTIES LABELS "native;soak" TIMEOUT 600)
set_tests_properties(soak_native_long PROPERTIES LABELS "native;soak;long" TIMEOUT 7200)
set_tests_properties(soak_qemu_mps2_an386 PROPERTIES LABELS "qemu;soak" TIMEOUT 900
                     FIXTURES_REQUIRED img_qemu_mps2_an386)
set_tests_properties(soak_qemu_mps2_an386_long PROPERTIES LABELS "qemu;soak;long" TIMEOUT 7200
                     FIXTURES_REQUIRED img_qemu_mps2_an386)
