// The Authorization Code Grant end to end over HTTP, as a browser and a web app drive it: the
// real binary, the hosted login and consent pages, the code, the token exchange and /userinfo.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/browser.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kKek = "LATCHKEY_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kCallback = "http://127.0.0.1:3000/callback";
constexpr const char* kApi = "https://api.example.com/";
// RFC 7636 Appendix B.
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

std::string basic_auth(const std::string& id, const std::string& secret) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = url_encode(id) + ":" + url_encode(secret);
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t chunk = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (n > 1) chunk |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    if (n > 2) chunk |= static_cast<unsigned char>(in[i + 2]);
    for (std::size_t j = 0; j < 4; ++j)
      out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
  }
  return "Authorization: Basic " + out;
}

class CodeFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    cli({"apis", "create", "--identifier", kApi, "--name", "Messages", "--scope",
         "read:messages=Read your messages", "--scope", "write:messages=Write messages",
         "--allow-offline-access"});
    const auto client = cli({"clients", "create", "--name", "Web App", "--type", "regular_web",
                             "--callback", kCallback});
    client_id_ = client["client_id"];
    client_secret_ = client["client_secret"];
    cli({"users", "create", "--email", "alice@example.com", "--name", "Alice", "--password-stdin"},
        "correct horse battery\n");
    server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{},
                                              std::vector<std::string>{kKek});
    browser_ = std::make_unique<Browser>(server_->port());
  }

  nlohmann::json cli(std::vector<std::string> args, const std::string& input = "") {
    // --json goes first, so that a key id after "--" (one in 64 starts with '-', which the
    // parser would take for an option) is the last word.
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_.path().string(), "--json"});
    const auto r = run_process(args, input, std::chrono::seconds(30), {kKek});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::string authorize_url(
      const std::string& scope = "openid profile email offline_access read:messages",
      const std::string& extra = "") {
    return "/authorize?response_type=code&client_id=" + client_id_ +
           "&redirect_uri=" + url_encode(kCallback) + "&scope=" + url_encode(scope) +
           "&audience=" + url_encode(kApi) + "&state=st%20ate&nonce=n-0S6" +
           "&code_challenge=" + kChallenge + "&code_challenge_method=S256" + extra;
  }

  /// Follows the hosted pages from /authorize to the callback, logging in and consenting.
  std::string code_via_pages(const std::string& url, bool expect_consent) {
    auto r = browser_->get(url);
    EXPECT_TRUE(r && r->status == 302);
    std::string location = r->header("Location").value_or("");
    if (location.find("/u/login") != std::string::npos) {
      r = browser_->get(location);
      EXPECT_TRUE(r && r->status == 200);
      auto form = find_form(r->body, "/u/login");
      EXPECT_TRUE(form);
      if (!form) return "";
      form->fields["email"] = "alice@example.com";
      form->fields["password"] = "correct horse battery";
      r = browser_->post_form(form->action.empty() ? location : form->action, form->fields);
      EXPECT_TRUE(r && r->status == 302) << (r ? r->body : "");
      location = r ? r->header("Location").value_or("") : "";
      r = browser_->get(location);  // /authorize/resume
      EXPECT_TRUE(r && r->status == 302);
      location = r ? r->header("Location").value_or("") : "";
    }
    const bool consent_shown = location.find("/u/consent") != std::string::npos;
    EXPECT_EQ(consent_shown, expect_consent) << location;
    if (consent_shown) {
      r = browser_->get(location);
      EXPECT_TRUE(r && r->status == 200);
      EXPECT_NE(r->body.find("Read your messages"), std::string::npos);
      auto form = find_form(r->body, "/u/consent");
      EXPECT_TRUE(form);
      if (!form) return "";
      form->fields["action"] = "accept";
      r = browser_->post_form(form->action.empty() ? location : form->action, form->fields);
      EXPECT_TRUE(r && r->status == 302);
      r = browser_->get(r->header("Location").value_or(""));
      EXPECT_TRUE(r && r->status == 302);
      location = r ? r->header("Location").value_or("") : "";
    }
    EXPECT_EQ(location.rfind(kCallback, 0), 0u) << location;
    EXPECT_EQ(query_param(location, "state"), "st ate");
    EXPECT_EQ(query_param(location, "iss"),
              "http://127.0.0.1:" + std::to_string(server_->port()) + "/");
    return query_param(location, "code").value_or("");
  }

  std::optional<RawResponse> redeem(const std::string& code,
                                    const std::string& verifier = kVerifier) {
    return browser_->post_form("/oauth/token",
                               {{"grant_type", "authorization_code"},
                                {"code", code},
                                {"redirect_uri", kCallback},
                                {"code_verifier", verifier}},
                               {basic_auth(client_id_, client_secret_)});
  }

  TempDir dir_;
  std::string client_id_;
  std::string client_secret_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Browser> browser_;
};

TEST_F(CodeFlow, LoginConsentCodeTokensAndUserinfo) {
  const std::string code = code_via_pages(authorize_url(), true);
  ASSERT_FALSE(code.empty());
  const auto token = redeem(code);
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200) << token->body;
  EXPECT_EQ(token->header("Cache-Control"), "no-store");
  const auto body = nlohmann::json::parse(token->body);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_TRUE(body["access_token"].is_string());
  EXPECT_TRUE(body["id_token"].is_string());
  EXPECT_TRUE(body["refresh_token"].is_string());
  EXPECT_EQ(body["expires_in"], 86400);

  const auto info = browser_->get(
      "/userinfo", {"Authorization: Bearer " + body["access_token"].get<std::string>()});
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200) << info->body;
  const auto claims = nlohmann::json::parse(info->body);
  EXPECT_EQ(claims["email"], "alice@example.com");
  EXPECT_EQ(claims["name"], "Alice");
}

TEST_F(CodeFlow, ASecondLoginSkipsConsentAndAReplayedCodeRevokesItsTokens) {
  const std::string first = code_via_pages(authorize_url(), true);
  const auto token = redeem(first);
  ASSERT_TRUE(token && token->status == 200);
  const std::string access = nlohmann::json::parse(token->body)["access_token"];

  const std::string second = code_via_pages(authorize_url(), false);
  ASSERT_FALSE(second.empty());

  const auto replay = redeem(first);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(nlohmann::json::parse(replay->body)["error"], "invalid_grant");
  const auto info = browser_->get("/userinfo", {"Authorization: Bearer " + access});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 401) << "the replayed code's access token must be revoked";
}

TEST_F(CodeFlow, TokensSignedWithARevokedKeyNoLongerValidateAtUserinfo) {
  const auto token = redeem(code_via_pages(authorize_url(), true));
  ASSERT_TRUE(token && token->status == 200);
  const std::string access = nlohmann::json::parse(token->body)["access_token"];
  const auto bearer = "Authorization: Bearer " + access;
  ASSERT_EQ(browser_->get("/userinfo", {bearer})->status, 200);

  const auto rotation = cli({"keys", "rotate"});
  const std::string signer = rotation["previous"];
  ASSERT_FALSE(signer.empty()) << rotation.dump();
  ASSERT_EQ(browser_->get("/userinfo", {bearer})->status, 200) << "previous keys still verify";
  cli({"keys", "revoke", "--", signer});
  int status = 0;
  for (int i = 0; i < 100 && status != 401; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = browser_->get("/userinfo", {bearer})->status;
  }
  EXPECT_EQ(status, 401) << "a token signed with a revoked key still validates";
}

TEST_F(CodeFlow, WrongVerifierAndWrongSecretAreRefused) {
  const std::string code = code_via_pages(authorize_url(), true);
  const auto wrong_verifier = redeem(code, std::string(43, 'a'));
  ASSERT_TRUE(wrong_verifier);
  EXPECT_EQ(nlohmann::json::parse(wrong_verifier->body)["error"], "invalid_grant");

  const auto wrong_secret = browser_->post_form(
      "/oauth/token",
      {{"grant_type", "authorization_code"}, {"code", "x"}, {"redirect_uri", kCallback}},
      {basic_auth(client_id_, "not-the-secret")});
  ASSERT_TRUE(wrong_secret);
  EXPECT_EQ(wrong_secret->status, 401);
  EXPECT_TRUE(wrong_secret->header("WWW-Authenticate"));
  EXPECT_EQ(nlohmann::json::parse(wrong_secret->body)["error"], "invalid_client");
}

TEST_F(CodeFlow, PromptNoneWithoutASessionAnswersLoginRequired) {
  const auto r = browser_->get(authorize_url("openid", "&prompt=none"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302);
  const std::string location = r->header("Location").value_or("");
  EXPECT_EQ(query_param(location, "error"), "login_required");
  EXPECT_EQ(query_param(location, "state"), "st ate");
}

TEST_F(CodeFlow, AnUnknownClientGetsAPageNotARedirect) {
  const auto r = browser_->get("/authorize?response_type=code&client_id=nobody&redirect_uri=" +
                               url_encode(kCallback));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->header("Location"));
  EXPECT_EQ(r->header("Content-Type").value_or("").rfind("text/html", 0), 0u);
  EXPECT_EQ(r->header("X-Frame-Options"), "DENY");
}

TEST_F(CodeFlow, DiscoveryAdvertisesTheFlow) {
  const auto r = browser_->get("/.well-known/openid-configuration");
  ASSERT_TRUE(r && r->status == 200);
  const auto doc = nlohmann::json::parse(r->body);
  const std::string issuer = "http://127.0.0.1:" + std::to_string(server_->port()) + "/";
  EXPECT_EQ(doc["authorization_endpoint"], issuer + "authorize");
  EXPECT_EQ(doc["token_endpoint"], issuer + "oauth/token");
  EXPECT_EQ(doc["userinfo_endpoint"], issuer + "userinfo");
  EXPECT_EQ(doc["response_types_supported"], nlohmann::json::array({"code"}));
  EXPECT_EQ(doc["authorization_response_iss_parameter_supported"], true);
}

}  // namespace
}  // namespace latchkey::testing
