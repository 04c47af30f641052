#pragma once
// Storage interfaces, one per aggregate (DESIGN.md). Back ends live in store/sqlite/ (and later
// store/postgres/); only app/ names a concrete back end. Every back end passes the conformance
// suite in tests/store/.
//
// Shared rules for every back end:
// - Times are kept to the millisecond (sub-millisecond parts are truncated toward the past).
// - Lists are in a stable, documented order; ties are broken by the primary key.
// - No operation throws; every failure is a StoreError.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/model.hpp"

namespace latchkey::store {

/// Why a store operation failed. `unavailable` covers I/O errors and a busy database after the
/// busy timeout; callers answer it with 503/server_error, never with a crash.
enum class StoreError { not_found, conflict, unavailable };

[[nodiscard]] std::string_view to_string(StoreError error);

template <class T>
using StoreResult = Result<T, StoreError>;

class ClientStore {
 public:
  virtual ~ClientStore() = default;
  /// Adds a client; `conflict` if the client_id exists.
  virtual StoreResult<void> create(const model::Client& client) = 0;
  /// The client with this id; `not_found` if there is none.
  virtual StoreResult<model::Client> find(std::string_view client_id) = 0;
  /// All clients, ordered by creation time then client_id.
  virtual StoreResult<std::vector<model::Client>> list() = 0;
  /// Replaces the stored secret digest; `not_found` if there is no such client.
  virtual StoreResult<void> set_secret_digest(std::string_view client_id,
                                              std::string_view digest) = 0;
  /// Deletes the client; `not_found` if there is no such client.
  virtual StoreResult<void> remove(std::string_view client_id) = 0;
};

class ResourceServerStore {
 public:
  virtual ~ResourceServerStore() = default;
  /// Adds an API; `conflict` if its id or identifier exists.
  virtual StoreResult<void> create(const model::ResourceServer& api) = 0;
  /// Finds by id, or by identifier (the audience) when no id matches.
  virtual StoreResult<model::ResourceServer> find(std::string_view id_or_identifier) = 0;
  /// All APIs, ordered by creation time then id.
  virtual StoreResult<std::vector<model::ResourceServer>> list() = 0;
  /// Removes the API that find() would return; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id_or_identifier) = 0;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  /// Adds a user; `conflict` if the user_id or the (lower-cased) email exists.
  virtual StoreResult<void> create(const model::User& user) = 0;
  /// The user with this id; `not_found` if there is none. The email comes back lower-cased.
  virtual StoreResult<model::User> find(std::string_view user_id) = 0;
  /// Case-insensitive on the email (ASCII letters are folded); `not_found` if none matches.
  virtual StoreResult<model::User> find_by_email(std::string_view email) = 0;
  /// All users, ordered by creation time then user_id.
  virtual StoreResult<std::vector<model::User>> list() = 0;
  /// Sets the blocked flag (updated_at is left alone); `not_found` if there is no such user.
  virtual StoreResult<void> set_blocked(std::string_view user_id, bool blocked) = 0;
  /// Deletes the user; `not_found` if there is no such user.
  virtual StoreResult<void> remove(std::string_view user_id) = 0;
};

class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;
  /// Adds a key; `conflict` if its kid exists.
  virtual StoreResult<void> create(const model::SigningKey& key) = 0;
  /// The key with this kid; `not_found` if there is none.
  virtual StoreResult<model::SigningKey> find(std::string_view kid) = 0;
  /// All keys, newest first (created_at descending, then kid ascending).
  virtual StoreResult<std::vector<model::SigningKey>> list() = 0;
  /// Moves a key to `state`, stamping activated_at (current) or retired_at (previous, revoked);
  /// the other timestamp is kept. `not_found` if there is no such key.
  virtual StoreResult<void> set_state(std::string_view kid, model::KeyState state,
                                      TimePoint at) = 0;
};

/// One store: the aggregates plus health and schema management.
class Store {
 public:
  virtual ~Store() = default;
  virtual ClientStore& clients() = 0;
  virtual ResourceServerStore& resource_servers() = 0;
  virtual UserStore& users() = 0;
  virtual SigningKeyStore& signing_keys() = 0;
  /// True when the back end answers a trivial query (GET /readyz).
  [[nodiscard]] virtual bool ping() = 0;
  /// The schema version now in force (0 for a database that was never migrated).
  [[nodiscard]] virtual StoreResult<int> schema_version() = 0;
};

}  // namespace latchkey::store
