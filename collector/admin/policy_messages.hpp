// Department policy between the admin API's messages and the policy repository's domain values.
#pragma once

#include <string>

#include "collector/storage/domain/department_policy.hpp"
#include "warden/v1/admin.pb.h"

namespace warden::collector {

v1::GetPolicyResponse to_message(const domain::DepartmentPolicy& policy);

// The change a request asks for, by `actor`: the department named properly ("" = the root) and
// the document a JSON object; throws Failure(invalid) saying which is wrong. Whether the merged
// document is a valid policy is the repository's to check, against what is stored.
domain::PolicyChange policy_change_from(const v1::SetPolicyRequest& request,
                                        const std::string& actor);

}  // namespace warden::collector
