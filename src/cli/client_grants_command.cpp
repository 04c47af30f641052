// latchkey client-grants create|list|get|update|delete: Auth0's client grants, which let a client
// get access tokens for an API through client_credentials (RFC 6749 §4.4), with at most the
// scopes listed.
#include <algorithm>
#include <ostream>
#include <sstream>

#include "cli/command.hpp"
#include "model/json.hpp"
#include "model/validation.hpp"

namespace latchkey::cli {
namespace {

struct CreateClientGrantArgs {
  std::string client_id;
  std::string audience;
  std::vector<std::string> scopes;  // each may hold several, space-separated
};

struct ListClientGrantsArgs {
  std::string client_id;
  std::string audience;
};

struct UpdateClientGrantArgs {
  std::string id;
  std::vector<std::string> scopes;
};

// "--scope 'a b' --scope c" -> a, b, c; duplicates are dropped and order is kept.
std::vector<std::string> split_scopes(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::istringstream words(value);
    std::string word;
    while (words >> word) {
      if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
    }
  }
  return out;
}

// Every scope must be one the API defines, as Auth0 checks it.
Result<std::vector<std::string>, std::string> check_scopes(const std::vector<std::string>& values,
                                                           const model::ResourceServer& api) {
  auto scopes = split_scopes(values);
  for (const auto& scope : scopes) {
    if (auto r = model::check_scope_token(scope); !r) return fail(r.error());
    const bool defined = std::any_of(api.scopes.begin(), api.scopes.end(),
                                     [&](const model::Scope& s) { return s.value == scope; });
    if (!defined) return fail("scope " + scope + " is not defined by API " + api.identifier);
  }
  return scopes;
}

void print_grant(std::ostream& out, const model::ClientGrant& grant) {
  out << grant.id << "  " << grant.client_id << "  " << grant.audience << " ";
  for (const auto& scope : grant.scopes) out << ' ' << scope;
  out << '\n';
}

Result<model::ClientGrant, std::string> build_grant(Context& context, store::Store& store,
                                                    const CreateClientGrantArgs& args) {
  auto client = store.clients().find(args.client_id);
  if (!client) return fail("client " + args.client_id + " not found");
  auto api = store.resource_servers().find(args.audience);
  if (!api) return fail("API " + args.audience + " not found");
  auto scopes = check_scopes(args.scopes, *api);
  if (!scopes) return fail(scopes.error());
  model::ClientGrant grant;
  grant.id = "cgr_" + crypto::random_hex(context.random, 8);
  grant.client_id = client->client_id;
  grant.audience = api->identifier;
  grant.scopes = std::move(*scopes);
  grant.created_at = context.clock.now();
  return grant;
}

int create_grant(Context& context, Output& output, const CreateClientGrantArgs& args) {
  return with_store(context, output, [&](store::Store& store) {
    auto grant = build_grant(context, store, args);
    if (!grant) return output.error(grant.error());
    if (auto r = store.client_grants().create(*grant); !r) {
      return store_error(output, r.error(),
                         "client grant for " + grant->client_id + " and " + grant->audience);
    }
    return output.result(model::to_json(*grant),
                         [&](std::ostream& out) { print_grant(out, *grant); });
  });
}

int list_grants(Context& context, Output& output, const ListClientGrantsArgs& args) {
  return with_store(context, output, [&](store::Store& store) {
    auto grants = store.client_grants().list();
    if (!grants) return store_error(output, grants.error(), "client grants");
    std::erase_if(*grants, [&](const model::ClientGrant& grant) {
      return (!args.client_id.empty() && grant.client_id != args.client_id) ||
             (!args.audience.empty() && grant.audience != args.audience);
    });
    nlohmann::json json = nlohmann::json::array();
    for (const auto& grant : *grants) json.push_back(model::to_json(grant));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& grant : *grants) print_grant(out, grant);
    });
  });
}

int get_grant(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto grant = store.client_grants().find(id);
    if (!grant) return store_error(output, grant.error(), "client grant " + id);
    return output.result(model::to_json(*grant),
                         [&](std::ostream& out) { print_grant(out, *grant); });
  });
}

int update_grant(Context& context, Output& output, const UpdateClientGrantArgs& args) {
  return with_store(context, output, [&](store::Store& store) {
    auto grant = store.client_grants().find(args.id);
    if (!grant) return store_error(output, grant.error(), "client grant " + args.id);
    auto api = store.resource_servers().find(grant->audience);
    if (!api) return store_error(output, api.error(), "API " + grant->audience);
    auto scopes = check_scopes(args.scopes, *api);
    if (!scopes) return output.error(scopes.error());
    if (auto r = store.client_grants().set_scopes(args.id, *scopes); !r) {
      return store_error(output, r.error(), "client grant " + args.id);
    }
    grant->scopes = std::move(*scopes);
    return output.result(model::to_json(*grant),
                         [&](std::ostream& out) { print_grant(out, *grant); });
  });
}

int delete_grant(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    if (auto r = store.client_grants().remove(id); !r) {
      return store_error(output, r.error(), "client grant " + id);
    }
    return output.result({{"deleted", id}},
                         [&](std::ostream& out) { out << "deleted client grant " << id << '\n'; });
  });
}

void add_create_command(CLI::App& grants, Context& context) {
  auto args = std::make_shared<CreateClientGrantArgs>();
  auto* create = grants.add_subcommand("create", "Let a client call an API (client_credentials)");
  create->add_option("--client-id", args->client_id, "The client")->required();
  create->add_option("--audience", args->audience, "The API's identifier")->required();
  create->add_option("--scope", args->scopes, "Scopes the client may get (space-separated)");
  create->callback([&context, args] {
    context.action = [&context, args](Output& o) { return create_grant(context, o, *args); };
  });
}

void add_list_command(CLI::App& grants, Context& context) {
  auto args = std::make_shared<ListClientGrantsArgs>();
  auto* list = grants.add_subcommand("list", "List client grants");
  list->add_option("--client-id", args->client_id, "Only this client's grants");
  list->add_option("--audience", args->audience, "Only grants for this API");
  list->callback([&context, args] {
    context.action = [&context, args](Output& o) { return list_grants(context, o, *args); };
  });
}

void add_update_command(CLI::App& grants, Context& context) {
  auto args = std::make_shared<UpdateClientGrantArgs>();
  auto* update = grants.add_subcommand("update", "Replace a client grant's scopes");
  update->add_option("id", args->id, "Client grant id")->required();
  update->add_option("--scope", args->scopes, "The new scopes (space-separated; none: empty)");
  update->callback([&context, args] {
    context.action = [&context, args](Output& o) { return update_grant(context, o, *args); };
  });
}

}  // namespace

void add_client_grant_commands(CLI::App& app, Context& context) {
  auto* grants = app.add_subcommand("client-grants", "Manage client grants (machine-to-machine)");
  grants->require_subcommand(1);
  add_create_command(*grants, context);
  add_list_command(*grants, context);
  add_id_command(*grants, context, "get", "Show a client grant", get_grant);
  add_update_command(*grants, context);
  add_id_command(*grants, context, "delete", "Delete a client grant", delete_grant);
}

}  // namespace latchkey::cli
