//===- Backends.cpp - load libnetc_onnx.so and libnetc_dnnl.so on first use -===//
#include "driver/Backends.h"

#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <dlfcn.h>
#include <mutex>

namespace netc::backend {

namespace {

/// A module's table: provided, or loaded once from the executable's
/// directory (its error kept for every later call).
template <typename Table> struct Slot {
  const Table *table = nullptr;
  std::string error;
  std::once_flag once;

  const Table *get(const char *file, const char *entry, std::string &err) {
    std::call_once(once, [&] {
      if (table)
        return;
      std::string exe = llvm::sys::fs::getMainExecutable("netc", reinterpret_cast<void *>(&onnx));
      llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
      llvm::sys::path::append(path, file);
      void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        const char *why = dlerror();
        error = fmt::format("{} could not be loaded: {}", file, why ? why : "unknown error");
        return;
      }
      using Entry = const Table *(*)();
      auto fn = reinterpret_cast<Entry>(dlsym(handle, entry));
      if (!fn || !(table = fn()))
        error = fmt::format("{} has no entry point {}", file, entry);
    });
    if (!table)
      err = error;
    return table;
  }
};

Slot<Onnx> &onnxSlot() {
  static Slot<Onnx> s;
  return s;
}
Slot<Dnnl> &dnnlSlot() {
  static Slot<Dnnl> s;
  return s;
}

} // namespace

const Onnx *onnx(std::string &error) {
  return onnxSlot().get("libnetc_onnx.so", "netc_onnx_backend", error);
}
const Dnnl *dnnl(std::string &error) {
  return dnnlSlot().get("libnetc_dnnl.so", "netc_dnnl_backend", error);
}

void provide(const Onnx *table) { onnxSlot().table = table; }
void provide(const Dnnl *table) { dnnlSlot().table = table; }

} // namespace netc::backend
