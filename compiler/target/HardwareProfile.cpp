#include "target/HardwareProfile.h"

namespace netc::target {

const char *opClassName(OpClass c) {
  switch (c) {
  case OpClass::Dense: return "dense";
  case OpClass::Depthwise: return "depthwise";
  case OpClass::Elementwise: return "elementwise";
  case OpClass::Pool: return "pool";
  case OpClass::None: return "none";
  }
  return "none";
}

} // namespace netc::target
