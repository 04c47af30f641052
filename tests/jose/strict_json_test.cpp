#include "jose/strict_json.hpp"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace latchkey::jose
