#include "common/catalog/check_catalog.hpp"

#include <cstdio>
#include <cstdlib>

#include "common/json_text.hpp"
#include "common/text.hpp"

namespace warden::embedded {
extern const std::string_view checks_json;  // common/catalog/checks.json
}

namespace warden::catalog {

namespace {

using nlohmann::json;

Text text_of(const json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("en") || !j.contains("zh-CN") || !j["en"].is_string() ||
      !j["zh-CN"].is_string())
    throw std::runtime_error(where + ": needs both \"en\" and \"zh-CN\" strings");
  Text t{j["en"].get<std::string>(), j["zh-CN"].get<std::string>()};
  if (t.en.empty() || t.zh_CN.empty()) throw std::runtime_error(where + ": an empty translation");
  return t;
}

std::vector<std::string> strings_of(const json& j, const std::string& where) {
  std::vector<std::string> out;
  if (!j.is_array()) throw std::runtime_error(where + ": needs a list of strings");
  for (const auto& s : j) {
    if (!s.is_string()) throw std::runtime_error(where + ": needs a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::map<std::string, Text>& shared_summaries() {
  static std::map<std::string, Text> shared;
  return shared;
}

std::vector<CheckEntry> parse_catalogue(std::string_view text) {
  json doc = json::parse(text);
  std::vector<CheckEntry> out;
  const json& shared = doc.at("shared_summaries");
  for (const auto& [variant, t] : shared.items())
    shared_summaries()[variant] = text_of(t, "shared summary " + variant);
  for (const auto& c : doc.at("checks")) {
    CheckEntry e;
    e.id = c.at("id").get<std::string>();
    const std::string where = "check " + e.id;
    e.domain = c.at("domain").get<std::string>();
    e.evaluated_by = c.at("evaluated_by").get<std::string>();
    if (e.evaluated_by != "agent" && e.evaluated_by != "collector")
      throw std::runtime_error(where + ": evaluated_by is agent or collector");
    e.platforms = strings_of(c.at("platforms"), where + " platforms");
    auto sev = parse_severity(c.at("severity").get<std::string>());
    if (!sev) throw std::runtime_error(where + ": unknown severity");
    e.severity = *sev;
    e.title = text_of(c.at("title"), where + " title");
    e.rule = text_of(c.at("rule"), where + " rule");
    e.standard_clause = c.at("standard").at("clause").get<std::string>();
    e.standard = text_of(c.at("standard").at("area"), where + " standard area");
    e.remediation = text_of(c.at("remediation"), where + " remediation");
    e.evidence = strings_of(c.at("evidence"), where + " evidence");
    for (const auto& [variant, t] : c.at("summaries").items())
      e.summaries[variant] = text_of(t, where + " summary " + variant);
    for (const auto& [variant, t] : shared.items())
      e.summaries.emplace(variant, text_of(t, "shared summary " + variant));
    for (const auto& other : out)
      if (other.id == e.id) throw std::runtime_error(where + ": listed twice");
    out.push_back(std::move(e));
  }
  return out;
}

// The value at a dotted path ("ledger.mac", "clashes.0.hostname"), or nullptr.
const json* lookup(const json& root, std::string_view path) {
  const json* at = &root;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (at->is_object()) {
      auto it = at->find(std::string(key));
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      char* end = nullptr;
      std::string k(key);
      unsigned long i = std::strtoul(k.c_str(), &end, 10);
      if (k.empty() || *end != '\0' || i >= at->size()) return nullptr;
      at = &(*at)[i];
    } else {
      return nullptr;
    }
  }
  return at;
}

bool truthy(const json* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number()) return v->get<double>() != 0;
  // (json::empty() is false for every string: a string is one value to it.)
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  if (v->is_array() || v->is_object()) return !v->empty();
  return true;
}

std::string plain(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  // Unsigned first: is_number_integer() is true for unsigned numbers too.
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.get<double>());
    return buf;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + plain(x);
    return s;
  }
  if (v.is_null()) return "";
  return json_text(v);
}

// Renders [pos, end of the enclosing group). Stops at an unmatched '}' when nested.
Result<size_t> render_into(std::string_view t, size_t pos, const json& ev, std::string& out,
                           bool nested) {
  while (pos < t.size()) {
    char c = t[pos];
    // "{{" and "}}" are literal braces outside groups only: inside one, '}' always closes
    // (so nested groups may end together: "{a?{b?text}}").
    if (!nested && c == '{' && pos + 1 < t.size() && t[pos + 1] == '{') {
      out += '{';
      pos += 2;
    } else if (!nested && c == '}' && pos + 1 < t.size() && t[pos + 1] == '}') {
      out += '}';
      pos += 2;
    } else if (c == '}') {
      if (nested) return pos;
      return Error{ErrorKind::invalid, "unmatched '}' in summary template"};
    } else if (c == '{') {
      size_t name_end = t.find_first_of("?}", pos + 1);
      if (name_end == std::string_view::npos)
        return Error{ErrorKind::invalid, "unterminated '{' in summary template"};
      std::string_view name = t.substr(pos + 1, name_end - pos - 1);
      bool negate = !name.empty() && name.front() == '!';
      if (negate) name.remove_prefix(1);
      if (name.empty()) return Error{ErrorKind::invalid, "empty field name in summary template"};
      const json* v = lookup(ev, name);
      if (t[name_end] == '}') {
        if (negate) return Error{ErrorKind::invalid, "'!' needs '?text'"};
        if (v == nullptr)
          return Error{ErrorKind::invalid, "evidence has no field \"" + std::string(name) + "\""};
        out += plain(*v);
        pos = name_end + 1;
      } else {
        bool show = truthy(v) != negate;
        std::string inner;
        auto end = render_into(t, name_end + 1, ev, inner, true);
        if (!end) {
          // A field missing inside a group that is not shown does not matter.
          if (show) return end.error();
          // Skip to the matching brace without rendering.
          int depth = 1;
          size_t i = name_end + 1;
          for (; i < t.size() && depth > 0; ++i) {
            if (t[i] == '{') ++depth;
            if (t[i] == '}') --depth;
          }
          if (depth != 0) return Error{ErrorKind::invalid, "unterminated '{' in summary template"};
          pos = i;
          continue;
        }
        if (*end >= t.size()) return Error{ErrorKind::invalid, "unterminated '{' in template"};
        if (show) out += inner;
        pos = *end + 1;
      }
    } else {
      out += c;
      ++pos;
    }
  }
  if (nested) return Error{ErrorKind::invalid, "unterminated '{' in summary template"};
  return pos;
}

const std::vector<CheckEntry>& load() {
  static const std::vector<CheckEntry> entries = [] {
    try {
      return parse_catalogue(embedded::checks_json);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warden: the compiled-in check catalogue is broken: %s\n", e.what());
      std::abort();
    }
  }();
  return entries;
}

}  // namespace

const std::vector<CheckEntry>& checks() {
  return load();
}

const CheckEntry* find(std::string_view id) {
  for (const auto& e : load())
    if (e.id == id) return &e;
  return nullptr;
}

std::vector<std::string> check_ids(std::string_view domain, std::string_view evaluated_by) {
  std::vector<std::string> out;
  for (const auto& e : load())
    if (e.domain == domain && e.evaluated_by == evaluated_by) out.push_back(e.id);
  return out;
}

std::string title(std::string_view id, i18n::Language lang) {
  const CheckEntry* e = find(id);
  return e ? e->title.in(lang) : std::string(id);
}

const Text* find_summary(std::string_view check, std::string_view variant) {
  load();
  if (const CheckEntry* e = find(check)) {
    auto it = e->summaries.find(std::string(variant));
    if (it != e->summaries.end()) return &it->second;
  }
  auto it = shared_summaries().find(std::string(variant));
  return it == shared_summaries().end() ? nullptr : &it->second;
}

Result<std::string> render_template(std::string_view tmpl, const nlohmann::json& evidence) {
  std::string out;
  auto end = render_into(tmpl, 0, evidence, out, false);
  if (!end) return end.error();
  return out;
}

std::string render_summary(std::string_view check, std::string_view variant,
                           const nlohmann::json& evidence, i18n::Language lang,
                           std::string_view fallback) {
  // Evidence comes from an agent: what it puts in a field must not reach a terminal as control
  // characters (an escape sequence in a USB product name), so the line is made printable.
  const Text* t = variant.empty() ? nullptr : find_summary(check, variant);
  if (t == nullptr) return text::printable(fallback, kMaxSummaryBytes);
  auto r = render_template(t->in(lang), evidence);
  if (!r) return text::printable(fallback, kMaxSummaryBytes);
  return text::printable(r.value(), kMaxSummaryBytes);
}

}  // namespace warden::catalog
