// The admin layer's half of registering a drive: what it refuses and what it warns about, before
// and after the registry repository stores it.
#include <catch2/catch.hpp>

#include "collector/admin/usb_registration.hpp"
#include "common/error.hpp"

using namespace warden;
using namespace warden::collector;

namespace {

v1::UsbDevice request(const std::string& vendor, const std::string& product,
                      const std::string& serial, const std::string& classification = "general",
                      const std::string& owner = "张三") {
  v1::UsbDevice d;
  d.set_vendor_id(vendor);
  d.set_product_id(product);
  d.set_serial(serial);
  d.set_classification(classification);
  d.set_owner(owner);
  return d;
}

std::string refusal(const v1::UsbDevice& d) {
  try {
    usb_drive_to_register(d);
  } catch (const Failure& f) {
    CHECK(f.error().kind == ErrorKind::invalid);
    return f.error().message;
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("a drive to register is normalised: lower-case IDs, the class by any of its names") {
  auto d = usb_drive_to_register(request("0781", "55AB", "4C530001", "涉密"));
  CHECK(d.vendor_id == "0781");
  CHECK(d.product_id == "55ab");
  CHECK(d.classification == "classified");
  CHECK(d.owner == "张三");
  CHECK(d.registered_by.empty());  // the repository's to fill in
}

TEST_CASE("a drive registration with bad fields is refused naming the field") {
  CHECK(refusal(request("781", "5581", "4C530001")).find("vendor ID") != std::string::npos);
  CHECK(refusal(request("0781", "55g1", "4C530001")).find("product ID") != std::string::npos);
  CHECK(refusal(request("0781", "5581", "")).find("serial number") != std::string::npos);
  CHECK(refusal(request("0781", "5581", "4C53\n0001")).find("serial") != std::string::npos);
  CHECK(refusal(request("0781", "5581", "4C530001", "")).find("class") != std::string::npos);
  CHECK(refusal(request("0781", "5581", "4C530001", "secret")).find("class") != std::string::npos);
  CHECK(refusal(request("0781", "5581", "4C530001", "general", "")).find("owner") !=
        std::string::npos);
  auto with_note = request("0781", "5581", "4C530001");
  with_note.set_note("line\x1b[2Jcleared");
  CHECK(refusal(with_note).find("note") != std::string::npos);
}

TEST_CASE("warnings name a generic serial and the other models sharing a serial") {
  domain::UsbRegistration unique{usb_drive_to_register(request("0781", "5581", "4C530001")), {}};
  CHECK(usb_registration_warnings(unique).empty());
  domain::UsbRegistration generic{usb_drive_to_register(request("0781", "5581", "0123456789")), {}};
  auto warnings = usb_registration_warnings(generic);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("looks generic") != std::string::npos);
  domain::UsbRegistration shared{usb_drive_to_register(request("0781", "5581", "4C530001")),
                                 {"090c:1000", "abcd:0001"}};
  warnings = usb_registration_warnings(shared);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[1] == "serial '4C530001' is also registered for abcd:0001");
}
