#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "common/duration.hpp"

namespace warden::log {

namespace {
std::atomic<Level> g_level{[] {
  const char* env = std::getenv("WARDEN_LOG_LEVEL");
  if (!env) return Level::info;
  std::string v(env);
  if (v == "debug") return Level::debug;
  if (v == "warn") return Level::warn;
  if (v == "error") return Level::error;
  return Level::info;
}()};
std::mutex g_mutex;
const char* name(Level l) {
  switch (l) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "?";
}
}  // namespace

void set_level(Level level) {
  g_level = level;
}
bool enabled(Level level) {
  return level >= g_level.load();
}

void write(Level level, std::string_view component, std::string_view message) {
  std::string line = format_time_utc(now_ms()) + " " + name(level) + " " + std::string(component) +
                     ": " + std::string(message) + "\n";
  std::lock_guard lock(g_mutex);
  std::fputs(line.c_str(), stderr);
}

}  // namespace warden::log
