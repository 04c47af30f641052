#include "oidc/discovery.hpp"

namespace latchkey::oidc {
namespace {

constexpr int kMetadataMaxAge = 300;

void put_optional(nlohmann::json& json, const char* name, const std::optional<std::string>& url) {
  if (url) json[name] = *url;
}

void put_list(nlohmann::json& json, const char* name, const std::vector<std::string>& values) {
  if (!values.empty()) json[name] = values;
}

}  // namespace

std::string endpoint_url(std::string_view issuer, std::string_view path) {
  std::string url(issuer);
  if (url.ends_with('/') && path.starts_with('/')) path.remove_prefix(1);
  url += path;
  return url;
}

nlohmann::json to_json(const ProviderMetadata& m) {
  nlohmann::json json = {{"issuer", m.issuer}, {"jwks_uri", m.jwks_uri}};
  put_optional(json, "authorization_endpoint", m.authorization_endpoint);
  put_optional(json, "token_endpoint", m.token_endpoint);
  put_optional(json, "userinfo_endpoint", m.userinfo_endpoint);
  put_optional(json, "revocation_endpoint", m.revocation_endpoint);
  put_optional(json, "introspection_endpoint", m.introspection_endpoint);
  put_optional(json, "end_session_endpoint", m.end_session_endpoint);
  // These lists are REQUIRED by OIDC Discovery §3 even while empty.
  json["response_types_supported"] = m.response_types_supported;
  json["subject_types_supported"] = m.subject_types_supported;
  json["id_token_signing_alg_values_supported"] = m.id_token_signing_alg_values_supported;
  json["code_challenge_methods_supported"] = m.code_challenge_methods_supported;
  json["token_endpoint_auth_methods_supported"] = m.token_endpoint_auth_methods_supported;
  json["scopes_supported"] = m.scopes_supported;
  json["claims_supported"] = m.claims_supported;
  json["grant_types_supported"] = m.grant_types_supported;
  put_list(json, "response_modes_supported", m.response_modes_supported);
  json["authorization_response_iss_parameter_supported"] =
      m.authorization_response_iss_parameter_supported;
  // OIDC Discovery §3 defaults request_uri_parameter_supported to true; we support none.
  json["request_parameter_supported"] = false;
  json["request_uri_parameter_supported"] = false;
  return json;
}

http::Response metadata_response(const nlohmann::json& document) {
  return http::Response::json(200, document)
      .set_header("Cache-Control", "public, max-age=" + std::to_string(kMetadataMaxAge))
      .set_header("Access-Control-Allow-Origin", "*");
}

http::Response jwks_response(const nlohmann::json& jwks, int max_age_seconds) {
  return http::Response::json(200, jwks)
      .set_header("Cache-Control", "public, max-age=" + std::to_string(max_age_seconds))
      .set_header("Access-Control-Allow-Origin", "*");
}

}  // namespace latchkey::oidc
