// The JSON (stable English keys, for --json) and the words people see for the admin messages more
// than one wardenctl command shows: one mapping per message type.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "warden/v1/admin.pb.h"

namespace warden::ctl {

using nlohmann::json;

// The stable codes ("fail", "high") --json and filters use.
std::string status_name(v1::Status s);
std::string severity_name(v1::Severity s);
// The words people read for them, in the chosen language ("不通过", "高").
std::string status_text(v1::Status s);
std::string severity_text(v1::Severity s);
// A status code as stored in history and incidents ("fail", "" for none) in words.
std::string status_code_text(const std::string& code);
// "general" / "classified" (a host's or a drive's classification) in words.
std::string classification_text(const std::string& code);
// The check's title in the chosen language (catalog::title), or its ID for an unknown check.
std::string check_title(const std::string& check);
// A finding's one-line summary in the chosen language, rendered from the check catalogue's
// template named by summary_key over its evidence; the stored summary when there is no key.
std::string summary_text(const v1::Finding& f);
// The same for a summary stored without its template key (history, incidents).
std::string summary_text(const std::string& check, const std::string& summary_key,
                         const std::string& evidence_json, const std::string& stored);
// A JSON text an agent or the collector sent, parsed; {} if it is not JSON.
json evidence_of(const std::string& text);
std::string join(const google::protobuf::RepeatedPtrField<std::string>& v, const char* sep = ", ");
std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& v);

json token_json(const v1::TokenInfo& t);
// Stable English keys and codes; the *_text fields are the same in words, in the chosen language.
json host_json(const v1::HostSummary& h);
// "revoked", "online" or "offline" (stable codes), and in words.
std::string host_state(const v1::HostSummary& h);
std::string host_state_text(const v1::HostSummary& h);
// "now" for a connected host, else how long ago it was last seen.
std::string host_last_seen(const v1::HostSummary& h, int64_t now_ms);
json finding_json(const v1::StoredFinding& f);
json ledger_json(const v1::LedgerEntry& e);
json usb_json(const v1::UsbDevice& d);

}  // namespace warden::ctl
