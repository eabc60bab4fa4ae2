#include "tools/Options.h"

#include <fmt/format.h>
#include <llvm/ADT/StringRef.h>

#include <functional>

namespace netc {

namespace {

constexpr const char *kUsage = "usage: netc [options] FILE.net\n";

struct OptionSpec {
  const char *name;     ///< "--emit", "-I"
  const char *metavar;  ///< nullptr: a flag without a value
  const char *help;
  std::function<std::optional<std::string>(Options &, llvm::StringRef)> apply;
};

std::optional<std::string> parseUnsigned(llvm::StringRef v, unsigned &out, const char *name) {
  unsigned x;
  if (v.getAsInteger(10, x))
    return fmt::format("{} expects a non-negative integer, got '{}'", name, v.str());
  out = x;
  return std::nullopt;
}

const std::vector<OptionSpec> &specs() {
  static const std::vector<OptionSpec> table = {
      {"--emit", "WHAT", "print a stage's output: ast, graph",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v == "ast") {
           o.action = Action::EmitAST;
           return std::nullopt;
         }
         if (v == "graph") {
           o.action = Action::EmitGraph;
           return std::nullopt;
         }
         return fmt::format("unknown --emit value '{}' (expected: ast, graph)", v.str());
       }},
      {"--network", "NAME", "the network to compile (default: the last one in FILE)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.elab.network = v.str();
         return std::nullopt;
       }},
      {"-D", "NAME=VALUE", "override a network parameter, e.g. -D width=0.75 (repeatable)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         auto [name, value] = v.split('=');
         if (!v.contains('=') || name.trim().empty())
           return fmt::format("-D expects NAME=VALUE, got '{}'", v.str());
         o.elab.overrides.emplace_back(name.trim().str(), value.str());
         return std::nullopt;
       }},
      {"--max-nodes", "N", "limit on the nodes of the elaborated graph (default 10000000)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         unsigned long long n;
         if (v.getAsInteger(10, n) || n == 0)
           return fmt::format("--max-nodes expects a positive integer, got '{}'", v.str());
         o.elab.maxNodes = n;
         return std::nullopt;
       }},
      {"-o", "FILE", "write the output to FILE instead of standard output",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.output = v.str();
         return std::nullopt;
       }},
      {"-I", "DIR", "also look for imported files in DIR (repeatable)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.load.includeDirs.push_back(v.str());
         return std::nullopt;
       }},
      {"--stdlib", "DIR", "the standard library directory for import \"std/...\"",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.load.stdlibDir = v.str();
         return std::nullopt;
       }},
      {"--max-nesting", "N", "limit on nested brackets and chained operators (default 200)",
       [](Options &o, llvm::StringRef v) {
         return parseUnsigned(v, o.load.parse.maxNesting, "--max-nesting");
       }},
      {"--error-limit", "N", "stop after N errors; 0 means no limit (default 20)",
       [](Options &o, llvm::StringRef v) {
         return parseUnsigned(v, o.errorLimit, "--error-limit");
       }},
  };
  return table;
}

void printHelp(llvm::raw_ostream &out) {
  out << "netc - a compiler for .net neural-network descriptions\n\n" << kUsage
      << "\nChecks FILE and everything it imports; with --emit, prints a stage.\n\n"
      << "options:\n";
  auto row = [&](const std::string &left, llvm::StringRef help) {
    out << fmt::format("  {:<22} {}\n", left, help.str());
  };
  for (const OptionSpec &s : specs())
    row(s.metavar ? fmt::format("{} {}", s.name, s.metavar) : s.name, s.help);
  row("--list-ops", "list the ops netc knows, with their arguments, and exit");
  row("-h, --help", "print this help and exit");
  row("--version", "print the version and exit");
  out << "\nexit status: 0 success, 1 errors in the input, 2 usage errors\n";
}

int usageError(llvm::raw_ostream &err, const std::string &msg) {
  err << "netc: error: " << msg << '\n' << kUsage << "Try 'netc --help' for more information.\n";
  return 2;
}

} // namespace

std::optional<int> parseOptions(int argc, const char *const *argv, Options &opts,
                                llvm::raw_ostream &out, llvm::raw_ostream &err) {
  std::vector<std::string> inputs;
  bool onlyFiles = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (onlyFiles || arg == "-" || !arg.startswith("-")) {
      inputs.push_back(arg.str());
      continue;
    }
    if (arg == "--") {
      onlyFiles = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      printHelp(out);
      return 0;
    }
    if (arg == "--list-ops") {
      opts.action = Action::ListOps;
      return std::nullopt;
    }
    if (arg == "--version") {
      out << "netc 0.1.0\n";
      return 0;
    }
    const OptionSpec *match = nullptr;
    std::optional<std::string> value;
    for (const OptionSpec &s : specs()) {
      llvm::StringRef name = s.name;
      if (arg == name) {
        match = &s;
        break;
      }
      // --name=value, and -Ivalue for single-dash options.
      if (s.metavar && arg.startswith(name) &&
          (arg[name.size()] == '=' || !name.startswith("--"))) {
        match = &s;
        value = arg.drop_front(name.size() + (arg[name.size()] == '=' ? 1 : 0)).str();
        break;
      }
    }
    if (!match)
      return usageError(err, fmt::format("unknown option '{}'", arg.str()));
    if (!match->metavar && value)
      return usageError(err, fmt::format("option '{}' takes no value", match->name));
    if (match->metavar && !value) {
      if (i + 1 >= argc)
        return usageError(err, fmt::format("option '{}' needs a value ({})", match->name,
                                           match->metavar));
      value = argv[++i];
    }
    if (auto problem = match->apply(opts, value ? *value : ""))
      return usageError(err, *problem);
  }
  if (inputs.empty() && opts.action == Action::ListOps)
    return std::nullopt;
  if (inputs.empty())
    return usageError(err, "no input file");
  if (inputs.size() > 1)
    return usageError(err, fmt::format("expected one input file, got {}", inputs.size()));
  opts.input = inputs[0];
  return std::nullopt;
}

} // namespace netc
