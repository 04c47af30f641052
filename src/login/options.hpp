#pragma once
// Settings the hosted pages take from the configuration.

namespace latchkey::login {

struct PageOptions {
  /// Add Secure to the cookies the pages set (the issuer is https).
  bool secure_cookies = false;
  /// Serve /u/signup and show the "Sign up" link on the login page.
  bool signup_enabled = false;
};

}  // namespace latchkey::login
