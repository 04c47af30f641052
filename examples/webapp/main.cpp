// latchkey-example-webapp: the example regular web app. See webapp.hpp for its pages and
// README.md ("The demo, step by step") for how `make run` starts it.
//
//   latchkey-example-webapp --listen 127.0.0.1:3000 --issuer http://127.0.0.1:8080/
//       --client-file data/demo-client.json --api-url http://127.0.0.1:3001/
//       --audience https://api.demo.local/

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "http/server.hpp"
#include "webapp.hpp"

namespace {

using namespace latchkey;
using namespace latchkey::examples::webapp;

struct Flags {
  std::string listen = "127.0.0.1:3000";
  std::string base_url;  // empty: http://<listen>
  std::string issuer = "http://127.0.0.1:8080/";
  std::string client_file;
  std::string client_id;
  std::string client_secret;
  std::string api_url = "http://127.0.0.1:3001/";
  std::string audience = "https://api.demo.local/";
};

Result<ClientCredentials, std::string> load_client(const Flags& flags) {
  if (flags.client_file.empty()) {
    if (flags.client_id.empty() || flags.client_secret.empty()) {
      return fail(std::string("give --client-file, or --client-id and --client-secret"));
    }
    return ClientCredentials{flags.client_id, flags.client_secret};
  }
  std::ifstream in(flags.client_file);
  if (!in) return fail("cannot read " + flags.client_file);
  std::stringstream text;
  text << in.rdbuf();
  return parse_client_file(text.str());
}

/// Reads the issuer's discovery document (OpenID Connect Discovery §4).
Result<ProviderMetadata, std::string> discover(const http::Client& client,
                                               const std::string& issuer) {
  const std::string url = issuer + ".well-known/openid-configuration";
  const auto response = client.get(url);
  if (!response) return fail("cannot fetch " + url + ": " + response.error().message);
  if (response->status != 200) {
    return fail(url + " answered HTTP " + std::to_string(response->status));
  }
  return parse_discovery(response->body, issuer);
}

http::ServerOptions server_options(const ListenAddress& address) {
  http::ServerOptions options;
  options.address = address.host;
  options.port = address.port;
  options.threads = 1;         // pages are tiny; one I/O thread is plenty
  options.worker_threads = 4;  // the callback and profile pages wait on outbound calls
  return options;
}

// The ID token must be signed by the issuer's published keys, name it as iss, have this client
// as aud and not be expired (OpenID Connect Core §3.1.3.7). latchkey's ID tokens carry no typ.
verify::TokenVerifierOptions id_token_options(const std::string& issuer,
                                              const ClientCredentials& client,
                                              const ProviderMetadata& provider) {
  verify::TokenVerifierOptions options;
  options.issuer = issuer;
  options.audience = client.client_id;
  options.jwks_url = provider.jwks_uri;
  options.typ = "";
  options.required_claims = {"sub"};
  return options;
}

int startup_error(Logger& log, const std::string& message) {
  log_event(log, LogLevel::critical, "cannot start", {{"error", message}});
  return 1;
}

int serve(const Flags& flags) {
  auto log = make_stderr_logger("webapp", LogLevel::info);
  const auto address = parse_listen(flags.listen);
  if (!address) return startup_error(*log, address.error());
  auto client = load_client(flags);
  if (!client) return startup_error(*log, client.error());
  const http::Client http_client;
  const std::string issuer = with_trailing_slash(flags.issuer);
  auto provider = discover(http_client, issuer);
  if (!provider) return startup_error(*log, provider.error());

  http::Router router;  // filled once the port, and so the base URL, is known
  http::Server server(server_options(*address), router, *log);
  if (auto bound = server.listen(); !bound) return startup_error(*log, bound.error());
  std::string base_url =
      flags.base_url.empty() ? base_url_for(address->host, server.port()) : flags.base_url;
  while (base_url.ends_with('/')) base_url.pop_back();

  SystemClock clock;
  crypto::OsRandom random;
  const verify::TokenVerifier id_tokens(id_token_options(issuer, *client, *provider), clock);
  WebApp app({*provider, *client, base_url, with_trailing_slash(flags.api_url), flags.audience},
             http_client, id_tokens, clock, random, *log);
  router = app.routes();
  server.stop_on_signals();
  log_event(*log, LogLevel::info, "listening",
            {{"address", address->host}, {"port", server.port()}, {"url", base_url + "/"}});
  log->flush();  // whoever started it waits for this line to learn the port
  server.run();
  log_event(*log, LogLevel::info, "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App cli{"The example web app: signs users in with latchkey and calls an API for them"};
  cli.name("latchkey-example-webapp");
  cli.add_option("--listen", flags.listen, "host:port to serve on (port 0: any)")
      ->capture_default_str();
  cli.add_option("--base-url", flags.base_url, "public URL of the app (default: http://<listen>)");
  cli.add_option("--issuer", flags.issuer, "latchkey's issuer URL")->capture_default_str();
  auto* file = cli.add_option("--client-file", flags.client_file,
                              "JSON printed by `latchkey clients create --json`");
  auto* id = cli.add_option("--client-id", flags.client_id, "the app's client_id");
  cli.add_option("--client-secret", flags.client_secret, "the app's client_secret");
  file->excludes(id);
  cli.add_option("--api-url", flags.api_url, "the example API's base URL")->capture_default_str();
  cli.add_option("--audience", flags.audience, "the API's identifier")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  return serve(flags);
}
