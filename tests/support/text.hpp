#pragma once
// Small checks on text (pages, bodies) shared by the tests.

#include <string_view>

namespace latchkey::testing {

/// Whether `needle` occurs in `text`.
inline bool has(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

}  // namespace latchkey::testing
