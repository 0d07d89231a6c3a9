# Helpers that keep every folder's CMakeLists.txt to a few lines.

# The options of every target alike, as the shared precompiled header requires (GCC ignores a PCH
# built with other code-generation flags, and the target then compiles ~3x slower).
set(HASHRL_COMPILE_OPTIONS -Wall -Wextra -Wpedantic -Wno-unused-parameter)
# POPCNT is on every x86-64 made since 2008; without it a Hamming distance is a software routine.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  list(APPEND HASHRL_COMPILE_OPTIONS -mpopcnt)
endif()
# The Python module links the static layer libraries into a shared object, which needs them
# position-independent. Executables get the same flag (PIC code runs in a PIE executable) so that
# one PCH serves all; no semantic interposition keeps GCC inlining as it does without -fPIC. Not
# only with HASHRL_BUILD_PYTHON: main.sh configures build/ without the module, and objects compiled
# with other flags would be compiled again when test.sh turns it back on. (The sanitizer build has
# no module: CMakeLists.txt.)
if(NOT HASHRL_SANITIZE)
  list(APPEND HASHRL_COMPILE_OPTIONS -fPIC -fno-semantic-interposition)
endif()
# Every target links these, so that all share the compile definitions (FMT_SHARED, BOOST_...) that
# a reused precompiled header must agree with; GCC silently ignores a PCH built with others.
set(HASHRL_BASE_DEPS torch fmt::fmt Boost::program_options nlohmann_json::nlohmann_json)
if(HASHRL_OPENMP)
  list(APPEND HASHRL_BASE_DEPS OpenMP::OpenMP_CXX)
endif()

# One precompiled torch header, built once and reused by every target: a translation unit that
# parses <torch/torch.h> from scratch costs ~15-20 s on this machine.
function(hashrl_pch_target)
  add_library(hashrl_pch STATIC "${CMAKE_SOURCE_DIR}/cmake/pch.cpp")
  target_link_libraries(hashrl_pch PUBLIC ${HASHRL_BASE_DEPS})
  target_compile_options(hashrl_pch PRIVATE ${HASHRL_COMPILE_OPTIONS})
  target_precompile_headers(hashrl_pch PRIVATE <torch/torch.h> <fmt/format.h> <string> <vector>)
endfunction()

function(hashrl_use_pch target)
  target_precompile_headers(${target} REUSE_FROM hashrl_pch)
  target_compile_options(${target} PRIVATE ${HASHRL_COMPILE_OPTIONS})
endfunction()

# Sources (of the current folder) that include no LibTorch header, directly or through hashrl's:
# compiled without the precompiled header, whose loading alone (600 MB of torch/torch.h) costs GCC
# 5-10 s a file, more than most of these take to compile whole.
function(hashrl_skip_pch)
  set_source_files_properties(${ARGN} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()

# hashrl_add_library(<folder> SOURCES ... [WITHOUT_TORCH ...] DEPS ...): the target
# hashrl_<folder>, exported as hashrl::<folder>, with its headers installed under
# include/hashrl/<folder>. WITHOUT_TORCH: sources among SOURCES that skip the precompiled header.
function(hashrl_add_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;WITHOUT_TORCH;DEPS" ${ARGN})
  set(target hashrl_${folder})
  add_library(${target} STATIC ${ARG_SOURCES})
  if(ARG_WITHOUT_TORCH)
    hashrl_skip_pch(${ARG_WITHOUT_TORCH})
  endif()
  add_library(hashrl::${folder} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${folder} OUTPUT_NAME hashrl_${folder})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(${target} PUBLIC ${HASHRL_BASE_DEPS} ${ARG_DEPS})
  hashrl_use_pch(${target})
  install(TARGETS ${target} EXPORT hashrlTargets ARCHIVE DESTINATION lib)
  install(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/" DESTINATION include/hashrl/${folder}
    FILES_MATCHING PATTERN "*.h")
endfunction()

# Links every layer library whole into `target` (the hashrl tool, the Python module) and exports
# their symbols: a plugin (common/plugins.h) is built against the headers alone and resolves every
# hashrl function it calls against the process that loads it, so the linker may drop nothing that
# a plugin could call, and the registrations beside each implementation always run.
function(hashrl_link_all_layers target)
  set(archives)
  foreach(layer ${HASHRL_LAYERS})
    list(APPEND archives "$<TARGET_FILE:hashrl_${layer}>")
  endforeach()
  target_link_options(${target} PRIVATE "LINKER:--whole-archive" ${archives} "LINKER:--no-whole-archive"
    "LINKER:--export-dynamic")
endfunction()

# hashrl::plugin: what a plugin compiles against — the installed headers and the libraries their
# inline code needs (LibTorch, fmt, nlohmann-json, range-v3) — and no layer library.
function(hashrl_plugin_target)
  add_library(hashrl_plugin INTERFACE)
  add_library(hashrl::plugin ALIAS hashrl_plugin)
  set_target_properties(hashrl_plugin PROPERTIES EXPORT_NAME plugin)
  target_include_directories(hashrl_plugin INTERFACE
    $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(hashrl_plugin INTERFACE torch fmt::fmt nlohmann_json::nlohmann_json range-v3::range-v3)
  install(TARGETS hashrl_plugin EXPORT hashrlTargets)
endfunction()
