// A local history of USB sightings (JSON lines in the agent's state dir, bounded), so a device
// plugged in and removed between two sweeps is still reported by the next sweep.
#pragma once

#include <filesystem>
#include <mutex>
#include <vector>

#include "agent/usb/usb_facts.hpp"

namespace warden::agent {

class UsbHistory {
 public:
  explicit UsbHistory(std::filesystem::path file, size_t max_entries = 1000)
      : file_(std::move(file)), max_(max_entries) {}
  void record(const UsbDevice& d);
  // Devices seen after `since` (Unix s) that are not among `present` (matched by identity+port).
  std::vector<UsbDevice> seen_since(int64_t since, const std::vector<UsbDevice>& present);
  // When the previous sweep looked (0 if never); stores `now` for the next one.
  int64_t swap_last_sweep(int64_t now);

 private:
  std::vector<UsbDevice> load();
  std::filesystem::path file_;
  size_t max_;
  std::mutex mu_;
};

}  // namespace warden::agent
