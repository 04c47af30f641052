#include "http/form.hpp"

namespace latchkey::http {

Result<std::optional<std::string>, ParamError> Params::get(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [key, value] : params_) {
    if (key != name) continue;
    if (found) return fail(ParamError::repeated);
    found = value;
  }
  return found;
}

std::vector<std::string> Params::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : params_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

bool Params::contains(std::string_view name) const {
  for (const auto& param : params_) {
    if (param.first == name) return true;
  }
  return false;
}

void Params::add(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

std::string Params::encode() const {
  std::string out;
  for (const auto& [key, value] : params_) {
    if (!out.empty()) out.push_back('&');
    out += form_encode(key);
    out.push_back('=');
    out += form_encode(value);
  }
  return out;
}

Result<Params, PercentError> parse_form(std::string_view text) {
  Params params;
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view segment = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (segment.empty()) continue;
    const std::size_t eq = segment.find('=');
    const std::string_view raw_name = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    auto name = percent_decode(raw_name, PlusMode::space);
    if (!name) return fail(name.error());
    auto value = percent_decode(raw_value, PlusMode::space);
    if (!value) return fail(value.error());
    params.add(std::move(name).value(), std::move(value).value());
  }
  return params;
}

}  // namespace latchkey::http
