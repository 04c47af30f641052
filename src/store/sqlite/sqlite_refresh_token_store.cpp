#include "store/sqlite/sqlite_refresh_token_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (token_digest, family_id, parent_digest, client_id, user_id, "
    "audience, scopes, session_id, created_at_ms, expires_at_ms, revoked_at_ms, auth_time_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr std::string_view kSelectRefreshToken =
    "SELECT token_digest, family_id, parent_digest, client_id, user_id, audience, scopes, "
    "session_id, created_at_ms, expires_at_ms, revoked_at_ms, auth_time_ms "
    "FROM refresh_tokens WHERE token_digest = ?1";
// A token is used once it has a child (found through refresh_tokens_by_parent), so rotation
// needs no column of its own.
constexpr std::string_view kParentState =
    "SELECT revoked_at_ms IS NOT NULL, "
    "EXISTS (SELECT 1 FROM refresh_tokens AS child WHERE child.parent_digest = ?1) "
    "FROM refresh_tokens WHERE token_digest = ?1";
// Already revoked tokens keep their first revocation time, and are not counted again.
constexpr std::string_view kRevokeFamily =
    "UPDATE refresh_tokens SET revoked_at_ms = ?2 "
    "WHERE family_id = ?1 AND revoked_at_ms IS NULL";
constexpr std::string_view kRevokeUserClientTokens =
    "UPDATE refresh_tokens SET revoked_at_ms = ?3 "
    "WHERE user_id = ?1 AND client_id = ?2 AND revoked_at_ms IS NULL";

void bind_refresh_token(Statement& stmt, const model::RefreshToken& token) {
  stmt.bind_text(1, token.token_digest)
      .bind_text(2, token.family_id)
      .bind_text(3, token.parent_digest)
      .bind_text(4, token.client_id)
      .bind_text(5, token.user_id)
      .bind_text(6, token.audience)
      .bind_text(7, encode_strings(token.scopes))
      .bind_text(8, token.session_id)
      .bind_int(9, to_unix_ms(token.created_at));
  bind_optional_time(stmt, 10, token.expires_at);
  bind_optional_time(stmt, 11, token.revoked_at);
  bind_optional_time(stmt, 12, token.auth_time);
}

// Columns in the order of kSelectRefreshToken.
StoreResult<model::RefreshToken> read_refresh_token(const Statement& row) {
  auto scopes = read_strings(row, 6, "scopes");
  if (!scopes) return fail(scopes.error());
  model::RefreshToken token;
  token.token_digest = row.text(0);
  token.family_id = row.text(1);
  token.parent_digest = row.text(2);
  token.client_id = row.text(3);
  token.user_id = row.text(4);
  token.audience = row.text(5);
  token.scopes = std::move(scopes).value();
  token.session_id = row.text(7);
  token.created_at = from_unix_ms(row.integer(8));
  token.expires_at = read_optional_time(row, 9);
  token.revoked_at = read_optional_time(row, 10);
  token.auth_time = read_optional_time(row, 11);
  return token;
}

}  // namespace

StoreResult<void> SqliteRefreshTokenStore::create(const model::RefreshToken& token) {
  return execute_deferrable(pool_, kInsertRefreshToken,
                            [&](Statement& stmt) { bind_refresh_token(stmt, token); });
}

StoreResult<void> SqliteRefreshTokenStore::insert_on(Connection& connection,
                                                     const model::RefreshToken& token) {
  auto inserted = execute_on(connection, kInsertRefreshToken,
                             [&](Statement& stmt) { bind_refresh_token(stmt, token); });
  if (!inserted) return fail(inserted.error());
  return {};
}

StoreResult<model::RefreshToken> SqliteRefreshTokenStore::find(std::string_view token_digest) {
  return query_one<model::RefreshToken>(
      pool_, kSelectRefreshToken, [&](Statement& stmt) { stmt.bind_text(1, token_digest); },
      read_refresh_token);
}

StoreResult<std::int64_t> SqliteRefreshTokenStore::revoke_family(std::string_view family_id,
                                                                 TimePoint at) {
  return execute_count(pool_, kRevokeFamily, [&](Statement& stmt) {
    stmt.bind_text(1, family_id).bind_int(2, to_unix_ms(at));
  });
}

// The read and the insert are one atomic write: a second rotation of the same parent waits for
// the first and then sees its child. It may join a group commit (decision 28); the read fails
// before any write, and the insert is one statement.
StoreResult<bool> SqliteRefreshTokenStore::rotate(std::string_view parent_digest,
                                                  const model::RefreshToken& child) {
  return in_deferrable_write<bool>(pool_, [&](Connection& connection) -> StoreResult<bool> {
    auto spent = query_one_on<bool>(
        connection, kParentState, [&](Statement& stmt) { stmt.bind_text(1, parent_digest); },
        [](const Statement& row) -> StoreResult<bool> {
          return row.integer(0) != 0 || row.integer(1) != 0;
        });
    if (!spent) return fail(spent.error());
    if (*spent) return false;
    auto inserted = execute_on(connection, kInsertRefreshToken,
                               [&](Statement& stmt) { bind_refresh_token(stmt, child); });
    if (!inserted) return fail(inserted.error());
    return true;
  });
}

StoreResult<std::int64_t> SqliteRefreshTokenStore::revoke_for_user_client(
    std::string_view user_id, std::string_view client_id, TimePoint at) {
  return execute_count(pool_, kRevokeUserClientTokens, [&](Statement& stmt) {
    stmt.bind_text(1, user_id).bind_text(2, client_id).bind_int(3, to_unix_ms(at));
  });
}

// Through refresh_tokens_by_expiry (v10). A family shares one absolute expiry, so it goes whole.
StoreResult<std::int64_t> SqliteRefreshTokenStore::delete_expired(TimePoint before) {
  return delete_expired_rows(pool_, "refresh_tokens", before);
}

}  // namespace latchkey::store::sqlite
