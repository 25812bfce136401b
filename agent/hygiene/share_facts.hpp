#pragma once
#include <filesystem>

#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {
ShareFacts read_share_facts(const std::filesystem::path& root);
}  // namespace warden::agent
