#include "agent/hygiene/account_facts.hpp"

#include <map>
#include <sstream>

#include "common/files.hpp"

namespace warden::agent {

namespace {
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ':') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}
std::optional<int> to_int(const std::string& s) {
  try {
    size_t used = 0;
    int v = std::stoi(s, &used);
    if (used == s.size()) return v;
  } catch (...) {
  }
  return std::nullopt;
}
}  // namespace

AccountFacts parse_account_facts(const std::string& passwd,
                                 const std::optional<std::string>& shadow,
                                 const std::string& login_defs) {
  AccountFacts f;
  std::istringstream defs(login_defs);
  std::string line;
  while (std::getline(defs, line)) {
    std::istringstream w(line);
    std::string k, v;
    if (!(w >> k >> v) || k[0] == '#') continue;
    if (k == "PASS_MAX_DAYS") f.login_defs_pass_max_days = to_int(v);
    if (k == "UID_MIN") f.uid_min = to_int(v).value_or(1000);
  }
  std::map<std::string, std::vector<std::string>> sh;
  if (shadow) {
    f.shadow_readable = true;
    std::istringstream in(*shadow);
    while (std::getline(in, line)) {
      auto fl = fields(line);
      if (fl.size() >= 2) sh[fl[0]] = fl;
    }
  }
  std::istringstream pw(passwd);
  while (std::getline(pw, line)) {
    auto fl = fields(line);
    if (fl.size() < 7 || fl[0].empty()) continue;
    AccountFact a;
    a.name = fl[0];
    a.uid = to_int(fl[2]).value_or(-1);
    std::string shell = fl[6];
    bool login_shell = shell.find("nologin") == std::string::npos &&
                       shell.find("/false") == std::string::npos && !shell.empty();
    a.human = a.uid >= f.uid_min && a.uid != 65534 && login_shell;
    std::string pw_field = fl[1];
    auto it = sh.find(a.name);
    if (it != sh.end()) {
      pw_field = it->second[1];
      if (it->second.size() > 4) a.max_days = to_int(it->second[4]);
      if (a.max_days && *a.max_days >= 99999) a.max_days.reset();  // "never expires"
    }
    a.empty_password = pw_field.empty();
    a.locked = !pw_field.empty() && (pw_field[0] == '!' || pw_field[0] == '*');
    if (pw_field == "x" && it == sh.end()) a.locked = false;
    f.accounts.push_back(a);
  }
  return f;
}

AccountFacts read_account_facts(const std::filesystem::path& root) {
  return parse_account_facts(files::read_if_exists(root / "etc/passwd", 8 << 20).value_or(""),
                             files::read_if_exists(root / "etc/shadow", 8 << 20),
                             files::read_if_exists(root / "etc/login.defs", 1 << 20).value_or(""));
}

}  // namespace warden::agent
