#include "html_form.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace latchkey::loadgen {
namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// One start tag: its lower-case name, attributes, and where it ends in the text.
struct Tag {
  std::string name;
  Attributes attributes;
  std::size_t end = 0;  // one past '>'
};

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::size_t skip_spaces(std::string_view text, std::size_t i) {
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

std::string read_name(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && !is_space(text[i]) && text[i] != '=' && text[i] != '>' &&
         text[i] != '/') {
    ++i;
  }
  return to_lower(text.substr(start, i - start));
}

std::string read_value(std::string_view text, std::size_t& i) {
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
    const char quote = text[i];
    const auto close = text.find(quote, i + 1);
    const auto end = close == std::string_view::npos ? text.size() : close;
    std::string value = decode_entities(text.substr(i + 1, end - i - 1));
    i = end == text.size() ? end : end + 1;
    return value;
  }
  const std::size_t start = i;
  while (i < text.size() && !is_space(text[i]) && text[i] != '>') ++i;
  return decode_entities(text.substr(start, i - start));
}

// Reads the start tag whose '<' is at `open`; nullopt for end tags, comments and junk.
std::optional<Tag> read_tag(std::string_view html, std::size_t open) {
  std::size_t i = open + 1;
  if (i >= html.size() || std::isalpha(static_cast<unsigned char>(html[i])) == 0) {
    return std::nullopt;
  }
  Tag tag;
  tag.name = read_name(html, i);
  while (true) {
    i = skip_spaces(html, i);
    if (i >= html.size()) return std::nullopt;
    if (html[i] == '>') break;
    if (html[i] == '/') {
      ++i;
      continue;
    }
    std::string name = read_name(html, i);
    if (name.empty()) {  // a stray '=': skip it so the loop always advances
      ++i;
      continue;
    }
    i = skip_spaces(html, i);
    std::string value;
    if (i < html.size() && html[i] == '=') {
      i = skip_spaces(html, i + 1);
      value = read_value(html, i);
    }
    tag.attributes.emplace_back(std::move(name), std::move(value));
  }
  tag.end = i + 1;
  return tag;
}

std::optional<std::string> attribute(const Tag& tag, std::string_view name) {
  for (const auto& [key, value] : tag.attributes) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// Whether the tag starting at html[i] ('<') is an inline one (<strong>, </a>...), which does
// not separate words the way a block (<p>, <h1>, <br>) does.
bool is_inline_tag(std::string_view html, std::size_t i) {
  std::size_t start = i + 1;
  if (start < html.size() && html[start] == '/') ++start;
  std::size_t end = start;
  while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end])) != 0) ++end;
  const std::string name = to_lower(html.substr(start, end - start));
  for (const std::string_view inline_name : {"a", "b", "i", "em", "strong", "span", "code"}) {
    if (name == inline_name) return true;
  }
  return false;
}

std::string strip_tags(std::string_view html) {
  std::string text;
  bool in_tag = false;
  bool space = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '<') {
      in_tag = true;
      space = space || (!text.empty() && !is_inline_tag(html, i));
    }
    if (!in_tag) {
      if (is_space(c)) {
        space = !text.empty();
      } else {
        if (space) text += ' ';
        space = false;
        text += c;
      }
    }
    if (c == '>') in_tag = false;
  }
  return decode_entities(text);
}

void add_control(HtmlForm& form, const Tag& tag, std::string_view html, std::string_view lowered) {
  const std::string type = to_lower(
      attribute(tag, "type")
          .value_or(tag.name == "button" ? "submit" : (tag.name == "select" ? "select" : "text")));
  const std::string name = attribute(tag, "name").value_or("");
  const std::string value = attribute(tag, "value").value_or("");
  if (tag.name == "button") {
    if (type != "submit") return;
    const auto close = lowered.find("</button", tag.end);
    const auto label = html.substr(tag.end, std::min(close, html.size()) - tag.end);
    form.buttons.push_back({name, value, strip_tags(label)});
    return;
  }
  if (type == "submit" || type == "image") {
    form.buttons.push_back({name, value, value});
    return;
  }
  if (name.empty()) return;
  form.inputs.push_back({name, type, value, attribute(tag, "checked").has_value()});
}

HtmlForm read_form(const Tag& form_tag, std::string_view html, std::string_view lowered,
                   std::size_t body_end) {
  HtmlForm form;
  form.action = attribute(form_tag, "action").value_or("");
  form.method = to_lower(attribute(form_tag, "method").value_or("get"));
  for (std::size_t i = lowered.find('<', form_tag.end); i < body_end;
       i = lowered.find('<', i + 1)) {
    const auto tag = read_tag(html.substr(0, body_end), i);
    if (!tag) continue;
    if (tag->name == "input" || tag->name == "button") add_control(form, *tag, html, lowered);
    i = tag->end - 1;
  }
  return form;
}

bool contains_any(const std::string& text, std::initializer_list<std::string_view> words) {
  const std::string lowered = to_lower(text);
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
    return lowered.find(word) != std::string::npos;
  });
}

bool is_refusing(const HtmlButton& b) {
  return contains_any(b.name + " " + b.value + " " + b.label,
                      {"deny", "decline", "cancel", "abort", "reject", "refuse"});
}

bool is_accepting(const HtmlButton& b) {
  return !is_refusing(b) && contains_any(b.value + " " + b.label + " " + b.name,
                                         {"accept", "allow", "authorize", "approve", "confirm",
                                          "continue", "yes", "consent", "grant", "sign"});
}

const HtmlButton* pick_button(const std::vector<HtmlButton>& buttons) {
  const auto accepting = std::find_if(buttons.begin(), buttons.end(), is_accepting);
  if (accepting != buttons.end()) return &*accepting;
  const auto harmless = std::find_if(buttons.begin(), buttons.end(),
                                     [](const HtmlButton& b) { return !is_refusing(b); });
  return harmless == buttons.end() ? nullptr : &*harmless;
}

bool is_login_name(const std::string& name) {
  const std::string n = to_lower(name);
  return n == "login" || n == "username" || n == "user" || n == "email";
}

std::optional<std::uint32_t> parse_reference(std::string_view ref) {
  std::uint32_t code = 0;
  const bool hex = ref.size() > 1 && (ref[0] == 'x' || ref[0] == 'X');
  const auto digits = hex ? ref.substr(1) : ref;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
  if (error != std::errc() || end != digits.data() + digits.size() || code == 0 ||
      code > 0x10FFFF) {
    return std::nullopt;
  }
  return code;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<std::string> named_reference(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNamed{{
      {"amp", "&"},
      {"lt", "<"},
      {"gt", ">"},
      {"quot", "\""},
      {"apos", "'"},
      {"nbsp", " "},
  }};
  for (const auto& [key, value] : kNamed) {
    if (key == name) return std::string(value);
  }
  return std::nullopt;
}

}  // namespace

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto semicolon = text.find(';', i);
    if (text[i] != '&' || semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i];
      continue;
    }
    const auto ref = text.substr(i + 1, semicolon - i - 1);
    if (!ref.empty() && ref[0] == '#') {
      if (const auto code = parse_reference(ref.substr(1))) {
        append_utf8(out, *code);
        i = semicolon;
        continue;
      }
    } else if (const auto named = named_reference(ref)) {
      out += *named;
      i = semicolon;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::vector<HtmlForm> parse_forms(std::string_view html) {
  const std::string lowered = to_lower(html);
  std::vector<HtmlForm> forms;
  for (std::size_t i = lowered.find("<form"); i != std::string::npos;
       i = lowered.find("<form", i + 1)) {
    const auto tag = read_tag(html, i);
    if (!tag || tag->name != "form") continue;
    const auto close = lowered.find("</form", tag->end);
    const std::size_t body_end = close == std::string::npos ? html.size() : close;
    forms.push_back(read_form(*tag, html, lowered, body_end));
    i = body_end;
  }
  return forms;
}

bool has_password_input(const HtmlForm& form) {
  return std::any_of(form.inputs.begin(), form.inputs.end(),
                     [](const HtmlInput& input) { return input.type == "password"; });
}

std::optional<HtmlForm> pick_form(const std::vector<HtmlForm>& forms) {
  const auto login = std::find_if(forms.begin(), forms.end(), has_password_input);
  if (login != forms.end()) return *login;
  if (forms.empty()) return std::nullopt;
  return forms.front();
}

FormFields fill_form(const HtmlForm& form, const std::string& user, const std::string& password) {
  FormFields fields;
  for (const auto& input : form.inputs) {
    if (input.type == "password") {
      fields.emplace_back(input.name, password);
    } else if ((input.type == "text" || input.type == "email") && is_login_name(input.name)) {
      fields.emplace_back(input.name, user);
    } else if (input.type == "checkbox" || input.type == "radio") {
      if (input.checked) fields.emplace_back(input.name, input.value.empty() ? "on" : input.value);
    } else {
      fields.emplace_back(input.name, input.value);
    }
  }
  if (const auto* button = pick_button(form.buttons); button != nullptr && !button->name.empty()) {
    fields.emplace_back(button->name, button->value);
  }
  return fields;
}

std::string alert_text(std::string_view html) {
  const std::string lowered = to_lower(html);
  for (const std::string_view marker :
       {"role=\"alert\"", "class=\"alert", "class=\"error", "class=\"err", "<main"}) {
    const auto at = lowered.find(marker);
    if (at == std::string::npos) continue;
    const auto open = lowered.rfind('<', at);
    const auto start = lowered.find('>', at);
    if (open == std::string::npos || start == std::string::npos) continue;
    const auto tag = read_tag(html, open);
    const auto close = tag ? lowered.find("</" + tag->name, start) : std::string::npos;
    const auto end = close == std::string::npos ? html.size() : close;
    std::string text = strip_tags(html.substr(start + 1, end - start - 1));
    if (text.size() > 200) text.resize(200);
    if (!text.empty()) return text;
  }
  return "";
}

}  // namespace latchkey::loadgen
