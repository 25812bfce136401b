// Store: department policy documents, the global policy revision, what each agent gets.
#include "collector/database/store.hpp"
#include "common/duration.hpp"
#include "common/json_text.hpp"

namespace warden::collector {

void Store::bump_revision_locked() {
  db_->exec(
      "UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = "
      "'policy_revision'");
}

uint64_t Store::policy_revision() {
  std::lock_guard lock(mu_);
  auto st =
      db_->prepare("SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'policy_revision'");
  return st.step() ? static_cast<uint64_t>(st.column_int(0)) : 0;
}

nlohmann::json Store::policy_document_locked(const std::string& department) {
  auto st = db_->prepare("SELECT document FROM policies WHERE department = ?");
  st.bind(1, department);
  if (!st.step()) return nlohmann::json::object();
  return nlohmann::json::parse(st.column_text(0));
}

EffectivePolicy Store::effective_policy_for(const std::string& department) {
  std::lock_guard lock(mu_);
  std::vector<nlohmann::json> docs;
  for (const auto& d : department_chain(department)) docs.push_back(policy_document_locked(d));
  return effective_policy(docs);
}

domain::DepartmentPolicy Store::get_policy(const std::string& department) {
  std::lock_guard lock(mu_);
  domain::DepartmentPolicy out;
  out.department = department;
  out.document = policy_document_locked(department);
  out.effective = effective_policy_for(department).document;
  out.revision = policy_revision();
  auto st = db_->prepare("SELECT department FROM policies ORDER BY department");
  while (st.step()) out.departments_with_overrides.push_back(st.column_text(0));
  return out;
}

domain::DepartmentPolicy Store::set_policy(const domain::PolicyChange& change) {
  if (!change.document.is_object()) throw std::invalid_argument("the policy must be a JSON object");
  {
    std::lock_guard lock(mu_);
    nlohmann::json merged =
        change.replace ? change.document : policy_document_locked(change.department);
    if (!change.replace) merged.merge_patch(change.document);
    validate_policy_document(merged);  // throws with the offending key
    // The merged chain must also be valid (e.g. a value that only fails next to its parent's).
    std::vector<nlohmann::json> docs;
    for (const auto& d : department_chain(change.department))
      docs.push_back(d == change.department ? merged : policy_document_locked(d));
    effective_policy(docs);
    storage::Transaction tx(*db_);
    bump_revision_locked();
    auto rev =
        db_->prepare("SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'policy_revision'");
    rev.step();
    db_->prepare(
           "INSERT INTO policies (department, document, revision, updated_at, updated_by) VALUES "
           "(?,?,?,?,?) "
           "ON CONFLICT (department) DO UPDATE SET document = excluded.document, revision = "
           "excluded.revision, "
           "updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind(1, change.department)
        .bind(2, json_text(merged))
        .bind(3, rev.column_int(0))
        .bind(4, clock_.now_ms())
        .bind(5, change.actor.empty() ? std::string("admin") : change.actor)
        .run();
    rev.reset();
    audit_locked(change.actor, "policy.set",
                 {{"department", change.department},
                  {"change", change.document},
                  {"replace", change.replace}});
    tx.commit();
  }
  return get_policy(change.department);
}

std::optional<std::pair<uint64_t, std::string>> Store::agent_policy_for(int64_t host_id) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT department, classification FROM hosts WHERE id = ?");
  st.bind(1, host_id);
  if (!st.step()) return std::nullopt;
  std::string department = st.column_text(0), classification = st.column_text(1);
  st.reset();
  auto eff = effective_policy_for(department);
  uint64_t revision = policy_revision();
  // Only drives registered for this host's classification are allowed on it.
  auto usb = db_->prepare(
      "SELECT vendor_id, product_id, serial FROM usb_devices WHERE classification = ?");
  usb.bind(1, classification);
  while (usb.step())
    eff.agent.usb.allowed_storage.push_back(
        {usb.column_text(0), usb.column_text(1), usb.column_text(2)});
  eff.agent.version = revision;
  return std::make_pair(revision, json_text(to_json(eff.agent)));
}

}  // namespace warden::collector
