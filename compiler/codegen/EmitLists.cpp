//===- EmitLists.cpp - the tables of tensor lists list kernels take -------===//
//
// TensorLists: each list of tensors a kernel takes (concat's inputs) is the
// first rows of a static table; lists that begin one another share one.
//
//===----------------------------------------------------------------------===//
#include "codegen/EmitterImpl.h"

#include <fmt/ranges.h>

namespace netc::codegen::detail {

const std::string &TensorLists::add(const std::vector<Row> &rows) {
  // Follow the rows down the trie as far as they are known.
  uint32_t node = 0;
  size_t depth = 0;
  for (; depth < rows.size(); ++depth) {
    auto it = trie[node].next.find(rows[depth]);
    if (it == trie[node].next.end())
      break;
    node = it->second;
  }
  if (depth == rows.size()) // the first rows of a table
    return tables[trie[node].table].name;
  // Extend the table that ends where the known rows end, or start a new one.
  uint32_t t = trie[node].table;
  if (node == 0 || tables[t].rows.size() != depth) {
    t = static_cast<uint32_t>(tables.size());
    tables.push_back({fmt::format("kList{}", t), {}});
    tables[t].rows.assign(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(depth));
    textBytes += 64 + 24 * depth;
  }
  for (; depth < rows.size(); ++depth) {
    const uint32_t child = static_cast<uint32_t>(trie.size());
    trie.push_back({{}, t});
    trie[node].next.emplace(rows[depth], child);
    node = child;
    tables[t].rows.push_back(rows[depth]);
    textBytes += 24;
  }
  return tables[t].name;
}

std::vector<std::string> TensorLists::callArgs(const std::vector<Row> &rows,
                                               const std::string &base) {
  const std::string &table = add(rows);
  return {fmt::format("tensors({}, {}_at, {}).data()", base, table, rows.size()),
          table + "_size", std::to_string(rows.size())};
}

namespace {

/// `constexpr std::int64_t NAME[] = {...};`, on one line if it fits in 96
/// columns, else with the values on lines of their own.
std::string intArray(const std::string &name, const std::vector<int64_t> &values) {
  std::string text = fmt::format("constexpr std::int64_t {}[] = {{", name), line;
  if (values.size() <= 16) {
    std::string one = text + fmt::format("{}}};", fmt::join(values, ", "));
    if (one.size() <= 96)
      return one + "\n";
  }
  for (size_t i = 0; i < values.size(); ++i) {
    std::string item = std::to_string(values[i]) + (i + 1 < values.size() ? "," : "");
    if (!line.empty() && line.size() + 1 + item.size() > 92) {
      text += "\n    " + line;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + item;
  }
  return text + "\n    " + line + "};\n";
}

} // namespace

std::string TensorLists::text(const std::string &at) const {
  if (tables.empty())
    return "";
  std::string text = fmt::format("\n// The tensor lists of list kernels (concat's inputs); a call "
                                 "takes the first rows\n// of a table: each tensor's {} (_at) "
                                 "and element count (_size).\n",
                                 at);
  for (const Table &t : tables) {
    std::vector<int64_t> where, size;
    for (const Row &r : t.rows) {
      where.push_back(r.first);
      size.push_back(r.second);
    }
    text += intArray(t.name + "_at", where) + intArray(t.name + "_size", size);
  }
  return text;
}

} // namespace netc::codegen::detail
