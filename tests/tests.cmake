# The doctest suite, run by ctest (one ctest entry per TEST_CASE).
find_package(doctest REQUIRED)  # doctest-dev
include(doctest)

file(GLOB DRIFTLAB_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/*.cpp)
add_executable(driftlab_tests ${DRIFTLAB_TEST_SOURCES})
target_link_libraries(driftlab_tests PRIVATE driftlab::core doctest::doctest nlohmann_json::nlohmann_json)
# a few tests check core internals (the kernel-sum paths, Algorithm 2): core/src's private headers
target_include_directories(driftlab_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/core/src)
target_compile_definitions(driftlab_tests PRIVATE
  DRIFTLAB_CLI_PATH="$<TARGET_FILE:driftlab-cli>"
  DRIFTLAB_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}"
  DRIFTLAB_TEST_TMP="${CMAKE_BINARY_DIR}/test_tmp")
add_dependencies(driftlab_tests driftlab-cli)
driftlab_configure_target(driftlab_tests)
doctest_discover_tests(driftlab_tests)

# The ThreadSanitizer check (scripts/tsan_check.sh) runs only the worker tests: a binary of their
# own keeps that instrumented build to the core and these files (not built by default)
add_executable(driftlab_worker_tests EXCLUDE_FROM_ALL
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/test_main.cpp ${CMAKE_CURRENT_SOURCE_DIR}/tests/flow_worker_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/generator_worker_test.cpp ${CMAKE_CURRENT_SOURCE_DIR}/tests/run_worker_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/timeline_worker_test.cpp)
target_link_libraries(driftlab_worker_tests PRIVATE driftlab::core doctest::doctest)
driftlab_configure_target(driftlab_worker_tests)

add_test(NAME core_is_gui_free
         COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_CURRENT_SOURCE_DIR}/core
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_no_gui_includes.cmake)
add_test(NAME core_layers_point_down
         COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_CURRENT_SOURCE_DIR}/core
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_core_layers.cmake)

# ---- the parsers' fuzzer (tests/fuzz): a short run and the hostile inputs in every build; the
# bounded 60-second run per target is in the sanitizer script (scripts/asan_check.sh) ----
add_executable(driftlab_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/fuzz_main.cpp
               ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/fuzz_targets.cpp ${CMAKE_CURRENT_SOURCE_DIR}/app/script.cpp
               ${CMAKE_CURRENT_SOURCE_DIR}/app/ui/image_shape.cpp)
target_include_directories(driftlab_fuzz PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/app)
target_link_libraries(driftlab_fuzz PRIVATE driftlab::core)
driftlab_configure_target(driftlab_fuzz)
add_test(NAME fuzz_hostile_inputs COMMAND driftlab_fuzz --hostile)
add_test(NAME fuzz_short_run COMMAND driftlab_fuzz --runs 3000 --seed 7)
set_tests_properties(fuzz_hostile_inputs fuzz_short_run PROPERTIES LABELS fuzz TIMEOUT 300)
