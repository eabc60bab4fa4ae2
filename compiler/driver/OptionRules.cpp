//===- OptionRules.cpp - the rules about options given together --------------===//
#include "driver/OptionTable.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::options {

/// --sweep's rules: it needs --report, and neither --compare, --max-batch,
/// --group-by, --depth, --wide nor --top (a row per variant has no layers,
/// nothing shortened, and one network);
/// --pareto and --max-variants need it; a -D and a --sweep of one name clash.
std::optional<std::string> checkSweep(const Options &o, const std::vector<llvm::StringRef> &seen) {
  if (o.sweep.sweeps.empty()) {
    for (const char *name : {"--pareto", "--max-variants"})
      if (given(seen, name))
        return fmt::format("option '{}' needs --sweep", name);
    return std::nullopt;
  }
  if (o.action != Action::Report)
    return std::string("option '--sweep' needs --report");
  for (const char *name : {"--compare", "--compare-network", "--compare-D", "--max-batch",
                           "--group-by", "--depth", "--wide", "--top", "--opt-report",
                           "--print-after-all"})
    if (given(seen, name))
      return fmt::format("option '{}' cannot be combined with --sweep", name);
  for (const sweep::SweepSpec &s : o.sweep.sweeps)
    for (const auto &[name, value] : o.pipeline.elab.overrides)
      if (name == s.name)
        return fmt::format("parameter '{}' is both set by -D and swept by --sweep", name);
  uint64_t n = sweep::variantCount(o.sweep.sweeps);
  if (n > o.sweep.maxVariants)
    return fmt::format("--sweep: {} variants, more than the limit of {} (see --max-variants)",
                       n == UINT64_MAX ? std::string("too many") : std::to_string(n),
                       o.sweep.maxVariants);
  return std::nullopt;
}

/// --compare shows the two networks' totals side by side: no layer table, so
/// neither --group-by, --depth, --wide nor --top; --compare-network and
/// --compare-D need it.
/// --opt-report lists passes and rewrites: only the table and JSON formats,
/// and none of the options of the layer table or of --max-batch.
std::optional<std::string> checkCompareAndOptReport(const Options &o,
                                                    const std::vector<llvm::StringRef> &seen) {
  if (o.compare.empty()) {
    for (const char *name : {"--compare-network", "--compare-D"})
      if (given(seen, name))
        return fmt::format("option '{}' needs --compare", name);
  } else {
    for (const char *name : {"--group-by", "--depth", "--top", "--wide"})
      if (given(seen, name))
        return fmt::format("option '{}' cannot be combined with --compare (the comparison "
                           "shows totals only)",
                           name);
  }
  if (o.action != Action::OptReport)
    return std::nullopt;
  if (o.format == report::ReportFormat::Csv || o.format == report::ReportFormat::Markdown)
    return fmt::format("--opt-report writes a table, JSON or HTML, not --format {}",
                       report::reportFormatName(o.format).str());
  for (const char *name : {"--group-by", "--depth", "--wide", "--top", "--max-batch"})
    if (given(seen, name))
      return fmt::format("option '{}' needs --report (the optimization report has no layer "
                         "table)",
                         name);
  return std::nullopt;
}

/// The layer table's rows are chosen once: --depth (a tree of blocks) or
/// --group-by, not both; --wide only changes the table format, the others
/// never shorten anything.
std::optional<std::string> checkTableRows(const Options &o,
                                          const std::vector<llvm::StringRef> &seen) {
  if (given(seen, "--depth") && given(seen, "--group-by"))
    return std::string("options '--depth' and '--group-by' both choose the table's rows "
                       "(--depth N: a tree of blocks with subtotals); give one");
  if (o.wide && o.format != report::ReportFormat::Table)
    return std::string("option '--wide' applies to --format table only (json, csv, md and "
                       "html never shorten names)");
  return std::nullopt;
}

std::optional<std::string> checkMeasure(const Options &o, const std::vector<llvm::StringRef> &seen) {
  if (o.action != Action::Measure) {
    for (const char *name : {"--threads", "--repeats", "--layout"})
      if (given(seen, name))
        return fmt::format("option '{}' needs netc measure", name);
    return std::nullopt;
  }
  for (const char *name : {"--group-by", "--depth", "--max-batch"})
    if (given(seen, name))
      return fmt::format("option '{}' cannot be combined with netc measure (it times layers)",
                         name);
  if (o.pipeline.cost.dtype != ir::DType::F32)
    return std::string("netc measure times fp32 only, not --dtype ") +
           ir::dtypeName(o.pipeline.cost.dtype).str();
  return std::nullopt;
}

/// The options of the passes need an output that runs them; --force needs -o.
std::optional<std::string> checkPassesAndOutput(const Options &o,
                                                const std::vector<llvm::StringRef> &seen) {
  bool runsPasses = o.action == Action::Report || o.action == Action::OptReport ||
                    o.action == Action::Measure ||
                    o.action == Action::EmitOptGraph || o.action == Action::EmitDot ||
                    o.action == Action::EmitOnnx ||
                    o.action == Action::EmitCpp;
  if (!runsPasses)
    for (llvm::StringRef name : seen)
      if (name == "--passes" || name == "--verify-each" || name == "--print-after-all" ||
          name == "-O0" || name == "--no-opt")
        return fmt::format("option '{}' needs an output that runs the passes: --report, "
                           "--opt-report, --emit=opt-graph, --emit=dot, --emit=onnx, --emit=cpp or "
                           "netc measure",
                           name.str());
  if (o.output.empty() && std::find(seen.begin(), seen.end(), "--force") != seen.end())
    return std::string("option '--force' needs -o");
  return std::nullopt;
}

/// --dot-color needs --emit=dot, --weights --emit=onnx; ONNX is binary: it
/// needs -o FILE (-o /dev/stdout writes it to a pipe), never a terminal.
std::optional<std::string> checkDot(const Options &o, const std::vector<llvm::StringRef> &seen) {
  if (o.action != Action::EmitDot && given(seen, "--dot-color"))
    return std::string("option '--dot-color' needs --emit=dot");
  if (o.action != Action::EmitOnnx && given(seen, "--weights"))
    return std::string("option '--weights' needs --emit=onnx");
  if (o.action == Action::EmitOnnx && (o.output.empty() || o.output == "-"))
    return std::string("--emit=onnx writes a binary file: give it with -o FILE (-o /dev/stdout "
                       "for a pipe)");
  return std::nullopt;
}

/// The serving options: --phase prefill needs --prompt, --phase decode
/// --context; --generate needs --prompt and no --phase (it costs both
/// phases), with --report and neither --compare nor --sweep nor
/// --max-batch; a -D or a --sweep of seq or past, which the phase sets,
/// clashes.
std::optional<std::string> checkPhase(const Options &o, const std::vector<llvm::StringRef> &seen) {
  const cost::PhaseOptions &p = o.pipeline.phase;
  const bool generate = given(seen, "--generate");
  if (generate && given(seen, "--phase"))
    return std::string("--generate costs a whole request (the prefill, then the decode steps); "
                       "give it without --phase");
  if (p.phase == cost::Phase::None && !generate) {
    if (given(seen, "--prompt"))
      return std::string("option '--prompt' needs --phase prefill or --generate");
    if (given(seen, "--context"))
      return std::string("option '--context' needs --phase decode");
    return std::nullopt;
  }
  const bool decode = p.phase == cost::Phase::Decode;
  const char *phase = generate ? "--generate" : decode ? "--phase decode" : "--phase prefill";
  if (decode && !given(seen, "--context"))
    return std::string("--phase decode needs --context N (the tokens in the KV cache)");
  if (!decode && !given(seen, "--prompt"))
    return fmt::format("{} needs --prompt N (the prompt's tokens)", phase);
  if (decode && given(seen, "--prompt"))
    return std::string("option '--prompt' does not apply to --phase decode (its context is "
                       "--context)");
  if (!decode && given(seen, "--context"))
    return fmt::format("option '--context' does not apply to {} (a prompt starts with an "
                       "empty KV cache)",
                       phase);
  for (const char *name : {"seq", "past"}) {
    for (const auto &[n, v] : o.pipeline.elab.overrides)
      if (n == name)
        return fmt::format("parameter '{}' is set by {}; do not give -D {}", name, phase, name);
    for (const sweep::SweepSpec &s : o.sweep.sweeps)
      if (s.name == name)
        return fmt::format("parameter '{}' is set by {}; it cannot be swept", name, phase);
  }
  if (!generate)
    return std::nullopt;
  if (o.action != Action::Report)
    return std::string("option '--generate' needs --report");
  for (const char *name : {"--compare", "--sweep", "--max-batch"})
    if (given(seen, name))
      return fmt::format("option '{}' cannot be combined with --generate (use --phase prefill "
                         "or --phase decode)",
                         name);
  return std::nullopt;
}

void applyPhase(Options &o) {
  cost::PhaseOptions &p = o.pipeline.phase;
  if (p.generate > 0)
    p.phase = cost::Phase::Request;
  if (p.phase == cost::Phase::None)
    return;
  std::string flag =
      p.phase == cost::Phase::Request
          ? fmt::format("--prompt {} --generate {}", p.prompt, p.generate)
          : p.phase == cost::Phase::Decode ? fmt::format("--phase decode --context {}", p.context)
                                           : fmt::format("--phase prefill --prompt {}", p.prompt);
  for (ElabOptions *e : {&o.pipeline.elab, &o.compareElab}) {
    e->phaseArgs = {{"seq", std::to_string(p.seq())}, {"past", std::to_string(p.past())}};
    e->phaseFlag = flag;
  }
}

} // namespace netc::options
