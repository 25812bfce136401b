// What a call refused with: the kind of its Failure (and its message), or a test failure when it
// did not refuse at all.
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "common/error.hpp"

namespace warden::test {

inline ErrorKind refusal(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Failure& e) {
    if (message) *message = e.what();
    return e.error().kind;
  }
  FAIL("no refusal");
  return ErrorKind::internal;
}

}  // namespace warden::test
