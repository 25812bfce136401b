#include "collector/exchange/bundle_validator.hpp"

#include "collector/cascade/unit_batch_validator.hpp"
#include "common/validate.hpp"

namespace warden::collector {

namespace {

bool lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool known_class(std::string_view c) {
  return c == "general" || c == "classified";
}

std::string drive_error(const v1::ExchangeUsbDevice& d) {
  if (d.vendor_id().size() != 4 || !lower_hex(d.vendor_id()))
    return "vendor_id must be 4 lowercase hex digits";
  if (d.product_id().size() != 4 || !lower_hex(d.product_id()))
    return "product_id must be 4 lowercase hex digits";
  if (auto e = validate::text("serial", d.serial(), 128, false); !e.empty()) return e;
  if (!d.registered_class().empty() && !known_class(d.registered_class()))
    return "registered_class must be general, classified or empty";
  if (d.classes_seen_size() > 2) return "more than two classes seen";
  for (const auto& c : d.classes_seen())
    if (!known_class(c)) return "classes_seen must be general or classified";
  if (d.registered_class().empty() && d.classes_seen_size() == 0)
    return "neither registered nor seen";
  if (d.first_seen_ms() < 0 || d.last_seen_ms() < 0) return "negative time";
  if (d.first_seen_ms() > d.last_seen_ms()) return "first seen after last seen";
  return {};
}

}  // namespace

std::string validate_fingerprint(std::string_view fp) {
  constexpr std::string_view prefix = "SHA256:";
  if (fp.size() != prefix.size() + 64 || fp.substr(0, prefix.size()) != prefix ||
      !lower_hex(fp.substr(prefix.size())))
    return "a fingerprint is SHA256: and 64 lowercase hex digits";
  return {};
}

std::string validate_bundle(const v1::ExchangeBundle& b) {
  if (auto e = validate::text("sender_name", b.sender_name(), kMaxUnitNameBytes); !e.empty())
    return e;
  if (auto e = validate_fingerprint(b.sender_fingerprint()); !e.empty()) return "sender: " + e;
  if (auto e = validate_fingerprint(b.recipient_fingerprint()); !e.empty())
    return "recipient: " + e;
  if (b.seq() == 0) return "seq must be positive";
  if (b.created_at_ms() < 0 || b.since_ms() < 0) return "negative time";
  if (b.has_batch()) {
    if (!b.batch().full()) return "batch: a bundle's batch must be full";
    if (b.batch().seq() != b.seq()) return "batch: seq differs from the bundle's";
    if (auto e = validate_unit_batch(b.batch(), kBundleBatchLimits); !e.empty())
      return "batch: " + e;
  }
  if (static_cast<size_t>(b.usb_size()) > kMaxBundleDrives) return "too many drives";
  for (int i = 0; i < b.usb_size(); ++i)
    if (auto e = drive_error(b.usb(i)); !e.empty()) return "drive " + std::to_string(i) + ": " + e;
  return {};
}

}  // namespace warden::collector
