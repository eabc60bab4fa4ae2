// The HTML report's parts: escaping, the charts' geometry, the tables, the
// page (self-contained, deterministic, recognised as netc's output), and a
// whole report's page from a compiled network. tests/cli/html-pages.py
// loads real pages in chromium.
#include "report/HtmlPage.h"
#include "report/HtmlWriter.h"
#include "report/ReportWriter.h"
#include "report/Svg.h"

#include "driver/Compilation.h"
#include "support/FileOutput.h"

#include <doctest/doctest.h>

#include <regex>
#include <string>

using namespace netc;
using namespace netc::report;

namespace {

template <typename F> std::string capture(F f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  f(os);
  return os.str();
}

size_t count(const std::string &s, const std::string &what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1))
    ++n;
  return n;
}

/// The value of attribute `name` in the first element of `s` matching `tag`.
std::vector<double> attrs(const std::string &s, const std::string &name) {
  std::vector<double> v;
  std::regex re(" " + name + "=\"([-0-9.]+)\"");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    v.push_back(std::stod((*it)[1]));
  return v;
}

svg::RooflineChart roofline() {
  svg::RooflineChart c;
  c.id = "roofline";
  c.title = "t";
  c.roof.peak = 1e12;     // FLOP/s
  c.roof.bandwidth = 1e11; // B/s: the ridge at 10 FLOP/B
  c.peakLabel = "peak";
  c.bandwidthLabel = "bw";
  c.ridgeLabel = "ridge";
  svg::Mark atRidge;
  atRidge.x = 10;
  atRidge.y = 1e12;
  atRidge.size = 1;
  atRidge.cls = "k0";
  atRidge.title = "a <b> & \"c\"";
  atRidge.data = {{"layer", "x<y"}};
  svg::Mark low = atRidge;
  low.x = 0.1;
  low.y = 1e10; // on the slope, two decades below
  low.size = 0;
  low.data = {{"layer", "low"}};
  c.marks = {low, atRidge};
  return c;
}

} // namespace

TEST_CASE("html: escaping covers the five characters") {
  CHECK(svg::escape("<a href=\"x\">&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  CHECK(svg::escape("plain") == "plain");
}

TEST_CASE("html: a roofline places marks on the roof and draws the largest first") {
  std::string s = capture([](llvm::raw_ostream &os) { svg::writeRoofline(os, roofline()); });
  CHECK(s == capture([](llvm::raw_ostream &os) { svg::writeRoofline(os, roofline()); }));
  CHECK(count(s, "<circle class=\"mark") == 2);
  // The larger mark (at the ridge) first, then the small one on top.
  size_t big = s.find("data-layer=\"x&lt;y\""), small = s.find("data-layer=\"low\"");
  REQUIRE(big != std::string::npos);
  REQUIRE(small != std::string::npos);
  CHECK(big < small);
  CHECK(s.find("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>") != std::string::npos);
  // The ridge line's x is the x of the mark at intensity 10.
  std::vector<double> cx = attrs(s, "cx"), x1 = attrs(s, "x1");
  REQUIRE(cx.size() == 2);
  std::smatch m;
  REQUIRE(std::regex_search(s, m, std::regex("class=\"ridge\" x1=\"([0-9.]+)\" y1=\"([0-9.]+)\"")));
  CHECK(std::stod(m[1]) == doctest::Approx(cx[0]));
  // Both marks lie on the roof's polyline: the one at the ridge at the
  // corner's height, the low one two decades further down and left.
  std::vector<double> cy = attrs(s, "cy");
  CHECK(cy[0] == doctest::Approx(std::stod(m[2])));
  CHECK(cy[1] > cy[0]);
  CHECK(cx[1] < cx[0]);
  // On the slope: the roof's polyline from its left end to the ridge,
  // straight in log-log pixels, passes through the low mark.
  std::smatch p;
  REQUIRE(std::regex_search(s, p, std::regex("<polyline class=\"roof\" points=\"([0-9.]+),"
                                             "([0-9.]+) ([0-9.]+),([0-9.]+)")));
  double ax = std::stod(p[1]), ay = std::stod(p[2]), bx = std::stod(p[3]), by = std::stod(p[4]);
  CHECK(bx == doctest::Approx(cx[0]));
  CHECK(ay + (by - ay) * (cx[1] - ax) / (bx - ax) == doctest::Approx(cy[1]).epsilon(0.01));
}

TEST_CASE("html: derated roofs are dashed and their labels never overlap") {
  svg::RooflineChart c = roofline();
  for (double e : {0.5, 0.45, 0.44}) {
    svg::Roof r = c.roof;
    r.scale = e;
    r.label = "x" + std::to_string(e);
    c.derated.push_back(r);
  }
  std::string s = capture([&](llvm::raw_ostream &os) { svg::writeRoofline(os, c); });
  CHECK(count(s, "class=\"roof derated\"") == 3);
  std::vector<double> ys;
  std::regex re("<text class=\"roof-label\" x=\"[0-9.]+\" y=\"([0-9.]+)\" text-anchor=\"end\">x");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    ys.push_back(std::stod((*it)[1]));
  REQUIRE(ys.size() == 3);
  for (size_t i = 1; i < ys.size(); ++i)
    CHECK(ys[i] - ys[i - 1] >= 15 - 0.05);
}

TEST_CASE("html: a scatter's front joins the chosen marks in order") {
  svg::ScatterChart c;
  c.id = "s";
  c.yUnit = "s";
  for (int i = 1; i <= 4; ++i) {
    svg::Mark m;
    m.x = std::pow(10, i);
    m.y = 1e-3 / i;
    m.cls = "sa";
    c.marks.push_back(m);
  }
  c.front = {0, 2, 3};
  std::string s = capture([&](llvm::raw_ostream &os) { svg::writeScatter(os, c); });
  std::smatch m;
  REQUIRE(std::regex_search(s, m, std::regex("<polyline class=\"front\" points=\"([^\"]*)\"")));
  std::string pts = m[1];
  CHECK(count(pts, ",") == 3);
  CHECK(count(s, "<circle") == 4);
  CHECK(s.find(">1 ms</text>") != std::string::npos); // a decade of seconds
}

TEST_CASE("html: columns stack their parts in proportion") {
  svg::ColumnChart c;
  c.id = "b";
  svg::Column a;
  a.parts = {{3e-6, "mem"}, {1e-6, "cmp"}};
  a.label = "1";
  c.columns = {a};
  std::string s = capture([&](llvm::raw_ostream &os) { svg::writeColumns(os, c); });
  std::smatch mem, cmp;
  REQUIRE(std::regex_search(s, mem, std::regex("class=\"mem\"[^>]*height=\"([0-9.]+)\"")));
  REQUIRE(std::regex_search(s, cmp, std::regex("class=\"cmp\"[^>]*height=\"([0-9.]+)\"")));
  CHECK(std::stod(mem[1]) == doctest::Approx(3 * std::stod(cmp[1])).epsilon(0.02));
}

TEST_CASE("html: tables escape their text and carry sort values") {
  html::Table t;
  t.id = "layers";
  t.cls = "sortable";
  t.columns = {{"name", "name", false}, {"macs", "MACs", true}};
  t.rows = {{{"<script>alert(1)</script>", "", ""}, html::countCell(1234567)}};
  t.rowKeys = {"k"};
  std::string s = capture([&](llvm::raw_ostream &os) { html::writeTable(os, t); });
  CHECK(s.find("<script>") == std::string::npos);
  CHECK(s.find("&lt;script&gt;") != std::string::npos);
  CHECK(s.find("data-sort=\"num\"") != std::string::npos);
  CHECK(s.find("<td class=\"n\" data-v=\"1234567\">1,234,567</td>") != std::string::npos);
  CHECK(s.find("<tr data-i=\"0\" data-key=\"k\">") != std::string::npos);
}

TEST_CASE("html: the page is netc's output and needs nothing from outside") {
  std::string s = capture([](llvm::raw_ostream &os) {
    html::beginPage(os, "netc report: ", "a--b<c>", "title");
    html::endPage(os);
  });
  CHECK(looksLikeNetcOutput(s));
  // The name cannot end the marker comment early.
  std::string firstComment = s.substr(0, s.find("-->") + 3);
  CHECK(firstComment.find("a--b") == std::string::npos);
  CHECK(count(firstComment, "--") == 2); // "<!--" and "-->"
  CHECK(s.find(" src=") == std::string::npos);
  CHECK(s.find(" href=") == std::string::npos);
  CHECK(s.find("@import") == std::string::npos);
  CHECK(s.find("url(") == std::string::npos);
  CHECK(s.find("prefers-color-scheme:dark") != std::string::npos);
  CHECK(s.find("@media print") != std::string::npos);
  // Not an HTML page netc did not write.
  CHECK_FALSE(looksLikeNetcOutput("<!DOCTYPE html>\n<html><body>mine</body></html>\n"));
}

TEST_CASE("html: a network's page has one mark per costed layer and is deterministic") {
  const char *src = R"(network n() {
  x = input([1, 3, 32, 32])
  y = conv2d(x, 16, k=3, padding=1) |> batchnorm |> relu
  z = conv2d(y, 16, k=3, padding=1) |> batchnorm
  w = relu(z + y) |> global_avg_pool |> flatten
  return linear(w, 10)
}
)";
  auto page = [&](report::ReportFormat f, int *costed = nullptr) {
    driver::PipelineOptions po;
    driver::Compilation c(po);
    REQUIRE(c.loadText(src, "n.net"));
    std::optional<ir::Graph> g = c.elaborate();
    REQUIRE(g);
    std::optional<cost::Report> r = c.report(*g);
    REQUIRE(r);
    if (costed) {
      *costed = 0;
      for (const cost::LayerCost &l : r->layers)
        *costed += l.latency > 0;
    }
    return capture([&](llvm::raw_ostream &os) { report::writeReport(os, *r, f); });
  };
  int costed = 0;
  std::string a = page(ReportFormat::Html, &costed);
  CHECK(a == page(ReportFormat::Html));
  CHECK(costed >= 4);
  size_t roof = a.find("<svg id=\"roofline\""), end = a.find("</svg>", roof);
  REQUIRE(roof != std::string::npos);
  CHECK(count(a.substr(roof, end - roof), "<circle class=\"mark") == size_t(costed));
  for (const char *id : {"id=\"totals\"", "id=\"breakdown\"", "id=\"layers\"",
                         "id=\"optimization\"", "data-script"})
    CHECK_MESSAGE(a.find(id) != std::string::npos, id);
  CHECK(a.substr(a.size() - 8) == "</html>\n");
}
