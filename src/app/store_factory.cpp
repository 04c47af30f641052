#include "app/store_factory.hpp"

#include <filesystem>
#include <system_error>

#include "store/sqlite/sqlite_store.hpp"

namespace latchkey::app {
namespace {

constexpr const char* kDatabaseFile = "latchkey.db";

Result<std::filesystem::path, std::string> prepare_data_dir(const config::Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return fail("cannot create data directory " + config.data_dir.string() + ": " + ec.message());
  }
  // The data directory holds digests, sealed keys and the key file: owner only.
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return config.data_dir / kDatabaseFile;
}

Result<std::unique_ptr<store::sqlite::SqliteStore>, std::string> open_sqlite(
    const config::Config& config, bool migrate) {
  auto file = prepare_data_dir(config);
  if (!file) return fail(file.error());
  store::sqlite::SqliteOptions options;
  options.migrate = migrate;
  return store::sqlite::SqliteStore::open(*file, options);
}

}  // namespace

Result<std::unique_ptr<store::Store>, std::string> open_store(const config::Config& config) {
  auto sqlite = open_sqlite(config, true);
  if (!sqlite) return fail(sqlite.error());
  return std::unique_ptr<store::Store>(std::move(*sqlite));
}

Result<int, std::string> migrate_store(const config::Config& config) {
  auto sqlite = open_sqlite(config, false);
  if (!sqlite) return fail(sqlite.error());
  return (*sqlite)->migrate();
}

}  // namespace latchkey::app
