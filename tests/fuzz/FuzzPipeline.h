// The whole netc pipeline on one input text, in memory, for the fuzz targets:
// parse -> elaborate -> verify -> passes (verified after each) -> cost report
// -> every report format -> C++ kernel emission. Input errors are fine; what
// must never happen is a crash, a hang, a sanitizer report, an invalid graph,
// a failed pass, or a failure without an error message. Those abort().
#ifndef NETC_TESTS_FUZZ_FUZZPIPELINE_H
#define NETC_TESTS_FUZZ_FUZZPIPELINE_H

#include <cstddef>
#include <cstdint>

namespace netc::fuzz {

/// Runs the pipeline on `data` as the text of a .net file.
void runPipeline(const uint8_t *data, size_t size);

} // namespace netc::fuzz

#endif
