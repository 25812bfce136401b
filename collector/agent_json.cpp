#include "collector/agent_json.hpp"

#include <simdjson.h>

namespace warden::collector {

namespace {
// One parser per thread, reused: its buffers grow to the largest document seen and stay.
simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    if (p.allocate(64 * 1024, kMaxJsonDepth) != simdjson::SUCCESS) throw std::bad_alloc();
    return p;
  }();
  return parser;
}
}  // namespace

std::string check_agent_json(std::string_view what, std::string_view value, size_t max_bytes,
                             nlohmann::json* out, std::initializer_list<std::string_view> keep) {
  if (value.empty()) {
    if (out) *out = nlohmann::json::object();
    return {};
  }
  if (value.size() > max_bytes)
    return std::string(what) + " is " + std::to_string(value.size()) + " bytes; the limit is " +
           std::to_string(max_bytes);
  simdjson::dom::element root;
  // Copies into the parser's own padded buffer: the input needs no padding.
  auto err = thread_parser().parse(value.data(), value.size(), true).get(root);
  if (err == simdjson::DEPTH_ERROR)
    return std::string(what) + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  if (err == simdjson::UTF8_ERROR) return std::string(what) + " is not valid UTF-8";
  if (err) return std::string(what) + " is not valid JSON (" + simdjson::error_message(err) + ")";
  if (!root.is_object()) return std::string(what) + " must be a JSON object";
  if (!out) return {};
  if (keep.size() == 0) {
    *out = nlohmann::json::parse(value);
    return {};
  }
  *out = nlohmann::json::object();
  for (auto key : keep) {
    simdjson::dom::element member;
    if (root[key].get(member) == simdjson::SUCCESS)
      (*out)[std::string(key)] = nlohmann::json::parse(simdjson::minify(member));
  }
  return {};
}

}  // namespace warden::collector
