// The agent's state directory: identity (key 0600, certificate, pinned CA), enrollment record,
// cached policy. The outbox database lives here too (outbox.db).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/agent_policy.hpp"

namespace warden::agent {

struct Enrollment {
  std::string agent_id;
  std::string collector;  // HOST:PORT
  std::string department;
  std::string ca_fingerprint;
};

class AgentState {
 public:
  explicit AgentState(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path key_path() const { return dir_ / "agent.key"; }
  std::filesystem::path cert_path() const { return dir_ / "agent.crt"; }
  std::filesystem::path ca_path() const { return dir_ / "ca.crt"; }
  std::filesystem::path enrollment_path() const { return dir_ / "enrollment.json"; }
  std::filesystem::path policy_path() const { return dir_ / "policy.json"; }
  std::filesystem::path outbox_path() const { return dir_ / "outbox.db"; }

  bool enrolled() const;
  // Throws with a message that says to enroll first.
  Enrollment load_enrollment() const;
  void save_enrollment(const Enrollment& e, const std::string& key_pem, const std::string& cert_pem,
                       const std::string& ca_pem) const;

  // The cached policy, or the built-in default when none was pushed yet (or it is unreadable).
  AgentPolicy load_policy() const;
  void save_policy(const nlohmann::json& policy_json) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace warden::agent
