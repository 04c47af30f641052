#include "app/key_setup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

#include "crypto/base64.hpp"

namespace latchkey::app {
namespace {

constexpr const char* kKekFile = "kek.key";

Result<jose::KeyEncryptionKey, std::string> decode_kek(std::string_view text,
                                                       const std::string& origin) {
  const auto bytes = crypto::decode_base64(text);
  if (!bytes) return fail(origin + " is not base64");
  auto kek = jose::KeyEncryptionKey::from_bytes(*bytes);
  if (!kek) return fail(origin + ": " + kek.error());
  return kek;
}

/// Creates the file with mode 0600 atomically (O_EXCL), so a concurrent CLI and server agree.
Result<void, std::string> create_kek_file(const std::filesystem::path& path,
                                          crypto::RandomSource& random) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return fail("cannot create " + path.string());
  }
  const std::string text = crypto::encode_base64(crypto::random_bytes(random, 32)) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return fail("cannot write " + path.string());
  return {};
}

}  // namespace

Result<jose::KeyEncryptionKey, std::string> load_kek(const config::Config& config,
                                                     crypto::RandomSource& random, Logger& log) {
  if (config.kek) return decode_kek(*config.kek, "LATCHKEY_KEK");
  const auto path = config.data_dir / kKekFile;
  if (auto created = create_kek_file(path, random); !created) return fail(created.error());
  log_event(log, LogLevel::warn, "LATCHKEY_KEK is not set: signing keys are sealed with a key file",
            {{"file", path.string()}});
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return decode_kek(text.str(), path.string());
}

std::vector<jose::Algorithm> algorithms_in_use(store::Store& store) {
  std::vector<jose::Algorithm> algorithms{jose::Algorithm::rs256};
  const auto add = [&algorithms](std::string_view name) {
    const auto alg = jose::algorithm_from_string(name);
    if (alg && std::find(algorithms.begin(), algorithms.end(), *alg) == algorithms.end()) {
      algorithms.push_back(*alg);
    }
  };
  if (auto apis = store.resource_servers().list()) {
    for (const auto& api : *apis) add(api.signing_alg);
  }
  if (auto clients = store.clients().list()) {
    for (const auto& client : *clients) add(client.id_token_signed_response_alg);
  }
  return algorithms;
}

}  // namespace latchkey::app
