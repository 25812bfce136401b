#include "tests/bench/bench_workload.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/database/store.hpp"
#include "common/sqlite.hpp"

namespace warden::bench {

namespace {
const char* kChecks[] = {"av.installed",
                         "av.running",
                         "av.signatures_fresh",
                         "patch.security_updates",
                         "patch.updates_recent",
                         "patch.reboot_pending",
                         "net.unauthorized_interface",
                         "net.internet_egress",
                         "usb.unregistered_storage",
                         "usb.portable_device",
                         "host.firewall",
                         "host.screen_lock",
                         "host.shared_folders",
                         "auth.password_max_age",
                         "auth.empty_password"};
}  // namespace

std::string host_facts(int host) {
  using nlohmann::json;
  std::string name = "pc-" + std::to_string(host);
  char mac[18], ip[16];
  std::snprintf(mac, sizeof mac, "52:54:00:%02x:%02x:%02x", (host >> 16) & 0xff, (host >> 8) & 0xff,
                host & 0xff);
  std::snprintf(ip, sizeof ip, "10.%d.%d.%d", (host >> 16) & 0xff, (host >> 8) & 0xff,
                (host & 0xff) | 1);
  json upgrades = json::array();
  const char* packages[] = {"libssl3",     "openssl", "libc6", "tzdata",
                            "firefox-esr", "libxml2", "curl",  "linux-image-amd64"};
  for (int i = 0; i < 8; ++i)
    upgrades.push_back({{"archive", i % 2 ? "bookworm" : "bookworm-security"},
                        {"candidate", "3.0.15-1~deb12u1"},
                        {"current", "3.0.11-1~deb12u2"},
                        {"first_seen", 1796216148},
                        {"held", false},
                        {"label", i % 2 ? "Debian" : "Debian-Security"},
                        {"name", packages[i]},
                        {"origin", "Debian"},
                        {"security", i % 2 == 0},
                        {"upgradable_now", true}});
  json facts = {
      {"host",
       {{"arch", "x86_64"},
        {"hostname", name},
        {"kernel", "6.1.0-27-amd64"},
        {"machine_id", "3d1219c7c4c5404aaa1f6d2a48adfda4"},
        {"os_id", "debian"},
        {"os_name", "Debian GNU/Linux 12 (bookworm)"},
        {"os_version", "12"}}},
      {"antivirus",
       json::array({{{"product", "clamav"},
                     {"name", "ClamAV"},
                     {"installed", true},
                     {"installed_evidence", {"package clamav-daemon 1.0.7+dfsg-1~deb12u1"}},
                     {"running", true},
                     {"running_processes", {"clamd", "freshclam"}},
                     {"daemon_answering", true},
                     {"daemon_version", "ClamAV 1.0.7/27473/Mon Dec  1 09:32:01 2026"},
                     {"database_dir", "/var/lib/clamav"},
                     {"databases", json::array({{{"file", "daily.cld"}, {"version", 27473}},
                                                {{"file", "main.cvd"}, {"version", 62}}})},
                     {"signature_time", 1796110321},
                     {"signature_version", 27473},
                     {"updater_running", true}}})},
      {"hygiene",
       {{"firewall", {{"ufw_enabled", true}, {"live_input_chains", 1}, {"live_rules", 12}}},
        {"screen_lock", {{"desktop", "ukui"}, {"idle_delay_seconds", 300}, {"lock_enabled", true}}},
        {"shares", {{"samba_shares", json::array()}, {"usershares", json::array()}}},
        {"accounts",
         {{"pass_max_days", 90},
          {"accounts", json::array({{{"name", "zhang.wei"},
                                     {"uid", 1000},
                                     {"max_days", 90},
                                     {"empty_password", false}}})}}}}},
      {"network",
       {{"hostname", name},
        {"dns_servers", {"10.0.0.53"}},
        {"default_routes",
         json::array({{{"family", "inet"}, {"gateway", "10.0.0.1"}, {"interface", "enp3s0"}}})},
        {"interfaces",
         json::array(
             {{{"name", "lo"},
               {"kind", "loopback"},
               {"mac", "00:00:00:00:00:00"},
               {"up", true},
               {"addresses",
                json::array({{{"address", "127.0.0.1"}, {"family", "inet"}, {"prefix", 8}}})}},
              {{"name", "enp3s0"},
               {"kind", "ethernet"},
               {"driver", "r8169"},
               {"mac", mac},
               {"up", true},
               {"addresses",
                json::array({{{"address", ip}, {"family", "inet"}, {"prefix", 16}}})}}})}}},
      {"usb", json::array({{{"vendor_id", "046d"},
                            {"product_id", "c31c"},
                            {"serial", ""},
                            {"class", "hid"},
                            {"storage", false},
                            {"product", "USB Keyboard"}}})},
      {"patches",
       {{"installed", 1843},
        {"pending", 8},
        {"pending_security", 4},
        {"reboot_required", false},
        {"running_kernel", "6.1.0-27-amd64"},
        {"upgrades", upgrades}}}};
  return facts.dump();
}

std::shared_ptr<v1::AgentMessage> make_report(uint64_t seq, int findings,
                                              const std::string& facts) {
  auto m = std::make_shared<v1::AgentMessage>();
  m->set_seq(seq);
  auto* r = m->mutable_report();
  r->set_facts_json(facts);
  for (int i = 0; i < findings; ++i) {
    auto* f = r->add_findings();
    f->set_check(std::string(kChecks[i % 15]) +
                 (i >= 15 ? std::string("_") + std::to_string(i / 15) : std::string()));
    // Realistic churn: a tenth of the results change status from one sweep to the next.
    bool fail = ((seq + static_cast<uint64_t>(i)) % 10) == 0;
    f->set_status(fail ? v1::STATUS_FAIL : v1::STATUS_PASS);
    f->set_severity(fail ? v1::SEVERITY_HIGH : v1::SEVERITY_INFO);
    f->set_summary(fail ? "signatures are 12 days old (limit 7)" : "signatures are 1 day(s) old");
    f->set_evidence_json(
        R"({"product":"clamav","database_dir":"/var/lib/clamav","age_days":1,"max_age_days":7})");
  }
  return m;
}

namespace {

std::vector<int64_t> enroll_hosts(const storage::Location& db, size_t hosts) {
  std::vector<int64_t> ids;
  collector::Store store(db);  // the collector's schema
  for (size_t h = 0; h < hosts; ++h) {
    auto token = store.create_token({"Bench", 3600, 1, "bench"}).text;
    collector::domain::HostDescription info;
    info.hostname = "pc-" + std::to_string(h);
    auto e = store.enroll(token, info, [&](const std::string&, const std::string&) {
      return collector::IssuedCertificate{"pem", std::string("s") + std::to_string(h), 0};
    });
    ids.push_back(store.find_host(e.agent_id)->host_id);
  }
  return ids;
}

// The same inserts on either connection type: common/sqlite directly (the SQLite baseline, as
// measured before the storage seam existed) or the seam (PostgreSQL).
template <class Connection, class Transaction>
double insert_rounds(Connection& c, const std::vector<int64_t>& ids,
                     const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds) {
  auto rep = c.prepare(
      "INSERT INTO reports (host_id, seq, started_at, finished_at, received_at, findings_count, "
      "failing_count) VALUES (?,?,0,0,1,?,0)");
  auto up = c.prepare(
      "INSERT INTO latest_results (host_id, check_id, status, severity, summary, evidence_json, "
      "since, updated_at) VALUES (?1,?2,?3,?4,?5,?6,1,1) ON CONFLICT (host_id, check_id) DO "
      "UPDATE SET status = excluded.status, severity = excluded.severity, summary = "
      "excluded.summary, evidence_json = excluded.evidence_json, updated_at = 1");
  auto hist = c.prepare(
      "INSERT INTO status_history (host_id, check_id, to_status, at, summary) VALUES "
      "(?,?,?,1,'')");
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& round : rounds) {
    Transaction tx(c);
    for (size_t h = 0; h < ids.size(); ++h) {
      const auto& m = *round[h];
      rep.bind(1, ids[h]).bind(2, m.seq()).bind(3, m.report().findings_size());
      rep.run();
      for (const auto& f : m.report().findings()) {
        std::string st = f.status() == v1::STATUS_FAIL ? "fail" : "pass";
        up.bind(1, ids[h])
            .bind(2, f.check())
            .bind(3, st)
            .bind(4, "high")
            .bind(5, f.summary())
            .bind(6, f.evidence_json());
        up.run();
        if (f.status() == v1::STATUS_FAIL) {
          hist.bind(1, ids[h]).bind(2, f.check()).bind(3, st);
          hist.run();
        }
      }
    }
    tx.commit();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

double raw_sqlite_seconds(
    const std::filesystem::path& db,
    const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds) {
  auto ids = enroll_hosts(db.string(), rounds.empty() ? 0 : rounds[0].size());
  sqlite::Connection c(db.string());
  return insert_rounds<sqlite::Connection, sqlite::Transaction>(c, ids, rounds);
}

double raw_database_seconds(
    const storage::Location& db,
    const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds) {
  auto ids = enroll_hosts(db, rounds.empty() ? 0 : rounds[0].size());
  auto c = storage::connect(db);
  return insert_rounds<storage::Connection, storage::Transaction>(*c, ids, rounds);
}

}  // namespace warden::bench
