# Writes OUTPUT, a C++ source defining latchkey::rules::detail::kPrelude from the JavaScript in
# INPUT, so the runtime ships inside the binary. Run at build time by src/rules/CMakeLists.txt.
file(READ ${INPUT} source)
file(WRITE ${OUTPUT}.tmp
  "// Generated from src/rules/prelude.js by embed_prelude.cmake; do not edit.\n"
  "#include \"rules/detail/prelude.hpp\"\n\n"
  "namespace latchkey::rules::detail {\n\n"
  "const std::string_view kPrelude = R\"latchkey_js(${source})latchkey_js\";\n\n"
  "}  // namespace latchkey::rules::detail\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
