// latchkey apis create|list|get|delete
#include <ostream>

#include "cli/command.hpp"
#include "jose/algorithm.hpp"
#include "model/json.hpp"
#include "model/validation.hpp"

namespace latchkey::cli {
namespace {

constexpr std::int64_t kMaxTokenLifetime = 2592000;  // 30 days, Auth0's maximum

struct CreateApiArgs {
  std::string identifier;
  std::string name;
  std::vector<std::string> scopes;  // VALUE=DESCRIPTION
  bool allow_offline_access = false;
  bool skip_consent_first_party = false;
  std::int64_t token_lifetime = 86400;
  std::string signing_alg = "RS256";
};

Result<model::Scope, std::string> parse_scope(const std::string& text) {
  const auto eq = text.find('=');
  model::Scope scope{text.substr(0, eq), eq == std::string::npos ? "" : text.substr(eq + 1)};
  if (auto r = model::check_scope_token(scope.value); !r) return fail(r.error());
  return scope;
}

Result<model::ResourceServer, std::string> build_api(const CreateApiArgs& args) {
  if (auto r = model::check_api_identifier(args.identifier); !r) return fail(r.error());
  if (auto r = model::check_name(args.name); !r) return fail(r.error());
  if (args.token_lifetime < 1 || args.token_lifetime > kMaxTokenLifetime) {
    return fail(std::string("--token-lifetime must be 1 to 2592000 seconds"));
  }
  model::ResourceServer api;
  api.identifier = args.identifier;
  api.name = args.name;
  api.signing_alg = args.signing_alg;
  api.token_lifetime_seconds = args.token_lifetime;
  api.allow_offline_access = args.allow_offline_access;
  api.skip_consent_for_verifiable_first_party_clients = args.skip_consent_first_party;
  for (const auto& text : args.scopes) {
    auto scope = parse_scope(text);
    if (!scope) return fail(scope.error());
    for (const auto& existing : api.scopes) {
      if (existing.value == scope->value) return fail("scope given twice: " + scope->value);
    }
    api.scopes.push_back(std::move(*scope));
  }
  return api;
}

void print_api(std::ostream& out, const model::ResourceServer& api) {
  out << "id:             " << api.id << '\n'
      << "identifier:     " << api.identifier << '\n'
      << "name:           " << api.name << '\n'
      << "signing_alg:    " << api.signing_alg << '\n'
      << "token_lifetime: " << api.token_lifetime_seconds << '\n'
      << "offline access: " << (api.allow_offline_access ? "allowed" : "not allowed") << '\n';
  for (const auto& scope : api.scopes) {
    out << "scope:          " << scope.value << "  " << scope.description << '\n';
  }
}

int create_api(Context& context, Output& output, const CreateApiArgs& args) {
  auto api = build_api(args);
  if (!api) return output.error(api.error());
  return with_store(context, output, [&](store::Store& store) {
    api->id = crypto::random_hex(context.random, 12);
    api->created_at = context.clock.now();
    if (auto r = store.resource_servers().create(*api); !r) {
      return store_error(output, r.error(), "API " + api->identifier);
    }
    return output.result(model::to_json(*api), [&](std::ostream& out) { print_api(out, *api); });
  });
}

int list_apis(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto apis = store.resource_servers().list();
    if (!apis) return store_error(output, apis.error(), "APIs");
    nlohmann::json json = nlohmann::json::array();
    for (const auto& api : *apis) json.push_back(model::to_json(api));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& api : *apis)
        out << api.id << "  " << api.identifier << "  " << api.name << '\n';
    });
  });
}

int get_api(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto api = store.resource_servers().find(id);
    if (!api) return store_error(output, api.error(), "API " + id);
    return output.result(model::to_json(*api), [&](std::ostream& out) { print_api(out, *api); });
  });
}

int delete_api(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    if (auto r = store.resource_servers().remove(id); !r) {
      return store_error(output, r.error(), "API " + id);
    }
    return output.result({{"deleted", id}},
                         [&](std::ostream& out) { out << "deleted API " << id << '\n'; });
  });
}

}  // namespace

void add_api_commands(CLI::App& app, Context& context) {
  auto* apis = app.add_subcommand("apis", "Manage APIs (resource servers)");
  apis->require_subcommand(1);

  auto args = std::make_shared<CreateApiArgs>();
  auto* create = apis->add_subcommand("create", "Register an API");
  create->add_option("--identifier", args->identifier, "The audience, e.g. https://api.example.com")
      ->required();
  create->add_option("--name", args->name, "Display name")->required();
  create->add_option("--scope", args->scopes, "VALUE=DESCRIPTION (repeatable)");
  create->add_flag("--allow-offline-access", args->allow_offline_access,
                   "Issue refresh tokens for offline_access");
  create->add_flag("--skip-consent-first-party", args->skip_consent_first_party,
                   "Skip consent for verifiable first-party clients");
  create->add_option("--token-lifetime", args->token_lifetime, "Access token lifetime in seconds");
  create->add_option("--signing-alg", args->signing_alg, "RS256 | PS256 | ES256 | EdDSA")
      ->check(CLI::IsMember(jose::algorithm_names()));
  create->callback([&context, args] {
    context.action = [&context, args](Output& o) { return create_api(context, o, *args); };
  });

  apis->add_subcommand("list", "List APIs")->callback([&context] {
    context.action = [&context](Output& o) { return list_apis(context, o); };
  });
  add_id_command(*apis, context, "get", "Show an API (by id or identifier)", get_api);
  add_id_command(*apis, context, "delete", "Delete an API (by id or identifier)", delete_api);
}

}  // namespace latchkey::cli
