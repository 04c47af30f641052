#pragma once
// CSRF protection for the hosted forms by double submit: a random `lk_csrf` cookie
// (SameSite=Strict, HttpOnly) and the same value in a hidden form field. A cross-site page can
// neither read the cookie nor make the browser send it, so it cannot produce a matching pair.

#include <optional>
#include <string>
#include <string_view>

#include "crypto/random.hpp"
#include "http/form.hpp"
#include "http/request.hpp"

namespace latchkey::login {

inline constexpr std::string_view kCsrfCookie = "lk_csrf";
inline constexpr std::string_view kCsrfField = "lk_csrf";
inline constexpr std::size_t kCsrfTokenBytes = 32;

/// The token to put in a form, and the Set-Cookie to send when it is new.
struct CsrfToken {
  std::string value;
  std::optional<std::string> set_cookie;
};

class CsrfGuard {
 public:
  CsrfGuard(crypto::RandomSource& random, bool secure_cookies);

  /// The request's token when its cookie holds a well-formed one, else a new token with the
  /// Set-Cookie that stores it.
  [[nodiscard]] CsrfToken issue(const http::Request& request);

  /// True only when the cookie and the single `lk_csrf` form field are both present, well
  /// formed and equal (compared in constant time).
  [[nodiscard]] static bool verify(const http::Request& request, const http::Params& form);

 private:
  crypto::RandomSource& random_;
  bool secure_cookies_;
};

}  // namespace latchkey::login
