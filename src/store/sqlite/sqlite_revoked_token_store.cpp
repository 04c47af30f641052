#include "store/sqlite/sqlite_revoked_token_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

// Revoking again keeps the later expiry, so a jti is never forgotten while its token lives.
constexpr std::string_view kInsertRevokedToken =
    "INSERT INTO revoked_tokens (jti, expires_at_ms) VALUES (?1, ?2) "
    "ON CONFLICT (jti) DO UPDATE SET expires_at_ms = excluded.expires_at_ms "
    "WHERE excluded.expires_at_ms > revoked_tokens.expires_at_ms";
constexpr std::string_view kSelectRevokedToken = "SELECT 1 FROM revoked_tokens WHERE jti = ?1";

}  // namespace

StoreResult<void> SqliteRevokedTokenStore::revoke(std::string_view jti, TimePoint expires_at) {
  return execute(pool_, kInsertRevokedToken, [&](Statement& stmt) {
    stmt.bind_text(1, jti).bind_int(2, to_unix_ms(expires_at));
  });
}

StoreResult<bool> SqliteRevokedTokenStore::is_revoked(std::string_view jti) {
  auto found = query_one<bool>(
      pool_, kSelectRevokedToken, [&](Statement& stmt) { stmt.bind_text(1, jti); },
      [](const Statement& /*row*/) -> StoreResult<bool> { return true; });
  if (found) return true;
  if (found.error() == StoreError::not_found) return false;
  return fail(found.error());
}

StoreResult<std::int64_t> SqliteRevokedTokenStore::delete_expired(TimePoint before) {
  return delete_expired_rows(pool_, "revoked_tokens", before);
}

}  // namespace latchkey::store::sqlite
