// A test-only bridge for the interop tests: signs with the keys a latchkey data dir holds (the
// same keys the server serves in its JWKS), and verifies third-party tokens with latchkey's JOSE.
//
//   jose_tool sign --data-dir D --alg RS256 --claims '{"sub":"x"}'   -> prints the token
//   jose_tool verify --jwks FILE --token T                           -> prints {"status":…}
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "app/key_setup.hpp"
#include "app/store_factory.hpp"
#include "jose/jws.hpp"
#include "jose/keyring.hpp"

namespace {

using namespace latchkey;

std::map<std::string, std::string> parse_flags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
  return flags;
}

int sign(std::map<std::string, std::string>& flags) {
  config::Config config;
  config.data_dir = flags["--data-dir"];
  if (const char* kek = std::getenv("LATCHKEY_KEK")) config.kek = kek;
  auto store = app::open_store(config);
  if (!store) return std::cerr << store.error() << '\n', 1;
  crypto::OsRandom random;
  SystemClock clock;
  auto log = make_null_logger();
  auto kek = app::load_kek(config, random, *log);
  if (!kek) return std::cerr << kek.error() << '\n', 1;
  jose::Keyring keyring((*store)->signing_keys(), *kek, random, clock);
  if (auto r = keyring.reload(); !r) return std::cerr << r.error() << '\n', 1;
  const auto alg = jose::algorithm_from_string(flags["--alg"]);
  const auto* signer = alg ? keyring.snapshot()->signer(*alg) : nullptr;
  if (signer == nullptr) return std::cerr << "no current key for " << flags["--alg"] << '\n', 1;
  std::cout << jose::sign_json({{"typ", "JWT"}}, nlohmann::json::parse(flags["--claims"]), *signer)
            << '\n';
  return 0;
}

int verify(std::map<std::string, std::string>& flags) {
  std::ifstream in(flags["--jwks"]);
  std::stringstream jwks;
  jwks << in.rdbuf();
  jose::KeySet keys;
  if (auto added = keys.add_jwks(jwks.str()); !added) {
    std::cout << nlohmann::json{{"status", jose::to_string(added.error())}} << '\n';
    return 1;
  }
  const auto verified = jose::verify(flags["--token"], keys);
  if (!verified) {
    std::cout << nlohmann::json{{"status", jose::to_string(verified.error())}} << '\n';
    return 1;
  }
  std::cout << nlohmann::json{{"status", "ok"},
                              {"alg", jose::to_string(verified->alg)},
                              {"kid", verified->kid},
                              {"payload", nlohmann::json::parse(verified->payload)}}
            << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::cerr << "usage: jose_tool sign|verify ...\n", 2;
  auto flags = parse_flags(argc, argv);
  const std::string command = argv[1];
  if (command == "sign") return sign(flags);
  if (command == "verify") return verify(flags);
  return std::cerr << "unknown command\n", 2;
}
