#pragma once
// A real SQLite store in a temp dir, a real Keyring on it, a ManualClock and the token issuer:
// what the token endpoint and /userinfo tests build on. Rows are inserted straight into the
// store, as the authorize step would leave them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/keyring.hpp"
#include "model/model.hpp"
#include "oauth/token_issuer.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace latchkey::testing {

inline constexpr const char* kIssuer = "https://tenant.example.com/";
inline constexpr const char* kUserinfoAudience = "https://tenant.example.com/userinfo";
inline constexpr const char* kRedirectUri = "https://app.example.com/callback";
inline constexpr const char* kApiIdentifier = "https://api.example.com/";
inline constexpr const char* kUserId = "auth0|0123456789abcdef";

/// A fresh directory, removed with its contents at the end of the test. Header-only so these
/// unit tests do not link the process helpers of tests/support.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device entropy;
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      auto candidate =
          base / ("latchkey-token-" + std::to_string(::getpid()) + "-" + std::to_string(entropy()));
      std::error_code error;
      if (std::filesystem::create_directory(candidate, error)) path_ = std::move(candidate);
    }
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A decoded (not verified) compact JWT.
struct DecodedJwt {
  nlohmann::json header;
  nlohmann::json claims;
};

inline DecodedJwt decode_jwt(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  EXPECT_NE(second, std::string::npos);
  auto header = jose::base64url_decode(token.substr(0, first));
  auto payload = jose::base64url_decode(token.substr(first + 1, second - first - 1));
  EXPECT_TRUE(header.ok() && payload.ok());
  return {nlohmann::json::parse(*header), nlohmann::json::parse(*payload)};
}

/// The key cache of install_signing_keys: one per test binary, so each build (the sanitizer
/// build too) has its own.
inline std::filesystem::path signing_key_cache_path() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path{} : std::filesystem::path(exe.string() + ".keys.json");
}

inline std::optional<std::vector<model::SigningKey>> read_signing_key_cache(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (path.empty() || !in) return std::nullopt;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_array() || json.empty()) return std::nullopt;
  std::vector<model::SigningKey> keys;
  for (const auto& row : json) {
    model::SigningKey key;
    key.kid = row.value("kid", "");
    key.alg = row.value("alg", "");
    const auto state = model::parse_key_state(row.value("state", ""));
    auto sealed = crypto::decode_base64(row.value("sealed", ""));
    if (key.kid.empty() || !state || !sealed) return std::nullopt;
    key.state = *state;
    key.sealed_private_key = std::move(*sealed);
    key.public_jwk = row.value("jwk", "");
    key.created_at = from_unix_seconds(row.value("created_at", std::int64_t{0}));
    if (row.contains("activated_at"))
      key.activated_at = from_unix_seconds(row["activated_at"].get<std::int64_t>());
    keys.push_back(std::move(key));
  }
  return keys;
}

/// Written to a temporary name and renamed, so a test running in parallel never reads half a file.
inline void write_signing_key_cache(const std::filesystem::path& path,
                                    const std::vector<model::SigningKey>& keys) {
  if (path.empty()) return;
  auto json = nlohmann::json::array();
  for (const auto& key : keys) {
    nlohmann::json row = {{"kid", key.kid},
                          {"alg", key.alg},
                          {"state", model::to_string(key.state)},
                          {"sealed", crypto::encode_base64(key.sealed_private_key)},
                          {"jwk", key.public_jwk},
                          {"created_at", to_unix_seconds(key.created_at)}};
    if (key.activated_at) row["activated_at"] = to_unix_seconds(*key.activated_at);
    json.push_back(std::move(row));
  }
  const auto temporary = path.string() + "." + std::to_string(::getpid());
  std::ofstream(temporary) << json.dump();
  std::error_code ignored;
  std::filesystem::rename(temporary, path, ignored);
}

class TokenTestEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(*opened);
    std::array<std::uint8_t, 32> kek{};
    kek.fill(9);
    keyring_ = std::make_unique<jose::Keyring>(store_->signing_keys(), jose::KeyEncryptionKey(kek),
                                               random_, clock_);
    ASSERT_NO_FATAL_FAILURE(install_signing_keys());
    ASSERT_TRUE(keyring_->reload().ok());
    issuer_ = std::make_unique<oauth::TokenIssuer>(kIssuer, *keyring_, clock_, random_);
    add_user();
  }

  /// Generating RSA keys dominated these tests' time (ctest runs each test in its own process),
  /// so the first test to run makes the keyring's keys and leaves them, still sealed under the
  /// same KEK, in a cache file beside the test binary; later tests copy them into their store.
  void install_signing_keys() {
    const auto cache = signing_key_cache_path();
    if (auto cached = read_signing_key_cache(cache)) {
      for (const auto& key : *cached) ASSERT_TRUE(store_->signing_keys().create(key).ok());
      return;
    }
    ASSERT_TRUE(keyring_->ensure(std::array{jose::Algorithm::rs256, jose::Algorithm::es256}).ok());
    auto made = store_->signing_keys().list();
    ASSERT_TRUE(made.ok());
    write_signing_key_cache(cache, *made);
  }

  /// A confidential client using `method`, whose secret is `secret`.
  model::Client add_client(const std::string& id, const std::string& secret,
                           const std::string& method = "client_secret_basic") {
    model::Client client;
    client.client_id = id;
    client.name = "app " + id;
    client.secret_digest = secret.empty() ? "" : crypto::sha256_hex(secret);
    client.token_endpoint_auth_method = method;
    client.callbacks = {kRedirectUri};
    client.grant_types = {"authorization_code", "refresh_token"};
    client.created_at = clock_.now();
    EXPECT_TRUE(store_->clients().create(client).ok());
    return client;
  }

  model::ResourceServer add_api(const std::string& signing_alg = "RS256", bool offline = true,
                                std::int64_t lifetime = 7200) {
    model::ResourceServer api;
    api.id = "api-" + signing_alg;
    api.identifier = kApiIdentifier;
    api.name = "Example API";
    api.signing_alg = signing_alg;
    api.token_lifetime_seconds = lifetime;
    api.allow_offline_access = offline;
    api.created_at = clock_.now();
    EXPECT_TRUE(store_->resource_servers().create(api).ok());
    return api;
  }

  model::User user() {
    model::User user;
    user.user_id = kUserId;
    user.email = "ada@example.com";
    user.email_verified = true;
    user.name = "Ada Lovelace";
    user.nickname = "ada";
    user.picture = "https://img.example.com/ada.png";
    user.created_at = from_unix_seconds(1700000000);
    user.updated_at = from_unix_seconds(1750000000);
    return user;
  }

  void add_user() { ASSERT_TRUE(store_->users().create(user()).ok()); }

  /// Stores a code for `client_id`, valid 60 s from now; returns the code in the clear.
  std::string add_code(const std::string& client_id, std::vector<std::string> scopes,
                       const std::string& audience = "", const std::string& challenge = "",
                       nlohmann::json extra = nlohmann::json::object()) {
    const std::string code = "code-" + crypto::random_hex(random_, 16);
    model::AuthorizationCode record;
    record.code_digest = crypto::sha256_hex(code);
    record.client_id = client_id;
    record.redirect_uri = kRedirectUri;
    record.code_challenge = challenge;
    record.code_challenge_method = challenge.empty() ? "" : "S256";
    record.nonce = "n-0S6_WzA2Mj";
    record.scopes = std::move(scopes);
    record.audience = audience;
    record.user_id = kUserId;
    record.session_id = "session-digest";
    record.auth_time = clock_.now() - std::chrono::seconds(30);
    record.created_at = clock_.now();
    record.expires_at = clock_.now() + std::chrono::seconds(60);
    record.extra_claims = std::move(extra);
    EXPECT_TRUE(store_->authorization_codes().create(record).ok());
    return code;
  }

  /// Sets a stored client's id_token_signed_response_alg, as `clients update --id-token-alg` does.
  void set_id_token_alg(const std::string& client_id, const std::string& alg) {
    auto client = store_->clients().find(client_id);
    ASSERT_TRUE(client.ok());
    client->id_token_signed_response_alg = alg;
    ASSERT_TRUE(store_->clients().update(*client).ok());
  }

  /// The JWS alg of `token` once verified against the published JWKS; "" when it does not verify.
  std::string verified_alg(const std::string& token) {
    jose::KeySet published;
    EXPECT_TRUE(published.add_jwks(keyring_->snapshot()->jwks.dump()).ok());
    auto verified = jose::verify(token, published);
    if (!verified.ok()) return "";
    return std::string(jose::to_string(verified->alg));
  }

  /// A form POST with an optional Authorization header.
  static http::Request form_post(const std::string& body, const std::string& authorization = "") {
    http::Request request;
    request.method = http::Method::post;
    request.method_text = "POST";
    request.target = request.path = "/oauth/token";
    request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!authorization.empty()) request.headers.set("Authorization", authorization);
    request.body = body;
    return request;
  }

  /// `Basic base64(id:secret)`, without any form-encoding of its own.
  static std::string basic(const std::string& id, const std::string& secret) {
    const std::string raw = id + ":" + secret;
    const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
    return "Basic " + crypto::encode_base64(bytes);
  }

  ScratchDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  crypto::OsRandom random_;
  ManualClock clock_{from_unix_seconds(1800000000)};
  std::unique_ptr<jose::Keyring> keyring_;
  std::unique_ptr<oauth::TokenIssuer> issuer_;
};

}  // namespace latchkey::testing
