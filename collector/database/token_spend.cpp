#include "collector/database/token_spend.hpp"

#include "collector/database/store.hpp"
#include "collector/enrollment_token.hpp"

namespace warden::collector {

SpentToken spend_token(storage::Connection& db, const std::string& token, const std::string& kind,
                       int64_t now_ms) {
  auto parts = parse_token(token);
  if (!parts) throw EnrollmentRefused("the enrollment token is malformed (expected <id>.<secret>)");
  auto st = db.prepare(
      "SELECT secret_hash, department, expires_at, max_uses, uses, revoked, kind "
      "FROM enrollment_tokens WHERE id = ?");
  st.bind(1, parts->id);
  if (!st.step() || !secret_matches(parts->secret, st.column_text(0)))
    throw EnrollmentRefused("the enrollment token is not valid");
  SpentToken out{parts->id, st.column_text(1)};
  if (st.column_int(5)) throw EnrollmentRefused("the enrollment token was revoked");
  if (st.column_int(2) <= now_ms) throw EnrollmentRefused("the enrollment token has expired");
  if (st.column_int(4) >= st.column_int(3))
    throw EnrollmentRefused("the enrollment token has been used up");
  if (st.column_text(6) != kind)
    throw EnrollmentRefused(kind == "unit"
                                ? "this token enrolls a PC, not a unit's collector "
                                  "(create one with `wardenctl token create --kind unit`)"
                                : "this token enrolls a unit's collector, not a PC");
  st.reset();
  db.prepare("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?").bind(1, parts->id).run();
  return out;
}

}  // namespace warden::collector
