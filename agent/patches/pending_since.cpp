#include "agent/patches/pending_since.hpp"

#include "common/files.hpp"
#include "common/json_text.hpp"

namespace warden::agent {

void apply_first_seen(std::vector<PendingUpgrade>& upgrades, const std::filesystem::path& file,
                      int64_t now_s) {
  nlohmann::json seen = nlohmann::json::object();
  if (!file.empty())
    if (auto text = files::read_if_exists(file, 8 << 20)) {
      auto j = nlohmann::json::parse(*text, nullptr, false);
      if (j.is_object()) seen = j;
    }
  nlohmann::json next = nlohmann::json::object();
  for (auto& u : upgrades) {
    std::string key = u.name + "=" + u.candidate;
    u.first_seen =
        seen.contains(key) && seen[key].is_number_integer() ? seen[key].get<int64_t>() : now_s;
    next[key] = u.first_seen;
  }
  if (!file.empty()) {
    try {
      files::write_atomic(file, json_text(next), 0644);
    } catch (...) {
      // A read-only state dir only loses the memory of first sightings.
    }
  }
}

}  // namespace warden::agent
