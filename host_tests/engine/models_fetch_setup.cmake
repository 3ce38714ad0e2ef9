# Fixture of the models.cmake tests: a file:// mirror laid out like the
# upstream repository, a mirror serving a corrupted file, and model
# directories (empty ones, and one holding a corrupted copy).
#   -DROOT=<dir> -DSOURCE=<good kws_ref_model.tflite> -DCORRUPT_TEXT=<content>
set(upstream "benchmark/training/keyword_spotting/trained_models")
file(REMOVE_RECURSE "${ROOT}")
file(MAKE_DIRECTORY "${ROOT}/mirror/${upstream}" "${ROOT}/bad_mirror/${upstream}"
     "${ROOT}/empty" "${ROOT}/empty_for_bad_mirror" "${ROOT}/empty_for_no_mirror"
     "${ROOT}/corrupt")
file(COPY "${SOURCE}" DESTINATION "${ROOT}/mirror/${upstream}" NO_SOURCE_PERMISSIONS)
file(WRITE "${ROOT}/bad_mirror/${upstream}/kws_ref_model.tflite" "${CORRUPT_TEXT}")
file(WRITE "${ROOT}/corrupt/kws_ref_model.tflite" "${CORRUPT_TEXT}")
message(STATUS "models fetch fixture ready in ${ROOT}")
