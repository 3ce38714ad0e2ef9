# The benchmarks' declarations: one benchmarks/<id>/benchmark.json each
# (model file, upstream path and SHA-256, raw input bytes, golden folder and
# pairs, metric and quality target, warm-ups and timed runs; what each field
# means: benchmarks/README.md). Every CMake table of benchmark facts is read
# from here; tools/tinyperf_cli/benchmarks.py reads the same files.
#
#   include(cmake/benchmarks.cmake)
# sets TINYPERF_BENCHMARK_IDS (sorted by "order") and, per id,
#   TINYPERF_MODEL_<id>_FILE / _UPSTREAM / _SHA256, TINYPERF_BENCH_<id>_INPUT_BYTES,
#   _GOLDEN, _SELFTEST_PAIR, _NAME (the C++ adapter's name: kws01 -> Kws01),
#   _STRICT_FLOAT (ON: its adapter is built without fused multiply-add).
# As a script (-P) with -DTP_PRINT=1 it prints the table, one line per id,
# so that a test can compare it with the Python reader.
cmake_minimum_required(VERSION 3.20)

# TP_BENCHMARKS_DIR: another folder of declarations (the host tests use it).
if(TP_BENCHMARKS_DIR)
  get_filename_component(_TP_BENCH_ROOT "${TP_BENCHMARKS_DIR}" ABSOLUTE)
else()
  get_filename_component(_TP_BENCH_ROOT "${CMAKE_CURRENT_LIST_DIR}/../benchmarks" ABSOLUTE)
endif()
file(GLOB _tp_decls RELATIVE "${_TP_BENCH_ROOT}" "${_TP_BENCH_ROOT}/*/benchmark.json")
set(_tp_keyed "")
foreach(_tpb_rel IN LISTS _tp_decls)
  set(_tpb_path "${_TP_BENCH_ROOT}/${_tpb_rel}")
  file(READ "${_tpb_path}" _tpb_j)
  get_filename_component(_tpb_dir "${_tpb_rel}" DIRECTORY)
  string(JSON _tpb_id ERROR_VARIABLE _tpb_err GET "${_tpb_j}" id)
  if(_tpb_err OR NOT _tpb_id STREQUAL _tpb_dir)
    message(FATAL_ERROR "${_tpb_path}: \"id\" must be the folder's name (${_tpb_dir})")
  endif()
  foreach(_tpb_f order model.file model.upstream model.sha256 input_bytes golden selftest_pair)
    string(REPLACE "." ";" _tpb_keys "${_tpb_f}")
    string(JSON _tpb_v ERROR_VARIABLE _tpb_err GET "${_tpb_j}" ${_tpb_keys})
    if(_tpb_err OR _tpb_v STREQUAL "")
      message(FATAL_ERROR "${_tpb_path}: field \"${_tpb_f}\" is missing")
    endif()
    string(REPLACE "." "_" _tpb_k "${_tpb_f}")
    set(_tp_${_tpb_id}_${_tpb_k} "${_tpb_v}")
  endforeach()
  if(NOT _tp_${_tpb_id}_model_sha256 MATCHES "^[0-9a-f]+$")
    message(FATAL_ERROR "${_tpb_path}: model.sha256 must be 64 lower-case hex digits")
  endif()
  string(LENGTH "${_tp_${_tpb_id}_model_sha256}" _tpb_n)
  if(NOT _tpb_n EQUAL 64 OR NOT _tp_${_tpb_id}_input_bytes MATCHES "^[1-9][0-9]*$" OR NOT _tp_${_tpb_id}_order MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${_tpb_path}: model.sha256 must have 64 hex digits, input_bytes and order must be positive integers")
  endif()
  set(TINYPERF_MODEL_${_tpb_id}_FILE "${_tp_${_tpb_id}_model_file}")
  set(TINYPERF_MODEL_${_tpb_id}_UPSTREAM "${_tp_${_tpb_id}_model_upstream}")
  set(TINYPERF_MODEL_${_tpb_id}_SHA256 "${_tp_${_tpb_id}_model_sha256}")
  set(TINYPERF_BENCH_${_tpb_id}_INPUT_BYTES "${_tp_${_tpb_id}_input_bytes}")
  set(TINYPERF_BENCH_${_tpb_id}_GOLDEN "${_tp_${_tpb_id}_golden}")
  set(TINYPERF_BENCH_${_tpb_id}_SELFTEST_PAIR "${_tp_${_tpb_id}_selftest_pair}")
  # Optional "golden_suffixes": [input, output] file name endings of the
  # golden pairs (default .in.bin / .out.bin; sww01's folder: .input.bin / .output.bin).
  set(TINYPERF_BENCH_${_tpb_id}_GOLDEN_IN ".in.bin")
  set(TINYPERF_BENCH_${_tpb_id}_GOLDEN_OUT ".out.bin")
  string(JSON _tpb_gs ERROR_VARIABLE _tpb_err GET "${_tpb_j}" golden_suffixes)
  if(NOT _tpb_err)
    string(JSON TINYPERF_BENCH_${_tpb_id}_GOLDEN_IN GET "${_tpb_j}" golden_suffixes 0)
    string(JSON TINYPERF_BENCH_${_tpb_id}_GOLDEN_OUT GET "${_tpb_j}" golden_suffixes 1)
  endif()
  string(JSON _tpb_sf ERROR_VARIABLE _tpb_err GET "${_tpb_j}" strict_float)
  if(_tpb_err OR NOT _tpb_sf)
    set(TINYPERF_BENCH_${_tpb_id}_STRICT_FLOAT OFF)
  else()
    set(TINYPERF_BENCH_${_tpb_id}_STRICT_FLOAT ON)
  endif()
  string(SUBSTRING "${_tpb_id}" 0 1 _tpb_first)
  string(SUBSTRING "${_tpb_id}" 1 -1 _tpb_rest)
  string(TOUPPER "${_tpb_first}" _tpb_first)
  set(TINYPERF_BENCH_${_tpb_id}_NAME "${_tpb_first}${_tpb_rest}")
  # Sort key: the order zero-padded, then the id.
  string(LENGTH "${_tp_${_tpb_id}_order}" _tpb_n)
  math(EXPR _tpb_pad "6 - ${_tpb_n}")
  string(REPEAT "0" ${_tpb_pad} _tpb_zeros)
  list(APPEND _tp_keyed "${_tpb_zeros}${_tp_${_tpb_id}_order}|${_tpb_id}")
endforeach()
list(SORT _tp_keyed)
set(TINYPERF_BENCHMARK_IDS "")
foreach(_tpb_k IN LISTS _tp_keyed)
  string(REGEX REPLACE "^[0-9]+\\|" "" _tpb_id "${_tpb_k}")
  list(APPEND TINYPERF_BENCHMARK_IDS "${_tpb_id}")
endforeach()

if(CMAKE_SCRIPT_MODE_FILE AND TP_PRINT)
  foreach(_tpb_id IN LISTS TINYPERF_BENCHMARK_IDS)
    message(NOTICE "${_tpb_id} ${TINYPERF_MODEL_${_tpb_id}_FILE} ${TINYPERF_MODEL_${_tpb_id}_SHA256} "
                   "${TINYPERF_BENCH_${_tpb_id}_INPUT_BYTES} ${TINYPERF_BENCH_${_tpb_id}_GOLDEN} "
                   "${TINYPERF_BENCH_${_tpb_id}_SELFTEST_PAIR} ${TINYPERF_BENCH_${_tpb_id}_NAME}")
  endforeach()
endif()
