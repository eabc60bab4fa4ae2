// libFuzzer target: any bytes as a .net file, through the whole pipeline.
#include "FuzzPipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  netc::fuzz::runPipeline(data, size);
  return 0;
}
