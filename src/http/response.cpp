#include "http/response.hpp"

namespace latchkey::http {

Response Response::json(int status, const nlohmann::json& body) {
  Response response{
      status, {}, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
  response.headers.set("Content-Type", kJsonContentType);
  return response;
}

Response Response::json_text(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  response.headers.set("Content-Type", kJsonContentType);
  return response;
}

Response Response::html(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  response.headers.set("Content-Type", kHtmlContentType);
  return response;
}

Response Response::text(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  response.headers.set("Content-Type", kTextContentType);
  return response;
}

Response Response::redirect(std::string_view url, int status) {
  Response response{status, {}, {}};
  response.headers.set("Location", url);
  return response;
}

Response Response::empty(int status) { return Response{status, {}, {}}; }

Response& Response::set_header(std::string_view name, std::string_view value) {
  headers.set(name, value);
  return *this;
}

Response& Response::add_header(std::string_view name, std::string_view value) {
  headers.add(name, value);
  return *this;
}

bool Response::is_html() const {
  const auto content_type = headers.get("Content-Type");
  if (!content_type) return false;
  std::string_view media_type = content_type->substr(0, content_type->find(';'));
  while (!media_type.empty() && media_type.back() == ' ') media_type.remove_suffix(1);
  while (!media_type.empty() && media_type.front() == ' ') media_type.remove_prefix(1);
  return iequals(media_type, "text/html");
}

}  // namespace latchkey::http
