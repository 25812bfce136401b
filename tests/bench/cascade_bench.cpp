// The cascade's costs (issue 14, docs/benchmarks.md "Cascade"), on the real CascadeStore over
// SQLite files; the gRPC transport is left out (its framing adds a few bytes per message).
//
// 1. A unit's forwarding cost over one simulated day: `--hosts` PCs with `--checks` results each,
//    a pass every minute (1,440), every PC online from 08:00 to 18:00 and reporting every hour,
//    `--changes` % of them changing a result twice in the day, `--incidents` % raising a critical
//    incident. Each batch is applied by a real upper-level store. Reported: batches and bytes per
//    host per day, against the baseline of sending every host in every pass (no digests).
// 1b. The same unit's state as one offline bundle (docs/exchange.md): its size per host, the
//    cost of sealing against the bare batch, export and import times.
// 2. An upper level with `--units` units of `--hosts` PCs each (full batches applied): the time of
//    `wardenctl units` (list_units), the report's units part (unit_compliance, rolled up), and the
//    baseline of one scan of every forwarded result in the same run.
//
// Usage: cascade_bench [--hosts 2000] [--checks 40] [--units 50] [--changes 2] [--incidents 1]
//                      [--check]   (--check: tiny sizes' counts are verified; for the test suite)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include "collector/cascade/cascade_store.hpp"
#include "collector/database/store.hpp"
#include "collector/exchange/exchange_service.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "collector/report/report_service.hpp"
#include "collector/storage/database.hpp"
#include "common/clock.hpp"

using namespace warden;
using namespace warden::collector;
using Stopwatch = std::chrono::steady_clock;

namespace {

double ms_since(Stopwatch::time_point t0) {
  return std::chrono::duration<double, std::milli>(Stopwatch::now() - t0).count();
}

IssuedCertificate fake_certificate(const std::string&, const std::string&) {
  return {"certificate", "serial", 0};  // issuing is not what is measured
}

constexpr int64_t kMinute = 60000;

void fill_unit(storage::Connection& db, int hosts, int checks, int64_t now) {
  storage::Transaction tx(db);
  auto host = db.prepare(
      "INSERT INTO hosts (id, agent_id, hostname, department, os_name, owner, cert_serial, "
      "cert_not_after, enrolled_at, last_report_at, peer_address) VALUES "
      "(?,?,?,?,'UnionTech OS Desktop 20','owner','s',0,?,?,?)");
  auto result = db.prepare(
      "INSERT INTO latest_results (host_id, check_id, status, severity, summary, evidence_json, "
      "since, updated_at) VALUES (?,?,?,'high','','{}',?,?)");
  auto ledger = db.prepare(
      "INSERT INTO ledger (hostname, ip, mac, department, updated_at) VALUES (?,?,?,?,?)");
  for (int h = 1; h <= hosts; ++h) {
    std::string name = "pc-" + std::to_string(h);
    std::string ip = "10." + std::to_string(h / 65536) + "." + std::to_string(h / 256 % 256) + "." +
                     std::to_string(h % 256);
    host.bind(1, static_cast<int64_t>(h))
        .bind(2, "a-" + std::to_string(h))
        .bind(3, name)
        .bind(4, std::string(h % 3 ? "Office" : "Finance/Accounts"))
        .bind(5, now)
        .bind(6, now)
        .bind(7, ip)
        .run();
    ledger.bind(1, name)
        .bind(2, ip)
        .bind(3, "aa:bb:cc:00:00:01")
        .bind(4, "Office")
        .bind(5, now)
        .run();
    for (int c = 0; c < checks; ++c)
      result.bind(1, static_cast<int64_t>(h))
          .bind(2, "check." + std::to_string(c))
          .bind(3, std::string(c == h % checks ? "fail" : "pass"))
          .bind(4, now)
          .bind(5, now)
          .run();
  }
  tx.commit();
}

}  // namespace

int main(int argc, char** argv) {
  int hosts = 2000, checks = 40, units = 50;
  double changes_pct = 2, incidents_pct = 1;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? argv[++i] : "0"; };
    if (a == "--hosts")
      hosts = std::atoi(next());
    else if (a == "--checks")
      checks = std::atoi(next());
    else if (a == "--units")
      units = std::atoi(next());
    else if (a == "--changes")
      changes_pct = std::atof(next());
    else if (a == "--incidents")
      incidents_pct = std::atof(next());
    else if (a == "--check")
      check = true;
  }
  auto dir = std::filesystem::temp_directory_path() / ("warden-cbench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  int failures = 0;
  auto expect = [&](bool ok, const std::string& what) {
    if (!ok) {
      std::cerr << "cascade_bench: FAIL: " << what << "\n";
      ++failures;
    }
  };

  // ---- 1. a unit's day ----
  const int64_t midnight = 1796256000000;  // a UTC midnight
  TestClock clock(midnight);
  const storage::Location unit_db((dir / "unit.db").string()),
      upper_db((dir / "upper.db").string());
  Store unit_store(unit_db, clock);
  CascadeStore unit(unit_db, clock);
  auto unit_conn = storage::connect(unit_db);
  fill_unit(*unit_conn, hosts, checks, midnight - 3600000);
  Store upper_store(upper_db, clock);
  CascadeStore upper(upper_db, clock);
  auto token =
      upper_store.create_token({"Units", 86400, 1, "bench", collector::domain::TokenKind::unit})
          .text;
  auto unit_id = upper.enroll_unit(token, "county", fake_certificate).unit_id;
  auto identity = *upper.find_unit(unit_id);

  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(1, hosts);
  const int changing = static_cast<int>(hosts * changes_pct / 100),
            raising = static_cast<int>(hosts * incidents_pct / 100);
  ForwardOptions options;
  options.unit_name = "county";
  int64_t batches = 0, bytes = 0, ack_bytes = 0, naive_bytes = 0, first_bytes = 0;
  double next_ms_total = 0, apply_ms_total = 0, worst_next_ms = 0;
  int64_t history_id = 0, incidents_sent = 0;
  auto update_result = unit_conn->prepare(
      "UPDATE latest_results SET status = ? WHERE host_id = ? AND check_id = 'check.0'");
  auto incident = unit_conn->prepare(
      "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, summary, "
      "severity) VALUES (?, 'av.running', 'pass', 'fail', ?, 'the antivirus stopped', 'critical')");
  auto reported = unit_conn->prepare("UPDATE hosts SET last_report_at = ?");
  const int passes = check ? 30 : 1440;
  for (int pass = 0; pass < passes; ++pass) {
    int64_t now = midnight + pass * kMinute * (1440 / passes);
    clock.set_ms(now);
    int minute = static_cast<int>((now - midnight) / kMinute);
    if (minute % 60 == 0) reported.bind(1, now).run();
    if (pass > 0 && pass % (passes / 4) == 0) {  // result changes and incidents, four times a day
      for (int i = 0; i < changing / 2; ++i)
        update_result.bind(1, std::string(pass % 2 ? "fail" : "pass"))
            .bind(2, static_cast<int64_t>(pick(rng)))
            .run();
      for (int i = 0; i < raising / 3 + (check ? 1 : 0); ++i, ++history_id)
        incident.bind(1, static_cast<int64_t>(pick(rng))).bind(2, now).run();
    }
    std::set<std::string> online;
    if (minute >= 8 * 60 && minute < 18 * 60)
      for (int h = 1; h <= hosts; ++h) online.insert("a-" + std::to_string(h));
    for (;;) {
      auto t0 = Stopwatch::now();
      auto p = unit.next_batch(options, online);
      double took = ms_since(t0);
      next_ms_total += took;
      worst_next_ms = std::max(worst_next_ms, took);
      int64_t size = static_cast<int64_t>(p.batch.ByteSizeLong());
      if (batches == 0) first_bytes = size;
      bytes += size;
      ++batches;
      incidents_sent += p.batch.incidents_size();
      auto t1 = Stopwatch::now();
      auto ack = upper.apply(identity, p.batch);
      apply_ms_total += ms_since(t1);
      ack_bytes += static_cast<int64_t>(ack.ByteSizeLong());
      unit.acknowledge(p, ack);
      if (!p.more) break;
    }
    if (pass == 0) naive_bytes = first_bytes;
  }
  naive_bytes *= passes;  // every host in every pass
  const int64_t steady_bytes = bytes - first_bytes;
  std::printf("unit: %d hosts x %d checks, %d passes (1/min over a day)\n", hosts, checks, passes);
  std::printf("  first (full) batch: %.1f KB; then %lld batches, %.1f KB in the day\n",
              first_bytes / 1024.0, static_cast<long long>(batches - 1), steady_bytes / 1024.0);
  std::printf("  per host per day: %.2f messages, %.0f bytes (acks: %.0f bytes)\n",
              static_cast<double>(batches - 1) / hosts, static_cast<double>(steady_bytes) / hosts,
              static_cast<double>(ack_bytes) / hosts);
  std::printf("  baseline (every host every pass): %.0f bytes per host per day; ratio %.4f\n",
              static_cast<double>(naive_bytes) / hosts,
              static_cast<double>(steady_bytes) / static_cast<double>(naive_bytes));
  std::printf("  next_batch: %.1f ms mean, %.1f ms worst; apply at the level above: %.1f ms mean\n",
              next_ms_total / static_cast<double>(batches), worst_next_ms,
              apply_ms_total / static_cast<double>(batches));
  expect(incidents_sent == history_id, "every incident forwarded once (" +
                                           std::to_string(incidents_sent) + " of " +
                                           std::to_string(history_id) + ")");
  expect(upper.list_units().at(0).hosts == hosts, "the level above holds every host");

  // ---- 1b. the same unit by offline bundle (docs/exchange.md) ----
  {
    ExchangeStore unit_exchange_store(unit_db, clock), upper_exchange_store(upper_db, clock);
    std::set<std::string> nobody;
    ExchangeService unit_exchange(
        unit_exchange_store, unit, {dir / "unit-x", "county", true}, [&] { return nobody; }, clock);
    ExchangeService upper_exchange(
        upper_exchange_store, upper, {dir / "upper-x", "city", true}, [&] { return nobody; },
        clock);
    auto pin = [](ExchangeService& at, ExchangeService& other, const std::string& name,
                  const std::string& role) {
      auto id = other.identity();
      v1::AddExchangePeerRequest req;
      req.set_name(name);
      req.set_certificate_pem(id.certificate_pem());
      req.set_fingerprint(id.fingerprint());
      req.set_role(role);
      if (role == "unit") req.set_department("Units");
      at.add_peer(req);
    };
    pin(upper_exchange, unit_exchange, "county-offline", "unit");
    pin(unit_exchange, upper_exchange, "city", "upper");
    ForwardOptions snapshot = options;
    snapshot.snapshot = true;
    snapshot.max_hosts = snapshot.max_incidents = 1000000;
    auto t_raw = Stopwatch::now();
    auto raw = unit.next_batch(snapshot, {});
    double raw_build_ms = ms_since(t_raw);
    auto raw_bytes = static_cast<double>(raw.batch.ByteSizeLong());
    auto t_export = Stopwatch::now();
    auto bundle = unit_exchange.export_bundle("city", 0);
    double export_ms = ms_since(t_export);
    auto t_import = Stopwatch::now();
    auto imported = upper_exchange.import_bundle(bundle.bundle());
    double import_ms = ms_since(t_import);
    auto t_again = Stopwatch::now();
    upper_exchange.import_bundle(bundle.bundle());
    double again_ms = ms_since(t_again);
    std::printf(
        "offline bundle of the unit (%d hosts, %d incidents): %.1f KB sealed, %.0f bytes "
        "per host; the batch alone %.1f KB (sealing adds %.2f %%)\n",
        static_cast<int>(bundle.hosts()), static_cast<int>(bundle.incidents()),
        static_cast<double>(bundle.bundle().size()) / 1024.0,
        static_cast<double>(bundle.bundle().size()) / hosts, raw_bytes / 1024.0,
        (static_cast<double>(bundle.bundle().size()) / raw_bytes - 1) * 100);
    std::printf(
        "  export %.1f ms (building the batch alone: %.1f ms, ratio %.2f); import %.1f "
        "ms; the same bundle again %.1f ms\n",
        export_ms, raw_build_ms, export_ms / raw_build_ms, import_ms, again_ms);
    expect(imported.hosts() == static_cast<uint32_t>(hosts), "the bundle carries every host");
    expect(upper_exchange.import_bundle(bundle.bundle()).already_imported(),
           "a bundle imported twice changes nothing");
  }

  // ---- 2. the level above with many units ----
  const storage::Location province_db((dir / "province.db").string());
  Store province_store(province_db, clock);
  CascadeStore province(province_db, clock);
  auto t_fill = Stopwatch::now();
  for (int u = 0; u < units; ++u) {
    auto t = province_store
                 .create_token({"Units", 86400, 1, "bench", collector::domain::TokenKind::unit})
                 .text;
    auto id = *province.find_unit(
        province.enroll_unit(t, "county-" + std::to_string(u), fake_certificate).unit_id);
    uint64_t seq = 0;
    for (int first = 1; first <= hosts; first += 1000) {
      v1::UnitBatch b;
      b.set_seq(++seq);
      b.set_full(first == 1);
      auto* self = b.add_members();
      self->set_name("county-" + std::to_string(u));
      self->set_ledger_hosts(hosts);
      for (int h = first; h < std::min(first + 1000, hosts + 1); ++h) {
        auto* x = b.add_hosts();
        x->set_agent_id("a-" + std::to_string(h));
        x->set_hostname("pc-" + std::to_string(h));
        x->set_department("Office");
        x->set_online(h % 3 != 0);
        x->set_last_report_ms(clock.now_ms());
        for (int c = 0; c < checks; ++c) {
          auto* r = x->add_checks();
          r->set_check("check." + std::to_string(c));
          r->set_status(c == (h + u) % checks ? "fail" : "pass");
        }
      }
      province.apply(id, b);
    }
  }
  double fill_s = ms_since(t_fill) / 1000;
  auto timed = [](auto f) {
    double best = 1e18;
    for (int i = 0; i < 3; ++i) {
      auto t0 = Stopwatch::now();
      f();
      best = std::min(best, ms_since(t0));
    }
    return best;
  };
  size_t listed = 0, rolled_checks = 0;
  double list_ms = timed([&] { listed = province.list_units().size(); });
  double report_ms = timed([&] {
    auto units_part = province.unit_compliance();
    rolled_checks = units_part.empty() ? 0 : units_part[0].checks.size();
  });
  // The whole report at the level above (its own hosts: none here), the units rolled up.
  ReportService reports(province_store, clock);
  reports.set_cascade(&province);
  size_t reported_units = 0;
  double whole_report_ms = timed([&] {
    ReportRequest req;
    req.from_ms = clock.now_ms() - 30LL * 86400000;
    req.to_ms = clock.now_ms() + 1;
    reported_units = static_cast<size_t>(reports.build(req, {}).units_size());
  });
  auto raw = storage::connect(province_db);
  double raw_ms =
      timed([&] { raw->prepare("SELECT count(*), sum(length(status)) FROM unit_results").step(); });
  std::printf("level above: %d units x %d hosts x %d checks applied in %.1f s (%.0f hosts/s)\n",
              units, hosts, checks, fill_s, units * hosts / fill_s);
  std::printf("  wardenctl units (list_units): %.1f ms\n", list_ms);
  std::printf("  the report's units, rolled up (unit_compliance): %.1f ms\n", report_ms);
  std::printf("  the whole 30-day report at the level above (ReportService::build): %.1f ms\n",
              whole_report_ms);
  std::printf("  baseline, one scan of every forwarded result: %.1f ms; ratio %.2f\n", raw_ms,
              report_ms / raw_ms);
  expect(listed == static_cast<size_t>(units), "every unit listed");
  expect(reported_units == static_cast<size_t>(units), "every unit in the report");
  expect(rolled_checks == static_cast<size_t>(checks), "every check in a unit's results");
  std::filesystem::remove_all(dir);
  return failures ? 1 : 0;
}
