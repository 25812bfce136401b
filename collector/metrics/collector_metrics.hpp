// The collector's Prometheus metrics, computed when scraped (no background bookkeeping): connected
// agents, ingest counters and queue depth, database size, the latest sweep's progress.
// Served over HTTP by prometheus-cpp's Exposer when `metrics_listen` is configured.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <filesystem>

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/session_registry.hpp"

namespace warden::collector {

class CollectorMetrics : public prometheus::Collectable {
 public:
  CollectorMetrics(Store& store, const Ingestor& ingestor, const SessionRegistry& registry,
                   std::filesystem::path database)
      : store_(store), ingestor_(ingestor), registry_(registry), database_(std::move(database)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  Store& store_;
  const Ingestor& ingestor_;
  const SessionRegistry& registry_;
  std::filesystem::path database_;
};

}  // namespace warden::collector
