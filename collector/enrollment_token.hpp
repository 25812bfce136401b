// Enrollment tokens: "<id>.<secret>". The id is public (listed, revoked by it); only a SHA-256
// of the secret is stored, and secrets are compared in constant time.
#pragma once

#include <optional>
#include <string>

namespace warden::collector {

struct TokenParts {
  std::string id;      // 16 lowercase hex
  std::string secret;  // 43 base64url characters (32 random bytes)
};

TokenParts generate_token();
std::string format_token(const TokenParts& parts);
// nullopt when the text is not shaped like a token (so a typo gets a clear message).
std::optional<TokenParts> parse_token(const std::string& text);
std::string hash_secret(const std::string& secret);  // 32 raw bytes
bool secret_matches(const std::string& secret, const std::string& stored_hash);

// A random agent ID: "a-" + 24 lowercase hex.
std::string generate_agent_id();

}  // namespace warden::collector
