#pragma once
// Just enough HTML form reading to drive a provider's login and consent pages: find the
// <form>s, their inputs and submit buttons, and fill them the way a user would. Tolerant of
// any input: malformed markup yields fewer or emptier forms, never a crash.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::loadgen {

struct HtmlInput {
  std::string name;
  std::string type;  ///< lower case; "text" when absent
  std::string value;
  bool checked = false;
};

/// A <button> or <input type=submit>.
struct HtmlButton {
  std::string name;
  std::string value;
  std::string label;  ///< the button's text, or the input's value
};

struct HtmlForm {
  std::string action;  ///< entity-decoded, as written (may be relative or empty)
  std::string method;  ///< "get" or "post"
  std::vector<HtmlInput> inputs;
  std::vector<HtmlButton> buttons;
};

/// Name/value pairs in document order, ready to form-encode.
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// Every <form> in `html`, in document order.
[[nodiscard]] std::vector<HtmlForm> parse_forms(std::string_view html);

/// Decodes the character references that appear in attribute values (&amp; &lt; &gt; &quot;
/// &apos; &#39; &#x27; and other numeric ones); unknown references stay as written.
[[nodiscard]] std::string decode_entities(std::string_view text);

/// The form a user would answer: the first with a password input, else the first form.
[[nodiscard]] std::optional<HtmlForm> pick_form(const std::vector<HtmlForm>& forms);

/// Fills `form` as a user would: inputs named login/username/user/email get `user`, password
/// inputs get `password`, hidden and other valued inputs keep their values, checkboxes only
/// when checked, and of several named submit buttons the accepting one (accept, allow, yes,
/// continue, ... and never deny/decline/cancel/abort) is pressed.
[[nodiscard]] FormFields fill_form(const HtmlForm& form, const std::string& user,
                                   const std::string& password);

/// Whether the form asks for a password.
[[nodiscard]] bool has_password_input(const HtmlForm& form);

/// The text of the first element marked role="alert" (or class "error"/"alert"), else of the
/// <main> element, tags stripped and whitespace collapsed, at most 200 characters; empty when
/// there is none. Used to say why a login was refused.
[[nodiscard]] std::string alert_text(std::string_view html);

}  // namespace latchkey::loadgen
