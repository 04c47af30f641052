#include "store/sqlite/sqlite_resource_server_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertResourceServer =
    "INSERT INTO resource_servers (id, identifier, name, scopes, signing_alg, "
    "token_lifetime_seconds, allow_offline_access, "
    "skip_consent_for_verifiable_first_party_clients, created_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// A match on id wins over a match on identifier (store.hpp: "by identifier when no id matches").
constexpr std::string_view kSelectResourceServer =
    "SELECT id, identifier, name, scopes, signing_alg, token_lifetime_seconds, "
    "allow_offline_access, skip_consent_for_verifiable_first_party_clients, created_at_ms "
    "FROM resource_servers WHERE id = ?1 OR identifier = ?1 "
    "ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1";
constexpr std::string_view kListResourceServers =
    "SELECT id, identifier, name, scopes, signing_alg, token_lifetime_seconds, "
    "allow_offline_access, skip_consent_for_verifiable_first_party_clients, created_at_ms "
    "FROM resource_servers ORDER BY created_at_ms, id";
constexpr std::string_view kDeleteResourceServer =
    "DELETE FROM resource_servers WHERE id = ("
    "SELECT id FROM resource_servers WHERE id = ?1 OR identifier = ?1 "
    "ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1)";

void bind_resource_server(Statement& stmt, const model::ResourceServer& api) {
  stmt.bind_text(1, api.id)
      .bind_text(2, api.identifier)
      .bind_text(3, api.name)
      .bind_text(4, encode_scopes(api.scopes))
      .bind_text(5, api.signing_alg)
      .bind_int(6, api.token_lifetime_seconds)
      .bind_bool(7, api.allow_offline_access)
      .bind_bool(8, api.skip_consent_for_verifiable_first_party_clients)
      .bind_int(9, to_unix_ms(api.created_at));
}

// Columns in the order of kSelectResourceServer.
StoreResult<model::ResourceServer> read_resource_server(const Statement& row) {
  auto scopes = decode_scopes(row.text(3));
  if (!scopes) return fail(row.corrupt("scopes"));
  model::ResourceServer api;
  api.id = row.text(0);
  api.identifier = row.text(1);
  api.name = row.text(2);
  api.scopes = std::move(*scopes);
  api.signing_alg = row.text(4);
  api.token_lifetime_seconds = row.integer(5);
  api.allow_offline_access = row.boolean(6);
  api.skip_consent_for_verifiable_first_party_clients = row.boolean(7);
  api.created_at = from_unix_ms(row.integer(8));
  return api;
}

}  // namespace

StoreResult<void> SqliteResourceServerStore::create(const model::ResourceServer& api) {
  return execute(pool_, kInsertResourceServer,
                 [&](Statement& stmt) { bind_resource_server(stmt, api); });
}

StoreResult<model::ResourceServer> SqliteResourceServerStore::find(
    std::string_view id_or_identifier) {
  return query_one<model::ResourceServer>(
      pool_, kSelectResourceServer, [&](Statement& stmt) { stmt.bind_text(1, id_or_identifier); },
      read_resource_server);
}

StoreResult<std::vector<model::ResourceServer>> SqliteResourceServerStore::list() {
  return query_all<model::ResourceServer>(pool_, kListResourceServers, read_resource_server);
}

StoreResult<void> SqliteResourceServerStore::remove(std::string_view id_or_identifier) {
  return execute_one(pool_, kDeleteResourceServer,
                     [&](Statement& stmt) { stmt.bind_text(1, id_or_identifier); });
}

}  // namespace latchkey::store::sqlite
