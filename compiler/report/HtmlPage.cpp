//===- HtmlPage.cpp - the page around the HTML report's content ------------===//
#include "report/HtmlPage.h"

#include "report/Svg.h"
#include "support/Format.h"

#include <fmt/format.h>

namespace netc::report::html {

using svg::escape;

namespace {

// System fonts only; colours as variables, redefined for the dark scheme
// and for print. The twelve kN colours are the op kinds' (Observable 10
// and two more), chosen to read on both backgrounds.
constexpr const char *kStyle = R"css(:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--grid:#d1d9e0;--card:#f6f8fa;--roof:#1f2328;--mem:#4269d0;--cmp:#ff725c;--sa:#4269d0;--sb:#ff725c;--front:#3ca951;
--k0:#4269d0;--k1:#efb118;--k2:#ff725c;--k3:#6cc5b0;--k4:#3ca951;--k5:#ff8ab7;--k6:#a463f2;--k7:#97bbf5;--k8:#9c6b4e;--k9:#9498a0;--k10:#b8336a;--k11:#17becf}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--grid:#30363d;--card:#161b22;--roof:#e6edf3}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--grid:#ccc;--card:#fff;--roof:#000}section{break-inside:avoid}.scroll{overflow:visible}th[data-sort]::after{content:none}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1240px;padding:16px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
h1{font-size:1.5em;margin:.2em 0 .4em;word-break:break-word}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid var(--grid);padding-bottom:.2em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-word}
p.note{color:var(--muted);margin:.4em 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.3em 0}
th,td{padding:3px 8px;border-bottom:1px solid var(--grid);text-align:left;white-space:nowrap}
th{background:var(--card);position:sticky;top:0}
td.n,th.n{text-align:right}td.name{white-space:normal;word-break:break-all;min-width:12em}
th[data-sort]{cursor:pointer;user-select:none}th[data-sort]::after{content:" \2195";color:var(--muted)}
th[aria-sort=ascending]::after{content:" \2191"}th[aria-sort=descending]::after{content:" \2193"}
tr.depth1 td.name{font-weight:600}
svg.chart{width:100%;height:auto;display:block;font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg .grid line{stroke:var(--grid);stroke-width:.6}svg .frame{fill:none;stroke:var(--muted);stroke-width:.8}
svg .tick{fill:var(--muted)}svg .axis{fill:var(--fg)}
svg .roof{fill:none;stroke:var(--roof);stroke-width:2}svg .roof.derated{stroke-width:1.2;stroke-dasharray:5 4;opacity:.7}
svg .ridge{stroke:var(--muted);stroke-dasharray:3 3}svg .roof-label{fill:var(--muted)}
svg .mark{fill-opacity:.72;stroke:var(--bg);stroke-width:.8}svg .mark:hover{fill-opacity:1;stroke:var(--fg)}
svg .front{fill:none;stroke:var(--front);stroke-width:2}
svg .baseline{stroke:var(--muted)}svg .col-label{fill:var(--fg);font-size:11px}
svg .column:hover rect{opacity:.75}
.mem{fill:var(--mem);background:var(--mem)}.cmp{fill:var(--cmp);background:var(--cmp)}.sa{fill:var(--sa);background:var(--sa)}.sb{fill:var(--sb);background:var(--sb)}.front-mark{fill:var(--front);background:var(--front)}
.k0{fill:var(--k0);background:var(--k0)}.k1{fill:var(--k1);background:var(--k1)}.k2{fill:var(--k2);background:var(--k2)}.k3{fill:var(--k3);background:var(--k3)}.k4{fill:var(--k4);background:var(--k4)}.k5{fill:var(--k5);background:var(--k5)}
.k6{fill:var(--k6);background:var(--k6)}.k7{fill:var(--k7);background:var(--k7)}.k8{fill:var(--k8);background:var(--k8)}.k9{fill:var(--k9);background:var(--k9)}.k10{fill:var(--k10);background:var(--k10)}.k11{fill:var(--k11);background:var(--k11)}
ul.legend{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:4px 16px}ul.legend .sw{display:inline-block;width:.9em;height:.9em;border-radius:50%;margin-right:.35em;vertical-align:-.1em}
ol.top{margin:.3em 0;padding-left:2em;columns:2 22em}ol.top li{break-inside:avoid}
footer{margin-top:2em;color:var(--muted);font-size:.9em}
.chart-wrap{overflow-x:auto;max-width:100%}
@media (max-width:640px){body{padding:8px;font-size:13px}svg.chart{min-width:600px}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.4em}th,td{padding:2px 5px}})css";

// Sorts a table.sortable by the clicked column (numbers first descending,
// text ascending; a second click reverses; ties keep the written order), and
// by #sort=KEY or #sort=-KEY (descending) when the page opens. It marks the
// document data-script="ready" when done: the tests read that back.
constexpr const char *kScript = R"js((function(){
function val(c,num){var v=c.getAttribute('data-v');if(v===null)v=c.textContent;return num?(v===''?-Infinity:parseFloat(v)):v.toLowerCase();}
function sortBy(t,i,desc){var hr=t.tHead.rows[0],th=hr.cells[i],num=th.getAttribute('data-sort')==='num',b=t.tBodies[0];
var rows=Array.prototype.slice.call(b.rows);rows.sort(function(p,q){var x=val(p.cells[i],num),y=val(q.cells[i],num);
if(x<y)return desc?1:-1;if(x>y)return desc?-1:1;return p.getAttribute('data-i')-q.getAttribute('data-i');});
rows.forEach(function(r){b.appendChild(r);});for(var k=0;k<hr.cells.length;k++)hr.cells[k].removeAttribute('aria-sort');
th.setAttribute('aria-sort',desc?'descending':'ascending');}
var ts=document.querySelectorAll('table.sortable');
Array.prototype.forEach.call(ts,function(t){Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
if(!th.hasAttribute('data-sort'))return;th.tabIndex=0;
var go=function(){var s=th.getAttribute('aria-sort');sortBy(t,i,s?s==='ascending':th.getAttribute('data-sort')==='num');};
th.addEventListener('click',go);th.addEventListener('keydown',function(e){if(e.key==='Enter')go();});});});
var m=/^#sort=(-?)([\w.-]+)$/.exec(location.hash);
if(m&&ts.length){var hr=ts[0].tHead.rows[0];for(var k=0;k<hr.cells.length;k++)if(hr.cells[k].getAttribute('data-key')===m[2])sortBy(ts[0],k,m[1]==='-');}
document.documentElement.setAttribute('data-script','ready');
})();)js";

} // namespace

void beginPage(llvm::raw_ostream &os, llvm::StringRef marker, llvm::StringRef name,
               llvm::StringRef title) {
  // The marker comment must not hold "--": names are escaped for it.
  std::string safe = escape(name);
  for (size_t i; (i = safe.find("--")) != std::string::npos;)
    safe.replace(i, 2, "-&#45;");
  os << "<!DOCTYPE html>\n<!-- " << marker << safe << " -->\n<html lang=\"en\">\n<head>\n"
     << "<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<meta name=\"generator\" content=\"netc\">\n<title>" << escape(title) << "</title>\n"
     << "<style>\n" << kStyle << "\n</style>\n</head>\n<body>\n<header>\n<h1>"
     << escape(title) << "</h1>\n";
}

void endPage(llvm::raw_ostream &os) {
  os << "<footer>Made by netc. Counts are exact under the conventions above; times are a "
        "model of the hardware, not a measurement.</footer>\n<script>\n"
     << kScript << "\n</script>\n</body>\n</html>\n";
}

void beginSection(llvm::raw_ostream &os, llvm::StringRef id, llvm::StringRef heading) {
  os << "<section id=\"" << escape(id) << "\">\n<h2>" << escape(heading) << "</h2>\n";
}

void endSection(llvm::raw_ostream &os) { os << "</section>\n"; }

void paragraph(llvm::raw_ostream &os, llvm::StringRef text, llvm::StringRef cls) {
  os << "<p" << (cls.empty() ? "" : " class=\"" + escape(cls) + "\"") << ">" << escape(text)
     << "</p>\n";
}

void facts(llvm::raw_ostream &os, const std::vector<std::pair<std::string, std::string>> &f) {
  os << "<dl class=\"facts\">\n";
  for (const auto &[term, desc] : f)
    os << "<dt>" << escape(term) << "</dt><dd>" << escape(desc) << "</dd>\n";
  os << "</dl>\n";
}

std::string hardwareText(const cost::Report &r) {
  std::string s = r.hardware.name;
  if (!r.hardware.description.empty())
    s += " (" + r.hardware.description + ")";
  std::vector<std::string> f = detail::hardwareFacts(r);
  for (size_t i = 0; i < f.size(); ++i)
    s += (i ? ", " : ": ") + f[i];
  return s;
}

std::string conventionsText(const cost::Report &r) {
  const cost::CostOptions &o = r.options;
  return fmt::format("FLOPs {} ({}); memory {} ({}); dtype {}{}; batch {}. Latency is a {}{}.",
                     cost::flopConventionName(o.flops).str(),
                     cost::flopConventionDoc(o.flops).str(),
                     cost::memoryModelName(o.memory).str(),
                     cost::memoryModelDoc(o.memory).str(), ir::dtypeName(o.dtype).str(),
                     detail::storageText(o), withThousands(o.batch), detail::kLatencyNote,
                     r.hardware.hasCalibration ? "; the estimate is calibrated" : "");
}

std::vector<std::pair<std::string, std::string>> reportFacts(const cost::Report &r) {
  std::vector<std::pair<std::string, std::string>> f = {
      {"network", detail::networkTitle(r)},
      {"hardware", hardwareText(r)},
      {"conventions", conventionsText(r)}};
  if (r.serving)
    f.emplace_back("phase", detail::phaseText(r));
  if (!r.unoptimized)
    f.emplace_back("graph", "as written (-O0): no pass ran");
  return f;
}

void writeTable(llvm::raw_ostream &os, const Table &t) {
  os << "<div class=\"scroll\"><table id=\"" << escape(t.id) << '"'
     << (t.cls.empty() ? "" : " class=\"" + escape(t.cls) + "\"") << ">\n<thead><tr>";
  bool sortable = t.cls == "sortable";
  for (const Column &c : t.columns) {
    os << "<th data-key=\"" << escape(c.key) << '"' << (c.numeric ? " class=\"n\"" : "");
    if (sortable)
      os << " data-sort=\"" << (c.numeric ? "num" : "text") << '"';
    os << " scope=\"col\">" << escape(c.title) << "</th>";
  }
  os << "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    os << "<tr data-i=\"" << i << '"';
    if (i < t.rowKeys.size() && !t.rowKeys[i].empty())
      os << " data-key=\"" << escape(t.rowKeys[i]) << '"';
    os << '>';
    const std::vector<Cell> &row = t.rows[i];
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cls = row[c].cls;
      if (c < t.columns.size() && t.columns[c].numeric)
        cls = cls.empty() ? "n" : "n " + cls;
      os << "<td" << (cls.empty() ? "" : " class=\"" + escape(cls) + "\"");
      if (!row[c].value.empty())
        os << " data-v=\"" << escape(row[c].value) << '"';
      os << '>' << escape(row[c].text) << "</td>";
    }
    os << "</tr>\n";
  }
  os << "</tbody>\n</table></div>\n";
}

Cell countCell(int64_t v) { return {withThousands(v), std::to_string(v), ""}; }

Cell timeCell(double seconds) { return {humanTime(seconds), jsonNumber(seconds), ""}; }

void quantityTable(llvm::raw_ostream &os, llvm::StringRef id,
                   const std::vector<detail::Quantity> &qs) {
  Table t;
  t.id = id.str();
  t.columns = {{"quantity", "quantity", false}, {"value", "value", true}, {"note", "note", false}};
  for (const detail::Quantity &q : qs) {
    t.rows.push_back({{q.label, "", ""},
                      {detail::quantityText(q), detail::quantityNumber(q), ""},
                      {q.note, "", ""}});
    t.rowKeys.push_back(q.key);
  }
  writeTable(os, t);
}

void sideBySideTable(llvm::raw_ostream &os, llvm::StringRef id,
                     const std::vector<detail::Quantity> &qa,
                     const std::vector<detail::Quantity> &qb,
                     const std::vector<std::string> &header) {
  Table t;
  t.id = id.str();
  t.columns = {{"quantity", header[0], false},
               {"a", header[1], true},
               {"b", header[2], true},
               {"ratio", header[3], true}};
  for (size_t i = 0; i < qa.size() && i < qb.size(); ++i) {
    t.rows.push_back({{qa[i].label, "", ""},
                      {detail::quantityText(qa[i]), detail::quantityNumber(qa[i]), ""},
                      {detail::quantityText(qb[i]), detail::quantityNumber(qb[i]), ""},
                      {ratioText(qa[i].value, qb[i].value), "", ""}});
    t.rowKeys.push_back(qa[i].key);
  }
  writeTable(os, t);
}

void legend(llvm::raw_ostream &os, const std::vector<std::pair<std::string, std::string>> &items) {
  os << "<ul class=\"legend\">";
  for (const auto &[cls, text] : items)
    os << "<li><span class=\"sw " << escape(cls) << "\"></span>" << escape(text) << "</li>";
  os << "</ul>\n";
}

} // namespace netc::report::html
