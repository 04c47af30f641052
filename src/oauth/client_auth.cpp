#include "oauth/client_auth.hpp"

#include <optional>
#include <string>

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "http/headers.hpp"
#include "http/percent.hpp"

namespace latchkey::oauth {
namespace {

struct Credentials {
  std::string method;  // kAuthMethod*
  std::string client_id;
  std::string secret;
};

OAuthError invalid_client(std::string description, std::string debug) {
  OAuthError error = OAuthError::make(errors::kInvalidClient, std::move(description), 401);
  error.debug = std::move(debug);
  return error;
}

// RFC 6749 §2.3.1: the id and secret are form-urlencoded before they go into the Basic header
// (RFC 7617), so both are decoded after splitting at the first ':'.
Result<Credentials, OAuthError> parse_basic(std::string_view value) {
  constexpr std::string_view kScheme = "basic ";
  if (value.size() <= kScheme.size() || !http::iequals(value.substr(0, kScheme.size()), kScheme)) {
    return fail(
        invalid_client("client authentication failed", "authorization scheme is not Basic"));
  }
  const auto bytes = crypto::decode_base64(value.substr(kScheme.size()));
  if (!bytes) return fail(invalid_client("client authentication failed", "bad base64 in Basic"));
  const std::string text(bytes->begin(), bytes->end());
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    return fail(invalid_client("client authentication failed", "no ':' in Basic credentials"));
  }
  auto id = http::percent_decode(std::string_view(text).substr(0, colon), http::PlusMode::space);
  auto secret =
      http::percent_decode(std::string_view(text).substr(colon + 1), http::PlusMode::space);
  if (!id.ok() || !secret.ok()) {
    return fail(invalid_client("client authentication failed", "bad encoding in Basic"));
  }
  return Credentials{std::string(kAuthMethodBasic), std::move(*id), std::move(*secret)};
}

// Which method the request uses and the credentials it carries. RFC 6749 §2.3: the client MUST
// NOT use more than one authentication method in each request.
Result<Credentials, OAuthError> extract_credentials(const http::Request& request,
                                                    const http::Params& form) {
  auto form_id = single_form_parameter(form, "client_id");
  if (!form_id.ok()) return fail(form_id.error());
  auto form_secret = single_form_parameter(form, "client_secret");
  if (!form_secret.ok()) return fail(form_secret.error());
  const auto header = request.header("Authorization");
  if (header.has_value()) {
    if (form_secret->has_value()) {
      return fail(invalid_request("use only one client authentication method"));
    }
    auto basic = parse_basic(*header);
    if (!basic.ok()) return fail(basic.error());
    if (form_id->has_value() && **form_id != basic->client_id) {
      return fail(invalid_request("client_id does not match the Authorization header"));
    }
    return basic;
  }
  if (!form_id->has_value() || (*form_id)->empty()) {
    return fail(invalid_client("client authentication is required", "no client_id"));
  }
  if (form_secret->has_value()) {
    return Credentials{std::string(kAuthMethodPost), std::move(**form_id),
                       std::move(**form_secret)};
  }
  return Credentials{std::string(kAuthMethodNone), std::move(**form_id), {}};
}

Result<void, OAuthError> check_secret(const model::Client& client, const Credentials& credentials) {
  if (credentials.method != client.token_endpoint_auth_method) {
    return fail(invalid_client("client authentication failed",
                               "method " + credentials.method + " is not the client's " +
                                   client.token_endpoint_auth_method));
  }
  if (credentials.method == kAuthMethodNone) return {};
  // Secrets are stored as SHA-256 digests and compared in constant time.
  const std::string digest = crypto::sha256_hex(credentials.secret);
  if (client.secret_digest.empty() || !crypto::constant_time_equal(digest, client.secret_digest)) {
    return fail(invalid_client("client authentication failed", "wrong client secret"));
  }
  return {};
}

}  // namespace

Result<std::optional<std::string>, OAuthError> single_form_parameter(const http::Params& form,
                                                                     std::string_view name) {
  auto value = form.get(name);
  // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
  if (!value.ok()) return fail(invalid_request(std::string(name) + " is repeated"));
  return std::move(*value);
}

Result<model::Client, OAuthError> authenticate_client(const http::Request& request,
                                                      const http::Params& form,
                                                      store::ClientStore& clients) {
  auto credentials = extract_credentials(request, form);
  if (!credentials.ok()) return fail(credentials.error());
  auto client = clients.find(credentials->client_id);
  if (!client.ok()) {
    if (client.error() == store::StoreError::not_found) {
      return fail(invalid_client("client authentication failed", "unknown client"));
    }
    OAuthError error = OAuthError::make(errors::kServerError, "service unavailable", 503);
    error.debug = std::string(store::to_string(client.error()));
    return fail(std::move(error));
  }
  auto checked = check_secret(*client, *credentials);
  if (!checked.ok()) return fail(checked.error());
  return std::move(*client);
}

http::Response render_token_error(const OAuthError& error) {
  http::Response response = render_json(error);
  // RFC 6749 §5.2: a 401 MUST include WWW-Authenticate matching the scheme the client used.
  if (error.status == 401) response.set_header("WWW-Authenticate", "Basic realm=\"latchkey\"");
  return response;
}

}  // namespace latchkey::oauth
