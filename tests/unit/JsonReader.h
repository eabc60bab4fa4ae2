// A strict little JSON reader (RFC 8259 grammar), enough for the tests that
// parse netc's JSON reports.
#ifndef NETC_TESTS_JSONREADER_H
#define NETC_TESTS_JSONREADER_H

#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace netc::test {

struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  double number = 0;
  std::string text; ///< a string's value, or a number's literal
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json &operator[](const std::string &key) const {
    for (const auto &m : members)
      if (m.first == key)
        return m.second;
    static const Json missing{};
    FAIL_CHECK("missing key " << key);
    return missing;
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> k;
    for (const auto &m : members)
      k.push_back(m.first);
    return k;
  }
};

class JsonReader {
public:
  explicit JsonReader(const std::string &s) : s(s) {}
  /// The value, or nullptr on a syntax error (the whole input must be used).
  std::unique_ptr<Json> parse() {
    auto v = std::make_unique<Json>();
    if (!value(*v))
      return nullptr;
    space();
    return pos == s.size() ? std::move(v) : nullptr;
  }

private:
  const std::string &s;
  size_t pos = 0;

  void space() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r'))
      ++pos;
  }
  bool literal(const char *w) {
    size_t n = std::strlen(w);
    if (s.compare(pos, n, w) != 0)
      return false;
    pos += n;
    return true;
  }
  bool string(std::string &out) {
    if (pos >= s.size() || s[pos] != '"')
      return false;
    ++pos;
    while (pos < s.size() && s[pos] != '"') {
      unsigned char c = s[pos];
      if (c < 0x20)
        return false;
      if (c != '\\') {
        out += s[pos++];
        continue;
      }
      if (++pos >= s.size())
        return false;
      char e = s[pos++];
      switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        if (pos + 4 > s.size())
          return false;
        unsigned code = std::stoul(s.substr(pos, 4), nullptr, 16);
        if (code >= 0x80)
          return false; // not needed by these tests
        out += static_cast<char>(code);
        pos += 4;
        break;
      }
      default: return false;
      }
    }
    if (pos >= s.size())
      return false;
    ++pos;
    return true;
  }
  bool number(Json &v) {
    size_t start = pos;
    if (s[pos] == '-')
      ++pos;
    auto digits = [&] {
      size_t d = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])))
        ++pos;
      return pos > d;
    };
    if (pos < s.size() && s[pos] == '0')
      ++pos;
    else if (!digits())
      return false;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      if (!digits())
        return false;
    }
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
      ++pos;
      if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
        ++pos;
      if (!digits())
        return false;
    }
    v.kind = Json::Number;
    v.text = s.substr(start, pos - start);
    v.number = std::strtod(v.text.c_str(), nullptr);
    return true;
  }
  bool value(Json &v) {
    space();
    if (pos >= s.size())
      return false;
    char c = s[pos];
    if (c == '{') {
      v.kind = Json::Object;
      ++pos;
      space();
      if (pos < s.size() && s[pos] == '}')
        return ++pos, true;
      while (true) {
        space();
        std::string key;
        if (!string(key))
          return false;
        space();
        if (pos >= s.size() || s[pos++] != ':')
          return false;
        Json item;
        if (!value(item))
          return false;
        v.members.emplace_back(key, std::move(item));
        space();
        if (pos < s.size() && s[pos] == ',') {
          ++pos;
          continue;
        }
        return pos < s.size() && s[pos++] == '}';
      }
    }
    if (c == '[') {
      v.kind = Json::Array;
      ++pos;
      space();
      if (pos < s.size() && s[pos] == ']')
        return ++pos, true;
      while (true) {
        Json item;
        if (!value(item))
          return false;
        v.items.push_back(std::move(item));
        space();
        if (pos < s.size() && s[pos] == ',') {
          ++pos;
          continue;
        }
        return pos < s.size() && s[pos++] == ']';
      }
    }
    if (c == '"') {
      v.kind = Json::String;
      return string(v.text);
    }
    if (literal("null"))
      return v.kind = Json::Null, true;
    if (literal("true") || literal("false"))
      return v.kind = Json::Bool, true;
    return number(v);
  }
};

} // namespace netc::test

#endif
