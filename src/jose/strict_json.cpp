#include "jose/strict_json.hpp"

#include <set>
#include <string>
#include <vector>

namespace latchkey::jose {
namespace {

/// The member names seen so far in each object that is still open, innermost last.
class DuplicateTracker {
 public:
  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
        open_.emplace_back();
        break;
      case Event::object_end:
        if (!open_.empty()) open_.pop_back();
        break;
      case Event::key:
        note_key(parsed.get_ref<const std::string&>());
        break;
      default:
        break;
    }
    return true;
  }
  [[nodiscard]] bool found_duplicate() const { return duplicate_; }

 private:
  void note_key(const std::string& name) {
    if (open_.empty()) return;
    // A set keeps the check O(log n) even for a hostile object with thousands of members.
    if (!open_.back().insert(name).second) duplicate_ = true;
  }

  std::vector<std::set<std::string, std::less<>>> open_;
  bool duplicate_ = false;
};

}  // namespace

Result<nlohmann::json, StrictJsonError> parse_json_object_strict(std::string_view text) {
  DuplicateTracker tracker;
  nlohmann::json value = nlohmann::json::parse(
      text.begin(), text.end(),
      [&tracker](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        return tracker.on_event(event, parsed);
      },
      /*allow_exceptions=*/false);
  if (value.is_discarded()) return fail(StrictJsonError::invalid);
  if (tracker.found_duplicate()) return fail(StrictJsonError::duplicate_key);
  if (!value.is_object()) return fail(StrictJsonError::not_an_object);
  return value;
}

}  // namespace latchkey::jose
