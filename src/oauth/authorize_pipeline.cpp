#include "oauth/authorize_pipeline.hpp"

#include <array>

#include "oauth/checks/client.hpp"
#include "oauth/checks/parameters.hpp"
#include "oauth/checks/redirect_uri.hpp"
#include "oauth/checks/resource_server.hpp"
#include "oauth/checks/response.hpp"
#include "oauth/scope.hpp"

namespace latchkey::oauth {
namespace {

using StepResult = Result<void, OAuthError>;
using StepFunction = StepResult (*)(AuthorizeRequest&, const AuthorizeLookups&);

struct Step {
  std::string_view name;
  StepFunction run;
};

/// A parameter already known not to repeat (the single_parameters step ran before).
std::optional<std::string> param(const AuthorizeRequest& request, std::string_view name) {
  auto value = request.params.get(name);
  return value ? std::move(value).value() : std::nullopt;
}

// RFC 6749 §4.1.1, §2.2: the client must be registered; never redirect before it is known.
StepResult client_step(AuthorizeRequest& request, const AuthorizeLookups& lookups) {
  auto client_id = checks::single_parameter(request.params, "client_id");
  if (!client_id) return fail(client_id.error());
  auto client = checks::check_client(*client_id, lookups.clients);
  if (!client) return fail(client.error());
  request.client = std::move(client).value();
  return {};
}

// RFC 6749 §3.1.2.3, RFC 9700 §2.1: exact match; from here on errors go back to the client.
StepResult redirect_uri_step(AuthorizeRequest& request, const AuthorizeLookups& lookups) {
  auto redirect_uri = checks::single_parameter(request.params, "redirect_uri");
  if (!redirect_uri) return fail(redirect_uri.error());
  auto verified = checks::check_redirect_uri(*redirect_uri, request.client);
  if (!verified) return fail(verified.error());
  request.target.redirect_uri = std::move(verified).value();
  request.target.issuer = lookups.issuer;
  // RFC 6749 §4.1.2.1: state goes back exactly as received (not when it is ambiguous).
  auto state = checks::single_parameter(request.params, "state");
  if (state && state->has_value()) request.target.state = **state;
  return {};
}

// RFC 6749 §3.1: parameters MUST NOT be included more than once.
StepResult single_parameters_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  return checks::check_no_repeated_parameters(request.params);
}

StepResult response_mode_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  auto mode = checks::check_response_mode(param(request, "response_mode"));
  if (!mode) return fail(mode.error());
  request.target.mode = *mode;
  return {};
}

// RFC 6749 §4.1.1: response_type=code.
StepResult response_type_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  return checks::check_response_type(param(request, "response_type"));
}

// RFC 8707 §2 (resource) and Auth0's audience.
StepResult audience_step(AuthorizeRequest& request, const AuthorizeLookups& lookups) {
  auto audience = checks::check_audience_parameters(request.params);
  if (!audience) return fail(audience.error());
  auto api = checks::check_resource_server(*audience, lookups.resource_servers);
  if (!api) return fail(api.error());
  request.audience = std::move(audience).value();
  request.api = std::move(api).value();
  return {};
}

// RFC 6749 §3.3: the server may grant fewer scopes than requested.
StepResult scope_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  request.scopes = grantable_scopes(split_scope(param(request, "scope").value_or("")), request.api);
  return {};
}

// RFC 7636 §4.3, RFC 9700 §2.1.1.
StepResult pkce_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  auto pkce = checks::check_pkce(param(request, "code_challenge"),
                                 param(request, "code_challenge_method"), request.client.app_type);
  if (!pkce) return fail(pkce.error());
  request.pkce = std::move(pkce).value();
  return {};
}

// OIDC Core §3.1.2.1.
StepResult prompt_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  auto prompt = checks::check_prompt(param(request, "prompt"));
  if (!prompt) return fail(prompt.error());
  request.prompt = *prompt;
  return {};
}

// OIDC Core §3.1.2.1.
StepResult max_age_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  auto max_age = checks::check_max_age(param(request, "max_age"));
  if (!max_age) return fail(max_age.error());
  request.max_age = *max_age;
  return {};
}

// OIDC Core §3.1.2.1: nonce is passed through unmodified to the ID token.
StepResult nonce_step(AuthorizeRequest& request, const AuthorizeLookups&) {
  request.nonce = param(request, "nonce").value_or("");
  return {};
}

constexpr std::array kSteps = {
    Step{"client", client_step},
    Step{"redirect_uri", redirect_uri_step},
    Step{"single_parameters", single_parameters_step},
    Step{"response_mode", response_mode_step},
    Step{"response_type", response_type_step},
    Step{"audience", audience_step},
    Step{"scope", scope_step},
    Step{"pkce", pkce_step},
    Step{"prompt", prompt_step},
    Step{"max_age", max_age_step},
    Step{"nonce", nonce_step},
};

constexpr auto kStepNames = [] {
  std::array<std::string_view, kSteps.size()> names{};
  for (std::size_t i = 0; i < kSteps.size(); ++i) names[i] = kSteps[i].name;
  return names;
}();

}  // namespace

std::span<const std::string_view> authorize_steps() { return kStepNames; }

Result<AuthorizeRequest, AuthorizeRefusal> validate_authorize_request(
    http::Params params, const AuthorizeLookups& lookups) {
  AuthorizeRequest request;
  request.params = std::move(params);
  for (const Step& step : kSteps) {
    auto outcome = step.run(request, lookups);
    if (outcome) continue;
    // RFC 6749 §4.1.2.1: redirect only once the client and its redirect_uri are verified.
    const bool verified = !request.target.redirect_uri.empty();
    OAuthError error = verified ? outcome.error().redirectable() : outcome.error();
    return fail(AuthorizeRefusal{step.name, std::move(error), std::move(request.target),
                                 request.client.client_id});
  }
  return request;
}

}  // namespace latchkey::oauth
