#include "store/sqlite/sqlite_client_grant_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertClientGrant =
    "INSERT INTO client_grants (id, client_id, audience, scopes, created_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kSelectClientGrant =
    "SELECT id, client_id, audience, scopes, created_at_ms FROM client_grants WHERE id = ?1";
constexpr std::string_view kSelectClientGrantFor =
    "SELECT id, client_id, audience, scopes, created_at_ms FROM client_grants "
    "WHERE client_id = ?1 AND audience = ?2";
constexpr std::string_view kListClientGrants =
    "SELECT id, client_id, audience, scopes, created_at_ms FROM client_grants "
    "ORDER BY client_id, audience";
constexpr std::string_view kUpdateClientGrantScopes =
    "UPDATE client_grants SET scopes = ?2 WHERE id = ?1";
constexpr std::string_view kDeleteClientGrant = "DELETE FROM client_grants WHERE id = ?1";

// Columns in the order of kSelectClientGrant.
StoreResult<model::ClientGrant> read_client_grant(const Statement& row) {
  auto scopes = read_strings(row, 3, "scopes");
  if (!scopes) return fail(scopes.error());
  model::ClientGrant grant;
  grant.id = row.text(0);
  grant.client_id = row.text(1);
  grant.audience = row.text(2);
  grant.scopes = std::move(scopes).value();
  grant.created_at = from_unix_ms(row.integer(4));
  return grant;
}

}  // namespace

StoreResult<void> SqliteClientGrantStore::create(const model::ClientGrant& grant) {
  return execute(pool_, kInsertClientGrant, [&](Statement& stmt) {
    stmt.bind_text(1, grant.id)
        .bind_text(2, grant.client_id)
        .bind_text(3, grant.audience)
        .bind_text(4, encode_strings(grant.scopes))
        .bind_int(5, to_unix_ms(grant.created_at));
  });
}

StoreResult<model::ClientGrant> SqliteClientGrantStore::find(std::string_view id) {
  return query_one<model::ClientGrant>(
      pool_, kSelectClientGrant, [&](Statement& stmt) { stmt.bind_text(1, id); },
      read_client_grant);
}

StoreResult<model::ClientGrant> SqliteClientGrantStore::find_for(std::string_view client_id,
                                                                 std::string_view audience) {
  return query_one<model::ClientGrant>(
      pool_, kSelectClientGrantFor,
      [&](Statement& stmt) { stmt.bind_text(1, client_id).bind_text(2, audience); },
      read_client_grant);
}

StoreResult<std::vector<model::ClientGrant>> SqliteClientGrantStore::list() {
  return query_all<model::ClientGrant>(pool_, kListClientGrants, read_client_grant);
}

StoreResult<void> SqliteClientGrantStore::set_scopes(std::string_view id,
                                                     const std::vector<std::string>& scopes) {
  return execute_one(pool_, kUpdateClientGrantScopes, [&](Statement& stmt) {
    stmt.bind_text(1, id).bind_text(2, encode_strings(scopes));
  });
}

StoreResult<void> SqliteClientGrantStore::remove(std::string_view id) {
  return execute_one(pool_, kDeleteClientGrant, [&](Statement& stmt) { stmt.bind_text(1, id); });
}

}  // namespace latchkey::store::sqlite
