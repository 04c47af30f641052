#pragma once
// The token endpoint wired as the server wires it: client auth plus the code grant.

#include <memory>
#include <string>
#include <vector>

#include "http/form.hpp"
#include "oauth/grants/authorization_code_grant.hpp"
#include "oauth/token_endpoint.hpp"
#include "oauth/token_test_env.hpp"

namespace latchkey::testing {

class TokenEndpointEnv : public TokenTestEnv {
 protected:
  void SetUp() override {
    TokenTestEnv::SetUp();
    std::vector<std::unique_ptr<oauth::Grant>> grants;
    grants.push_back(std::make_unique<oauth::AuthorizationCodeGrant>(*store_, *issuer_, random_));
    endpoint_ =
        std::make_unique<oauth::TokenEndpoint>(store_->clients(), clock_, std::move(grants));
  }

  /// The form of a code exchange, plus `extra` pairs.
  static std::string code_form(const std::string& code, http::Params extra = {}) {
    http::Params params{
        {"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirectUri}};
    for (const auto& [name, value] : extra.items()) params.add(name, value);
    return params.encode();
  }

  http::Response post(const std::string& body, const std::string& authorization = "") {
    return endpoint_->handle(form_post(body, authorization));
  }

  static nlohmann::json body_of(const http::Response& response) {
    return nlohmann::json::parse(response.body);
  }

  std::unique_ptr<oauth::TokenEndpoint> endpoint_;
};

}  // namespace latchkey::testing
