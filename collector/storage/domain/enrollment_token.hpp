// Enrollment tokens as the token repository keeps them (collector/database/store.cpp): plain
// values, no protobuf. The admin layer converts them (collector/admin/token_messages.hpp) and
// validates what it is asked for before they get here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::collector::domain {

// Who enrolls with a token: a PC's agent, or the collector of a unit below this one.
enum class TokenKind { agent, unit };

// "agent" or "unit": the stored text, and the protocol's.
std::string_view token_kind_name(TokenKind kind);
std::optional<TokenKind> parse_token_kind(std::string_view name);

struct EnrollmentToken {
  std::string id;  // public identifier (never the secret)
  std::string department;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  uint32_t max_uses = 0;
  uint32_t uses = 0;
  bool revoked = false;
  TokenKind kind = TokenKind::agent;
  bool operator==(const EnrollmentToken&) const = default;
};

// A token to create; the caller has validated it (lifetime and uses positive).
struct NewEnrollmentToken {
  std::string department;
  int64_t ttl_seconds = 0;
  uint32_t max_uses = 0;
  std::string created_by;
  TokenKind kind = TokenKind::agent;
};

// A token just created: `text` is "<id>.<secret>", shown once and stored only hashed.
struct CreatedEnrollmentToken {
  std::string text;
  EnrollmentToken token;
};

}  // namespace warden::collector::domain
