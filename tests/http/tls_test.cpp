// TLS: a self-signed certificate made in the test, an OpenSSL client, HSTS only over TLS.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "http/raw_client.hpp"
#include "http/server.hpp"
#include "http/test_server.hpp"

namespace latchkey::http {
namespace {

using namespace std::chrono_literals;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL, SSL_free>>;

// A temporary directory holding cert.pem and key.pem for a P-256 self-signed "localhost".
class SelfSignedFiles {
 public:
  SelfSignedFiles() {
    char pattern[] = "/tmp/latchkey-tls-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    X509Ptr cert(X509_new());
    if (!key || !cert) throw std::runtime_error("key generation failed");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
      throw std::runtime_error("sign failed");
    BioPtr cert_out(BIO_new_file(cert_file().c_str(), "w"));
    BioPtr key_out(BIO_new_file(key_file().c_str(), "w"));
    if (!cert_out || !key_out || PEM_write_bio_X509(cert_out.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1) {
      throw std::runtime_error("cannot write PEM files");
    }
  }
  ~SelfSignedFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SelfSignedFiles(const SelfSignedFiles&) = delete;
  SelfSignedFiles& operator=(const SelfSignedFiles&) = delete;

  [[nodiscard]] std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  [[nodiscard]] std::string key_file() const { return (dir_ / "key.pem").string(); }

 private:
  std::filesystem::path dir_;
};

// Sends one request over TLS (the test trusts any certificate) and reads until close.
std::optional<testing::RawResponse> tls_exchange(std::uint16_t port, const std::string& request) {
  auto connection = testing::RawConnection::open(port);
  if (!connection) return std::nullopt;
  const int fd = connection->fd();
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // plain blocking I/O for the OpenSSL client
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1 || SSL_connect(ssl.get()) != 1) return std::nullopt;
  if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0) {
    return std::nullopt;
  }
  std::string received;
  char buffer[4096];
  for (int n; (n = SSL_read(ssl.get(), buffer, sizeof buffer)) > 0;) {
    received.append(buffer, static_cast<std::size_t>(n));
  }
  auto parsed = testing::parse_response(received, /*at_eof=*/true);
  if (!parsed) return std::nullopt;
  return std::move(parsed->first);
}

TEST(ServerTls, ServesOverTlsWithHsts) {
  const SelfSignedFiles files;
  Router router;
  router.add(Method::get, "/hello", [](const Request& request) {
    return Response::json(200, {{"secure", request.secure}});
  });
  auto options = testing::fast_test_options();
  options.tls_cert_file = files.cert_file();
  options.tls_key_file = files.key_file();
  testing::RunningServer server(router, options);
  const auto response =
      tls_exchange(server.port(), testing::make_request("GET", "/hello", {"Connection: close"}));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"secure":true})");
  EXPECT_EQ(response->header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
}

TEST(ServerTls, PlainHttpToATlsPortIsNotServed) {
  const SelfSignedFiles files;
  Router router;
  router.add(Method::get, "/hello", [](const Request&) { return Response::text(200, "hi"); });
  auto options = testing::fast_test_options();
  options.tls_cert_file = files.cert_file();
  options.tls_key_file = files.key_file();
  testing::RunningServer server(router, options);
  const auto response =
      testing::exchange(server.port(), testing::make_request("GET", "/hello"), 2000ms);
  EXPECT_FALSE(response && response->status == 200);
}

}  // namespace
}  // namespace latchkey::http
