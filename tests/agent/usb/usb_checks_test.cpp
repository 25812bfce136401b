#include <catch2/catch.hpp>

#include "agent/usb/usb_checks.hpp"
#include "agent/usb/usb_classify.hpp"

using namespace warden;
using namespace warden::agent;

namespace {
UsbDevice dev(std::vector<UsbInterface> ifs, std::string serial = "S1") {
  UsbDevice d;
  d.vendor_id = "0781", d.product_id = "5567", d.serial = serial, d.interfaces = std::move(ifs);
  d.kind = classify_usb(d);
  return d;
}
}  // namespace

TEST_CASE("classification from interfaces") {
  CHECK(dev({{"08", "06", "50", "", "usb-storage"}}).kind == "storage");
  CHECK(dev({{"03", "01", "01", "", "usbhid"}}).kind == "hid");
  CHECK(dev({{"06", "01", "01", "", ""}}).kind == "ptp");
  CHECK(dev({{"ff", "ff", "00", "MTP", ""}}).kind == "mtp");
  CHECK(dev({{"ff", "ff", "00", "MTP", ""}, {"08", "06", "50", "", ""}}).kind ==
        "mtp");  // phone offering both
  CHECK(dev({{"e0", "01", "03", "", "rndis_host"}, {"0a", "00", "00", "", ""}}).kind == "network");
  CHECK(dev({{"ff", "00", "00", "", "qmi_wwan"}}).kind == "network");
  CHECK(dev({{"ff", "00", "00", "", ""}}).kind == "other");
}

TEST_CASE("storage is allowed only by vendor, product and a non-blank serial") {
  AgentPolicy p;
  auto stick = dev({{"08", "06", "50", "", ""}});
  CHECK(evaluate_usb({stick}, p)[0].status == Status::fail);
  p.usb.allowed_storage.push_back({"0781", "5567", "S1"});
  CHECK(evaluate_usb({stick}, p)[0].status == Status::pass);
  auto blank = dev({{"08", "06", "50", "", ""}}, "");
  p.usb.allowed_storage.push_back({"0781", "5567", ""});
  CHECK(evaluate_usb({blank}, p)[0].status == Status::fail);  // a blank serial is never trusted
  auto phone = dev({{"ff", "ff", "00", "MTP", ""}});
  CHECK(evaluate_usb({phone}, p)[1].status == Status::fail);
  p.usb.allow_portable_devices = true;
  CHECK(evaluate_usb({phone}, p)[1].status == Status::pass);
}

TEST_CASE(
    "a damaged USB history line with wrong types loads instead of throwing (fuzz regression)") {
  auto d = usb_device_from_json(
      nlohmann::json::parse(R"({"serial":"S1","seen_at":1.5,"storage":"yes"})"));
  CHECK(d.serial == "S1");
  CHECK(d.seen_at == 0);
  CHECK(d.interfaces.empty());
  CHECK(usb_device_from_json(nlohmann::json::parse(R"({"seen_at":7,"storage":true})")).seen_at ==
        7);
}
