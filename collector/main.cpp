// warden-collector: receives agents' findings over mutual TLS and keeps the compliance database.
#include <grp.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <cerrno>
#include <cstring>

#include <prometheus/exposer.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "collector/admin_service.hpp"
#include "collector/agent_listener_options.hpp"
#include "collector/agent_service.hpp"
#include "collector/cascade/cascade_service.hpp"
#include "collector/cascade/upstream_link.hpp"
#include "collector/collector_config.hpp"
#include "collector/data_dir.hpp"
#include "collector/data_dir_backup.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "collector/metrics/collector_metrics.hpp"
#include "collector/notify/incident_notifier.hpp"
#include "collector/unix_socket_server.hpp"
#include "common/enrollment_client.hpp"
#include "common/files.hpp"
#include "common/grpc_runtime.hpp"
#include "common/i18n/i18n.hpp"
#include "common/log.hpp"
#include "common/time_zone.hpp"
#include "common/tls.hpp"
#include "common/validate.hpp"
#include "common/version.hpp"

using namespace warden;
using namespace warden::collector;

namespace {

log::Level parse_level(const std::string& s) {
  if (s == "debug") return log::Level::debug;
  if (s == "warn") return log::Level::warn;
  if (s == "error") return log::Level::error;
  return log::Level::info;
}

std::string host_of(const std::string& listen) {
  auto colon = listen.rfind(':');
  std::string h = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[') h = h.substr(1, h.size() - 2);
  return h;
}

int serve(CollectorConfig config) {
  configure_grpc_runtime();
  log::set_level(parse_level(config.log_level));
  DataDir dir{config.data_dir};
  if (!std::filesystem::exists(dir.root)) {
    files::ensure_dir(dir.root, 0700);
    LOG_INFO("collector", "created data directory " << dir.root.string());
  }
  DataDirLock lock(dir);  // one collector per data directory
  auto pki = bootstrap_data_dir(dir, [&] {
    auto names = config.server_names;
    names.push_back(host_of(config.listen));
    return names;
  }());
  const TimeZone zone =
      config.time_zone.empty() ? TimeZone::system() : TimeZone::named(config.time_zone).value();
  const storage::Location database = config.database.empty()
                                         ? storage::Location(dir.database().string())
                                         : storage::Location(config.database);
  LOG_INFO("collector", "compliance database: " << database.display());
  Store store(database);
  store.count_report_days_in(zone);
  IngestOptions ingest_options;
  ingest_options.time_zone = zone;
  Ingestor ingestor(database, ingest_options);
  LOG_INFO("collector", "report days are counted in time zone " << zone.name());
  SessionRegistry registry;
  FleetOptions fleet_options;
  fleet_options.retention_days = config.retention_days;
  // Other collectors on the same PostgreSQL database (none on SQLite): presence, sweeps and
  // policy pushes across them, one leader for the scheduler and retention.
  FleetClusterOptions cluster_options;
  cluster_options.address = config.listen;
  cluster_options.heartbeat = std::chrono::seconds(config.cluster_heartbeat_seconds);
  cluster_options.alive_within = 6 * cluster_options.heartbeat;
  FleetCluster cluster(database, store, cluster_options);
  FleetControl fleet(store, registry, fleet_options, system_clock(), &cluster);
  AgentRateLimiter rate_limiter(config.agent_rate);
  SessionDeps deps{store, ingestor, registry, 1024, nullptr, nullptr, &rate_limiter, nullptr};
  deps.on_hello = [&fleet, &cluster](int64_t host_id, uint64_t version, SessionLink& link) {
    cluster.agent_connected(host_id);
    fleet.on_agent_connected(host_id, version, link);
  };
  deps.on_disconnect = [&cluster, &registry](int64_t host_id, const std::string& agent_id) {
    if (!registry.has(agent_id)) cluster.agent_disconnected(host_id);  // not reconnected here
  };
  AgentServiceImpl agent_service(deps, pki);
  AdminServiceImpl admin_service(store, registry, fleet);
  const UnitInfo unit{config.unit_name, config.unit_person, config.unit_contact, config.unit_phone};
  admin_service.set_unit(unit);

  // HTTP/2 limits and the optional enrollment listener: docs/security.md.
  // The cascade: units below enrol and forward here; this collector forwards to its level above
  // when it has enrolled with one (docs/cascade.md).
  CascadeStore cascade_store(database);
  CascadeServiceImpl cascade_service(cascade_store, pki, config.unit_rate);
  admin_service.set_cascade(&cascade_store);
  std::unique_ptr<UpstreamLink> upstream_link;
  if (auto upstream = load_upstream(dir.root)) {
    UpstreamLinkOptions link_options;
    link_options.interval = std::chrono::seconds(config.upstream_interval_seconds);
    link_options.forward.unit_name = upstream->unit_name;
    link_options.forward.send_facts = config.upstream_send_facts;
    LOG_INFO("collector",
             "unit '" << upstream->unit_name << "' of the level above at " << upstream->address
                      << " (forwarding every " << config.upstream_interval_seconds << " s"
                      << (config.upstream_send_facts ? "" : ", facts withheld") << ")");
    upstream_link = std::make_unique<UpstreamLink>(
        cascade_store, *upstream, link_options,
        UpstreamLinkHooks{[&cluster] { return cluster.leader(); },
                          [&fleet] { return fleet.online_agents(); },
                          [&fleet](const std::string& kind) {
                            (void)kind;
                            return fleet.run_sweep("level above", "manual", "").sweep_id;
                          }});
  }
  // Offline exchange with isolated networks (docs/exchange.md): bundles carried on removable
  // media, sealed for one pinned peer.
  ExchangeStore exchange_store(database);
  ExchangeSettings exchange_settings;
  exchange_settings.identity_dir = dir.root / "exchange";
  // How it names itself in bundles: the report's unit name, else its cascade name, else the
  // machine's name.
  exchange_settings.unit_name = config.unit_name;
  if (exchange_settings.unit_name.empty() && upstream_link)
    exchange_settings.unit_name = load_upstream(dir.root)->unit_name;
  if (exchange_settings.unit_name.empty()) {
    char host[256] = {};
    exchange_settings.unit_name = gethostname(host, sizeof host - 1) == 0 && host[0]
                                      ? std::string(host)
                                      : std::string("warden-collector");
  }
  exchange_settings.send_facts = config.upstream_send_facts;
  ExchangeService exchange(exchange_store, cascade_store, exchange_settings,
                           [&fleet] { return fleet.online_agents(); });
  admin_service.set_exchange(&exchange);
  // Critical incidents pushed to a webhook and by e-mail, where configured.
  std::unique_ptr<IncidentNotifier> notifier;
  if (!config.notify_webhook.empty() || !config.notify_smtp.empty()) {
    NotifyOptions notify;
    notify.webhook_url = config.notify_webhook;
    notify.smtp_url = config.notify_smtp;
    notify.mail_from = config.notify_mail_from;
    notify.mail_to = config.notify_mail_to;
    notify.smtp_user = config.notify_smtp_user;
    if (!notify.smtp_url.empty() && (notify.mail_from.empty() || notify.mail_to.empty())) {
      LOG_ERROR("collector", "notify_smtp needs notify_mail_from and notify_mail_to");
      return 1;
    }
    if (!config.notify_smtp_password_file.empty()) {
      if (files::mode_of(config.notify_smtp_password_file) & 077) {
        LOG_ERROR("collector", config.notify_smtp_password_file.string()
                                   << " is readable by others; chmod 600 it");
        return 1;
      }
      auto password = files::read(config.notify_smtp_password_file);
      while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
        password.pop_back();
      notify.smtp_password = password;
    }
    notify.transport.ca_file = config.notify_ca_file.string();
    notify.unit_name = config.unit_name;
    notify.zone = zone;
    init_curl();
    notifier =
        std::make_unique<IncidentNotifier>(store, notify, [&cluster] { return cluster.leader(); });
    LOG_INFO("collector", "critical incidents are pushed"
                              << (notify.webhook_url.empty() ? "" : " to the webhook")
                              << (notify.smtp_url.empty() ? "" : " by e-mail"));
  }
  AgentListeners agent_listeners(config, pki, agent_service);
  agent_listeners.also_serve(&cascade_service);
  if (!agent_listeners.start_enrollment()) return 1;
  grpc::ServerBuilder agent_builder;
  int bound_port = 0;
  agent_listeners.add_agent_port(agent_builder, &bound_port);
  agent_builder.SetMaxReceiveMessageSize(static_cast<int>(validate::kMaxMessageBytes));
  agent_builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  agent_builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  agent_builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 30000);
  agent_builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // TLS frames of 4 KB instead of 16 KB: every connection keeps a frame buffer; 10,000 idle
  // agent streams hold about 110 MB less (tests/bench/load_generator), a report is a few frames.
  agent_builder.AddChannelArgument("grpc.tsi.max_frame_size", 4096);
  auto agent_server = agent_builder.BuildAndStart();
  if (!agent_server || bound_port == 0) {
    LOG_ERROR("collector",
              "cannot listen on " << config.listen << " (in use, or not an address here?)");
    return 1;
  }

  auto socket_path = config.admin_socket.empty() ? dir.admin_socket() : config.admin_socket;
  UnixSocketServer admin_server(socket_path, admin_service, 0600, static_cast<gid_t>(-1));
  admin_service.set_actor_source(
      [&](const std::string& peer) { return admin_server.caller(peer); });
  AdminServiceImpl auditor_service(store, registry, fleet, true);
  auditor_service.set_unit(unit);
  auditor_service.set_cascade(&cascade_store);
  auditor_service.set_exchange(&exchange);
  std::unique_ptr<UnixSocketServer> auditor_server;
  if (!config.audit_socket.empty()) {
    gid_t gid = static_cast<gid_t>(-1);
    if (!config.audit_group.empty()) {
      auto* g = getgrnam(config.audit_group.c_str());
      if (!g) {
        LOG_ERROR("collector", "audit_group '" << config.audit_group << "' does not exist");
        return 1;
      }
      gid = g->gr_gid;
    }
    auditor_server = std::make_unique<UnixSocketServer>(
        config.audit_socket, auditor_service, config.audit_group.empty() ? 0600 : 0660, gid);
    auditor_service.set_actor_source(
        [&](const std::string& peer) { return auditor_server->caller(peer); });
    LOG_INFO("collector",
             "read-only auditor socket "
                 << config.audit_socket.string()
                 << (config.audit_group.empty() ? std::string(" (owner only)")
                                                : " (group " + config.audit_group + ")"));
  }

  std::unique_ptr<prometheus::Exposer> exposer;
  auto metrics = std::make_shared<CollectorMetrics>(
      store, ingestor, registry,
      database.is_postgresql() ? std::filesystem::path() : dir.database());
  if (!config.metrics_listen.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(config.metrics_listen, 2);
    } catch (const std::exception& e) {
      LOG_ERROR("collector",
                "cannot serve metrics on " << config.metrics_listen << ": " << e.what());
      return 1;
    }
    exposer->RegisterCollectable(metrics);
    LOG_INFO("collector", "Prometheus metrics on http://" << config.metrics_listen << "/metrics");
  }

  LOG_INFO("collector", "warden-collector " << kVersion << " listening on " << config.listen
                                            << " (port " << bound_port << "), admin socket "
                                            << socket_path.string() << ", CA "
                                            << ca_fingerprint(dir));
  fleet.start();
  if (upstream_link) upstream_link->start();
  if (notifier) notifier->start();
  cluster.start({[&fleet](uint64_t sweep) { fleet.deliver_sweep(sweep); },
                 [&fleet] { fleet.push_policy_here(); }});
  if (cluster.shared())
    LOG_INFO("collector", "member " << cluster.id() << " of the collectors sharing the database");
  sd_notify(0, "READY=1");

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  LOG_INFO("collector", "stopping (signal " << sig << ")");
  sd_notify(0, "STOPPING=1");
  auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
  if (upstream_link) upstream_link->stop();
  if (notifier) notifier->stop();
  fleet.stop();
  cluster.stop();
  agent_server->Shutdown(deadline);
  admin_server.shutdown(deadline);
  if (auditor_server) auditor_server->shutdown(deadline);
  return 0;  // the Ingestor drains and commits what it holds as it is destroyed
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken by sigwait in serve(); block them before any thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  using i18n::tr;
  using i18n::trf;
  i18n::set_language(i18n::language_from_command_line(argc, argv));
  CLI::App app{tr("warden-collector: Warden's central collector and compliance database")};
  std::string lang_option;
  app.add_option("--lang", lang_option,
                 tr("Language of messages: zh-CN or en (default: the locale)"))
      ->check([](const std::string& v) {
        return i18n::parse_language(v) ? std::string() : tr("must be zh-CN or en");
      });
  app.set_version_flag("--version", kVersion);
  CollectorConfig config;
  std::string config_file, data_dir, listen, admin_socket, log_level, metrics_listen, audit_socket;
  std::string enroll_listen, time_zone, database;
  app.add_option("--config", config_file,
                 tr("Config file (key = value lines), then FILE.d/*.conf in name order"));
  app.add_option("--data-dir", data_dir, trf("Data directory (default {1})", kCollectorDataDir));
  app.add_option("--listen", listen,
                 tr("Address agents connect to, HOST:PORT (default 0.0.0.0:7443)"));
  app.add_option("--enroll-listen", enroll_listen,
                 tr("Serve enrollment only on HOST:PORT, or 'off'; the agent port then requires a "
                    "client certificate (default: enrollment on --listen)"));
  app.add_option("--admin-socket", admin_socket,
                 tr("Admin socket path (default <data-dir>/admin.sock)"));
  app.add_option("--audit-socket", audit_socket,
                 tr("Also serve a read-only admin socket for auditors here (default: none)"));
  app.add_option("--metrics-listen", metrics_listen,
                 tr("Serve Prometheus metrics on HOST:PORT (default: off)"));
  app.add_option("--database", database,
                 tr("Compliance database: postgresql://USER@HOST:PORT/DB, shared by several "
                    "collectors (default: SQLite in the data directory)"));
  app.add_option(
      "--time-zone", time_zone,
      tr("IANA time zone report days start in, e.g. Asia/Shanghai (default: the system's)"));
  app.add_option("--log-level", log_level, tr("debug, info, warn or error"))
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  auto* fp = app.add_subcommand("ca-fingerprint",
                                tr("Print the SHA256 fingerprint of the collector's CA"));
  std::string fp_dir;
  fp->add_option("--data-dir", fp_dir, tr("Data directory"));
  auto* backup = app.add_subcommand(
      "backup", tr("Copy the database (online: the collector keeps running), CA and keys to DIR"));
  std::string backup_dir, backup_out;
  backup->add_option("--data-dir", backup_dir, tr("Data directory"));
  backup->add_option("--output", backup_out, tr("New directory for the backup"))->required();
  auto* restore = app.add_subcommand(
      "restore", tr("Restore a backup into the data directory (stop the collector first)"));
  std::string restore_dir, restore_from, restore_owner;
  restore->add_option("--data-dir", restore_dir, tr("Data directory"));
  restore
      ->add_option("--from", restore_from,
                   tr("Backup directory (or a whole data directory, e.g. the one purge keeps)"))
      ->required();
  restore->add_option("--owner", restore_owner,
                      tr("User the restored files belong to (default: the owner of the data "
                         "directory replaced, else of the backup)"));
  auto* upstream = app.add_subcommand(
      "upstream", tr("This collector as a unit of the level above (cascade, docs/cascade.md)"));
  auto* upstream_enroll = upstream->add_subcommand(
      "enroll", tr("Enrol with the collector of the level above with a unit token"));
  std::string up_dir, up_address, up_token_file, up_fingerprint, up_name;
  bool up_force = false;
  upstream_enroll->add_option("--data-dir", up_dir, tr("Data directory"));
  upstream_enroll
      ->add_option("--upstream", up_address, tr("The level above's collector, HOST:PORT"))
      ->required();
  upstream_enroll
      ->add_option("--token-file", up_token_file,
                   tr("Read the unit token from FILE (`-`: standard input)"))
      ->required();
  upstream_enroll
      ->add_option("--ca-fingerprint", up_fingerprint,
                   tr("SHA256 fingerprint of the level above's CA (its `warden-collector "
                      "ca-fingerprint`)"))
      ->required();
  upstream_enroll->add_option("--unit-name", up_name, tr("This unit's name at the level above"))
      ->required();
  upstream_enroll->add_flag("--force", up_force, tr("Enrol again over existing credentials"));
  upstream->require_subcommand(1);
  CLI11_PARSE(app, argc, argv);

  try {
    if (!config_file.empty()) load_config(config_file, config);
    if (!data_dir.empty()) config.data_dir = data_dir;
    if (!listen.empty()) config.listen = listen;
    if (!enroll_listen.empty()) config.enroll_listen = parse_enroll_listen(enroll_listen);
    if (!admin_socket.empty()) config.admin_socket = admin_socket;
    if (!log_level.empty()) config.log_level = log_level;
    if (!metrics_listen.empty()) config.metrics_listen = metrics_listen;
    if (!audit_socket.empty()) config.audit_socket = audit_socket;
    if (!database.empty()) config.database = parse_database(database, "--database: ");
    if (!time_zone.empty()) {
      if (auto zone = TimeZone::named(time_zone); !zone)
        throw std::invalid_argument("--time-zone: " + zone.error().message);
      config.time_zone = time_zone;
    }
    if (config.data_dir.empty()) config.data_dir = kCollectorDataDir;
    if (*fp) {
      std::cout << ca_fingerprint(
                       DataDir{fp_dir.empty() ? config.data_dir : std::filesystem::path(fp_dir)})
                << "\n";
      return 0;
    }
    if (*backup) {
      if (!config.database.empty())
        throw std::runtime_error(
            "the compliance database is on PostgreSQL: back it up with pg_dump "
            "(docs/operations.md); "
            "`backup` copies the embedded SQLite database");
      auto s = create_backup(
          DataDir{backup_dir.empty() ? config.data_dir : std::filesystem::path(backup_dir)},
          backup_out);
      std::cout << trf("backup written to {1}: {2} hosts, {3} bytes of database (schema {4}), "
                       "verified",
                       s.path.string(), s.hosts, s.database_bytes, s.schema_version)
                << "\n";
      return 0;
    }
    if (*upstream_enroll) {
      UpstreamEnrollOptions o;
      o.upstream = up_address;
      o.token = enrollment::read_enrollment_token(up_token_file);
      o.ca_fingerprint = up_fingerprint;
      o.unit_name = up_name;
      o.force = up_force;
      auto u = enroll_upstream(up_dir.empty() ? config.data_dir : std::filesystem::path(up_dir), o);
      std::cout << trf("enrolled as unit '{1}' ({2}) of the level above at {3}; restart the "
                       "collector to start forwarding",
                       u.unit_name, u.unit_id, u.address)
                << "\n";
      return 0;
    }
    if (*restore) {
      DataDir target{restore_dir.empty() ? config.data_dir : std::filesystem::path(restore_dir)};
      auto aside = restore_backup(restore_from, target, restore_owner);
      std::cout << trf("restored {1} into {2}", restore_from, target.root.string());
      if (!aside.empty())
        std::cout << trf("; the previous data directory is kept at {1}", aside.string());
      std::cout << "\n";
      return 0;
    }
    return serve(config);
  } catch (const std::exception& e) {
    std::cerr << "warden-collector: " << e.what() << "\n";
    return 1;
  }
}
