#include "driver/Options.h"

#include <doctest/doctest.h>

#include <vector>

using namespace netc;

namespace {
struct Run {
  Options opts;
  std::optional<int> rc;
  std::string out, err;
  explicit Run(std::vector<const char *> args) {
    args.insert(args.begin(), "netc");
    llvm::raw_string_ostream o(out), e(err);
    rc = parseOptions(static_cast<int>(args.size()), args.data(), opts, o, e);
    o.flush();
    e.flush();
  }
};
} // namespace

TEST_CASE("options: an input and an action") {
  Run r({"--emit=ast", "m.net"});
  CHECK_FALSE(r.rc);
  CHECK(r.opts.action == Action::EmitAST);
  CHECK(r.opts.input == "m.net");
  Run s({"--emit", "ast", "-o", "out.txt", "-Iinc", "-I", "inc2", "m.net"});
  CHECK_FALSE(s.rc);
  CHECK(s.opts.output == "out.txt");
  CHECK(s.opts.pipeline.load.includeDirs == std::vector<std::string>{"inc", "inc2"});
}

TEST_CASE("options: usage errors exit 2 with a short usage") {
  for (auto args : std::vector<std::vector<const char *>>{
           {}, {"--bogus", "m.net"}, {"a.net", "b.net"}, {"--emit=tokens", "m.net"},
           {"--emit"}, {"--max-nesting=-3", "m.net"}}) {
    Run r(args);
    REQUIRE(r.rc);
    CHECK(*r.rc == 2);
    CHECK(r.err.rfind("netc: error: ", 0) == 0);
    CHECK(r.err.find("usage: netc") != std::string::npos);
  }
}

TEST_CASE("options: --help lists every option and exits 0") {
  Run r({"--help"});
  REQUIRE(r.rc);
  CHECK(*r.rc == 0);
  for (const char *name : {"--emit", "-o", "-I", "--stdlib", "--max-nesting", "--error-limit"})
    CHECK_MESSAGE(r.out.find(name) != std::string::npos, name);
}

TEST_CASE("options: numeric limits are parsed") {
  Run r({"--max-nesting=50", "--error-limit", "0", "m.net"});
  CHECK_FALSE(r.rc);
  CHECK(r.opts.pipeline.load.parse.maxNesting == 50);
  CHECK(r.opts.pipeline.errorLimit == 0);
}

namespace {
/// A usage error (exit 2) whose first line is exactly `message`.
void checkUsageError(std::vector<const char *> args, const std::string &message) {
  Run r(std::move(args));
  REQUIRE(r.rc);
  CHECK(*r.rc == 2);
  CHECK(r.err.substr(0, r.err.find('\n')) == "netc: error: " + message);
}
} // namespace

TEST_CASE("options: two outputs in one run are a usage error") {
  checkUsageError({"--opt-report", "--report", "m.net"},
                  "options '--opt-report' and '--report' ask for two outputs; run netc twice");
  checkUsageError({"--report", "--emit=graph", "m.net"},
                  "options '--report' and '--emit=graph' ask for two outputs; run netc twice");
  checkUsageError({"--emit=ast", "--emit", "graph", "m.net"},
                  "options '--emit=ast' and '--emit=graph' ask for two outputs; run netc twice");
  checkUsageError({"--compare", "b.net", "--opt-report", "m.net"},
                  "options '--compare' and '--opt-report' ask for two outputs; run netc twice");
  checkUsageError({"--list-ops", "--report", "m.net"},
                  "options '--list-ops' and '--report' ask for two outputs; run netc twice");
  // The same output twice, or --compare with --report, is one output.
  Run same({"--report", "--compare", "b.net", "--report", "m.net"});
  CHECK_FALSE(same.rc);
  CHECK(same.opts.action == Action::Report);
}

TEST_CASE("options: a single-valued option given twice is a usage error") {
  checkUsageError({"-o", "a", "-o", "b", "m.net"}, "option '-o' given twice");
  checkUsageError({"--report", "--hw", "a", "--hw=b", "m.net"}, "option '--hw' given twice");
  checkUsageError({"--report", "--format", "json", "--format", "json", "m.net"},
                  "option '--format' given twice");
  checkUsageError({"--network", "a", "--network", "b", "m.net"}, "option '--network' given twice");
  checkUsageError({"--report", "--batch", "2", "--batch", "3", "m.net"},
                  "option '--batch' given twice");
  // The repeatable ones, and flags, may repeat.
  Run r({"-D", "a=1", "-D", "b=2", "-Ix", "-Iy", "--report", "--report", "-O0", "--no-opt",
         "m.net"});
  CHECK_FALSE(r.rc);
  CHECK(r.opts.pipeline.elab.overrides.size() == 2);
}

TEST_CASE("options: combinations that would be ignored are usage errors") {
  checkUsageError({"--compare", "b.net", "--group-by", "op", "m.net"},
                  "option '--group-by' cannot be combined with --compare (the comparison shows "
                  "totals only)");
  checkUsageError({"--compare", "b.net", "--top", "3", "m.net"},
                  "option '--top' cannot be combined with --compare (the comparison shows "
                  "totals only)");
  checkUsageError({"--report", "--compare-network", "x", "m.net"},
                  "option '--compare-network' needs --compare");
  checkUsageError({"--report", "--hw", "", "m.net"},
                  "--hw expects a profile name or a file, got ''");
  checkUsageError({"--opt-report", "--format", "csv", "m.net"},
                  "--opt-report writes a table, JSON or HTML, not --format csv");
  checkUsageError({"--opt-report", "--top", "3", "m.net"},
                  "option '--top' needs --report (the optimization report has no layer table)");
  Run json({"--opt-report", "--format", "json", "m.net"});
  CHECK_FALSE(json.rc);
  CHECK(json.opts.format == report::ReportFormat::Json);
}

TEST_CASE("options: a misspelled option gets a suggestion, a far one does not") {
  checkUsageError({"--reprot", "m.net"}, "unknown option '--reprot'; did you mean '--report'?");
  checkUsageError({"--max-node=5", "m.net"},
                  "unknown option '--max-node=5'; did you mean '--max-nodes'?");
  checkUsageError({"--bogus", "m.net"}, "unknown option '--bogus'");
  checkUsageError({"-x", "m.net"}, "unknown option '-x'");
}

TEST_CASE("options: limits say their maximum") {
  checkUsageError({"--report", "--batch", "2000000000000", "m.net"},
                  "--batch is at most 1099511627776 (2^40), got '2000000000000'");
  checkUsageError({"--report", "--batch", "99999999999999999999999", "m.net"},
                  "--batch is at most 1099511627776 (2^40), got '99999999999999999999999'");
  checkUsageError({"--report", "--batch", "-1", "m.net"},
                  "--batch expects a positive integer, got '-1'");
  checkUsageError({"--max-call-depth", "99999999999999999999", "m.net"},
                  "--max-call-depth is at most 4294967295, got '99999999999999999999'");
  checkUsageError({"--error-limit", "5000000000", "m.net"},
                  "--error-limit is at most 4294967295, got '5000000000'");
  checkUsageError({"--report", "--sweep", "w=1:1e30:1", "m.net"},
                  "--sweep w: stop '1e30' is too large (at most 18 digits before the point)");
}

TEST_CASE("options: --help names netc calibrate and every exit status") {
  Run r({"--help"});
  REQUIRE(r.rc);
  CHECK(r.out.find("netc calibrate") != std::string::npos);
  CHECK(r.out.find("3 an internal error") != std::string::npos);
}

TEST_CASE("options: options of the passes need an output that runs them") {
  checkUsageError({"--emit=graph", "-O0", "m.net"},
                  "option '-O0' needs an output that runs the passes: --report, --opt-report, "
                  "--emit=opt-graph, --emit=dot, --emit=onnx, --emit=cpp or netc measure");
  checkUsageError({"--print-after-all", "m.net"},
                  "option '--print-after-all' needs an output that runs the passes: --report, "
                  "--opt-report, --emit=opt-graph, --emit=dot, --emit=onnx, --emit=cpp or "
                  "netc measure");
  checkUsageError({"--report", "--force", "m.net"}, "option '--force' needs -o");
  Run ok({"--emit=opt-graph", "--passes", "fold-batchnorm", "--verify-each", "m.net"});
  CHECK_FALSE(ok.rc);
}

TEST_CASE("options: --emit=dot runs the passes, --dot-color bound takes the cost options") {
  Run asWritten({"--emit=dot", "-O0", "m.net"});
  CHECK_FALSE(asWritten.rc);
  Run colored({"--emit=dot", "--dot-color", "bound", "--hw", "h100_sxm5", "--dtype", "fp16",
               "--batch", "8", "m.net"});
  CHECK_FALSE(colored.rc);
  CHECK(colored.opts.dotColorBound);
  checkUsageError({"--emit=dot", "--hw", "h100_sxm5", "m.net"},
                  "option '--hw' needs --report (or --emit=dot --dot-color bound, which costs "
                  "each layer)");
  checkUsageError({"--emit=dot", "--dot-color", "bound", "--top", "3", "m.net"},
                  "option '--top' needs --report");
  checkUsageError({"--report", "--dot-color", "bound", "m.net"},
                  "option '--dot-color' needs --emit=dot");
  checkUsageError({"--emit=dot", "--dot-color", "op", "m.net"},
                  "unknown --dot-color 'op' (expected: bound, none)");
}
