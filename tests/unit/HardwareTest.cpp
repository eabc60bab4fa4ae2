// Unit tests of hardware profiles: units, reading declarations, the built-in
// profiles of std/hardware.net and --hw lookup.
#include "sema/Hardware.h"

#include <doctest/doctest.h>

#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <set>

using namespace netc;
using namespace netc::sema;
using namespace netc::target;

namespace {

std::string printed(const DiagEngine &d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  d.print(os);
  return os.str();
}

/// Every error as "LINE:COL: message" (notes as "note LINE:COL: message").
std::vector<std::string> located(const DiagEngine &d) {
  std::vector<std::string> out;
  for (const Diagnostic &e : d.diagnostics()) {
    out.push_back(fmt::format("{}:{}: {}", e.loc.line, e.loc.col, e.message));
    for (const Diagnostic &n : e.notes)
      out.push_back(fmt::format("note {}:{}: {}", n.loc.line, n.loc.col, n.message));
  }
  return out;
}

LoadOptions repoStdlib() {
  LoadOptions o;
  o.stdlibDir = NETC_TEST_DIR "/../stdlib";
  return o;
}

/// Parses `text` as t.net and reads its first hardware declaration.
struct Hw {
  llvm::SourceMgr sm;
  DiagEngine diag{sm, 0};
  std::optional<Program> program;
  std::optional<HardwareProfile> hw;

  explicit Hw(const std::string &text) {
    program = loadProgramFromText(diag, text, "t.net");
    REQUIRE_MESSAGE(program, printed(diag));
    for (const ast::DeclPtr &d : program->main().decls)
      if (const auto *h = llvm::dyn_cast<ast::HardwareDecl>(d.get())) {
        hw = readHardware(*h, diag);
        return;
      }
    FAIL("no hardware declaration");
  }
  std::vector<std::string> errors() const { return located(diag); }
};

/// The located errors of `hardware h { <body> }`, whose body starts on line 2.
std::vector<std::string> errorsOf(const std::string &body) {
  Hw h("hardware h {\n" + body + "}\n");
  CHECK_FALSE(h.hw);
  return h.errors();
}

constexpr const char *kOk = "  peak_fp32 = 1 GFLOP/s\n  bandwidth = 1 GB/s\n";

/// A scratch directory, removed afterwards.
struct TempDir {
  llvm::SmallString<128> dir;
  TempDir() {
    REQUIRE_FALSE(static_cast<bool>(llvm::sys::fs::createUniqueDirectory("netc-hw", dir)));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(dir); }
  std::string write(const std::string &name, const std::string &text) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    REQUIRE_FALSE(static_cast<bool>(ec));
    os << text;
    return std::string(p.str());
  }
};

} // namespace

// ------------------------------------------------------------------ units

TEST_CASE("hardware: compute-rate units (FLOP/s and OP/s, k M G T P)") {
  struct Case {
    const char *text;
    double scale;
  } cases[] = {{"FLOP/s", 1},     {"kFLOP/s", 1e3}, {"MFLOP/s", 1e6}, {"GFLOP/s", 1e9},
               {"TFLOP/s", 1e12}, {"PFLOP/s", 1e15}, {"OP/s", 1},      {"kOP/s", 1e3},
               {"MOP/s", 1e6},    {"GOP/s", 1e9},    {"TOP/s", 1e12},  {"POP/s", 1e15}};
  for (const Case &c : cases) {
    CAPTURE(c.text);
    std::optional<Unit> u = parseUnit(c.text);
    REQUIRE(u);
    CHECK(u->kind == UnitKind::FlopRate);
    CHECK(u->scale == c.scale);
  }
}

TEST_CASE("hardware: byte-rate units, decimal and binary prefixes") {
  struct Case {
    const char *text;
    double scale;
  } cases[] = {{"B/s", 1},       {"kB/s", 1e3},          {"KB/s", 1e3},
               {"MB/s", 1e6},    {"GB/s", 1e9},          {"TB/s", 1e12},
               {"KiB/s", 1024.}, {"MiB/s", 1048576.},    {"GiB/s", 1073741824.},
               {"TiB/s", 1099511627776.}};
  for (const Case &c : cases) {
    CAPTURE(c.text);
    std::optional<Unit> u = parseUnit(c.text);
    REQUIRE(u);
    CHECK(u->kind == UnitKind::ByteRate);
    CHECK(u->scale == c.scale);
  }
}

TEST_CASE("hardware: byte units, decimal and binary prefixes") {
  struct Case {
    const char *text;
    double scale;
  } cases[] = {{"B", 1},       {"kB", 1e3},       {"KB", 1e3},           {"MB", 1e6},
               {"GB", 1e9},    {"TB", 1e12},      {"KiB", 1024.},        {"MiB", 1048576.},
               {"GiB", 1073741824.}, {"TiB", 1099511627776.}};
  for (const Case &c : cases) {
    CAPTURE(c.text);
    std::optional<Unit> u = parseUnit(c.text);
    REQUIRE(u);
    CHECK(u->kind == UnitKind::Bytes);
    CHECK(u->scale == c.scale);
  }
}

TEST_CASE("hardware: units are strict") {
  for (const char *bad : {"", "GFLOPS", "TOPS", "gflop/s", "GFlop/s", "Gb/s", "gb", "GiB/sec",
                          "PB", "PiB/s", "KFLOP/s", "kiB", "FLOP", "s", "GB/s/s"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseUnit(bad));
  }
}

// -------------------------------------------------------------- profiles

TEST_CASE("hardware: the seed's Xeon, with its ridge point") {
  Hw h("hardware xeon_silver_4210 {\n"
       "  description = \"2x Intel Xeon Silver 4210, AVX-512 at 1.5 GHz\"\n"
       "  peak_fp32 = 960 GFLOP/s\n"
       "  peak_int8 = 3.84 TOP/s\n"
       "  bandwidth = 76.8 GB/s\n"
       "  memory = 128 GiB\n"
       "}\n");
  REQUIRE_MESSAGE(h.hw, printed(h.diag));
  const HardwareProfile &hw = *h.hw;
  CHECK(hw.name == "xeon_silver_4210");
  CHECK(hw.description == "2x Intel Xeon Silver 4210, AVX-512 at 1.5 GHz");
  CHECK(hw.loc.line == 1);
  CHECK(hw.loc.col == 10);
  CHECK(hw.peakFor(ir::DType::F32) == doctest::Approx(960e9));
  CHECK(hw.peakFor(ir::DType::F16) == 0);
  CHECK(hw.peakFor(ir::DType::BF16) == 0);
  CHECK(hw.peakFor(ir::DType::I8) == doctest::Approx(3.84e12));
  CHECK(hw.bandwidth == doctest::Approx(76.8e9));
  CHECK(hw.memory == 128.0 * 1024 * 1024 * 1024);
  CHECK(hw.ridge(ir::DType::F32) == doctest::Approx(12.5));
  CHECK(hw.ridge(ir::DType::I8) == doctest::Approx(50.0));
}

TEST_CASE("hardware: the RTX 3090, every dtype, on one line with semicolons") {
  Hw h("hardware rtx_3090 { peak_fp32 = 35686.4 GFLOP/s; peak_fp16 = 71 TFLOP/s; "
       "peak_bf16 = 71 TFLOP/s; peak_int8 = 284 TOP/s; bandwidth = 936 GB/s; memory = 24 GiB }");
  REQUIRE_MESSAGE(h.hw, printed(h.diag));
  CHECK(h.hw->description.empty());
  CHECK(h.hw->ridge(ir::DType::F32) == doctest::Approx(35686.4 / 936));
  CHECK(h.hw->ridge(ir::DType::F32) == doctest::Approx(38.13).epsilon(0.001));
  CHECK(h.hw->peakFor(ir::DType::F16) == doctest::Approx(71e12));
  CHECK(h.hw->peakFor(ir::DType::BF16) == doctest::Approx(71e12));
  CHECK(h.hw->peakFor(ir::DType::I8) == doctest::Approx(284e12));
  CHECK(h.hw->memory == 24.0 * 1024 * 1024 * 1024);
}

TEST_CASE("hardware: only peak_fp32 and bandwidth are required, '+' and KiB/s are fine") {
  Hw h("hardware tiny { peak_fp32 = +2 kFLOP/s  bandwidth = 1 KiB/s }");
  REQUIRE_MESSAGE(h.hw, printed(h.diag));
  CHECK(h.hw->peakFor(ir::DType::F32) == 2000);
  CHECK(h.hw->bandwidth == 1024);
  CHECK(h.hw->memory == 0);
  CHECK(h.hw->ridge(ir::DType::F32) == doctest::Approx(2000.0 / 1024));
}

// ---------------------------------------------------------------- errors

TEST_CASE("hardware: an unknown field suggests the closest name") {
  CHECK(errorsOf(std::string(kOk) + "  peek_fp16 = 1 TFLOP/s\n") ==
        std::vector<std::string>{"4:3: unknown hardware field 'peek_fp16'; did you mean "
                                 "'peak_fp16'?"});
  CHECK(errorsOf(std::string(kOk) + "  frobnicate = 1 GB\n") ==
        std::vector<std::string>{"4:3: unknown hardware field 'frobnicate' (known: "
                                 "description, peak_fp32, peak_fp16, peak_bf16, peak_int8, "
                                 "bandwidth, memory)"});
}

TEST_CASE("hardware: a duplicate field points at the first one") {
  CHECK(errorsOf(std::string(kOk) + "  bandwidth = 2 GB/s\n") ==
        std::vector<std::string>{"4:3: duplicate field 'bandwidth' in hardware 'h'",
                                 "note 3:3: first set here"});
}

TEST_CASE("hardware: a missing unit") {
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 76.8\n") ==
        std::vector<std::string>{"3:3: bandwidth needs a unit, like 76.8 GB/s"});
  CHECK(errorsOf(std::string(kOk) + "  memory = 128\n") ==
        std::vector<std::string>{"4:3: memory needs a unit, like 128 GiB"});
  CHECK(errorsOf("  peak_fp32 = 960\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:3: peak_fp32 needs a unit, like 960 GFLOP/s"});
}

TEST_CASE("hardware: a unit of the wrong kind") {
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 1 GFLOP/s\n") ==
        std::vector<std::string>{
            "3:17: bandwidth is bytes per second; 'GFLOP/s' is a compute rate"});
  CHECK(errorsOf("  peak_fp32 = 1 GB/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{
            "2:17: peak_fp32 is a compute rate; 'GB/s' is bytes per second"});
  CHECK(errorsOf(std::string(kOk) + "  memory = 16 GB/s\n") ==
        std::vector<std::string>{"4:15: memory is a size in bytes; 'GB/s' is bytes per second"});
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 1 GB\n") ==
        std::vector<std::string>{"3:17: bandwidth is bytes per second; 'GB' is a size in bytes"});
}

TEST_CASE("hardware: an unknown unit lists the accepted ones, or suggests one") {
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 1 GB/sec\n") ==
        std::vector<std::string>{
            "3:17: unknown unit 'GB/sec' (bandwidth takes bytes per second: B/s, kB/s, KB/s, "
            "MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, TiB/s)"});
  CHECK(errorsOf(std::string(kOk) + "  memory = 1 PB\n") ==
        std::vector<std::string>{"4:14: unknown unit 'PB' (memory takes a size in bytes: B, "
                                 "kB, KB, MB, GB, TB, KiB, MiB, GiB, TiB)"});
  CHECK(errorsOf("  peak_fp32 = 1 widgets\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{
            "2:17: unknown unit 'widgets' (peak_fp32 takes a compute rate: FLOP/s, kFLOP/s, "
            "MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s, OP/s, kOP/s, MOP/s, GOP/s, TOP/s, POP/s)"});
  CHECK(errorsOf("  peak_fp32 = 960 GFLOPS\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:19: unknown unit 'GFLOPS'; did you mean 'GFLOP/s'?"});
  CHECK(errorsOf(std::string(kOk) + "  peak_int8 = 284 TOPS\n") ==
        std::vector<std::string>{"4:19: unknown unit 'TOPS'; did you mean 'TOP/s'?"});
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 1 gib/s\n") ==
        std::vector<std::string>{"3:17: unknown unit 'gib/s'; did you mean 'GiB/s'?"});
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 100 Gb/s\n") ==
        std::vector<std::string>{"3:19: unknown unit 'Gb/s': netc counts bytes (B), not bits "
                                 "(b); 8 bits are 1 byte, so for example 8 Gb/s is 1 GB/s"});
}

TEST_CASE("hardware: values must be positive") {
  CHECK(errorsOf("  peak_fp32 = -960 GFLOP/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:15: peak_fp32 must be positive"});
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = 0 GB/s\n") ==
        std::vector<std::string>{"3:15: bandwidth must be positive"});
  CHECK(errorsOf(std::string(kOk) + "  memory = -0.5 GiB\n") ==
        std::vector<std::string>{"4:12: memory must be positive"});
  CHECK(errorsOf(std::string(kOk) + "  peak_fp16 = 1e300 PFLOP/s\n") ==
        std::vector<std::string>{"4:15: peak_fp16 is too large"});
}

TEST_CASE("hardware: values must be plain numbers") {
  CHECK(errorsOf("  peak_fp32 = 2 * 480 GFLOP/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:15: peak_fp32 must be a plain number, like 960 GFLOP/s "
                                 "(hardware values are not evaluated)"});
  CHECK(errorsOf("  peak_fp32 = 1 GFLOP/s\n  bandwidth = bw GB/s\n") ==
        std::vector<std::string>{"3:15: bandwidth must be a plain number, like 76.8 GB/s "
                                 "(hardware values are not evaluated)"});
  CHECK(errorsOf("  peak_fp32 = \"fast\" GFLOP/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:15: peak_fp32 must be a number, like 960 GFLOP/s"});
  CHECK(errorsOf("  peak_fp32 = -x GFLOP/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:15: peak_fp32 must be a plain number, like 960 GFLOP/s "
                                 "(hardware values are not evaluated)"});
}

TEST_CASE("hardware: description is a string without a unit") {
  CHECK(errorsOf(std::string(kOk) + "  description = 42\n") ==
        std::vector<std::string>{
            "4:17: description must be a string, like \"2x Intel Xeon Silver 4210\""});
  CHECK(errorsOf(std::string(kOk) + "  description = \"box\" GB\n") ==
        std::vector<std::string>{"4:23: description takes no unit, found 'GB'"});
}

TEST_CASE("hardware: peak_fp32 and bandwidth are required") {
  CHECK(errorsOf("  memory = 1 GiB\n") ==
        std::vector<std::string>{
            "1:10: hardware 'h' has no peak_fp32; add one, like peak_fp32 = 960 GFLOP/s",
            "1:10: hardware 'h' has no bandwidth; add one, like bandwidth = 76.8 GB/s"});
  // A required field that is present but wrong is reported once, not as missing.
  CHECK(errorsOf("  peak_fp32 = 0 GFLOP/s\n  bandwidth = 1 GB/s\n") ==
        std::vector<std::string>{"2:15: peak_fp32 must be positive"});
}

TEST_CASE("hardware: every error of a declaration is reported, printed clang-style") {
  Hw h("hardware h {\n  peak_fp32 = -1 GFLOP/s\n  bandwidth = 1 GFLOP/s\n  memory = 1 PB\n}\n");
  CHECK_FALSE(h.hw);
  CHECK(h.diag.errorCount() == 3);
  std::string out = printed(h.diag);
  CHECK(out.find("t.net:2:15: error: peak_fp32 must be positive\n  peak_fp32 = -1 GFLOP/s\n"
                 "              ^\n") != std::string::npos);
  CHECK(out.find("t.net:3:17: error: bandwidth is bytes per second") != std::string::npos);
  CHECK(out.find("t.net:4:14: error: unknown unit 'PB'") != std::string::npos);
}

// ---------------------------------------------------------------- built-ins

TEST_CASE("hardware: the built-in profiles all load, with their sources") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm, 0);
  std::optional<std::vector<HardwareProfile>> all = builtinHardware(diag, repoStdlib());
  REQUIRE_MESSAGE(all, printed(diag));
  CHECK_FALSE(diag.hasErrors());
  REQUIRE(all->size() >= 8);
  std::set<std::string> names;
  for (const HardwareProfile &hw : *all) {
    CAPTURE(hw.name);
    CHECK(names.insert(hw.name).second);
    CHECK(hw.peakFor(ir::DType::F32) > 0);
    CHECK(hw.bandwidth > 0);
    CHECK(hw.memory > 0);
    CHECK_FALSE(hw.description.empty());
    // Diagnostics about a built-in name the file as it is imported.
    CHECK(std::string(sm.getMemoryBuffer(hw.loc.file)->getBufferIdentifier()) ==
          "std/hardware.net");
  }
  for (const char *n : {"xeon_silver_4210", "rtx_3090", "i5_6300u", "a100_sxm4_80gb",
                        "h100_sxm5", "apple_a17_pro", "raspberry_pi_4", "jetson_agx_orin_64gb"})
    CHECK(names.count(n) == 1);
  CHECK(all->front().name == kDefaultHardware); // file order: the default first
  CHECK(all->front().ridge(ir::DType::F32) == doctest::Approx(12.5));
}

TEST_CASE("hardware: the seed's figures in std/hardware.net") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm, 0);
  auto all = builtinHardware(diag, repoStdlib());
  REQUIRE_MESSAGE(all, printed(diag));
  auto get = [&](llvm::StringRef name) -> const HardwareProfile & {
    auto it = std::find_if(all->begin(), all->end(),
                           [&](const HardwareProfile &h) { return h.name == name; });
    REQUIRE(it != all->end());
    return *it;
  };
  const HardwareProfile &xeon = get("xeon_silver_4210");
  CHECK(xeon.peakFor(ir::DType::F32) == doctest::Approx(960e9));
  CHECK(xeon.peakFor(ir::DType::F16) == 0); // no fp16 arithmetic on Cascade Lake
  CHECK(xeon.bandwidth == doctest::Approx(76.8e9));
  const HardwareProfile &gpu = get("rtx_3090");
  CHECK(gpu.ridge(ir::DType::F32) == doctest::Approx(38.13).epsilon(0.001));
  CHECK(get("i5_6300u").peakFor(ir::DType::F32) == doctest::Approx(153.6e9));
  CHECK(get("raspberry_pi_4").bandwidth == doctest::Approx(12.8e9));
  CHECK(get("jetson_agx_orin_64gb").bandwidth == doctest::Approx(204.8e9));
}

TEST_CASE("hardware: a missing standard library is one clear error") {
  TempDir t;
  LoadOptions o;
  o.stdlibDir = std::string(t.dir);
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(builtinHardware(diag, o));
  REQUIRE(diag.errorCount() == 1);
  CHECK(diag.diagnostics()[0].message ==
        "cannot find the built-in hardware profiles (std/hardware.net); check --stdlib or "
        "$NETC_STDLIB");
}

TEST_CASE("hardware: errors in a built-in profile are located in std/hardware.net") {
  TempDir t;
  t.write("hardware.net", "hardware ok { peak_fp32 = 1 GFLOP/s  bandwidth = 1 GB/s }\n"
                          "hardware bad { peak_fp32 = 1 GFLOP/s }\n"
                          "hardware ok { peak_fp32 = 1 GFLOP/s  bandwidth = 1 GB/s }\n");
  LoadOptions o;
  o.stdlibDir = std::string(t.dir);
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(builtinHardware(diag, o));
  std::string out = printed(diag);
  CHECK(out.find("std/hardware.net:2:10: error: hardware 'bad' has no bandwidth") !=
        std::string::npos);
  CHECK(out.find("std/hardware.net:3:10: error: duplicate hardware profile 'ok'") !=
        std::string::npos);
  CHECK(out.find("std/hardware.net:1:10: note: first declared here") != std::string::npos);
}

// ------------------------------------------------------------------ --hw

TEST_CASE("hardware: --hw NAME finds a built-in profile") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<HardwareProfile> hw = findHardware("rtx_3090", nullptr, diag, repoStdlib());
  REQUIRE_MESSAGE(hw, printed(diag));
  CHECK(hw->name == "rtx_3090");
  CHECK(hw->peakFor(ir::DType::F32) == doctest::Approx(35686.4e9));
  CHECK(hw->bandwidth == doctest::Approx(936e9));

  std::optional<HardwareProfile> def = findHardware(kDefaultHardware, nullptr, diag, repoStdlib());
  REQUIRE_MESSAGE(def, printed(diag));
  CHECK(def->ridge(ir::DType::F32) == doctest::Approx(12.5));
}

TEST_CASE("hardware: --hw NAME looks in the user's program first") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<Program> prog = loadProgramFromText(
      diag,
      "hardware my_box { peak_fp32 = 2 TFLOP/s  bandwidth = 100 GB/s }\n"
      "hardware rtx_3090 { peak_fp32 = 1 TFLOP/s  bandwidth = 1 TB/s }\n"
      "network n() { return input([1, 3, 8, 8]) }\n",
      "user.net", repoStdlib());
  REQUIRE_MESSAGE(prog, printed(diag));

  std::optional<HardwareProfile> mine = findHardware("my_box", &*prog, diag, repoStdlib());
  REQUIRE_MESSAGE(mine, printed(diag));
  CHECK(mine->ridge(ir::DType::F32) == doctest::Approx(20.0));
  CHECK(mine->loc.line == 1);

  // A user's profile with a built-in's name is found before the built-in.
  std::optional<HardwareProfile> shadow = findHardware("rtx_3090", &*prog, diag, repoStdlib());
  REQUIRE_MESSAGE(shadow, printed(diag));
  CHECK(shadow->peakFor(ir::DType::F32) == doctest::Approx(1e12));
  CHECK(shadow->loc.line == 2);

  // Other names still reach the built-ins.
  std::optional<HardwareProfile> pi = findHardware("raspberry_pi_4", &*prog, diag, repoStdlib());
  REQUIRE_MESSAGE(pi, printed(diag));
  CHECK_FALSE(diag.hasErrors());
}

TEST_CASE("hardware: --hw NAME finds profiles in the program's imports") {
  TempDir t;
  t.write("boxes.net", "hardware lab_box { peak_fp32 = 4 TFLOP/s  bandwidth = 200 GB/s }\n");
  std::string main = t.write("main.net", "import \"boxes.net\"\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<Program> prog = loadProgram(diag, main, repoStdlib());
  REQUIRE_MESSAGE(prog, printed(diag));
  std::optional<HardwareProfile> hw = findHardware("lab_box", &*prog, diag, repoStdlib());
  REQUIRE_MESSAGE(hw, printed(diag));
  CHECK(hw->ridge(ir::DType::F32) == doctest::Approx(20.0));
}

TEST_CASE("hardware: --hw FILE takes a file declaring exactly one profile") {
  TempDir t;
  std::string one = t.write("box.net",
                            "hardware second { peak_fp32 = 3 TFLOP/s  bandwidth = 30 GB/s }\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<HardwareProfile> hw = findHardware(one, nullptr, diag, repoStdlib());
  REQUIRE_MESSAGE(hw, printed(diag));
  CHECK(hw->name == "second");
  CHECK(hw->ridge(ir::DType::F32) == doctest::Approx(100.0));

  // Two profiles: an error naming both, never "the last one wins".
  std::string two = t.write("boxes.net",
                            "hardware first { peak_fp32 = 1 TFLOP/s  bandwidth = 1 GB/s }\n"
                            "hardware second { peak_fp32 = 3 TFLOP/s  bandwidth = 30 GB/s }\n");
  CHECK_FALSE(findHardware(two, nullptr, diag, repoStdlib()));
  CHECK(printed(diag).find(two + ": error: '" + two + "' declares 2 hardware profiles ('first', "
                                 "'second')") != std::string::npos);

  std::string none = t.write("none.net", "block b(x) { return x }\n");
  llvm::SourceMgr sm2;
  DiagEngine diag2(sm2);
  CHECK_FALSE(findHardware(none, nullptr, diag2, repoStdlib()));
  CHECK(printed(diag2).find(none + ": error: '" + none + "' declares no hardware profile") !=
        std::string::npos);
}

TEST_CASE("hardware: --hw FILE reports the file's errors") {
  TempDir t;
  std::string file = t.write("bad.net", "hardware b {\n  peak_fp32 = 1 GFLOPS\n"
                                        "  bandwidth = 1 GB/s\n}\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(findHardware(file, nullptr, diag, repoStdlib()));
  CHECK(printed(diag).find(file + ":2:17: error: unknown unit 'GFLOPS'; did you mean "
                                  "'GFLOP/s'?") != std::string::npos);

  llvm::SourceMgr sm2;
  DiagEngine diag2(sm2);
  CHECK_FALSE(findHardware(std::string(t.dir) + "/missing.net", nullptr, diag2, repoStdlib()));
  CHECK(diag2.hasErrors());
}

TEST_CASE("hardware: an unknown --hw name lists every known name, sorted") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<Program> prog = loadProgramFromText(
      diag, "hardware zz_mine { peak_fp32 = 2 TFLOP/s  bandwidth = 100 GB/s }\n", "user.net",
      repoStdlib());
  REQUIRE_MESSAGE(prog, printed(diag));
  CHECK_FALSE(findHardware("rtx3090", &*prog, diag, repoStdlib()));
  REQUIRE(diag.errorCount() == 1);
  const Diagnostic &d = diag.diagnostics()[0];
  CHECK_FALSE(d.loc.valid());
  CHECK(d.message == "unknown hardware 'rtx3090'; did you mean 'rtx_3090'? (known: "
                     "a100_sxm4_80gb, apple_a17_pro, h100_sxm5, i5_6300u, jetson_agx_orin_64gb, "
                     "raspberry_pi_4, rtx_3090, xeon_silver_4210, zz_mine); see --list-hw");
  CHECK(printed(diag).rfind("netc: error: unknown hardware 'rtx3090'", 0) == 0);

  // Nothing close: the list only.
  llvm::SourceMgr sm2;
  DiagEngine diag2(sm2);
  CHECK_FALSE(findHardware("tpu_v4", &*prog, diag2, repoStdlib()));
  REQUIRE(diag2.errorCount() == 1);
  CHECK(diag2.diagnostics()[0].message.rfind("unknown hardware 'tpu_v4' (known: ", 0) == 0);
}
