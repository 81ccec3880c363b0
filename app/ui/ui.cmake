# Tests of the ImGui panels (owned by app-ui); included from app/app.cmake.
#  - driftlab_ui_tests: GUI-free doctest suite (plot maths, help texts, image matching, the Equations
#    window's text and probe values): no ImGui, no GL.
#  - driftlab_ui_smoke: runs drawUi in headless ImGui frames (no backend, no GL context, no
#    display) with a fabricated Snapshot (STYLE.md L12).
if(DRIFTLAB_BUILD_TESTS)
  find_package(doctest REQUIRED)  # doctest-dev
  enable_testing()
  set(ui_dir ${CMAKE_CURRENT_LIST_DIR})

  add_executable(driftlab_ui_tests
    ${ui_dir}/tests/test_main.cpp ${ui_dir}/tests/plot_math_test.cpp ${ui_dir}/tests/param_help_test.cpp
    ${ui_dir}/tests/image_match_test.cpp ${ui_dir}/tests/equation_text_test.cpp
    ${ui_dir}/plot_math.cpp ${ui_dir}/param_help.cpp ${ui_dir}/image_match.cpp ${ui_dir}/image_shape.cpp
    ${ui_dir}/equation_text.cpp)
  target_link_libraries(driftlab_ui_tests PRIVATE driftlab::core doctest::doctest)  # core: names only
  driftlab_configure_target(driftlab_ui_tests)
  add_test(NAME ui_unit_tests COMMAND driftlab_ui_tests)

  file(GLOB ui_sources CONFIGURE_DEPENDS ${ui_dir}/*.cpp)
  # the shell's keyboard shortcuts (app/shortcuts.cpp) are driven the same way; the Images window
  # frames particles in the canvas's category colours (render/colormap.cpp, GL-free)
  add_executable(driftlab_ui_smoke ${ui_dir}/tests/ui_smoke_test.cpp ${ui_dir}/tests/equations_smoke_test.cpp
                 ${ui_sources} ${ui_dir}/../shortcuts.cpp
                 ${ui_dir}/../render/colormap.cpp)
  target_include_directories(driftlab_ui_smoke PRIVATE ${ui_dir}/..)
  target_link_libraries(driftlab_ui_smoke PRIVATE driftlab::core PkgConfig::IMGUI doctest::doctest)
  driftlab_configure_target(driftlab_ui_smoke)
  add_test(NAME ui_smoke COMMAND driftlab_ui_smoke)
endif()
