#include "collector/session_registry.hpp"

#include <algorithm>

namespace warden::collector {

void SessionRegistry::add(const Entry& entry) {
  std::shared_ptr<SessionLink> old;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(entry.agent_id);
    if (it != sessions_.end()) old = it->second.link;
    sessions_[entry.agent_id] = entry;
  }
  if (old) old->close(grpc::Status(grpc::StatusCode::ABORTED, "replaced by a newer session"));
}

void SessionRegistry::attach(const std::string& agent_id, std::shared_ptr<SessionLink> link) {
  std::lock_guard lock(mu_);
  attached_.emplace(agent_id, std::move(link));
}

void SessionRegistry::remove(const std::string& agent_id, const SessionLink* link) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(agent_id);
  if (it != sessions_.end() && it->second.link.get() == link) sessions_.erase(it);
  auto [b, e] = attached_.equal_range(agent_id);
  for (auto a = b; a != e; ++a) {
    if (a->second.get() == link) {
      attached_.erase(a);
      break;
    }
  }
}

bool SessionRegistry::close(const std::string& agent_id, const grpc::Status& status) {
  std::vector<std::shared_ptr<SessionLink>> links;
  {
    std::lock_guard lock(mu_);
    auto [b, e] = attached_.equal_range(agent_id);
    for (auto a = b; a != e; ++a) links.push_back(a->second);
    auto it = sessions_.find(agent_id);
    if (it != sessions_.end() &&
        std::find(links.begin(), links.end(), it->second.link) == links.end())
      links.push_back(it->second.link);
  }
  // Outside the lock: closing may run a reaction inline that removes itself.
  for (auto& link : links) link->close(status);
  return !links.empty();
}

bool SessionRegistry::has(const std::string& agent_id) const {
  std::lock_guard lock(mu_);
  return sessions_.count(agent_id) > 0;
}

std::set<std::string> SessionRegistry::online() const {
  std::lock_guard lock(mu_);
  std::set<std::string> out;
  for (const auto& [id, _] : sessions_) out.insert(id);
  return out;
}

std::vector<SessionRegistry::Entry> SessionRegistry::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  for (const auto& [_, e] : sessions_) out.push_back(e);
  return out;
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace warden::collector
