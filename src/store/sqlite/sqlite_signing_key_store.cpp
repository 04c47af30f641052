#include "store/sqlite/sqlite_signing_key_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertSigningKey =
    "INSERT INTO signing_keys (kid, alg, state, sealed_private_key, public_jwk, created_at_ms, "
    "activated_at_ms, retired_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kSelectSigningKey =
    "SELECT kid, alg, state, sealed_private_key, public_jwk, created_at_ms, activated_at_ms, "
    "retired_at_ms FROM signing_keys WHERE kid = ?1";
constexpr std::string_view kListSigningKeys =
    "SELECT kid, alg, state, sealed_private_key, public_jwk, created_at_ms, activated_at_ms, "
    "retired_at_ms FROM signing_keys ORDER BY created_at_ms DESC, kid";
// ?2 is the new state, ?3 the time; ?4 is 1 to stamp activated_at, ?5 is 1 to stamp retired_at.
constexpr std::string_view kUpdateSigningKeyState =
    "UPDATE signing_keys SET state = ?2, "
    "activated_at_ms = CASE WHEN ?4 = 1 THEN ?3 ELSE activated_at_ms END, "
    "retired_at_ms = CASE WHEN ?5 = 1 THEN ?3 ELSE retired_at_ms END "
    "WHERE kid = ?1";

void bind_signing_key(Statement& stmt, const model::SigningKey& key) {
  stmt.bind_text(1, key.kid)
      .bind_text(2, key.alg)
      .bind_text(3, model::to_string(key.state))
      .bind_blob(4, key.sealed_private_key)
      .bind_text(5, key.public_jwk)
      .bind_int(6, to_unix_ms(key.created_at));
  bind_optional_time(stmt, 7, key.activated_at);
  bind_optional_time(stmt, 8, key.retired_at);
}

// Columns in the order of kSelectSigningKey.
StoreResult<model::SigningKey> read_signing_key(const Statement& row) {
  const auto state = model::parse_key_state(row.text(2));
  if (!state) return fail(row.corrupt("state"));
  model::SigningKey key;
  key.kid = row.text(0);
  key.alg = row.text(1);
  key.state = *state;
  key.sealed_private_key = row.blob(3);
  key.public_jwk = row.text(4);
  key.created_at = from_unix_ms(row.integer(5));
  key.activated_at = read_optional_time(row, 6);
  key.retired_at = read_optional_time(row, 7);
  return key;
}

}  // namespace

StoreResult<void> SqliteSigningKeyStore::create(const model::SigningKey& key) {
  return execute(pool_, kInsertSigningKey, [&](Statement& stmt) { bind_signing_key(stmt, key); });
}

StoreResult<model::SigningKey> SqliteSigningKeyStore::find(std::string_view kid) {
  return query_one<model::SigningKey>(
      pool_, kSelectSigningKey, [&](Statement& stmt) { stmt.bind_text(1, kid); }, read_signing_key);
}

StoreResult<std::vector<model::SigningKey>> SqliteSigningKeyStore::list() {
  return query_all<model::SigningKey>(pool_, kListSigningKeys, read_signing_key);
}

StoreResult<void> SqliteSigningKeyStore::set_state(std::string_view kid, model::KeyState state,
                                                   TimePoint at) {
  const bool activates = state == model::KeyState::current;
  const bool retires = state == model::KeyState::previous || state == model::KeyState::revoked;
  return execute_one(pool_, kUpdateSigningKeyState, [&](Statement& stmt) {
    stmt.bind_text(1, kid)
        .bind_text(2, model::to_string(state))
        .bind_int(3, to_unix_ms(at))
        .bind_bool(4, activates)
        .bind_bool(5, retires);
  });
}

}  // namespace latchkey::store::sqlite
