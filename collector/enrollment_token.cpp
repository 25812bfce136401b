#include "collector/enrollment_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "common/text.hpp"

namespace warden::collector {

namespace {

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string base64url(const std::string& bytes) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += a[(buf >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += a[(buf << (6 - bits)) & 0x3f];
  return out;
}

bool all_of(const std::string& s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

}  // namespace

TokenParts generate_token() {
  return {text::hex(random_bytes(8)), base64url(random_bytes(32))};
}

std::string format_token(const TokenParts& parts) {
  return parts.id + "." + parts.secret;
}

std::optional<TokenParts> parse_token(const std::string& text) {
  auto dot = text.find('.');
  if (dot == std::string::npos) return std::nullopt;
  TokenParts p{text.substr(0, dot), text.substr(dot + 1)};
  if (p.id.size() != 16 || p.secret.size() != 43) return std::nullopt;
  if (!all_of(p.id, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return std::nullopt;
  if (!all_of(p.secret, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      }))
    return std::nullopt;
  return p;
}

std::string hash_secret(const std::string& secret) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_Digest(secret.data(), secret.size(), md, &n, EVP_sha256(), nullptr))
    throw std::runtime_error("EVP_Digest failed");
  return std::string(reinterpret_cast<char*>(md), n);
}

bool secret_matches(const std::string& secret, const std::string& stored_hash) {
  std::string h = hash_secret(secret);
  return h.size() == stored_hash.size() &&
         CRYPTO_memcmp(h.data(), stored_hash.data(), h.size()) == 0;
}

std::string generate_agent_id() {
  return "a-" + text::hex(random_bytes(12));
}

}  // namespace warden::collector
