// Store: department policy documents, the global policy revision, what each agent gets.
#include "collector/database/store.hpp"
#include "common/duration.hpp"
#include "common/json_text.hpp"
#include "common/validate.hpp"

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

v1::GetPolicyResponse Store::get_policy(const std::string& department) {
  if (!department.empty())
    if (auto err = validate::department(department); !err.empty()) throw Failure(invalid(err));
  std::lock_guard lock(mu_);
  v1::GetPolicyResponse resp;
  resp.set_department(department);
  resp.set_document_json(json_text(policy_document_locked(department)));
  resp.set_effective_json(json_text(effective_policy_for(department).document));
  resp.set_revision(policy_revision());
  auto st = db_->prepare("SELECT department FROM policies ORDER BY department");
  while (st.step()) resp.add_departments_with_overrides(st.column_text(0));
  return resp;
}

v1::GetPolicyResponse Store::set_policy(const v1::SetPolicyRequest& req) {
  if (!req.department().empty())
    if (auto err = validate::department(req.department()); !err.empty())
      throw Failure(invalid(err));
  auto doc = nlohmann::json::parse(req.document_json(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw Failure(invalid("the policy must be a JSON object"));
  {
    std::lock_guard lock(mu_);
    nlohmann::json merged = req.replace() ? doc : policy_document_locked(req.department());
    if (!req.replace()) merged.merge_patch(doc);
    validate_policy_document(merged);  // throws with the offending key
    // The merged chain must also be valid (e.g. a value that only fails next to its parent's).
    std::vector<nlohmann::json> docs;
    for (const auto& d : department_chain(req.department()))
      docs.push_back(d == req.department() ? merged : policy_document_locked(d));
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
        .bind(1, req.department())
        .bind(2, json_text(merged))
        .bind(3, rev.column_int(0))
        .bind(4, clock_.now_ms())
        .bind(5, req.actor().empty() ? std::string("admin") : req.actor())
        .run();
    rev.reset();
    audit_locked(req.actor(), "policy.set",
                 {{"department", req.department()}, {"change", doc}, {"replace", req.replace()}});
    tx.commit();
  }
  return get_policy(req.department());
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
