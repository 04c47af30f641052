#include "support/browser.hpp"

#include <strings.h>

#include <cstring>
#include <regex>

namespace latchkey::testing {
namespace {

std::string html_unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"},
      {"&#x2F;", "/"},  {"&#47;", "/"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;) {
      s.replace(pos, std::strlen(from), to);
      pos += std::strlen(to);
    }
  }
  return s;
}

std::optional<std::string> attribute(const std::string& tag, const std::string& name) {
  const std::regex re("\\s" + name + "\\s*=\\s*\"([^\"]*)\"", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(tag, m, re)) return std::nullopt;
  return html_unescape(m[1].str());
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<HtmlForm> find_form(const std::string& html, const std::string& action_contains) {
  const std::regex form_re("<form\\b([^>]*)>([\\s\\S]*?)</form>", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), form_re);
       it != std::sregex_iterator(); ++it) {
    HtmlForm form;
    form.action = attribute((*it)[1].str(), "action").value_or("");
    if (!action_contains.empty() && form.action.find(action_contains) == std::string::npos) {
      continue;
    }
    const std::string body = (*it)[2].str();
    const std::regex input_re("<(input|button)\\b([^>]*)>", std::regex::icase);
    for (auto in = std::sregex_iterator(body.begin(), body.end(), input_re);
         in != std::sregex_iterator(); ++in) {
      const std::string tag = (*in)[2].str();
      const auto name = attribute(tag, "name");
      const auto value = attribute(tag, "value");
      if (name && value && (*in)[1].str() != "button") form.fields[*name] = *value;
    }
    return form;
  }
  return std::nullopt;
}

std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> query_param(const std::string& url, const std::string& name) {
  const auto q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string query = url.substr(q + 1);
  if (const auto hash = query.find('#'); hash != std::string::npos) query.resize(hash);
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto amp = query.find('&', start);
    const std::string pair = query.substr(start, amp == std::string::npos ? amp : amp - start);
    const auto eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) == name) {
      return eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return std::nullopt;
}

std::string form_body(const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += url_encode(name) + "=" + url_encode(value);
  }
  return body;
}

std::string Browser::path_of(const std::string& target) const {
  const std::string prefix = "http://127.0.0.1:" + std::to_string(port_);
  return target.rfind(prefix, 0) == 0 ? target.substr(prefix.size()) : target;
}

std::string Browser::cookie_header() const {
  std::string header;
  for (const auto& [name, value] : cookies_) {
    header += (header.empty() ? "" : "; ") + name + "=" + value;
  }
  return header;
}

std::optional<RawResponse> Browser::send(const std::string& request) {
  auto response = testing::exchange(port_, request, std::chrono::seconds(5), source_);
  if (!response) return response;
  for (const auto& [name, value] : response->headers) {
    if (name.size() != 10 || strncasecmp(name.c_str(), "set-cookie", 10) != 0) continue;
    const auto eq = value.find('=');
    const auto semi = value.find(';');
    const std::string cookie_name = value.substr(0, eq);
    const std::string cookie_value =
        value.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
    const bool deleted = value.find("Max-Age=0") != std::string::npos || cookie_value.empty();
    if (deleted) {
      cookies_.erase(cookie_name);
    } else {
      cookies_[cookie_name] = cookie_value;
    }
  }
  return response;
}

std::optional<RawResponse> Browser::get(const std::string& target,
                                        const std::vector<std::string>& headers) {
  std::vector<std::string> all = headers;
  if (!cookies_.empty()) all.push_back("Cookie: " + cookie_header());
  return send(make_request("GET", path_of(target), all));
}

std::optional<RawResponse> Browser::post_form(const std::string& target,
                                              const std::map<std::string, std::string>& fields,
                                              const std::vector<std::string>& headers) {
  std::vector<std::string> all = headers;
  all.push_back("Content-Type: application/x-www-form-urlencoded");
  if (!cookies_.empty()) all.push_back("Cookie: " + cookie_header());
  return send(make_request("POST", path_of(target), all, form_body(fields)));
}

std::optional<std::string> Browser::cookie(const std::string& name) const {
  const auto it = cookies_.find(name);
  if (it == cookies_.end()) return std::nullopt;
  return it->second;
}

}  // namespace latchkey::testing
