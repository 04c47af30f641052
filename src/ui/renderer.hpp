#pragma once
// Server-rendered pages from logic-less Mustache templates. The templates ship inside the binary;
// an operator's templates directory may replace any of them, file by file. `{{x}}` escapes HTML,
// so user data must only ever be written with double braces.

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::ui {

using TemplateData = kainjow::mustache::data;

/// The name of the shared layout template; its `{{>page}}` tag is where each page goes.
inline constexpr std::string_view kLayoutTemplate = "layout";

/// Renders named pages (login, signup, consent, error, blocked) inside the shared layout.
/// Thread-safe: render() never mutates the parsed templates.
class Renderer {
 public:
  /// Parses every page once. `override_dir`, when given, may hold `<name>.mustache` files that
  /// replace the embedded template of the same name (the layout included). Throws
  /// std::runtime_error naming the template when an override cannot be read or a template does
  /// not parse: both are start-up errors.
  explicit Renderer(const std::optional<std::filesystem::path>& override_dir = std::nullopt);

  /// The page rendered with `data`. Throws std::out_of_range for an unknown page name (a bug).
  [[nodiscard]] std::string render(std::string_view page, const TemplateData& data) const;

  /// True when `page` names a page this renderer knows.
  [[nodiscard]] bool has_page(std::string_view page) const;

 private:
  std::map<std::string, kainjow::mustache::mustache, std::less<>> pages_;
};

}  // namespace latchkey::ui
