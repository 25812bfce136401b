#include "agent/hygiene/firewall_facts.hpp"

#include <nftables/libnftables.h>

#include "agent/hygiene/keyfile.hpp"
#include "common/files.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

namespace {
bool unit_enabled(const fs::path& root, const std::string& unit) {
  std::error_code ec;
  for (const char* target :
       {"multi-user.target.wants", "sysinit.target.wants", "network-pre.target.wants"})
    if (fs::exists(root / "etc/systemd/system" / target / unit, ec)) return true;
  return false;
}
}  // namespace

FirewallFacts read_firewall_facts(const fs::path& root) {
  FirewallFacts f;
  auto ufw = files::read_if_exists(root / "etc/ufw/ufw.conf", 65536).value_or("");
  for (auto& s : parse_keyfile("[ufw]\n" + ufw))
    if (s.values.count("ENABLED")) f.ufw_enabled = s.values["ENABLED"] == "yes";
  f.firewalld_enabled = unit_enabled(root, "firewalld.service");
  f.nftables_service_enabled = unit_enabled(root, "nftables.service");
  if (root != "/") return f;
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) {
    f.live_error = "libnftables could not start";
    return f;
  }
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  if (nft_run_cmd_from_buffer(ctx, "list ruleset") != 0) {
    const char* err = nft_ctx_get_error_buffer(ctx);
    f.live_error = err && *err ? err : "cannot list the nftables ruleset (needs CAP_NET_ADMIN)";
    while (!f.live_error.empty() && f.live_error.back() == '\n') f.live_error.pop_back();
  } else {
    std::string out = nft_ctx_get_output_buffer(ctx);
    int chains = 0, rules = 0;
    size_t pos = 0;
    while ((pos = out.find("hook input", pos)) != std::string::npos) ++chains, ++pos;
    // Rules are the indented lines inside chains that are not chain declarations.
    std::string line;
    for (char c : out) {
      if (c != '\n') {
        line += c;
        continue;
      }
      if (line.rfind("\t\t", 0) == 0 && line.find("type ") == std::string::npos) ++rules;
      line.clear();
    }
    f.live_input_chains = chains;
    f.live_rules = rules;
  }
  nft_ctx_free(ctx);
  return f;
}

}  // namespace warden::agent
