// Conformance for client grants (client_credentials, RFC 6749 §4.4). Part of StoreConformance:
// every back end runs it unchanged.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "store_conformance.hpp"

namespace latchkey::store_test {
namespace {

using store::StoreError;

constexpr const char* kApiOne = "https://api.one/";
constexpr const char* kApiTwo = "https://api.two/";

model::ClientGrant sample_client_grant(const std::string& id, const std::string& client_id,
                                       const std::string& audience,
                                       std::vector<std::string> scopes = {"read:messages"}) {
  model::ClientGrant grant;
  grant.id = id;
  grant.client_id = client_id;
  grant.audience = audience;
  grant.scopes = std::move(scopes);
  grant.created_at = at_ms(1'700'000'000'123);
  return grant;
}

// Clients "app1" and "app2" and the APIs kApiOne and kApiTwo, for client grants to name.
void add_clients_and_apis(store::Store& store) {
  for (const std::string client_id : {"app1", "app2"}) {
    model::Client client;
    client.client_id = client_id;
    ASSERT_TRUE(store.clients().create(client).ok());
  }
  for (const std::string identifier : {kApiOne, kApiTwo}) {
    model::ResourceServer api;
    api.id = "id-" + identifier;
    api.identifier = identifier;
    ASSERT_TRUE(store.resource_servers().create(api).ok());
  }
}

std::vector<std::string> listed_ids(store::Store& store) {
  auto grants = store.client_grants().list();
  EXPECT_TRUE(grants.ok());
  std::vector<std::string> ids;
  if (grants.ok()) {
    for (const auto& grant : *grants) ids.push_back(grant.id);
  }
  return ids;
}

TEST_P(StoreConformance, CreatedClientGrantIsFoundByIdAndByClientAndAudience) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  const auto grant =
      sample_client_grant("cgr_1", "app1", kApiOne, {"read:messages", "write:messages"});
  ASSERT_TRUE(store().client_grants().create(grant).ok());
  for (const auto& found :
       {store().client_grants().find("cgr_1"), store().client_grants().find_for("app1", kApiOne)}) {
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->id, "cgr_1");
    EXPECT_EQ(found->client_id, "app1");
    EXPECT_EQ(found->audience, kApiOne);
    EXPECT_EQ(found->scopes, (std::vector<std::string>{"read:messages", "write:messages"}));
    EXPECT_EQ(found->created_at, at_ms(1'700'000'000'123));
  }
  EXPECT_EQ(store().client_grants().find_for("app2", kApiOne).error(), StoreError::not_found);
  EXPECT_EQ(store().client_grants().find_for("app1", kApiTwo).error(), StoreError::not_found);
  EXPECT_EQ(store().client_grants().find("cgr_2").error(), StoreError::not_found);
}

TEST_P(StoreConformance, SecondClientGrantForTheSameClientAndApiIsAConflict) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_1", "app1", kApiOne)).ok());
  EXPECT_EQ(store().client_grants().create(sample_client_grant("cgr_2", "app1", kApiOne)).error(),
            StoreError::conflict);
  EXPECT_EQ(store().client_grants().create(sample_client_grant("cgr_1", "app2", kApiTwo)).error(),
            StoreError::conflict);
  EXPECT_TRUE(store().client_grants().create(sample_client_grant("cgr_3", "app1", kApiTwo)).ok());
}

TEST_P(StoreConformance, ClientGrantNamingAnUnknownClientOrApiIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  EXPECT_EQ(store().client_grants().create(sample_client_grant("cgr_1", "ghost", kApiOne)).error(),
            StoreError::not_found);
  EXPECT_EQ(store()
                .client_grants()
                .create(sample_client_grant("cgr_2", "app1", "https://nowhere/"))
                .error(),
            StoreError::not_found);
  EXPECT_TRUE(listed_ids(store()).empty());
}

TEST_P(StoreConformance, ClientGrantsAreListedByClientThenAudience) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_c", "app2", kApiOne)).ok());
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_b", "app1", kApiTwo)).ok());
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_a", "app1", kApiOne)).ok());
  EXPECT_EQ(listed_ids(store()), (std::vector<std::string>{"cgr_a", "cgr_b", "cgr_c"}));
}

TEST_P(StoreConformance, ClientGrantScopesCanBeReplacedAndEmptied) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_1", "app1", kApiOne)).ok());
  ASSERT_TRUE(store().client_grants().set_scopes("cgr_1", {"a", "b"}).ok());
  EXPECT_EQ(store().client_grants().find("cgr_1")->scopes, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(store().client_grants().set_scopes("cgr_1", {}).ok());
  EXPECT_TRUE(store().client_grants().find("cgr_1")->scopes.empty());
  EXPECT_EQ(store().client_grants().set_scopes("cgr_9", {"a"}).error(), StoreError::not_found);
}

TEST_P(StoreConformance, RemovedClientGrantIsGoneAndRemovingAgainIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_1", "app1", kApiOne)).ok());
  ASSERT_TRUE(store().client_grants().remove("cgr_1").ok());
  EXPECT_EQ(store().client_grants().find_for("app1", kApiOne).error(), StoreError::not_found);
  EXPECT_EQ(store().client_grants().remove("cgr_1").error(), StoreError::not_found);
}

TEST_P(StoreConformance, DeletingAClientOrAnApiRemovesItsClientGrants) {
  ASSERT_NO_FATAL_FAILURE(add_clients_and_apis(store()));
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_1", "app1", kApiOne)).ok());
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_2", "app2", kApiOne)).ok());
  ASSERT_TRUE(store().client_grants().create(sample_client_grant("cgr_3", "app2", kApiTwo)).ok());
  ASSERT_TRUE(store().clients().remove("app1").ok());
  EXPECT_EQ(listed_ids(store()), (std::vector<std::string>{"cgr_2", "cgr_3"}));
  ASSERT_TRUE(store().resource_servers().remove(kApiTwo).ok());
  EXPECT_EQ(listed_ids(store()), (std::vector<std::string>{"cgr_2"}));
}

}  // namespace
}  // namespace latchkey::store_test
