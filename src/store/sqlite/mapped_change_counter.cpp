#include "store/sqlite/mapped_change_counter.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace latchkey::store::sqlite {
namespace {

// Room for every CounterSlot; a file made by an older release (one word) is grown.
constexpr std::size_t kSize = 2 * sizeof(std::uint64_t);

std::string failure(const std::filesystem::path& file, std::string_view what) {
  return file.string() + ": cannot " + std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

Result<std::unique_ptr<MappedChangeCounter>, std::string> MappedChangeCounter::open(
    const std::filesystem::path& db_file, CounterSlot slot) {
  auto file = db_file;
  file += "-config";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return fail(failure(file, "open"));
  struct stat status {};
  // Grow a new (empty) file to zeroed words; never shrink one another process maps.
  const bool sized = ::fstat(fd, &status) == 0 && (status.st_size >= static_cast<off_t>(kSize) ||
                                                   ::ftruncate(fd, static_cast<off_t>(kSize)) == 0);
  void* mapped =
      sized ? ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
  const auto message = mapped == MAP_FAILED ? failure(file, "map") : std::string();
  ::close(fd);
  if (mapped == MAP_FAILED) return fail(message);
  auto* words = static_cast<std::uint64_t*>(mapped);
  return std::unique_ptr<MappedChangeCounter>(
      new MappedChangeCounter(mapped, words + static_cast<std::size_t>(slot)));
}

MappedChangeCounter::~MappedChangeCounter() { ::munmap(mapping_, kSize); }

std::uint64_t MappedChangeCounter::value() const {
  return std::atomic_ref<std::uint64_t>(*word_).load(std::memory_order_acquire);
}

void MappedChangeCounter::bump() {
  std::atomic_ref<std::uint64_t>(*word_).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace latchkey::store::sqlite
