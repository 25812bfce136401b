#include "collector/ledger/ledger_csv.hpp"

#include <arpa/inet.h>
#include <iconv.h>
#include "common/text.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "common/validate.hpp"

namespace warden::collector {

namespace {

// GB18030 -> UTF-8 with glibc's iconv; throws on bytes that are not GB18030 either.
std::string gb18030_to_utf8(const std::string& in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::runtime_error("GB18030 conversion is not available");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1))
    throw std::invalid_argument("the file is neither UTF-8 nor GB18030 (bad bytes at offset " +
                                std::to_string(in.size() - src_left) + ")");
  out.resize(out.size() - dst_left);
  return out;
}

// Splits text into logical CSV records (newlines inside quotes belong to the field), keeping
// the line number each record starts on.
std::vector<std::pair<size_t, std::string>> records(const std::string& text) {
  std::vector<std::pair<size_t, std::string>> out;
  std::string cur;
  bool quoted = false;
  size_t line = 1, start = 1;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (c == '\n' && !quoted) {
      if (!cur.empty() && cur.back() == '\r') cur.pop_back();
      out.emplace_back(start, cur);
      cur.clear();
      start = ++line;
      continue;
    }
    if (c == '\n') ++line;
    cur += c;
  }
  if (!cur.empty()) {
    if (cur.back() == '\r') cur.pop_back();
    out.emplace_back(start, cur);
  }
  return out;
}

const std::map<std::string, std::string>& header_aliases() {
  static const std::map<std::string, std::string> m = {{"hostname", "hostname"},
                                                       {"计算机名", "hostname"},
                                                       {"主机名", "hostname"},
                                                       {"ip", "ip"},
                                                       {"ip地址", "ip"},
                                                       {"mac", "mac"},
                                                       {"mac地址", "mac"},
                                                       {"物理地址", "mac"},
                                                       {"department", "department"},
                                                       {"部门", "department"},
                                                       {"owner", "owner"},
                                                       {"责任人", "owner"},
                                                       {"使用人", "owner"},
                                                       {"classification", "classification"},
                                                       {"密级", "classification"}};
  return m;
}

}  // namespace

std::vector<std::string> split_csv_record(const std::string& record) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < record.size(); ++i) {
    char c = record[i];
    if (quoted) {
      if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  fields.push_back(cur);
  return fields;
}

namespace {

// A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, and tab or CR,
// which some spreadsheets skip before looking for one.
bool formula_like(std::string_view v) {
  return !v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos;
}

// One or more apostrophes, then a formula-like value: what csv_field writes for a formula-like
// value, and for a value that already looks like that (so reading it back is exact).
bool neutralised(std::string_view v) {
  size_t n = v.find_first_not_of('\'');
  return n != 0 && n != std::string_view::npos && formula_like(v.substr(n));
}

}  // namespace

std::string csv_field(const std::string& value) {
  // Neutralised with a leading apostrophe, which spreadsheets show as text and our own reader
  // takes off again (unneutralize_csv_cell), so exporting and importing a ledger loses nothing.
  std::string v = formula_like(value) || neutralised(value) ? "'" + value : value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string unneutralize_csv_cell(const std::string& cell) {
  return neutralised(cell) ? cell.substr(1) : cell;
}

std::optional<std::string> normalize_mac(const std::string& text) {
  std::string hex;
  for (char c : text::trim(text)) {
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c != ':' && c != '-' && c != '.')
      return std::nullopt;
  }
  if (hex.size() != 12) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < 12; i += 2) out += (i ? ":" : "") + hex.substr(i, 2);
  return out;
}

std::optional<std::string> normalize_ip(const std::string& text) {
  std::string t = text::trim(text);
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, t.c_str(), buf) == 1)
    return std::string(inet_ntop(AF_INET, buf, out, sizeof out));
  if (inet_pton(AF_INET6, t.c_str(), buf) == 1)
    return std::string(inet_ntop(AF_INET6, buf, out, sizeof out));
  return std::nullopt;
}

std::optional<std::string> normalize_classification(const std::string& text) {
  std::string t = text::lower(text::trim(text));
  if (t.empty() || t == "general" || t == "普通" || t == "非涉密" || t == "非密") return "general";
  if (t == "classified" || t == "涉密" || t == "秘密" || t == "机密" || t == "绝密")
    return "classified";
  return std::nullopt;
}

bool valid_hostname(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    if (c == '.') {
      if (label == 0 || h[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    if (!ok || (label == 0 && c == '-') || ++label > 63) return false;
  }
  return label > 0 && h.back() != '-';
}

LedgerParseResult parse_ledger_csv(const std::string& bytes) {
  LedgerParseResult r;
  std::string text;
  if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) {
    text = bytes.substr(3);
    r.encoding = "UTF-8 with BOM";
  } else if (validate::is_utf8(bytes)) {
    text = bytes;
    r.encoding = "UTF-8";
  } else {
    try {
      text = gb18030_to_utf8(bytes);
      r.encoding = "GB18030";
    } catch (const std::exception& e) {
      r.problems.push_back({0, e.what()});
      return r;
    }
  }
  if (!validate::is_utf8(text)) {
    r.problems.push_back({0, "the file is not valid UTF-8 after its BOM"});
    return r;
  }

  auto recs = records(text);
  size_t first = 0;
  while (first < recs.size() && text::trim(recs[first].second).empty()) ++first;
  if (first == recs.size()) {
    r.problems.push_back({0, "the file is empty"});
    return r;
  }
  // Header: map column index -> field.
  std::map<std::string, size_t> col;
  auto header = split_csv_record(recs[first].second);
  for (size_t i = 0; i < header.size(); ++i) {
    std::string key = text::lower(text::trim(header[i]));
    key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
    auto alias = header_aliases().find(key);
    if (alias == header_aliases().end()) {
      r.problems.push_back(
          {recs[first].first, "unknown column '" + text::trim(header[i]) +
                                  "' (expected hostname,ip,mac,department,owner,"
                                  "classification or 计算机名,IP地址,MAC地址,部门,责任人,密级)"});
      continue;
    }
    if (col.count(alias->second))
      r.problems.push_back({recs[first].first, "column '" + alias->second + "' appears twice"});
    col[alias->second] = i;
  }
  for (const char* required : {"hostname", "ip", "mac"})
    if (!col.count(required))
      r.problems.push_back(
          {recs[first].first, std::string("missing required column '") + required + "'"});
  if (!r.problems.empty()) return r;

  std::map<std::string, size_t> seen_host, seen_ip, seen_mac;
  for (size_t i = first + 1; i < recs.size(); ++i) {
    // Not a structured binding: clang 14 cannot capture those in the lambdas below.
    const size_t line = recs[i].first;
    const std::string& rec = recs[i].second;
    if (text::trim(rec).empty()) continue;
    auto fields = split_csv_record(rec);
    auto get = [&](const char* name) {
      auto it = col.find(name);
      return it != col.end() && it->second < fields.size()
                 ? unneutralize_csv_cell(text::trim(fields[it->second]))
                 : std::string();
    };
    if (fields.size() > header.size()) {
      r.problems.push_back({line, "has " + std::to_string(fields.size()) +
                                      " fields, the header has " + std::to_string(header.size())});
      continue;
    }
    LedgerEntry e;
    e.hostname = text::lower(get("hostname"));
    auto ip = normalize_ip(get("ip"));
    auto mac = normalize_mac(get("mac"));
    auto cls = normalize_classification(get("classification"));
    e.department = get("department");
    e.owner = get("owner");
    size_t before = r.problems.size();
    if (!valid_hostname(e.hostname))
      r.problems.push_back({line, "hostname '" + get("hostname") + "' is not a valid host name"});
    if (!ip) r.problems.push_back({line, "IP address '" + get("ip") + "' is not valid"});
    if (!mac)
      r.problems.push_back(
          {line, "MAC address '" + get("mac") + "' is not valid (expected aa:bb:cc:dd:ee:ff)"});
    if (!cls)
      r.problems.push_back({line, "classification '" + get("classification") +
                                      "' must be general or classified (普通/涉密)"});
    if (!e.department.empty())
      if (auto err = validate::department(e.department); !err.empty())
        r.problems.push_back({line, err});
    if (auto err = validate::text("owner", e.owner, 128); !err.empty())
      r.problems.push_back({line, err});
    if (r.problems.size() != before) continue;
    e.ip = *ip;
    e.mac = *mac;
    e.classification = *cls;
    auto dup = [&](std::map<std::string, size_t>& seen, const std::string& key, const char* what) {
      auto [it, fresh] = seen.emplace(key, line);
      if (!fresh)
        r.problems.push_back({line, std::string(what) + " " + key + " is already used on line " +
                                        std::to_string(it->second)});
    };
    dup(seen_host, e.hostname, "hostname");
    dup(seen_ip, e.ip, "IP address");
    dup(seen_mac, e.mac, "MAC address");
    r.entries.push_back(std::move(e));
  }
  if (!r.problems.empty()) r.entries.clear();  // all or nothing
  return r;
}

std::string format_ledger_csv(const std::vector<LedgerEntry>& entries) {
  std::string out = "\xEF\xBB\xBFhostname,ip,mac,department,owner,classification\r\n";
  for (const auto& e : entries)
    out += csv_field(e.hostname) + "," + csv_field(e.ip) + "," + csv_field(e.mac) + "," +
           csv_field(e.department) + "," + csv_field(e.owner) + "," + csv_field(e.classification) +
           "\r\n";
  return out;
}

}  // namespace warden::collector
