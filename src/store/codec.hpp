#pragma once
// Encodings shared by the SQL back ends: times as Unix milliseconds, JSON columns as text, and
// the case folding of emails. Decoders never throw: a value that does not decode is reported as
// nullopt and the back end answers `StoreError::unavailable` (the row is corrupt).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "model/model.hpp"

namespace latchkey::store {

/// Milliseconds since the Unix epoch, rounded toward the past.
[[nodiscard]] std::int64_t to_unix_ms(TimePoint t);
/// The inverse of to_unix_ms; values outside what TimePoint can hold are clamped.
[[nodiscard]] TimePoint from_unix_ms(std::int64_t ms);

/// Compact JSON text. Invalid UTF-8 inside strings is replaced (U+FFFD), never thrown.
[[nodiscard]] std::string encode_json(const nlohmann::json& value);
/// Parses JSON text; nullopt if it is not valid JSON.
[[nodiscard]] std::optional<nlohmann::json> decode_json(std::string_view text);
/// Parses JSON text that must hold an object; nullopt otherwise.
[[nodiscard]] std::optional<nlohmann::json> decode_json_object(std::string_view text);

/// A JSON array of strings.
[[nodiscard]] std::string encode_strings(const std::vector<std::string>& values);
/// nullopt unless `text` is a JSON array whose items are all strings.
[[nodiscard]] std::optional<std::vector<std::string>> decode_strings(std::string_view text);

/// A JSON array of {"value", "description"} objects.
[[nodiscard]] std::string encode_scopes(const std::vector<model::Scope>& scopes);
/// nullopt unless `text` is such an array with string members.
[[nodiscard]] std::optional<std::vector<model::Scope>> decode_scopes(std::string_view text);

/// Folds ASCII letters to lower case; other bytes (UTF-8 included) are kept as they are.
[[nodiscard]] std::string fold_email(std::string_view email);

}  // namespace latchkey::store
