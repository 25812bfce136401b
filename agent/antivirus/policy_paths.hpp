// Where an antivirus entry that an admin adds through policy (antivirus.extra_products) may point
// the agent.
//
// Policy is pushed by the collector to every PC, and the agent runs as root: an entry whose
// config_file were /etc/shadow, or a symlink to it, would turn the collector into a file reader
// for root on every PC. So the paths of policy entries (not those of the shipped catalog, which
// root installed) are held to rules, and an entry that breaks one is refused with the reason:
// - install_paths, config_file and database_dirs are absolute, normalised (no `.`/`..`, no `//`)
//   and under one of kPolicyPathPrefixes;
// - config_file is read only if every directory on the way is a real directory (no symlink) that
//   every user may enter, and the file itself is a regular file (no symlink), readable by every
//   user, and at most kMaxPolicyFileBytes: the agent reads for policy only what any local user
//   could read anyway;
// - the control socket named in that config file is under kPolicySocketPrefixes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::agent {

inline const std::vector<std::string_view> kPolicyPathPrefixes = {"/etc/", "/opt/", "/usr/",
                                                                  "/var/lib/", "/var/opt/"};
inline const std::vector<std::string_view> kPolicySocketPrefixes = {"/run/", "/var/run/"};
inline constexpr size_t kMaxPolicyFileBytes = 1 << 20;

// Why `path` may not be used (empty: it may): the lexical rules above.
std::string policy_path_refusal(std::string_view path,
                                const std::vector<std::string_view>& prefixes);

// The components of a slash-separated path (empty ones dropped).
std::vector<std::string> policy_path_components(std::string_view path);

struct PolicyFile {
  std::optional<std::string> text;  // nullopt: refused or absent (then `refusal` says which)
  std::string refusal;              // empty when the file was read or simply does not exist
};

// Reads `path` (absolute) below `root` following the filesystem rules above, component by
// component with O_NOFOLLOW, so a symlink swapped in between checks is not followed either.
PolicyFile read_policy_file(const std::filesystem::path& root, const std::string& path);

}  // namespace warden::agent
