#include "ui/renderer.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ui/embedded_templates.hpp"

namespace latchkey::ui {
namespace {

constexpr std::string_view kPageSlot = "{{>page}}";
constexpr std::string_view kTemplateExtension = ".mustache";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read template " + path.string());
  return text.str();
}

/// The embedded text of `name`, or the override file's when one exists.
std::string template_text(std::string_view name, std::string_view embedded,
                          const std::optional<std::filesystem::path>& override_dir) {
  if (override_dir) {
    const auto path = *override_dir / (std::string(name) + std::string(kTemplateExtension));
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return read_file(path);
  }
  return std::string(embedded);
}

/// The layout with the page text in its slot. Splicing the text (rather than using a runtime
/// partial) lets each page be parsed once, here, instead of on every render.
std::string compose(std::string_view name, const std::string& layout, const std::string& page) {
  const auto slot = layout.find(kPageSlot);
  if (slot == std::string::npos) {
    throw std::runtime_error("template layout has no " + std::string(kPageSlot) + " for page " +
                             std::string(name));
  }
  std::string text = layout;
  text.replace(slot, kPageSlot.size(), page);
  return text;
}

}  // namespace

Renderer::Renderer(const std::optional<std::filesystem::path>& override_dir) {
  std::string layout;
  for (const auto& entry : detail::embedded_templates()) {
    if (entry.name == kLayoutTemplate) layout = template_text(entry.name, entry.text, override_dir);
  }
  for (const auto& entry : detail::embedded_templates()) {
    if (entry.name == kLayoutTemplate) continue;
    const std::string page = template_text(entry.name, entry.text, override_dir);
    kainjow::mustache::mustache parsed(compose(entry.name, layout, page));
    if (!parsed.is_valid()) {
      throw std::runtime_error("template " + std::string(entry.name) +
                               " does not parse: " + parsed.error_message());
    }
    pages_.emplace(std::string(entry.name), std::move(parsed));
  }
}

std::string Renderer::render(std::string_view page, const TemplateData& data) const {
  const auto it = pages_.find(page);
  if (it == pages_.end()) throw std::out_of_range("unknown page " + std::string(page));
  // kainjow's render() is not const; a copy of the parsed tree keeps concurrent renders apart.
  kainjow::mustache::mustache copy = it->second;
  return copy.render(data);
}

bool Renderer::has_page(std::string_view page) const { return pages_.find(page) != pages_.end(); }

}  // namespace latchkey::ui
