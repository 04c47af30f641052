#include "flow.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <span>

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "http/percent.hpp"
#include "jose/base64url.hpp"

namespace latchkey::examples::webapp {
namespace {

using nlohmann::json;

/// `object[key]` when it is a non-empty string.
std::optional<std::string> string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::string random_token(crypto::RandomSource& random) {
  const auto bytes = crypto::random_bytes(random, 32);
  return jose::base64url_encode(std::span<const std::uint8_t>(bytes));
}

/// Appends `params` to `url` as its query.
std::string with_query(std::string_view url, const http::Params& params) {
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  return out + params.encode();
}

/// The first value of `name`; fails on a repeated parameter (RFC 6749 §3.1).
Result<std::optional<std::string>, CallbackFailure> single(const http::Params& query,
                                                           std::string_view name) {
  auto value = query.get(name);
  if (!value) return fail(CallbackFailure{"Bad callback", "A parameter was sent twice."});
  return *value;
}

}  // namespace

Result<ProviderMetadata, std::string> parse_discovery(std::string_view body,
                                                      std::string_view expected_issuer) {
  const json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return fail(std::string("the discovery document is not a JSON object"));
  ProviderMetadata metadata;
  const std::pair<const char*, std::string*> fields[] = {
      {"issuer", &metadata.issuer},
      {"authorization_endpoint", &metadata.authorization_endpoint},
      {"token_endpoint", &metadata.token_endpoint},
      {"jwks_uri", &metadata.jwks_uri}};
  for (const auto& [key, target] : fields) {
    auto value = string_field(doc, key);
    if (!value) return fail("the discovery document has no " + std::string(key));
    *target = std::move(*value);
  }
  // OpenID Connect Discovery §4.3: the issuer MUST be identical to the one the document was
  // fetched for, or an attacker's document could impersonate another issuer.
  if (metadata.issuer != expected_issuer) {
    return fail("the discovery document names issuer " + metadata.issuer + ", not " +
                std::string(expected_issuer));
  }
  return metadata;
}

Result<ClientCredentials, std::string> parse_client_file(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return fail(std::string("the client file is not a JSON object"));
  auto id = string_field(doc, "client_id");
  auto secret = string_field(doc, "client_secret");
  if (!id || !secret) return fail(std::string("the client file needs client_id and client_secret"));
  return ClientCredentials{std::move(*id), std::move(*secret)};
}

Result<ListenAddress, std::string> parse_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail("--listen must be host:port, not " + std::string(text));
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view port_text = text.substr(colon + 1);
  std::uint16_t port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size()) {
    return fail("--listen has a bad port: " + std::string(text));
  }
  return ListenAddress{std::string(host), port};
}

std::string base_url_for(std::string_view host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string_view::npos;
  std::string url = "http://";
  url += ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  return url + ":" + std::to_string(port);
}

std::string with_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + '/';
}

LoginTransaction new_login_transaction(crypto::RandomSource& random) {
  return {random_token(random), random_token(random), random_token(random)};
}

std::string s256_code_challenge(std::string_view code_verifier) {
  const crypto::Sha256 digest = crypto::sha256(code_verifier);
  return jose::base64url_encode(std::span<const std::uint8_t>(digest));
}

std::string authorize_url(std::string_view endpoint, const AuthorizeParams& params,
                          const LoginTransaction& transaction) {
  return with_query(endpoint, {{"response_type", "code"},
                               {"client_id", params.client_id},
                               {"redirect_uri", params.redirect_uri},
                               {"scope", params.scope},
                               {"audience", params.audience},
                               {"state", transaction.state},
                               {"nonce", transaction.nonce},
                               {"code_challenge", s256_code_challenge(transaction.code_verifier)},
                               {"code_challenge_method", "S256"}});
}

std::string logout_url(std::string_view issuer, std::string_view client_id,
                       std::string_view return_to) {
  return with_query(with_trailing_slash(std::string(issuer)) + "v2/logout",
                    {{"client_id", std::string(client_id)}, {"returnTo", std::string(return_to)}});
}

std::string basic_authorization(const ClientCredentials& client) {
  const std::string pair =
      http::form_encode(client.client_id) + ":" + http::form_encode(client.client_secret);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(pair.data());
  return "Basic " + crypto::encode_base64(std::span<const std::uint8_t>(bytes, pair.size()));
}

http::Params token_request(std::string_view code, std::string_view redirect_uri,
                           std::string_view code_verifier) {
  return {{"grant_type", "authorization_code"},
          {"code", std::string(code)},
          {"redirect_uri", std::string(redirect_uri)},
          {"code_verifier", std::string(code_verifier)}};
}

Result<std::string, CallbackFailure> check_callback(
    const http::Params& query, const std::optional<LoginTransaction>& transaction,
    std::string_view issuer) {
  auto error = single(query, "error");
  auto description = single(query, "error_description");
  auto state = single(query, "state");
  auto iss = single(query, "iss");
  auto code = single(query, "code");
  for (const auto* r : {&error, &description, &state, &iss, &code}) {
    if (!*r) return fail(r->error());
  }
  if (*error) return fail(CallbackFailure{**error, description->value_or("")});
  if (!transaction) {
    return fail(CallbackFailure{"No sign-in in progress",
                                "The sign-in took too long or its cookie is missing. Try again."});
  }
  // RFC 6749 §10.12: the state must match the one this browser's transaction sent.
  if (!*state || !crypto::constant_time_equal(**state, transaction->state)) {
    return fail(CallbackFailure{"Bad callback", "The state does not match this sign-in."});
  }
  // RFC 9207 §2.4: when iss is present it must be the issuer the request was sent to.
  if (*iss && **iss != issuer) {
    return fail(CallbackFailure{"Bad callback", "The response comes from another issuer."});
  }
  if (!*code || (*code)->empty()) {
    return fail(CallbackFailure{"Bad callback", "The callback carries no code."});
  }
  return **code;
}

std::string describe_token_error(int status, std::string_view body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_object()) {
    if (auto error = string_field(doc, "error")) {
      const auto description = string_field(doc, "error_description");
      return description ? *error + ": " + *description : *error;
    }
  }
  return "the token endpoint answered HTTP " + std::to_string(status);
}

std::optional<std::vector<std::string>> parse_messages(std::string_view body) {
  const json doc = json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("messages") || !doc["messages"].is_array()) {
    return std::nullopt;
  }
  std::vector<std::string> messages;
  for (const auto& item : doc["messages"]) {
    if (item.is_string()) {
      messages.push_back(item.get<std::string>());
    } else if (auto text = item.is_object() ? string_field(item, "text") : std::nullopt) {
      messages.push_back(std::move(*text));
    } else {
      messages.push_back(item.dump());
    }
  }
  return messages;
}

}  // namespace latchkey::examples::webapp
