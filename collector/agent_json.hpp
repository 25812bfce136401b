// JSON that agents send (finding evidence, report facts, event data), checked before anything is
// stored. simdjson validates syntax, UTF-8 and nesting at a few GB/s without building a document,
// so checking every report costs the session threads little; only the parts the collector reads
// itself are turned into nlohmann::json.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace warden::collector {

inline constexpr size_t kMaxJsonDepth = 64;  // nesting of objects and arrays, the top one included

// Empty string when `value` is a JSON object (or empty, which counts as {}) within max_bytes and
// kMaxJsonDepth; otherwise a reason that starts with `what`. Numbers must fit a 64-bit integer or
// a double. With `out`, the object is parsed into it: whole, or only its top-level members named
// in `keep` (those present).
std::string check_agent_json(std::string_view what, std::string_view value, size_t max_bytes,
                             nlohmann::json* out = nullptr,
                             std::initializer_list<std::string_view> keep = {});

}  // namespace warden::collector
