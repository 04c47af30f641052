#pragma once
// JSON parsing for untrusted JOSE input. nlohmann's parser keeps the last of two members with the
// same name; a JOSE header or claims set that says "alg" twice must instead be rejected
// (RFC 7515 §5.2 step 4, RFC 7519 §4), because two parsers could read it two ways.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.hpp"

namespace latchkey::jose {

enum class StrictJsonError {
  invalid,        // not JSON (or not UTF-8, or trailing text)
  duplicate_key,  // some object, at any depth, names a member twice
  not_an_object,  // valid JSON whose top level is not an object
};

/// Parses `text` as a JSON object, rejecting duplicate member names at every depth. Never
/// throws.
[[nodiscard]] Result<nlohmann::json, StrictJsonError> parse_json_object_strict(
    std::string_view text);

}  // namespace latchkey::jose
