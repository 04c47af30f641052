#pragma once
// OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3) and OAuth 2.0 Authorization Server
// Metadata (RFC 8414 §2). One document serves both well-known addresses. It advertises only
// what is implemented: the composition root fills it from the routes it registers.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.hpp"

namespace latchkey::oidc {

/// Paths of latchkey's endpoints, relative to the issuer (Auth0's paths). Defined once.
inline constexpr std::string_view kDiscoveryPath = "/.well-known/openid-configuration";
inline constexpr std::string_view kOAuthMetadataPath = "/.well-known/oauth-authorization-server";
inline constexpr std::string_view kJwksPath = "/.well-known/jwks.json";

struct ProviderMetadata {
  std::string issuer;  // exactly as configured, with its trailing slash
  std::optional<std::string> authorization_endpoint;
  std::optional<std::string> token_endpoint;
  std::optional<std::string> userinfo_endpoint;
  std::optional<std::string> revocation_endpoint;
  std::optional<std::string> introspection_endpoint;
  std::optional<std::string> end_session_endpoint;
  std::string jwks_uri;
  std::vector<std::string> scopes_supported;
  std::vector<std::string> response_types_supported;
  std::vector<std::string> response_modes_supported;
  std::vector<std::string> grant_types_supported;
  std::vector<std::string> subject_types_supported{"public"};
  std::vector<std::string> id_token_signing_alg_values_supported;
  std::vector<std::string> token_endpoint_auth_methods_supported;
  std::vector<std::string> code_challenge_methods_supported;
  std::vector<std::string> claims_supported;
  /// RFC 9207 §3: true once authorization responses carry "iss".
  bool authorization_response_iss_parameter_supported = false;
};

/// The absolute URL of `path` (which starts with '/') under `issuer` (which ends with '/').
[[nodiscard]] std::string endpoint_url(std::string_view issuer, std::string_view path);

/// The metadata document. Optional endpoints that are not set are left out.
[[nodiscard]] nlohmann::json to_json(const ProviderMetadata& metadata);

/// 200 with the document, cacheable for a short while.
[[nodiscard]] http::Response metadata_response(const nlohmann::json& document);

/// 200 with a JWK Set, cacheable for `max_age_seconds`: shorter than the rotation overlap so
/// verifiers see a `next` key before it signs anything.
[[nodiscard]] http::Response jwks_response(const nlohmann::json& jwks, int max_age_seconds);

}  // namespace latchkey::oidc
