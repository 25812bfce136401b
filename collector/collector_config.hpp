// warden-collector's settings: defaults, then the config file (key = value lines, # comments),
// then command-line flags.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "collector/agent_rate_limit.hpp"

namespace warden::collector {

struct CollectorConfig {
  std::filesystem::path data_dir;
  // The compliance database: "" = the embedded SQLite file in data_dir; else a PostgreSQL URI
  // (postgresql://USER@HOST:PORT/DB), which several collectors may share. Put the password in
  // ~/.pgpass or PGPASSFILE rather than here; it is never logged either way.
  std::string database;
  // With several collectors on one database: how often each says it is alive and competes for
  // the fleet's leadership (scheduler, retention); a dead leader is replaced within about this.
  int cluster_heartbeat_seconds = 5;
  // A unit's collector enrolled with a level above (docs/cascade.md): how often it forwards what
  // changed (a critical incident goes at once), and whether host facts (owner, IP, MAC, OS) go
  // up with the results or stay here (upstream_facts = withhold; results always go).
  int upstream_interval_seconds = 60;
  bool upstream_send_facts = true;
  // Critical incidents pushed as they happen (collector/notify/): to a webhook (http(s) URL) and
  // by e-mail over SMTP with STARTTLS required (smtp://HOST:PORT, or smtps://); server
  // certificates checked against notify_ca_file (default: the system's). The SMTP password is
  // read from a file (mode 0600), never from this one.
  std::string notify_webhook, notify_smtp, notify_mail_from, notify_smtp_user;
  std::vector<std::string> notify_mail_to;
  std::filesystem::path notify_smtp_password_file, notify_ca_file;
  std::string listen = "0.0.0.0:7443";
  std::filesystem::path admin_socket;     // default: <data_dir>/admin.sock
  std::vector<std::string> server_names;  // extra DNS names / IPs for the server certificate
  std::string log_level = "info";
  int retention_days = 180;            // events, history, reports and audit entries
  std::string metrics_listen;          // HOST:PORT of the Prometheus endpoint; empty: none
  std::filesystem::path audit_socket;  // read-only admin socket for auditors; empty: none
  std::string audit_group;             // group allowed on the audit socket (mode 0660)
  RateLimits agent_rate;               // per-agent limits on reports and events
  // Per-unit limits on Forward batches (the cascade): a unit sends one per interval, a few more
  // for critical incidents, and a run of them when it sends everything again.
  RateLimits unit_rate{2, 600, 8 << 20, 1024 << 20};
  // Enrollment on a listener of its own (collector/agent_listener_options.hpp). Unset: Enroll is
  // served on `listen` as well. "" (`enroll_listen = off`): no enrollment at all. HOST:PORT: Enroll
  // only there, and `listen` requires a client certificate in the TLS handshake.
  std::optional<std::string> enroll_listen;
  // IANA zone the report's days and dates are counted in (local midnight); "" = the system's.
  // The packaged config sets Asia/Shanghai. Stored timestamps are UTC whatever this says.
  std::string time_zone;
  // The unit filing the self-check report: its header (unit_name, unit_person, unit_contact,
  // unit_phone).
  std::string unit_name, unit_person, unit_contact, unit_phone;
  bool agent_http2_limits = true;  // off only to measure what the limits change (tests/bench)
};

// "" or "sqlite" -> "" (the embedded database); a PostgreSQL URI as it is; throws
// std::invalid_argument (prefixed with `where`) otherwise.
std::string parse_database(const std::string& value, const std::string& where = "");

// "off" or "" -> "" (closed); HOST:PORT as it is; throws std::invalid_argument otherwise.
std::string parse_enroll_listen(const std::string& value);

// Throws std::invalid_argument naming the file, line and key for anything it does not accept.
// A key set again replaces the earlier value (server_names: the whole list, which may span
// several lines of one file).
void load_config_file(const std::filesystem::path& path, CollectorConfig& config);

// `path`, then every `*.conf` in the drop-in directory `<path>.d` in name order. The packaged
// /etc/warden/collector.conf is the shipped defaults (a conffile); the admin's settings go in
// /etc/warden/collector.conf.d/, which upgrades never touch, so they never ask about it.
void load_config(const std::filesystem::path& path, CollectorConfig& config);

}  // namespace warden::collector
