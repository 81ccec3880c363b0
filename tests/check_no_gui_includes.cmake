# Fails when any file under core/ includes a GL, GLFW, epoxy or ImGui header (STYLE.md L1).
# Used two ways: include()d at configure time (function below), and as a ctest script
# (cmake -DROOT=<core dir> -P check_no_gui_includes.cmake).
function(driftlab_check_no_gui_includes root)
  file(GLOB_RECURSE files ${root}/*.hpp ${root}/*.cpp ${root}/*.h)
  set(bad "")
  foreach(f ${files})
    file(STRINGS ${f} hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](imgui|GLFW|epoxy|GL/|glad|backends/)")
    if(hits)
      list(APPEND bad "${f}: ${hits}")
    endif()
  endforeach()
  if(bad)
    message(FATAL_ERROR "core/ must stay GUI-free, but these files include GUI headers:\n${bad}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED ROOT)
  driftlab_check_no_gui_includes(${ROOT})
  message(STATUS "core/ is GUI-free")
endif()
