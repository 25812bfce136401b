#include "collector/storage/domain/enrollment_token.hpp"

namespace warden::collector::domain {

std::string_view token_kind_name(TokenKind kind) {
  return kind == TokenKind::unit ? "unit" : "agent";
}

std::optional<TokenKind> parse_token_kind(std::string_view name) {
  if (name == "agent") return TokenKind::agent;
  if (name == "unit") return TokenKind::unit;
  return std::nullopt;
}

}  // namespace warden::collector::domain
