# Helpers that every folder uses, so each kind of target is declared one way.
#
#   hcms_module(NAME store DEPS hcms_core PkgConfig::SQLITE3)
#     builds src/<NAME>/*.cc (without *_test.cc) into the static library hcms_<NAME>,
#     and src/<NAME>/*_test.cc into the unit-test program hcms_<NAME>_test (label "unit").
#     TEST_DEPS adds libraries the tests need on top of the module and gtest.

set(HCMS_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2
    # GCC 12 warns when designated initialisers leave members to their defaults.
    -Wno-missing-field-initializers
    # GCC 12 false positives on std::string concatenation at -O2 (GCC PR 105651,
    # 105329); ASan checks real out-of-bounds accesses at run time.
    -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow)

if(HCMS_WERROR)
  list(APPEND HCMS_WARNINGS -Werror)
endif()

add_library(hcms_options INTERFACE)
target_compile_options(hcms_options INTERFACE ${HCMS_WARNINGS})
target_include_directories(hcms_options INTERFACE ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
# Boost 1.74's asio: keep deprecated interfaces out, and use std::string_view.
target_compile_definitions(hcms_options INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW
                           BOOST_ASIO_DISABLE_BOOST_COROUTINE)
if(HCMS_SANITIZE)
  target_compile_options(hcms_options INTERFACE -fsanitize=${HCMS_SANITIZE} -fno-sanitize-recover=all
                         -fno-omit-frame-pointer)
  target_link_options(hcms_options INTERFACE -fsanitize=${HCMS_SANITIZE} -fno-sanitize-recover=all)
  # Sanitizer instrumentation makes GCC 12's flow analysis report uninitialised
  # reads inside libstdc++ (std::regex, std::function) that do not exist.
  target_compile_options(hcms_options INTERFACE -Wno-maybe-uninitialized)

endif()

# One precompiled header shared by every library and test program.
add_library(hcms_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
target_link_libraries(hcms_pch PUBLIC hcms_options nlohmann_json::nlohmann_json fmt::fmt)
target_precompile_headers(hcms_pch PUBLIC
  <utility> <algorithm> <chrono> <cstdint> <expected> <functional> <map> <memory> <mutex>
  <optional> <span> <string> <string_view> <unordered_map> <variant> <vector>
  <fmt/format.h> <nlohmann/json.hpp>)

# Test programs share a second precompiled header that adds GoogleTest and GoogleMock.
add_library(hcms_test_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
target_link_libraries(hcms_test_pch PUBLIC hcms_options nlohmann_json::nlohmann_json fmt::fmt GTest::gtest
                      GTest::gmock)
target_precompile_headers(hcms_test_pch PUBLIC
  <utility> <algorithm> <chrono> <cstdint> <expected> <functional> <map> <memory> <mutex>
  <optional> <span> <string> <string_view> <unordered_map> <variant> <vector>
  <fmt/format.h> <nlohmann/json.hpp> <gtest/gtest.h> <gmock/gmock.h>)

function(hcms_module)
  cmake_parse_arguments(M "" "NAME" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  if(tests)
    list(REMOVE_ITEM srcs ${tests})
  endif()
  set(lib hcms_${M_NAME})
  add_library(${lib} STATIC ${srcs})
  target_link_libraries(${lib} PUBLIC hcms_options ${M_DEPS})
  target_precompile_headers(${lib} REUSE_FROM hcms_pch)
  if(tests)
    set(t hcms_${M_NAME}_test)
    add_executable(${t} ${tests})
    target_link_libraries(${t} PRIVATE ${lib} hcms_testing ${M_TEST_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_precompile_headers(${t} REUSE_FROM hcms_test_pch)

    add_test(NAME ${t} COMMAND ${t} --gtest_brief=1)
    set_tests_properties(${t} PROPERTIES LABELS unit TIMEOUT 600 ENVIRONMENT "TEST_HCMS_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
