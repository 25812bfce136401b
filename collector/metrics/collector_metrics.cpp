#include "collector/metrics/collector_metrics.hpp"

#include "common/log.hpp"
#include "common/version.hpp"

namespace warden::collector {

namespace {

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily f{name, help, type, {}};
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter)
    m.counter.value = value;
  else
    m.gauge.value = value;
  f.metric.push_back(m);
  return f;
}

prometheus::MetricFamily gauge(const char* name, const char* help, double value) {
  return family(name, help, prometheus::MetricType::Gauge, value);
}

prometheus::MetricFamily counter(const char* name, const char* help, double value) {
  return family(name, help, prometheus::MetricType::Counter, value);
}

double file_bytes(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0.0 : static_cast<double>(n);
}

}  // namespace

std::vector<prometheus::MetricFamily> CollectorMetrics::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  auto info = gauge("warden_collector_info", "Version of this collector", 1);
  info.metric[0].label.push_back({"version", kVersion});
  out.push_back(info);
  out.push_back(gauge("warden_agents_connected", "Agents with an open session",
                      static_cast<double>(registry_.size())));

  auto s = ingestor_.stats();
  out.push_back(counter("warden_ingest_messages_total",
                        "Reports and events committed to the database",
                        static_cast<double>(s.messages)));
  out.push_back(counter("warden_ingest_findings_total", "Findings committed to the database",
                        static_cast<double>(s.findings)));
  out.push_back(counter("warden_ingest_duplicates_total",
                        "Resent messages dropped because they were already committed",
                        static_cast<double>(s.duplicates)));
  out.push_back(counter("warden_ingest_rejected_total",
                        "Messages that failed validation (kept as warden.rejected events)",
                        static_cast<double>(s.rejected)));
  out.push_back(counter("warden_ingest_batches_total", "Database transactions of the ingest path",
                        static_cast<double>(s.batches)));
  out.push_back(counter("warden_ingest_retries_total",
                        "Batches rolled back and retried (database locked or disk full)",
                        static_cast<double>(s.retries)));
  out.push_back(gauge("warden_ingest_queue_depth", "Messages received but not yet committed",
                      static_cast<double>(ingestor_.queue_depth())));

  if (!database_.empty()) {  // the embedded SQLite file; PostgreSQL has its own exporters
    auto wal = database_;
    wal += "-wal";
    out.push_back(gauge("warden_database_size_bytes", "Compliance database size, with its WAL",
                        file_bytes(database_) + file_bytes(wal)));
  }

  try {
    auto sweeps = store_.list_sweeps(1);
    double id = 0, expected = 0, answered = 0;
    if (!sweeps.empty()) {
      id = static_cast<double>(sweeps[0].id);
      expected = sweeps[0].expected;
      answered = sweeps[0].answered;
    }
    out.push_back(gauge("warden_sweep_last_id", "ID of the latest sweep", id));
    out.push_back(gauge("warden_sweep_last_expected", "Hosts the latest sweep asked", expected));
    out.push_back(
        gauge("warden_sweep_last_answered", "Hosts that answered the latest sweep", answered));
  } catch (const std::exception& e) {
    LOG_WARN("metrics", "sweep progress unavailable: " << e.what());
  }
  return out;
}

}  // namespace warden::collector
