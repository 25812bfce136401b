#include "collector/admin/policy_messages.hpp"

#include "common/error.hpp"
#include "common/json_text.hpp"
#include "common/validate.hpp"

namespace warden::collector {

v1::GetPolicyResponse to_message(const domain::DepartmentPolicy& policy) {
  v1::GetPolicyResponse out;
  out.set_department(policy.department);
  out.set_document_json(json_text(policy.document));
  out.set_effective_json(json_text(policy.effective));
  out.set_revision(policy.revision);
  for (const auto& d : policy.departments_with_overrides) out.add_departments_with_overrides(d);
  return out;
}

domain::PolicyChange policy_change_from(const v1::SetPolicyRequest& request,
                                        const std::string& actor) {
  if (!request.department().empty())
    if (auto err = validate::department(request.department()); !err.empty())
      throw Failure(invalid(err));
  auto document = nlohmann::json::parse(request.document_json(), nullptr, false);
  if (document.is_discarded() || !document.is_object())
    throw Failure(invalid("the policy must be a JSON object"));
  return {request.department(), std::move(document), request.replace(), actor};
}

}  // namespace warden::collector
