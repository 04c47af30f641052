#pragma once
// The one place that names a concrete store back end (STYLE.md rule 5).

#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// Opens `<data_dir>/latchkey.db`, creating the directory (mode 0700) and applying pending
/// migrations. Fails with one line saying what went wrong.
[[nodiscard]] Result<std::unique_ptr<store::Store>, std::string> open_store(
    const config::Config& config);

/// Applies pending migrations and returns the schema version now in force.
[[nodiscard]] Result<int, std::string> migrate_store(const config::Config& config);

}  // namespace latchkey::app
