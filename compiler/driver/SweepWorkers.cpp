//===- SweepWorkers.cpp - a sweep's variants on every core ------------------===//
#include "driver/SweepWorkers.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace netc::sweep {

namespace {

/// Appends `v`'s bytes to `out`.
template <typename T> void put(std::string &out, const T &v) {
  out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

void putString(std::string &out, llvm::StringRef s) {
  put(out, uint64_t(s.size()));
  out.append(s.data(), s.size());
}

/// Reads what put/putString wrote; false past the end.
struct Reader {
  llvm::StringRef in;
  template <typename T> bool get(T &v) {
    if (in.size() < sizeof v)
      return false;
    std::memcpy(&v, in.data(), sizeof v);
    in = in.drop_front(sizeof v);
    return true;
  }
  bool getString(std::string &s) {
    uint64_t n = 0;
    if (!get(n) || in.size() < n)
      return false;
    s = in.take_front(n).str();
    in = in.drop_front(n);
    return true;
  }
};

bool getRow(Reader &r, report::SweepRow &row, std::string &failure) {
  uint64_t n = 0;
  uint8_t ok = 0;
  if (!r.get(n) || n > r.in.size())
    return false;
  row.values.resize(n);
  for (std::string &v : row.values)
    if (!r.getString(v))
      return false;
  if (!r.get(ok) || !r.get(row.totals) || !r.getString(row.error) || !r.getString(failure))
    return false;
  row.ok = ok != 0;
  return true;
}

bool writeAll(int fd, llvm::StringRef bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes = bytes.drop_front(size_t(n));
  }
  return true;
}

/// How many processes share the sweep: one per core (NETC_SWEEP_WORKERS
/// overrides it), and one for fewer than 64 variants per process.
unsigned workerCount(uint64_t count) {
  unsigned n = std::max(1u, std::thread::hardware_concurrency());
  if (const char *env = std::getenv("NETC_SWEEP_WORKERS"))
    n = unsigned(std::clamp(std::atoi(env), 1, 64));
  return unsigned(std::max<uint64_t>(1, std::min<uint64_t>(n, count / 64)));
}

} // namespace

/// A row and the printed diagnostics of its failure, as a worker sends them.
void putRow(std::string &out, const report::SweepRow &row, const std::string &failure) {
  put(out, uint64_t(row.values.size()));
  for (const std::string &v : row.values)
    putString(out, v);
  put(out, uint8_t(row.ok));
  put(out, row.totals); // plain numbers
  putString(out, row.error);
  putString(out, failure);
}

/// Forks a worker for each chunk of [0, count) but the first. A worker runs
/// `variant(k, out)` for each k of its chunk, with its stderr in a temporary
/// file, then sends: ok, the bytes `variant` appended, its stderr; and exits.
/// Empty (this process runs everything) when one process is enough or a
/// fork fails.
std::vector<Worker> startWorkers(uint64_t count,
                                 const std::function<bool(uint64_t, std::string &)> &variant) {
  const unsigned n = workerCount(count);
  std::vector<Worker> workers;
  llvm::outs().flush();
  llvm::errs().flush();
  std::fflush(nullptr);
  for (unsigned i = 1; i < n; ++i) {
    Worker w;
    w.begin = count * i / n;
    w.end = count * (i + 1) / n;
    int fds[2] = {-1, -1};
    if (::pipe(fds) != 0 || (w.pid = ::fork()) < 0) {
      for (int fd : fds)
        if (fd >= 0)
          ::close(fd);
      for (Worker &started : workers) { // run serially instead
        ::kill(started.pid, SIGKILL);
        ::close(started.fd);
        ::waitpid(started.pid, nullptr, 0);
      }
      return {};
    }
    if (w.pid == 0) { // the worker
      ::close(fds[0]);
      for (const Worker &other : workers)
        ::close(other.fd);
      std::FILE *err = std::tmpfile();
      if (err)
        ::dup2(::fileno(err), STDERR_FILENO);
      std::string out;
      uint8_t ok = 1;
      for (uint64_t k = w.begin; k < w.end && ok; ++k)
        ok = variant(k, out) ? 1 : 0;
      llvm::errs().flush();
      std::string printed;
      if (err) {
        std::fflush(err);
        std::rewind(err);
        char buf[4096];
        for (size_t got; (got = std::fread(buf, 1, sizeof buf, err)) > 0;)
          printed.append(buf, got);
      }
      std::string msg;
      put(msg, ok);
      putString(msg, out);
      putString(msg, printed);
      ::_exit(writeAll(fds[1], msg) ? 0 : 1);
    }
    ::close(fds[1]);
    w.fd = fds[0];
    workers.push_back(w);
  }
  return workers;
}

/// Reads worker `w`'s rows, prints what it printed, and reaps it; "" or
/// why it failed.
std::string finishWorker(Worker &w,
                         std::vector<std::pair<report::SweepRow, std::string>> &rows) {
  std::string msg;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(w.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    msg.append(buf, size_t(n));
  }
  ::close(w.fd);
  int status = 0;
  ::waitpid(w.pid, &status, 0);
  Reader r{msg};
  uint8_t ok = 0;
  std::string out, printed;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !r.get(ok) || !r.getString(out) ||
      !r.getString(printed))
    return fmt::format("the worker process of variants {} to {} failed", w.begin + 1, w.end);
  llvm::errs() << printed;
  if (!ok)
    return fmt::format("internal error in variants {} to {}", w.begin + 1, w.end);
  Reader rr{out};
  for (uint64_t k = w.begin; k < w.end; ++k) {
    rows.emplace_back();
    if (!getRow(rr, rows.back().first, rows.back().second))
      return fmt::format("the worker of variants {} to {} sent a short answer", w.begin + 1,
                         w.end);
  }
  return "";
}

} // namespace netc::sweep
