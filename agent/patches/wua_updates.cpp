#include "agent/patches/wua_updates.hpp"

#include <cmath>

#include "common/text.hpp"

namespace warden::agent {

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// "5034441" or "KB5034441" -> "KB5034441"; anything but up to 10 digits -> "".
std::string kb_name(const std::string& raw) {
  std::string s =
      raw.size() > 2 && (raw[0] == 'K' || raw[0] == 'k') && (raw[1] == 'B' || raw[1] == 'b')
          ? raw.substr(2)
          : raw;
  if (s.empty() || s.size() > 10) return {};
  for (char c : s)
    if (c < '0' || c > '9') return {};
  return "KB" + s;
}

}  // namespace

bool wua_is_security(const WuaUpdate& u) {
  for (const auto& id : u.category_ids)
    if (lower_ascii(text::valid_utf8(id, 64)) == kSecurityUpdatesCategory) return true;
  for (const auto& name : u.categories)
    if (lower_ascii(text::valid_utf8(name, 64)) == "security updates") return true;
  return !text::printable(u.msrc_severity, 32).empty();
}

std::optional<int64_t> ole_date_to_unix(double date) {
  // 1970-01-01 is day 25569; accept 1970..9999.
  if (!std::isfinite(date) || date < 25569.0 || date > 2958465.0) return std::nullopt;
  return static_cast<int64_t>(std::llround((date - 25569.0) * 86400.0));
}

PatchFacts windows_patch_facts(const WuaState& st) {
  PatchFacts f;
  f.source = st.server.empty() ? "Windows Update" : "WSUS " + text::printable(st.server, 256);
  for (const auto& h : st.hotfixes) {
    if (f.installed_updates.size() >= kMaxHotfixes) break;
    std::string id = kb_name(text::valid_utf8(h, 16));
    f.installed_updates.push_back(id.empty() ? text::printable(h, 32) : id);
  }
  f.installed = f.installed_updates.size();
  for (const auto& u : st.pending) {
    if (f.upgrades.size() >= kMaxWuaUpdates) break;
    PendingUpgrade p;
    p.candidate = text::printable(u.title, kMaxWuaTitleBytes);
    for (const auto& kb : u.kb_ids)
      if (auto k = kb_name(text::valid_utf8(kb, 16)); !k.empty()) {
        p.name = k;
        break;
      }
    if (p.name.empty()) p.name = p.candidate.empty() ? "(untitled update)" : p.candidate;
    p.origin = f.source;
    p.label = text::printable(u.msrc_severity, 32);
    for (size_t i = 0; i < u.categories.size() && i < 8; ++i)
      p.archive += (p.archive.empty() ? "" : ", ") + text::printable(u.categories[i], 64);
    p.security = wua_is_security(u);
    p.upgradable_now = true;
    f.pending_security += p.security ? 1 : 0;
    f.upgrades.push_back(std::move(p));
  }
  f.pending = f.upgrades.size();
  f.upgrade_now = f.pending;
  f.lists_time = st.searched;
  f.last_install_time = st.last_install;
  for (const auto& r : st.reboot_reasons) f.reboot_required_pkgs.push_back(text::printable(r, 128));
  f.reboot_required = !f.reboot_required_pkgs.empty();
  return f;
}

}  // namespace warden::agent
