// The blocking HTTP client against an in-process Server on 127.0.0.1: plain HTTP, limits,
// transport failures, and https with a certificate made in the test.

#include "http/client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "http/server.hpp"
#include "http/test_server.hpp"

namespace latchkey::http {
namespace {

using namespace std::chrono_literals;

std::string base_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

Router echo_router() {
  Router router;
  router.add(Method::get, "/hello", [](const Request& request) {
    auto name = request.query.get("name");
    return Response::json(200, {{"hello", name.ok() && *name ? **name : ""},
                                {"x_test", std::string(request.header("X-Test").value_or(""))}})
        .set_header("X-Reply", "yes");
  });
  router.add(Method::post, "/form", [](const Request& request) {
    auto form = request.form();
    if (!form) return Response::text(400, "not a form");
    auto a = form->get("a");
    return Response::text(201, a.ok() && *a ? **a : "");
  });
  router.add(Method::get, "/denied", [](const Request&) {
    return Response::json(401, {{"error", "nope"}});
  });
  router.add(Method::get, "/moved",
             [](const Request&) { return Response::redirect("http://127.0.0.1:1/elsewhere"); });
  router.add(Method::get, "/big",
             [](const Request&) { return Response::text(200, std::string(4096, 'x')); });
  return router;
}

// A socket bound to 127.0.0.1 on an ephemeral port; listening (but never accepting) on request.
class RawSocket {
 public:
  explicit RawSocket(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    if (fd_ < 0 || ::bind(fd_, generic, size) != 0 || ::getsockname(fd_, generic, &size) != 0 ||
        (listening && ::listen(fd_, 4) != 0)) {
      throw std::runtime_error("cannot set up the socket");
    }
    port_ = ntohs(address.sin_port);
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

TEST(HttpClient, GetReturnsStatusHeadersAndBody) {
  const Router router = echo_router();
  testing::RunningServer server(router, testing::fast_test_options());
  Headers headers;
  headers.set("X-Test", "sent");
  const auto response = Client().get(base_url(server.port()) + "/hello?name=a%20b", headers);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers.get("x-reply"), "yes");
  EXPECT_EQ(response->headers.get("Content-Type"), "application/json");
  EXPECT_EQ(response->body, R"({"hello":"a b","x_test":"sent"})");
}

TEST(HttpClient, PostFormSendsAnUrlEncodedBody) {
  const Router router = echo_router();
  testing::RunningServer server(router, testing::fast_test_options());
  const auto response =
      Client().post_form(base_url(server.port()) + "/form", Params{{"a", "x y&z"}, {"b", "2"}});
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "x y&z");
}

TEST(HttpClient, ErrorStatusesAreResponsesNotErrors) {
  const Router router = echo_router();
  testing::RunningServer server(router, testing::fast_test_options());
  const Client client;
  const auto denied = client.get(base_url(server.port()) + "/denied");
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body, R"({"error":"nope"})");
  const auto missing = client.get(base_url(server.port()) + "/nowhere");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST(HttpClient, RedirectsAreReturnedNotFollowed) {
  const Router router = echo_router();
  testing::RunningServer server(router, testing::fast_test_options());
  const auto response = Client().get(base_url(server.port()) + "/moved");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(response->headers.get("Location"), "http://127.0.0.1:1/elsewhere");
}

TEST(HttpClient, RefusedConnectionIsAConnectError) {
  std::uint16_t port = 0;
  {
    const RawSocket closed(/*listening=*/false);
    port = closed.port();
  }
  const auto response = Client().get(base_url(port) + "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::connect);
}

TEST(HttpClient, SilentListenerTimesOutWithinTheDeadline) {
  const RawSocket silent(/*listening=*/true);
  ClientOptions options;
  options.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  const auto response = Client(options).get(base_url(silent.port()) + "/");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::timeout);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(HttpClient, BodyOverTheLimitIsTooLarge) {
  const Router router = echo_router();
  testing::RunningServer server(router, testing::fast_test_options());
  ClientOptions options;
  options.body_limit = 1000;
  const auto response = Client(options).get(base_url(server.port()) + "/big");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::too_large);
  options.body_limit = 4096;
  EXPECT_TRUE(Client(options).get(base_url(server.port()) + "/big").ok());
}

TEST(HttpClient, MalformedOrUnsupportedUrlsAreBadUrls) {
  const Client client;
  for (const std::string url :
       {"", "not a url", "/relative", "ftp://127.0.0.1/", "http://", "http:///path",
        "http://user:pw@127.0.0.1/", "http://127.0.0.1:99999/", "http://127.0.0.1/a b"}) {
    const auto response = client.get(url);
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.error().kind, ClientError::Kind::bad_url) << url;
  }
}

TEST(HttpClient, HeaderWithALineBreakIsRefusedBeforeSending) {
  Headers headers;
  headers.set("X-Evil", "a\r\nInjected: 1");
  const auto response = Client().get("http://127.0.0.1:1/", headers);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::protocol);
}

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

// A self-signed P-256 certificate for `alt_names` ("DNS:localhost,IP:127.0.0.1"), as PEM files in
// a temporary directory.
class TestCertificate {
 public:
  explicit TestCertificate(const std::string& alt_names) {
    char pattern[] = "/tmp/latchkey-client-tls-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    const X509Ptr cert(X509_new());
    if (!key || !cert) throw std::runtime_error("key generation failed");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("latchkey test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    const ExtensionPtr san(
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, alt_names.c_str()));
    if (!san || X509_add_ext(cert.get(), san.get(), -1) != 1 ||
        X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
      throw std::runtime_error("cannot build the certificate");
    }
    const BioPtr cert_out(BIO_new_file(cert_file().c_str(), "w"));
    const BioPtr key_out(BIO_new_file(key_file().c_str(), "w"));
    if (!cert_out || !key_out || PEM_write_bio_X509(cert_out.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1) {
      throw std::runtime_error("cannot write PEM files");
    }
  }
  ~TestCertificate() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  [[nodiscard]] std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  [[nodiscard]] std::string key_file() const { return (dir_ / "key.pem").string(); }

  [[nodiscard]] ServerOptions server_options() const {
    auto options = testing::fast_test_options();
    options.tls_cert_file = cert_file();
    options.tls_key_file = key_file();
    return options;
  }

 private:
  std::filesystem::path dir_;
};

TEST(HttpClientTls, HttpsWorksWhenTheCertificateIsTrustedThroughCaFile) {
  const TestCertificate certificate("DNS:localhost,IP:127.0.0.1");
  const Router router = echo_router();
  testing::RunningServer server(router, certificate.server_options());
  ClientOptions options;
  options.ca_file = certificate.cert_file();
  const Client client(options);
  for (const std::string host : {"localhost", "127.0.0.1"}) {
    const auto response =
        client.get("https://" + host + ":" + std::to_string(server.port()) + "/hello?name=tls");
    ASSERT_TRUE(response.ok()) << host << ": " << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, R"({"hello":"tls","x_test":""})");
  }
}

TEST(HttpClientTls, UntrustedCertificateIsRefused) {
  const TestCertificate certificate("DNS:localhost,IP:127.0.0.1");
  const Router router = echo_router();
  testing::RunningServer server(router, certificate.server_options());
  const auto response =
      Client().get("https://localhost:" + std::to_string(server.port()) + "/hello");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::tls);
}

TEST(HttpClientTls, CertificateForAnotherHostIsRefused) {
  const TestCertificate certificate("DNS:other.example");
  const Router router = echo_router();
  testing::RunningServer server(router, certificate.server_options());
  ClientOptions options;
  options.ca_file = certificate.cert_file();
  const auto response =
      Client(options).get("https://localhost:" + std::to_string(server.port()) + "/hello");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::tls);
}

TEST(HttpClientTls, UnreadableCaFileIsATlsError) {
  ClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  const auto response = Client(options).get("https://localhost:1/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind, ClientError::Kind::tls);
}

}  // namespace
}  // namespace latchkey::http
