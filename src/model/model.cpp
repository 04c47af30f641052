#include "model/model.hpp"

#include <array>
#include <utility>

namespace latchkey::model {
namespace {

constexpr std::array<std::pair<AppType, std::string_view>, 4> kAppTypes = {{
    {AppType::regular_web, "regular_web"},
    {AppType::spa, "spa"},
    {AppType::native, "native"},
    {AppType::non_interactive, "non_interactive"},
}};

constexpr std::array<std::pair<KeyState, std::string_view>, 4> kKeyStates = {{
    {KeyState::next, "next"},
    {KeyState::current, "current"},
    {KeyState::previous, "previous"},
    {KeyState::revoked, "revoked"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AppType type) { return name_of(kAppTypes, type); }
std::optional<AppType> parse_app_type(std::string_view text) { return value_of(kAppTypes, text); }
std::string_view to_string(KeyState state) { return name_of(kKeyStates, state); }
std::optional<KeyState> parse_key_state(std::string_view text) {
  return value_of(kKeyStates, text);
}

}  // namespace latchkey::model
