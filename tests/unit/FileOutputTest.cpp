// How netc tells its own outputs from a user's files: by the marker every
// output begins with (support/OutputMarkers.h), never by a guess that a .net
// source could satisfy. The outputs themselves are checked end to end by
// tests/cli/output-file.sh (every mode replaces its own earlier output).
#include "TestUtil.h"

#include "support/FileOutput.h"
#include "support/OutputMarkers.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

using namespace netc;

TEST_CASE("file output: no .net source of the repository is taken for netc's output") {
  size_t sources = 0;
  for (const std::string &path : netc::test::repoNetFiles({"examples", "stdlib", "tests"})) {
    auto buf = llvm::MemoryBuffer::getFile(path);
    REQUIRE(buf);
    CAPTURE(path);
    CHECK_FALSE(looksLikeNetcOutput((*buf)->getBuffer().take_front(4096)));
    ++sources;
  }
  CHECK(sources > 100);
}

TEST_CASE("file output: the markers, and only they, make an output") {
  CHECK(looksLikeNetcOutput("netc report: resnet18\nnetwork      resnet18()\n"));
  CHECK(looksLikeNetcOutput("netc graph: n (as written)\nnetwork n()\n  %input = input()"));
  CHECK(looksLikeNetcOutput("# netc sweep: m\n"));
  CHECK(looksLikeNetcOutput("{\n  \"netc_report\": 1,\n"));
  CHECK(looksLikeNetcOutput("name,op,block,output shape\n"));
  CHECK(looksLikeNetcOutput("<!DOCTYPE html>\n<!-- netc report: resnet18 -->\n<html>"));
  // What an older netc wrote, and sources that look like it, are not.
  CHECK_FALSE(looksLikeNetcOutput("network n(a=1)\n  %input = input() : f32[1]\n"));
  CHECK_FALSE(looksLikeNetcOutput("network      n()\nhardware     x\n"));
  CHECK_FALSE(looksLikeNetcOutput("netc report"));
  CHECK_FALSE(looksLikeNetcOutput("<!DOCTYPE html>\n<html><!-- netc report: x -->"));
  CHECK_FALSE(looksLikeNetcOutput(""));
}
