# Writes OUTPUT, a C++ source defining latchkey::rules::detail::prelude_source() from the JS in
# INPUT, so the runtime ships inside the binary. Run at build time by src/rules/CMakeLists.txt.
file(READ ${INPUT} source)
file(WRITE ${OUTPUT}.tmp
  "// Generated from src/rules/prelude.js by embed_prelude.cmake; do not edit.\n"
  "#include \"rules/detail/prelude.hpp\"\n\n"
  "namespace latchkey::rules::detail {\n\n"
  "std::string_view prelude_source() {\n"
  "  return R\"latchkey_js(${source})latchkey_js\";\n"
  "}\n\n"
  "}  // namespace latchkey::rules::detail\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
