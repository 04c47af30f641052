#include "oauth_support.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "http/percent.hpp"
#include "jose/base64url.hpp"

namespace latchkey::loadgen {
namespace {

bool is_ipv4_loopback(std::string_view host) {
  // 127.0.0.0/8 in dotted-quad form.
  if (!host.starts_with("127.")) return false;
  int parts = 0;
  while (!host.empty()) {
    const auto dot = host.find('.');
    const auto part = host.substr(0, dot);
    int value = -1;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size() || value < 0 || value > 255) {
      return false;
    }
    ++parts;
    host = dot == std::string_view::npos ? std::string_view{} : host.substr(dot + 1);
  }
  return parts == 4;
}

nlohmann::json parse_json(std::string_view body) {
  return nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
}

}  // namespace

Result<HttpUrl, std::string> parse_http_url(std::string_view text) {
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return fail("not an absolute URL: " + std::string(text));
  const auto& url = *parsed;
  if (url.scheme() == "https") {
    return fail(std::string("https is not supported: latchkey-loadgen speaks plain http"));
  }
  if (url.scheme() != "http") return fail("not an http URL: " + std::string(text));
  if (url.has_userinfo()) return fail(std::string("user info in URLs is not supported"));
  // RFC 3986 §3.3: after an authority the path is empty or starts with '/'. Boost 1.81 reads
  // "http://127.0.0.1.example.com/" as host 127.0.0.1 and path ".example.com/"; refuse that.
  if (!url.encoded_path().empty() && !url.encoded_path().starts_with('/')) {
    return fail("malformed URL: " + std::string(text));
  }
  HttpUrl out;
  // host_address() of Boost 1.81 cuts "127.0.0.1.example.com" to its IPv4 prefix: only IPv6
  // literals are read through it (to drop the brackets).
  out.host = url.host_type() == boost::urls::host_type::ipv6 ? std::string(url.host_address())
                                                             : std::string(url.host());
  if (out.host.empty()) return fail("no host in " + std::string(text));
  out.port = url.has_port() ? std::string(url.port()) : "80";
  out.authority = std::string(url.encoded_host_and_port());
  out.origin = "http://" + out.authority;
  out.target = url.encoded_target().empty() ? "/" : std::string(url.encoded_target());
  if (!out.target.starts_with('/')) out.target = "/" + out.target;
  return out;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || is_ipv4_loopback(host);
}

Result<HttpUrl, std::string> check_issuer(std::string_view issuer, bool allow_non_loopback) {
  auto url = parse_http_url(issuer);
  if (!url) return url;
  if (!allow_non_loopback && !is_loopback_host(url->host)) {
    return fail("refusing a non-loopback issuer host '" + url->host +
                "' (pass --allow-non-loopback to load a server you own)");
  }
  return url;
}

std::string discovery_url(std::string_view issuer) {
  if (issuer.ends_with('/')) issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

Result<std::string, std::string> resolve_url(std::string_view base, std::string_view reference) {
  const auto base_url = boost::urls::parse_absolute_uri(base);
  if (!base_url) return fail(std::string("bad base URL"));
  if (reference.empty()) return std::string(base);
  const auto ref = boost::urls::parse_uri_reference(reference);
  if (!ref) return fail(std::string("bad URL reference"));
  boost::urls::url resolved;
  if (!boost::urls::resolve(*base_url, *ref, resolved)) {
    return fail(std::string("cannot resolve URL reference"));
  }
  return std::string(resolved.buffer());
}

std::optional<std::string> query_param(std::string_view url, std::string_view name) {
  const auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return std::nullopt;
  for (const auto& param : parsed->params()) {
    if (param.key == name) return std::string(param.value);
  }
  return std::nullopt;
}

std::string pkce_challenge(std::string_view verifier) {
  const auto digest = crypto::sha256(verifier);
  return jose::base64url_encode(std::span<const std::uint8_t>(digest.data(), digest.size()));
}

std::string basic_credentials(std::string_view client_id, std::string_view client_secret) {
  const std::string plain = http::form_encode(client_id) + ":" + http::form_encode(client_secret);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(plain.data());
  return "Basic " + crypto::encode_base64(std::span<const std::uint8_t>(bytes, plain.size()));
}

std::string form_body(const FormFields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += http::form_encode(name) + "=" + http::form_encode(value);
  }
  return body;
}

std::optional<std::string> jwt_string_claim(std::string_view jwt, std::string_view claim) {
  const auto first = jwt.find('.');
  const auto second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto payload = jose::base64url_decode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const auto json = parse_json(*payload);
  if (!json.is_object()) return std::nullopt;
  const auto member = json.find(claim);
  if (member == json.end() || !member->is_string()) return std::nullopt;
  return member->get<std::string>();
}

std::string oauth_error(std::string_view body) { return json_string(body, "error"); }

std::string json_string(std::string_view body, std::string_view member) {
  const auto json = parse_json(body);
  if (!json.is_object()) return "";
  const auto found = json.find(member);
  return found != json.end() && found->is_string() ? found->get<std::string>() : "";
}

Result<std::string, std::string> code_from_redirect(int status, std::string_view location,
                                                    std::string_view redirect_uri,
                                                    std::string_view state) {
  if (status != 302 && status != 303) return fail("status " + std::to_string(status));
  const auto query = location.find_first_of("?#");
  if (location.substr(0, query) != redirect_uri) {
    // The path says where the provider sent the browser instead (a login or consent page).
    const auto parsed = boost::urls::parse_uri_reference(location);
    const std::string path = parsed ? std::string(parsed->encoded_path()) : "";
    return fail("check: redirected to " + (path.empty() ? "?" : path) + ", not the redirect_uri");
  }
  if (const auto error = query_param(location, "error")) return fail("oauth " + *error);
  if (query_param(location, "state") != std::optional<std::string>(state)) {
    return fail(std::string("check: state mismatch"));
  }
  auto code = query_param(location, "code");
  if (!code || code->empty()) return fail(std::string("check: no code"));
  return std::move(*code);
}

Result<TokenSet, std::string> check_token_response(int status, std::string_view body,
                                                   std::optional<std::string_view> nonce) {
  const auto json = parse_json(body);
  if (status != 200) {
    const auto error = oauth_error(body);
    return fail(error.empty() ? "status " + std::to_string(status) : "oauth " + error);
  }
  if (!json.is_object()) return fail(std::string("check: not JSON"));
  const auto member = [&](const char* name) {
    const auto found = json.find(name);
    return found != json.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  TokenSet tokens{member("access_token"), member("refresh_token"), member("id_token")};
  if (tokens.access_token.empty()) return fail(std::string("check: no access_token"));
  if (nonce) {
    if (tokens.id_token.empty()) return fail(std::string("check: no id_token"));
    if (jwt_string_claim(tokens.id_token, "nonce") != std::optional<std::string>(*nonce)) {
      return fail(std::string("check: nonce mismatch"));
    }
  }
  return tokens;
}

}  // namespace latchkey::loadgen
