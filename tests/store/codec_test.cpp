#include "store/codec.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace latchkey::store {
namespace {

TEST(StoreCodec, UnixMillisecondsRoundTripAndRoundTowardThePast) {
  const TimePoint t =
      TimePoint(std::chrono::milliseconds(1'704'067'200'123)) + std::chrono::microseconds(999);
  EXPECT_EQ(to_unix_ms(t), 1'704'067'200'123);
  EXPECT_EQ(from_unix_ms(1'704'067'200'123),
            TimePoint(std::chrono::milliseconds(1'704'067'200'123)));
  EXPECT_EQ(to_unix_ms(TimePoint(std::chrono::microseconds(-1))), -1);
}

TEST(StoreCodec, OutOfRangeMillisecondsAreClampedNotOverflowed) {
  EXPECT_EQ(from_unix_ms(INT64_MAX), from_unix_ms(to_unix_ms(TimePoint::max())));
  EXPECT_LT(from_unix_ms(INT64_MIN), TimePoint{});
}

TEST(StoreCodec, StringListsRoundTripAndRejectOtherShapes) {
  const std::vector<std::string> values = {"a", "", "ünï \"q\""};
  EXPECT_EQ(decode_strings(encode_strings(values)), values);
  EXPECT_EQ(decode_strings("[]"), std::vector<std::string>{});
  EXPECT_FALSE(decode_strings("[1]").has_value());
  EXPECT_FALSE(decode_strings("{}").has_value());
  EXPECT_FALSE(decode_strings("[\"a\"").has_value());
  EXPECT_FALSE(decode_strings("").has_value());
}

TEST(StoreCodec, ScopesRoundTripAndRejectMissingMembers) {
  const std::vector<model::Scope> scopes = {{"read:x", "Read x"}, {"write:x", ""}};
  const auto decoded = decode_scopes(encode_scopes(scopes));
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->size(), 2U);
  EXPECT_EQ((*decoded)[1].value, "write:x");
  EXPECT_EQ((*decoded)[0].description, "Read x");
  EXPECT_FALSE(decode_scopes(R"([{"value":"a"}])").has_value());
  EXPECT_FALSE(decode_scopes(R"([{"value":1,"description":"d"}])").has_value());
  EXPECT_FALSE(decode_scopes(R"(["a"])").has_value());
}

TEST(StoreCodec, JsonObjectsDecodeOnlyFromObjects) {
  EXPECT_EQ(decode_json_object(R"({"a":[1,2]})"), (nlohmann::json{{"a", {1, 2}}}));
  EXPECT_FALSE(decode_json_object("[]").has_value());
  EXPECT_FALSE(decode_json_object("{").has_value());
}

TEST(StoreCodec, EncodingInvalidUtf8ReplacesInsteadOfThrowing) {
  const std::string text = encode_json(nlohmann::json{{"k", std::string("\xc3\x28", 2)}});
  EXPECT_TRUE(decode_json_object(text).has_value());
}

TEST(StoreCodec, EmailFoldingLowersOnlyAsciiLetters) {
  EXPECT_EQ(fold_email("Alice.Z@EXAMPLE.com"), "alice.z@example.com");
  EXPECT_EQ(fold_email("\xc3\x89mile@x.org"), "\xc3\x89mile@x.org");
}

}  // namespace
}  // namespace latchkey::store
