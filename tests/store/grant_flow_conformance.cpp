// The store conformance suite, part two: the aggregates of the Authorization Code Grant
// (sessions, grants, codes, refresh tokens, revoked jtis, login attempts). Only store::Store is
// used here, so every back end runs it unchanged (see store_conformance.hpp).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/transaction_store.hpp"
#include "store_conformance.hpp"

namespace latchkey::store_test {
namespace {

using model::AuthorizationCode;
using model::Grant;
using model::RefreshToken;
using model::Session;
using store::StoreError;

constexpr std::int64_t kT0 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

}  // namespace

void GrantFlowConformance::SetUp() {
  StoreConformance::SetUp();
  if (HasFatalFailure()) return;
  for (const std::string name : {"alice", "bob"}) {
    model::User user;
    user.user_id = "auth0|" + name;
    user.email = name + "@example.com";
    user.created_at = at_ms(kT0);
    ASSERT_TRUE(store().users().create(user).ok());
  }
  for (const std::string client_id : {"app1", "app2"}) {
    model::Client client;
    client.client_id = client_id;
    client.created_at = at_ms(kT0);
    ASSERT_TRUE(store().clients().create(client).ok());
  }
}

namespace {

Session sample_session(const std::string& id_digest, const std::string& user_id = "auth0|alice") {
  Session session;
  session.id_digest = id_digest;
  session.user_id = user_id;
  session.auth_time = at_ms(kT0 + 1);
  session.created_at = at_ms(kT0 + 2);
  session.expires_at = at_ms(kT0 + 3'600'000);
  session.last_seen_at = at_ms(kT0 + 4);
  return session;
}

void expect_same(const Session& got, const Session& want) {
  EXPECT_EQ(got.id_digest, want.id_digest);
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.auth_time, want.auth_time);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.last_seen_at, want.last_seen_at);
}

Grant sample_grant(const std::string& client_id, const std::string& audience,
                   const std::string& user_id = "auth0|alice") {
  Grant grant;
  grant.user_id = user_id;
  grant.client_id = client_id;
  grant.audience = audience;
  grant.scopes = {"openid", "profile", "read:messages"};
  grant.created_at = at_ms(kT0 + 10);
  grant.updated_at = at_ms(kT0 + 20);
  return grant;
}

void expect_same(const Grant& got, const Grant& want) {
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.audience, want.audience);
  EXPECT_EQ(got.scopes, want.scopes);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

AuthorizationCode sample_code(const std::string& code_digest, const std::string& client_id = "app1",
                              const std::string& user_id = "auth0|alice") {
  AuthorizationCode code;
  code.code_digest = code_digest;
  code.client_id = client_id;
  code.redirect_uri = "https://app.example.com/callback?x=1";
  code.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  code.code_challenge_method = "S256";
  code.nonce = "n-0S6_WzA2Mj";
  code.scopes = {"openid", "offline_access", "read:messages"};
  code.audience = "https://api.example.com/";
  code.user_id = user_id;
  code.session_id = "5e55";
  code.auth_time = at_ms(kT0 + 100);
  code.created_at = at_ms(kT0 + 200);
  code.expires_at = at_ms(kT0 + 60'200);
  code.extra_claims = {{"id_token", {{"https://example.com/roles", {"admin"}}}},
                       {"access_token", {{"https://example.com/tier", 3}}}};
  return code;
}

void expect_same(const AuthorizationCode& got, const AuthorizationCode& want) {
  EXPECT_EQ(got.code_digest, want.code_digest);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.redirect_uri, want.redirect_uri);
  EXPECT_EQ(got.code_challenge, want.code_challenge);
  EXPECT_EQ(got.code_challenge_method, want.code_challenge_method);
  EXPECT_EQ(got.nonce, want.nonce);
  EXPECT_EQ(got.scopes, want.scopes);
  EXPECT_EQ(got.audience, want.audience);
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.session_id, want.session_id);
  EXPECT_EQ(got.auth_time, want.auth_time);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.extra_claims, want.extra_claims);
  EXPECT_EQ(got.redeemed_at, want.redeemed_at);
  EXPECT_EQ(got.issued_access_jti, want.issued_access_jti);
  EXPECT_EQ(got.issued_refresh_digest, want.issued_refresh_digest);
}

RefreshToken sample_refresh(const std::string& token_digest, const std::string& family_id,
                            const std::string& client_id = "app1",
                            const std::string& user_id = "auth0|alice") {
  RefreshToken token;
  token.token_digest = token_digest;
  token.family_id = family_id;
  token.parent_digest = "";
  token.client_id = client_id;
  token.user_id = user_id;
  token.audience = "https://api.example.com/";
  token.scopes = {"openid", "offline_access"};
  token.session_id = "5e55";
  token.created_at = at_ms(kT0 + 300);
  token.expires_at = at_ms(kT0 + 86'400'000);
  token.auth_time = at_ms(kT0 + 1);
  return token;
}

void expect_same(const RefreshToken& got, const RefreshToken& want) {
  EXPECT_EQ(got.token_digest, want.token_digest);
  EXPECT_EQ(got.family_id, want.family_id);
  EXPECT_EQ(got.parent_digest, want.parent_digest);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.user_id, want.user_id);
  EXPECT_EQ(got.audience, want.audience);
  EXPECT_EQ(got.scopes, want.scopes);
  EXPECT_EQ(got.session_id, want.session_id);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.revoked_at, want.revoked_at);
  EXPECT_EQ(got.auth_time, want.auth_time);
}

// ---- sessions ----

TEST_P(GrantFlowConformance, CreatedSessionIsFoundWithEveryField) {
  const Session session = sample_session("s1");
  ASSERT_TRUE(store().sessions().create(session).ok());
  const auto found = store().sessions().find("s1");
  ASSERT_TRUE(found.ok());
  expect_same(*found, session);
}

TEST_P(GrantFlowConformance, SessionCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().sessions().create(sample_session("s1")).ok());
  EXPECT_EQ(error_of(store().sessions().create(sample_session("s1", "auth0|bob"))),
            StoreError::conflict);
  EXPECT_EQ(store().sessions().find("s1")->user_id, "auth0|alice");
}

TEST_P(GrantFlowConformance, SessionOfAnUnknownUserIsNotFound) {
  EXPECT_EQ(error_of(store().sessions().create(sample_session("s1", "auth0|nobody"))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().sessions().find("s1")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, UnknownSessionIsNotFound) {
  EXPECT_EQ(error_of(store().sessions().find("nope")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, ExpiredSessionIsStillReturnedForTheCallerToJudge) {
  Session session = sample_session("s1");
  session.expires_at = at_ms(1000);  // long gone
  ASSERT_TRUE(store().sessions().create(session).ok());
  const auto found = store().sessions().find("s1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->expires_at, at_ms(1000));
}

TEST_P(GrantFlowConformance, TouchMovesLastSeenAndExpiryOnly) {
  const Session session = sample_session("s1");
  ASSERT_TRUE(store().sessions().create(session).ok());
  ASSERT_TRUE(store().sessions().touch("s1", at_ms(kT0 + 50'000), at_ms(kT0 + 9'000'000)).ok());
  Session want = session;
  want.last_seen_at = at_ms(kT0 + 50'000);
  want.expires_at = at_ms(kT0 + 9'000'000);
  expect_same(store().sessions().find("s1").value(), want);
}

TEST_P(GrantFlowConformance, SetAuthTimeChangesOnlyTheAuthTime) {
  const Session session = sample_session("s1");
  ASSERT_TRUE(store().sessions().create(session).ok());
  ASSERT_TRUE(store().sessions().set_auth_time("s1", at_ms(kT0 + 77'000)).ok());
  Session want = session;
  want.auth_time = at_ms(kT0 + 77'000);
  expect_same(store().sessions().find("s1").value(), want);
}

TEST_P(GrantFlowConformance, UpdatingAnUnknownSessionIsNotFound) {
  EXPECT_EQ(error_of(store().sessions().touch("nope", at_ms(kT0), at_ms(kT0))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().sessions().set_auth_time("nope", at_ms(kT0))), StoreError::not_found);
}

TEST_P(GrantFlowConformance, RemovedSessionIsGoneAndRemovingAgainIsNotFound) {
  ASSERT_TRUE(store().sessions().create(sample_session("s1")).ok());
  ASSERT_TRUE(store().sessions().create(sample_session("s2")).ok());
  ASSERT_TRUE(store().sessions().remove("s1").ok());
  EXPECT_EQ(error_of(store().sessions().find("s1")), StoreError::not_found);
  EXPECT_EQ(error_of(store().sessions().remove("s1")), StoreError::not_found);
  EXPECT_TRUE(store().sessions().find("s2").ok());
}

TEST_P(GrantFlowConformance, RemoveForUserRemovesOnlyThatUsersSessionsAndCountsThem) {
  ASSERT_TRUE(store().sessions().create(sample_session("a1")).ok());
  ASSERT_TRUE(store().sessions().create(sample_session("a2")).ok());
  ASSERT_TRUE(store().sessions().create(sample_session("b1", "auth0|bob")).ok());
  EXPECT_EQ(store().sessions().remove_for_user("auth0|alice").value(), 2);
  EXPECT_EQ(error_of(store().sessions().find("a1")), StoreError::not_found);
  EXPECT_EQ(error_of(store().sessions().find("a2")), StoreError::not_found);
  EXPECT_TRUE(store().sessions().find("b1").ok());
  EXPECT_EQ(store().sessions().remove_for_user("auth0|alice").value(), 0);
}

TEST_P(GrantFlowConformance, DeleteExpiredRemovesOnlySessionsThatExpiredBeforeTheTime) {
  Session old_session = sample_session("old");
  old_session.expires_at = at_ms(kT0 + 1000);
  Session edge = sample_session("edge");
  edge.expires_at = at_ms(kT0 + 2000);
  Session live = sample_session("live", "auth0|bob");
  live.expires_at = at_ms(kT0 + 3000);
  for (const auto& session : {old_session, edge, live}) {
    ASSERT_TRUE(store().sessions().create(session).ok());
  }
  ASSERT_TRUE(store().sessions().find("old").ok());  // a cache in front must forget it too
  EXPECT_EQ(store().sessions().delete_expired(at_ms(kT0 + 2000)).value(), 1);
  EXPECT_EQ(error_of(store().sessions().find("old")), StoreError::not_found);
  EXPECT_TRUE(store().sessions().find("edge").ok());
  EXPECT_TRUE(store().sessions().find("live").ok());
  EXPECT_EQ(store().sessions().delete_expired(at_ms(kT0 + 2000)).value(), 0);
}

// ---- grants ----

TEST_P(GrantFlowConformance, UpsertedGrantIsFoundWithEveryField) {
  const Grant grant = sample_grant("app1", "https://api.example.com/");
  ASSERT_TRUE(store().grants().upsert(grant).ok());
  const auto found = store().grants().find("auth0|alice", "app1", "https://api.example.com/");
  ASSERT_TRUE(found.ok());
  expect_same(*found, grant);
}

TEST_P(GrantFlowConformance, GrantWithoutAudienceIsDistinctFromOneWithAnAudience) {
  Grant no_api = sample_grant("app1", "");
  no_api.scopes = {"openid"};
  ASSERT_TRUE(store().grants().upsert(no_api).ok());
  EXPECT_EQ(error_of(store().grants().find("auth0|alice", "app1", "urn:api")),
            StoreError::not_found);
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:api")).ok());
  expect_same(store().grants().find("auth0|alice", "app1", "").value(), no_api);
  EXPECT_EQ(store().grants().find("auth0|alice", "app1", "urn:api")->scopes.size(), 3U);
}

TEST_P(GrantFlowConformance, UpsertReplacesScopesAndUpdatedAtButKeepsCreatedAt) {
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:api")).ok());
  Grant again = sample_grant("app1", "urn:api");
  again.scopes = {"openid"};
  again.created_at = at_ms(kT0 + 5000);
  again.updated_at = at_ms(kT0 + 6000);
  ASSERT_TRUE(store().grants().upsert(again).ok());
  const auto found = store().grants().find("auth0|alice", "app1", "urn:api");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->scopes, std::vector<std::string>{"openid"});
  EXPECT_EQ(found->created_at, at_ms(kT0 + 10));
  EXPECT_EQ(found->updated_at, at_ms(kT0 + 6000));
  EXPECT_EQ(store().grants().list_for_user("auth0|alice")->size(), 1U);
}

TEST_P(GrantFlowConformance, GrantWithEmptyScopesRoundTrips) {
  Grant grant = sample_grant("app1", "urn:api");
  grant.scopes.clear();
  ASSERT_TRUE(store().grants().upsert(grant).ok());
  expect_same(store().grants().find("auth0|alice", "app1", "urn:api").value(), grant);
}

TEST_P(GrantFlowConformance, UnknownGrantIsNotFound) {
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:api")).ok());
  EXPECT_EQ(error_of(store().grants().find("auth0|bob", "app1", "urn:api")), StoreError::not_found);
  EXPECT_EQ(error_of(store().grants().find("auth0|alice", "app2", "urn:api")),
            StoreError::not_found);
}

TEST_P(GrantFlowConformance, GrantForAnUnknownUserOrClientIsNotFound) {
  EXPECT_EQ(error_of(store().grants().upsert(sample_grant("app1", "", "auth0|nobody"))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().grants().upsert(sample_grant("no-such-app", ""))),
            StoreError::not_found);
  EXPECT_TRUE(store().grants().list_for_user("auth0|alice")->empty());
}

TEST_P(GrantFlowConformance, RemovedGrantIsGoneAndRemovingAgainIsNotFound) {
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:api")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "")).ok());
  ASSERT_TRUE(store().grants().remove("auth0|alice", "app1", "urn:api").ok());
  EXPECT_EQ(error_of(store().grants().find("auth0|alice", "app1", "urn:api")),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().grants().remove("auth0|alice", "app1", "urn:api")),
            StoreError::not_found);
  EXPECT_TRUE(store().grants().find("auth0|alice", "app1", "").ok());
}

TEST_P(GrantFlowConformance, UserGrantsAreListedByClientThenAudience) {
  ASSERT_TRUE(store().grants().upsert(sample_grant("app2", "")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:b")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:a")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "urn:z", "auth0|bob")).ok());
  const auto listed = store().grants().list_for_user("auth0|alice");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3U);
  EXPECT_EQ((*listed)[0].client_id + " " + (*listed)[0].audience, "app1 urn:a");
  EXPECT_EQ((*listed)[1].client_id + " " + (*listed)[1].audience, "app1 urn:b");
  EXPECT_EQ((*listed)[2].client_id + " " + (*listed)[2].audience, "app2 ");
  EXPECT_TRUE(store().grants().list_for_user("auth0|nobody")->empty());
}

// ---- cascades ----

TEST_P(GrantFlowConformance, DeletingAUserRemovesItsSessionsGrantsCodesAndRefreshTokens) {
  ASSERT_TRUE(store().sessions().create(sample_session("a1")).ok());
  ASSERT_TRUE(store().sessions().create(sample_session("b1", "auth0|bob")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "", "auth0|bob")).ok());
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("r1", "f1")).ok());
  ASSERT_TRUE(store().users().remove("auth0|alice").ok());
  EXPECT_EQ(error_of(store().sessions().find("a1")), StoreError::not_found);
  EXPECT_EQ(error_of(store().grants().find("auth0|alice", "app1", "")), StoreError::not_found);
  EXPECT_EQ(error_of(store().authorization_codes().redeem("c1", at_ms(kT0))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().refresh_tokens().find("r1")), StoreError::not_found);
  EXPECT_TRUE(store().sessions().find("b1").ok());
  EXPECT_TRUE(store().grants().find("auth0|bob", "app1", "").ok());
}

TEST_P(GrantFlowConformance, DeletingAClientRemovesItsGrantsCodesAndRefreshTokens) {
  ASSERT_TRUE(store().sessions().create(sample_session("a1")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app1", "")).ok());
  ASSERT_TRUE(store().grants().upsert(sample_grant("app2", "")).ok());
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c2", "app2")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("r1", "f1")).ok());
  ASSERT_TRUE(store().clients().remove("app1").ok());
  EXPECT_EQ(error_of(store().grants().find("auth0|alice", "app1", "")), StoreError::not_found);
  EXPECT_EQ(error_of(store().authorization_codes().redeem("c1", at_ms(kT0))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().refresh_tokens().find("r1")), StoreError::not_found);
  EXPECT_TRUE(store().grants().find("auth0|alice", "app2", "").ok());
  EXPECT_TRUE(store().authorization_codes().redeem("c2", at_ms(kT0)).ok());
  EXPECT_TRUE(store().sessions().find("a1").ok());  // the login outlives the app
}

// ---- authorization codes ----

TEST_P(GrantFlowConformance, RedeemedCodeComesBackWithEveryFieldAndTheRedemptionTime) {
  const AuthorizationCode code = sample_code("c1");
  ASSERT_TRUE(store().authorization_codes().create(code).ok());
  const auto redeemed = store().authorization_codes().redeem("c1", at_ms(kT0 + 1234));
  ASSERT_TRUE(redeemed.ok());
  EXPECT_TRUE(redeemed->first);
  AuthorizationCode want = code;
  want.redeemed_at = at_ms(kT0 + 1234);
  expect_same(redeemed->code, want);
}

TEST_P(GrantFlowConformance, CodeWithoutPkceNonceOrClaimsRoundTrips) {
  AuthorizationCode code = sample_code("c1");
  code.code_challenge.clear();
  code.code_challenge_method.clear();
  code.nonce.clear();
  code.audience.clear();
  code.scopes.clear();
  code.extra_claims = nlohmann::json::object();
  ASSERT_TRUE(store().authorization_codes().create(code).ok());
  const auto redeemed = store().authorization_codes().redeem("c1", at_ms(kT0 + 1));
  ASSERT_TRUE(redeemed.ok());
  code.redeemed_at = at_ms(kT0 + 1);
  expect_same(redeemed->code, code);
  EXPECT_TRUE(redeemed->code.extra_claims.is_object());
}

TEST_P(GrantFlowConformance, CodeCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  EXPECT_EQ(error_of(store().authorization_codes().create(sample_code("c1", "app2"))),
            StoreError::conflict);
}

TEST_P(GrantFlowConformance, CodeForAnUnknownClientOrUserIsNotFound) {
  EXPECT_EQ(error_of(store().authorization_codes().create(sample_code("c1", "no-such-app"))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().authorization_codes().create(sample_code("c2", "app1", "auth0|x"))),
            StoreError::not_found);
}

TEST_P(GrantFlowConformance, SecondRedeemIsAReplayThatKeepsTheFirstRedemptionTime) {
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  const auto first = store().authorization_codes().redeem("c1", at_ms(kT0 + 1000));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->first);
  const auto replay = store().authorization_codes().redeem("c1", at_ms(kT0 + 2000));
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->first);
  EXPECT_EQ(replay->code.redeemed_at, at_ms(kT0 + 1000));
  EXPECT_EQ(replay->code.client_id, "app1");
}

TEST_P(GrantFlowConformance, RedeemingAnUnknownCodeIsNotFound) {
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  EXPECT_EQ(error_of(store().authorization_codes().redeem("c2", at_ms(kT0))),
            StoreError::not_found);
}

TEST_P(GrantFlowConformance, CodeCreatedAlreadyRedeemedIsAReplayOnFirstRedeem) {
  AuthorizationCode code = sample_code("c1");
  code.redeemed_at = at_ms(kT0 + 5);
  ASSERT_TRUE(store().authorization_codes().create(code).ok());
  const auto redeemed = store().authorization_codes().redeem("c1", at_ms(kT0 + 9));
  ASSERT_TRUE(redeemed.ok());
  EXPECT_FALSE(redeemed->first);
  EXPECT_EQ(redeemed->code.redeemed_at, at_ms(kT0 + 5));
}

TEST_P(GrantFlowConformance, WhatTheFirstRedemptionIssuedIsVisibleOnTheReplay) {
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  ASSERT_TRUE(store().authorization_codes().redeem("c1", at_ms(kT0 + 1000)).ok());
  ASSERT_TRUE(store().authorization_codes().record_issued("c1", "jti-123", "rt-digest").ok());
  const auto replay = store().authorization_codes().redeem("c1", at_ms(kT0 + 2000));
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->first);
  EXPECT_EQ(replay->code.issued_access_jti, "jti-123");
  EXPECT_EQ(replay->code.issued_refresh_digest, "rt-digest");
}

TEST_P(GrantFlowConformance, TheFirstRedemptionRecordsWhatItIssuesAndAReplayChangesNothing) {
  ASSERT_TRUE(store().authorization_codes().create(sample_code("c1")).ok());
  const auto first =
      store().authorization_codes().redeem("c1", at_ms(kT0 + 1000), {"jti-1", "rt-1"});
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->first);
  EXPECT_EQ(first->code.issued_access_jti, "jti-1");
  EXPECT_EQ(first->code.issued_refresh_digest, "rt-1");
  const auto replay =
      store().authorization_codes().redeem("c1", at_ms(kT0 + 2000), {"jti-2", "rt-2"});
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->first);
  EXPECT_EQ(replay->code.issued_access_jti, "jti-1");
  EXPECT_EQ(replay->code.issued_refresh_digest, "rt-1");
  EXPECT_EQ(replay->code.redeemed_at, at_ms(kT0 + 1000));
}

TEST_P(GrantFlowConformance, RecordIssuedForAnUnknownCodeIsNotFound) {
  EXPECT_EQ(error_of(store().authorization_codes().record_issued("nope", "j", "r")),
            StoreError::not_found);
}

TEST_P(GrantFlowConformance, ConcurrentRedeemsFromEightThreadsHaveExactlyOneFirst) {
  constexpr int kThreads = 8;
  constexpr int kCodes = 5;
  for (int c = 0; c < kCodes; ++c) {
    ASSERT_TRUE(store().authorization_codes().create(sample_code("c" + std::to_string(c))).ok());
  }
  std::vector<std::atomic<int>> firsts(kCodes);
  std::atomic<int> replays{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCodes; ++c) {
        const auto r = store().authorization_codes().redeem("c" + std::to_string(c), at_ms(t));
        if (!r) {
          ++errors;
        } else if (r->first) {
          ++firsts[static_cast<std::size_t>(c)];
        } else {
          ++replays;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  for (int c = 0; c < kCodes; ++c) EXPECT_EQ(firsts[static_cast<std::size_t>(c)].load(), 1);
  EXPECT_EQ(replays.load(), kCodes * (kThreads - 1));
}

TEST_P(GrantFlowConformance, DeleteExpiredRemovesOnlyCodesThatExpiredBeforeTheTime) {
  AuthorizationCode old_code = sample_code("old");
  old_code.expires_at = at_ms(kT0 + 1000);
  AuthorizationCode edge = sample_code("edge");
  edge.expires_at = at_ms(kT0 + 2000);
  AuthorizationCode fresh = sample_code("fresh");
  fresh.expires_at = at_ms(kT0 + 3000);
  for (const auto& code : {old_code, edge, fresh}) {
    ASSERT_TRUE(store().authorization_codes().create(code).ok());
  }
  EXPECT_EQ(store().authorization_codes().delete_expired(at_ms(kT0 + 2000)).value(), 1);
  EXPECT_EQ(error_of(store().authorization_codes().redeem("old", at_ms(kT0))),
            StoreError::not_found);
  EXPECT_TRUE(store().authorization_codes().redeem("edge", at_ms(kT0)).ok());
  EXPECT_TRUE(store().authorization_codes().redeem("fresh", at_ms(kT0)).ok());
  EXPECT_EQ(store().authorization_codes().delete_expired(at_ms(kT0 + 2000)).value(), 0);
}

// ---- refresh tokens ----

TEST_P(GrantFlowConformance, CreatedRefreshTokenIsFoundWithEveryField) {
  RefreshToken token = sample_refresh("r2", "f1");
  token.parent_digest = "r1";
  token.revoked_at = at_ms(kT0 + 999);
  ASSERT_TRUE(store().refresh_tokens().create(token).ok());
  const auto found = store().refresh_tokens().find("r2");
  ASSERT_TRUE(found.ok());
  expect_same(*found, token);
}

TEST_P(GrantFlowConformance, RefreshTokenWithoutExpiryOrRevocationRoundTrips) {
  RefreshToken token = sample_refresh("r1", "f1");
  token.expires_at.reset();
  token.auth_time.reset();
  token.scopes.clear();
  ASSERT_TRUE(store().refresh_tokens().create(token).ok());
  expect_same(store().refresh_tokens().find("r1").value(), token);
}

TEST_P(GrantFlowConformance, RefreshTokenCreatedTwiceIsAConflict) {
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("r1", "f1")).ok());
  EXPECT_EQ(error_of(store().refresh_tokens().create(sample_refresh("r1", "f2"))),
            StoreError::conflict);
}

TEST_P(GrantFlowConformance, UnknownRefreshTokenOrOwnerIsNotFound) {
  EXPECT_EQ(error_of(store().refresh_tokens().find("nope")), StoreError::not_found);
  EXPECT_EQ(error_of(store().refresh_tokens().create(sample_refresh("r1", "f1", "no-such-app"))),
            StoreError::not_found);
  EXPECT_EQ(error_of(store().refresh_tokens().create(sample_refresh("r2", "f1", "app1", "x"))),
            StoreError::not_found);
}

TEST_P(GrantFlowConformance, RevokeFamilyRevokesEveryLiveTokenOfTheFamilyAndCountsThem) {
  RefreshToken earlier = sample_refresh("r0", "f1");
  earlier.revoked_at = at_ms(kT0 + 50);
  ASSERT_TRUE(store().refresh_tokens().create(earlier).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("r1", "f1")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("r2", "f1")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("other", "f2")).ok());
  EXPECT_EQ(store().refresh_tokens().revoke_family("f1", at_ms(kT0 + 7000)).value(), 2);
  EXPECT_EQ(store().refresh_tokens().find("r1")->revoked_at, at_ms(kT0 + 7000));
  EXPECT_EQ(store().refresh_tokens().find("r2")->revoked_at, at_ms(kT0 + 7000));
  EXPECT_EQ(store().refresh_tokens().find("r0")->revoked_at, at_ms(kT0 + 50));
  EXPECT_FALSE(store().refresh_tokens().find("other")->revoked_at.has_value());
  EXPECT_EQ(store().refresh_tokens().revoke_family("f1", at_ms(kT0 + 8000)).value(), 0);
  EXPECT_EQ(store().refresh_tokens().revoke_family("no-family", at_ms(kT0)).value(), 0);
}

TEST_P(GrantFlowConformance, RevokeForUserClientRevokesOnlyThatPair) {
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("a1", "f1")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("a2", "f2")).ok());
  ASSERT_TRUE(store().refresh_tokens().create(sample_refresh("a-app2", "f3", "app2")).ok());
  ASSERT_TRUE(
      store().refresh_tokens().create(sample_refresh("bob", "f4", "app1", "auth0|bob")).ok());
  EXPECT_EQ(
      store().refresh_tokens().revoke_for_user_client("auth0|alice", "app1", at_ms(kT0)).value(),
      2);
  EXPECT_TRUE(store().refresh_tokens().find("a1")->revoked_at.has_value());
  EXPECT_TRUE(store().refresh_tokens().find("a2")->revoked_at.has_value());
  EXPECT_FALSE(store().refresh_tokens().find("a-app2")->revoked_at.has_value());
  EXPECT_FALSE(store().refresh_tokens().find("bob")->revoked_at.has_value());
  EXPECT_EQ(
      store().refresh_tokens().revoke_for_user_client("auth0|alice", "app1", at_ms(kT0)).value(),
      0);
}

TEST_P(GrantFlowConformance, DeleteExpiredRemovesRefreshTokensPastTheirLifetimeWhateverTheirState) {
  RefreshToken spent = sample_refresh("spent", "f1");
  spent.expires_at = at_ms(kT0 + 1000);
  RefreshToken child = sample_refresh("child", "f1");
  child.parent_digest = "spent";
  child.expires_at = at_ms(kT0 + 1000);
  RefreshToken revoked = sample_refresh("revoked", "f2");
  revoked.expires_at = at_ms(kT0 + 1500);
  revoked.revoked_at = at_ms(kT0 + 100);
  RefreshToken edge = sample_refresh("edge", "f3");
  edge.expires_at = at_ms(kT0 + 2000);
  RefreshToken revoked_live = sample_refresh("revoked-live", "f4");
  revoked_live.revoked_at = at_ms(kT0 + 100);
  RefreshToken forever = sample_refresh("forever", "f5");
  forever.expires_at.reset();
  for (const auto& token : {spent, child, revoked, edge, revoked_live, forever}) {
    ASSERT_TRUE(store().refresh_tokens().create(token).ok());
  }
  EXPECT_EQ(store().refresh_tokens().delete_expired(at_ms(kT0 + 2000)).value(), 3);
  for (const char* gone : {"spent", "child", "revoked"}) {
    EXPECT_EQ(error_of(store().refresh_tokens().find(gone)), StoreError::not_found) << gone;
  }
  for (const char* kept : {"edge", "revoked-live", "forever"}) {
    EXPECT_TRUE(store().refresh_tokens().find(kept).ok()) << kept;
  }
  EXPECT_EQ(store().refresh_tokens().delete_expired(at_ms(kT0 + 2000)).value(), 0);
}

// ---- revoked access tokens ----

TEST_P(GrantFlowConformance, RevokedJtiIsRevokedAndOthersAreNot) {
  ASSERT_TRUE(store().revoked_tokens().revoke("jti-1", at_ms(kT0 + 3'600'000)).ok());
  EXPECT_TRUE(store().revoked_tokens().is_revoked("jti-1").value());
  EXPECT_FALSE(store().revoked_tokens().is_revoked("jti-2").value());
  EXPECT_FALSE(store().revoked_tokens().is_revoked("").value());
}

TEST_P(GrantFlowConformance, RevokingAJtiAgainKeepsTheLaterExpiry) {
  ASSERT_TRUE(store().revoked_tokens().revoke("jti-1", at_ms(kT0 + 5000)).ok());
  ASSERT_TRUE(store().revoked_tokens().revoke("jti-1", at_ms(kT0 + 1000)).ok());
  EXPECT_EQ(store().revoked_tokens().delete_expired(at_ms(kT0 + 2000)).value(), 0);
  EXPECT_TRUE(store().revoked_tokens().is_revoked("jti-1").value());
  EXPECT_EQ(store().revoked_tokens().delete_expired(at_ms(kT0 + 5001)).value(), 1);
  EXPECT_FALSE(store().revoked_tokens().is_revoked("jti-1").value());
}

TEST_P(GrantFlowConformance, DeleteExpiredForgetsOnlyJtisThatExpiredBeforeTheTime) {
  ASSERT_TRUE(store().revoked_tokens().revoke("old", at_ms(kT0 + 1000)).ok());
  ASSERT_TRUE(store().revoked_tokens().revoke("edge", at_ms(kT0 + 2000)).ok());
  ASSERT_TRUE(store().revoked_tokens().revoke("live", at_ms(kT0 + 3000)).ok());
  EXPECT_EQ(store().revoked_tokens().delete_expired(at_ms(kT0 + 2000)).value(), 1);
  EXPECT_FALSE(store().revoked_tokens().is_revoked("old").value());
  EXPECT_TRUE(store().revoked_tokens().is_revoked("edge").value());
  EXPECT_TRUE(store().revoked_tokens().is_revoked("live").value());
}

// ---- login attempts (brute-force protection) ----

constexpr int kThreshold = 10;
constexpr auto kBlockFor = std::chrono::seconds(900);

TEST_P(GrantFlowConformance, FirstFailureIsCountedWithItsTime) {
  const auto state = store().login_attempts().record_failure("alice@example.com", "10.0.0.1",
                                                             at_ms(kT0), kThreshold, kBlockFor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->email, "alice@example.com");
  EXPECT_EQ(state->ip, "10.0.0.1");
  EXPECT_EQ(state->failures, 1);
  EXPECT_EQ(state->first_failure_at, at_ms(kT0));
  EXPECT_FALSE(state->blocked_until.has_value());
  const auto found = store().login_attempts().find("alice@example.com", "10.0.0.1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->failures, 1);
  EXPECT_EQ(found->first_failure_at, at_ms(kT0));
}

TEST_P(GrantFlowConformance, TenthFailureBlocksThePairUntilItsTimePlusTheBlock) {
  auto& attempts = store().login_attempts();
  for (int i = 1; i < kThreshold; ++i) {
    const auto state = attempts.record_failure("alice@example.com", "10.0.0.1",
                                               at_ms(kT0 + i * 1000), kThreshold, kBlockFor);
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->failures, i);
    EXPECT_FALSE(state->blocked_until.has_value()) << "blocked after " << i;
  }
  const TimePoint tenth = at_ms(kT0 + 60'000);
  const auto state =
      attempts.record_failure("alice@example.com", "10.0.0.1", tenth, kThreshold, kBlockFor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->failures, kThreshold);
  EXPECT_EQ(state->blocked_until, tenth + kBlockFor);
  EXPECT_EQ(state->first_failure_at, at_ms(kT0 + 1000));
  EXPECT_EQ(attempts.find("alice@example.com", "10.0.0.1")->blocked_until, tenth + kBlockFor);
}

TEST_P(GrantFlowConformance, FailuresPastTheThresholdExtendTheBlock) {
  auto& attempts = store().login_attempts();
  for (int i = 0; i < kThreshold; ++i) {
    ASSERT_TRUE(
        attempts.record_failure("a@x.com", "ip", at_ms(kT0 + i), kThreshold, kBlockFor).ok());
  }
  const auto state =
      attempts.record_failure("a@x.com", "ip", at_ms(kT0 + 500'000), kThreshold, kBlockFor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->failures, kThreshold + 1);
  EXPECT_EQ(state->blocked_until, at_ms(kT0 + 500'000) + kBlockFor);
}

TEST_P(GrantFlowConformance, BlockingOnePairLeavesTheSameEmailFromAnotherIpAlone) {
  auto& attempts = store().login_attempts();
  for (int i = 0; i < kThreshold; ++i) {
    ASSERT_TRUE(
        attempts.record_failure("a@x.com", "10.0.0.1", at_ms(kT0), kThreshold, kBlockFor).ok());
  }
  EXPECT_EQ(error_of(attempts.find("a@x.com", "10.0.0.2")), StoreError::not_found);
  const auto other =
      attempts.record_failure("a@x.com", "10.0.0.2", at_ms(kT0), kThreshold, kBlockFor);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->failures, 1);
  EXPECT_FALSE(other->blocked_until.has_value());
  EXPECT_EQ(attempts.find("a@x.com", "10.0.0.1")->failures, kThreshold);
}

TEST_P(GrantFlowConformance, LoginAttemptEmailsIgnoreCase) {
  auto& attempts = store().login_attempts();
  ASSERT_TRUE(attempts.record_failure("Alice@Example.COM", "ip", at_ms(kT0), 3, kBlockFor).ok());
  const auto state = attempts.record_failure("alice@example.com", "ip", at_ms(kT0), 3, kBlockFor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->failures, 2);
  EXPECT_EQ(state->email, "alice@example.com");
  EXPECT_EQ(attempts.find("ALICE@example.com", "ip")->failures, 2);
  ASSERT_TRUE(attempts.clear("aLiCe@example.com", "ip").ok());
  EXPECT_EQ(error_of(attempts.find("alice@example.com", "ip")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, PairWithoutFailuresIsNotFound) {
  EXPECT_EQ(error_of(store().login_attempts().find("a@x.com", "ip")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, ClearForgetsOnlyThePairAndSucceedsWhenThereIsNothing) {
  auto& attempts = store().login_attempts();
  ASSERT_TRUE(attempts.record_failure("a@x.com", "ip1", at_ms(kT0), kThreshold, kBlockFor).ok());
  ASSERT_TRUE(attempts.record_failure("a@x.com", "ip2", at_ms(kT0), kThreshold, kBlockFor).ok());
  ASSERT_TRUE(attempts.clear("a@x.com", "ip1").ok());
  EXPECT_EQ(error_of(attempts.find("a@x.com", "ip1")), StoreError::not_found);
  EXPECT_TRUE(attempts.find("a@x.com", "ip2").ok());
  EXPECT_TRUE(attempts.clear("a@x.com", "ip1").ok());
  const auto again = attempts.record_failure("a@x.com", "ip1", at_ms(kT0 + 9), 2, kBlockFor);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->failures, 1);  // counting starts over
  EXPECT_EQ(again->first_failure_at, at_ms(kT0 + 9));
}

TEST_P(GrantFlowConformance, ClearEmailLiftsEveryBlockOfTheEmailAndCountsThem) {
  auto& attempts = store().login_attempts();
  for (const char* ip : {"ip1", "ip2", "ip3"}) {
    ASSERT_TRUE(attempts.record_failure("a@x.com", ip, at_ms(kT0), 1, kBlockFor).ok());
  }
  ASSERT_TRUE(attempts.record_failure("b@x.com", "ip1", at_ms(kT0), 1, kBlockFor).ok());
  EXPECT_EQ(attempts.clear_email("A@X.com").value(), 3);
  EXPECT_EQ(error_of(attempts.find("a@x.com", "ip2")), StoreError::not_found);
  EXPECT_TRUE(attempts.find("b@x.com", "ip1")->blocked_until.has_value());
  EXPECT_EQ(attempts.clear_email("a@x.com").value(), 0);
}

TEST_P(GrantFlowConformance, ThresholdBelowOneBlocksOnTheFirstFailure) {
  const auto state =
      store().login_attempts().record_failure("a@x.com", "ip", at_ms(kT0), 0, kBlockFor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->blocked_until, at_ms(kT0) + kBlockFor);
}

TEST_P(GrantFlowConformance, AnAbsurdBlockDurationSaturatesInsteadOfOverflowing) {
  const auto state = store().login_attempts().record_failure("a@x.com", "ip", at_ms(kT0), 1,
                                                             std::chrono::seconds::max());
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(state->blocked_until.has_value());
  EXPECT_GT(*state->blocked_until, at_ms(kT0) + std::chrono::hours(24 * 365 * 100));
}

TEST_P(GrantFlowConformance, ConcurrentFailuresAreAllCounted) {
  constexpr int kThreads = 8;
  constexpr int kEach = 5;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (!store().login_attempts().record_failure("a@x.com", "ip", at_ms(kT0), 1000,
                                                     kBlockFor)) {
          ++errors;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store().login_attempts().find("a@x.com", "ip")->failures, kThreads * kEach);
}

}  // namespace
}  // namespace latchkey::store_test

namespace latchkey::store_test {
namespace {

store::AuthorizationTransaction sample_transaction(const std::string& id) {
  store::AuthorizationTransaction t;
  t.id = id;
  t.query = "response_type=code&client_id=app1&state=s";
  t.client_id = "app1";
  t.created_at = at_ms(kT0);
  t.expires_at = at_ms(kT0 + 1'800'000);
  return t;
}

TEST_P(GrantFlowConformance, TransactionRoundTripsAndRecordsLoginAndConsent) {
  auto& transactions = store().transactions();
  ASSERT_TRUE(transactions.create(sample_transaction("t1")).ok());
  auto found = transactions.find("t1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->query, "response_type=code&client_id=app1&state=s");
  EXPECT_EQ(found->client_id, "app1");
  EXPECT_EQ(found->expires_at, at_ms(kT0 + 1'800'000));
  EXPECT_FALSE(found->authenticated_at.has_value());
  EXPECT_EQ(found->consent, "");

  ASSERT_TRUE(transactions.set_authenticated("t1", "auth0|alice", at_ms(kT0 + 5)).ok());
  ASSERT_TRUE(transactions.set_consent("t1", "granted").ok());
  found = transactions.find("t1");
  EXPECT_EQ(found->user_id, "auth0|alice");
  EXPECT_EQ(found->authenticated_at, at_ms(kT0 + 5));
  EXPECT_EQ(found->consent, "granted");

  ASSERT_TRUE(transactions.remove("t1").ok());
  EXPECT_EQ(error_of(transactions.find("t1")), StoreError::not_found);
  EXPECT_EQ(error_of(transactions.remove("t1")), StoreError::not_found);
  EXPECT_EQ(error_of(transactions.set_consent("t1", "denied")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, TransactionRemembersWhichScriptSentTheBrowserAway) {
  auto& transactions = store().transactions();
  ASSERT_TRUE(transactions.create(sample_transaction("t3")).ok());
  EXPECT_FALSE(transactions.find("t3")->rules_redirect.has_value());
  ASSERT_TRUE(transactions.set_rules_redirect("t3", "").ok());
  EXPECT_EQ(transactions.find("t3")->rules_redirect, std::optional<std::string>(""));
  ASSERT_TRUE(transactions.set_rules_redirect("t3", "mfa-action").ok());
  EXPECT_EQ(transactions.find("t3")->rules_redirect, std::optional<std::string>("mfa-action"));
  EXPECT_EQ(error_of(transactions.set_rules_redirect("nope", "")), StoreError::not_found);
}

TEST_P(GrantFlowConformance, TransactionIdsAreUniqueAndOnlyKnownConsentValuesAreKept) {
  ASSERT_TRUE(store().transactions().create(sample_transaction("t2")).ok());
  EXPECT_EQ(error_of(store().transactions().create(sample_transaction("t2"))),
            StoreError::conflict);
  EXPECT_FALSE(store().transactions().set_consent("t2", "maybe").ok());
}

TEST_P(GrantFlowConformance, DeleteExpiredRemovesOnlyTransactionsThatExpiredBeforeTheTime) {
  store::AuthorizationTransaction old_one = sample_transaction("old");
  old_one.expires_at = at_ms(kT0 + 1000);
  store::AuthorizationTransaction edge = sample_transaction("edge");
  edge.expires_at = at_ms(kT0 + 2000);
  for (const auto& t : {old_one, edge, sample_transaction("live")}) {
    ASSERT_TRUE(store().transactions().create(t).ok());
  }
  EXPECT_EQ(store().transactions().delete_expired(at_ms(kT0 + 2000)).value(), 1);
  EXPECT_EQ(error_of(store().transactions().find("old")), StoreError::not_found);
  EXPECT_TRUE(store().transactions().find("edge").ok());
  EXPECT_TRUE(store().transactions().find("live").ok());
  EXPECT_EQ(store().transactions().delete_expired(at_ms(kT0 + 2000)).value(), 0);
}

TEST_P(GrantFlowConformance, RecordLoginCountsLoginsAndStampsTheLastOne) {
  ASSERT_TRUE(store().users().record_login("auth0|alice", at_ms(kT0 + 10)).ok());
  ASSERT_TRUE(store().users().record_login("auth0|alice", at_ms(kT0 + 20)).ok());
  const auto user = store().users().find("auth0|alice");
  EXPECT_EQ(user->logins_count, 2);
  EXPECT_EQ(user->last_login, at_ms(kT0 + 20));
  EXPECT_EQ(error_of(store().users().record_login("auth0|nobody", at_ms(kT0))),
            StoreError::not_found);
}

}  // namespace
}  // namespace latchkey::store_test
