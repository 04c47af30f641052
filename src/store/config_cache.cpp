#include "store/config_cache.hpp"

namespace latchkey::store {
namespace {

// One key for a (client, audience) pair: the length prefix keeps "ab"+"c" apart from "a"+"bc".
std::string pair_key(std::string_view client_id, std::string_view audience) {
  std::string key = std::to_string(client_id.size());
  key += ':';
  key += client_id;
  key += audience;
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
  return found_for_.get(pair_key(client_id, audience),
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

}  // namespace latchkey::store
