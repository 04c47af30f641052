#include "flows.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "jose/base64url.hpp"

namespace latchkey::loadgen {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr int kMaxLoginHops = 12;
constexpr const char* kFormType = "application/x-www-form-urlencoded";

std::string path_of(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307;
}

// Whether the space-separated `scope` holds `item`.
bool has_scope(std::string_view scope, std::string_view item) {
  while (!scope.empty()) {
    const auto space = scope.find(' ');
    if (scope.substr(0, space) == item) return true;
    if (space == std::string_view::npos) break;
    scope.remove_prefix(space + 1);
  }
  return false;
}

// Built by appends: GCC 12 at -O3 warns (-Wrestrict) about " " + scope + " ".
std::string with_scope(std::string scope, std::string_view extra) {
  if (!has_scope(scope, extra)) {
    if (!scope.empty()) scope += ' ';
    scope += extra;
  }
  return scope;
}

bool wants_openid(const std::string& scope) { return has_scope(scope, "openid"); }

// The request target of `url` when it lies on the issuer's origin.
Result<std::string, std::string> target_on_issuer(const std::string& url, const HttpUrl& issuer) {
  const auto parsed = parse_http_url(url);
  if (!parsed) return fail(parsed.error());
  if (parsed->host != issuer.host || parsed->port != issuer.port) {
    return fail("leaves the issuer's origin for " + parsed->origin);
  }
  return parsed->target;
}

Result<std::string, std::string> endpoint_target(const nlohmann::json& discovery, const char* name,
                                                 const HttpUrl& issuer) {
  const auto found = discovery.find(name);
  if (found == discovery.end() || !found->is_string()) return std::string();
  auto target = target_on_issuer(found->get<std::string>(), issuer);
  if (!target) return fail(std::string(name) + " " + target.error());
  return target;
}

// Why a login page was refused, for the user: the page's alert text or the OAuth error.
std::string page_reason(const HttpResponse& response) {
  auto reason = alert_text(response.body);
  if (reason.empty()) reason = oauth_error(response.body);
  return reason.empty() ? "" : ": " + reason;
}

}  // namespace

asio::awaitable<Result<void, std::string>> read_discovery(HttpConnection& connection,
                                                          FlowContext& context) {
  context.discovery_target =
      *target_on_issuer(discovery_url(context.options->issuer), context.issuer);
  HttpRequest request;
  request.target = context.discovery_target;
  const auto response = co_await connection.send(request);
  if (!response) co_return fail("discovery: " + kind_name(response.error()));
  if (response->status != 200) {
    co_return fail("discovery: HTTP " + std::to_string(response->status));
  }
  const auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object()) co_return fail(std::string("discovery: not a JSON object"));
  const std::pair<const char*, std::string*> endpoints[] = {
      {"authorization_endpoint", &context.authorization_target},
      {"token_endpoint", &context.token_target},
      {"userinfo_endpoint", &context.userinfo_target},
      {"jwks_uri", &context.jwks_target}};
  for (const auto& [name, target] : endpoints) {
    auto found = endpoint_target(json, name, context.issuer);
    if (!found) co_return fail("discovery: " + found.error());
    *target = std::move(*found);
  }
  co_return Result<void, std::string>{};
}

Flows::Flows(const FlowContext& context, HttpConnection connection, CookieJar cookies)
    : context_(context), connection_(std::move(connection)), cookies_(std::move(cookies)) {}

std::string Flows::random_token() {
  const auto bytes = crypto::random_bytes(random_, 32);
  return jose::base64url_encode(std::span<const std::uint8_t>(bytes));
}

asio::awaitable<Result<HttpResponse, RequestFailure>> Flows::fetch(HttpRequest request) {
  const auto path = path_of(request.target);
  request.cookie = cookies_.header_for(path);
  auto response = co_await connection_.send(request);
  if (response) {
    const auto now = std::chrono::system_clock::now();
    for (const auto& header : response->set_cookies) cookies_.store(header, path, now);
  }
  co_return response;
}

HttpRequest Flows::token_request(FormFields fields) const {
  const Options& o = *context_.options;
  HttpRequest request;
  request.post = true;
  request.target = context_.token_target;
  request.content_type = kFormType;
  if (o.auth_method == AuthMethod::basic) {
    request.authorization = basic_credentials(o.client_id, o.client_secret);
  } else {
    fields.emplace_back("client_id", o.client_id);
    fields.emplace_back("client_secret", o.client_secret);
  }
  request.body = form_body(fields);
  return request;
}

std::string Flows::authorize_target(const std::string& scope, const std::string& state,
                                    const std::string& nonce, const std::string& verifier) const {
  const Options& o = *context_.options;
  FormFields query{{"response_type", "code"},
                   {"client_id", o.client_id},
                   {"redirect_uri", o.redirect_uri},
                   {"scope", scope},
                   {"state", state},
                   {"nonce", nonce},
                   {"code_challenge", pkce_challenge(verifier)},  // RFC 7636 §4.3
                   {"code_challenge_method", "S256"}};
  if (!o.audience.empty()) query.emplace_back("audience", o.audience);
  if (!o.resource.empty()) query.emplace_back("resource", o.resource);
  const char separator = context_.authorization_target.find('?') == std::string::npos ? '?' : '&';
  return context_.authorization_target + separator + form_body(query);
}

asio::awaitable<Result<void, std::string>> Flows::log_in() {
  const auto& scenarios = context_.options->scenarios;
  const bool refresh =
      std::find(scenarios.begin(), scenarios.end(), Scenario::refresh) != scenarios.end();
  // Consent once for every scope the runs will ask for, so no run meets a consent page.
  const auto scope =
      refresh ? with_scope(context_.options->scope, "offline_access") : context_.options->scope;
  std::string url = context_.issuer.origin +
                    authorize_target(scope, random_token(), random_token(), random_token());
  HttpRequest request;
  request.target = *target_on_issuer(url, context_.issuer);
  request.accept = "text/html";
  bool password_sent = false;
  for (int hop = 0; hop < kMaxLoginHops; ++hop) {
    auto step = co_await login_hop(url, request, password_sent);
    if (!step) co_return fail(step.error());
    if (step->done) co_return Result<void, std::string>{};
    auto target = target_on_issuer(url, context_.issuer);
    if (!target) co_return fail("login: a form or redirect " + target.error());
    request = HttpRequest{};
    request.accept = "text/html";
    request.target = std::move(*target);
    request.post = step->post;
    if (step->post) {
      request.content_type = kFormType;
      request.body = std::move(step->body);
    }
  }
  co_return fail(std::string("login: no code after 12 pages and redirects"));
}

// One page or redirect of the login: a redirect is followed, a form is filled and submitted.
asio::awaitable<Result<Flows::LoginStep, std::string>> Flows::login_hop(std::string& url,
                                                                        HttpRequest request,
                                                                        bool& password_sent) {
  const auto path = path_of(request.target);
  const auto response = co_await fetch(std::move(request));
  if (!response) co_return fail("login: " + kind_name(response.error()) + " at " + path);
  const auto& o = *context_.options;
  if (is_redirect(response->status)) {
    auto location = resolve_url(url, response->location);
    if (!location) co_return fail("login: bad Location at " + path);
    if (location->starts_with(o.redirect_uri)) {
      if (auto error = query_param(*location, "error")) {
        co_return fail("login: the provider sent error=" + *error + " to the redirect_uri");
      }
      if (query_param(*location, "code")) co_return LoginStep{true, false, ""};
      co_return fail(std::string("login: the redirect_uri got no code"));
    }
    url = std::move(*location);
    co_return LoginStep{};
  }
  const auto form = pick_form(parse_forms(response->body));
  const std::string status = "HTTP " + std::to_string(response->status) + " at " + path;
  if (!form) {
    co_return fail("login: " + status + " without a form to submit" + page_reason(*response));
  }
  if (password_sent && has_password_input(*form)) {
    co_return fail("login refused (" + status + ")" + page_reason(*response) +
                   " - check --user and --password");
  }
  if (response->status >= 400) co_return fail("login: " + status + page_reason(*response));
  password_sent = password_sent || has_password_input(*form);
  auto action = resolve_url(url, form->action);
  if (!action) co_return fail("login: bad form action at " + path);
  auto body = form_body(fill_form(*form, o.user, o.password));
  if (form->method == "post") {
    url = std::move(*action);
    co_return LoginStep{false, true, std::move(body)};
  }
  url = action->substr(0, action->find('?')) + "?" + body;
  co_return LoginStep{};
}

asio::awaitable<std::string> Flows::prepare(Scenario scenario) {
  const Options& o = *context_.options;
  if (scenario == Scenario::userinfo && context_.userinfo_target.empty()) {
    co_return std::string("setup: discovery names no userinfo_endpoint");
  }
  if (scenario != Scenario::refresh && scenario != Scenario::userinfo) co_return std::string();
  const auto scope =
      scenario == Scenario::refresh ? with_scope(o.scope, "offline_access") : o.scope;
  const auto outcome = co_await code_flow(scope, &tokens_);
  if (!outcome.error.empty()) co_return "setup: " + outcome.error;
  if (scenario == Scenario::refresh && tokens_.refresh_token.empty()) {
    co_return std::string("setup: check: no refresh_token");
  }
  co_return std::string();
}

asio::awaitable<Outcome> Flows::run_once(Scenario scenario) {
  switch (scenario) {
    case Scenario::code:
      co_return co_await code_flow(context_.options->scope, nullptr);
    case Scenario::cc:
      co_return co_await client_credentials();
    case Scenario::refresh:
      co_return co_await refresh();
    case Scenario::userinfo:
      co_return co_await get_json(context_.userinfo_target, "sub",
                                  "Bearer " + tokens_.access_token);
    case Scenario::jwks:
      co_return co_await get_json(context_.jwks_target, "keys", "");
    case Scenario::login:
      co_return co_await fresh_login();
    case Scenario::discovery:
      break;
  }
  co_return co_await get_json(context_.discovery_target, "issuer", "");
}

asio::awaitable<Outcome> Flows::fresh_login() {
  cookies_ = CookieJar{};  // a new browser: no session, so the password is checked
  const auto logged_in = co_await log_in();
  co_return Outcome{logged_in ? "" : logged_in.error(), {}};
}

asio::awaitable<Outcome> Flows::code_flow(const std::string& scope, Tokens* tokens) {
  const Options& o = *context_.options;
  const auto state = random_token();
  const auto nonce = random_token();
  const auto verifier = random_token();
  HttpRequest authorize;
  authorize.target = authorize_target(scope, state, nonce, verifier);
  authorize.accept = "text/html";
  const auto t0 = Clock::now();
  const auto redirect = co_await fetch(std::move(authorize));
  const auto t1 = Clock::now();
  if (!redirect) co_return Outcome{"authorize: " + kind_name(redirect.error()), {}};
  auto location = resolve_url(context_.issuer.origin + "/", redirect->location);
  auto code =
      code_from_redirect(redirect->status, location ? *location : "", o.redirect_uri, state);
  if (!code) co_return Outcome{"authorize: " + code.error(), {}};
  FormFields fields{{"grant_type", "authorization_code"},
                    {"code", *code},
                    {"redirect_uri", o.redirect_uri},
                    {"code_verifier", verifier}};
  const auto t2 = Clock::now();
  const auto response = co_await fetch(token_request(std::move(fields)));
  const auto t3 = Clock::now();
  if (!response) co_return Outcome{"token: " + kind_name(response.error()), {}};
  const auto checked = check_token_response(
      response->status, response->body,
      wants_openid(scope) ? std::optional<std::string_view>(nonce) : std::nullopt);
  if (!checked) co_return Outcome{"token: " + checked.error(), {}};
  if (tokens != nullptr) *tokens = {checked->access_token, checked->refresh_token};
  co_return Outcome{"", {{"authorize", t1 - t0}, {"token", t3 - t2}}};
}

asio::awaitable<Outcome> Flows::client_credentials() {
  const Options& o = *context_.options;
  FormFields fields{{"grant_type", "client_credentials"}};
  if (!o.cc_scope.empty()) fields.emplace_back("scope", o.cc_scope);
  if (!o.audience.empty()) fields.emplace_back("audience", o.audience);
  if (!o.resource.empty()) fields.emplace_back("resource", o.resource);
  const auto response = co_await fetch(token_request(std::move(fields)));
  if (!response) co_return Outcome{kind_name(response.error()), {}};
  const auto checked = check_token_response(response->status, response->body, std::nullopt);
  co_return Outcome{checked ? "" : checked.error(), {}};
}

asio::awaitable<Outcome> Flows::refresh() {
  // Built before the co_await: GCC 12 rejects braced lists inside a co_await expression.
  FormFields fields{{"grant_type", "refresh_token"}, {"refresh_token", tokens_.refresh_token}};
  const auto response = co_await fetch(token_request(std::move(fields)));
  if (!response) co_return Outcome{kind_name(response.error()), {}};
  const auto checked = check_token_response(response->status, response->body, std::nullopt);
  if (!checked) co_return Outcome{checked.error(), {}};
  // Rotation (RFC 6749 §6, OAuth 2.0 Security BCP §4.14): the new token replaces the old one.
  if (!checked->refresh_token.empty()) tokens_.refresh_token = checked->refresh_token;
  co_return Outcome{};
}

asio::awaitable<Outcome> Flows::get_json(const std::string& target, const char* member,
                                         const std::string& authorization) {
  HttpRequest request;
  request.target = target;
  request.authorization = authorization;
  const auto response = co_await fetch(std::move(request));
  if (!response) co_return Outcome{kind_name(response.error()), {}};
  if (response->status != 200) {
    const auto error = oauth_error(response->body);
    co_return Outcome{
        error.empty() ? "status " + std::to_string(response->status) : "oauth " + error, {}};
  }
  const auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object() || !json.contains(member)) {
    co_return Outcome{"check: no " + std::string(member), {}};
  }
  co_return Outcome{};
}

}  // namespace latchkey::loadgen
