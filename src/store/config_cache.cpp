#include "store/config_cache.hpp"

#include <initializer_list>

namespace latchkey::store {
namespace {

// One key for several strings: length prefixes keep "ab"+"c" apart from "a"+"bc".
std::string joined_key(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (const auto part : parts) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
}

}  // namespace

CachedClientStore::CachedClientStore(ClientStore& inner, ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_(counter), listed_(counter) {}

StoreResult<void> CachedClientStore::create(const model::Client& client) {
  return after_write(counter_, inner_.create(client));
}

StoreResult<model::Client> CachedClientStore::find(std::string_view client_id) {
  return found_.get(client_id, [&] { return inner_.find(client_id); });
}

StoreResult<std::vector<model::Client>> CachedClientStore::list() {
  return listed_.get("", [&] { return inner_.list(); });
}

StoreResult<void> CachedClientStore::set_secret_digest(std::string_view client_id,
                                                       std::string_view secret_digest) {
  return after_write(counter_, inner_.set_secret_digest(client_id, secret_digest));
}

StoreResult<void> CachedClientStore::update(const model::Client& client) {
  return after_write(counter_, inner_.update(client));
}

StoreResult<void> CachedClientStore::remove(std::string_view client_id) {
  return after_write(counter_, inner_.remove(client_id));
}

CachedResourceServerStore::CachedResourceServerStore(ResourceServerStore& inner,
                                                     ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_(counter), listed_(counter) {}

StoreResult<void> CachedResourceServerStore::create(const model::ResourceServer& api) {
  return after_write(counter_, inner_.create(api));
}

StoreResult<model::ResourceServer> CachedResourceServerStore::find(
    std::string_view id_or_identifier) {
  return found_.get(id_or_identifier, [&] { return inner_.find(id_or_identifier); });
}

StoreResult<std::vector<model::ResourceServer>> CachedResourceServerStore::list() {
  return listed_.get("", [&] { return inner_.list(); });
}

StoreResult<void> CachedResourceServerStore::remove(std::string_view id_or_identifier) {
  return after_write(counter_, inner_.remove(id_or_identifier));
}

CachedClientGrantStore::CachedClientGrantStore(ClientGrantStore& inner, ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_for_(counter) {}

StoreResult<void> CachedClientGrantStore::create(const model::ClientGrant& grant) {
  return after_write(counter_, inner_.create(grant));
}

StoreResult<model::ClientGrant> CachedClientGrantStore::find(std::string_view id) {
  return inner_.find(id);
}

StoreResult<model::ClientGrant> CachedClientGrantStore::find_for(std::string_view client_id,
                                                                 std::string_view audience) {
  return found_for_.get(joined_key({client_id, audience}),
                        [&] { return inner_.find_for(client_id, audience); });
}

StoreResult<std::vector<model::ClientGrant>> CachedClientGrantStore::list() {
  return inner_.list();
}

StoreResult<void> CachedClientGrantStore::set_scopes(std::string_view id,
                                                     const std::vector<std::string>& scopes) {
  return after_write(counter_, inner_.set_scopes(id, scopes));
}

StoreResult<void> CachedClientGrantStore::remove(std::string_view id) {
  return after_write(counter_, inner_.remove(id));
}

CachedUserStore::CachedUserStore(UserStore& inner, ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_(counter) {}

StoreResult<void> CachedUserStore::create(const model::User& user) {
  return after_write(counter_, inner_.create(user));
}

StoreResult<model::User> CachedUserStore::find(std::string_view user_id) {
  return found_.get(user_id, [&] { return inner_.find(user_id); });
}

StoreResult<model::User> CachedUserStore::find_by_email(std::string_view email) {
  return inner_.find_by_email(email);
}

StoreResult<std::vector<model::User>> CachedUserStore::list() { return inner_.list(); }

StoreResult<void> CachedUserStore::set_blocked(std::string_view user_id, bool blocked) {
  return after_write(counter_, inner_.set_blocked(user_id, blocked));
}

StoreResult<void> CachedUserStore::record_login(std::string_view user_id, TimePoint at) {
  return after_write(counter_, inner_.record_login(user_id, at));
}

StoreResult<void> CachedUserStore::set_metadata(std::string_view user_id,
                                                const nlohmann::json& app_metadata,
                                                const nlohmann::json& user_metadata, TimePoint at) {
  return after_write(counter_, inner_.set_metadata(user_id, app_metadata, user_metadata, at));
}

StoreResult<void> CachedUserStore::remove(std::string_view user_id) {
  return after_write(counter_, inner_.remove(user_id));
}

CachedSessionStore::CachedSessionStore(SessionStore& inner, ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_(counter) {}

StoreResult<void> CachedSessionStore::create(const model::Session& session) {
  return after_write(counter_, inner_.create(session));
}

StoreResult<model::Session> CachedSessionStore::find(std::string_view id_digest) {
  return found_.get(id_digest, [&] { return inner_.find(id_digest); });
}

StoreResult<void> CachedSessionStore::touch(std::string_view id_digest, TimePoint last_seen_at,
                                            TimePoint expires_at) {
  return after_write(counter_, inner_.touch(id_digest, last_seen_at, expires_at));
}

StoreResult<void> CachedSessionStore::set_auth_time(std::string_view id_digest,
                                                    TimePoint auth_time) {
  return after_write(counter_, inner_.set_auth_time(id_digest, auth_time));
}

StoreResult<void> CachedSessionStore::remove(std::string_view id_digest) {
  return after_write(counter_, inner_.remove(id_digest));
}

StoreResult<std::int64_t> CachedSessionStore::remove_for_user(std::string_view user_id) {
  return after_write(counter_, inner_.remove_for_user(user_id));
}

// The sweep runs every minute and mostly finds nothing: only a deletion empties the caches.
StoreResult<std::int64_t> CachedSessionStore::delete_expired(TimePoint before) {
  auto deleted = inner_.delete_expired(before);
  if (!deleted.ok() || *deleted > 0) counter_.bump();
  return deleted;
}

CachedGrantStore::CachedGrantStore(GrantStore& inner, ChangeCounter& counter)
    : inner_(inner), counter_(counter), found_(counter) {}

StoreResult<void> CachedGrantStore::upsert(const model::Grant& grant) {
  return after_write(counter_, inner_.upsert(grant));
}

StoreResult<model::Grant> CachedGrantStore::find(std::string_view user_id,
                                                 std::string_view client_id,
                                                 std::string_view audience) {
  return found_.get(joined_key({user_id, client_id, audience}),
                    [&] { return inner_.find(user_id, client_id, audience); });
}

StoreResult<void> CachedGrantStore::remove(std::string_view user_id, std::string_view client_id,
                                           std::string_view audience) {
  return after_write(counter_, inner_.remove(user_id, client_id, audience));
}

StoreResult<std::vector<model::Grant>> CachedGrantStore::list_for_user(std::string_view user_id) {
  return inner_.list_for_user(user_id);
}

}  // namespace latchkey::store
