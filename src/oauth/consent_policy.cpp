#include "oauth/consent_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "oauth/scope.hpp"

namespace latchkey::oauth {
namespace {

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

/// The host of `uri` (brackets kept for IPv6, lower-cased), or nullopt without an authority.
std::optional<std::string> host_of(std::string_view uri) {
  const std::size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view authority = uri.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));  // WHATWG: '\' is '/'
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return to_lower(authority.substr(0, close + 1));
  }
  std::string host = to_lower(authority.substr(0, authority.find(':')));
  if (host.ends_with('.')) host.pop_back();  // "localhost." is localhost
  if (host.empty()) return std::nullopt;
  return host;
}

/// One part of a WHATWG IPv4 address: decimal, 0x-hex or 0-octal; nullopt when not a number.
std::optional<std::uint64_t> ipv4_number(std::string_view part) {
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (const char c : part) {
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99;
    if (digit >= base || value > (std::uint64_t{1} << 40)) return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
  }
  return value;
}

/// The first octet of a host a browser reads as IPv4 (WHATWG URL "ends in a number"), or
/// nullopt when the host is a name. Malformed numeric hosts give 0 (treated as loopback).
std::optional<std::uint64_t> ipv4_first_octet(const std::string& host) {
  std::vector<std::string_view> parts;
  std::string_view rest = host;
  while (true) {
    const std::size_t dot = rest.find('.');
    parts.push_back(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (!ipv4_number(parts.back())) return std::nullopt;  // a name, not an address
  if (parts.size() > 4) return 0;
  std::vector<std::uint64_t> numbers;
  for (const auto part : parts) {
    const auto number = ipv4_number(part);
    if (!number || part.empty()) return 0;
    if (numbers.size() + 1 < parts.size() && *number > 255) return 0;
    numbers.push_back(*number);
  }
  if (parts.size() == 1) return numbers[0] >> 24;  // "2130706433" is 127.0.0.1
  return numbers[0];
}

bool is_loopback_ipv6(const std::string& bracketed) {
  const std::string address = bracketed.substr(1, bracketed.size() - 2);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) return true;  // cautious
  const bool zero_prefix =
      std::all_of(bytes.begin(), bytes.begin() + 10, [](unsigned char b) { return b == 0; });
  const bool mapped = zero_prefix && bytes[10] == 0xff && bytes[11] == 0xff;
  if (mapped) return bytes[12] == 127 || bytes[12] == 0;
  const bool high_zero = zero_prefix && bytes[10] == 0 && bytes[11] == 0 && bytes[12] == 0 &&
                         bytes[13] == 0 && bytes[14] == 0;
  return high_zero && bytes[15] <= 1;  // :: and ::1
}

}  // namespace

bool is_verifiable_redirect_uri(std::string_view uri) {
  const auto host = host_of(uri);
  if (!host) return false;
  if (host->find('%') != std::string::npos) return false;  // browsers decode it; be cautious
  if (host->starts_with('[')) return !is_loopback_ipv6(*host);
  if (*host == "localhost" || host->ends_with(".localhost")) return false;
  const auto octet = ipv4_first_octet(*host);
  return !octet || (*octet != 127 && *octet != 0);
}

bool consent_required(const AuthorizeRequest& request, const std::optional<model::Grant>& grant) {
  if (request.prompt.consent) return true;  // OIDC Core §3.1.2.1: prompt=consent MUST ask
  if (grant && covers(grant->scopes, request.scopes)) return false;
  if (!request.client.is_first_party) return true;
  if (request.api) {
    return !(request.api->skip_consent_for_verifiable_first_party_clients &&
             is_verifiable_redirect_uri(request.target.redirect_uri));
  }
  return !std::all_of(request.scopes.begin(), request.scopes.end(),
                      [](const std::string& scope) { return is_oidc_scope(scope); });
}

}  // namespace latchkey::oauth
