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

}  // namespace

Result<nlohmann::json, StrictJsonError> parse_json_object_strict(std::string_view text) {
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
