// Bytes an agent sends on its session stream, as the collector sees them: protobuf decoding of
// warden.v1.AgentMessage, then the validation layer (collector/message_validator.cpp).
// Invariants: validation is deterministic, ignores unknown fields, and what passes still passes
// after a serialise/parse round trip; accepted durable messages carry a sequence number,
// control messages (certificate renewal) none.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "collector/message_validator.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace v1 = warden::v1;
using warden::collector::validate_agent_message;

namespace {
void quiet(google::protobuf::LogLevel, const char*, int, const std::string&) {}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(quiet);  // invalid UTF-8 in string fields logs an error
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::AgentMessage msg;
  if (!msg.ParseFromArray(data, static_cast<int>(size))) return 0;
  const std::string verdict = validate_agent_message(msg);
  FUZZ_CHECK(validate_agent_message(msg) == verdict);

  v1::AgentMessage known = msg;
  known.DiscardUnknownFields();
  FUZZ_CHECK(validate_agent_message(known) == verdict);
  if (!verdict.empty()) return 0;

  // Not a switch: new message kinds must not break this target's build.
  const auto body = msg.body_case();
  FUZZ_CHECK(body != v1::AgentMessage::BODY_NOT_SET);
  if (body == v1::AgentMessage::kReport || body == v1::AgentMessage::kEvent)
    FUZZ_CHECK(msg.seq() > 0);
  if (body == v1::AgentMessage::kRenewCertificate) {
    FUZZ_CHECK(msg.seq() == 0);
    FUZZ_CHECK(!msg.renew_certificate().csr_pem().empty());
  }
  if (body == v1::AgentMessage::kHello) FUZZ_CHECK(!msg.hello().host().hostname().empty());

  std::string wire;
  FUZZ_CHECK(msg.SerializeToString(&wire));
  v1::AgentMessage again;
  FUZZ_CHECK(again.ParseFromString(wire));
  FUZZ_CHECK(validate_agent_message(again).empty());
  return 0;
}
