// The store conformance suite (see store_conformance.hpp). Only store::Store is used here.

#include "store_conformance.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::store_test {
namespace {

using model::Client;
using model::KeyState;
using model::ResourceServer;
using model::SigningKey;
using model::User;
using store::StoreError;

// Stores keep times to the millisecond (store.hpp); samples use whole milliseconds.
constexpr std::int64_t kJan2024Ms = 1'704'067'200'000;

Client sample_client(const std::string& client_id, std::int64_t created_ms = kJan2024Ms) {
  Client client;
  client.client_id = client_id;
  client.name = "Web app " + client_id;
  client.app_type = model::AppType::spa;
  client.secret_digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  client.token_endpoint_auth_method = "client_secret_post";
  client.callbacks = {"https://app.example.com/callback", "http://localhost:3000/cb"};
  client.allowed_logout_urls = {"https://app.example.com/"};
  client.grant_types = {"authorization_code", "refresh_token"};
  client.is_first_party = true;
  client.id_token_lifetime_seconds = 1234;
  client.id_token_signed_response_alg = "ES256";
  client.client_metadata = {{"team", "blue"}, {"nested", {{"n", 7}, {"ok", true}}}};
  client.created_at = at_ms(created_ms);
  return client;
}

void expect_same(const Client& got, const Client& want) {
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.app_type, want.app_type);
  EXPECT_EQ(got.secret_digest, want.secret_digest);
  EXPECT_EQ(got.token_endpoint_auth_method, want.token_endpoint_auth_method);
  EXPECT_EQ(got.callbacks, want.callbacks);
  EXPECT_EQ(got.allowed_logout_urls, want.allowed_logout_urls);
  EXPECT_EQ(got.grant_types, want.grant_types);
  EXPECT_EQ(got.is_first_party, want.is_first_party);
  EXPECT_EQ(got.id_token_lifetime_seconds, want.id_token_lifetime_seconds);
  EXPECT_EQ(got.id_token_signed_response_alg, want.id_token_signed_response_alg);
  EXPECT_EQ(got.client_metadata, want.client_metadata);
  EXPECT_EQ(got.created_at, want.created_at);
}

ResourceServer sample_api(const std::string& id, const std::string& identifier,
                          std::int64_t created_ms = kJan2024Ms) {
  ResourceServer api;
  api.id = id;
  api.identifier = identifier;
  api.name = "API " + id;
  api.scopes = {{"read:messages", "Read your messages"}, {"write:messages", "Send messages"}};
  api.signing_alg = "PS256";
  api.token_lifetime_seconds = 7200;
  api.allow_offline_access = true;
  api.skip_consent_for_verifiable_first_party_clients = true;
  api.created_at = at_ms(created_ms);
  return api;
}

void expect_same(const ResourceServer& got, const ResourceServer& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.identifier, want.identifier);
  EXPECT_EQ(got.name, want.name);
  ASSERT_EQ(got.scopes.size(), want.scopes.size());
  for (std::size_t i = 0; i < want.scopes.size(); ++i) {
    EXPECT_EQ(got.scopes[i].value, want.scopes[i].value);
    EXPECT_EQ(got.scopes[i].description, want.scopes[i].description);
  }
  EXPECT_EQ(got.signing_alg, want.signing_alg);
  EXPECT_EQ(got.token_lifetime_seconds, want.token_lifetime_seconds);
  EXPECT_EQ(got.allow_offline_access, want.allow_offline_access);
  EXPECT_EQ(got.skip_consent_for_verifiable_first_party_clients,
            want.skip_consent_for_verifiable_first_party_clients);
  EXPECT_EQ(got.created_at, want.created_at);
}

User sample_user(const std::string& user_id, const std::string& email,
                 std::int64_t created_ms = kJan2024Ms) {
  User user;
  user.user_id = user_id;
  user.email = email;
  user.email_verified = true;
  user.name = "Alice Liddell";
  user.nickname = "alice";
  user.picture = "https://example.com/a.png";
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.app_metadata = {{"roles", {"admin", "editor"}}};
  user.user_metadata = {{"theme", "dark"}, {"lang", "fr"}};
  user.logins_count = 42;
  user.last_login = at_ms(created_ms + 5000);
  user.blocked = false;
  user.created_at = at_ms(created_ms);
  user.updated_at = at_ms(created_ms + 1000);
  return user;
}

void expect_same(const User& got, const User& want) {
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.email, want.email);
  EXPECT_EQ(got.email_verified, want.email_verified);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.nickname, want.nickname);
  EXPECT_EQ(got.picture, want.picture);
  EXPECT_EQ(got.password_hash, want.password_hash);
  EXPECT_EQ(got.app_metadata, want.app_metadata);
  EXPECT_EQ(got.user_metadata, want.user_metadata);
  EXPECT_EQ(got.logins_count, want.logins_count);
  EXPECT_EQ(got.last_login, want.last_login);
  EXPECT_EQ(got.blocked, want.blocked);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

SigningKey sample_key(const std::string& kid, std::int64_t created_ms = kJan2024Ms) {
  SigningKey key;
  key.kid = kid;
  key.alg = "ES256";
  key.state = KeyState::next;
  key.sealed_private_key = {0x00, 0x01, 0xfe, 0xff, 0x00, 0x7f};  // NULs and high bytes
  key.public_jwk = R"({"kty":"EC","crv":"P-256","x":"abc","y":"def"})";
  key.created_at = at_ms(created_ms);
  return key;
}

void expect_same(const SigningKey& got, const SigningKey& want) {
  EXPECT_EQ(got.kid, want.kid);
  EXPECT_EQ(got.alg, want.alg);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.sealed_private_key, want.sealed_private_key);
  EXPECT_EQ(got.public_jwk, want.public_jwk);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.activated_at, want.activated_at);
  EXPECT_EQ(got.retired_at, want.retired_at);
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items, std::string T::*id) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.*id);
  return ids;
}

// ---- health ----

TEST_P(StoreConformance, PingAnswersTrue) { EXPECT_TRUE(store().ping()); }

TEST_P(StoreConformance, SchemaVersionIsTheLatest) {
  const auto version = store().schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, GetParam().latest_schema_version);
}

TEST_P(StoreConformance, FreshStoreListsNothing) {
  EXPECT_TRUE(store().clients().list()->empty());
  EXPECT_TRUE(store().resource_servers().list()->empty());
  EXPECT_TRUE(store().users().list()->empty());
  EXPECT_TRUE(store().signing_keys().list()->empty());
}

// ---- clients ----

TEST_P(StoreConformance, CreatedClientIsFoundWithEveryField) {
  const Client client = sample_client("c1");
  ASSERT_TRUE(store().clients().create(client).ok());
  const auto found = store().clients().find("c1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, client);
}

TEST_P(StoreConformance, ClientWithDefaultsAndEmptyListsRoundTrips) {
  Client client;
  client.client_id = "bare";
  ASSERT_TRUE(store().clients().create(client).ok());
  const auto found = store().clients().find("bare");
  ASSERT_TRUE(found.ok());
  expect_same(*found, client);
  EXPECT_TRUE(found->client_metadata.is_object());
  EXPECT_EQ(found->id_token_signed_response_alg, "RS256");
}

TEST_P(StoreConformance, ClientCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().clients().create(sample_client("c1")).ok());
  const auto again = store().clients().create(sample_client("c1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::conflict);
}

TEST_P(StoreConformance, UnknownClientIsNotFound) {
  const auto found = store().clients().find("nope");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::not_found);
}

TEST_P(StoreConformance, ClientsAreListedByCreationTimeThenId) {
  ASSERT_TRUE(store().clients().create(sample_client("b", 2000)).ok());
  ASSERT_TRUE(store().clients().create(sample_client("c", 1000)).ok());
  ASSERT_TRUE(store().clients().create(sample_client("a", 2000)).ok());
  const auto listed = store().clients().list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ids_of(*listed, &Client::client_id), (std::vector<std::string>{"c", "a", "b"}));
  expect_same(listed->front(), sample_client("c", 1000));
}

TEST_P(StoreConformance, RemovedClientIsGoneAndRemovingAgainIsNotFound) {
  ASSERT_TRUE(store().clients().create(sample_client("c1")).ok());
  ASSERT_TRUE(store().clients().create(sample_client("c2")).ok());
  ASSERT_TRUE(store().clients().remove("c1").ok());
  EXPECT_EQ(error_of(store().clients().find("c1")), StoreError::not_found);
  EXPECT_TRUE(store().clients().find("c2").ok());
  const auto again = store().clients().remove("c1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::not_found);
}

TEST_P(StoreConformance, SetSecretDigestReplacesOnlyTheDigest) {
  Client client = sample_client("c1");
  ASSERT_TRUE(store().clients().create(client).ok());
  ASSERT_TRUE(store().clients().set_secret_digest("c1", "00ff").ok());
  client.secret_digest = "00ff";
  const auto found = store().clients().find("c1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, client);
}

TEST_P(StoreConformance, SetSecretDigestOfUnknownClientIsNotFound) {
  const auto result = store().clients().set_secret_digest("nope", "00ff");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), StoreError::not_found);
}

TEST_P(StoreConformance, UpdateReplacesSettingsButKeepsIdSecretAndCreationTime) {
  ASSERT_TRUE(store().clients().create(sample_client("c1")).ok());
  ASSERT_TRUE(store().clients().create(sample_client("c2")).ok());
  Client changed = sample_client("c1", kJan2024Ms + 5000);
  changed.name = "Renamed";
  changed.app_type = model::AppType::regular_web;
  changed.secret_digest = "ignored";
  changed.token_endpoint_auth_method = "client_secret_basic";
  changed.callbacks = {"https://other.example.com/cb"};
  changed.allowed_logout_urls = {};
  changed.grant_types = {"authorization_code"};
  changed.is_first_party = false;
  changed.id_token_lifetime_seconds = 600;
  changed.id_token_signed_response_alg = "EdDSA";
  changed.client_metadata = {{"team", "red"}};
  ASSERT_TRUE(store().clients().update(changed).ok());
  changed.secret_digest = sample_client("c1").secret_digest;
  changed.created_at = sample_client("c1").created_at;
  expect_same(store().clients().find("c1").value(), changed);
  expect_same(store().clients().find("c2").value(), sample_client("c2"));
}

TEST_P(StoreConformance, UpdateOfUnknownClientIsNotFound) {
  EXPECT_EQ(error_of(store().clients().update(sample_client("nope"))), StoreError::not_found);
}

TEST_P(StoreConformance, TimesAreTruncatedToTheMillisecond) {
  Client client = sample_client("c1");
  client.created_at = at_ms(kJan2024Ms) + std::chrono::microseconds(999);
  ASSERT_TRUE(store().clients().create(client).ok());
  EXPECT_EQ(store().clients().find("c1")->created_at, at_ms(kJan2024Ms));
}

TEST_P(StoreConformance, TextThatLooksLikeSqlIsStoredLiterally) {
  Client client = sample_client("x'); DROP TABLE clients; --");
  client.name = "\"quoted\" 'name' \\ ; % _ ☃";
  client.client_metadata = {{"k'\"", "v;--"}};
  ASSERT_TRUE(store().clients().create(client).ok());
  const auto found = store().clients().find(client.client_id);
  ASSERT_TRUE(found.ok());
  expect_same(*found, client);
  EXPECT_EQ(error_of(store().clients().find("x")), StoreError::not_found);
}

// ---- resource servers ----

TEST_P(StoreConformance, CreatedResourceServerIsFoundByIdAndByIdentifier) {
  const ResourceServer api = sample_api("rs1", "https://api.example.com/");
  ASSERT_TRUE(store().resource_servers().create(api).ok());
  const auto by_id = store().resource_servers().find("rs1");
  ASSERT_TRUE(by_id.ok());
  expect_same(*by_id, api);
  const auto by_identifier = store().resource_servers().find("https://api.example.com/");
  ASSERT_TRUE(by_identifier.ok());
  expect_same(*by_identifier, api);
}

TEST_P(StoreConformance, ResourceServerWithoutScopesRoundTrips) {
  ResourceServer api;
  api.id = "bare";
  api.identifier = "urn:bare";
  ASSERT_TRUE(store().resource_servers().create(api).ok());
  const auto found = store().resource_servers().find("bare");
  ASSERT_TRUE(found.ok());
  expect_same(*found, api);
}

TEST_P(StoreConformance, ResourceServerWithTakenIdOrIdentifierIsAConflict) {
  ASSERT_TRUE(store().resource_servers().create(sample_api("rs1", "urn:one")).ok());
  const auto same_id = store().resource_servers().create(sample_api("rs1", "urn:two"));
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error(), StoreError::conflict);
  const auto same_identifier = store().resource_servers().create(sample_api("rs2", "urn:one"));
  ASSERT_FALSE(same_identifier.ok());
  EXPECT_EQ(same_identifier.error(), StoreError::conflict);
}

TEST_P(StoreConformance, ResourceServerFindPrefersAnIdMatchOverAnIdentifierMatch) {
  ASSERT_TRUE(store().resource_servers().create(sample_api("rs-b", "shared", 1000)).ok());
  ASSERT_TRUE(store().resource_servers().create(sample_api("shared", "urn:other", 2000)).ok());
  const auto found = store().resource_servers().find("shared");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, "shared");
  ASSERT_TRUE(store().resource_servers().remove("shared").ok());
  EXPECT_EQ(store().resource_servers().find("shared")->id, "rs-b");
}

TEST_P(StoreConformance, UnknownResourceServerIsNotFound) {
  const auto found = store().resource_servers().find("urn:nope");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::not_found);
}

TEST_P(StoreConformance, ResourceServersAreListedByCreationTimeThenId) {
  ASSERT_TRUE(store().resource_servers().create(sample_api("b", "urn:b", 2000)).ok());
  ASSERT_TRUE(store().resource_servers().create(sample_api("c", "urn:c", 1000)).ok());
  ASSERT_TRUE(store().resource_servers().create(sample_api("a", "urn:a", 2000)).ok());
  const auto listed = store().resource_servers().list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ids_of(*listed, &ResourceServer::id), (std::vector<std::string>{"c", "a", "b"}));
  expect_same(listed->back(), sample_api("b", "urn:b", 2000));
}

TEST_P(StoreConformance, ResourceServerRemovedByIdentifierIsGone) {
  ASSERT_TRUE(store().resource_servers().create(sample_api("rs1", "urn:one")).ok());
  ASSERT_TRUE(store().resource_servers().remove("urn:one").ok());
  EXPECT_EQ(error_of(store().resource_servers().find("rs1")), StoreError::not_found);
  const auto again = store().resource_servers().remove("urn:one");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::not_found);
}

// ---- users ----

TEST_P(StoreConformance, CreatedUserIsFoundWithEveryFieldAndALowerCasedEmail) {
  const User user = sample_user("auth0|1", "Alice@Example.COM");
  ASSERT_TRUE(store().users().create(user).ok());
  const auto found = store().users().find("auth0|1");
  ASSERT_TRUE(found.ok());
  User want = user;
  want.email = "alice@example.com";
  expect_same(*found, want);
}

TEST_P(StoreConformance, UserWithoutLastLoginRoundTrips) {
  User user = sample_user("auth0|1", "a@example.com");
  user.last_login.reset();
  user.blocked = true;
  user.app_metadata = nlohmann::json::object();
  ASSERT_TRUE(store().users().create(user).ok());
  const auto found = store().users().find("auth0|1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, user);
}

TEST_P(StoreConformance, FindByEmailIgnoresCase) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "alice@example.com")).ok());
  const auto found = store().users().find_by_email("ALICE@example.Com");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, "auth0|1");
  const auto missing = store().users().find_by_email("bob@example.com");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), StoreError::not_found);
}

TEST_P(StoreConformance, UserCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "a@example.com")).ok());
  const auto again = store().users().create(sample_user("auth0|1", "other@example.com"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::conflict);
}

TEST_P(StoreConformance, EmailTakenInAnotherCaseIsAConflict) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "alice@example.com")).ok());
  const auto again = store().users().create(sample_user("auth0|2", "ALICE@Example.com"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::conflict);
  EXPECT_EQ(error_of(store().users().find("auth0|2")), StoreError::not_found);
}

TEST_P(StoreConformance, UsersWithoutEmailDoNotCollide) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "")).ok());
  ASSERT_TRUE(store().users().create(sample_user("auth0|2", "")).ok());
  EXPECT_EQ(store().users().find("auth0|2")->email, "");
  EXPECT_EQ(error_of(store().users().find_by_email("")), StoreError::not_found);
}

TEST_P(StoreConformance, UnknownUserIsNotFound) {
  const auto found = store().users().find("auth0|nope");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::not_found);
}

TEST_P(StoreConformance, UsersAreListedByCreationTimeThenId) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|b", "b@example.com", 2000)).ok());
  ASSERT_TRUE(store().users().create(sample_user("auth0|c", "c@example.com", 1000)).ok());
  ASSERT_TRUE(store().users().create(sample_user("auth0|a", "a@example.com", 2000)).ok());
  const auto listed = store().users().list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ids_of(*listed, &User::user_id),
            (std::vector<std::string>{"auth0|c", "auth0|a", "auth0|b"}));
  expect_same(listed->front(), sample_user("auth0|c", "c@example.com", 1000));
}

TEST_P(StoreConformance, SetBlockedBlocksAndUnblocks) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "a@example.com")).ok());
  ASSERT_TRUE(store().users().set_blocked("auth0|1", true).ok());
  EXPECT_TRUE(store().users().find("auth0|1")->blocked);
  ASSERT_TRUE(store().users().set_blocked("auth0|1", false).ok());
  const auto found = store().users().find("auth0|1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, sample_user("auth0|1", "a@example.com"));
}

TEST_P(StoreConformance, SetBlockedOfUnknownUserIsNotFound) {
  const auto result = store().users().set_blocked("auth0|nope", true);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), StoreError::not_found);
}

TEST_P(StoreConformance, RemovedUserIsGoneAndItsEmailIsFree) {
  ASSERT_TRUE(store().users().create(sample_user("auth0|1", "a@example.com")).ok());
  ASSERT_TRUE(store().users().remove("auth0|1").ok());
  EXPECT_EQ(error_of(store().users().find("auth0|1")), StoreError::not_found);
  EXPECT_EQ(error_of(store().users().find_by_email("a@example.com")), StoreError::not_found);
  EXPECT_EQ(error_of(store().users().remove("auth0|1")), StoreError::not_found);
  EXPECT_TRUE(store().users().create(sample_user("auth0|2", "a@example.com")).ok());
}

// ---- signing keys ----

TEST_P(StoreConformance, CreatedSigningKeyIsFoundWithEveryField) {
  SigningKey key = sample_key("k1");
  key.state = KeyState::previous;
  key.activated_at = at_ms(kJan2024Ms + 10);
  key.retired_at = at_ms(kJan2024Ms + 20);
  ASSERT_TRUE(store().signing_keys().create(key).ok());
  const auto found = store().signing_keys().find("k1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, key);
}

TEST_P(StoreConformance, SigningKeyWithoutTimestampsRoundTrips) {
  const SigningKey key = sample_key("k1");
  ASSERT_TRUE(store().signing_keys().create(key).ok());
  const auto found = store().signing_keys().find("k1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, key);
  EXPECT_FALSE(found->activated_at.has_value());
  EXPECT_FALSE(found->retired_at.has_value());
}

TEST_P(StoreConformance, SigningKeyCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().signing_keys().create(sample_key("k1")).ok());
  const auto again = store().signing_keys().create(sample_key("k1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), StoreError::conflict);
}

TEST_P(StoreConformance, UnknownSigningKeyIsNotFound) {
  const auto found = store().signing_keys().find("nope");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::not_found);
}

TEST_P(StoreConformance, SigningKeysAreListedNewestFirstThenByKid) {
  ASSERT_TRUE(store().signing_keys().create(sample_key("old", 1000)).ok());
  ASSERT_TRUE(store().signing_keys().create(sample_key("new-b", 3000)).ok());
  ASSERT_TRUE(store().signing_keys().create(sample_key("new-a", 3000)).ok());
  ASSERT_TRUE(store().signing_keys().create(sample_key("mid", 2000)).ok());
  const auto listed = store().signing_keys().list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ids_of(*listed, &SigningKey::kid),
            (std::vector<std::string>{"new-a", "new-b", "mid", "old"}));
  expect_same(listed->back(), sample_key("old", 1000));
}

TEST_P(StoreConformance, MakingAKeyCurrentStampsActivatedAt) {
  ASSERT_TRUE(store().signing_keys().create(sample_key("k1")).ok());
  ASSERT_TRUE(store().signing_keys().set_state("k1", KeyState::current, at_ms(5000)).ok());
  const auto found = store().signing_keys().find("k1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, KeyState::current);
  EXPECT_EQ(found->activated_at, at_ms(5000));
  EXPECT_FALSE(found->retired_at.has_value());
}

TEST_P(StoreConformance, RetiringAKeyStampsRetiredAtAndKeepsActivatedAt) {
  ASSERT_TRUE(store().signing_keys().create(sample_key("k1")).ok());
  ASSERT_TRUE(store().signing_keys().set_state("k1", KeyState::current, at_ms(5000)).ok());
  ASSERT_TRUE(store().signing_keys().set_state("k1", KeyState::previous, at_ms(9000)).ok());
  auto found = store().signing_keys().find("k1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, KeyState::previous);
  EXPECT_EQ(found->activated_at, at_ms(5000));
  EXPECT_EQ(found->retired_at, at_ms(9000));
  ASSERT_TRUE(store().signing_keys().set_state("k1", KeyState::revoked, at_ms(12000)).ok());
  found = store().signing_keys().find("k1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->state, KeyState::revoked);
  EXPECT_EQ(found->activated_at, at_ms(5000));
  EXPECT_EQ(found->retired_at, at_ms(12000));
  EXPECT_EQ(found->sealed_private_key, sample_key("k1").sealed_private_key);
}

TEST_P(StoreConformance, SetStateOfUnknownKeyIsNotFound) {
  const auto result = store().signing_keys().set_state("nope", KeyState::current, at_ms(1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), StoreError::not_found);
}

}  // namespace
}  // namespace latchkey::store_test
