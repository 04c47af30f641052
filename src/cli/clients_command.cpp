// latchkey clients create|list|get|update|delete|rotate-secret
#include <ostream>

#include "cli/command.hpp"
#include "crypto/digest.hpp"
#include "jose/algorithm.hpp"
#include "model/json.hpp"
#include "model/validation.hpp"

namespace latchkey::cli {
namespace {

struct CreateClientArgs {
  std::string name;
  std::string type = "regular_web";
  std::vector<std::string> callbacks;
  std::vector<std::string> logout_urls;
  bool first_party = false;
  std::vector<std::string> grant_types;  // empty: the type's defaults
  std::string id_token_alg = "RS256";
};

struct UpdateClientArgs {
  std::string id;
  std::string id_token_alg;  // "": unchanged
};

/// Auth0's defaults per application type: public clients (spa, native) have no secret.
void apply_type_defaults(model::Client& client) {
  using model::AppType;
  switch (client.app_type) {
    case AppType::regular_web:
      client.token_endpoint_auth_method = "client_secret_basic";
      client.grant_types = {"authorization_code", "refresh_token", "client_credentials"};
      break;
    case AppType::spa:
    case AppType::native:
      client.token_endpoint_auth_method = "none";
      client.grant_types = {"authorization_code", "refresh_token"};
      break;
    case AppType::non_interactive:
      client.token_endpoint_auth_method = "client_secret_post";
      client.grant_types = {"client_credentials"};
      break;
  }
}

bool is_confidential(const model::Client& client) {
  return client.token_endpoint_auth_method != "none";
}

// --grant-types replaces the type's defaults; client_credentials needs a secret (RFC 6749 §4.4).
Result<void, std::string> apply_grant_types(model::Client& client,
                                            const std::vector<std::string>& grant_types) {
  if (grant_types.empty()) return {};
  for (const auto& type : grant_types) {
    if (type != "authorization_code" && type != "refresh_token" && type != "client_credentials") {
      return fail("unknown grant type '" + type +
                  "' (authorization_code, refresh_token, client_credentials)");
    }
    if (type == "client_credentials" && !is_confidential(client)) {
      return fail(std::string("client_credentials needs a confidential client (not spa, native)"));
    }
  }
  client.grant_types = grant_types;
  return {};
}

Result<model::Client, std::string> build_client(const CreateClientArgs& args) {
  model::Client client;
  if (auto r = model::check_name(args.name); !r) return fail(r.error());
  const auto type = model::parse_app_type(args.type);
  if (!type)
    return fail("unknown --type '" + args.type + "' (regular_web, spa, native, non_interactive)");
  client.name = args.name;
  client.app_type = *type;
  apply_type_defaults(client);
  if (auto r = apply_grant_types(client, args.grant_types); !r) return fail(r.error());
  if (client.app_type != model::AppType::non_interactive && args.callbacks.empty()) {
    return fail(std::string("at least one --callback URL is required for this type"));
  }
  for (const auto& url : args.callbacks) {
    if (auto r = model::check_redirect_uri(url); !r) return fail(r.error());
  }
  for (const auto& url : args.logout_urls) {
    if (auto r = model::check_redirect_uri(url); !r) return fail(r.error());
  }
  client.callbacks = args.callbacks;
  client.allowed_logout_urls = args.logout_urls;
  client.is_first_party = args.first_party;
  client.id_token_signed_response_alg = args.id_token_alg;
  return client;
}

void print_client(std::ostream& out, const model::Client& client) {
  out << "client_id:   " << client.client_id << '\n'
      << "name:        " << client.name << '\n'
      << "type:        " << model::to_string(client.app_type) << '\n'
      << "first party: " << (client.is_first_party ? "yes" : "no") << '\n'
      << "id token:    " << client.id_token_signed_response_alg << '\n';
  for (const auto& url : client.callbacks) out << "callback:    " << url << '\n';
  for (const auto& url : client.allowed_logout_urls) out << "logout url:  " << url << '\n';
}

/// Prints a client with its new secret: the only time the secret is ever shown.
int print_with_secret(Output& output, const model::Client& client, const std::string& secret) {
  nlohmann::json json = model::to_json(client);
  json["client_secret"] = secret.empty() ? nlohmann::json(nullptr) : nlohmann::json(secret);
  return output.result(json, [&](std::ostream& out) {
    print_client(out, client);
    if (!secret.empty()) {
      out << "client_secret: " << secret << "\n(shown once: only its digest is stored)\n";
    }
  });
}

int create_client(Context& context, Output& output, const CreateClientArgs& args) {
  auto client = build_client(args);
  if (!client) return output.error(client.error());
  return with_store(context, output, [&](store::Store& store) {
    client->client_id = crypto::random_hex(context.random, 16);
    client->created_at = context.clock.now();
    std::string secret;
    if (is_confidential(*client)) {
      secret = crypto::random_hex(context.random, 32);
      client->secret_digest = crypto::sha256_hex(secret);
    }
    if (auto r = store.clients().create(*client); !r) {
      return store_error(output, r.error(), "client");
    }
    return print_with_secret(output, *client, secret);
  });
}

int rotate_secret(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto client = store.clients().find(id);
    if (!client) return store_error(output, client.error(), "client " + id);
    if (!is_confidential(*client)) {
      return output.error("client " + id + " is public and has no secret");
    }
    const std::string secret = crypto::random_hex(context.random, 32);
    if (auto r = store.clients().set_secret_digest(id, crypto::sha256_hex(secret)); !r) {
      return store_error(output, r.error(), "client " + id);
    }
    return print_with_secret(output, *client, secret);
  });
}

int update_client(Context& context, Output& output, const UpdateClientArgs& args) {
  return with_store(context, output, [&](store::Store& store) {
    auto client = store.clients().find(args.id);
    if (!client) return store_error(output, client.error(), "client " + args.id);
    if (!args.id_token_alg.empty()) client->id_token_signed_response_alg = args.id_token_alg;
    if (auto r = store.clients().update(*client); !r) {
      return store_error(output, r.error(), "client " + args.id);
    }
    return output.result(model::to_json(*client),
                         [&](std::ostream& out) { print_client(out, *client); });
  });
}

int list_clients(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto clients = store.clients().list();
    if (!clients) return store_error(output, clients.error(), "clients");
    nlohmann::json json = nlohmann::json::array();
    for (const auto& c : *clients) json.push_back(model::to_json(c));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& c : *clients) {
        out << c.client_id << "  " << model::to_string(c.app_type) << "  " << c.name << '\n';
      }
    });
  });
}

int get_client(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto client = store.clients().find(id);
    if (!client) return store_error(output, client.error(), "client " + id);
    return output.result(model::to_json(*client),
                         [&](std::ostream& out) { print_client(out, *client); });
  });
}

int delete_client(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    if (auto r = store.clients().remove(id); !r) {
      return store_error(output, r.error(), "client " + id);
    }
    return output.result({{"deleted", id}},
                         [&](std::ostream& out) { out << "deleted client " << id << '\n'; });
  });
}

void add_create_client_command(CLI::App& clients, Context& context) {
  auto args = std::make_shared<CreateClientArgs>();
  auto* create = clients.add_subcommand("create", "Register a client; prints its secret once");
  create->add_option("--name", args->name, "Display name")->required();
  create->add_option("--type", args->type, "regular_web | spa | native | non_interactive");
  create->add_option("--callback", args->callbacks, "Allowed callback URL (repeatable)");
  create->add_option("--logout-url", args->logout_urls, "Allowed logout URL (repeatable)");
  create->add_flag("--first-party", args->first_party, "Mark as a first-party client");
  create
      ->add_option("--grant-types", args->grant_types,
                   "Grant types, comma-separated (default: the type's)")
      ->delimiter(',');
  // Every alg latchkey signs with (docs/decisions.md 21). Never "none": latchkey issues no
  // unsigned token. Never HS256: it would be keyed with the client secret, of which latchkey
  // keeps only the digest.
  create
      ->add_option("--id-token-alg", args->id_token_alg,
                   "ID token signing alg: RS256 (default) | PS256 | ES256 | EdDSA")
      ->check(CLI::IsMember(jose::algorithm_names()));
  create->callback([&context, args] {
    context.action = [&context, args](Output& o) { return create_client(context, o, *args); };
  });
}

void add_update_client_command(CLI::App& clients, Context& context) {
  auto args = std::make_shared<UpdateClientArgs>();
  auto* update = clients.add_subcommand("update", "Change a client's settings");
  update->add_option("id", args->id, "Client id")->required();
  update
      ->add_option("--id-token-alg", args->id_token_alg,
                   "ID token signing alg: RS256 | PS256 | ES256 | EdDSA")
      ->check(CLI::IsMember(jose::algorithm_names()));
  update->callback([&context, args] {
    context.action = [&context, args](Output& o) { return update_client(context, o, *args); };
  });
}

}  // namespace

void add_client_commands(CLI::App& app, Context& context) {
  auto* clients = app.add_subcommand("clients", "Manage clients (applications)");
  clients->require_subcommand(1);
  add_create_client_command(*clients, context);
  clients->add_subcommand("list", "List clients")->callback([&context] {
    context.action = [&context](Output& o) { return list_clients(context, o); };
  });
  add_id_command(*clients, context, "get", "Show a client", get_client);
  add_update_client_command(*clients, context);
  add_id_command(*clients, context, "delete", "Delete a client", delete_client);
  add_id_command(*clients, context, "rotate-secret",
                 "Replace a client's secret; prints the new one once", rotate_secret);
}

}  // namespace latchkey::cli
