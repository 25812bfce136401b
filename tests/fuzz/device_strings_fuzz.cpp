// Arbitrary bytes as every USB descriptor/udev attribute and every network attribute, through
// the agent's whole path: raw probe values -> clean_usb_device / clean_network_facts (facts) ->
// pure evaluation (findings) -> JSON -> the report and event protobufs the agent sends ->
// serialised and parsed back as the collector parses them -> the collector's own validation.
// Device descriptors are attacker-controlled (a programmable USB gadget claims any strings).
// Invariants: nothing throws; every fact string is valid UTF-8 within its limit and names carry
// no control characters; every message the agent builds parses and is accepted by the collector.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "agent/network/network_checks.hpp"
#include "agent/network/network_facts.hpp"
#include "agent/report_builder.hpp"
#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_device_text.hpp"
#include "collector/message_validator.hpp"
#include "common/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace warden;
using namespace warden::agent;

namespace {

std::string bytes(FuzzedDataProvider& in, size_t max = 300) {
  return in.ConsumeRandomLengthString(max);
}

bool printable(const std::string& s, size_t max) {
  if (s.size() > max || !text::is_valid_utf8(s)) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

void accepted(const v1::AgentMessage& built) {
  std::string wire;
  FUZZ_CHECK(built.SerializeToString(&wire));
  v1::AgentMessage parsed;  // as the collector's gRPC layer parses it (UTF-8 checked)
  FUZZ_CHECK(parsed.ParseFromString(wire));
  nlohmann::json body;
  std::string err = collector::validate_agent_message(parsed, &body);
  if (!err.empty()) fprintf(stderr, "collector refused: %s\n", err.c_str());
  FUZZ_CHECK(err.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  UsbDevice raw;
  raw.syspath = "/sys/devices/pci0000:00/usb1/1-" + bytes(in, 8);
  raw.port = bytes(in);
  raw.vendor_id = bytes(in);
  raw.product_id = bytes(in);
  raw.serial = bytes(in);
  raw.manufacturer = bytes(in);
  raw.product = bytes(in);
  raw.device_class = bytes(in);
  raw.speed = bytes(in);
  raw.authorized = in.ConsumeBool();
  raw.mtp = in.ConsumeBool();
  for (size_t n = in.ConsumeIntegralInRange<size_t>(0, 40); n > 0; --n)
    raw.interfaces.push_back({bytes(in, 8), bytes(in, 8), bytes(in, 8), bytes(in), bytes(in)});
  for (size_t n = in.ConsumeIntegralInRange<size_t>(0, 4); n > 0; --n)
    raw.block_devices.push_back(bytes(in));
  for (size_t n = in.ConsumeIntegralInRange<size_t>(0, 4); n > 0; --n)
    raw.mount_points.push_back(bytes(in));
  raw.seen_at = in.ConsumeIntegral<int64_t>();

  UsbDevice d = clean_usb_device(raw);
  for (const auto* s : {&d.serial, &d.manufacturer, &d.product})
    FUZZ_CHECK(printable(*s, kMaxUsbNameBytes));
  for (const auto* s : {&d.vendor_id, &d.product_id}) FUZZ_CHECK(s->size() <= 4);
  FUZZ_CHECK(d.interfaces.size() <= kMaxUsbInterfaces);
  for (const auto& i : d.interfaces)
    FUZZ_CHECK(printable(i.name, kMaxUsbInterfaceBytes) &&
               printable(i.driver, kMaxUsbInterfaceBytes) && i.class_code.size() <= 2);
  for (const auto& p : d.block_devices) FUZZ_CHECK(text::is_valid_utf8(p));

  NetworkFacts net;
  for (size_t n = in.ConsumeIntegralInRange<size_t>(0, 4); n > 0; --n) {
    InterfaceFact i;
    i.name = bytes(in, 32);
    i.mac = bytes(in, 32);
    i.kind = bytes(in, 16);
    i.driver = bytes(in, 64);
    i.devtype = bytes(in, 16);
    i.up = in.ConsumeBool();
    i.addresses.push_back({"inet", bytes(in, 40), in.ConsumeIntegral<int>()});
    net.interfaces.push_back(i);
  }
  net.default_routes.push_back({bytes(in, 32), bytes(in, 40), "inet", in.ConsumeIntegral<int>()});
  net.hostname = bytes(in);
  net.dns_servers.push_back(bytes(in, 64));
  net = clean_network_facts(net);
  FUZZ_CHECK(printable(net.hostname, 256));
  for (const auto& i : net.interfaces) FUZZ_CHECK(printable(i.name, 64) && printable(i.driver, 64));

  AgentPolicy policy;
  policy.usb.mode = in.ConsumeBool() ? "block" : "audit";
  SweepResult sweep;
  sweep.started_at_ms = 1;
  sweep.finished_at_ms = 2;
  sweep.facts["usb"] = nlohmann::json::array({to_json(d)});
  sweep.facts["network"] = to_json(net);
  sweep.findings = evaluate_usb({d}, policy, {d});
  sweep.findings.push_back(evaluate_unauthorized_interfaces(net, policy.network));
  auto report = build_report(sweep, 1, 1);
  report.set_seq(1);
  accepted(report);

  AgentEvent event;
  event.kind = "usb.attached";
  event.at_ms = 1;
  event.data = to_json(d);
  event.findings = evaluate_usb({d}, policy);
  auto msg = build_event(event);
  msg.set_seq(2);
  accepted(msg);
  return 0;
}
