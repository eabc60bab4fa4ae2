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
