#pragma once
// oauth::LoginPipeline on the JavaScript engine: loads the enabled rules and actions and the
// rules-configs from the store, runs them on the calling thread's Engine, persists metadata
// updates and logs what the scripts printed (issue 5).

#include <memory>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "jose/keyring.hpp"
#include "oauth/login_pipeline.hpp"
#include "rules/engine_set.hpp"
#include "rules/pipeline.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// Lifetimes: the composition root owns the rules::Platform and the EngineSet (built before the
/// server's offload pool, destroyed after it is joined) and passes them here by reference.
class RulesLoginPipeline final : public oauth::LoginPipeline {
 public:
  RulesLoginPipeline(store::Store& store, rules::EngineSet& engines, jose::KeyEncryptionKey kek,
                     std::string tenant, Logger& log, const Clock& clock);

  [[nodiscard]] bool empty() override;
  [[nodiscard]] oauth::LoginPipelineOutcome run(const model::User& user,
                                                const model::Client& client,
                                                const oauth::LoginPipelineFacts& facts) override;

 private:
  /// Applies the scripts' metadata updates to the user (Auth0's top-level merge) and saves them.
  void persist_metadata(const model::User& user, const rules::PipelineResult& result);

  store::Store& store_;
  rules::EngineSet& engines_;
  jose::KeyEncryptionKey kek_;
  std::string tenant_;
  Logger& log_;
  const Clock& clock_;
};

}  // namespace latchkey::app
