#pragma once
#include <filesystem>

#include "agent/hygiene/hygiene_facts.hpp"

namespace warden::agent {
// System-wide dconf settings (keyfiles in /etc/dconf/db/*.d/ and their locks/), for GNOME
// (org/gnome/desktop/session idle-delay, org/gnome/desktop/screensaver lock-enabled) and UKUI
// (org/ukui/screensaver idle-delay in minutes, lock-enabled); falls back to the desktop's
// documented defaults (GNOME: 300 s, lock enabled).
ScreenLockFacts read_screen_lock_facts(const std::filesystem::path& root);
}  // namespace warden::agent
