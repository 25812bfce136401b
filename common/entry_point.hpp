// Where exceptions stop. Every thread body, every callback a library calls (gRPC reactions,
// Asio handlers, udev and netlink watchers) and every gRPC handler runs its work inside
// guarded(): an exception, of any type, is logged with the place it happened and goes no
// further, so nothing a peer, a device or a broken database does can terminate the process.
// Callers decide what failure means there (close a stream with INTERNAL, skip one event, retry).
#pragma once

#include <exception>
#include <string_view>

#include "common/log.hpp"

namespace warden {

// Runs f(); returns false (after logging at error level) if it threw.
template <typename F>
bool guarded(std::string_view where, F&& f) noexcept {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    LOG_ERROR(where, "unexpected failure: " << e.what());
  } catch (...) {
    LOG_ERROR(where, "unexpected failure of unknown type");
  }
  return false;
}

}  // namespace warden
