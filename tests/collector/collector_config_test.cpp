// The settings of the agents' listeners in collector.conf: enroll_listen, agent_http2_limits.
#include "collector/collector_config.hpp"

#include <catch2/catch.hpp>

#include "tests/support/test_support.hpp"

using namespace warden::collector;
using warden::test::TempDir;

namespace {

CollectorConfig load(const TempDir& dir, const std::string& text) {
  warden::test::write_file(dir / "collector.conf", text);
  CollectorConfig config;
  load_config_file(dir / "collector.conf", config);
  return config;
}

}  // namespace

TEST_CASE("enroll_listen: unset keeps enrollment on the agent port, off closes it") {
  TempDir dir;
  CHECK_FALSE(load(dir, "listen = 0.0.0.0:7443\n").enroll_listen.has_value());
  CHECK(load(dir, "enroll_listen = 0.0.0.0:7444\n").enroll_listen == "0.0.0.0:7444");
  CHECK(load(dir, "enroll_listen = [::]:7444\n").enroll_listen == "[::]:7444");
  CHECK(load(dir, "enroll_listen = off\n").enroll_listen == "");
  CHECK(load(dir, "enroll_listen =\n").enroll_listen == "");
  for (const char* bad : {"7444", "host", "host:", ":7444", "host:74x4"}) {
    INFO(bad);
    CHECK_THROWS_WITH(load(dir, std::string("enroll_listen = ") + bad + "\n"),
                      Catch::Contains("collector.conf:1: enroll_listen must be HOST:PORT"));
  }
}

TEST_CASE("agent_http2_limits is on unless turned off") {
  TempDir dir;
  CHECK(load(dir, "log_level = info\n").agent_http2_limits);
  CHECK_FALSE(load(dir, "agent_http2_limits = off\n").agent_http2_limits);
  CHECK(load(dir, "agent_http2_limits = on\n").agent_http2_limits);
  CHECK_THROWS_WITH(load(dir, "agent_http2_limits = no\n"),
                    Catch::Contains("agent_http2_limits must be on or off"));
}

TEST_CASE("cascade and incident push keys are checked where they are read") {
  TempDir dir;
  auto c = load(dir,
                "upstream_interval_seconds = 5\nupstream_facts = withhold\n"
                "notify_webhook = https://duty.example/hook\n"
                "notify_smtp = smtp://mail.example:587\n"
                "notify_mail_from = warden@unit.example\n"
                "notify_mail_to = a@unit.example , b@city.example\n"
                "notify_smtp_password_file = /etc/warden/smtp-password\n");
  CHECK(c.upstream_interval_seconds == 5);
  CHECK_FALSE(c.upstream_send_facts);
  CHECK(c.notify_webhook == "https://duty.example/hook");
  CHECK(c.notify_mail_to == std::vector<std::string>{"a@unit.example", "b@city.example"});
  CHECK(c.notify_smtp_password_file == "/etc/warden/smtp-password");
  CHECK(load(dir, "").upstream_send_facts);
  CHECK(load(dir, "").upstream_interval_seconds == 60);
  for (const char* bad :
       {"upstream_interval_seconds = 0\n", "upstream_interval_seconds = 3601\n",
        "upstream_facts = some\n", "notify_webhook = ftp://x/\n", "notify_webhook = file:///etc\n",
        "notify_smtp = http://mail.example\n", "notify_mail_to = nobody\n",
        "notify_mail_to = a@b.example,\n", "notify_mail_from = \n"}) {
    INFO(bad);
    CHECK_THROWS_AS(load(dir, bad), std::invalid_argument);
  }
}

TEST_CASE("a unit's forwarding limits are read and bounded") {
  TempDir dir;
  auto c = load(dir, "unit_forwards_per_second = 0.5\nunit_burst_forwards = 20\n");
  CHECK(c.unit_rate.messages_per_second == 0.5);
  CHECK(c.unit_rate.burst_messages == 20);
  CHECK(load(dir, "").unit_rate.burst_messages == 600);
  for (const char* bad : {"unit_forwards_per_second = 0\n", "unit_burst_forwards = many\n",
                          "unit_forwards_per_second = nan\n", "unit_burst_forwards = 1e9\n"}) {
    INFO(bad);
    CHECK_THROWS_AS(load(dir, bad), std::invalid_argument);
  }
}
