#pragma once
// The composition root's object graph: every endpoint, built once from the config, the store,
// the keyring, the clock and the random source, and the routes that reach them.

#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "http/router.hpp"
#include "jose/keyring.hpp"
#include "login/consent_handler.hpp"
#include "login/login_handler.hpp"
#include "login/session_manager.hpp"
#include "login/signup_handler.hpp"
#include "oauth/authorize.hpp"
#include "oauth/login_pipeline.hpp"
#include "oauth/token_endpoint.hpp"
#include "oauth/token_issuer.hpp"
#include "oidc/discovery.hpp"
#include "oidc/logout.hpp"
#include "oidc/userinfo.hpp"
#include "store/store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::app {

/// How long verifiers may cache the JWKS: well below the time a `next` key is published before
/// a rotation promotes it.
inline constexpr int kJwksMaxAgeSeconds = 60;

/// What the endpoints share. All references outlive the Application.
struct Dependencies {
  const config::Config& config;
  std::string issuer;  ///< effective issuer, with its trailing slash
  store::Store& store;
  jose::Keyring& keyring;
  Logger& log;
  const Clock& clock;
  crypto::RandomSource& random;
  /// The rules and actions run before a code is issued (issue 5); none when null.
  oauth::LoginPipeline* login_pipeline = nullptr;
};

class Application {
 public:
  explicit Application(Dependencies deps);
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// Every route latchkey serves. The Application must outlive the router.
  [[nodiscard]] http::Router routes();

  /// The discovery document: what this build implements, and nothing more.
  [[nodiscard]] oidc::ProviderMetadata metadata() const;

 private:
  [[nodiscard]] login::PageOptions page_options() const;
  [[nodiscard]] oauth::SessionLookup session_lookup();

  Dependencies deps_;
  ui::Renderer renderer_;
  /// Bounds the argon2id hashes of logins and sign-ups run at once (config
  /// password_hash_memory_mb), and with them the RSS of a login storm.
  crypto::PasswordHasher hasher_;
  login::SessionManager sessions_;
  login::LoginHandler login_;
  login::SignupHandler signup_;
  login::ConsentHandler consent_;
  oauth::AuthorizeEndpoint authorize_;
  oauth::TokenIssuer token_issuer_;
  oauth::TokenEndpoint token_endpoint_;
  oidc::UserInfoEndpoint userinfo_;
  oidc::LogoutEndpoint logout_;
};

}  // namespace latchkey::app
