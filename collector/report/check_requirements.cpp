#include "collector/report/check_requirements.hpp"

#include <array>

namespace warden::collector {

namespace {
constexpr std::string_view kMalware =
    "GB/T 22239-2019 安全计算环境 恶意代码防范 (computing environment: malicious code "
    "prevention, signatures kept up to date)";
constexpr std::string_view kVulnerabilities =
    "GB/T 22239-2019 安全计算环境 入侵防范 (computing environment: intrusion prevention, known "
    "vulnerabilities patched in time)";
constexpr std::string_view kServices =
    "GB/T 22239-2019 安全计算环境 入侵防范 (computing environment: intrusion prevention, default "
    "shares and unneeded services and ports closed)";
constexpr std::string_view kBoundary =
    "GB/T 22239-2019 安全区域边界 边界防护 (area boundary: boundary protection, connections out of "
    "the intranet detected; level 3)";
constexpr std::string_view kMedia =
    "GB/T 22239-2019 安全运维管理 介质管理 (operations management: media management)";
constexpr std::string_view kAuthentication =
    "GB/T 22239-2019 安全计算环境 身份鉴别 (computing environment: identification and "
    "authentication)";

constexpr std::array<CheckRequirement, 19> kRequirements = {{
    {"av.installed", "every PC has genuine antivirus installed", kMalware},
    {"av.running", "the antivirus is running", kMalware},
    {"av.signatures_fresh", "antivirus signatures are updated regularly", kMalware},
    {"av.policy_entries", "every PC has genuine antivirus installed (as the unit's policy adds it)",
     kMalware},
    {"patch.security_updates", "OS patches are installed promptly", kVulnerabilities},
    {"patch.updates_recent", "OS patches are installed promptly", kVulnerabilities},
    {"patch.reboot_pending", "OS patches are installed promptly (and in effect)", kVulnerabilities},
    {"net.ip_binding", "computer names, IP and MAC addresses are assigned centrally and bound",
     kBoundary},
    {"net.duplicate_address", "nobody changes an assigned IP or MAC address", kBoundary},
    {"net.unauthorized_interface",
     "no private internet exits: routers, hotspots, portable WiFi, tethered phones", kBoundary},
    {"net.internet_egress", "no private internet exits from intranet-only PCs", kBoundary},
    {"usb.unregistered_storage", "only registered USB drives are used", kMedia},
    {"usb.cross_use",
     "classified drives never on general PCs, general drives never on classified PCs", kMedia},
    {"usb.portable_device", "no phones, cameras or USB network adapters on office PCs", kMedia},
    {"host.screen_lock", "screens lock when people leave",
     "GB/T 22239-2019 安全计算环境 身份鉴别 (computing environment: idle sessions locked)"},
    {"host.shared_folders", "no long-lived shared folders", kServices},
    {"host.firewall", "a host firewall filters what reaches the PC", kServices},
    {"auth.password_max_age", "passwords are changed periodically", kAuthentication},
    {"auth.empty_password", "no account has an empty password", kAuthentication},
}};
}  // namespace

std::span<const CheckRequirement> check_requirements() {
  return kRequirements;
}

const CheckRequirement* requirement_for(std::string_view check) {
  for (const auto& r : kRequirements)
    if (r.check == check) return &r;
  return nullptr;
}

}  // namespace warden::collector
