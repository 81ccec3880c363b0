# Fails when a file of a lower core layer includes a header of a higher one, or when a core file
# sits outside the layer folders. The layers, lowest first (a layer may include its own and the
# ones before it):
#   base       error, numeric types, random numbers, threads, allocation, SIMD exp
#   io         file formats (CSV, atomic writes, JSON fields)
#   kde        kernels, bandwidth rules, kernel sums (exact, float32, grid)
#   field      divergences, velocity fields, objectives, metrics
#   flow       particle flows: parameters, engine, geometry, datasets, scenarios, presets
#   generator  the one-step generator: network, optimizer, training engine, model files
#   run        the run loop, its commands and snapshots, the modes' Runs
# Used two ways: include()d at configure time (function below), and as a ctest script
# (cmake -DROOT=<core dir> -P check_core_layers.cmake).
set(DRIFTLAB_CORE_LAYERS base io kde field flow generator run)

function(driftlab_check_core_layers root)
  set(bad "")
  file(GLOB loose ${root}/src/*.cpp ${root}/src/*.hpp ${root}/include/driftlab/*.hpp)
  foreach(f ${loose})
    string(REPLACE ";" " " names "${DRIFTLAB_CORE_LAYERS}")
    list(APPEND bad "${f}: outside the layer folders (${names})")
  endforeach()
  foreach(layer ${DRIFTLAB_CORE_LAYERS})
    list(FIND DRIFTLAB_CORE_LAYERS ${layer} own_rank)
    file(GLOB_RECURSE files ${root}/src/${layer}/*.cpp ${root}/src/${layer}/*.hpp
                            ${root}/include/driftlab/${layer}/*.hpp)
    foreach(f ${files})
      file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
      foreach(line ${includes})
        if(line MATCHES "\"(driftlab/)?([a-z_]+)/[^\"]+\"")
          set(target ${CMAKE_MATCH_2})
          list(FIND DRIFTLAB_CORE_LAYERS ${target} target_rank)
          if(target_rank GREATER own_rank)
            list(APPEND bad "${f} (layer ${layer}) includes the higher layer ${target}: ${line}")
          endif()
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(bad)
    list(JOIN bad "\n" text)
    message(FATAL_ERROR "core/ layers are crossed upwards:\n${text}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED ROOT)
  driftlab_check_core_layers(${ROOT})
  message(STATUS "core/ layers: no upward include")
endif()
