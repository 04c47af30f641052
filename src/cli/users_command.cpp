// latchkey users create|list|get|delete|block|unblock
#include <istream>
#include <ostream>

#include "cli/command.hpp"
#include "crypto/password.hpp"
#include "model/json.hpp"
#include "model/validation.hpp"

namespace latchkey::cli {
namespace {

struct CreateUserArgs {
  std::string email;
  std::string name;
  bool password_stdin = false;
};

/// The first line of stdin, without its line ending.
std::string read_password(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<model::User, std::string> build_user(const CreateUserArgs& args, std::istream& in) {
  if (auto r = model::check_email(args.email); !r) return fail(r.error());
  if (!args.name.empty()) {
    if (auto r = model::check_name(args.name); !r) return fail(r.error());
  }
  if (!args.password_stdin) return fail(std::string("--password-stdin is required"));
  const std::string password = read_password(in);
  if (auto r = model::check_password(password); !r) return fail(r.error());
  auto hash = crypto::hash_password(password);
  if (!hash) return fail(std::string("could not hash the password (out of memory)"));
  model::User user;
  user.email = model::normalize_email(args.email);
  user.name = args.name.empty() ? user.email : args.name;
  user.nickname = user.email.substr(0, user.email.find('@'));  // Auth0's default nickname
  user.password_hash = std::move(*hash);
  return user;
}

void print_user(std::ostream& out, const model::User& user) {
  out << "user_id: " << user.user_id << '\n'
      << "email:   " << user.email << '\n'
      << "name:    " << user.name << '\n'
      << "blocked: " << (user.blocked ? "yes" : "no") << '\n'
      << "logins:  " << user.logins_count << '\n';
}

int create_user(Context& context, Output& output, const CreateUserArgs& args) {
  auto user = build_user(args, output.in());
  if (!user) return output.error(user.error());
  return with_store(context, output, [&](store::Store& store) {
    user->user_id = "auth0|" + crypto::random_hex(context.random, 12);
    user->created_at = user->updated_at = context.clock.now();
    if (auto r = store.users().create(*user); !r) {
      return store_error(output, r.error(), "user " + user->email);
    }
    return output.result(model::to_json(*user), [&](std::ostream& out) { print_user(out, *user); });
  });
}

/// Finds by user_id, or by email when the argument has an '@' and no '|'.
store::StoreResult<model::User> find_user(store::Store& store, const std::string& id) {
  if (id.find('|') == std::string::npos && id.find('@') != std::string::npos) {
    return store.users().find_by_email(model::normalize_email(id));
  }
  return store.users().find(id);
}

int list_users(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto users = store.users().list();
    if (!users) return store_error(output, users.error(), "users");
    nlohmann::json json = nlohmann::json::array();
    for (const auto& user : *users) json.push_back(model::to_json(user));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& u : *users) {
        out << u.user_id << "  " << u.email << (u.blocked ? "  (blocked)" : "") << '\n';
      }
    });
  });
}

int get_user(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto user = find_user(store, id);
    if (!user) return store_error(output, user.error(), "user " + id);
    return output.result(model::to_json(*user), [&](std::ostream& out) { print_user(out, *user); });
  });
}

int delete_user(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto user = find_user(store, id);
    if (!user) return store_error(output, user.error(), "user " + id);
    if (auto r = store.users().remove(user->user_id); !r) {
      return store_error(output, r.error(), "user " + id);
    }
    return output.result({{"deleted", user->user_id}}, [&](std::ostream& out) {
      out << "deleted user " << user->user_id << '\n';
    });
  });
}

int set_blocked(Context& context, Output& output, const std::string& id, bool blocked) {
  return with_store(context, output, [&](store::Store& store) {
    auto user = find_user(store, id);
    if (!user) return store_error(output, user.error(), "user " + id);
    if (auto r = store.users().set_blocked(user->user_id, blocked); !r) {
      return store_error(output, r.error(), "user " + id);
    }
    // Unblocking also lifts brute-force blocks on the user's email, from every IP (Auth0 does).
    if (!blocked) {
      if (auto r = store.login_attempts().clear_email(user->email); !r) {
        return store_error(output, r.error(), "login attempts of " + id);
      }
    }
    user->blocked = blocked;
    return output.result(model::to_json(*user), [&](std::ostream& out) { print_user(out, *user); });
  });
}

int block_user(Context& context, Output& output, const std::string& id) {
  return set_blocked(context, output, id, true);
}

int unblock_user(Context& context, Output& output, const std::string& id) {
  return set_blocked(context, output, id, false);
}

}  // namespace

void add_user_commands(CLI::App& app, Context& context) {
  auto* users = app.add_subcommand("users", "Manage users of the database connection");
  users->require_subcommand(1);

  auto args = std::make_shared<CreateUserArgs>();
  auto* create = users->add_subcommand("create", "Create a user; the password is read from stdin");
  create->add_option("--email", args->email, "Email address")->required();
  create->add_option("--name", args->name, "Display name (default: the email)");
  create->add_flag("--password-stdin", args->password_stdin, "Read the password from stdin");
  create->callback([&context, args] {
    context.action = [&context, args](Output& o) { return create_user(context, o, *args); };
  });

  users->add_subcommand("list", "List users")->callback([&context] {
    context.action = [&context](Output& o) { return list_users(context, o); };
  });
  add_id_command(*users, context, "get", "Show a user (by user_id or email)", get_user);
  add_id_command(*users, context, "delete", "Delete a user", delete_user);
  add_id_command(*users, context, "block", "Block a user from logging in", block_user);
  add_id_command(*users, context, "unblock", "Lift a block", unblock_user);
}

}  // namespace latchkey::cli
