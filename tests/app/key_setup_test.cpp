// Which signing algorithms need keys: an alg any API or client uses must have a current key
// before the first token is signed with it.

#include "app/key_setup.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "app/store_factory.hpp"
#include "config/config.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

using jose::Algorithm;

class AlgorithmsInUseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::Config config;
    config.data_dir = dir_.path();
    auto opened = app::open_store(config);
    ASSERT_TRUE(opened) << opened.error();
    store_ = std::move(*opened);
  }

  void add_client(const std::string& id, const std::string& id_token_alg) {
    model::Client client;
    client.client_id = id;
    client.id_token_signed_response_alg = id_token_alg;
    ASSERT_TRUE(store_->clients().create(client).ok());
  }

  void add_api(const std::string& identifier, const std::string& alg) {
    model::ResourceServer api;
    api.id = identifier;
    api.identifier = identifier;
    api.signing_alg = alg;
    ASSERT_TRUE(store_->resource_servers().create(api).ok());
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AlgorithmsInUseTest, AnEmptyStoreNeedsOnlyRs256) {
  EXPECT_EQ(app::algorithms_in_use(*store_), std::vector<Algorithm>{Algorithm::rs256});
}

TEST_F(AlgorithmsInUseTest, EachClientsIdTokenAlgNeedsAKeyOnceOnly) {
  add_api("urn:ps", "PS256");
  add_client("a", "RS256");
  add_client("b", "ES256");
  add_client("c", "ES256");
  EXPECT_EQ(app::algorithms_in_use(*store_),
            (std::vector<Algorithm>{Algorithm::rs256, Algorithm::ps256, Algorithm::es256}));
}

}  // namespace
}  // namespace latchkey::testing
