#include "oidc/logout.hpp"

#include <algorithm>
#include <utility>

#include "http/headers.hpp"
#include "jose/jws.hpp"
#include "jose/jwt.hpp"
#include "jose/strict_json.hpp"
#include "oauth/error.hpp"
#include "oauth/token_issuer.hpp"
#include "ui/pages.hpp"

namespace latchkey::oidc {
namespace {

// Auth0's log event types for a successful and a refused logout.
constexpr std::string_view kEventLogout = "slo";
constexpr std::string_view kEventLogoutFailed = "flo";

using Target = Result<std::optional<std::string>, LogoutRefusal>;

/// The single value of `name`; fails with bad_request when it is repeated.
Result<std::optional<std::string>, LogoutRefusal> single(const http::Params& params,
                                                         std::string_view name) {
  auto value = params.get(name);
  if (!value) return fail(LogoutRefusal::bad_request);
  return std::move(value).value();
}

/// An empty value counts as absent, as for the other endpoints' optional parameters.
std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string_view message_of(LogoutRefusal refusal) {
  switch (refusal) {
    case LogoutRefusal::bad_request:
      return "The logout request is malformed.";
    case LogoutRefusal::unknown_client:
      return "The application that asked to sign you out is unknown.";
    case LogoutRefusal::no_client:
      return "The logout request does not say which application it comes from.";
    case LogoutRefusal::url_not_allowed:
      return "The return address is not in the application's list of allowed logout URLs.";
    case LogoutRefusal::invalid_hint:
      return "The ID token sent with the logout request is not valid.";
    case LogoutRefusal::client_mismatch:
      return "The ID token sent with the logout request belongs to another application.";
    case LogoutRefusal::unavailable:
      return "The service is busy. Please try again in a moment.";
  }
  return "The logout request is invalid.";
}

std::string_view name_of(LogoutRefusal refusal) {
  switch (refusal) {
    case LogoutRefusal::bad_request:
      return "bad_request";
    case LogoutRefusal::unknown_client:
      return "unknown_client";
    case LogoutRefusal::no_client:
      return "no_client";
    case LogoutRefusal::url_not_allowed:
      return "url_not_allowed";
    case LogoutRefusal::invalid_hint:
      return "invalid_hint";
    case LogoutRefusal::client_mismatch:
      return "client_mismatch";
    case LogoutRefusal::unavailable:
      return "unavailable";
  }
  return "unknown";
}

/// The client an ID token was issued to (OIDC Core §2: aud contains the client_id; azp names
/// it when aud has several values).
std::optional<std::string> audience_client(const nlohmann::json& claims) {
  const auto aud = claims.find("aud");
  const auto azp = claims.find("azp");
  const bool has_azp = azp != claims.end() && azp->is_string();
  if (aud != claims.end() && aud->is_string()) {
    if (has_azp && *azp != *aud) return std::nullopt;
    return aud->get<std::string>();
  }
  if (aud == claims.end() || !aud->is_array() || !has_azp) return std::nullopt;
  const bool listed = std::any_of(aud->begin(), aud->end(), [&](const nlohmann::json& value) {
    return value.is_string() && value == *azp;
  });
  if (!listed) return std::nullopt;
  return azp->get<std::string>();
}

http::Response no_store(http::Response response) {
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace

Result<std::string, LogoutRefusal> client_of_id_token_hint(std::string_view id_token,
                                                           const jose::KeySet& trusted,
                                                           std::string_view issuer,
                                                           const Clock& clock) {
  auto jws = jose::verify(id_token, trusted);
  if (!jws) return fail(LogoutRefusal::invalid_hint);
  // An access token (RFC 9068 typ at+jwt) is signed by the same keys but is not an ID token.
  const auto typ = jws->header.find("typ");
  if (typ != jws->header.end() && typ->is_string() &&
      http::iequals(typ->get_ref<const std::string&>(), oauth::kAccessTokenType)) {
    return fail(LogoutRefusal::invalid_hint);
  }
  auto claims = jose::parse_json_object_strict(jws->payload);
  if (!claims) return fail(LogoutRefusal::invalid_hint);
  // RP-Initiated Logout 1.0 §2: the OP need not care whether the hint has expired, so exp is
  // left out of the claims check; iss must still be ours (OIDC Core §3.1.3.7 step 2).
  nlohmann::json checked = *claims;
  checked.erase("exp");
  jose::ClaimsOptions options;
  options.issuer = std::string(issuer);
  options.require_exp = false;
  options.required_claims = {"sub", "aud"};
  if (!jose::validate_claims(checked, options, clock)) return fail(LogoutRefusal::invalid_hint);
  auto client = audience_client(*claims);
  if (!client || client->empty()) return fail(LogoutRefusal::invalid_hint);
  return std::move(*client);
}

Result<std::optional<std::string>, LogoutRefusal> check_logout_target(const LogoutTarget& target,
                                                                      store::ClientStore& clients) {
  using Found = std::optional<std::string>;
  if (!target.return_to) {
    if (!target.client_id) return Found();
    // A named client must exist even when there is nowhere to go back to.
    auto client = clients.find(*target.client_id);
    if (client) return Found();
    return fail(client.error() == store::StoreError::not_found ? LogoutRefusal::unknown_client
                                                               : LogoutRefusal::unavailable);
  }
  // Auth0 checks a returnTo without client_id against the tenant's list; latchkey has none.
  if (!target.client_id) return fail(LogoutRefusal::no_client);
  auto client = clients.find(*target.client_id);
  if (!client) {
    return fail(client.error() == store::StoreError::not_found ? LogoutRefusal::unknown_client
                                                               : LogoutRefusal::unavailable);
  }
  // Exact string comparison, as for callbacks (RFC 9700 §2.1): no patterns, no normalising.
  const auto& allowed = client->allowed_logout_urls;
  if (std::find(allowed.begin(), allowed.end(), *target.return_to) == allowed.end()) {
    return fail(LogoutRefusal::url_not_allowed);
  }
  return Found(*target.return_to);
}

LogoutEndpoint::LogoutEndpoint(std::string issuer, store::ClientStore& clients,
                               const jose::Keyring& keyring, login::SessionManager& sessions,
                               const ui::Renderer& renderer, const Clock& clock, Logger& log)
    : issuer_(std::move(issuer)),
      clients_(clients),
      keyring_(keyring),
      sessions_(sessions),
      renderer_(renderer),
      clock_(clock),
      log_(log) {}

http::Response LogoutEndpoint::handle_logout(const http::Request& request) {
  // The session ends first: a bad return URL must not keep the user signed in.
  const std::string set_cookie = sessions_.end(request);
  const auto client_id = single(request.query, "client_id");
  const auto return_to = single(request.query, "returnTo");
  if (!client_id || !return_to) return finish(set_cookie, fail(LogoutRefusal::bad_request), "v2");
  const LogoutTarget target{non_empty(*client_id), non_empty(*return_to)};
  return finish(set_cookie, check_logout_target(target, clients_), "v2");
}

http::Response LogoutEndpoint::handle_end_session(const http::Request& request) {
  const std::string set_cookie = sessions_.end(request);
  if (request.method != http::Method::post) {
    return finish(set_cookie, end_session_target(request.query), "oidc");
  }
  // RP-Initiated Logout 1.0 §2: the OP MUST support GET and POST (form serialization).
  const auto form = request.form();
  if (!form) return finish(set_cookie, fail(LogoutRefusal::bad_request), "oidc");
  return finish(set_cookie, end_session_target(*form), "oidc");
}

Target LogoutEndpoint::end_session_target(const http::Params& params) {
  const auto hint = single(params, "id_token_hint");
  const auto client_id = single(params, "client_id");
  const auto redirect_uri = single(params, "post_logout_redirect_uri");
  const auto state = single(params, "state");
  if (!hint || !client_id || !redirect_uri || !state) return fail(LogoutRefusal::bad_request);
  LogoutTarget target{non_empty(*client_id), non_empty(*redirect_uri)};
  if (const auto token = non_empty(*hint)) {
    auto hinted = client_of_id_token_hint(*token, keyring_.snapshot()->trusted, issuer_, clock_);
    if (!hinted) return fail(hinted.error());
    // RP-Initiated Logout 1.0 §2: with both, the OP MUST check that they name the same client.
    if (target.client_id && *target.client_id != *hinted) {
      return fail(LogoutRefusal::client_mismatch);
    }
    target.client_id = std::move(*hinted);
  }
  auto found = check_logout_target(target, clients_);
  if (!found || !found->has_value() || !state->has_value()) return found;
  // RP-Initiated Logout 1.0 §3: state goes back as a query parameter of the redirect.
  return std::optional<std::string>(oauth::append_query(**found, http::Params{{"state", **state}}));
}

http::Response LogoutEndpoint::finish(std::string_view set_cookie, const Target& outcome,
                                      std::string_view endpoint) {
  http::Response response;
  if (!outcome) {
    const LogoutRefusal refusal = outcome.error();
    log_event(log_, LogLevel::info, "logout refused",
              {{"type", kEventLogoutFailed}, {"endpoint", endpoint}, {"reason", name_of(refusal)}});
    const int status = refusal == LogoutRefusal::unavailable ? 503 : 400;
    response = http::Response::html(
        status, ui::render_error(renderer_,
                                 ui::ErrorView{"Logout failed", std::string(message_of(refusal))}));
  } else if (outcome->has_value()) {
    log_event(log_, LogLevel::info, "logout", {{"type", kEventLogout}, {"endpoint", endpoint}});
    response = http::Response::redirect(**outcome, 302);
  } else {
    log_event(log_, LogLevel::info, "logout", {{"type", kEventLogout}, {"endpoint", endpoint}});
    ui::TemplateData data;
    data.set("title", std::string("Signed out"));
    response = http::Response::html(200, renderer_.render(kLoggedOutPage, data));
  }
  if (!set_cookie.empty()) response.add_header("Set-Cookie", set_cookie);
  return no_store(std::move(response));
}

}  // namespace latchkey::oidc
