#pragma once
// application/x-www-form-urlencoded parameters (WHATWG URL §5, as RFC 6749 §3 uses them).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/percent.hpp"

namespace latchkey::http {

enum class ParamError {
  repeated,  ///< a parameter that must be single occurs more than once
};

/// An ordered list of (name, value) pairs, as they were sent.
class Params {
 public:
  using Param = std::pair<std::string, std::string>;

  Params() = default;
  Params(std::initializer_list<Param> params) : params_(params) {}

  /// The value of `name`, nullopt when absent. Fails with ParamError::repeated when the name occurs
  /// more than once: RFC 6749 §3.1 says request parameters MUST NOT be included more than once.
  [[nodiscard]] Result<std::optional<std::string>, ParamError> get(std::string_view name) const;
  /// Every value of `name` in order, for parameters that may repeat (RFC 8707 `resource`).
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const;

  void add(std::string name, std::string value);

  /// Serialises as `a=b&c=d` with form_encode; parse_form(encode()) gives the same list back.
  [[nodiscard]] std::string encode() const;

  [[nodiscard]] const std::vector<Param>& items() const { return params_; }
  [[nodiscard]] std::size_t size() const { return params_.size(); }
  [[nodiscard]] bool empty() const { return params_.empty(); }

  friend bool operator==(const Params&, const Params&) = default;

 private:
  std::vector<Param> params_;
};

/// Parses `a=b&c=d` ('+' is a space). Empty segments (`a=1&&b=2`) are skipped; a segment without
/// '=' is a name with an empty value. Fails on malformed percent-encoding or a NUL byte.
[[nodiscard]] Result<Params, PercentError> parse_form(std::string_view text);

}  // namespace latchkey::http
