#include "store/sqlite/sqlite_client_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertClient =
    "INSERT INTO clients (client_id, name, app_type, secret_digest, token_endpoint_auth_method, "
    "callbacks, allowed_logout_urls, grant_types, is_first_party, id_token_lifetime_seconds, "
    "client_metadata, created_at_ms, id_token_signed_response_alg) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr std::string_view kSelectClient =
    "SELECT client_id, name, app_type, secret_digest, token_endpoint_auth_method, callbacks, "
    "allowed_logout_urls, grant_types, is_first_party, id_token_lifetime_seconds, "
    "client_metadata, created_at_ms, id_token_signed_response_alg "
    "FROM clients WHERE client_id = ?1";
constexpr std::string_view kListClients =
    "SELECT client_id, name, app_type, secret_digest, token_endpoint_auth_method, callbacks, "
    "allowed_logout_urls, grant_types, is_first_party, id_token_lifetime_seconds, "
    "client_metadata, created_at_ms, id_token_signed_response_alg "
    "FROM clients ORDER BY created_at_ms, client_id";
constexpr std::string_view kUpdateClientSecret =
    "UPDATE clients SET secret_digest = ?2 WHERE client_id = ?1";
// Every column but the key, the secret digest (rotate-secret's) and the creation time; it takes
// bind_client's numbering, so ?4 and ?12 are bound but unused.
constexpr std::string_view kUpdateClient =
    "UPDATE clients SET name = ?2, app_type = ?3, token_endpoint_auth_method = ?5, "
    "callbacks = ?6, allowed_logout_urls = ?7, grant_types = ?8, is_first_party = ?9, "
    "id_token_lifetime_seconds = ?10, client_metadata = ?11, id_token_signed_response_alg = ?13 "
    "WHERE client_id = ?1";
constexpr std::string_view kDeleteClient = "DELETE FROM clients WHERE client_id = ?1";

void bind_client(Statement& stmt, const model::Client& client) {
  stmt.bind_text(1, client.client_id)
      .bind_text(2, client.name)
      .bind_text(3, model::to_string(client.app_type))
      .bind_text(4, client.secret_digest)
      .bind_text(5, client.token_endpoint_auth_method)
      .bind_text(6, encode_strings(client.callbacks))
      .bind_text(7, encode_strings(client.allowed_logout_urls))
      .bind_text(8, encode_strings(client.grant_types))
      .bind_bool(9, client.is_first_party)
      .bind_int(10, client.id_token_lifetime_seconds)
      .bind_text(11, encode_json(client.client_metadata))
      .bind_int(12, to_unix_ms(client.created_at))
      .bind_text(13, client.id_token_signed_response_alg);
}

// Columns in the order of kSelectClient.
StoreResult<model::Client> read_client(const Statement& row) {
  const auto app_type = model::parse_app_type(row.text(2));
  if (!app_type) return fail(row.corrupt("app_type"));
  auto callbacks = decode_strings(row.text(5));
  if (!callbacks) return fail(row.corrupt("callbacks"));
  auto logout_urls = decode_strings(row.text(6));
  if (!logout_urls) return fail(row.corrupt("allowed_logout_urls"));
  auto grant_types = decode_strings(row.text(7));
  if (!grant_types) return fail(row.corrupt("grant_types"));
  auto metadata = decode_json_object(row.text(10));
  if (!metadata) return fail(row.corrupt("client_metadata"));
  model::Client client;
  client.client_id = row.text(0);
  client.name = row.text(1);
  client.app_type = *app_type;
  client.secret_digest = row.text(3);
  client.token_endpoint_auth_method = row.text(4);
  client.callbacks = std::move(*callbacks);
  client.allowed_logout_urls = std::move(*logout_urls);
  client.grant_types = std::move(*grant_types);
  client.is_first_party = row.boolean(8);
  client.id_token_lifetime_seconds = row.integer(9);
  client.client_metadata = std::move(*metadata);
  client.created_at = from_unix_ms(row.integer(11));
  client.id_token_signed_response_alg = row.text(12);
  return client;
}

}  // namespace

StoreResult<void> SqliteClientStore::create(const model::Client& client) {
  return execute(pool_, kInsertClient, [&](Statement& stmt) { bind_client(stmt, client); });
}

StoreResult<model::Client> SqliteClientStore::find(std::string_view client_id) {
  return query_one<model::Client>(
      pool_, kSelectClient, [&](Statement& stmt) { stmt.bind_text(1, client_id); }, read_client);
}

StoreResult<std::vector<model::Client>> SqliteClientStore::list() {
  return query_all<model::Client>(pool_, kListClients, read_client);
}

StoreResult<void> SqliteClientStore::set_secret_digest(std::string_view client_id,
                                                       std::string_view digest) {
  return execute_one(pool_, kUpdateClientSecret,
                     [&](Statement& stmt) { stmt.bind_text(1, client_id).bind_text(2, digest); });
}

StoreResult<void> SqliteClientStore::update(const model::Client& client) {
  return execute_one(pool_, kUpdateClient, [&](Statement& stmt) { bind_client(stmt, client); });
}

StoreResult<void> SqliteClientStore::remove(std::string_view client_id) {
  return execute_one(pool_, kDeleteClient, [&](Statement& stmt) { stmt.bind_text(1, client_id); });
}

}  // namespace latchkey::store::sqlite
