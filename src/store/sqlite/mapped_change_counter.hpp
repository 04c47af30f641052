#pragma once
// The ChangeCounters every process on one SQLite file shares: 64-bit words of a small file
// beside the database (`<db file>-config`), mapped into each process, updated with atomic
// instructions. A CLI write bumps one before the CLI exits, so the server's next lookup sees the
// change.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/config_cache.hpp"

namespace latchkey::store::sqlite {

/// Which word of the file a counter is.
enum class CounterSlot : std::size_t { configuration = 0, users = 1 };

class MappedChangeCounter final : public ChangeCounter {
 public:
  /// Maps (creating, owner-only) the counter file of `db_file` and takes its word `slot`; a
  /// message when it cannot.
  [[nodiscard]] static Result<std::unique_ptr<MappedChangeCounter>, std::string> open(
      const std::filesystem::path& db_file, CounterSlot slot);

  MappedChangeCounter(const MappedChangeCounter&) = delete;
  MappedChangeCounter& operator=(const MappedChangeCounter&) = delete;
  ~MappedChangeCounter() override;

  [[nodiscard]] std::uint64_t value() const override;
  void bump() override;

 private:
  MappedChangeCounter(void* mapping, std::uint64_t* word) : mapping_(mapping), word_(word) {}

  void* mapping_;
  std::uint64_t* word_;
};

}  // namespace latchkey::store::sqlite
