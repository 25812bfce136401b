#include "collector/admin/token_messages.hpp"

namespace warden::collector {

v1::TokenInfo to_message(const domain::EnrollmentToken& token) {
  v1::TokenInfo out;
  out.set_id(token.id);
  out.set_department(token.department);
  out.set_created_at_ms(token.created_at_ms);
  out.set_expires_at_ms(token.expires_at_ms);
  out.set_max_uses(token.max_uses);
  out.set_uses(token.uses);
  out.set_revoked(token.revoked);
  out.set_kind(std::string(domain::token_kind_name(token.kind)));
  return out;
}

v1::CreateTokenResponse to_message(const domain::CreatedEnrollmentToken& created) {
  v1::CreateTokenResponse out;
  out.set_token(created.text);
  *out.mutable_info() = to_message(created.token);
  return out;
}

}  // namespace warden::collector
