#include "agent/hygiene/screen_lock_facts.hpp"

#include <algorithm>

#include "agent/hygiene/keyfile.hpp"
#include "common/files.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

namespace {
std::optional<int> gvariant_int(std::string v) {
  if (v.rfind("uint32 ", 0) == 0) v = v.substr(7);
  if (v.rfind("int32 ", 0) == 0) v = v.substr(6);
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (...) {
  }
  return std::nullopt;
}
}  // namespace

ScreenLockFacts read_screen_lock_facts(const fs::path& root) {
  ScreenLockFacts f;
  std::error_code ec;
  fs::path schemas = root / "usr/share/glib-2.0/schemas";
  bool gnome = fs::exists(schemas / "org.gnome.desktop.session.gschema.xml", ec);
  bool ukui = fs::exists(schemas / "org.ukui.screensaver.gschema.xml", ec);
  f.desktop_present = gnome || ukui;
  f.desktop = ukui ? "ukui" : gnome ? "gnome" : "";
  if (gnome) {  // documented GNOME defaults
    f.idle_delay_seconds = 300;
    f.lock_enabled = true;
  }
  // dconf reads databases in order; keyfiles within a .d directory in lexical order.
  std::vector<fs::path> keyfiles, lockfiles;
  for (const auto& db : fs::directory_iterator(root / "etc/dconf/db", ec)) {
    if (!db.is_directory() || db.path().extension() != ".d") continue;
    for (const auto& kf : fs::directory_iterator(db.path(), ec))
      if (kf.is_regular_file()) keyfiles.push_back(kf.path());
    for (const auto& lf : fs::directory_iterator(db.path() / "locks", ec))
      if (lf.is_regular_file()) lockfiles.push_back(lf.path());
  }
  std::sort(keyfiles.begin(), keyfiles.end());
  for (const auto& kf : keyfiles) {
    for (const auto& s : parse_keyfile(files::read_if_exists(kf, 1 << 20).value_or(""))) {
      auto get = [&](const char* key) -> std::optional<std::string> {
        auto it = s.values.find(key);
        return it == s.values.end() ? std::nullopt : std::optional<std::string>(it->second);
      };
      if (s.name == "org/gnome/desktop/session" && get("idle-delay")) {
        f.idle_delay_seconds = gvariant_int(*get("idle-delay"));
        f.sources.push_back(kf.string());
      }
      if ((s.name == "org/gnome/desktop/screensaver" || s.name == "org/ukui/screensaver") &&
          get("lock-enabled")) {
        f.lock_enabled = *get("lock-enabled") == "true";
        f.sources.push_back(kf.string());
      }
      if (s.name == "org/ukui/screensaver" && get("idle-delay"))
        if (auto minutes = gvariant_int(*get("idle-delay"))) f.idle_delay_seconds = *minutes * 60;
    }
  }
  for (const auto& lf : lockfiles) {
    auto text = files::read_if_exists(lf, 65536).value_or("");
    f.idle_delay_locked |=
        text.find("/org/gnome/desktop/session/idle-delay") != std::string::npos ||
        text.find("/org/ukui/screensaver/idle-delay") != std::string::npos;
    f.lock_enabled_locked |=
        text.find("/org/gnome/desktop/screensaver/lock-enabled") != std::string::npos ||
        text.find("/org/ukui/screensaver/lock-enabled") != std::string::npos;
  }
  return f;
}

}  // namespace warden::agent
