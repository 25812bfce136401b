#pragma once
#include <filesystem>

#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {
// Static configuration under root; the live nftables ruleset (libnftables) only when root is "/".
FirewallFacts read_firewall_facts(const std::filesystem::path& root);
}  // namespace warden::agent
