#include "tests/bench/bench_workload.hpp"

#include <chrono>
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

std::shared_ptr<v1::AgentMessage> make_report(uint64_t seq, int findings) {
  auto m = std::make_shared<v1::AgentMessage>();
  m->set_seq(seq);
  auto* r = m->mutable_report();
  r->set_facts_json(R"({"host":{"hostname":"pc"}})");
  for (int i = 0; i < findings; ++i) {
    auto* f = r->add_findings();
    f->set_check(std::string(kChecks[i % 15]) + (i >= 15 ? "_" + std::to_string(i / 15) : ""));
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

double raw_sqlite_seconds(
    const std::filesystem::path& db,
    const std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>>& rounds) {
  size_t hosts = rounds.empty() ? 0 : rounds[0].size();
  std::vector<int64_t> ids;
  {
    collector::Store store(db.string());  // the collector's schema
    for (size_t h = 0; h < hosts; ++h) {
      auto token = store.create_token("Bench", 3600, 1, "bench").token();
      v1::HostInfo info;
      info.set_hostname("pc-" + std::to_string(h));
      auto e = store.enroll(token, info, [&](const std::string&, const std::string&) {
        return collector::IssuedCertificate{"pem", "s" + std::to_string(h), 0};
      });
      ids.push_back(store.find_host(e.agent_id)->host_id);
    }
  }
  sqlite::Connection c(db.string());
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
    sqlite::Transaction tx(c);
    for (size_t h = 0; h < hosts; ++h) {
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

}  // namespace warden::bench
