#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "driver/Backends.h"

int main(int argc, char **argv) {
  // The ONNX and oneDNN code is linked into the tests: hand it to the driver
  // instead of loading libnetc_onnx.so and libnetc_dnnl.so.
  netc::backend::provide(netc_onnx_backend());
  netc::backend::provide(netc_dnnl_backend());
  return doctest::Context(argc, argv).run();
}
