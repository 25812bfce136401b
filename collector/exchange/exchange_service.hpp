// Offline exchange between collectors that no network joins (docs/exchange.md): this collector's
// exchange identity, the peers it pinned, and bundles sealed for one peer and opened from one.
//
// A bundle for the level above (peer role "upper") carries this unit's whole state as a full
// cascade batch, so the level above applies it as a link's batch; every bundle carries the drives
// this network registered or saw, so `usb.cross_use` sees a drive that crossed between networks.
// Importing checks, in order: addressed here, signed by a pinned peer, content valid, newer than
// the last bundle from that peer (the same one again changes nothing; an older one is a replay).
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collector/cascade/cascade_store.hpp"
#include "collector/exchange/bundle_seal.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "common/clock.hpp"
#include "warden/v1/exchange.pb.h"

namespace warden::collector {

struct ExchangeSettings {
  std::filesystem::path identity_dir;  // <data-dir>/exchange: identity.crt, identity.key (0600)
  std::string unit_name;               // how this collector names itself in its bundles
  bool send_facts = true;              // upstream_facts: withheld facts stay here offline too
};

class ExchangeService {
 public:
  using OnlineAgents = std::function<std::set<std::string>()>;
  ExchangeService(ExchangeStore& store, CascadeStore& cascade, ExchangeSettings settings,
                  OnlineAgents online, const Clock& clock = system_clock());

  // Created on first use; the same afterwards.
  v1::ExchangeIdentity identity();
  // Validates the request; the fingerprint (read out of band) must match the certificate.
  v1::ExchangePeer add_peer(const v1::AddExchangePeerRequest& req);
  std::vector<v1::ExchangePeer> list_peers();
  v1::ExchangePeer remove_peer(const std::string& name);
  v1::ExportBundleResponse export_bundle(const std::string& peer, int64_t since_ms);
  v1::ImportBundleResponse import_bundle(const std::string& sealed);

 private:
  ExchangeKey key();
  ExchangeStore& store_;
  CascadeStore& cascade_;
  ExchangeSettings settings_;
  OnlineAgents online_;
  const Clock& clock_;
  std::mutex identity_mu_, import_mu_;
  std::optional<ExchangeKey> key_;
};

}  // namespace warden::collector
