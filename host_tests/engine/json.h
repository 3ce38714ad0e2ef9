// Minimal JSON reader for the golden manifests (host tests only).
//
// Parses the whole RFC 8259 grammar except that \u escapes outside ASCII
// are kept as '?'. Numbers keep their text so that callers can parse them
// exactly as the type they need (e.g. strtof for float32 values).
#pragma once

#include <cctype>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tp::testing {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  static Json parse(const std::string& text) {
    std::size_t pos = 0;
    Json v = parse_value(text, pos);
    skip_ws(text, pos);
    if (pos != text.size()) throw std::runtime_error("json: trailing characters");
    return v;
  }

  Type type() const { return type_; }
  bool is(Type t) const { return type_ == t; }

  const std::string& str() const {
    expect(Type::kString);
    return text_;
  }
  const std::string& number_text() const {
    expect(Type::kNumber);
    return text_;
  }
  double as_double() const { return std::strtod(number_text().c_str(), nullptr); }
  float as_float() const { return std::strtof(number_text().c_str(), nullptr); }
  long long as_int() const { return std::strtoll(number_text().c_str(), nullptr, 10); }
  bool as_bool() const {
    expect(Type::kBool);
    return bool_;
  }

  const std::vector<Json>& array() const {
    expect(Type::kArray);
    return array_;
  }
  std::size_t size() const { return is(Type::kArray) ? array_.size() : object_.size(); }
  const Json& operator[](std::size_t i) const { return array().at(i); }

  bool has(const std::string& key) const {
    return is(Type::kObject) && object_.count(key) != 0;
  }
  const Json& operator[](const std::string& key) const {
    expect(Type::kObject);
    auto it = object_.find(key);
    if (it == object_.end()) throw std::runtime_error("json: no key '" + key + "'");
    return it->second;
  }

 private:
  void expect(Type t) const {
    if (type_ != t) throw std::runtime_error("json: unexpected value type");
  }

  static void skip_ws(const std::string& s, std::size_t& p) {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t')) ++p;
  }

  static Json parse_value(const std::string& s, std::size_t& p) {
    skip_ws(s, p);
    if (p >= s.size()) throw std::runtime_error("json: unexpected end");
    Json v;
    const char c = s[p];
    if (c == '{') {
      v.type_ = Type::kObject;
      ++p;
      skip_ws(s, p);
      if (p < s.size() && s[p] == '}') {
        ++p;
        return v;
      }
      while (true) {
        skip_ws(s, p);
        Json key = parse_value(s, p);
        if (!key.is(Type::kString)) throw std::runtime_error("json: object key is not a string");
        skip_ws(s, p);
        if (p >= s.size() || s[p] != ':') throw std::runtime_error("json: expected ':'");
        ++p;
        v.object_[key.text_] = parse_value(s, p);
        skip_ws(s, p);
        if (p < s.size() && s[p] == ',') {
          ++p;
          continue;
        }
        if (p < s.size() && s[p] == '}') {
          ++p;
          return v;
        }
        throw std::runtime_error("json: expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.type_ = Type::kArray;
      ++p;
      skip_ws(s, p);
      if (p < s.size() && s[p] == ']') {
        ++p;
        return v;
      }
      while (true) {
        v.array_.push_back(parse_value(s, p));
        skip_ws(s, p);
        if (p < s.size() && s[p] == ',') {
          ++p;
          continue;
        }
        if (p < s.size() && s[p] == ']') {
          ++p;
          return v;
        }
        throw std::runtime_error("json: expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.type_ = Type::kString;
      ++p;
      while (true) {
        if (p >= s.size()) throw std::runtime_error("json: unterminated string");
        const char ch = s[p++];
        if (ch == '"') break;
        if (ch != '\\') {
          v.text_ += ch;
          continue;
        }
        if (p >= s.size()) throw std::runtime_error("json: bad escape");
        const char e = s[p++];
        switch (e) {
          case '"': v.text_ += '"'; break;
          case '\\': v.text_ += '\\'; break;
          case '/': v.text_ += '/'; break;
          case 'b': v.text_ += '\b'; break;
          case 'f': v.text_ += '\f'; break;
          case 'n': v.text_ += '\n'; break;
          case 'r': v.text_ += '\r'; break;
          case 't': v.text_ += '\t'; break;
          case 'u': {
            if (p + 4 > s.size()) throw std::runtime_error("json: bad \\u escape");
            const long code = std::strtol(s.substr(p, 4).c_str(), nullptr, 16);
            p += 4;
            v.text_ += code < 0x80 ? static_cast<char>(code) : '?';
            break;
          }
          default: throw std::runtime_error("json: bad escape");
        }
      }
      return v;
    }
    if (s.compare(p, 4, "true") == 0) {
      v.type_ = Type::kBool;
      v.bool_ = true;
      p += 4;
      return v;
    }
    if (s.compare(p, 5, "false") == 0) {
      v.type_ = Type::kBool;
      p += 5;
      return v;
    }
    if (s.compare(p, 4, "null") == 0) {
      p += 4;
      return v;
    }
    // Number.
    const std::size_t start = p;
    while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) || s[p] == '-' ||
                            s[p] == '+' || s[p] == '.' || s[p] == 'e' || s[p] == 'E')) {
      ++p;
    }
    if (p == start) throw std::runtime_error("json: unexpected character");
    v.type_ = Type::kNumber;
    v.text_ = s.substr(start, p - start);
    return v;
  }

  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<Json> array_;
  std::map<std::string, Json> object_;
};

}  // namespace tp::testing
