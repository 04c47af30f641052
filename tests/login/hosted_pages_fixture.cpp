#include "login/hosted_pages_fixture.hpp"

#include "crypto/password.hpp"
#include "http/cookies.hpp"

namespace latchkey::login_test {

const std::string& password_hash() {
  // The smallest argon2id parameters libsodium accepts: the tests check behaviour, not cost, and
  // the brute-force tests verify this hash a dozen times each.
  static const std::string hash =
      crypto::hash_password(kPassword, crypto::PasswordHashParams{1, 8192}).value_or(std::string());
  return hash;
}

void HostedPagesTest::SetUp() {
  ASSERT_FALSE(dir_.path().empty());
  auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
  ASSERT_TRUE(opened) << opened.error();
  store_ = std::move(opened).value();
  model::Client client;
  client.client_id = std::string(kClientId);
  client.name = std::string(kClientName);
  client.callbacks = {"https://app.example.com/callback"};
  client.created_at = clock_.now();
  ASSERT_TRUE(store_->clients().create(client));
  model::ResourceServer api;
  api.id = "api1";
  api.identifier = std::string(kAudience);
  api.name = "Items API";
  api.scopes = {{"read:items", "Read your items"}, {"write:items", "Change your items"}};
  api.created_at = clock_.now();
  ASSERT_TRUE(store_->resource_servers().create(api));
  model::User user;
  user.user_id = std::string(kUserId);
  user.email = std::string(kEmail);
  user.password_hash = password_hash();
  user.created_at = clock_.now();
  user.updated_at = clock_.now();
  ASSERT_TRUE(store_->users().create(user));
  state_ = add_transaction(
      "response_type=code&client_id=app1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
      "&scope=openid%20profile%20read%3Aitems%20undefined%3Ascope&audience=https%3A%2F%2Fapi."
      "example.com&state=xyz&login_hint=alice%40example.com");
}

std::string HostedPagesTest::add_transaction(const std::string& query) {
  store::AuthorizationTransaction transaction;
  transaction.id = crypto::random_hex(random_, 32);
  transaction.query = query;
  transaction.client_id = std::string(kClientId);
  transaction.created_at = clock_.now();
  transaction.expires_at = clock_.now() + std::chrono::minutes(30);
  EXPECT_TRUE(transactions_.create(transaction));
  return transaction.id;
}

store::AuthorizationTransaction HostedPagesTest::transaction(const std::string& id) {
  auto found = transactions_.find(id);
  EXPECT_TRUE(found);
  return found ? std::move(found).value() : store::AuthorizationTransaction{};
}

http::Request HostedPagesTest::get(std::string path, const std::string& state,
                                   const std::string& cookie) {
  http::Request request;
  request.method = http::Method::get;
  request.method_text = "GET";
  request.path = std::move(path);
  request.target = request.path + "?state=" + state;
  request.query.add("state", state);
  request.remote_address = std::string(kIp);
  if (!cookie.empty()) request.headers.set("Cookie", cookie);
  return request;
}

http::Request HostedPagesTest::post(std::string path, const http::Params& form,
                                    const std::string& cookie, std::string ip) {
  http::Request request;
  request.method = http::Method::post;
  request.method_text = "POST";
  request.path = std::move(path);
  request.target = request.path;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  if (!cookie.empty()) request.headers.set("Cookie", cookie);
  request.body = form.encode();
  request.remote_address = std::move(ip);
  return request;
}

std::string HostedPagesTest::csrf_cookie(const std::string& extra) {
  std::string cookie = "lk_csrf=" + kCsrf;
  if (!extra.empty()) cookie += "; " + extra;
  return cookie;
}

std::optional<std::string> HostedPagesTest::set_cookie_line(const http::Response& response,
                                                            std::string_view name) {
  const std::string prefix = std::string(name) + "=";
  for (const auto line : response.headers.all("Set-Cookie")) {
    if (line.substr(0, prefix.size()) == prefix) return std::string(line);
  }
  return std::nullopt;
}

std::optional<std::string> HostedPagesTest::set_cookie_value(const http::Response& response,
                                                             std::string_view name) {
  auto line = set_cookie_line(response, name);
  if (!line) return std::nullopt;
  const auto start = name.size() + 1;
  return line->substr(start, line->find(';') - start);
}

}  // namespace latchkey::login_test
