//===- StatusLine.h - progress on a terminal --------------------*- C++ -*-===//
//
// One line of progress ("netc: --sweep: variant 231 of 1751") rewritten in
// place on a terminal: shown from a tenth of a second on (a quick run shows
// nothing), at most ten times a second, erased when the StatusLine ends.
// On anything but a terminal it prints nothing.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_STATUSLINE_H
#define NETC_SUPPORT_STATUSLINE_H

#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <chrono>
#include <string>

namespace netc {

class StatusLine {
public:
  explicit StatusLine(llvm::raw_ostream &os)
      : os(os), shown(os.is_displayed()), next(std::chrono::steady_clock::now() + kPeriod) {}
  StatusLine(const StatusLine &) = delete;
  StatusLine &operator=(const StatusLine &) = delete;
  ~StatusLine() { clear(); }

  /// Erases the line, if shown, so that other output can follow; the next
  /// show() draws it again.
  void clear() {
    if (width) {
      os << '\r' << std::string(width, ' ') << '\r';
      os.flush();
      width = 0;
    }
  }

  /// Whether show() can print anything (the stream is a terminal).
  bool active() const { return shown; }
  /// Shows `text` if a tenth of a second has passed since the last time;
  /// `make` builds it only then.
  template <typename Make> void show(Make make) {
    if (!shown)
      return;
    auto now = std::chrono::steady_clock::now();
    if (now < next)
      return;
    next = now + kPeriod;
    std::string line = make();
    width = std::max(width, line.size());
    os << '\r' << line << std::string(width - line.size(), ' ');
    os.flush();
  }

private:
  static constexpr std::chrono::milliseconds kPeriod{100};
  llvm::raw_ostream &os;
  bool shown;
  std::chrono::steady_clock::time_point next;
  size_t width = 0;
};

} // namespace netc

#endif
