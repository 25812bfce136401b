// The JSON (stable English keys, for --json) and the words people see for the admin messages more
// than one wardenctl command shows: one mapping per message type.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <nlohmann/json.hpp>
#include <string>

#include "warden/v1/admin.pb.h"

namespace warden::ctl {

using nlohmann::json;

std::string status_name(v1::Status s);
std::string severity_name(v1::Severity s);
// A JSON text an agent or the collector sent, parsed; {} if it is not JSON.
json evidence_of(const std::string& text);
std::string join(const google::protobuf::RepeatedPtrField<std::string>& v, const char* sep = ", ");
std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& v);

json token_json(const v1::TokenInfo& t);
json host_json(const v1::HostSummary& h);
// "revoked", "online" or "offline".
std::string host_state(const v1::HostSummary& h);
// "now" for a connected host, else how long ago it was last seen.
std::string host_last_seen(const v1::HostSummary& h, int64_t now_ms);
json finding_json(const v1::StoredFinding& f);
json ledger_json(const v1::LedgerEntry& e);
json usb_json(const v1::UsbDevice& d);

}  // namespace warden::ctl
