#include "jose/strict_json.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace latchkey::jose {
namespace {

TEST(StrictJson, ParsesAnObjectWithUniqueMembers) {
  auto value = parse_json_object_strict(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->at("b").at("a"), 2);
}

TEST(StrictJson, RefusesDuplicateMembersAtAnyDepth) {
  EXPECT_EQ(parse_json_object_strict(R"({"a":1,"a":1})").error(), StrictJsonError::duplicate_key);
  EXPECT_EQ(parse_json_object_strict(R"({"x":{"a":1,"b":2,"a":3}})").error(),
            StrictJsonError::duplicate_key);
  EXPECT_EQ(parse_json_object_strict(R"({"x":[{"a":1,"a":2}]})").error(),
            StrictJsonError::duplicate_key);
  // Escapes name the same member: "\u0061" is "a".
  EXPECT_EQ(parse_json_object_strict(R"({"a":1,"\u0061":2})").error(),
            StrictJsonError::duplicate_key);
}

TEST(StrictJson, RefusesInvalidJsonWithoutThrowing) {
  for (const std::string_view text :
       {"", "{", R"({"a":})", R"({"a":1} x)", "{\"a\":\"\xff\"}", R"({'a':1})", "{\"a\":1,}"}) {
    auto value = parse_json_object_strict(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.error(), StrictJsonError::invalid) << text;
  }
}

TEST(StrictJson, RefusesTopLevelValuesThatAreNotObjects) {
  EXPECT_EQ(parse_json_object_strict("[]").error(), StrictJsonError::not_an_object);
  EXPECT_EQ(parse_json_object_strict("\"alg\"").error(), StrictJsonError::not_an_object);
  EXPECT_EQ(parse_json_object_strict("null").error(), StrictJsonError::not_an_object);
}

TEST(StrictJson, SurvivesDeepNesting) {
  const std::string deep = "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_TRUE(parse_json_object_strict(deep).ok());
}

/// What the strict parser must answer, computed the slow, obvious way: nlohmann's own parser,
/// plus a callback that notices a repeated member name in any object.
Result<nlohmann::json, StrictJsonError> reference_parse(std::string_view text) {
  std::vector<std::set<std::string>> open;
  bool duplicate = false;
  auto value = nlohmann::json::parse(
      text.begin(), text.end(),
      [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start) open.emplace_back();
        if (event == Event::object_end) open.pop_back();
        if (event == Event::key && !open.back().insert(parsed.get<std::string>()).second) {
          duplicate = true;
        }
        return true;
      },
      false);
  if (duplicate) return fail(StrictJsonError::duplicate_key);
  if (value.is_discarded()) return fail(StrictJsonError::invalid);
  if (!value.is_object()) return fail(StrictJsonError::not_an_object);
  return value;
}

void expect_same_answer(std::string_view text) {
  auto ours = parse_json_object_strict(text);
  auto reference = reference_parse(text);
  ASSERT_EQ(ours.ok(), reference.ok()) << text;
  if (ours.ok()) {
    EXPECT_EQ(*ours, *reference) << text;
  } else {
    EXPECT_EQ(ours.error(), reference.error()) << text;
  }
}

TEST(StrictJson, AgreesWithTheFullParserOnHeaderShapedText) {
  for (const std::string_view text : {R"({"alg":"RS256","kid":"k1","typ":"at+jwt"})",
                                      " { \"alg\" : \"ES256\" } ",
                                      "{}",
                                      R"({"":""})",
                                      R"({"alg":"ES256",})",
                                      R"({"alg":"ES256"} )",
                                      R"({"alg":"ES256"}})",
                                      R"({"alg":"ES256","alg":"RS256"})",
                                      R"({"alg":"E\u0053256"})",
                                      "{\"alg\":\"caf\xc3\xa9\"}",
                                      "{\"alg\":\"caf\xc3\"}",
                                      R"({"alg":"ES256","b64":false})",
                                      R"({"crit":["exp"],"exp":1})",
                                      R"({"alg":"ES256" "kid":"x"})",
                                      R"({"alg":"ES256";"kid":"x"})",
                                      "{\"a\":\"\x7f\"}",
                                      "{\"a\":\"\x01\"}",
                                      R"({"a":"x\"})",
                                      R"({"a":"x)",
                                      R"({"a")",
                                      R"({"a":)",
                                      "{",
                                      "",
                                      R"(["alg"])",
                                      R"({"a":"x","a":{"b":1}})",
                                      "{\"a\":\"x\"}\n",
                                      "{\"a\"\t:\r\"x\"}"}) {
    expect_same_answer(text);
  }
}

TEST(StrictJson, AgreesWithTheFullParserOnMutatedHeaders) {
  const std::string base = R"({"alg":"RS256","kid":"kPrK_qmxVWaYVA9w","typ":"at+jwt"})";
  const std::string alphabet = "{}[]\":,\\ \t\nauk0-9e.tfn\x01\x7f\xc3\xa9";
  std::mt19937 random(20240611);  // fixed seed: the same corpus every run
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
      if (text.empty()) text = "{";
    }
    expect_same_answer(text);
  }
}

}  // namespace
}  // namespace latchkey::jose
