#include "webapp.hpp"

#include <nlohmann/json.hpp>

#include "crypto/digest.hpp"
#include "http/cookies.hpp"

namespace latchkey::examples::webapp {
namespace {

using http::Response;
using nlohmann::json;

// A sign-in has ten minutes to come back; a session lasts eight hours.
constexpr std::chrono::seconds kTransactionLifetime{600};
constexpr std::chrono::seconds kSessionLifetime{8 * 3600};
constexpr std::size_t kMaxEntries = 10000;

/// Cookie ids and session ids: 32 random bytes as hex.
constexpr std::size_t kIdBytes = 32;

std::optional<std::string> cookie(const http::Request& request, std::string_view name) {
  const auto header = request.header("Cookie");
  if (!header) return std::nullopt;
  return http::find_cookie(*header, name);
}

std::string claim(const json& claims, const char* name) {
  const auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Response no_store(Response response) {
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace

WebApp::WebApp(WebAppOptions options, const http::Client& client,
               const verify::TokenVerifier& id_tokens, const Clock& clock,
               crypto::RandomSource& random, Logger& log)
    : options_(std::move(options)),
      client_(client),
      id_tokens_(id_tokens),
      random_(random),
      log_(log),
      secure_cookies_(options_.base_url.starts_with("https://")),
      transactions_(clock, kTransactionLifetime, kMaxEntries),
      sessions_(clock, kSessionLifetime, kMaxEntries) {}

http::Router WebApp::routes() {
  http::Router router;
  router.add(http::Method::get, "/", [this](const auto& r) { return home(r); });
  router.add(http::Method::get, "/login", [this](const auto& r) { return login(r); });
  router.add(http::Method::get, "/callback", [this](const auto& r) { return callback(r); },
             {.offload = true});
  router.add(http::Method::get, "/profile", [this](const auto& r) { return profile(r); },
             {.offload = true});
  router.add(http::Method::post, "/logout", [this](const auto& r) { return logout(r); });
  return router;
}

Response WebApp::home(const http::Request& request) const {
  const auto session = current_session(request);
  return no_store(
      Response::html(200, home_page(session ? std::optional(session->user) : std::nullopt)));
}

// Step 1 of the seed flow: send the browser to /authorize. The state, nonce and PKCE verifier
// stay on the server; the browser only holds a random id for them in a short-lived cookie.
Response WebApp::login(const http::Request& /*request*/) {
  LoginTransaction transaction = new_login_transaction(random_);
  const std::string url = authorize_url(
      options_.provider.authorization_endpoint,
      {options_.client.client_id, redirect_uri(), options_.scope, options_.audience}, transaction);
  const std::string id = crypto::random_hex(random_, kIdBytes);
  transactions_.put(id, std::move(transaction));
  Response response = Response::redirect(url);
  set_cookie(response, kTransactionCookie, id, transactions_.lifetime());
  return no_store(std::move(response));
}

// Steps 3-5: the browser comes back with a code; redeem it with the client secret, verify the
// ID token, and start a session. The transaction is single use, whatever the outcome.
Response WebApp::callback(const http::Request& request) {
  const auto transaction_id = cookie(request, kTransactionCookie);
  const auto transaction =
      transaction_id ? transactions_.take(*transaction_id) : std::optional<LoginTransaction>();
  const auto code = check_callback(request.query, transaction, options_.provider.issuer);
  if (!code) return reject(code.error());
  auto session = redeem(*code, *transaction);
  if (!session) return reject(session.error());
  // A new session id at every sign-in, so an id planted before it is worthless.
  if (const auto old = cookie(request, kSessionCookie)) sessions_.erase(*old);
  const std::string id = crypto::random_hex(random_, kIdBytes);
  log_event(log_, LogLevel::info, "signed in");
  sessions_.put(id, std::move(*session));
  Response response = Response::redirect("/profile");
  delete_cookie(response, kTransactionCookie);
  set_cookie(response, kSessionCookie, id, sessions_.lifetime());
  return no_store(std::move(response));
}

// Step 4: POST /oauth/token with client_secret_basic, the code, redirect_uri and PKCE verifier.
Result<Session, CallbackFailure> WebApp::redeem(const std::string& code,
                                                const LoginTransaction& transaction) const {
  http::Headers headers;
  headers.set("Authorization", basic_authorization(options_.client));
  headers.set("Accept", "application/json");
  const auto response =
      client_.post_form(options_.provider.token_endpoint,
                        token_request(code, redirect_uri(), transaction.code_verifier), headers);
  if (!response) {
    return fail(CallbackFailure{
        "Token exchange failed",
        "The authorization server could not be reached: " + response.error().message});
  }
  if (response->status != 200) {
    return fail(CallbackFailure{"Token exchange failed",
                                describe_token_error(response->status, response->body)});
  }
  return session_from_tokens(response->body, transaction);
}

// Step 5: the token response. The ID token is verified (signature against the JWKS, iss, aud =
// client_id, exp) before the app believes anything in it, then its nonce is compared.
Result<Session, CallbackFailure> WebApp::session_from_tokens(
    const std::string& body, const LoginTransaction& transaction) const {
  const json tokens = json::parse(body, nullptr, false);
  const std::string id_token = tokens.is_object() ? claim(tokens, "id_token") : "";
  const std::string access_token = tokens.is_object() ? claim(tokens, "access_token") : "";
  if (id_token.empty() || access_token.empty()) {
    return fail(CallbackFailure{"Token exchange failed", "The token response lacks a token."});
  }
  const auto claims = id_tokens_.verify(id_token);
  if (!claims) {
    return fail(CallbackFailure{"Invalid ID token", claims.error().description});
  }
  // OpenID Connect Core §3.1.3.7 step 11: the nonce MUST be the one this sign-in sent.
  if (!crypto::constant_time_equal(claim(*claims, "nonce"), transaction.nonce)) {
    return fail(CallbackFailure{"Invalid ID token", "The nonce does not match this sign-in."});
  }
  std::string name = claim(*claims, "name");
  if (name.empty()) name = claim(*claims, "email");
  if (name.empty()) name = claim(*claims, "sub");
  return Session{{name, claim(*claims, "email")}, access_token};
}

// Step 6: call the API with the access token, and show what it answered.
Response WebApp::profile(const http::Request& request) const {
  const auto session = current_session(request);
  if (!session) return Response::redirect("/");
  return no_store(Response::html(200, profile_page(session->user, call_api(*session))));
}

ApiView WebApp::call_api(const Session& session) const {
  http::Headers headers;
  headers.set("Authorization", "Bearer " + session.access_token);
  const auto response = client_.get(options_.api_url + "api/messages", headers);
  if (!response) return {std::nullopt, "The API could not be reached: " + response.error().message};
  if (response->status != 200) {
    return {std::nullopt, "The API answered HTTP " + std::to_string(response->status) + "."};
  }
  auto messages = parse_messages(response->body);
  if (!messages) return {std::nullopt, "The API's answer has no messages."};
  return {std::move(messages), ""};
}

// Ends the local session, then latchkey's SSO session (Auth0's /v2/logout), which sends the
// browser back to the home page.
Response WebApp::logout(const http::Request& request) {
  if (const auto id = cookie(request, kSessionCookie)) sessions_.erase(*id);
  Response response = Response::redirect(
      logout_url(options_.provider.issuer, options_.client.client_id, options_.base_url + "/"));
  delete_cookie(response, kSessionCookie);
  return response;
}

std::optional<Session> WebApp::current_session(const http::Request& request) const {
  const auto id = cookie(request, kSessionCookie);
  return id ? sessions_.get(*id) : std::nullopt;
}

Response WebApp::reject(const CallbackFailure& failure) const {
  log_event(log_, LogLevel::warn, "sign-in failed", {{"reason", failure.title}});
  Response response = Response::html(400, error_page(failure.title, failure.detail));
  delete_cookie(response, kTransactionCookie);
  return no_store(std::move(response));
}

void WebApp::set_cookie(Response& response, std::string_view name, std::string_view value,
                        std::chrono::seconds max_age) const {
  http::CookieOptions options;
  options.secure = secure_cookies_;
  options.max_age = max_age;
  if (auto header = http::build_set_cookie(name, value, options)) {
    response.add_header("Set-Cookie", *header);
  }
}

void WebApp::delete_cookie(Response& response, std::string_view name) const {
  http::CookieOptions options;
  options.secure = secure_cookies_;
  if (auto header = http::build_cookie_deletion(name, options)) {
    response.add_header("Set-Cookie", *header);
  }
}

}  // namespace latchkey::examples::webapp
