#include "store/sqlite/sqlite_user_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertUser =
    "INSERT INTO users (user_id, email, email_verified, name, nickname, picture, password_hash, "
    "app_metadata, user_metadata, logins_count, last_login_ms, blocked, created_at_ms, "
    "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr std::string_view kSelectUser =
    "SELECT user_id, email, email_verified, name, nickname, picture, password_hash, "
    "app_metadata, user_metadata, logins_count, last_login_ms, blocked, created_at_ms, "
    "updated_at_ms FROM users WHERE user_id = ?1";
// ?1 is lower-cased by the caller, as the stored email is.
constexpr std::string_view kSelectUserByEmail =
    "SELECT user_id, email, email_verified, name, nickname, picture, password_hash, "
    "app_metadata, user_metadata, logins_count, last_login_ms, blocked, created_at_ms, "
    "updated_at_ms FROM users WHERE email = ?1";
constexpr std::string_view kListUsers =
    "SELECT user_id, email, email_verified, name, nickname, picture, password_hash, "
    "app_metadata, user_metadata, logins_count, last_login_ms, blocked, created_at_ms, "
    "updated_at_ms FROM users ORDER BY created_at_ms, user_id";
constexpr std::string_view kUpdateUserBlocked = "UPDATE users SET blocked = ?2 WHERE user_id = ?1";
constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE user_id = ?1";
constexpr std::string_view kUpdateUserMetadata =
    "UPDATE users SET app_metadata = ?2, user_metadata = ?3, updated_at_ms = ?4 WHERE user_id = ?1";
constexpr std::string_view kRecordLogin =
    "UPDATE users SET logins_count = logins_count + 1, last_login_ms = ?2 WHERE user_id = ?1";

void bind_user(Statement& stmt, const model::User& user) {
  stmt.bind_text(1, user.user_id);
  // No email is NULL, so that UNIQUE does not make two email-less users collide.
  if (user.email.empty()) {
    stmt.bind_null(2);
  } else {
    stmt.bind_text(2, fold_email(user.email));
  }
  stmt.bind_bool(3, user.email_verified)
      .bind_text(4, user.name)
      .bind_text(5, user.nickname)
      .bind_text(6, user.picture)
      .bind_text(7, user.password_hash)
      .bind_text(8, encode_json(user.app_metadata))
      .bind_text(9, encode_json(user.user_metadata))
      .bind_int(10, user.logins_count);
  if (user.last_login) {
    stmt.bind_int(11, to_unix_ms(*user.last_login));
  } else {
    stmt.bind_null(11);
  }
  stmt.bind_bool(12, user.blocked)
      .bind_int(13, to_unix_ms(user.created_at))
      .bind_int(14, to_unix_ms(user.updated_at));
}

// Columns in the order of kSelectUser.
StoreResult<model::User> read_user(const Statement& row) {
  auto app_metadata = decode_json_object(row.text(7));
  if (!app_metadata) return fail(row.corrupt("app_metadata"));
  auto user_metadata = decode_json_object(row.text(8));
  if (!user_metadata) return fail(row.corrupt("user_metadata"));
  model::User user;
  user.user_id = row.text(0);
  user.email = row.text(1);  // NULL reads as ""
  user.email_verified = row.boolean(2);
  user.name = row.text(3);
  user.nickname = row.text(4);
  user.picture = row.text(5);
  user.password_hash = row.text(6);
  user.app_metadata = std::move(*app_metadata);
  user.user_metadata = std::move(*user_metadata);
  user.logins_count = row.integer(9);
  if (!row.is_null(10)) user.last_login = from_unix_ms(row.integer(10));
  user.blocked = row.boolean(11);
  user.created_at = from_unix_ms(row.integer(12));
  user.updated_at = from_unix_ms(row.integer(13));
  return user;
}

}  // namespace

StoreResult<void> SqliteUserStore::create(const model::User& user) {
  return execute(pool_, kInsertUser, [&](Statement& stmt) { bind_user(stmt, user); });
}

StoreResult<void> SqliteUserStore::insert_on(Connection& connection, const model::User& user) {
  auto inserted =
      execute_on(connection, kInsertUser, [&](Statement& stmt) { bind_user(stmt, user); });
  if (!inserted) return fail(inserted.error());
  return {};
}

StoreResult<model::User> SqliteUserStore::find(std::string_view user_id) {
  return query_one<model::User>(
      pool_, kSelectUser, [&](Statement& stmt) { stmt.bind_text(1, user_id); }, read_user);
}

StoreResult<model::User> SqliteUserStore::find_by_email(std::string_view email) {
  if (email.empty()) return fail(StoreError::not_found);
  const std::string folded = fold_email(email);
  return query_one<model::User>(
      pool_, kSelectUserByEmail, [&](Statement& stmt) { stmt.bind_text(1, folded); }, read_user);
}

StoreResult<std::vector<model::User>> SqliteUserStore::list() {
  return query_all<model::User>(pool_, kListUsers, read_user);
}

StoreResult<void> SqliteUserStore::set_blocked(std::string_view user_id, bool blocked) {
  return execute_one(pool_, kUpdateUserBlocked,
                     [&](Statement& stmt) { stmt.bind_text(1, user_id).bind_bool(2, blocked); });
}

StoreResult<void> SqliteUserStore::record_login(std::string_view user_id, TimePoint at) {
  return execute_one(pool_, kRecordLogin, [&](Statement& stmt) {
    stmt.bind_text(1, user_id).bind_int(2, to_unix_ms(at));
  });
}

StoreResult<void> SqliteUserStore::set_metadata(std::string_view user_id,
                                                const nlohmann::json& app_metadata,
                                                const nlohmann::json& user_metadata, TimePoint at) {
  return execute_one(pool_, kUpdateUserMetadata, [&](Statement& stmt) {
    stmt.bind_text(1, user_id)
        .bind_text(2, encode_json(app_metadata))
        .bind_text(3, encode_json(user_metadata))
        .bind_int(4, to_unix_ms(at));
  });
}

StoreResult<void> SqliteUserStore::remove(std::string_view user_id) {
  return execute_one(pool_, kDeleteUser, [&](Statement& stmt) { stmt.bind_text(1, user_id); });
}

}  // namespace latchkey::store::sqlite
