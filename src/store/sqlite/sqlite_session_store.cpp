#include "store/sqlite/sqlite_session_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (id_digest, user_id, auth_time_ms, created_at_ms, expires_at_ms, "
    "last_seen_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kSelectSession =
    "SELECT id_digest, user_id, auth_time_ms, created_at_ms, expires_at_ms, last_seen_at_ms "
    "FROM sessions WHERE id_digest = ?1";
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at_ms = ?2, expires_at_ms = ?3 WHERE id_digest = ?1";
constexpr std::string_view kUpdateSessionAuthTime =
    "UPDATE sessions SET auth_time_ms = ?2 WHERE id_digest = ?1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id_digest = ?1";
constexpr std::string_view kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ?1";

// Columns in the order of kSelectSession.
StoreResult<model::Session> read_session(const Statement& row) {
  model::Session session;
  session.id_digest = row.text(0);
  session.user_id = row.text(1);
  session.auth_time = from_unix_ms(row.integer(2));
  session.created_at = from_unix_ms(row.integer(3));
  session.expires_at = from_unix_ms(row.integer(4));
  session.last_seen_at = from_unix_ms(row.integer(5));
  return session;
}

}  // namespace

StoreResult<void> SqliteSessionStore::create(const model::Session& session) {
  return execute(pool_, kInsertSession, [&](Statement& stmt) {
    stmt.bind_text(1, session.id_digest)
        .bind_text(2, session.user_id)
        .bind_int(3, to_unix_ms(session.auth_time))
        .bind_int(4, to_unix_ms(session.created_at))
        .bind_int(5, to_unix_ms(session.expires_at))
        .bind_int(6, to_unix_ms(session.last_seen_at));
  });
}

StoreResult<model::Session> SqliteSessionStore::find(std::string_view id_digest) {
  return query_one<model::Session>(
      pool_, kSelectSession, [&](Statement& stmt) { stmt.bind_text(1, id_digest); }, read_session);
}

StoreResult<void> SqliteSessionStore::touch(std::string_view id_digest, TimePoint last_seen_at,
                                            TimePoint expires_at) {
  return execute_one(pool_, kTouchSession, [&](Statement& stmt) {
    stmt.bind_text(1, id_digest)
        .bind_int(2, to_unix_ms(last_seen_at))
        .bind_int(3, to_unix_ms(expires_at));
  });
}

StoreResult<void> SqliteSessionStore::set_auth_time(std::string_view id_digest,
                                                    TimePoint auth_time) {
  return execute_one(pool_, kUpdateSessionAuthTime, [&](Statement& stmt) {
    stmt.bind_text(1, id_digest).bind_int(2, to_unix_ms(auth_time));
  });
}

StoreResult<void> SqliteSessionStore::remove(std::string_view id_digest) {
  return execute_one(pool_, kDeleteSession, [&](Statement& stmt) { stmt.bind_text(1, id_digest); });
}

StoreResult<std::int64_t> SqliteSessionStore::remove_for_user(std::string_view user_id) {
  return execute_count(pool_, kDeleteUserSessions,
                       [&](Statement& stmt) { stmt.bind_text(1, user_id); });
}

StoreResult<std::int64_t> SqliteSessionStore::delete_expired(TimePoint before) {
  return delete_expired_rows(pool_, "sessions", before);
}

}  // namespace latchkey::store::sqlite
