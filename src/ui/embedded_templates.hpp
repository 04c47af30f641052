#pragma once
// The page templates compiled into the binary (generated from src/ui/templates/*.mustache by
// embed_templates.cmake at build time).

#include <span>
#include <string_view>

namespace latchkey::ui::detail {

struct EmbeddedTemplate {
  std::string_view name;  ///< file name without ".mustache", e.g. "login"
  std::string_view text;
};

/// Every embedded template, sorted by name.
[[nodiscard]] std::span<const EmbeddedTemplate> embedded_templates();

}  // namespace latchkey::ui::detail
