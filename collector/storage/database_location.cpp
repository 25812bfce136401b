#include "collector/storage/database_location.hpp"

#include <stdexcept>

namespace warden::storage {

namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool is_postgresql_uri(const std::string& s) {
  return starts_with(s, "postgresql://") || starts_with(s, "postgres://");
}

}  // namespace

Location::Location(const std::string& path_or_uri) : target(path_or_uri) {
  if (is_postgresql_uri(path_or_uri)) {
    validate_postgresql_uri(path_or_uri);
    backend = Backend::postgresql;
  }
}

void validate_postgresql_uri(const std::string& uri) {
  if (!is_postgresql_uri(uri))
    throw std::invalid_argument("not a PostgreSQL URI (expected postgresql://USER@HOST:PORT/DB)");
  if (uri.size() > 4096)
    throw std::invalid_argument("the PostgreSQL URI is longer than 4096 bytes");
  for (unsigned char c : uri)
    if (c < 0x20 || c == 0x7f)
      throw std::invalid_argument("the PostgreSQL URI contains a control character");
  auto rest = uri.substr(uri.find("://") + 3);
  auto slash = rest.find('/');
  auto query = rest.find('?');
  if (slash == std::string::npos || slash + 1 >= rest.size() || slash + 1 == query)
    throw std::invalid_argument(
        "the PostgreSQL URI names no database (expected postgresql://USER@HOST:PORT/DB)");
}

std::string Location::display() const {
  if (backend != Backend::postgresql) return target;
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme_end = target.find("://") + 3;
  auto at = target.find('@', scheme_end);
  auto slash = target.find('/', scheme_end);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return target;
  auto colon = target.find(':', scheme_end);
  std::string out = target;
  if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  // A password given as a parameter (?password=...) is hidden too.
  auto p = out.find("password=");
  if (p != std::string::npos) {
    auto end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

}  // namespace warden::storage
