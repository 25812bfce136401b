// Offline exchange (collector/exchange/) between two collectors' databases on both backends: a
// unit's bundle applies at the level above as its link's batches would, once; the same bundle
// again changes nothing, an older one is a replay, a foreign or unpinned one is refused; drives
// the two networks both know are reported when they crossed between classified and general use.
#include <catch2/catch.hpp>

#include "collector/cascade/cascade_store.hpp"
#include "collector/database/store.hpp"
#include "collector/exchange/exchange_service.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "common/files.hpp"
#include "tests/collector/database_under_test.hpp"
#include "tests/collector/refusal.hpp"

using namespace warden;
using namespace warden::collector;
using namespace warden::test;

namespace {

constexpr int64_t kNow = 1796300000000;

// One collector: its database and the exchange service over it.
struct Collector {
  Collector(const TempDir& dir, const std::string& name, const Clock& clock)
      : location(fresh_database(dir, name + ".db")),
        store(storage::Location(location), clock),
        cascade(storage::Location(location), clock),
        exchange_store(storage::Location(location), clock),
        exchange(
            exchange_store, cascade, {dir / (name + "-exchange"), name, true},
            [] { return std::set<std::string>{}; }, clock) {}
  std::string location;
  Store store;
  CascadeStore cascade;
  ExchangeStore exchange_store;
  ExchangeService exchange;

  v1::ExchangePeer pin(Collector& other, const std::string& name, const std::string& role,
                       const std::string& department = "") {
    auto id = other.exchange.identity();
    v1::AddExchangePeerRequest req;
    req.set_name(name);
    req.set_certificate_pem(id.certificate_pem());
    req.set_fingerprint(id.fingerprint());
    req.set_role(role);
    req.set_department(department);
    return exchange.add_peer(req);
  }

  void add_host(int64_t id, const std::string& agent_id, const std::string& classification,
                const std::string& av_status) {
    auto db = open_database(location);
    db->prepare(
          "INSERT INTO hosts (id, agent_id, hostname, department, os_name, owner, cert_serial, "
          "cert_not_after, enrolled_at, last_report_at, classification) VALUES "
          "(?,?,?,'Office','Kylin V10','王五','s',0,?,?,?)")
        .bind(1, id)
        .bind(2, agent_id)
        .bind(3, "pc-" + agent_id)
        .bind(4, kNow)
        .bind(5, kNow)
        .bind(6, classification)
        .run();
    db->prepare(
          "INSERT INTO latest_results (host_id, check_id, status, severity, summary, "
          "evidence_json, since, updated_at) VALUES (?, 'av.running', ?, 'critical', '', '{}', "
          "?, ?)")
        .bind(1, id)
        .bind(2, av_status)
        .bind(3, kNow)
        .bind(4, kNow)
        .run();
    if (av_status == "fail")
      db->prepare(
            "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, summary, "
            "severity) VALUES (?, 'av.running', 'pass', 'fail', ?, 'clamd stopped', 'critical')")
          .bind(1, id)
          .bind(2, kNow - 1000)
          .run();
  }

  void register_drive(const std::string& serial, const std::string& cls) {
    open_database(location)
        ->prepare(
            "INSERT INTO usb_devices (vendor_id, product_id, serial, classification, owner, "
            "registered_at, registered_by) VALUES ('0781', '5567', ?, ?, 'Li', ?, 'test')")
        .bind(1, serial)
        .bind(2, cls)
        .bind(3, kNow)
        .run();
  }

  void saw_drive(const std::string& serial, int64_t host_id, const std::string& cls) {
    open_database(location)
        ->prepare(
            "INSERT INTO usb_sightings (vendor_id, product_id, serial, host_id, classification, "
            "first_seen, last_seen) VALUES ('0781', '5567', ?, ?, ?, ?, ?)")
        .bind(1, serial)
        .bind(2, host_id)
        .bind(3, cls)
        .bind(4, kNow - 5000)
        .bind(5, kNow)
        .run();
  }
};

}  // namespace

TEST_CASE(
    "a unit's bundle applies at the level above once, again changes nothing, older is a "
    "replay",
    "[exchange]") {
  TempDir dir;
  TestClock clock(kNow);
  Collector upper(dir, "province", clock), unit(dir, "county", clock);
  auto peer = upper.pin(unit, "县局", "unit", "Counties");
  CHECK(peer.role() == "unit");
  unit.pin(upper, "省厅", "upper");

  unit.add_host(1, "a-1", "general", "fail");
  unit.add_host(2, "a-2", "general", "pass");
  auto first = unit.exchange.export_bundle("省厅", 0);
  CHECK(first.seq() == 1);
  CHECK(first.hosts() == 2);
  CHECK(first.incidents() == 1);

  auto applied = upper.exchange.import_bundle(first.bundle());
  CHECK(applied.peer() == "县局");
  CHECK_FALSE(applied.already_imported());
  CHECK(applied.hosts() == 2);
  CHECK(applied.incidents() == 1);
  auto units = upper.cascade.list_units();
  REQUIRE(units.size() == 1);
  CHECK(units[0].name == "县局");
  CHECK(units[0].department == "Counties");
  CHECK(units[0].hosts == 2);
  CHECK(units[0].failing == 1);
  CHECK(units[0].last_contact_ms == kNow);
  CHECK(upper.cascade.unit_incidents(0).size() == 1);

  // The same file imported again: nothing changes.
  auto again = upper.exchange.import_bundle(first.bundle());
  CHECK(again.already_imported());
  CHECK(upper.cascade.list_units()[0].hosts == 2);
  CHECK(upper.cascade.unit_incidents(0).size() == 1);

  // The county fixes a PC and removes another; the next bundle replaces what the province held.
  {
    auto db = open_database(unit.location);
    db->exec("UPDATE latest_results SET status = 'pass' WHERE host_id = 1");
    db->exec("DELETE FROM latest_results WHERE host_id = 2");
    db->exec("DELETE FROM hosts WHERE id = 2");
  }
  clock.advance_ms(86400000);
  auto second = unit.exchange.export_bundle("省厅", 0);
  CHECK(second.seq() == 2);
  auto applied2 = upper.exchange.import_bundle(second.bundle());
  CHECK(applied2.duplicate_incidents() == 1);  // the incident came in bundle 1
  units = upper.cascade.list_units();
  CHECK(units[0].hosts == 1);
  CHECK(units[0].failing == 0);
  CHECK(upper.cascade.unit_incidents(0).size() == 1);

  // Bundle 1 carried in again after bundle 2: a replay.
  std::string why;
  CHECK(refusal([&] { upper.exchange.import_bundle(first.bundle()); }, &why) ==
        ErrorKind::conflict);
  CHECK_THAT(why, Catch::Contains("replay"));
  CHECK(upper.cascade.list_units()[0].failing == 0);

  // A lost bundle (3) leaves no gap: bundle 4 is whole.
  unit.exchange.export_bundle("省厅", 0);
  auto fourth = unit.exchange.export_bundle("省厅", 0);
  CHECK(fourth.seq() == 4);
  CHECK(upper.exchange.import_bundle(fourth.bundle()).hosts() == 1);
  auto peers = upper.exchange.list_peers();
  REQUIRE(peers.size() == 1);
  CHECK(peers[0].imported_seq() == 4);

  // The unit is revoked at the level above: its bundles are refused.
  upper.cascade.revoke_unit("县局");
  auto fifth = unit.exchange.export_bundle("省厅", 0);
  CHECK(refusal([&] { upper.exchange.import_bundle(fifth.bundle()); }, &why) == ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("revoked"));
}

TEST_CASE("bundles from strangers, for others, or carrying results from a non-unit are refused",
          "[exchange]") {
  TempDir dir;
  TestClock clock(kNow);
  Collector upper(dir, "province", clock), unit(dir, "county", clock),
      stranger(dir, "stranger", clock);
  unit.pin(upper, "省厅", "upper");
  stranger.pin(upper, "省厅", "upper");
  unit.add_host(1, "a-1", "general", "pass");

  std::string why;
  // The province has not pinned the county yet.
  auto unpinned = unit.exchange.export_bundle("省厅", 0);
  CHECK(refusal([&] { upper.exchange.import_bundle(unpinned.bundle()); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not pinned"));
  CHECK(upper.cascade.list_units().empty());

  // Pinned as a peer network, not a unit: its results are not taken as a unit's.
  upper.pin(unit, "县局", "peer");
  auto as_peer = unit.exchange.export_bundle("省厅", 0);
  CHECK(refusal([&] { upper.exchange.import_bundle(as_peer.bundle()); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not a unit"));
  CHECK(upper.cascade.list_units().empty());

  // A bundle for another collector.
  unit.pin(stranger, "别处", "peer");
  auto elsewhere = unit.exchange.export_bundle("别处", 0);
  CHECK(refusal([&] { upper.exchange.import_bundle(elsewhere.bundle()); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not addressed"));

  // A damaged file.
  auto damaged = as_peer.bundle();
  damaged[damaged.size() / 2] ^= 0x20;
  CHECK(refusal([&] { upper.exchange.import_bundle(damaged); }) != ErrorKind::internal);

  // Pinning: a wrong fingerprint, the same certificate twice, our own, an unknown role.
  auto id = stranger.exchange.identity();
  v1::AddExchangePeerRequest req;
  req.set_name("另一个");
  req.set_certificate_pem(id.certificate_pem());
  req.set_fingerprint("SHA256:" + std::string(64, '0'));
  req.set_role("peer");
  CHECK(refusal([&] { upper.exchange.add_peer(req); }, &why) == ErrorKind::invalid);
  CHECK_THAT(why, Catch::Contains("does not match"));
  req.set_fingerprint(id.fingerprint());
  req.set_role("boss");
  CHECK(refusal([&] { upper.exchange.add_peer(req); }) == ErrorKind::invalid);
  req.set_role("peer");
  upper.exchange.add_peer(req);
  req.set_name("再一次");
  CHECK(refusal([&] { upper.exchange.add_peer(req); }) == ErrorKind::conflict);
  auto own = upper.exchange.identity();
  req.set_name("自己");
  req.set_certificate_pem(own.certificate_pem());
  req.set_fingerprint(own.fingerprint());
  CHECK(refusal([&] { upper.exchange.add_peer(req); }) == ErrorKind::invalid);
  CHECK(refusal([&] { upper.exchange.export_bundle("nobody", 0); }) == ErrorKind::not_found);

  // The identity is made once and kept (0600 key).
  CHECK(upper.exchange.identity().fingerprint() == own.fingerprint());
  CHECK((files::mode_of(dir / "province-exchange" / "identity.key") & 0777) == 0600);
}

TEST_CASE("drives both networks know are reported when they crossed classified and general use",
          "[exchange]") {
  TempDir dir;
  TestClock clock(kNow);
  Collector secret(dir, "classified", clock), office(dir, "general", clock);
  secret.pin(office, "办公网", "peer");
  office.pin(secret, "涉密网", "peer");

  // The classified network registered two drives and used them on its classified PC.
  secret.add_host(1, "a-1", "classified", "pass");
  secret.register_drive("CROSSED", "classified");
  secret.register_drive("KEPT", "classified");
  secret.saw_drive("CROSSED", 1, "classified");
  secret.saw_drive("KEPT", 1, "classified");
  // The general network saw one of them on a general PC.
  office.add_host(7, "a-7", "general", "pass");
  office.saw_drive("CROSSED", 7, "general");

  auto to_office = secret.exchange.export_bundle("办公网", 0);
  CHECK(to_office.hosts() == 0);  // a peer network gets drives only
  CHECK(to_office.usb_devices() == 2);
  auto at_office = office.exchange.import_bundle(to_office.bundle());
  REQUIRE(at_office.cross_used_size() == 1);
  CHECK(at_office.cross_used(0).serial() == "CROSSED");
  CHECK(at_office.cross_used(0).registered_there() == "classified");
  CHECK(at_office.cross_used(0).classes_here(0) == "general");

  // And the other way: the classified side learns where its drive went.
  auto to_secret = office.exchange.export_bundle("涉密网", 0);
  auto at_secret = secret.exchange.import_bundle(to_secret.bundle());
  REQUIRE(at_secret.cross_used_size() == 1);
  CHECK(at_secret.cross_used(0).registered_here() == "classified");
  CHECK(at_secret.cross_used(0).classes_there(0) == "general");
  CHECK(scalar(secret.location, "SELECT count(*) FROM foreign_usb") == 1);

  // The general network's key leaks: unpinned, its bundles are refused and what it said of
  // drives is forgotten; pinned again (a new key), its bundles count again.
  auto before_leak = office.exchange.export_bundle("涉密网", 0);
  CHECK(secret.exchange.remove_peer("办公网").name() == "办公网");
  CHECK(scalar(secret.location, "SELECT count(*) FROM foreign_usb") == 0);
  std::string why;
  CHECK(refusal([&] { secret.exchange.import_bundle(before_leak.bundle()); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not pinned"));
  CHECK(refusal([&] { secret.exchange.remove_peer("办公网"); }) == ErrorKind::not_found);
  secret.pin(office, "办公网", "peer");
  CHECK(secret.exchange.import_bundle(before_leak.bundle()).cross_used_size() == 1);

  // A shorter period later does not forget what an earlier bundle said.
  clock.advance_ms(30LL * 86400000);
  auto later = office.exchange.export_bundle("涉密网", clock.now_ms() - 86400000);
  CHECK(later.usb_devices() == 0);
  secret.exchange.import_bundle(later.bundle());
  CHECK(scalar(secret.location,
               "SELECT count(*) FROM foreign_usb WHERE classes_seen = 'general'") == 1);
}
