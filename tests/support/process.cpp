#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace latchkey::testing {
namespace {

using Clock = std::chrono::steady_clock;

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// Waits for `pid` until `deadline`; kills it after. Returns the exit code.
int wait_until(pid_t pid, Clock::time_point deadline) {
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_status(status);
    if (r < 0) return -1;
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return decode_status(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

struct Pipes {
  int in[2]{-1, -1};
  int out[2]{-1, -1};
  int err[2]{-1, -1};
};

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
            Pipes& p) {
  if (pipe2(p.in, O_CLOEXEC) != 0 || pipe2(p.out, O_CLOEXEC) != 0 || pipe2(p.err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "LATCHKEY_", 9) != 0) env.emplace_back(*e);
  }
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(p.in[0], 0);
    dup2(p.out[1], 1);
    dup2(p.err[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(p.in[0]);
  close(p.out[1]);
  close(p.err[1]);
  return pid;
}

}  // namespace

std::string latchkey_binary() { return LATCHKEY_BINARY; }

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("latchkey-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds timeout,
                          const std::vector<std::string>& extra_env) {
  Pipes p;
  const pid_t pid = spawn(argv, extra_env, p);
  signal(SIGPIPE, SIG_IGN);
  if (!input.empty()) {
    [[maybe_unused]] const auto n = write(p.in[1], input.data(), input.size());
  }
  close(p.in[1]);
  ProcessResult result;
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{p.out[0], POLLIN, 0}, {p.err[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0 && Clock::now() < deadline) {
    if (poll(fds, 2, 50) <= 0) continue;
    for (auto& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP)) == 0) continue;
      char buf[4096];
      const ssize_t n = read(fd.fd, buf, sizeof buf);
      if (n <= 0) {
        close(fd.fd);
        fd.fd = -1;
        --open_fds;
        continue;
      }
      (fd.fd == p.out[0] ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  result.exit_code = wait_until(pid, deadline);
  return result;
}

ServerProcess::ServerProcess(const std::filesystem::path& data_dir,
                             const std::vector<std::string>& args,
                             const std::vector<std::string>& extra_env) {
  std::vector<std::string> argv = {latchkey_binary(), "serve",      "--listen",
                                   "127.0.0.1:0",     "--data-dir", data_dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  Pipes p;
  pid_ = spawn(argv, extra_env, p);
  close(p.in[1]);
  close(p.out[0]);
  reader_ = std::thread([this, fd = p.err[0]] { read_stderr(fd); });
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      if (port_ != 0) return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decode_status(status);
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string why = "latchkey serve did not start; its log:\n" + log();
  if (pid_ > 0) stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
  throw std::runtime_error(why);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
}

void ServerProcess::read_stderr(int fd) {
  std::string pending;
  char buf[4096];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, eol + 1);
      pending.erase(0, eol + 1);
      std::lock_guard lock(mutex_);
      log_ += line;
      const auto json = nlohmann::json::parse(line, nullptr, false);
      if (port_ == 0 && json.is_object() && json.value("msg", "") == "listening") {
        port_ = json.value("port", std::uint16_t{0});
      }
    }
  }
  close(fd);
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, signal);
  exit_code_ = wait_until(pid_, Clock::now() + timeout);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return exit_code_;
}

std::string ServerProcess::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

std::string ServerProcess::settled_log() const {
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  return log();
}

bool ServerProcess::log_shows(std::string_view needle, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (log_.find(needle) != std::string::npos) return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace latchkey::testing
