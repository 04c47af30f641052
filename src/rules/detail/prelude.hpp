#pragma once
// The Rules and Actions runtime written in JavaScript (src/rules/prelude.js), embedded at build
// time. It defines the global function kPreludeEntry(input_json, functions).

#include <string_view>

namespace latchkey::rules::detail {

/// The text of src/rules/prelude.js.
[[nodiscard]] std::string_view prelude_source();
inline constexpr std::string_view kPreludeName = "latchkey:prelude";
inline constexpr std::string_view kPreludeEntry = "__latchkey_pipeline";

}  // namespace latchkey::rules::detail
