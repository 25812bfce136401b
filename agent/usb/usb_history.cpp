#include "agent/usb/usb_history.hpp"

#include <fstream>
#include <sstream>

#include "common/files.hpp"
#include "common/json_text.hpp"

namespace warden::agent {

std::vector<UsbDevice> UsbHistory::load() {
  std::vector<UsbDevice> out;
  std::istringstream in(files::read_if_exists(file_, 8 << 20).value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) out.push_back(usb_device_from_json(j));
  }
  return out;
}

void UsbHistory::record(const UsbDevice& d) {
  if (file_.empty()) return;
  std::lock_guard lock(mu_);
  auto entries = load();
  entries.push_back(d);
  if (entries.size() > max_)
    entries.erase(entries.begin(), entries.end() - static_cast<long>(max_));
  std::string text;
  for (const auto& e : entries) text += json_text(to_json(e)) + "\n";
  files::write_atomic(file_, text, 0600);
}

std::vector<UsbDevice> UsbHistory::seen_since(int64_t since,
                                              const std::vector<UsbDevice>& present) {
  if (file_.empty()) return {};
  std::lock_guard lock(mu_);
  std::vector<UsbDevice> out;
  for (const auto& e : load()) {
    if (e.seen_at <= since) continue;
    bool here = false;
    for (const auto& p : present)
      here |= p.vendor_id == e.vendor_id && p.product_id == e.product_id && p.serial == e.serial;
    for (const auto& o : out)
      here |= o.vendor_id == e.vendor_id && o.product_id == e.product_id && o.serial == e.serial;
    if (!here) out.push_back(e);
  }
  return out;
}

int64_t UsbHistory::swap_last_sweep(int64_t now) {
  if (file_.empty()) return now;
  std::lock_guard lock(mu_);
  auto stamp = file_;
  stamp += ".last-sweep";
  int64_t last = 0;
  try {
    last = std::stoll(files::read_if_exists(stamp, 64).value_or("0"));
  } catch (...) {
  }
  files::write_atomic(stamp, std::to_string(now), 0600);
  return last;
}

}  // namespace warden::agent
