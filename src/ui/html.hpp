#pragma once
// HTML escaping for the few pages built without a template (errors, form_post).

#include <string>
#include <string_view>

namespace latchkey::ui {

/// Escapes & < > " ' so the text is safe in element content and quoted attributes.
[[nodiscard]] std::string escape_html(std::string_view text);

}  // namespace latchkey::ui
