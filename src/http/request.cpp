#include "http/request.hpp"

#include <array>
#include <utility>

namespace latchkey::http {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 7> kMethods = {{
    {Method::get, "GET"},
    {Method::head, "HEAD"},
    {Method::post, "POST"},
    {Method::put, "PUT"},
    {Method::patch, "PATCH"},
    {Method::del, "DELETE"},
    {Method::options, "OPTIONS"},
}};

constexpr std::string_view kFormMediaType = "application/x-www-form-urlencoded";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Drops "scheme://authority" from an absolute-form target, leaving "/path?query" (or "").
std::optional<std::string_view> strip_absolute_form(std::string_view target) {
  if (target.starts_with('/')) return target;
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  const std::string_view rest = target.substr(scheme_end + 3);
  const std::size_t path_start = rest.find_first_of("/?");
  if (path_start == std::string_view::npos) return std::string_view("/");
  if (rest[path_start] == '?') return std::nullopt;  // keep it simple: "http://h?q" is refused
  return rest.substr(path_start);
}

}  // namespace

Method parse_method(std::string_view text) {
  for (const auto& [method, name] : kMethods) {
    if (name == text) return method;
  }
  return Method::other;
}

std::string_view method_name(Method method) {
  for (const auto& [candidate, name] : kMethods) {
    if (candidate == method) return name;
  }
  return "OTHER";
}

std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view to_string(TargetError error) {
  switch (error) {
    case TargetError::unsupported_form:
      return "unsupported request target";
    case TargetError::bad_encoding:
      return "malformed percent-encoding in request target";
  }
  return "malformed request target";
}

Result<Target, TargetError> parse_target(std::string_view target) {
  const auto origin = strip_absolute_form(target);
  if (!origin) return fail(TargetError::unsupported_form);
  const std::size_t question = origin->find('?');
  auto path = percent_decode(origin->substr(0, question));
  if (!path) return fail(TargetError::bad_encoding);
  Target out{std::move(path).value(), {}};
  if (question != std::string_view::npos) {
    auto query = parse_form(origin->substr(question + 1));
    if (!query) return fail(TargetError::bad_encoding);
    out.query = std::move(query).value();
  }
  return out;
}

Result<Params, FormError> Request::form() const {
  const auto content_type = header("Content-Type");
  if (!content_type) return fail(FormError::wrong_content_type);
  const std::string_view media_type = trim(content_type->substr(0, content_type->find(';')));
  if (!iequals(media_type, kFormMediaType)) return fail(FormError::wrong_content_type);
  auto params = parse_form(body);
  if (!params) return fail(FormError::malformed);
  return std::move(params).value();
}

}  // namespace latchkey::http
