//===- Suggest.h - "did you mean" -------------------------------*- C++ -*-===//
//
// The one rule every "did you mean" of netc follows: the candidate nearest to
// the misspelled word by edit distance (insertions, deletions and
// replacements), within `maxDistance`; among equally near ones the first
// given, so messages are deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_SUGGEST_H
#define NETC_SUPPORT_SUGGEST_H

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>

namespace netc {

/// The nearest candidate, or "" when none is within maxDistance (or the word
/// is itself a candidate).
inline std::string closestMatch(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates,
                                unsigned maxDistance = 2) {
  std::string best;
  unsigned bestDist = maxDistance + 1;
  for (llvm::StringRef c : candidates) {
    unsigned d = word.edit_distance(c, /*AllowReplacements=*/true, bestDist);
    if (d < bestDist) {
      bestDist = d;
      best = c.str();
    }
  }
  return bestDist == 0 ? std::string() : best;
}

/// "; did you mean 'NAME'?" for the nearest candidate, or "".
inline std::string didYouMean(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates,
                              unsigned maxDistance = 2) {
  std::string best = closestMatch(word, candidates, maxDistance);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

} // namespace netc

#endif
