#include "store/sqlite/sqlite_authorization_code_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertCode =
    "INSERT INTO authorization_codes (code_digest, client_id, redirect_uri, code_challenge, "
    "code_challenge_method, nonce, scopes, audience, user_id, session_id, auth_time_ms, "
    "created_at_ms, expires_at_ms, extra_claims, redeemed_at_ms, issued_access_jti, "
    "issued_refresh_digest) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
constexpr std::string_view kSelectCode =
    "SELECT code_digest, client_id, redirect_uri, code_challenge, code_challenge_method, nonce, "
    "scopes, audience, user_id, session_id, auth_time_ms, created_at_ms, expires_at_ms, "
    "extra_claims, redeemed_at_ms, issued_access_jti, issued_refresh_digest "
    "FROM authorization_codes WHERE code_digest = ?1";
// The single-use check (RFC 6749 §4.1.2: a code MUST NOT be used more than once) is this one
// conditional UPDATE: of any number of concurrent redeemers, exactly one changes the row.
constexpr std::string_view kRedeemCode =
    "UPDATE authorization_codes SET redeemed_at_ms = ?2, issued_access_jti = ?3, "
    "issued_refresh_digest = ?4 WHERE code_digest = ?1 AND redeemed_at_ms IS NULL";
constexpr std::string_view kUpdateCodeIssued =
    "UPDATE authorization_codes SET issued_access_jti = ?2, issued_refresh_digest = ?3 "
    "WHERE code_digest = ?1";

void bind_code(Statement& stmt, const model::AuthorizationCode& code) {
  stmt.bind_text(1, code.code_digest)
      .bind_text(2, code.client_id)
      .bind_text(3, code.redirect_uri)
      .bind_text(4, code.code_challenge)
      .bind_text(5, code.code_challenge_method)
      .bind_text(6, code.nonce)
      .bind_text(7, encode_strings(code.scopes))
      .bind_text(8, code.audience)
      .bind_text(9, code.user_id)
      .bind_text(10, code.session_id)
      .bind_int(11, to_unix_ms(code.auth_time))
      .bind_int(12, to_unix_ms(code.created_at))
      .bind_int(13, to_unix_ms(code.expires_at))
      .bind_text(14, encode_json(code.extra_claims));
  bind_optional_time(stmt, 15, code.redeemed_at);
  stmt.bind_text(16, code.issued_access_jti).bind_text(17, code.issued_refresh_digest);
}

// Columns in the order of kSelectCode.
StoreResult<model::AuthorizationCode> read_code(const Statement& row) {
  auto scopes = read_strings(row, 6, "scopes");
  if (!scopes) return fail(scopes.error());
  auto extra_claims = decode_json_object(row.text(13));
  if (!extra_claims) return fail(row.corrupt("extra_claims"));
  model::AuthorizationCode code;
  code.code_digest = row.text(0);
  code.client_id = row.text(1);
  code.redirect_uri = row.text(2);
  code.code_challenge = row.text(3);
  code.code_challenge_method = row.text(4);
  code.nonce = row.text(5);
  code.scopes = std::move(scopes).value();
  code.audience = row.text(7);
  code.user_id = row.text(8);
  code.session_id = row.text(9);
  code.auth_time = from_unix_ms(row.integer(10));
  code.created_at = from_unix_ms(row.integer(11));
  code.expires_at = from_unix_ms(row.integer(12));
  code.extra_claims = std::move(*extra_claims);
  code.redeemed_at = read_optional_time(row, 14);
  code.issued_access_jti = row.text(15);
  code.issued_refresh_digest = row.text(16);
  return code;
}

}  // namespace

StoreResult<void> SqliteAuthorizationCodeStore::create(const model::AuthorizationCode& code) {
  return execute_deferrable(pool_, kInsertCode, [&](Statement& stmt) { bind_code(stmt, code); });
}

// The UPDATE decides who is first; the winner then reads the row it left on the same
// connection. (UPDATE … RETURNING did both in one statement, but SQLite builds an ephemeral table
// for the returned rows and, inside a group's transaction, a statement journal: more than the
// read.) A code the UPDATE did not change is unknown or was redeemed before (a replay); the read
// that tells which needs no write lock, since a redeemed code never changes again (a sweep may
// delete it in between, and then it is unknown). The writes may join a group commit (decision
// 28); the replay's read, on another connection, commits the open group first.
StoreResult<Redemption> SqliteAuthorizationCodeStore::redeem(std::string_view code_digest,
                                                             TimePoint at,
                                                             const IssuedTokens& issued) {
  const auto bind_digest = [&](Statement& stmt) { stmt.bind_text(1, code_digest); };
  {
    auto lease = acquire_deferrable_writer(pool_);
    if (!lease) return fail(lease.error());
    auto changed = execute_on(lease->connection(), kRedeemCode, [&](Statement& stmt) {
      stmt.bind_text(1, code_digest)
          .bind_int(2, to_unix_ms(at))
          .bind_text(3, issued.access_jti)
          .bind_text(4, issued.refresh_digest);
    });
    if (!changed) return fail(changed.error());
    if (*changed == 1) {
      auto code = query_one_on<model::AuthorizationCode>(lease->connection(), kSelectCode,
                                                         bind_digest, read_code);
      if (!code) return fail(code.error());
      return Redemption{std::move(code).value(), true};
    }
  }
  pool_.flush();
  auto code = query_one<model::AuthorizationCode>(pool_, kSelectCode, bind_digest, read_code);
  if (!code) return fail(code.error());
  return Redemption{std::move(code).value(), false};
}

StoreResult<void> SqliteAuthorizationCodeStore::record_issued(std::string_view code_digest,
                                                              std::string_view access_jti,
                                                              std::string_view refresh_digest) {
  return execute_one(pool_, kUpdateCodeIssued, [&](Statement& stmt) {
    stmt.bind_text(1, code_digest).bind_text(2, access_jti).bind_text(3, refresh_digest);
  });
}

StoreResult<std::int64_t> SqliteAuthorizationCodeStore::delete_expired(TimePoint before) {
  return delete_expired_rows(pool_, "authorization_codes", before);
}

}  // namespace latchkey::store::sqlite
