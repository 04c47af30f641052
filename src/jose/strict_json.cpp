#include "jose/strict_json.hpp"

#include <string>
#include <utility>
#include <vector>

namespace latchkey::jose {
namespace {

using nlohmann::json;

/// A SAX handler that builds the document itself, so it can stop at the first repeated member
/// name: the object under construction already holds every name seen so far.
class StrictDomBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  bool null() { return place(json(nullptr)); }
  bool boolean(bool value) { return place(json(value)); }
  bool number_integer(number_integer_t value) { return place(json(value)); }
  bool number_unsigned(number_unsigned_t value) { return place(json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return place(json(value)); }
  bool string(string_t& value) { return place(json(std::move(value))); }
  bool binary(binary_t& value) { return place(json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) { return open(json::object()); }
  bool start_array(std::size_t /*size*/) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& name) {
    auto& members = open_.back()->get_ref<json::object_t&>();
    auto [slot, inserted] = members.try_emplace(std::move(name));
    if (!inserted) {
      duplicate_ = true;
      return false;  // stops the parse
    }
    member_ = &slot->second;
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) {
    return false;
  }

  [[nodiscard]] bool found_duplicate() const { return duplicate_; }
  [[nodiscard]] json take() { return std::move(root_); }

 private:
  /// Stores a complete value where the parser is: the root, the next array element, or the
  /// member whose key was just read. Returns where it went.
  json* put(json&& value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& container = *open_.back();
    if (container.is_array()) {
      auto& elements = container.get_ref<json::array_t&>();
      elements.push_back(std::move(value));
      return &elements.back();
    }
    *member_ = std::move(value);
    return member_;
  }
  bool place(json&& value) {
    put(std::move(value));
    return true;
  }
  // Pointers on open_ stay valid: a container only grows while it is the innermost open one.
  bool open(json&& container) {
    open_.push_back(put(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  json root_;
  std::vector<json*> open_;
  json* member_ = nullptr;
  bool duplicate_ = false;
};

/// Reads flat objects whose members are all plain strings, the shape of nearly every JOSE
/// header, without nlohmann's character-by-character lexer. It accepts only text whose meaning is
/// unambiguous (ASCII, no escapes, no control characters, nothing but strings as values) and
/// gives up on anything else, which the full parser then handles: for what it accepts, the
/// result is the one the full parser gives.
class FlatObjectScanner {
 public:
  enum class Outcome { parsed, duplicate, give_up };

  explicit FlatObjectScanner(std::string_view text) : text_(text) {}

  Outcome scan(json& out) {
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_space();
    if (!take('{')) return Outcome::give_up;
    skip_space();
    if (take('}')) return finished();
    while (true) {
      std::string_view name;
      std::string_view value;
      if (!read_string(name) || !(skip_space(), take(':')) || !(skip_space(), read_string(value))) {
        return Outcome::give_up;
      }
      if (!members.try_emplace(std::string(name), std::string(value)).second) {
        return Outcome::duplicate;
      }
      skip_space();
      if (take('}')) return finished();
      if (!take(',')) return Outcome::give_up;
      skip_space();
    }
  }

 private:
  Outcome finished() {
    skip_space();
    return at_ == text_.size() ? Outcome::parsed : Outcome::give_up;
  }
  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool take(char c) {
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  /// A string of printable ASCII without escapes; anything else is left to the full parser.
  bool read_string(std::string_view& out) {
    if (!take('"')) return false;
    const std::size_t start = at_;
    while (at_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') {
        out = text_.substr(start, at_ - start);
        ++at_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x7f) return false;
      ++at_;
    }
    return false;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

Result<nlohmann::json, StrictJsonError> parse_json_object_strict(std::string_view text) {
  json flat;
  switch (FlatObjectScanner(text).scan(flat)) {
    case FlatObjectScanner::Outcome::parsed:
      return flat;
    case FlatObjectScanner::Outcome::duplicate:
      return fail(StrictJsonError::duplicate_key);
    case FlatObjectScanner::Outcome::give_up:
      break;
  }
  StrictDomBuilder builder;
  const bool parsed = json::sax_parse(text.begin(), text.end(), &builder,
                                      json::input_format_t::json, /*strict=*/true);
  if (builder.found_duplicate()) return fail(StrictJsonError::duplicate_key);
  if (!parsed) return fail(StrictJsonError::invalid);
  json value = builder.take();
  if (!value.is_object()) return fail(StrictJsonError::not_an_object);
  return value;
}

}  // namespace latchkey::jose
