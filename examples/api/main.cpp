// latchkey-example-api: a resource server ("API") that accepts latchkey access tokens.
//
// It checks each Bearer token with latchkey_verify (signature against the issuer's JWKS, iss,
// aud, exp, typ at+jwt) and the scope each route needs, answering RFC 6750 errors otherwise:
//
//   GET  /api/public    no token needed
//   GET  /api/private   any valid access token for this API
//   GET  /api/messages  scope read:messages
//   POST /api/messages  scope write:messages
//
// Copy this file to protect your own C++ API; see README.md next to it.

#include <CLI/CLI.hpp>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "verify/guard.hpp"
#include "verify/token_verifier.hpp"

namespace {

using latchkey::http::Method;
using latchkey::http::Request;
using latchkey::http::Response;
using nlohmann::json;

struct Settings {
  std::string listen = "127.0.0.1:3001";
  std::string issuer = "http://127.0.0.1:8080/";
  std::string audience = "https://api.demo.local/";
  int jwks_refetch_seconds = 30;
  std::optional<std::string> ca_file;
};

latchkey::http::Router routes(const latchkey::verify::TokenVerifier& verifier) {
  using latchkey::verify::protect;
  // Verifying a token may fetch the issuer's keys: run protected routes off the I/O threads.
  const latchkey::http::RouteOptions offload{.offload = true};
  latchkey::http::Router router;
  router.add(Method::get, "/api/public", [](const Request&) {
    return Response::json(200, {{"message", "Hello from a public endpoint! No token needed."}});
  });
  router.add(Method::get, "/api/private",
             protect(verifier, "",
                     [](const Request&, const json& claims) {
                       return Response::json(
                           200, {{"message", "Hello from a private endpoint! Your token is valid."},
                                 {"sub", claims.value("sub", "")}});
                     }),
             offload);
  router.add(
      Method::get, "/api/messages",
      protect(
          verifier, "read:messages",
          [](const Request&, const json& claims) {
            const json messages = {{{"id", 1}, {"text", "Welcome to the example API"}},
                                   {{"id", 2}, {"text", "Tokens are checked locally"}}};
            return Response::json(200, {{"messages", messages}, {"sub", claims.value("sub", "")}});
          }),
      offload);
  router.add(Method::post, "/api/messages",
             protect(verifier, "write:messages",
                     [](const Request&, const json& claims) {
                       return Response::json(
                           201, {{"message", "Message created"}, {"sub", claims.value("sub", "")}});
                     }),
             offload);
  return router;
}

// "host:port" (an IPv6 host in brackets) into the server's address and port.
std::optional<latchkey::http::ServerOptions> server_options(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint16_t port = 0;
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  const auto [end, error] = std::from_chars(first, last, port);
  if (error != std::errc() || end != last || first == last) return std::nullopt;
  latchkey::http::ServerOptions options;
  options.address = host;
  options.port = port;
  return options;
}

int serve(const Settings& settings) {
  auto log = latchkey::make_stderr_logger("example-api", latchkey::LogLevel::info);
  const auto options = server_options(settings.listen);
  if (!options) {
    latchkey::log_event(*log, latchkey::LogLevel::critical, "bad --listen, want host:port");
    return 2;
  }
  latchkey::verify::TokenVerifierOptions verifier_options;
  verifier_options.issuer = settings.issuer;
  verifier_options.audience = settings.audience;
  verifier_options.jwks.min_refetch_interval = std::chrono::seconds(settings.jwks_refetch_seconds);
  verifier_options.jwks.http.ca_file = settings.ca_file;
  const latchkey::SystemClock clock;
  const latchkey::verify::TokenVerifier verifier(verifier_options, clock);
  const auto router = routes(verifier);

  latchkey::http::Server server(*options, router, *log);
  if (auto bound = server.listen(); !bound) {
    latchkey::log_event(*log, latchkey::LogLevel::critical, "cannot listen",
                        {{"error", bound.error()}});
    return 1;
  }
  server.stop_on_signals();  // before announcing the port, so a quick SIGTERM stops gracefully
  latchkey::log_event(*log, latchkey::LogLevel::info, "listening",
                      {{"address", options->address},
                       {"port", server.port()},
                       {"issuer", settings.issuer},
                       {"audience", settings.audience}});
  log->flush();  // whoever started it waits for this line to learn the port
  server.run();
  latchkey::log_event(*log, latchkey::LogLevel::info, "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"latchkey example API: a resource server that accepts latchkey access tokens"};
  Settings settings;
  app.add_option("--listen", settings.listen, "host:port to listen on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--issuer", settings.issuer, "latchkey's issuer URL, exactly as in tokens")
      ->capture_default_str();
  app.add_option("--audience", settings.audience, "this API's identifier (the tokens' aud)")
      ->capture_default_str();
  app.add_option("--jwks-refetch-interval", settings.jwks_refetch_seconds,
                 "at most one JWKS fetch per this many seconds (unknown kid, expiry)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  app.add_option("--ca-file", settings.ca_file, "PEM CAs to trust when the issuer is https");
  CLI11_PARSE(app, argc, argv);
  return serve(settings);
}
