# Model files of the MLPerf Tiny benchmarks: where they come from, how
# they are checked, and how they become a library of compiled models.
#
# Model files are never committed. They are looked up in TINYPERF_MODELS_DIR
# (default: <repo>/../shared/mlperf-tiny/models when that exists, else
# <build>/models) and, when missing there, downloaded from
# TINYPERF_MODELS_URL/<upstream path> (default: the mlcommons/tiny repository
# at a pinned commit). Every file must match the SHA-256 its benchmark's
# declaration pins (benchmarks/<id>/benchmark.json).
#
# Use from a CMake project:
#   include(cmake/models.cmake)
#   tinyperf_add_models(tp_models COMPILER tinyperf-compile
#                       [MODELS kws01 vww01 ic01 ad01])
#
# Use as a script (checks / downloads, e.g. in CI or tests):
#   cmake [-DTINYPERF_MODELS_DIR=dir] [-DTINYPERF_MODELS_URL=url]
#         [-DTINYPERF_MODELS=kws01;ad01] -P cmake/models.cmake
cmake_minimum_required(VERSION 3.20)

# ---------------------------------------------------------------- pins
set(TINYPERF_MODELS_COMMIT "1afd2c9820f795965a6134facd0b4dfae41ef23f")
# Each benchmark's model file, upstream path and SHA-256 are in its
# declaration, benchmarks/<id>/benchmark.json.
include("${CMAKE_CURRENT_LIST_DIR}/benchmarks.cmake")
set(TINYPERF_MODEL_IDS ${TINYPERF_BENCHMARK_IDS})

set(_TP_MODELS_DEFAULT_URL "https://github.com/mlcommons/tiny/raw/${TINYPERF_MODELS_COMMIT}")
set(_TP_MODELS_CMAKE_FILE "${CMAKE_CURRENT_LIST_FILE}")

# ---------------------------------------------------------------- settings
get_filename_component(_TP_REPO_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(_TP_SHARED_MODELS "${_TP_REPO_ROOT}/../shared/mlperf-tiny/models" ABSOLUTE)
if(EXISTS "${_TP_SHARED_MODELS}")
  set(_TP_MODELS_DIR_DEFAULT "${_TP_SHARED_MODELS}")
elseif(CMAKE_BINARY_DIR)
  set(_TP_MODELS_DIR_DEFAULT "${CMAKE_BINARY_DIR}/models")
else()
  set(_TP_MODELS_DIR_DEFAULT "${CMAKE_CURRENT_BINARY_DIR}/models")
endif()

if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT DEFINED TINYPERF_MODELS_DIR OR TINYPERF_MODELS_DIR STREQUAL "")
    set(TINYPERF_MODELS_DIR "${_TP_MODELS_DIR_DEFAULT}")
  endif()
  if(NOT DEFINED TINYPERF_MODELS_URL OR TINYPERF_MODELS_URL STREQUAL "")
    set(TINYPERF_MODELS_URL "${_TP_MODELS_DEFAULT_URL}")
  endif()
else()
  set(TINYPERF_MODELS_DIR "${_TP_MODELS_DIR_DEFAULT}" CACHE PATH
      "Directory holding the MLPerf Tiny .tflite models (missing files are downloaded into it)")
  set(TINYPERF_MODELS_URL "${_TP_MODELS_DEFAULT_URL}" CACHE STRING
      "Base URL the models are downloaded from (<url>/<upstream path>); file:// works")
endif()

# ---------------------------------------------------------------- resolution

# tinyperf_model_path(<id> <out_var>): the path of model <id> in
# TINYPERF_MODELS_DIR after making sure it is there and matches its pin
# (downloading it when missing). Stops with FATAL_ERROR otherwise.
function(tinyperf_model_path id out_var)
  if(NOT DEFINED TINYPERF_MODEL_${id}_FILE)
    message(FATAL_ERROR "tinyperf: unknown model id '${id}' (known: ${TINYPERF_MODEL_IDS})")
  endif()
  set(file "${TINYPERF_MODEL_${id}_FILE}")
  set(expected "${TINYPERF_MODEL_${id}_SHA256}")
  set(dir "${TINYPERF_MODELS_DIR}")
  set(path "${dir}/${file}")

  if(NOT EXISTS "${path}")
    string(REGEX REPLACE "/+$" "" base "${TINYPERF_MODELS_URL}")
    set(url "${base}/${TINYPERF_MODEL_${id}_UPSTREAM}")
    message(STATUS "tinyperf: ${file} not in ${dir}; downloading ${url}")
    file(MAKE_DIRECTORY "${dir}")
    set(part "${path}.part")
    file(DOWNLOAD "${url}" "${part}" STATUS status TLS_VERIFY ON)
    list(GET status 0 code)
    list(GET status 1 reason)
    if(NOT code EQUAL 0)
      file(REMOVE "${part}")
      message(FATAL_ERROR
        "tinyperf: a model file is missing and could not be downloaded.\n"
        "  file:                ${file}\n"
        "  tried:               ${url}\n"
        "  error:               ${code} ${reason}\n"
        "  TINYPERF_MODELS_DIR: ${dir}\n"
        "Put the file into TINYPERF_MODELS_DIR, point TINYPERF_MODELS_DIR at a "
        "directory holding it, or set TINYPERF_MODELS_URL to a reachable mirror.")
    endif()
    file(SHA256 "${part}" actual)
    if(NOT actual STREQUAL expected)
      file(REMOVE "${part}")
      message(FATAL_ERROR
        "tinyperf: a downloaded model file has the wrong SHA-256.\n"
        "  file:     ${file}\n"
        "  from:     ${url}\n"
        "  expected: ${expected}\n"
        "  actual:   ${actual}")
    endif()
    file(RENAME "${part}" "${path}")
  endif()

  file(SHA256 "${path}" actual)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR
      "tinyperf: a model file has the wrong SHA-256.\n"
      "  file:     ${path}\n"
      "  expected: ${expected}\n"
      "  actual:   ${actual}\n"
      "Replace it with the pinned file (delete it to have it downloaded again).")
  endif()
  set(${out_var} "${path}" PARENT_SCOPE)
endfunction()

# ---------------------------------------------------------------- build rules

# tinyperf_add_models(<lib> COMPILER <target-or-path> [MODELS <id>...])
#
# Compiles the models at build time with tinyperf-compile into
# ${CMAKE_CURRENT_BINARY_DIR}/generated/ and builds static library <lib>
# from them (links tp_engine; public include dir: generated/include with
# tinyperf/models/registry.h). COMPILER is the tinyperf-compile target of
# this build or the path of a host-built executable (cross builds).
function(tinyperf_add_models lib)
  cmake_parse_arguments(ARG "" "COMPILER" "MODELS" ${ARGN})
  if(NOT ARG_COMPILER)
    message(FATAL_ERROR "tinyperf_add_models(${lib}): COMPILER is required")
  endif()
  if(NOT ARG_MODELS)
    set(ARG_MODELS ${TINYPERF_MODEL_IDS})
  endif()
  foreach(id IN LISTS ARG_MODELS)
    if(NOT id IN_LIST TINYPERF_MODEL_IDS)
      message(FATAL_ERROR "tinyperf_add_models(${lib}): unknown model id '${id}' "
                          "(known: ${TINYPERF_MODEL_IDS})")
    endif()
  endforeach()
  # Canonical order (kws01 vww01 ic01 ad01) whatever the order given.
  set(ordered "")
  foreach(id IN LISTS TINYPERF_MODEL_IDS)
    if(id IN_LIST ARG_MODELS)
      list(APPEND ordered ${id})
    endif()
  endforeach()
  set(ARG_MODELS ${ordered})
  if(TARGET "${ARG_COMPILER}")
    set(compiler "$<TARGET_FILE:${ARG_COMPILER}>")
    set(compiler_dep "${ARG_COMPILER}")
  else()
    get_filename_component(compiler "${ARG_COMPILER}" ABSOLUTE)
    if(NOT EXISTS "${compiler}")
      message(FATAL_ERROR "tinyperf_add_models(${lib}): COMPILER '${ARG_COMPILER}' "
                          "is neither a target nor an existing file")
    endif()
    set(compiler_dep "${compiler}")
  endif()

  set(gen "${CMAKE_CURRENT_BINARY_DIR}/generated")
  # Options of every tinyperf-compile call: the kernel backend, whose
  # scratch is planned in the arena (--backend), and the planner's row-band
  # budget (bytes a banded layer may add to the arena): TP_BAND_BUDGET, else
  # the compiler's default.
  set(_tp_compile_args "")
  if(TP_KERNEL_BACKEND)
    list(APPEND _tp_compile_args --backend ${TP_KERNEL_BACKEND})
  endif()
  if(TP_BAND_BUDGET)
    list(APPEND _tp_compile_args --band-budget ${TP_BAND_BUDGET})
  endif()
  # arm_dsp's int16 1x1 weights: the board's flash limit per layer.
  if(NOT "${TP_CONV_INT16_MAX_WEIGHTS}" STREQUAL "")
    list(APPEND _tp_compile_args --conv-int16-max-weights ${TP_CONV_INT16_MAX_WEIGHTS})
  endif()
  set(sources "")
  set(registry_args "")
  set(model_files "")
  foreach(id IN LISTS ARG_MODELS)
    tinyperf_model_path(${id} model)
    list(APPEND model_files "${model}")
    list(APPEND registry_args --id ${id} "${model}")
    set(out "${gen}/model_${id}.cc")
    add_custom_command(
      OUTPUT "${out}"
      # Re-check the pin whenever the file changes, then compile it.
      COMMAND "${CMAKE_COMMAND}" "-DTINYPERF_MODELS=${id}"
              "-DTINYPERF_MODELS_DIR=${TINYPERF_MODELS_DIR}"
              "-DTINYPERF_MODELS_URL=${TINYPERF_MODELS_URL}"
              -P "${_TP_MODELS_CMAKE_FILE}"
      COMMAND "${compiler}" ${_tp_compile_args} --id ${id} --out-dir "${gen}" "${model}"
      DEPENDS "${model}" "${compiler_dep}" "${_TP_MODELS_CMAKE_FILE}"
      COMMENT "tinyperf-compile ${id} (${TINYPERF_MODEL_${id}_FILE})"
      VERBATIM)
    list(APPEND sources "${out}")
  endforeach()

  set(registry_h "${gen}/include/tinyperf/models/registry.h")
  set(registry_cc "${gen}/registry.cc")
  add_custom_command(
    OUTPUT "${registry_h}" "${registry_cc}"
    COMMAND "${compiler}" ${_tp_compile_args} --registry-dir "${gen}" ${registry_args}
    DEPENDS ${model_files} "${compiler_dep}"
    COMMENT "tinyperf-compile: model registry (${ARG_MODELS})"
    VERBATIM)

  add_library(${lib} STATIC ${sources} "${registry_cc}" "${registry_h}")
  target_include_directories(${lib} PUBLIC "${gen}/include")
  target_link_libraries(${lib} PUBLIC tp_engine)
  target_compile_features(${lib} PUBLIC cxx_std_20)
  target_compile_options(${lib} PRIVATE ${TP_WARNINGS})  # generated code too
  set_target_properties(${lib} PROPERTIES TINYPERF_MODELS "${ARG_MODELS}")
endfunction()

# ---------------------------------------------------------------- script mode
if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT DEFINED TINYPERF_MODELS OR TINYPERF_MODELS STREQUAL "")
    set(TINYPERF_MODELS ${TINYPERF_MODEL_IDS})
  endif()
  foreach(id IN LISTS TINYPERF_MODELS)
    tinyperf_model_path(${id} path)
    message(STATUS "tinyperf: ${id}: ${path} (sha256 ok)")
  endforeach()
endif()
