#include "agent/agent_state.hpp"

#include <stdexcept>

#include "common/files.hpp"
#include "common/log.hpp"

namespace warden::agent {

bool AgentState::enrolled() const {
  return std::filesystem::exists(enrollment_path()) && std::filesystem::exists(cert_path()) &&
         std::filesystem::exists(key_path());
}

Enrollment AgentState::load_enrollment() const {
  if (!enrolled())
    throw std::runtime_error("this agent is not enrolled (no identity in " + dir_.string() +
                             "); run: warden-agent enroll --collector HOST:PORT --token TOKEN "
                             "--ca-fingerprint SHA256:...");
  auto j = nlohmann::json::parse(files::read(enrollment_path()), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("agent_id") || !j.contains("collector"))
    throw std::runtime_error(enrollment_path().string() + " is damaged; enroll again with --force");
  return {j.value("agent_id", ""), j.value("collector", ""), j.value("department", ""),
          j.value("ca_fingerprint", "")};
}

void AgentState::save_enrollment(const Enrollment& e, const std::string& key_pem,
                                 const std::string& cert_pem, const std::string& ca_pem) const {
  files::ensure_dir(dir_, 0700);
  files::write_atomic(key_path(), key_pem, 0600);
  files::write_atomic(cert_path(), cert_pem, 0644);
  files::write_atomic(ca_path(), ca_pem, 0644);
  nlohmann::json j = {{"agent_id", e.agent_id},
                      {"collector", e.collector},
                      {"department", e.department},
                      {"ca_fingerprint", e.ca_fingerprint}};
  files::write_atomic(enrollment_path(), j.dump(2) + "\n", 0644);
}

AgentPolicy AgentState::load_policy() const {
  auto text = files::read_if_exists(policy_path(), 4 << 20);
  if (!text) return AgentPolicy{};
  try {
    return parse_agent_policy(nlohmann::json::parse(*text), false);
  } catch (const std::exception& e) {
    LOG_WARN("agent", "ignoring cached policy " << policy_path().string() << ": " << e.what());
    return AgentPolicy{};
  }
}

void AgentState::save_policy(const nlohmann::json& policy_json) const {
  files::write_atomic(policy_path(), policy_json.dump(2) + "\n", 0644);
}

}  // namespace warden::agent
