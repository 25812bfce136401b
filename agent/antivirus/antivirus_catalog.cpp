#include "agent/antivirus/antivirus_catalog.hpp"

#include <stdexcept>

#include "agent/antivirus/policy_paths.hpp"

namespace warden::agent {

namespace {
std::vector<std::string> strings(const nlohmann::json& j, const char* key,
                                 const std::string& where) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array())
    throw std::invalid_argument(where + "." + key + " must be a list of strings");
  for (const auto& v : j[key]) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 256)
      throw std::invalid_argument(where + "." + key + " must be a list of non-empty strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}
std::string str(const nlohmann::json& j, const char* key, const std::string& where,
                bool required = false) {
  if (!j.contains(key)) {
    if (required) throw std::invalid_argument(where + " has no " + key);
    return {};
  }
  if (!j[key].is_string()) throw std::invalid_argument(where + "." + key + " must be a string");
  return j[key].get<std::string>();
}
}  // namespace

AntivirusProduct parse_product(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + " must be an object");
  AntivirusProduct p;
  p.id = str(j, "id", where, true);
  p.name = str(j, "name", where, true);
  p.footprint = str(j, "footprint", where);
  p.packages = strings(j, "packages", where);
  p.processes = strings(j, "processes", where);
  p.updater_processes = strings(j, "updater_processes", where);
  p.install_paths = strings(j, "install_paths", where);
  p.config_file = str(j, "config_file", where);
  p.database_dir_key = str(j, "database_dir_key", where);
  p.socket_key = str(j, "socket_key", where);
  p.database_dirs = strings(j, "database_dirs", where);
  p.signature_format = str(j, "signature_format", where);
  if (p.signature_format.empty()) p.signature_format = "none";
  if (p.signature_format != "clamav-cvd" && p.signature_format != "none")
    throw std::invalid_argument(where + ".signature_format must be \"clamav-cvd\" or \"none\"");
  if (p.packages.empty() && p.processes.empty() && p.install_paths.empty())
    throw std::invalid_argument(where +
                                " needs packages, processes or install_paths to be recognised");
  return p;
}

std::vector<AntivirusProduct> load_catalog(const nlohmann::json& catalog,
                                           const nlohmann::json& extra) {
  std::vector<AntivirusProduct> out;
  auto add = [&](const nlohmann::json& list, const std::string& where) {
    if (!list.is_array()) throw std::invalid_argument(where + " must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      auto p = parse_product(list[i], where + "[" + std::to_string(i) + "]");
      std::erase_if(out, [&](const AntivirusProduct& q) { return q.id == p.id; });
      out.push_back(std::move(p));
    }
  };
  if (catalog.is_object() && catalog.contains("products"))
    add(catalog["products"], "catalog.products");
  if (!extra.is_null()) add(extra, "antivirus.extra_products");
  return out;
}

std::vector<std::string> merge_policy_products(std::vector<AntivirusProduct>& products,
                                               const nlohmann::json& extra) {
  std::vector<std::string> refused;
  if (extra.is_null()) return refused;
  if (!extra.is_array()) return {"antivirus.extra_products is not a list"};
  for (size_t i = 0; i < extra.size(); ++i) {
    std::string where = "antivirus.extra_products[" + std::to_string(i) + "]";
    AntivirusProduct p;
    try {
      p = parse_product(extra[i], where);
    } catch (const std::exception& e) {
      refused.push_back(e.what());
      continue;
    }
    std::string why;
    auto check = [&](const char* field, const std::string& path) {
      if (why.empty() && !path.empty())
        if (auto r = policy_path_refusal(path, kPolicyPathPrefixes); !r.empty())
          why = std::string(field) + " " + path + " " + r;
    };
    for (const auto& path : p.install_paths) check("install_paths", path);
    check("config_file", p.config_file);
    for (const auto& path : p.database_dirs) check("database_dirs", path);
    if (!why.empty()) {
      refused.push_back(where + " (" + p.id + "): " + why);
      continue;
    }
    p.from_policy = true;
    std::erase_if(products, [&](const AntivirusProduct& q) { return q.id == p.id; });
    products.push_back(std::move(p));
  }
  return refused;
}

}  // namespace warden::agent
