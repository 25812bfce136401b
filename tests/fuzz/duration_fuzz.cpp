// Human durations from command lines and config files (common/duration.cpp).
// Invariants: accepted durations are positive, fit in milliseconds, and format_duration's text
// parses back to the same duration; "Nms" means N milliseconds.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/duration.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = warden::parse_duration(text)) {
    FUZZ_CHECK(d->count() > 0);
    FUZZ_CHECK(d->count() <= INT64_MAX / 1000);
    auto back = warden::parse_duration(warden::format_duration(*d));
    FUZZ_CHECK(back && *back == *d);
    auto ms = warden::parse_duration_ms(text);
    FUZZ_CHECK(ms && *ms == std::chrono::duration_cast<std::chrono::milliseconds>(*d));
  }
  if (auto ms = warden::parse_duration_ms(text)) {
    FUZZ_CHECK(ms->count() > 0);
    if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
      auto n = warden::parse_duration(text.substr(0, text.size() - 2));
      FUZZ_CHECK(n && n->count() == ms->count());
    }
  }
  return 0;
}
