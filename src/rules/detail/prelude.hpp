#pragma once
// The Rules and Actions runtime written in JavaScript (src/rules/prelude.js), embedded at build
// time. It defines the global function kPreludeEntry(input_json, functions).

#include <string_view>

namespace latchkey::rules::detail {

extern const std::string_view kPrelude;
inline constexpr std::string_view kPreludeName = "latchkey:prelude";
inline constexpr std::string_view kPreludeEntry = "__latchkey_pipeline";

}  // namespace latchkey::rules::detail
