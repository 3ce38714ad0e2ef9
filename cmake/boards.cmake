# A board is a folder boards/<name>/ with a board.cmake that declares it.
function(tp_known_boards out)
  file(GLOB _cfgs RELATIVE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../boards
       ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../boards/*/board.cmake)
  set(_names "")
  foreach(_c ${_cfgs})
    get_filename_component(_d ${_c} DIRECTORY)
    list(APPEND _names ${_d})
  endforeach()
  list(SORT _names)
  set(${out} ${_names} PARENT_SCOPE)
endfunction()
