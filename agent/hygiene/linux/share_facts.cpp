#include "agent/hygiene/share_facts.hpp"

#include <algorithm>

#include "agent/hygiene/keyfile.hpp"
#include "common/files.hpp"

namespace warden::agent {

ShareFacts read_share_facts(const std::filesystem::path& root) {
  ShareFacts f;
  for (const auto& s :
       parse_keyfile(files::read_if_exists(root / "etc/samba/smb.conf", 1 << 20).value_or(""))) {
    std::string n = s.name;
    std::transform(n.begin(), n.end(), n.begin(), ::tolower);
    if (n == "global" || n == "homes" || n == "printers" || n == "print$") continue;
    auto avail = s.values.find("available");
    if (avail != s.values.end() && (avail->second == "no" || avail->second == "false")) continue;
    f.samba_shares.push_back(s.name);
  }
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(root / "var/lib/samba/usershares", ec))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.')
      f.usershares.push_back(e.path().filename().string());
  std::sort(f.usershares.begin(), f.usershares.end());
  return f;
}

}  // namespace warden::agent
