#include "cookie_jar.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace latchkey::loadgen {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The attributes of a Set-Cookie that matter here.
struct CookieAttributes {
  std::string path;
  bool expired = false;
};

CookieAttributes read_attributes(std::string_view rest, std::chrono::system_clock::time_point now) {
  CookieAttributes attributes;
  while (!rest.empty()) {
    const auto semicolon = rest.find(';');
    const auto part = rest.substr(0, semicolon);
    rest = semicolon == std::string_view::npos ? "" : rest.substr(semicolon + 1);
    const auto equals = part.find('=');
    const auto key = trim(part.substr(0, equals));
    const auto value = equals == std::string_view::npos ? "" : trim(part.substr(equals + 1));
    if (iequals(key, "path") && value.starts_with('/')) attributes.path = value;
    if (iequals(key, "max-age")) {
      const auto seconds = to_int(value);
      if (seconds && *seconds <= 0) attributes.expired = true;
    }
    if (iequals(key, "expires")) {
      const auto when = parse_http_date(value);
      if (when && *when < now) attributes.expired = true;
    }
  }
  return attributes;
}

}  // namespace

bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (!request_path.starts_with(cookie_path)) return false;
  return cookie_path.ends_with('/') || request_path[cookie_path.size()] == '/';
}

std::string default_path(std::string_view request_path) {
  const auto query = request_path.find('?');
  request_path = request_path.substr(0, query);
  if (!request_path.starts_with('/')) return "/";
  const auto slash = request_path.rfind('/');
  if (slash == 0) return "/";
  return std::string(request_path.substr(0, slash));
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // "Tue, 24 Nov 2026 10:09:37 GMT" (RFC 9110 §5.6.7)
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(25) != " GMT") return std::nullopt;
  const auto day = to_int(text.substr(5, 2));
  const auto* const month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  const auto year = to_int(text.substr(12, 4));
  const auto hour = to_int(text.substr(17, 2));
  const auto minute = to_int(text.substr(20, 2));
  const auto second = to_int(text.substr(23, 2));
  if (!day || month == kMonths.end() || !year || !hour || !minute || !second) return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year{*year},
      std::chrono::month{static_cast<unsigned>(month - kMonths.begin() + 1)},
      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
         std::chrono::seconds{*second};
}

void CookieJar::store(std::string_view set_cookie, std::string_view request_path,
                      std::chrono::system_clock::time_point now) {
  const auto semicolon = set_cookie.find(';');
  const auto pair = set_cookie.substr(0, semicolon);
  const auto equals = pair.find('=');
  if (equals == std::string_view::npos) return;
  const auto name = trim(pair.substr(0, equals));
  if (name.empty()) return;
  const auto rest = semicolon == std::string_view::npos ? "" : set_cookie.substr(semicolon + 1);
  auto attributes = read_attributes(rest, now);
  if (attributes.path.empty()) attributes.path = default_path(request_path);
  if (attributes.expired) {
    remove(name, attributes.path);
    return;
  }
  put({std::string(name), std::string(trim(pair.substr(equals + 1))), attributes.path});
}

void CookieJar::add_header(std::string_view cookie_header) {
  while (!cookie_header.empty()) {
    const auto semicolon = cookie_header.find(';');
    const auto pair = cookie_header.substr(0, semicolon);
    cookie_header = semicolon == std::string_view::npos ? "" : cookie_header.substr(semicolon + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)).empty()) continue;
    put({std::string(trim(pair.substr(0, equals))), std::string(trim(pair.substr(equals + 1))),
         "/"});
  }
}

std::string CookieJar::header_for(std::string_view path) const {
  path = path.substr(0, path.find('?'));
  std::vector<const Cookie*> matching;
  for (const auto& cookie : cookies_) {
    if (path_matches(path, cookie.path)) matching.push_back(&cookie);
  }
  // RFC 6265 §5.4: longer paths first; otherwise the order they were stored in.
  std::stable_sort(matching.begin(), matching.end(), [](const Cookie* a, const Cookie* b) {
    return a->path.size() > b->path.size();
  });
  std::string header;
  for (const auto* cookie : matching) {
    if (!header.empty()) header += "; ";
    header += cookie->name + "=" + cookie->value;
  }
  return header;
}

void CookieJar::put(Cookie cookie) {
  for (auto& stored : cookies_) {
    if (stored.name == cookie.name && stored.path == cookie.path) {
      stored.value = std::move(cookie.value);
      return;
    }
  }
  cookies_.push_back(std::move(cookie));
}

void CookieJar::remove(std::string_view name, std::string_view path) {
  std::erase_if(cookies_,
                [&](const Cookie& cookie) { return cookie.name == name && cookie.path == path; });
}

}  // namespace latchkey::loadgen
