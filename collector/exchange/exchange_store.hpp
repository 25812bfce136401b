// The offline exchange's part of the compliance database (docs/exchange.md): the peers this
// collector exchanges bundles with (their pinned certificates, the bundle numbers each way), and
// the drives as the peers' networks know them (foreign_usb), which the central USB rules read.
// Speaks plain structs; the exchange service turns them into the bundle's messages.
// Thread-safe: its own connection, guarded by a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collector/storage/database.hpp"
#include "common/clock.hpp"

namespace warden::collector {

struct ExchangePeerRecord {
  int64_t id = 0;
  std::string name;
  std::string fingerprint;
  std::string certificate_pem;
  std::string role;  // unit | upper | peer
  std::string department;
  std::optional<int64_t> unit_ref;  // role unit: units.id
  std::string unit_id;              // role unit: units.unit_id ("x-" + the fingerprint's start)
  int64_t added_at_ms = 0;
  uint64_t exported_seq = 0;
  uint64_t imported_seq = 0;
  std::string imported_digest;
  int64_t imported_at_ms = 0;
};

// A removable storage device with what one network knows of it.
struct DriveRecord {
  std::string vendor_id, product_id, serial;
  std::string registered_class;        // "" not registered there
  std::set<std::string> classes_seen;  // general, classified
  int64_t first_seen_ms = 0, last_seen_ms = 0;
};

// A drive both this network and a peer's have, when together they break the rules: registered
// classified on one side and used on a general PC on the other, or used on both kinds of PC.
struct CrossNetworkUse {
  DriveRecord here, there;
};

class ExchangeStore {
 public:
  explicit ExchangeStore(const storage::Location& database, const Clock& clock = system_clock());

  // Records a peer (name and fingerprint new here). Role "unit" also records a unit of this
  // level (name new among the units), which the peer's bundles update as a link would.
  // Throws Failure(conflict) for a name or certificate already here.
  ExchangePeerRecord add_peer(const std::string& name, const std::string& fingerprint,
                              const std::string& certificate_pem, const std::string& role,
                              const std::string& department);
  std::vector<ExchangePeerRecord> list_peers();
  // Unpins a peer and forgets what it said of drives; Failure(not_found) if there is none.
  ExchangePeerRecord remove_peer(const std::string& name);
  std::optional<ExchangePeerRecord> find_peer(const std::string& name);
  std::optional<ExchangePeerRecord> find_peer_by_fingerprint(const std::string& fingerprint);

  // The number of the next bundle for this peer, counted as exported.
  uint64_t take_export_seq(int64_t peer_id);
  // This network's registered and sighted drives (sighted at or after since_ms; registered ones
  // always), at most `limit`.
  std::vector<DriveRecord> local_drives(int64_t since_ms, size_t limit);

  // Records what a bundle from the peer said of drives, and that the bundle (seq, digest) was
  // applied, in one transaction; returns the drives now known to be cross-used between the two
  // networks. Callers checked the sequence (see ExchangeService).
  std::vector<CrossNetworkUse> record_import(int64_t peer_id, uint64_t seq,
                                             const std::string& digest,
                                             const std::vector<DriveRecord>& drives);

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<storage::Connection> db_;
};

// foreign_usb.classes_seen: the classes ','-joined, and back.
std::string join_drive_classes(const std::set<std::string>& classes);
std::set<std::string> split_drive_classes(const std::string& joined);

// Whether one drive, as two networks know it, has crossed between classified and general use.
bool crosses_networks(const DriveRecord& here, const DriveRecord& there);

}  // namespace warden::collector
