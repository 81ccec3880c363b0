# The desktop app `driftlab` (GLFW + OpenGL 3.3 core via libepoxy + Dear ImGui 1.86), included from the
# top CMakeLists.txt when DRIFTLAB_BUILD_APP=ON. Debian packages only (STYLE.md L19, TOOLCHAIN.md §2).
find_package(glfw3 3.3 REQUIRED)                     # libglfw3-dev
set(OpenGL_GL_PREFERENCE GLVND)
find_package(OpenGL REQUIRED)                        # libgl-dev
find_package(PkgConfig REQUIRED)
pkg_check_modules(IMGUI IMPORTED_TARGET imgui)       # brings -lstb along (TOOLCHAIN.md §4)
if(NOT IMGUI_FOUND)
  message(FATAL_ERROR "Dear ImGui not found: apt-get install libimgui-dev")
endif()
pkg_check_modules(EPOXY IMPORTED_TARGET epoxy)
if(NOT EPOXY_FOUND)
  message(FATAL_ERROR "libepoxy not found: apt-get install libepoxy-dev")
endif()
option(DRIFTLAB_GL_DEBUG "Check glGetError after wrapped GL calls" OFF)

# ---- shaders embedded at build time (shaders/embed.cmake) ----
set(DRIFTLAB_SHADER_DIR ${CMAKE_CURRENT_SOURCE_DIR}/shaders)
file(GLOB DRIFTLAB_SHADER_FILES CONFIGURE_DEPENDS ${DRIFTLAB_SHADER_DIR}/*.glsl)
set(DRIFTLAB_EMBEDDED_SHADERS ${CMAKE_BINARY_DIR}/gen/embedded_shaders.cpp)
add_custom_command(OUTPUT ${DRIFTLAB_EMBEDDED_SHADERS}
  COMMAND ${CMAKE_COMMAND} -DSRC=${DRIFTLAB_SHADER_DIR} -DOUT=${DRIFTLAB_EMBEDDED_SHADERS}
          -P ${DRIFTLAB_SHADER_DIR}/embed.cmake
  DEPENDS ${DRIFTLAB_SHADER_FILES} ${DRIFTLAB_SHADER_DIR}/embed.cmake
  COMMENT "Embedding shaders/*.glsl"
  VERBATIM)
# ---- the guided lessons, embedded the same way (app/lesson.hpp) ----
set(DRIFTLAB_LESSON_DIR ${CMAKE_CURRENT_SOURCE_DIR}/assets/lessons)
file(GLOB DRIFTLAB_LESSON_FILES CONFIGURE_DEPENDS ${DRIFTLAB_LESSON_DIR}/*.lesson)
set(DRIFTLAB_EMBEDDED_LESSONS ${CMAKE_BINARY_DIR}/gen/embedded_lessons.cpp)
add_custom_command(OUTPUT ${DRIFTLAB_EMBEDDED_LESSONS}
  COMMAND ${CMAKE_COMMAND} -DSRC=${DRIFTLAB_LESSON_DIR} -DOUT=${DRIFTLAB_EMBEDDED_LESSONS} -DKIND=lessons
          -P ${DRIFTLAB_SHADER_DIR}/embed.cmake
  DEPENDS ${DRIFTLAB_LESSON_FILES} ${DRIFTLAB_SHADER_DIR}/embed.cmake
  COMMENT "Embedding assets/lessons/*.lesson"
  VERBATIM)

# ---- the executable ----
file(GLOB DRIFTLAB_APP_SOURCES CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/app/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/app/render/*.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/app/capture/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/app/ui/*.cpp)
add_executable(driftlab ${DRIFTLAB_APP_SOURCES} ${DRIFTLAB_EMBEDDED_SHADERS} ${DRIFTLAB_EMBEDDED_LESSONS})
target_include_directories(driftlab PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/app)
target_link_libraries(driftlab PRIVATE driftlab::core PkgConfig::IMGUI PkgConfig::EPOXY glfw OpenGL::GL
                      CLI11::CLI11 Threads::Threads)
target_compile_definitions(driftlab PRIVATE DRIFTLAB_SHADER_DIR="${DRIFTLAB_SHADER_DIR}"
                           DRIFTLAB_VERSION="${PROJECT_VERSION}")
if(DRIFTLAB_GL_DEBUG)
  target_compile_definitions(driftlab PRIVATE DRIFTLAB_GL_DEBUG=1)
endif()
driftlab_configure_target(driftlab)

# GUI-free unit tests of the panels (owned by app-ui), when present
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/app/ui/ui.cmake)
  include(${CMAKE_CURRENT_SOURCE_DIR}/app/ui/ui.cmake)
endif()

# ---- app tests under Xvfb (llvmpipe) ----
if(DRIFTLAB_BUILD_TESTS)
  # pixel statistics of a PNG in a rectangle (stb_image from Debian's libstb)
  add_executable(driftlab_png_stats ${CMAKE_CURRENT_SOURCE_DIR}/tests/app/png_stats.cpp)
  target_link_libraries(driftlab_png_stats PRIVATE PkgConfig::IMGUI)   # for -I/usr/include/stb -lstb
  driftlab_configure_target(driftlab_png_stats)

  # GUI-free unit tests of the app's pure parts (cameras, colour maps, scripts, run loading)
  find_package(doctest REQUIRED)
  add_executable(driftlab_app_unit_tests ${CMAKE_CURRENT_SOURCE_DIR}/tests/app/app_unit_test.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/script.cpp ${CMAKE_CURRENT_SOURCE_DIR}/app/run_loader.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/lesson.cpp ${DRIFTLAB_EMBEDDED_LESSONS}
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/ui/image_shape.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/render/camera.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/render/orbit_camera.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/render/colormap.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/render/caption.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/app/capture/captures_folder.cpp)
  target_include_directories(driftlab_app_unit_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/app)
  target_link_libraries(driftlab_app_unit_tests PRIVATE driftlab::core doctest::doctest)
  driftlab_configure_target(driftlab_app_unit_tests)
  add_test(NAME app_unit_tests COMMAND driftlab_app_unit_tests)
  set_tests_properties(app_unit_tests PROPERTIES LABELS app)

  find_program(DRIFTLAB_XVFB Xvfb)
  find_program(DRIFTLAB_BASH bash)
  if(DRIFTLAB_XVFB AND DRIFTLAB_BASH)
    # each script runs the app on its own Xvfb server (llvmpipe) and checks its output (tests/app/*.sh)
    foreach(t presets pixels script_change tools deterministic record errors generator load highdim export sphere_view images presenter equations fork lesson dfm)
      add_test(NAME app_${t}
               COMMAND ${DRIFTLAB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/tests/app/${t}.sh $<TARGET_FILE:driftlab>
                       $<TARGET_FILE:driftlab_png_stats> ${CMAKE_BINARY_DIR}/app_test_out/${t} ${CMAKE_CURRENT_SOURCE_DIR})
      set_tests_properties(app_${t} PROPERTIES TIMEOUT 300 LABELS app)
    endforeach()
  else()
    message(STATUS "Xvfb not found: the app tests under Xvfb are not registered (apt-get install xvfb)")
  endif()
endif()
