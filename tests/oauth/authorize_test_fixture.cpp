#include "oauth/authorize_test_fixture.hpp"

#include <algorithm>
#include <vector>

namespace latchkey::testing {
namespace {

model::Client make_client(const std::string& id, model::AppType type, bool first_party,
                          std::vector<std::string> callbacks) {
  model::Client client;
  client.client_id = id;
  client.name = id;
  client.app_type = type;
  client.is_first_party = first_party;
  client.callbacks = std::move(callbacks);
  client.grant_types = {"authorization_code", "refresh_token"};
  return client;
}

model::ResourceServer make_api(const std::string& id, const std::string& identifier,
                               bool skip_consent) {
  model::ResourceServer api;
  api.id = id;
  api.identifier = identifier;
  api.name = id;
  api.scopes = {{"read:items", "Read your items"}, {"write:items", "Change your items"}};
  api.skip_consent_for_verifiable_first_party_clients = skip_consent;
  return api;
}

}  // namespace

void AuthorizeTest::SetUp() {
  auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
  ASSERT_TRUE(opened.ok()) << opened.error();
  store_ = std::move(opened).value();
  using model::AppType;
  const std::string web(kWebCallback);
  for (const auto& client :
       {make_client("web", AppType::regular_web, true, {web, "https://app.example.com/other"}),
        make_client("single", AppType::regular_web, true, {web}),
        make_client("spa", AppType::spa, true, {"https://spa.example.com/"}),
        make_client("third", AppType::regular_web, false, {"https://third.example.net/cb"}),
        make_client("local", AppType::regular_web, true, {"http://localhost:3000/callback"})}) {
    ASSERT_TRUE(store_->clients().create(client).ok());
  }
  ASSERT_TRUE(store_->resource_servers().create(make_api("api1", std::string(kApi), true)).ok());
  ASSERT_TRUE(
      store_->resource_servers().create(make_api("api2", "https://api2.example.com", false)).ok());
  model::User alice;
  alice.user_id = "auth0|alice";
  alice.email = "alice@example.com";
  ASSERT_TRUE(store_->users().create(alice).ok());
  model::User bob = alice;
  bob.user_id = "auth0|bob";
  bob.email = "bob@example.com";
  ASSERT_TRUE(store_->users().create(bob).ok());
  endpoint_ = std::make_unique<oauth::AuthorizeEndpoint>(
      std::string(kIssuer), *store_, transactions_,
      [this](const http::Request&) { return session_; }, clock_, random_, *logger_);
}

http::Response AuthorizeTest::get(const http::Params& params) const {
  http::Request request;
  request.method = http::Method::get;
  request.path = "/authorize";
  request.query = params;
  request.target = "/authorize?" + params.encode();
  return endpoint_->handle(request);
}

http::Response AuthorizeTest::resume(const std::string& id) const {
  http::Request request;
  request.method = http::Method::get;
  request.path = "/authorize/resume";
  request.query = http::Params{{"state", id}};
  request.target = "/authorize/resume?" + request.query.encode();
  return endpoint_->resume(request);
}

http::Params AuthorizeTest::web_request(std::initializer_list<http::Params::Param> extra) {
  std::vector<http::Params::Param> base{{"client_id", "web"},
                                        {"redirect_uri", std::string(kWebCallback)},
                                        {"response_type", "code"},
                                        {"scope", "openid profile"},
                                        {"state", "xyz state"}};
  http::Params params;
  for (const auto& [name, value] : base) {
    const bool replaced = std::any_of(extra.begin(), extra.end(),
                                      [&name](const auto& param) { return param.first == name; });
    if (!replaced) params.add(name, value);
  }
  for (const auto& [name, value] : extra) params.add(name, value);
  return params;
}

void AuthorizeTest::log_in(std::chrono::seconds ago) {
  auto user = store_->users().find("auth0|alice");
  ASSERT_TRUE(user.ok());
  session_ = oauth::AuthenticatedSession{"session-digest-1", *user, clock_.now() - ago};
}

void AuthorizeTest::grant(const std::string& client_id, const std::string& audience,
                          std::vector<std::string> scopes) {
  const model::Grant record{"auth0|alice",     client_id,    audience,
                            std::move(scopes), clock_.now(), clock_.now()};
  ASSERT_TRUE(store_->grants().upsert(record).ok());
}

std::string AuthorizeTest::transaction_of(const http::Response& response,
                                          std::string_view path) const {
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(location_base(response), path);
  const std::string id = value_of(location_params(response), "state");
  EXPECT_EQ(id.size(), 64U);
  return id;
}

http::Params location_params(const http::Response& response) {
  const auto location = response.headers.get("Location");
  EXPECT_TRUE(location.has_value());
  if (!location) return {};
  const auto query = location->find('?');
  if (query == std::string_view::npos) return {};
  auto params = http::parse_form(location->substr(query + 1));
  EXPECT_TRUE(params.ok());
  return params ? *params : http::Params{};
}

std::string location_base(const http::Response& response) {
  const auto location = response.headers.get("Location");
  if (!location) return "";
  return std::string(location->substr(0, location->find('?')));
}

std::string value_of(const http::Params& params, std::string_view name) {
  const auto value = params.get(name);
  return value && value->has_value() ? **value : std::string();
}

}  // namespace latchkey::testing
