#include "store/codec.hpp"

#include <chrono>
#include <limits>

namespace latchkey::store {
namespace {

using Json = nlohmann::json;

// The widest millisecond count a TimePoint (nanoseconds on libstdc++) can represent.
constexpr std::int64_t kMaxMs =
    std::chrono::duration_cast<std::chrono::milliseconds>(TimePoint::duration::max()).count();
constexpr std::int64_t kMinMs =
    std::chrono::duration_cast<std::chrono::milliseconds>(TimePoint::duration::min()).count();

std::optional<std::string> string_member(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::int64_t to_unix_ms(TimePoint t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_ms(std::int64_t ms) {
  const std::int64_t clamped = ms > kMaxMs ? kMaxMs : (ms < kMinMs ? kMinMs : ms);
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(clamped)));
}

std::string encode_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<nlohmann::json> decode_json(std::string_view text) {
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::optional<nlohmann::json> decode_json_object(std::string_view text) {
  auto parsed = decode_json(text);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  return parsed;
}

std::string encode_strings(const std::vector<std::string>& values) {
  Json array = Json::array();
  for (const auto& value : values) array.push_back(value);
  return encode_json(array);
}

std::optional<std::vector<std::string>> decode_strings(std::string_view text) {
  const auto parsed = decode_json(text);
  if (!parsed || !parsed->is_array()) return std::nullopt;
  std::vector<std::string> values;
  values.reserve(parsed->size());
  for (const auto& item : *parsed) {
    if (!item.is_string()) return std::nullopt;
    values.push_back(item.get<std::string>());
  }
  return values;
}

std::string encode_scopes(const std::vector<model::Scope>& scopes) {
  Json array = Json::array();
  for (const auto& scope : scopes) {
    array.push_back(Json{{"value", scope.value}, {"description", scope.description}});
  }
  return encode_json(array);
}

std::optional<std::vector<model::Scope>> decode_scopes(std::string_view text) {
  const auto parsed = decode_json(text);
  if (!parsed || !parsed->is_array()) return std::nullopt;
  std::vector<model::Scope> scopes;
  scopes.reserve(parsed->size());
  for (const auto& item : *parsed) {
    if (!item.is_object()) return std::nullopt;
    auto value = string_member(item, "value");
    auto description = string_member(item, "description");
    if (!value || !description) return std::nullopt;
    scopes.push_back(model::Scope{std::move(*value), std::move(*description)});
  }
  return scopes;
}

std::string fold_email(std::string_view email) {
  std::string folded(email);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

}  // namespace latchkey::store
