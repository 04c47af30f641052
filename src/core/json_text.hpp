#pragma once
// JSON text written straight into a buffer, byte for byte as nlohmann::json's dump(-1, ' ',
// false, error_handler_t::replace) writes it, without building a JSON value first.

#include <spdlog/common.h>

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace latchkey {

using TextBuffer = spdlog::memory_buf_t;

/// Appends `text` as a quoted JSON string: '"', '\\' and control characters escaped (\b \f \n \r
/// \t, the others as \u00xx), UTF-8 kept as is, and each ill-formed UTF-8 sequence replaced by
/// U+FFFD as nlohmann::json's error_handler_t::replace does.
void append_json_string(TextBuffer& out, std::string_view text);

/// Appends a member's name and its colon, after a ',' unless it is the object's `first` member
/// (the caller writes the braces).
void append_json_member_name(TextBuffer& out, std::string_view name, bool first);

/// Appends a JSON value as nlohmann::json's dump(-1, ' ', false, error_handler_t::replace).
void append_json_value(TextBuffer& out, const nlohmann::json& value);

/// Appends a number as nlohmann::json writes it: the shortest text that reads back the same
/// double ("1.0" for one, "null" for NaN and infinities), integers in decimal.
void append_json_number(TextBuffer& out, double number);
void append_json_number(TextBuffer& out, std::int64_t number);
void append_json_number(TextBuffer& out, std::uint64_t number);

}  // namespace latchkey
