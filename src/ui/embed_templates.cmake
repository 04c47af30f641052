# Turns every templates/*.mustache file into a raw-string constant in one generated .cpp, so the
# pages ship inside the binary. Run as: cmake -DTEMPLATE_DIR=<dir> -DOUT=<file.cpp> -P <this>.
file(GLOB templates "${TEMPLATE_DIR}/*.mustache")
list(SORT templates)
set(delimiter "lk_tpl")
set(body "")
foreach(path IN LISTS templates)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string delimiter )${delimiter}\"")
  endif()
  string(APPEND body "    EmbeddedTemplate{\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
list(LENGTH templates count)
set(content "// Generated from src/ui/templates by src/ui/embed_templates.cmake. Do not edit.
#include \"ui/embedded_templates.hpp\"

#include <array>

namespace latchkey::ui::detail {

namespace {
constexpr std::array<EmbeddedTemplate, ${count}> kTemplates{
${body}};
}  // namespace

std::span<const EmbeddedTemplate> embedded_templates() { return kTemplates; }

}  // namespace latchkey::ui::detail
")
# Only rewrite when the text changed, so an unchanged template does not rebuild the library.
if(EXISTS "${OUT}")
  file(READ "${OUT}" previous)
  if(previous STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${content}")
