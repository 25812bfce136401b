#include <catch2/catch.hpp>

#include "collector/message_validator.hpp"

using namespace warden;
using namespace warden::collector;

namespace {
v1::AgentMessage valid_report() {
  v1::AgentMessage m;
  m.set_seq(5);
  auto* f = m.mutable_report()->add_findings();
  f->set_check("av.signatures_fresh");
  f->set_status(v1::STATUS_FAIL);
  f->set_severity(v1::SEVERITY_HIGH);
  f->set_summary("signatures are 12 days old");
  f->set_evidence_json(R"({"age_days":12,"max_days":7})");
  m.mutable_report()->set_facts_json(R"({"antivirus":[]})");
  return m;
}
}  // namespace

TEST_CASE("a well-formed report passes") {
  CHECK(validate_agent_message(valid_report()).empty());
}

TEST_CASE("each bad field is named in the rejection") {
  auto m = valid_report();
  SECTION("no sequence number") {
    m.set_seq(0);
    CHECK(validate_agent_message(m).find("sequence") != std::string::npos);
  }
  SECTION("unknown status") {
    m.mutable_report()->mutable_findings(0)->set_status(static_cast<v1::Status>(9));
    CHECK(validate_agent_message(m).find("status") != std::string::npos);
  }
  SECTION("evidence not an object") {
    m.mutable_report()->mutable_findings(0)->set_evidence_json("[1]");
    CHECK(validate_agent_message(m).find("evidence") != std::string::npos);
  }
  SECTION("summary with NUL") {
    m.mutable_report()->mutable_findings(0)->set_summary(std::string("a\0b", 3));
    CHECK(validate_agent_message(m).find("control characters") != std::string::npos);
  }
  SECTION("invalid UTF-8 in summary") {
    m.mutable_report()->mutable_findings(0)->set_summary("\xff\xfe");
    CHECK(validate_agent_message(m).find("UTF-8") != std::string::npos);
  }
  SECTION("huge facts") {
    m.mutable_report()->set_facts_json("{\"x\":\"" + std::string(2 << 20, 'a') + "\"}");
    CHECK(validate_agent_message(m).find("limit") != std::string::npos);
  }
  SECTION("too many findings") {
    for (int i = 0; i < 600; ++i) *m.mutable_report()->add_findings() = m.report().findings(0);
    CHECK(validate_agent_message(m).find("findings") != std::string::npos);
  }
}

TEST_CASE("hello needs a hostname and bounded host fields") {
  v1::AgentMessage m;
  m.mutable_hello()->mutable_host()->set_hostname("");
  CHECK_FALSE(validate_agent_message(m).empty());
  m.mutable_hello()->mutable_host()->set_hostname("pc-1");
  m.mutable_hello()->mutable_host()->set_os_name(std::string(300, 'x'));
  CHECK(validate_agent_message(m).find("os_name") != std::string::npos);
  v1::AgentMessage empty;
  CHECK(validate_agent_message(empty) == "message has no body");
}
