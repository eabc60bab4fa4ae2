// libFuzzer target with a structure-aware mutator: it starts from valid
// networks (examples/ and the test inputs) and mutates them the way a person
// or an architecture search would get them wrong — numbers swapped for
// boundary values, one op for another, statements duplicated, deleted,
// swapped or inserted, strings changed — so most inputs still parse and the
// fuzzer spends its time in elaboration, the passes, the cost model and
// kernel emission, not only in the parser. Byte-level mutation remains as a
// small share.
#include "FuzzPipeline.h"

#include "ir/OpTable.h"

#include <cctype>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

struct Span {
  size_t begin, end;
  char kind; // 'i' integer, 'f' float, 'n' name, 's' string
};

std::vector<Span> scan(const std::string &s) {
  std::vector<Span> spans;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '#') {
      while (i < s.size() && s[i] != '\n')
        ++i;
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '"' && s[j] != '\n')
        ++j;
      if (j < s.size() && s[j] == '"')
        spans.push_back({i, j + 1, 's'});
      i = j + 1;
    } else if (std::isdigit(c)) {
      size_t j = i;
      bool real = false;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.')) {
        real |= s[j] == '.' || s[j] == 'e';
        ++j;
      }
      spans.push_back({i, j, real ? 'f' : 'i'});
      i = j;
    } else if (std::isalpha(c) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
        ++j;
      spans.push_back({i, j, 'n'});
      i = j;
    } else {
      ++i;
    }
  }
  return spans;
}

std::vector<std::string> lines(const std::string &s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '\n') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::string join(const std::vector<std::string> &ls) {
  std::string s;
  for (size_t i = 0; i < ls.size(); ++i)
    s += ls[i] + (i + 1 < ls.size() ? "\n" : "");
  return s;
}

const std::vector<std::string> &opNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const netc::ir::OpDef *op : netc::ir::OpTable::get().all())
      v.push_back(op->name);
    return v;
  }();
  return names;
}

const char *const kInts[] = {"0", "1", "2", "3", "4", "7", "16", "64", "224", "1000", "65535",
                             "2147483647", "2147483648", "4294967296", "9223372036854775807",
                             "9223372036854775808", "100000000000000000000"};
const char *const kReals[] = {"0.0", "0.5", "1.0", "2.5", "1e-9", "1e308", "1e309", "0.001"};
const char *const kStrings[] = {"\"same\"", "\"valid\"", "\"nearest\"", "\"bilinear\"",
                                "\"f16\"", "\"i8\"", "\"tanh\"", "\"reflect\"", "\"\"",
                                "\"std/blocks.net\""};
const char *const kArgs[] = {"k=3", "k=1", "stride=2", "padding=1", "padding=\"same\"",
                             "groups=2", "dim=1", "dim=-1", "bias=false", "p=0.5",
                             "scale=2", "size=[7, 7]", "chunks=2", "sizes=[1, 2]",
                             "shape=[1, -1]", "dims=[0, 2, 3, 1]", "dilation=2"};

template <typename T, size_t N> const char *pick(std::mt19937 &rng, const T (&a)[N]) {
  return a[rng() % N];
}

std::string mutate(std::string s, std::mt19937 &rng) {
  std::vector<Span> spans = scan(s);
  auto replaceSpan = [&](char kind, const std::string &with) {
    std::vector<const Span *> of;
    for (const Span &sp : spans)
      if (sp.kind == kind)
        of.push_back(&sp);
    if (of.empty())
      return false;
    const Span &sp = *of[rng() % of.size()];
    s.replace(sp.begin, sp.end - sp.begin, with);
    return true;
  };
  std::vector<std::string> ls = lines(s);
  switch (rng() % 9) {
  case 0:
    if (replaceSpan('i', pick(rng, kInts)))
      return s;
    break;
  case 1:
    if (replaceSpan('f', pick(rng, kReals)))
      return s;
    break;
  case 2: {
    // One op name for another.
    std::vector<const Span *> ops;
    for (const Span &sp : spans)
      if (sp.kind == 'n')
        for (const std::string &op : opNames())
          if (s.compare(sp.begin, sp.end - sp.begin, op) == 0)
            ops.push_back(&sp);
    if (!ops.empty()) {
      const Span &sp = *ops[rng() % ops.size()];
      s.replace(sp.begin, sp.end - sp.begin, opNames()[rng() % opNames().size()]);
      return s;
    }
    break;
  }
  case 3:
    if (replaceSpan('s', pick(rng, kStrings)))
      return s;
    break;
  case 4: // duplicate a line
    if (!ls.empty()) {
      size_t i = rng() % ls.size();
      ls.insert(ls.begin() + static_cast<long>(i), ls[i]);
      return join(ls);
    }
    break;
  case 5: // delete a line
    if (ls.size() > 1) {
      ls.erase(ls.begin() + static_cast<long>(rng() % ls.size()));
      return join(ls);
    }
    break;
  case 6: // swap two lines
    if (ls.size() > 1) {
      std::swap(ls[rng() % ls.size()], ls[rng() % ls.size()]);
      return join(ls);
    }
    break;
  case 7: { // insert `x = op(x, ...)` after a line, with a name the text uses
    std::vector<std::string> names;
    for (const Span &sp : spans)
      if (sp.kind == 'n' && sp.end - sp.begin <= 3)
        names.push_back(s.substr(sp.begin, sp.end - sp.begin));
    const std::string name = names.empty() ? "x" : names[rng() % names.size()];
    std::string call = "  " + name + " = " + opNames()[rng() % opNames().size()] + "(" + name;
    for (unsigned a = rng() % 3; a > 0; --a)
      call += std::string(", ") + (rng() % 2 ? pick(rng, kInts) : pick(rng, kArgs));
    call += ")";
    ls.insert(ls.begin() + static_cast<long>(ls.empty() ? 0 : rng() % ls.size()), call);
    return join(ls);
  }
  default:
    break;
  }
  return s; // unchanged: the caller falls back to byte-level mutation
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize,
                                          unsigned int seed) {
  std::mt19937 rng(seed);
  if (rng() % 8 != 0) {
    std::string in(reinterpret_cast<const char *>(data), size);
    std::string out = mutate(in, rng);
    if (out != in && out.size() <= maxSize) {
      std::memcpy(data, out.data(), out.size());
      return out.size();
    }
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  netc::fuzz::runPipeline(data, size);
  return 0;
}
