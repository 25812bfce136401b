#include "agent/antivirus/policy_paths.hpp"

namespace warden::agent {

std::vector<std::string> policy_path_components(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string policy_path_refusal(std::string_view path,
                                const std::vector<std::string_view>& prefixes) {
  if (path.empty() || path.front() != '/') return "is not an absolute path";
  if (path.size() > 1024) return "is longer than 1024 bytes";
  if (path.find("//") != std::string_view::npos) return "is not normalised (//)";
  if (path.find('\0') != std::string_view::npos) return "contains a NUL byte";
  for (const auto& c : policy_path_components(path))
    if (c == "." || c == "..") return "is not normalised (. or ..)";
  for (auto p : prefixes)
    if (path.size() > p.size() && path.substr(0, p.size()) == p) return {};
  std::string allowed;
  for (auto p : prefixes) allowed += (allowed.empty() ? "" : ", ") + std::string(p);
  return "is outside the places policy may name (" + allowed + ")";
}

}  // namespace warden::agent
