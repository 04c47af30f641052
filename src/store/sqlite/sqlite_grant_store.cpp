#include "store/sqlite/sqlite_grant_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

// One statement, so two concurrent upserts of one triple cannot both insert. The conflict
// target and `excluded` are spelled as PostgreSQL spells them (sqlite_store.hpp, dialect policy).
constexpr std::string_view kUpsertGrant =
    "INSERT INTO grants (user_id, client_id, audience, scopes, created_at_ms, updated_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (user_id, client_id, audience) DO UPDATE SET "
    "scopes = excluded.scopes, updated_at_ms = excluded.updated_at_ms";
constexpr std::string_view kSelectGrant =
    "SELECT user_id, client_id, audience, scopes, created_at_ms, updated_at_ms FROM grants "
    "WHERE user_id = ?1 AND client_id = ?2 AND audience = ?3";
constexpr std::string_view kListUserGrants =
    "SELECT user_id, client_id, audience, scopes, created_at_ms, updated_at_ms FROM grants "
    "WHERE user_id = ?1 ORDER BY client_id, audience";
constexpr std::string_view kDeleteGrant =
    "DELETE FROM grants WHERE user_id = ?1 AND client_id = ?2 AND audience = ?3";

// Columns in the order of kSelectGrant.
StoreResult<model::Grant> read_grant(const Statement& row) {
  auto scopes = read_strings(row, 3, "scopes");
  if (!scopes) return fail(scopes.error());
  model::Grant grant;
  grant.user_id = row.text(0);
  grant.client_id = row.text(1);
  grant.audience = row.text(2);
  grant.scopes = std::move(scopes).value();
  grant.created_at = from_unix_ms(row.integer(4));
  grant.updated_at = from_unix_ms(row.integer(5));
  return grant;
}

}  // namespace

StoreResult<void> SqliteGrantStore::upsert(const model::Grant& grant) {
  return execute(pool_, kUpsertGrant, [&](Statement& stmt) {
    stmt.bind_text(1, grant.user_id)
        .bind_text(2, grant.client_id)
        .bind_text(3, grant.audience)
        .bind_text(4, encode_strings(grant.scopes))
        .bind_int(5, to_unix_ms(grant.created_at))
        .bind_int(6, to_unix_ms(grant.updated_at));
  });
}

StoreResult<model::Grant> SqliteGrantStore::find(std::string_view user_id,
                                                 std::string_view client_id,
                                                 std::string_view audience) {
  return query_one<model::Grant>(
      pool_, kSelectGrant,
      [&](Statement& stmt) {
        stmt.bind_text(1, user_id).bind_text(2, client_id).bind_text(3, audience);
      },
      read_grant);
}

StoreResult<void> SqliteGrantStore::remove(std::string_view user_id, std::string_view client_id,
                                           std::string_view audience) {
  return execute_one(pool_, kDeleteGrant, [&](Statement& stmt) {
    stmt.bind_text(1, user_id).bind_text(2, client_id).bind_text(3, audience);
  });
}

StoreResult<std::vector<model::Grant>> SqliteGrantStore::list_for_user(std::string_view user_id) {
  return query_all<model::Grant>(
      pool_, kListUserGrants, [&](Statement& stmt) { stmt.bind_text(1, user_id); }, read_grant);
}

}  // namespace latchkey::store::sqlite
