# Link faults (host_tests/soak/linkfault.py): `tinyperf bench` on the native
# image through a proxy that flips, drops, duplicates, delays or disconnects.
add_test(NAME linkfault_native
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/linkfault.py test --image $<TARGET_FILE:tinyperf>
                 --dataset ${TINYPERF_DATASETS_DIR} --limit 20)
set_tests_properties(linkfault_native PROPERTIES ENVIRONMENT "PYTHONPATH=${TP_ROOT}/tools"
                     LABELS "native;linkfault" TIMEOUT 600)
