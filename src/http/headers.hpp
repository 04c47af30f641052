#pragma once
// An ordered, case-insensitive list of HTTP header fields, shared by requests and responses.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::http {

/// True when a and b are equal ignoring ASCII case (header names, tokens).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

/// True when `name` is an RFC 9110 §5.6.2 token (the syntax of a field name).
[[nodiscard]] bool is_token(std::string_view name);

/// True when `value` may be sent as a field value: no CR, LF or NUL (RFC 9110 §5.5).
[[nodiscard]] bool is_safe_field_value(std::string_view value);

/// Header fields in arrival (or insertion) order. Names compare case-insensitively.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  /// The first value of `name`, or nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  /// Every value of `name`, in order.
  [[nodiscard]] std::vector<std::string_view> all(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }

  /// Replaces every field called `name` with one field.
  void set(std::string_view name, std::string_view value);
  /// Appends a field, keeping any existing ones (e.g. several Set-Cookie).
  void add(std::string_view name, std::string_view value);
  /// Removes every field called `name`.
  void remove(std::string_view name);

  /// True when every name is a token and no value holds CR, LF or NUL; the server refuses to
  /// send anything else, so a handler bug can never split a response.
  [[nodiscard]] bool valid() const;

  [[nodiscard]] const std::vector<Field>& fields() const { return fields_; }
  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace latchkey::http
