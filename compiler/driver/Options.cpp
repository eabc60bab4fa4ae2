//===- Options.cpp - netc's command line: --help and the parser ------------===//
#include "driver/Options.h"

#include "driver/OptionTable.h"
#include "passes/Pass.h"
#include "support/Suggest.h"

#include <fmt/format.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>

namespace netc {

using options::OptionSpec;
using options::specs;

namespace {

constexpr const char *kUsage = "usage: netc [options] FILE.net\n";
constexpr const char *kMeasureUsage = "       netc measure [options] FILE.net\n"
                                      "       netc import [-o FILE.net] FILE.onnx\n";
constexpr const char *kCalibrateUsage =
    "       netc calibrate [--quick] [--single-core] [--name NAME] [--layer-overhead TIME] "
    "[-o FILE]\n"
    "       netc fmt [--check] [--stdout] [--width N] FILE.net...|-\n"
    "       netc lsp [--hw NAME|FILE] [--stdlib DIR]\n";

void printHelp(llvm::raw_ostream &out) {
  out << "netc - a compiler for .net neural-network descriptions\n\n" << kUsage
      << kMeasureUsage << kCalibrateUsage
      << "\nChecks FILE and everything it imports; with --emit, prints a stage; with --report\n"
      << "or --opt-report, reports costs. One output per run: --emit, --report, --opt-report,\n"
      << "--list-ops and --list-hw exclude each other. netc calibrate measures this machine\n"
      << "and writes a calibrated hardware profile (netc calibrate --help). netc measure runs\n"
      << "every layer on this machine with oneDNN and reports its time beside the report's.\n"
      << "netc import writes an ONNX model as a .net program; every mode also reads FILE.onnx.\n"
      << "netc fmt rewrites .net files in the canonical style (netc fmt --help).\n"
      << "netc lsp is a language server for editors, over standard input and output.\n\n"
      << "options:\n";
  auto row = [&](const std::string &left, llvm::StringRef help) {
    out << fmt::format("  {:<22} {}\n", left, help.str());
  };
  for (const OptionSpec &s : specs())
    row(s.metavar ? fmt::format("{} {}", s.name, s.metavar) : s.name, s.help);
  row("--list-ops", "list the ops netc knows, with their arguments and FLOPs, and exit");
  row("--list-hw", "list the built-in hardware profiles and exit");
  out << "\npasses (run in this order by --report, --opt-report, --emit=opt-graph and "
         "--emit=dot):\n";
  for (const passes::PassInfo &p : passes::allPasses())
    row(p.name, p.description);
  row("-h, --help", "print this help and exit");
  row("--version", "print the version and exit");
  out << "\nexit status: 0 success, 1 errors in the input, 2 usage errors, 3 an internal error\n"
      << "(a bug in netc)\n";
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
  std::string firstReportOption; ///< a --report option, to check --report is there
  std::string firstReportOnlyNotHw; ///< the same but --hw, which --emit=cpp takes too
  std::string firstReportOnlyNotCost; ///< the same but the cost options --dot-color bound takes
  std::vector<llvm::StringRef> seen; ///< the options given, by name
  // The option that chose the output ("--emit=graph", "--report"), and its
  // action: a second option asking for another output is a usage error, not
  // a silent "the last one wins". --compare asks for the report too.
  std::string actionBy;
  Action actionChosen = Action::Check;
  auto chooseAction = [&](const std::string &spelled) -> std::optional<std::string> {
    if (actionBy.empty()) {
      actionBy = spelled;
      actionChosen = opts.action;
      return std::nullopt;
    }
    if (opts.action == actionChosen)
      return std::nullopt;
    return fmt::format("options '{}' and '{}' ask for two outputs; run netc twice", actionBy,
                       spelled);
  };
  int first = 1;
  if (argc > 1 && llvm::StringRef(argv[1]) == "measure") { // netc measure: a report, timed
    opts.action = actionChosen = Action::Measure;
    actionBy = "measure";
    first = 2;
  } else if (argc > 1 && llvm::StringRef(argv[1]) == "import") { // netc import: ONNX to .net
    opts.action = actionChosen = Action::Import;
    actionBy = "import";
    first = 2;
  }
  for (int i = first; i < argc; ++i) {
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
    if (arg == "--list-ops" || arg == "--list-hw") {
      opts.action = arg == "--list-ops" ? Action::ListOps : Action::ListHardware;
      if (auto problem = chooseAction(arg.str()))
        return usageError(err, *problem);
      continue;
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
    if (!match) {
      std::vector<llvm::StringRef> names = {"--list-ops", "--list-hw", "--help", "--version"};
      for (const OptionSpec &s : specs())
        names.push_back(s.name);
      llvm::StringRef spelled = arg.split('=').first;
      if (auto near = closestName(spelled, names, 2, "-"))
        return usageError(err, fmt::format("unknown option '{}'; did you mean '{}'?", arg.str(),
                                           *near));
      return usageError(err, fmt::format("unknown option '{}'", arg.str()));
    }
    static const llvm::StringRef reportOnly[] = {
        "--hw",  "--format",   "--flops",    "--memory",          "--dtype",    "--batch",
        "--top", "--group-by", "--max-batch", "--compare-network", "--compare-D",
        "--depth", "--wide", "--weight-dtype", "--kv-dtype", "--generate"};
    const bool isReportOnly =
        std::find(std::begin(reportOnly), std::end(reportOnly), match->name) != std::end(reportOnly);
    if (firstReportOption.empty() && isReportOnly)
      firstReportOption = match->name;
    if (firstReportOnlyNotHw.empty() && isReportOnly && llvm::StringRef(match->name) != "--hw")
      firstReportOnlyNotHw = match->name;
    // --emit=dot --dot-color bound costs each layer: it takes the cost model's options.
    static const llvm::StringRef costOptions[] = {"--hw",    "--flops",        "--memory",
                                                  "--dtype", "--batch",        "--weight-dtype",
                                                  "--kv-dtype"};
    if (firstReportOnlyNotCost.empty() && isReportOnly &&
        std::find(std::begin(costOptions), std::end(costOptions), match->name) ==
            std::end(costOptions))
      firstReportOnlyNotCost = match->name;
    if (!match->metavar && value)
      return usageError(err, fmt::format("option '{}' takes no value", match->name));
    if (match->metavar && !value) {
      if (i + 1 >= argc)
        return usageError(err, fmt::format("option '{}' needs a value ({})", match->name,
                                           match->metavar));
      value = argv[++i];
    }
    const llvm::StringRef name = match->name;
    // --emit twice is two outputs (or the same one twice), said below.
    if (match->metavar && !match->repeatable && name != "--emit" && options::given(seen, name))
      return usageError(err, fmt::format("option '{}' given twice", name.str()));
    if (auto problem = match->apply(opts, value ? *value : ""))
      return usageError(err, *problem);
    if (name == "--emit" || name == "--report" || name == "--opt-report" || name == "--compare")
      if (auto problem = chooseAction(name == "--emit" ? "--emit=" + *value : name.str()))
        return usageError(err, *problem);
    seen.push_back(match->name);
  }
  if (auto problem = options::checkSweep(opts, seen))
    return usageError(err, *problem);
  if (auto problem = options::checkCompareAndOptReport(opts, seen))
    return usageError(err, *problem);
  if (auto problem = options::checkTableRows(opts, seen))
    return usageError(err, *problem);
  if (auto problem = options::checkMeasure(opts, seen))
    return usageError(err, *problem);
  if (auto problem = options::checkPhase(opts, seen))
    return usageError(err, *problem);
  options::applyPhase(opts);
  if (auto problem = options::checkPassesAndOutput(opts, seen))
    return usageError(err, *problem);
  if (auto problem = options::checkDot(opts, seen))
    return usageError(err, *problem);
  if (opts.action == Action::EmitDot && !firstReportOption.empty()) {
    if (!opts.dotColorBound)
      return usageError(err, fmt::format("option '{}' needs --report (or --emit=dot --dot-color "
                                         "bound, which costs each layer)",
                                         firstReportOption));
    if (!firstReportOnlyNotCost.empty())
      return usageError(err, fmt::format("option '{}' needs --report", firstReportOnlyNotCost));
  }
  // --hw also chooses the profile of the kernel comments of --emit=cpp.
  if (opts.action == Action::EmitCpp && !firstReportOnlyNotHw.empty())
    return usageError(err, fmt::format("option '{}' needs --report", firstReportOnlyNotHw));
  if (!firstReportOption.empty() && opts.action != Action::Report &&
      opts.action != Action::OptReport && opts.action != Action::EmitCpp &&
      opts.action != Action::Measure && opts.action != Action::EmitDot)
    return usageError(err, fmt::format("option '{}' needs --report", firstReportOption));
  if (opts.action == Action::EmitCpp && (opts.output.empty() || opts.output == "-"))
    return usageError(err, "--emit=cpp writes a directory: give it with -o DIR");
  if (inputs.empty() && (opts.action == Action::ListOps || opts.action == Action::ListHardware))
    return std::nullopt;
  if (inputs.empty())
    return usageError(err, "no input file");
  if (inputs.size() > 1)
    return usageError(err, fmt::format("expected one input file, got {}", inputs.size()));
  opts.input = inputs[0];
  return std::nullopt;
}

} // namespace netc
