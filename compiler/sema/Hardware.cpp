//===- Hardware.cpp - hardware profiles -------------------------------------===//
//
// Reads `hardware NAME { field = value unit ... }` declarations into
// HardwareProfiles, and finds the profile --hw names: a file, a declaration
// of the user's program, or a built-in profile of std/hardware.net. The
// units and their messages are in HardwareUnits.cpp.
//
//===----------------------------------------------------------------------===//
#include "sema/Hardware.h"

#include "sema/HardwareUnits.h"
#include "support/Suggest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>

namespace netc::sema {

using target::HardwareProfile;
using target::OpClass;

using llvm::StringRef;

namespace {

/// Where an expression starts in the source (a binary expression's own loc
/// is its operator): errors about a value point at its first character.
SourceLoc startOf(const ast::Expr &e) {
  const ast::Expr *cur = &e;
  while (true) {
    if (const auto *b = llvm::dyn_cast<ast::BinaryExpr>(cur))
      cur = b->lhs.get();
    else if (const auto *c = llvm::dyn_cast<ast::CondExpr>(cur))
      cur = c->cond.get();
    else if (const auto *p = llvm::dyn_cast<ast::PipeExpr>(cur))
      cur = p->lhs.get();
    else if (const auto *i = llvm::dyn_cast<ast::IndexExpr>(cur))
      cur = i->base.get();
    else
      return cur->loc;
  }
}

/// The fields a hardware declaration may set; kFields lists them in this order.
enum class Field {
  Description,
  PeakF32,
  PeakF16,
  PeakBF16,
  PeakI8,
  Bandwidth,
  Memory,
  EffDense,
  EffDepthwise,
  EffElementwise,
  EffPool,
  LayerOverhead,
};

struct FieldSpec {
  const char *name;
  Field field;
  UnitKind kind;       ///< unused for description
  const char *example; ///< a well-formed value with its unit
};

constexpr FieldSpec kFields[] = {
    {"description", Field::Description, UnitKind::Bytes, "\"2x Intel Xeon Silver 4210\""},
    {"peak_fp32", Field::PeakF32, UnitKind::FlopRate, "960 GFLOP/s"},
    {"peak_fp16", Field::PeakF16, UnitKind::FlopRate, "71 TFLOP/s"},
    {"peak_bf16", Field::PeakBF16, UnitKind::FlopRate, "71 TFLOP/s"},
    {"peak_int8", Field::PeakI8, UnitKind::FlopRate, "284 TOP/s"},
    {"bandwidth", Field::Bandwidth, UnitKind::ByteRate, "76.8 GB/s"},
    {"memory", Field::Memory, UnitKind::Bytes, "128 GiB"},
    {"eff_dense", Field::EffDense, UnitKind::Ratio, "0.62"},
    {"eff_depthwise", Field::EffDepthwise, UnitKind::Ratio, "0.25"},
    {"eff_elementwise", Field::EffElementwise, UnitKind::Ratio, "0.8"},
    {"eff_pool", Field::EffPool, UnitKind::Ratio, "0.5"},
    {"layer_overhead", Field::LayerOverhead, UnitKind::Seconds, "2 us"},
};
constexpr bool fieldsInOrder() {
  for (size_t i = 0; i < std::size(kFields); ++i)
    if (static_cast<size_t>(kFields[i].field) != i)
      return false;
  return true;
}
static_assert(fieldsInOrder(), "kFields must list the fields in the order of enum Field");

const FieldSpec *findField(StringRef name) {
  for (const FieldSpec &f : kFields)
    if (name == f.name)
      return &f;
  return nullptr;
}

/// A measured kernel configuration: may repeat (HardwareReader::readKernel).
constexpr const char *kKernelField = "kernel";

/// The fields every profile may set; with `calibration`, the fields of a
/// calibrated profile (netc calibrate) instead.
std::string knownFieldList(bool calibration = false) {
  std::string s;
  for (const FieldSpec &f : kFields)
    if ((static_cast<int>(f.field) >= static_cast<int>(Field::EffDense)) == calibration)
      s += (s.empty() ? "" : ", ") + std::string(f.name);
  return s;
}

class HardwareReader {
public:
  HardwareReader(const ast::HardwareDecl &decl, DiagEngine &diag) : decl(decl), diag(diag) {}

  std::optional<HardwareProfile> run() {
    HardwareProfile hw;
    hw.name = decl.name;
    hw.loc = decl.loc;
    const ast::HwField *seen[std::size(kFields)] = {};
    for (const ast::HwField &field : decl.fields) {
      if (field.name == kKernelField) { // repeats: one line per measured configuration
        readKernel(field, hw);
        continue;
      }
      const FieldSpec *spec = findField(field.name);
      if (!spec) {
        unknownField(field);
        continue;
      }
      size_t index = static_cast<size_t>(spec - kFields);
      if (seen[index]) {
        Diagnostic &d =
            fail(field.loc, fmt::format("duplicate field '{}' in hardware '{}'", field.name,
                                        decl.name));
        DiagEngine::addNote(d, seen[index]->loc, "first set here");
        continue;
      }
      seen[index] = &field;
      if (spec->field == Field::Description)
        readDescription(field, hw);
      else if (std::optional<double> v = readQuantity(field, *spec))
        store(hw, spec->field, *v);
    }
    for (Field required : {Field::PeakF32, Field::Bandwidth}) {
      const FieldSpec &spec = kFields[static_cast<size_t>(required)];
      if (!seen[static_cast<size_t>(required)])
        fail(decl.loc, fmt::format("hardware '{}' has no {}; add one, like {} = {}", decl.name,
                                   spec.name, spec.name, spec.example));
    }
    if (failed)
      return std::nullopt;
    return hw;
  }

private:
  Diagnostic &fail(SourceLoc loc, std::string message) {
    failed = true;
    return diag.error(loc, std::move(message));
  }

  void unknownField(const ast::HwField &field) {
    const FieldSpec *best = nullptr;
    unsigned bestDist = 4;
    for (const FieldSpec &f : kFields) {
      unsigned d = StringRef(field.name).edit_distance(f.name, true, bestDist);
      if (d < bestDist) {
        bestDist = d;
        best = &f;
      }
    }
    if (best)
      fail(field.loc, fmt::format("unknown hardware field '{}'; did you mean '{}'?", field.name,
                                  best->name));
    else if (StringRef(field.name).startswith("eff") || StringRef(field.name).startswith("layer"))
      fail(field.loc, fmt::format("unknown hardware field '{}' (calibrated profiles take: {}, {})",
                                  field.name, knownFieldList(/*calibration=*/true), kKernelField));
    else
      fail(field.loc, fmt::format("unknown hardware field '{}' (known: {})", field.name,
                                  knownFieldList()));
  }

  /// `kernel = FAMILY(KEY = INT, ..., us = TIME)`: a configuration netc
  /// calibrate measured (target/Kernels.h), its median time in microseconds.
  void readKernel(const ast::HwField &field, HardwareProfile &hw) {
    constexpr const char *kExample =
        "kernel = conv(cin=64, cout=64, groups=1, h=56, w=56, kh=3, kw=3, stride=1, us=2120.5)";
    const auto *call = llvm::dyn_cast<ast::CallExpr>(field.value.get());
    const auto *callee = call ? llvm::dyn_cast<ast::NameExpr>(call->callee.get()) : nullptr;
    if (!callee) {
      fail(startOf(*field.value),
           fmt::format("kernel must be a measured configuration, like {}", kExample));
      return;
    }
    if (!field.unit.empty())
      fail(field.unitLoc, "kernel takes no unit: its time is the argument us");
    target::KernelSample k;
    k.family = callee->name;
    k.loc = field.loc;
    const llvm::ArrayRef<const char *> keys = target::kernelKeys(k.family);
    k.dims.assign(keys.size(), 0);
    bool ok = true;
    std::vector<std::string> given;
    for (const ast::Arg &arg : call->args) {
      auto key = llvm::find_if(keys, [&](const char *n) { return arg.name == n; });
      if (arg.name.empty() || (key == keys.end() && arg.name != "us")) {
        fail(arg.loc, fmt::format("kernel '{}' takes {}, us (each by name)", k.family,
                                  fmt::join(keys, ", ")));
        return; // one error for the line
      }
      if (llvm::is_contained(given, arg.name)) {
        ok = false;
        fail(arg.loc, fmt::format("duplicate '{}' in kernel '{}'", arg.name, k.family));
        continue;
      }
      given.push_back(arg.name);
      std::optional<double> v = kernelNumber(*arg.value, arg.name, key == keys.end());
      if (!v)
        ok = false;
      else if (key == keys.end())
        k.seconds = *v * 1e-6;
      else
        k.dims[static_cast<size_t>(key - keys.begin())] = static_cast<int64_t>(*v);
    }
    for (const char *key : keys)
      if (ok && !llvm::is_contained(given, key))
        ok = false, fail(field.loc, fmt::format("kernel '{}' has no {}", k.family, key));
    if (ok && k.seconds <= 0)
      ok = false, fail(field.loc, fmt::format("kernel '{}' has no time (us)", k.family));
    if (!ok)
      return;
    target::prepareKernel(k);
    hw.kernels.push_back(std::move(k));
    hw.hasCalibration = true;
  }

  /// A kernel's positive number: an integer dim, or the time (`real`).
  std::optional<double> kernelNumber(const ast::Expr &e, const std::string &name, bool real) {
    double v = -1;
    if (const auto *i = llvm::dyn_cast<ast::IntLit>(&e))
      v = static_cast<double>(i->value);
    else if (const auto *f = llvm::dyn_cast<ast::FloatLit>(&e); f && real)
      v = f->value;
    if (v > 0 && std::isfinite(v) && (real || v < 9.0e15))
      return v;
    fail(startOf(e), fmt::format("{} must be a positive {}", name,
                                 real ? "number (microseconds)" : "integer"));
    return std::nullopt;
  }

  void readDescription(const ast::HwField &field, HardwareProfile &hw) {
    if (const auto *s = llvm::dyn_cast<ast::StringLit>(field.value.get()))
      hw.description = s->value;
    else
      fail(startOf(*field.value),
           "description must be a string, like \"2x Intel Xeon Silver 4210\"");
    if (!field.unit.empty())
      fail(field.unitLoc, fmt::format("description takes no unit, found '{}'", field.unit));
  }

  /// The field's value in base units (FLOP/s, B/s, B), or nothing after an error.
  std::optional<double> readQuantity(const ast::HwField &field, const FieldSpec &spec) {
    std::optional<double> number = readNumber(field, spec);
    if (spec.kind == UnitKind::Ratio) { // a plain number: no unit
      if (!field.unit.empty()) {
        fail(field.unitLoc, fmt::format("{} is a plain number (a fraction of the roofline), "
                                        "found unit '{}'; write it like {} = {}",
                                        spec.name, field.unit, spec.name, spec.example));
        return std::nullopt;
      }
      return number;
    }
    std::optional<Unit> unit;
    if (field.unit.empty()) {
      fail(field.loc, fmt::format("{} needs a unit, like {}", spec.name, spec.example));
    } else if (spec.kind == UnitKind::Seconds && (unit = parseTimeUnit(field.unit))) {
      // a time, for the one field that takes one
    } else if (!(unit = parseUnit(field.unit))) {
      fail(field.unitLoc, unknownUnitMessage(field.unit, spec.name, spec.kind));
    } else if (unit->kind != spec.kind) {
      fail(field.unitLoc, fmt::format("{} is {}; '{}' is {}", spec.name, describe(spec.kind),
                                      field.unit, describe(unit->kind)));
      unit.reset();
    }
    if (!number || !unit)
      return std::nullopt;
    double v = *number * unit->scale;
    if (!std::isfinite(v)) {
      fail(startOf(*field.value), fmt::format("{} is too large", spec.name));
      return std::nullopt;
    }
    return v;
  }

  /// A plain number literal, optionally signed; only positive values pass.
  std::optional<double> readNumber(const ast::HwField &field, const FieldSpec &spec) {
    const ast::Expr *e = field.value.get();
    bool negative = false;
    if (const auto *u = llvm::dyn_cast<ast::UnaryExpr>(e);
        u && (u->op == ast::UnaryOp::Neg || u->op == ast::UnaryOp::Plus)) {
      negative = u->op == ast::UnaryOp::Neg;
      e = u->operand.get();
    }
    double v;
    if (const auto *i = llvm::dyn_cast<ast::IntLit>(e))
      v = static_cast<double>(i->value);
    else if (const auto *f = llvm::dyn_cast<ast::FloatLit>(e))
      v = f->value;
    else {
      bool isValue = llvm::isa<ast::StringLit, ast::BoolLit, ast::NoneLit>(e);
      fail(startOf(*field.value),
           isValue ? fmt::format("{} must be a number, like {}", spec.name, spec.example)
                   : fmt::format("{} must be a plain number, like {} (hardware values are "
                                 "not evaluated)",
                                 spec.name, spec.example));
      return std::nullopt;
    }
    if (negative)
      v = -v;
    if (!(v > 0)) {
      fail(startOf(*field.value), fmt::format("{} must be positive", spec.name));
      return std::nullopt;
    }
    return v;
  }

  static void store(HardwareProfile &hw, Field f, double v) {
    switch (f) {
    case Field::PeakF32:
      hw.peak[static_cast<int>(ir::DType::F32)] = v;
      break;
    case Field::PeakF16:
      hw.peak[static_cast<int>(ir::DType::F16)] = v;
      break;
    case Field::PeakBF16:
      hw.peak[static_cast<int>(ir::DType::BF16)] = v;
      break;
    case Field::PeakI8:
      hw.peak[static_cast<int>(ir::DType::I8)] = v;
      break;
    case Field::Bandwidth:
      hw.bandwidth = v;
      break;
    case Field::Memory:
      hw.memory = v;
      break;
    case Field::EffDense:
    case Field::EffDepthwise:
    case Field::EffElementwise:
    case Field::EffPool:
      hw.efficiency[static_cast<int>(f) - static_cast<int>(Field::EffDense)] = v;
      hw.hasCalibration = true;
      break;
    case Field::LayerOverhead:
      hw.layerOverhead = v;
      hw.hasCalibration = true;
      break;
    case Field::Description:
      break;
    }
  }

  const ast::HardwareDecl &decl;
  DiagEngine &diag;
  bool failed = false;
};

/// Every hardware declaration of `m`, in file order.
std::vector<const ast::HardwareDecl *> hardwareDecls(const ast::Module &m) {
  std::vector<const ast::HardwareDecl *> out;
  for (const ast::DeclPtr &d : m.decls)
    if (const auto *hw = llvm::dyn_cast<ast::HardwareDecl>(d.get()))
      out.push_back(hw);
  return out;
}

/// Loads std/hardware.net through the module loader, so it is checked like
/// any import and its diagnostics name it "std/hardware.net". The program's
/// main module is a one-line stub that imports it; modules[0] is the file.
std::optional<Program> loadBuiltins(DiagEngine &diag, const LoadOptions &load) {
  llvm::SmallString<256> file(stdlibDirectory(load));
  llvm::sys::path::append(file, "hardware.net");
  if (!llvm::sys::fs::exists(file)) {
    diag.fileError(file, "cannot find the built-in hardware profiles (std/hardware.net); "
                         "check --stdlib or $NETC_STDLIB");
    return std::nullopt;
  }
  return loadProgramFromText(diag, "import \"std/hardware.net\"\n", "<built-in hardware>", load);
}

const ast::Module &builtinModule(const Program &p) { return *p.modules.front(); }

} // namespace

std::optional<HardwareProfile> readHardware(const ast::HardwareDecl &decl, DiagEngine &diag) {
  return HardwareReader(decl, diag).run();
}

std::optional<std::vector<HardwareProfile>> builtinHardware(DiagEngine &diag,
                                                            const LoadOptions &load) {
  std::optional<Program> program = loadBuiltins(diag, load);
  if (!program)
    return std::nullopt;
  std::vector<HardwareProfile> out;
  bool ok = true;
  llvm::StringMap<SourceLoc> names;
  for (const ast::HardwareDecl *d : hardwareDecls(builtinModule(*program))) {
    auto [it, inserted] = names.try_emplace(d->name, d->loc);
    if (!inserted) {
      Diagnostic &e = diag.error(d->loc, fmt::format("duplicate hardware profile '{}'", d->name));
      DiagEngine::addNote(e, it->second, "first declared here");
      ok = false;
      continue;
    }
    if (std::optional<HardwareProfile> hw = readHardware(*d, diag))
      out.push_back(std::move(*hw));
    else
      ok = false;
  }
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<HardwareProfile> findHardware(llvm::StringRef nameOrFile, const Program *program,
                                            DiagEngine &diag, const LoadOptions &load) {
  if (nameOrFile.contains('/') || nameOrFile.endswith(".net")) {
    std::optional<Program> file = loadProgram(diag, nameOrFile, load);
    if (!file)
      return std::nullopt;
    std::vector<const ast::HardwareDecl *> decls = hardwareDecls(file->main());
    if (decls.empty()) {
      diag.fileError(nameOrFile, fmt::format("'{}' declares no hardware profile",
                                             nameOrFile.str()));
      return std::nullopt;
    }
    // Never "the last one wins": a file for --hw holds exactly one profile.
    if (decls.size() > 1) {
      std::string names;
      for (const ast::HardwareDecl *d : decls)
        names += (names.empty() ? "'" : ", '") + d->name + "'";
      diag.fileError(nameOrFile,
                     fmt::format("'{}' declares {} hardware profiles ({}); --hw FILE needs a "
                                 "file with exactly one, or import the file and give --hw NAME",
                                 nameOrFile.str(), decls.size(), names));
      return std::nullopt;
    }
    return readHardware(*decls.front(), diag);
  }

  // The user's program first: its main file, then its imports; within a
  // module the last declaration of the name wins.
  std::vector<std::string> known;
  if (program) {
    for (auto m = program->modules.rbegin(); m != program->modules.rend(); ++m) {
      std::vector<const ast::HardwareDecl *> decls = hardwareDecls(**m);
      for (auto d = decls.rbegin(); d != decls.rend(); ++d)
        if ((*d)->name == nameOrFile)
          return readHardware(**d, diag);
      for (const ast::HardwareDecl *d : decls)
        known.push_back(d->name);
    }
  }

  std::optional<Program> builtins = loadBuiltins(diag, load);
  if (!builtins)
    return std::nullopt;
  for (const ast::HardwareDecl *d : hardwareDecls(builtinModule(*builtins))) {
    if (d->name == nameOrFile)
      return readHardware(*d, diag);
    known.push_back(d->name);
  }

  llvm::sort(known);
  known.erase(std::unique(known.begin(), known.end()), known.end());
  std::string list;
  for (const std::string &k : known)
    list += (list.empty() ? "" : ", ") + k;
  std::optional<std::string> near = closestName(nameOrFile, known, 3);
  diag.globalError(fmt::format("unknown hardware '{}'{} (known: {}); see --list-hw",
                               nameOrFile.str(),
                               near ? fmt::format("; did you mean '{}'?", *near) : "",
                               list.empty() ? "none" : list));
  return std::nullopt;
}

} // namespace netc::sema
