// latchkey keys list | rotate [--alg A] | revoke KID
#include <ostream>

#include "app/key_setup.hpp"
#include "cli/command.hpp"

namespace latchkey::cli {
namespace {

nlohmann::json key_json(const model::SigningKey& key) {
  nlohmann::json json = {{"kid", key.kid},
                         {"alg", key.alg},
                         {"state", model::to_string(key.state)},
                         {"created_at", to_iso8601(key.created_at)}};
  json["activated_at"] = key.activated_at ? nlohmann::json(to_iso8601(*key.activated_at)) : nullptr;
  json["retired_at"] = key.retired_at ? nlohmann::json(to_iso8601(*key.retired_at)) : nullptr;
  return json;
}

/// Opens the store and a keyring on it (the keyring needs the key-encryption key).
template <class F>
int with_keyring(Context& context, Output& output, F&& fn) {
  return with_kek(context, output, [&](store::Store& store, const jose::KeyEncryptionKey& kek) {
    jose::Keyring keyring(store.signing_keys(), kek, context.random, context.clock);
    return fn(store, keyring);
  });
}

int list_keys(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto keys = store.signing_keys().list();
    if (!keys) return store_error(output, keys.error(), "signing keys");
    nlohmann::json json = nlohmann::json::array();
    for (const auto& key : *keys) json.push_back(key_json(key));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& key : *keys) {
        out << key.kid << "  " << key.alg << "  " << model::to_string(key.state) << '\n';
      }
    });
  });
}

int rotate_keys(Context& context, Output& output, const std::string& alg_name) {
  const auto alg = jose::algorithm_from_string(alg_name);
  if (!alg) return output.error("unknown --alg '" + alg_name + "' (RS256, PS256, ES256, EdDSA)");
  return with_keyring(context, output, [&](store::Store&, jose::Keyring& keyring) {
    auto rotation = keyring.rotate(*alg);
    if (!rotation) return output.error(rotation.error());
    const nlohmann::json json = {{"alg", alg_name},
                                 {"current", rotation->current_kid},
                                 {"next", rotation->next_kid},
                                 {"previous", rotation->previous_kid}};
    return output.result(json, [&](std::ostream& out) {
      out << "current:  " << rotation->current_kid << "\nnext:     " << rotation->next_kid
          << "\nprevious: " << rotation->previous_kid
          << "\nRunning servers pick this up within seconds.\n";
    });
  });
}

int revoke_key(Context& context, Output& output, const std::string& kid) {
  return with_keyring(context, output, [&](store::Store&, jose::Keyring& keyring) {
    if (auto r = keyring.revoke(kid); !r) return output.error(r.error());
    return output.result({{"revoked", kid}},
                         [&](std::ostream& out) { out << "revoked key " << kid << '\n'; });
  });
}

}  // namespace

void add_key_commands(CLI::App& app, Context& context) {
  auto* keys = app.add_subcommand("keys", "Manage signing keys");
  keys->require_subcommand(1);
  keys->add_subcommand("list", "List signing keys and their states")->callback([&context] {
    context.action = [&context](Output& o) { return list_keys(context, o); };
  });
  auto alg = std::make_shared<std::string>("RS256");
  auto* rotate = keys->add_subcommand("rotate", "Promote the next key and publish a new next");
  rotate->add_option("--alg", *alg, "RS256 | PS256 | ES256 | EdDSA (default RS256)");
  rotate->callback([&context, alg] {
    context.action = [&context, alg](Output& o) { return rotate_keys(context, o, *alg); };
  });
  add_id_command(*keys, context, "revoke", "Stop publishing and trusting a key", revoke_key);
}

}  // namespace latchkey::cli
