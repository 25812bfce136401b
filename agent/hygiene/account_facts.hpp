#pragma once
#include <filesystem>

#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {
// passwd, shadow and login.defs under root. Pure parsing is in parse_account_facts.
AccountFacts parse_account_facts(const std::string& passwd,
                                 const std::optional<std::string>& shadow,
                                 const std::string& login_defs);
AccountFacts read_account_facts(const std::filesystem::path& root);
}  // namespace warden::agent
