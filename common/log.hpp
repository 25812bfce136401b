// Minimal leveled logging to stderr (the journal captures it under systemd).
// Never log secrets: tokens, keys and CSRs are referred to by ID or fingerprint only.
#pragma once

#include <sstream>
#include <string_view>

namespace warden::log {

enum class Level { debug, info, warn, error };

void set_level(Level level);
bool enabled(Level level);
void write(Level level, std::string_view component, std::string_view message);

}  // namespace warden::log

#define WARDEN_LOG(level, component, expr)                          \
  do {                                                              \
    if (::warden::log::enabled(level)) {                            \
      std::ostringstream warden_log_os_;                            \
      warden_log_os_ << expr;                                       \
      ::warden::log::write(level, component, warden_log_os_.str()); \
    }                                                               \
  } while (0)
#define LOG_DEBUG(c, e) WARDEN_LOG(::warden::log::Level::debug, c, e)
#define LOG_INFO(c, e) WARDEN_LOG(::warden::log::Level::info, c, e)
#define LOG_WARN(c, e) WARDEN_LOG(::warden::log::Level::warn, c, e)
#define LOG_ERROR(c, e) WARDEN_LOG(::warden::log::Level::error, c, e)
