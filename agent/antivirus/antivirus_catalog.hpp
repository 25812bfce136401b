// The antivirus product catalog: how to recognise each product (packages, processes, install
// paths, where its signatures live and in what format). Data, shipped in
// deploy/antivirus-catalog.json and extendable by admins through policy.antivirus.extra_products.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace warden::agent {

struct AntivirusProduct {
  std::string id;
  std::string name;
  std::string footprint;  // how the recognition data is known
  std::vector<std::string> packages;
  std::vector<std::string> processes;
  std::vector<std::string> updater_processes;
  std::vector<std::string> install_paths;
  std::string config_file;                 // optional: a clamd.conf-style file
  std::string database_dir_key;            // key in config_file naming the database directory
  std::string socket_key;                  // key in config_file naming the control socket
  std::vector<std::string> database_dirs;  // fallbacks when there is no config
  std::string signature_format;            // "clamav-cvd" | "none"
  bool from_policy = false;  // added by an admin through policy: its paths are held to rules
};

// Throws std::invalid_argument naming the entry and field.
AntivirusProduct parse_product(const nlohmann::json& j, const std::string& where);
// {"products":[...]} plus extra entries (same schema); a later id replaces an earlier one.
std::vector<AntivirusProduct> load_catalog(const nlohmann::json& catalog,
                                           const nlohmann::json& extra);
// Adds the entries of policy's antivirus.extra_products to `products` (replacing by id), each
// marked from_policy. An entry that is malformed or names a path policy may not name
// (agent/antivirus/policy_paths.hpp) is left out; the returned list says which and why, one line
// per refused entry ("antivirus.extra_products[2] (acme): config_file /root/x is outside ...").
std::vector<std::string> merge_policy_products(std::vector<AntivirusProduct>& products,
                                               const nlohmann::json& extra);

}  // namespace warden::agent
