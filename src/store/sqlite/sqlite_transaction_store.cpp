#include "store/sqlite/sqlite_transaction_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kInsertTransaction =
    "INSERT INTO authorization_transactions (id, query, client_id, created_at_ms, expires_at_ms, "
    "authenticated_at_ms, user_id, consent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kSelectTransaction =
    "SELECT id, query, client_id, created_at_ms, expires_at_ms, authenticated_at_ms, user_id, "
    "consent, rules_redirect FROM authorization_transactions WHERE id = ?1";
constexpr std::string_view kAuthenticateTransaction =
    "UPDATE authorization_transactions SET user_id = ?2, authenticated_at_ms = ?3 WHERE id = ?1";
constexpr std::string_view kConsentTransaction =
    "UPDATE authorization_transactions SET consent = ?2 WHERE id = ?1";
constexpr std::string_view kRulesRedirectTransaction =
    "UPDATE authorization_transactions SET rules_redirect = ?2 WHERE id = ?1";
constexpr std::string_view kDeleteTransaction =
    "DELETE FROM authorization_transactions WHERE id = ?1";

// Columns in the order of kSelectTransaction.
StoreResult<AuthorizationTransaction> read_transaction(const Statement& row) {
  AuthorizationTransaction t;
  t.id = row.text(0);
  t.query = row.text(1);
  t.client_id = row.text(2);
  t.created_at = from_unix_ms(row.integer(3));
  t.expires_at = from_unix_ms(row.integer(4));
  if (!row.is_null(5)) t.authenticated_at = from_unix_ms(row.integer(5));
  t.user_id = row.text(6);
  t.consent = row.text(7);
  if (!row.is_null(8)) t.rules_redirect = row.text(8);
  return t;
}

}  // namespace

StoreResult<void> SqliteTransactionStore::create(const AuthorizationTransaction& t) {
  return execute(pool_, kInsertTransaction, [&](Statement& stmt) {
    stmt.bind_text(1, t.id)
        .bind_text(2, t.query)
        .bind_text(3, t.client_id)
        .bind_int(4, to_unix_ms(t.created_at))
        .bind_int(5, to_unix_ms(t.expires_at));
    if (t.authenticated_at) {
      stmt.bind_int(6, to_unix_ms(*t.authenticated_at));
    } else {
      stmt.bind_null(6);
    }
    stmt.bind_text(7, t.user_id).bind_text(8, t.consent);
  });
}

StoreResult<AuthorizationTransaction> SqliteTransactionStore::find(std::string_view id) {
  return query_one<AuthorizationTransaction>(
      pool_, kSelectTransaction, [&](Statement& stmt) { stmt.bind_text(1, id); }, read_transaction);
}

StoreResult<void> SqliteTransactionStore::set_authenticated(std::string_view id,
                                                            std::string_view user_id,
                                                            TimePoint at) {
  return execute_one(pool_, kAuthenticateTransaction, [&](Statement& stmt) {
    stmt.bind_text(1, id).bind_text(2, user_id).bind_int(3, to_unix_ms(at));
  });
}

StoreResult<void> SqliteTransactionStore::set_consent(std::string_view id,
                                                      std::string_view decision) {
  return execute_one(pool_, kConsentTransaction,
                     [&](Statement& stmt) { stmt.bind_text(1, id).bind_text(2, decision); });
}

StoreResult<void> SqliteTransactionStore::set_rules_redirect(std::string_view id,
                                                             std::string_view action) {
  return execute_one(pool_, kRulesRedirectTransaction,
                     [&](Statement& stmt) { stmt.bind_text(1, id).bind_text(2, action); });
}

StoreResult<void> SqliteTransactionStore::remove(std::string_view id) {
  return execute_one(pool_, kDeleteTransaction, [&](Statement& stmt) { stmt.bind_text(1, id); });
}

StoreResult<std::int64_t> SqliteTransactionStore::delete_expired(TimePoint before) {
  return delete_expired_rows(pool_, "authorization_transactions", before);
}

}  // namespace latchkey::store::sqlite
