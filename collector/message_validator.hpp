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
// When `body` is given, it receives what the collector reads itself of a valid message: a
// report's facts.network and facts.usb, an event's whole data.
std::string validate_agent_message(const v1::AgentMessage& msg, nlohmann::json* body = nullptr);

}  // namespace warden::collector
