#include "oauth/scope.hpp"

#include <algorithm>

namespace latchkey::oauth {
namespace {

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool api_defines(const std::optional<model::ResourceServer>& api, std::string_view scope) {
  if (!api) return false;
  return std::any_of(api->scopes.begin(), api->scopes.end(),
                     [scope](const model::Scope& defined) { return defined.value == scope; });
}

}  // namespace

std::vector<std::string> split_scope(std::string_view scope) {
  std::vector<std::string> out;
  while (!scope.empty()) {
    const std::size_t space = scope.find(' ');
    const std::string_view part = scope.substr(0, space);
    scope = space == std::string_view::npos ? std::string_view() : scope.substr(space + 1);
    if (!part.empty() && !contains(out, part)) out.emplace_back(part);
  }
  return out;
}

std::string join_scope(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) {
    if (!out.empty()) out.push_back(' ');
    out += scope;
  }
  return out;
}

bool is_oidc_scope(std::string_view scope) {
  return scope == scopes::kOpenId || scope == scopes::kProfile || scope == scopes::kEmail ||
         scope == scopes::kOfflineAccess;
}

std::vector<std::string> grantable_scopes(const std::vector<std::string>& requested,
                                          const std::optional<model::ResourceServer>& api) {
  std::vector<std::string> out;
  for (const auto& scope : requested) {
    if (is_oidc_scope(scope) || api_defines(api, scope)) out.push_back(scope);
  }
  return out;
}

bool covers(const std::vector<std::string>& granted, const std::vector<std::string>& requested) {
  return std::all_of(requested.begin(), requested.end(),
                     [&granted](const std::string& scope) { return contains(granted, scope); });
}

}  // namespace latchkey::oauth
