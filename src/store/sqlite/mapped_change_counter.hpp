#pragma once
// The ChangeCounter every process on one SQLite file shares: eight bytes of a small file beside
// the database (`<db file>-config`), mapped into each process, updated with atomic instructions.
// A CLI write bumps it before the CLI exits, so the server's next lookup sees the change.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/config_cache.hpp"

namespace latchkey::store::sqlite {

class MappedChangeCounter final : public ChangeCounter {
 public:
  /// Maps (creating, owner-only) the counter file of `db_file`; a message when it cannot.
  [[nodiscard]] static Result<std::unique_ptr<MappedChangeCounter>, std::string> open(
      const std::filesystem::path& db_file);

  MappedChangeCounter(const MappedChangeCounter&) = delete;
  MappedChangeCounter& operator=(const MappedChangeCounter&) = delete;
  ~MappedChangeCounter() override;

  [[nodiscard]] std::uint64_t value() const override;
  void bump() override;

 private:
  explicit MappedChangeCounter(std::uint64_t* word) : word_(word) {}

  std::uint64_t* word_;
};

}  // namespace latchkey::store::sqlite
