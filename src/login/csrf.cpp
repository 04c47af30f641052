#include "login/csrf.hpp"

#include "crypto/digest.hpp"
#include "http/cookies.hpp"
#include "login/cookie_support.hpp"

namespace latchkey::login {

CsrfGuard::CsrfGuard(crypto::RandomSource& random, bool secure_cookies)
    : random_(random), secure_cookies_(secure_cookies) {}

CsrfToken CsrfGuard::issue(const http::Request& request) {
  if (auto existing = detail::hex_cookie(request, kCsrfCookie, 2 * kCsrfTokenBytes)) {
    return CsrfToken{std::move(*existing), std::nullopt};
  }
  CsrfToken token{crypto::random_hex(random_, kCsrfTokenBytes), std::nullopt};
  http::CookieOptions options;
  options.path = "/";
  options.http_only = true;
  options.secure = secure_cookies_;
  options.same_site = http::SameSite::strict;
  if (auto cookie = http::build_set_cookie(kCsrfCookie, token.value, options)) {
    token.set_cookie = std::move(cookie).value();
  }
  return token;
}

bool CsrfGuard::verify(const http::Request& request, const http::Params& form) {
  const auto cookie = detail::hex_cookie(request, kCsrfCookie, 2 * kCsrfTokenBytes);
  const auto field = form.get(kCsrfField);
  if (!cookie || !field || !field->has_value()) return false;
  const std::string& submitted = **field;
  if (!detail::is_hex_token(submitted, 2 * kCsrfTokenBytes)) return false;
  return crypto::constant_time_equal(*cookie, submitted);
}

}  // namespace latchkey::login
