#include "agent/usb/usbstor.hpp"

#include "agent/usb/usb_device_text.hpp"
#include "agent/windows_time.hpp"
#include "common/text.hpp"

namespace warden::agent {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep, size_t max_parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_parts) {
    size_t j = s.find(sep);
    if (j == std::string_view::npos) break;
    out.push_back(s.substr(0, j));
    s.remove_prefix(j + 1);
  }
  out.push_back(s);
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// Windows' padding back to spaces, trimmed, printable.
std::string unpad(std::string_view s) {
  std::string out = text::printable(s, kMaxUsbNameBytes);
  for (auto& c : out)
    if (c == '_') c = ' ';
  return text::trim(out);
}

bool hex4(std::string_view s) {
  if (s.size() != 4) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

std::string upper_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::optional<int64_t> seconds(const std::optional<uint64_t>& ft) {
  if (!ft) return std::nullopt;
  auto ms = filetime_to_unix_ms(*ft);
  if (!ms) return std::nullopt;
  return *ms / 1000;
}

}  // namespace

std::optional<UsbstorDeviceKey> parse_usbstor_device_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxUsbKeyNameBytes) return std::nullopt;
  auto parts = split(key, '&', 16);
  UsbstorDeviceKey k;
  k.type = text::printable(parts[0], 32);
  if (k.type.empty()) return std::nullopt;
  bool any = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    auto p = parts[i];
    if (starts_with_ci(p, "Ven_"))
      k.vendor = unpad(p.substr(4)), any = true;
    else if (starts_with_ci(p, "Prod_"))
      k.product = unpad(p.substr(5)), any = true;
    else if (starts_with_ci(p, "Rev_"))
      k.revision = unpad(p.substr(4)), any = true;
  }
  if (!any) return std::nullopt;
  return k;
}

UsbSerial parse_usbstor_instance(std::string_view instance) {
  UsbSerial s;
  if (instance.empty() || instance.size() > kMaxUsbKeyNameBytes) return s;
  if (instance.size() > 1 && instance[1] == '&') {
    s.generated = true;
    return s;
  }
  // Drop the trailing "&<LUN>" Windows appends.
  size_t amp = instance.rfind('&');
  if (amp != std::string_view::npos && amp + 1 < instance.size()) {
    bool digits = true;
    for (char c : instance.substr(amp + 1)) digits &= c >= '0' && c <= '9';
    if (digits) instance = instance.substr(0, amp);
  }
  s.serial = text::printable(instance, kMaxUsbNameBytes);
  return s;
}

std::optional<UsbInstanceId> parse_usb_instance_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxUsbKeyNameBytes) return std::nullopt;
  auto parts = split(id, '\\', 3);
  std::string_view device = parts[0], instance;
  if (parts.size() >= 2 && starts_with_ci(parts[0], "USB") && parts[0].size() == 3) {
    device = parts[1];
    if (parts.size() == 3) instance = parts[2];
  } else if (parts.size() >= 2) {
    device = parts[0];
    instance = parts[1];
  }
  UsbInstanceId out;
  for (auto p : split(device, '&', 8)) {
    if (starts_with_ci(p, "VID_") && hex4(p.substr(4)))
      out.vendor_id = text::lower(std::string(p.substr(4)));
    else if (starts_with_ci(p, "PID_") && hex4(p.substr(4)))
      out.product_id = text::lower(std::string(p.substr(4)));
    else if (starts_with_ci(p, "MI_") && p.size() == 5 && p[3] >= '0' && p[3] <= '9' &&
             p[4] >= '0' && p[4] <= '9')
      out.interface_number = (p[3] - '0') * 10 + (p[4] - '0');
  }
  if (out.vendor_id.empty() || out.product_id.empty()) return std::nullopt;
  if (instance.find('&') != std::string_view::npos)
    out.serial.generated = true;
  else
    out.serial.serial = text::printable(instance, kMaxUsbNameBytes);
  return out;
}

std::optional<UsbInterface> usb_interface_from_compatible_ids(const std::vector<std::string>& ids,
                                                              bool& mtp) {
  std::optional<UsbInterface> best;
  size_t best_parts = 0;
  for (size_t n = 0; n < ids.size() && n < 32; ++n) {
    std::string_view id = ids[n];
    if (id.size() > kMaxUsbKeyNameBytes) continue;
    if (starts_with_ci(id, "USB\\MS_COMP_MTP")) mtp = true;
    if (!starts_with_ci(id, "USB\\Class_")) continue;
    UsbInterface i;
    size_t parts = 0;
    for (auto p : split(id.substr(4), '&', 4)) {
      if (starts_with_ci(p, "Class_") && p.size() == 8)
        i.class_code = text::lower(std::string(p.substr(6))), ++parts;
      else if (starts_with_ci(p, "SubClass_") && p.size() == 11)
        i.subclass = text::lower(std::string(p.substr(9))), ++parts;
      else if (starts_with_ci(p, "Prot_") && p.size() == 7)
        i.protocol = text::lower(std::string(p.substr(5))), ++parts;
    }
    if (i.class_code.empty()) continue;
    if (!best || parts > best_parts) best = i, best_parts = parts;
  }
  return best;
}

void add_usb_link(UsbSerialLinks& links, std::string_view device_key, std::string_view instance) {
  if (links.size() >= 4 * kMaxUsbstorEntries) return;
  auto id = parse_usb_instance_id(std::string(device_key.substr(0, kMaxUsbKeyNameBytes)) + "\\" +
                                  std::string(instance.substr(0, kMaxUsbKeyNameBytes)));
  if (!id || id->serial.generated || id->serial.serial.empty() || id->interface_number >= 0) return;
  links.emplace(upper_ascii(id->serial.serial), std::make_pair(id->vendor_id, id->product_id));
}

std::optional<UsbDevice> usbstor_history_device(const UsbstorRaw& raw,
                                                const UsbSerialLinks& links) {
  auto key = parse_usbstor_device_key(raw.device_key);
  if (!key) return std::nullopt;
  auto serial = parse_usbstor_instance(raw.instance);
  if (!serial.generated && serial.serial.empty()) return std::nullopt;
  UsbDevice d;
  d.source = "usbstor";
  d.manufacturer = key->vendor;
  d.product =
      key->product.empty() ? text::printable(raw.friendly_name, kMaxUsbNameBytes) : key->product;
  d.serial = serial.serial;
  // A USB serial can carry '&' itself in the USBSTOR name; the USB key has it as it is.
  if (auto it = links.find(upper_ascii(d.serial)); it != links.end()) {
    d.vendor_id = it->second.first;
    d.product_id = it->second.second;
  }
  if (text::lower(key->type) == "cdrom")
    d.interfaces.push_back({"08", "02", "50", "", "cdrom"});
  else
    d.interfaces.push_back({"08", "06", "50", "", "disk"});
  d.syspath = "USBSTOR\\" + text::valid_utf8(raw.device_key, kMaxUsbKeyNameBytes) + "\\" +
              text::valid_utf8(raw.instance, kMaxUsbKeyNameBytes);
  d.authorized = true;
  auto first = seconds(raw.first_install);
  auto last = seconds(raw.last_arrival);
  if (!last) last = seconds(raw.key_written);
  d.first_seen = first.value_or(0);
  d.last_seen = last.value_or(0);
  d.seen_at = d.last_seen;
  return clean_usb_device(std::move(d));
}

}  // namespace warden::agent
