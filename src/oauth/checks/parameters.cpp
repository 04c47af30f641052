#include "oauth/checks/parameters.hpp"

#include <vector>

namespace latchkey::oauth::checks {

Result<std::optional<std::string>, OAuthError> single_parameter(const http::Params& params,
                                                                std::string_view name) {
  auto value = params.get(name);
  // RFC 6749 §3.1: request parameters MUST NOT be included more than once.
  if (!value) return fail(invalid_request("Parameter '" + std::string(name) + "' is repeated"));
  return std::move(value).value();
}

Result<void, OAuthError> check_no_repeated_parameters(const http::Params& params) {
  for (const std::string_view name : kSingleParameters) {
    const auto value = single_parameter(params, name);
    if (!value) return fail(value.error());
  }
  return {};
}

Result<std::string, OAuthError> check_audience_parameters(const http::Params& params) {
  auto audience = single_parameter(params, "audience");
  if (!audience) return fail(audience.error());
  const std::vector<std::string> resources = params.all("resource");
  std::optional<std::string> resource;
  for (const auto& value : resources) {
    // RFC 8707 §2 allows several resources; latchkey's tokens carry one audience.
    if (resource && *resource != value) {
      return fail(invalid_request("Only one resource (audience) can be requested"));
    }
    resource = value;
  }
  if (audience->has_value() && resource && **audience != *resource) {
    return fail(invalid_request("The audience and resource parameters differ"));
  }
  if (audience->has_value()) return **audience;
  return resource.value_or(std::string());
}

}  // namespace latchkey::oauth::checks
