// Validates every field of what an agent sends before anything is stored (limits in
// common/validate.hpp). Returns an empty string for an acceptable message, else the reason.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "warden/v1/agent.pb.h"

namespace warden::collector {

inline constexpr size_t kMaxCsrBytes = 16 * 1024;

std::string validate_host_info(const v1::HostInfo& info);
std::string validate_finding(const v1::Finding& f);
// Checks the message shape for its kind: hello first fields, durable messages have seq > 0, ...
// When `body` is given, a valid report's facts or a valid event's data are parsed into it, so
// that the ingest path does not parse them again.
std::string validate_agent_message(const v1::AgentMessage& msg, nlohmann::json* body = nullptr);

}  // namespace warden::collector
