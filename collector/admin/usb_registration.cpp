#include "collector/admin/usb_registration.hpp"

#include <cctype>

#include "collector/ledger/ledger_csv.hpp"
#include "common/error.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

// Serials that do not tell drives apart (reference: cheap drives repeat or blank them).
bool generic_serial(const std::string& s) {
  if (s.size() < 6) return true;
  if (s.find_first_not_of(s[0]) == std::string::npos) return true;
  for (const char* g : {"0123456789", "123456789", "ABCDEF", "00000000"})
    if (s.find(g) != std::string::npos) return true;
  return false;
}

std::string lower_hex4(const std::string& s, const char* what) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.size() != 4 || out.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Failure(invalid(std::string(what) + " must be 4 hex digits, e.g. 0781"));
  return out;
}

}  // namespace

domain::UsbDrive usb_drive_to_register(const v1::UsbDevice& request) {
  domain::UsbDrive d;
  d.vendor_id = lower_hex4(request.vendor_id(), "the vendor ID");
  d.product_id = lower_hex4(request.product_id(), "the product ID");
  if (request.serial().empty())
    throw Failure(invalid(
        "a drive without a serial number cannot be told apart from others of its model; it cannot "
        "be registered"));
  if (auto err = validate::text("serial", request.serial(), 128, false); !err.empty())
    throw Failure(invalid(err));
  d.serial = request.serial();
  auto cls = normalize_classification(request.classification());
  if (!cls || request.classification().empty())
    throw Failure(invalid("the drive's class must be classified or general"));
  d.classification = *cls;
  if (auto err = validate::text("owner", request.owner(), 128, false); !err.empty())
    throw Failure(invalid(err));
  d.owner = request.owner();
  if (auto err = validate::text("note", request.note(), 2000, true); !err.empty())
    throw Failure(invalid(err));
  d.note = request.note();
  return d;
}

std::vector<std::string> usb_registration_warnings(const domain::UsbRegistration& registration) {
  std::vector<std::string> out;
  const auto& serial = registration.drive.serial;
  if (generic_serial(serial))
    out.push_back("serial '" + serial +
                  "' looks generic: cheap drives often share serials, so this registration may "
                  "also cover other drives of the same model");
  for (const auto& model : registration.same_serial_models)
    out.push_back("serial '" + serial + "' is also registered for " + model);
  return out;
}

}  // namespace warden::collector
