//===- Suggest.h - "did you mean ...?" for a misspelled name ----*- C++ -*-===//
//
// The one rule every "did you mean" of netc follows: suggest the candidate
// closest to the word by edit distance, only when it is at most `maxDistance`
// edits away, at most half the length of the word (so that "-x" does not
// become "-o"), and closer than every other candidate; between equally close
// ones, the one whose length is nearest the word's ("rleu": 'relu', not
// 'elu'), else none (no guessing between two).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_SUGGEST_H
#define NETC_SUPPORT_SUGGEST_H

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>

namespace netc {

/// The closest of `candidates` (any range of things convertible to
/// llvm::StringRef) to `word`, or nothing. Leading characters of `word` in
/// `ignoreLeading` ("-" for options) do not count in its length.
template <typename Range>
std::optional<std::string> closestName(llvm::StringRef word, const Range &candidates,
                                       unsigned maxDistance = 2,
                                       llvm::StringRef ignoreLeading = "") {
  llvm::StringRef core = word.ltrim(ignoreLeading);
  auto lengthGap = [&](llvm::StringRef c) {
    return c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
  };
  unsigned best = maxDistance + 1;
  size_t bestGap = 0;
  std::optional<std::string> bestName;
  bool tie = false;
  for (const auto &c : candidates) {
    llvm::StringRef cand(c);
    if (cand == word)
      continue;
    unsigned d = word.edit_distance(cand, /*AllowReplacements=*/true, maxDistance + 1);
    if (d < best || (d == best && bestName && lengthGap(cand) < bestGap)) {
      best = d;
      bestGap = lengthGap(cand);
      bestName = cand.str();
      tie = false;
    } else if (d == best && bestName && *bestName != cand && lengthGap(cand) == bestGap) {
      tie = true;
    }
  }
  if (!bestName || tie || best > maxDistance || 2 * best > core.size())
    return std::nullopt;
  return bestName;
}

/// "; did you mean 'NAME'?" for closestName's answer, or "".
template <typename Range>
std::string didYouMean(llvm::StringRef word, const Range &candidates, unsigned maxDistance = 2) {
  std::optional<std::string> best = closestName(word, candidates, maxDistance);
  return best ? "; did you mean '" + *best + "'?" : std::string();
}

} // namespace netc

#endif
