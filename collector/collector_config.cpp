#include "collector/collector_config.hpp"

#include "collector/storage/database_location.hpp"
#include "common/time_zone.hpp"
#include "common/validate.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/files.hpp"
#include "common/text.hpp"

namespace warden::collector {

std::string parse_database(const std::string& value, const std::string& where) {
  if (value.empty() || value == "sqlite") return "";
  try {
    storage::validate_postgresql_uri(value);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + "database: " + e.what() +
                                " (or leave it out for the embedded SQLite database)");
  }
  return value;
}

std::string parse_enroll_listen(const std::string& value) {
  if (value.empty() || value == "off") return "";
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size() ||
      value.find_first_not_of("0123456789", colon + 1) != std::string::npos)
    throw std::invalid_argument("enroll_listen must be HOST:PORT (e.g. 0.0.0.0:7444) or off");
  return value;
}

namespace {

std::string trimmed(const std::string& s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

int parse_seconds(const std::string& where, const std::string& key, const std::string& value,
                  int min, int max) {
  int seconds = 0;
  auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (r.ec != std::errc() || r.ptr != value.data() + value.size() || seconds < min || seconds > max)
    throw std::invalid_argument(where + key + " must be from " + std::to_string(min) + " to " +
                                std::to_string(max));
  return seconds;
}

}  // namespace

void load_config_file(const std::filesystem::path& path, CollectorConfig& config) {
  auto text = files::read_if_exists(path, 1 << 20);
  if (!text) throw std::invalid_argument("cannot read config file " + path.string());
  std::istringstream in(*text);
  std::string line;
  int n = 0;
  bool names_here = false;  // server_names in this file replace those of earlier files
  while (std::getline(in, line)) {
    ++n;
    line = text::trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    std::string where = path.string() + ":" + std::to_string(n) + ": ";
    if (eq == std::string::npos) throw std::invalid_argument(where + "expected key = value");
    std::string key = text::trim(line.substr(0, eq)), value = text::trim(line.substr(eq + 1));
    if (key == "data_dir") {
      config.data_dir = value;
    } else if (key == "listen") {
      config.listen = value;
    } else if (key == "admin_socket") {
      config.admin_socket = value;
    } else if (key == "server_names") {
      if (!names_here) config.server_names.clear();
      names_here = true;
      std::istringstream names(value);
      std::string name;
      while (std::getline(names, name, ','))
        if (!text::trim(name).empty()) config.server_names.push_back(text::trim(name));
    } else if (key == "retention_days") {
      try {
        config.retention_days = std::stoi(value);
      } catch (...) {
        config.retention_days = -1;
      }
      if (config.retention_days < 180)
        throw std::invalid_argument(
            where +
            "retention_days must be a number of at least 180 (network logs are kept six months)");
    } else if (key == "agent_messages_per_second" || key == "agent_burst_messages") {
      double v = 0;
      try {
        v = std::stod(value);
      } catch (...) {
        v = 0;
      }
      if (v < 1 || v > 1e6)
        throw std::invalid_argument(where + key + " must be a number from 1 to 1000000");
      (key == "agent_burst_messages" ? config.agent_rate.burst_messages
                                     : config.agent_rate.messages_per_second) = v;
    } else if (key == "unit_forwards_per_second" || key == "unit_burst_forwards") {
      double v = 0;
      try {
        v = std::stod(value);
      } catch (...) {
        v = 0;
      }
      if (!(v >= 0.01 && v <= 1e6))
        throw std::invalid_argument(where + key + " must be a number from 0.01 to 1000000");
      (key == "unit_burst_forwards" ? config.unit_rate.burst_messages
                                    : config.unit_rate.messages_per_second) = v;
    } else if (key == "audit_socket") {
      if (value.empty() || value[0] != '/')
        throw std::invalid_argument(where + "audit_socket must be an absolute path");
      config.audit_socket = value;
    } else if (key == "audit_group") {
      config.audit_group = value;
    } else if (key == "metrics_listen") {
      auto colon = value.rfind(':');
      if (colon == std::string::npos || colon + 1 == value.size())
        throw std::invalid_argument(where +
                                    "metrics_listen must be HOST:PORT (e.g. 127.0.0.1:9469)");
      config.metrics_listen = value;
    } else if (key == "enroll_listen") {
      try {
        config.enroll_listen = parse_enroll_listen(value);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + e.what());
      }
    } else if (key == "agent_http2_limits") {
      if (value != "on" && value != "off")
        throw std::invalid_argument(where + "agent_http2_limits must be on or off");
      config.agent_http2_limits = value == "on";
    } else if (key == "unit_name" || key == "unit_person" || key == "unit_contact" ||
               key == "unit_phone") {
      if (auto err = validate::text(key, value, 256); !err.empty())
        throw std::invalid_argument(where + err);
      (key == "unit_name"      ? config.unit_name
       : key == "unit_person"  ? config.unit_person
       : key == "unit_contact" ? config.unit_contact
                               : config.unit_phone) = value;
    } else if (key == "database") {
      config.database = parse_database(value, where);
    } else if (key == "cluster_heartbeat_seconds") {
      config.cluster_heartbeat_seconds = parse_seconds(where, key, value, 1, 60);
    } else if (key == "upstream_interval_seconds") {
      config.upstream_interval_seconds = parse_seconds(where, key, value, 1, 3600);
    } else if (key == "notify_webhook") {
      if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0)
        throw std::invalid_argument(where + "notify_webhook must be an http:// or https:// URL");
      if (auto err = validate::text(key, value, 2048); !err.empty())
        throw std::invalid_argument(where + err);
      config.notify_webhook = value;
    } else if (key == "notify_smtp") {
      if (value.rfind("smtp://", 0) != 0 && value.rfind("smtps://", 0) != 0)
        throw std::invalid_argument(where +
                                    "notify_smtp must be smtp://HOST:PORT (STARTTLS) or smtps://");
      if (auto err = validate::text(key, value, 2048); !err.empty())
        throw std::invalid_argument(where + err);
      config.notify_smtp = value;
    } else if (key == "notify_mail_from" || key == "notify_smtp_user") {
      if (auto err = validate::text(key, value, 256, false); !err.empty())
        throw std::invalid_argument(where + err);
      (key == "notify_mail_from" ? config.notify_mail_from : config.notify_smtp_user) = value;
    } else if (key == "notify_mail_to") {
      config.notify_mail_to.clear();
      for (size_t start = 0; start <= value.size();) {
        auto comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        std::string to = trimmed(value.substr(start, comma - start));
        if (to.find('@') == std::string::npos || !validate::text(key, to, 256, false).empty())
          throw std::invalid_argument(where + "notify_mail_to: '" + to +
                                      "' is not an e-mail address");
        config.notify_mail_to.push_back(to);
        start = comma + 1;
      }
    } else if (key == "notify_smtp_password_file" || key == "notify_ca_file") {
      (key == "notify_ca_file" ? config.notify_ca_file : config.notify_smtp_password_file) = value;
    } else if (key == "upstream_facts") {
      if (value != "send" && value != "withhold")
        throw std::invalid_argument(where + "upstream_facts must be send or withhold");
      config.upstream_send_facts = value == "send";
    } else if (key == "time_zone") {
      if (auto zone = TimeZone::named(value); !zone)
        throw std::invalid_argument(where + zone.error().message);
      config.time_zone = value;
    } else if (key == "log_level") {
      if (value != "debug" && value != "info" && value != "warn" && value != "error")
        throw std::invalid_argument(where + "log_level must be debug, info, warn or error");
      config.log_level = value;
    } else {
      throw std::invalid_argument(where + "unknown key '" + key + "'");
    }
  }
}

void load_config(const std::filesystem::path& path, CollectorConfig& config) {
  load_config_file(path, config);
  auto drop_ins = path;
  drop_ins += ".d";
  std::error_code ec;
  if (!std::filesystem::is_directory(drop_ins, ec)) return;
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(drop_ins))
    if (entry.path().extension() == ".conf" && entry.is_regular_file())
      found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  for (const auto& f : found) load_config_file(f, config);
}

}  // namespace warden::collector
