#pragma once
// Runs the real `latchkey` binary from tests: one-shot commands and a server on an ephemeral
// 127.0.0.1 port.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace latchkey::testing {

/// The binary under test (build/latchkey).
[[nodiscard]] std::string latchkey_binary();

/// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ProcessResult {
  int exit_code = -1;  // the exit status, or 128 + signal
  std::string out;
  std::string err;
};

/// Runs `argv` to completion, feeding `input` on stdin; kills it after `timeout`.
[[nodiscard]] ProcessResult run_process(
    const std::vector<std::string>& argv, const std::string& input = "",
    std::chrono::milliseconds timeout = std::chrono::seconds(30),
    const std::vector<std::string>& extra_env = {});

/// `latchkey serve --listen 127.0.0.1:0 --data-dir DIR ARGS...`, running until stopped.
class ServerProcess {
 public:
  /// Starts the server and waits (up to 15 s) for its "listening" log line. Throws on failure.
  ServerProcess(const std::filesystem::path& data_dir, const std::vector<std::string>& args = {},
                const std::vector<std::string>& extra_env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  /// Sends `signal` and waits for exit; returns the exit code (128 + signal if killed).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  /// Everything the server wrote to stderr so far.
  [[nodiscard]] std::string log() const;
  /// The log once every line the server wrote before this call has arrived: the server writes
  /// info lines in batches at most 100 ms apart, so this waits a few times that first. For checks
  /// that something is absent from the log.
  [[nodiscard]] std::string settled_log() const;
  /// Whether `needle` appears in the log within `timeout`. The log arrives through a pipe read
  /// on another thread, so a line the server wrote before answering may still be on its way.
  [[nodiscard]] bool log_shows(std::string_view needle,
                               std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  void read_stderr(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int exit_code_ = -1;
  mutable std::mutex mutex_;
  std::string log_;
  std::thread reader_;
};

}  // namespace latchkey::testing
