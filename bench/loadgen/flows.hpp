#pragma once
// The operations a connection performs: discovery, the login that makes a session, and one
// operation of each scenario. Each failure is named by the kind the report groups it by
// ("token: oauth invalid_grant", "authorize: status 400", "timeout", "check: nonce mismatch").

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "cookie_jar.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "flow_context.hpp"
#include "http_connection.hpp"

namespace latchkey::loadgen {

/// One finished operation: `error` is empty when it counts as a success.
struct Outcome {
  std::string error;
  std::vector<std::pair<const char*, std::chrono::nanoseconds>> steps;
};

/// Reads discovery through `connection` and fills the endpoint targets of `context`. Fails
/// when discovery is unreachable or malformed, or names an endpoint off the issuer's origin.
[[nodiscard]] boost::asio::awaitable<Result<void, std::string>> read_discovery(
    HttpConnection& connection, FlowContext& context);

/// A connection's state: its HTTP connection, its cookies and the tokens it keeps.
class Flows {
 public:
  Flows(const FlowContext& context, HttpConnection connection, CookieJar cookies);

  /// Drives the provider's login (and consent) forms from /authorize until the redirect_uri
  /// gets a code; the jar then holds the session. Fails with a message saying where and why
  /// (a refused password shows the page's alert text).
  boost::asio::awaitable<Result<void, std::string>> log_in();

  /// What a scenario needs before its loop (a code flow for refresh and userinfo); "" or the
  /// error kind.
  boost::asio::awaitable<std::string> prepare(Scenario scenario);

  /// One operation of `scenario`.
  boost::asio::awaitable<Outcome> run_once(Scenario scenario);

  [[nodiscard]] const CookieJar& cookies() const { return cookies_; }

 private:
  struct Tokens {
    std::string access_token;
    std::string refresh_token;
  };
  boost::asio::awaitable<Outcome> code_flow(const std::string& scope, Tokens* tokens);
  boost::asio::awaitable<Outcome> client_credentials();
  // A whole login from a browser without a session, up to the code at the redirect_uri.
  boost::asio::awaitable<Outcome> fresh_login();
  boost::asio::awaitable<Outcome> refresh();
  boost::asio::awaitable<Outcome> get_json(const std::string& target, const char* member,
                                           const std::string& authorization);
  boost::asio::awaitable<Result<HttpResponse, RequestFailure>> fetch(HttpRequest request);
  // The next step of a login: done (the redirect_uri got a code) or a request to `url`.
  struct LoginStep {
    bool done = false;
    bool post = false;
    std::string body;  ///< the form body of a POST
  };
  boost::asio::awaitable<Result<LoginStep, std::string>> login_hop(std::string& url,
                                                                   HttpRequest request,
                                                                   bool& password_sent);
  [[nodiscard]] std::string authorize_target(const std::string& scope, const std::string& state,
                                             const std::string& nonce,
                                             const std::string& verifier) const;
  [[nodiscard]] HttpRequest token_request(FormFields fields) const;
  std::string random_token();

  const FlowContext& context_;
  HttpConnection connection_;
  CookieJar cookies_;
  crypto::OsRandom random_;
  Tokens tokens_;
};

}  // namespace latchkey::loadgen
