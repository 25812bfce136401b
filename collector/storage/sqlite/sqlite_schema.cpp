#include "collector/storage/schema.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace warden::storage::detail {

namespace {

// Each entry moves the schema from version i to i+1. Never edit a released migration: add one.
constexpr std::array<const char*, 9> kMigrations = {
    // 1: the foundation schema.
    R"sql(
CREATE TABLE enrollment_tokens (
  id          TEXT PRIMARY KEY,          -- public part of the token
  secret_hash BLOB NOT NULL,             -- SHA-256 of the secret part
  department  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,          -- Unix ms
  created_by  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  max_uses    INTEGER NOT NULL,
  uses        INTEGER NOT NULL DEFAULT 0,
  revoked     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE hosts (
  id             INTEGER PRIMARY KEY,
  agent_id       TEXT NOT NULL UNIQUE,   -- the CN of the agent's certificate
  hostname       TEXT NOT NULL,
  department     TEXT NOT NULL,
  os_id          TEXT NOT NULL DEFAULT '',
  os_name        TEXT NOT NULL DEFAULT '',
  os_version     TEXT NOT NULL DEFAULT '',
  kernel         TEXT NOT NULL DEFAULT '',
  arch           TEXT NOT NULL DEFAULT '',
  machine_id     TEXT NOT NULL DEFAULT '',
  agent_version  TEXT NOT NULL DEFAULT '',
  cert_serial    TEXT NOT NULL,
  cert_not_after INTEGER NOT NULL,
  token_id       TEXT,
  enrolled_at    INTEGER NOT NULL,
  first_seen     INTEGER,
  last_seen      INTEGER,
  last_report_at INTEGER,
  peer_address   TEXT NOT NULL DEFAULT '',
  last_seq       INTEGER NOT NULL DEFAULT 0, -- highest committed agent sequence number
  facts_json     TEXT NOT NULL DEFAULT '{}',
  revoked        INTEGER NOT NULL DEFAULT 0,
  revoked_at     INTEGER
);
CREATE INDEX hosts_hostname ON hosts(hostname);
CREATE INDEX hosts_department ON hosts(department);

CREATE TABLE latest_results (
  host_id       INTEGER NOT NULL REFERENCES hosts(id),
  check_id      TEXT NOT NULL,
  status        TEXT NOT NULL,            -- pass | fail | error | not_applicable
  severity      TEXT NOT NULL,            -- info | low | medium | high | critical
  summary       TEXT NOT NULL,
  evidence_json TEXT NOT NULL,
  since         INTEGER NOT NULL,         -- when the current status began (Unix ms)
  updated_at    INTEGER NOT NULL,         -- when it was last reported
  sweep_id      INTEGER,
  PRIMARY KEY (host_id, check_id)
) WITHOUT ROWID;
CREATE INDEX latest_results_check_status ON latest_results(check_id, status);
CREATE INDEX latest_results_status ON latest_results(status, host_id);

CREATE TABLE status_history (            -- transitions only
  id          INTEGER PRIMARY KEY,
  host_id     INTEGER NOT NULL REFERENCES hosts(id),
  check_id    TEXT NOT NULL,
  from_status TEXT,                      -- NULL for the first result
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  sweep_id    INTEGER,
  summary     TEXT NOT NULL
);
CREATE INDEX status_history_host ON status_history(host_id, check_id, at);
CREATE INDEX status_history_at ON status_history(at);

CREATE TABLE reports (                   -- one row per report message (exactly once)
  id             INTEGER PRIMARY KEY,
  host_id        INTEGER NOT NULL REFERENCES hosts(id),
  seq            INTEGER NOT NULL,
  sweep_id       INTEGER,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER NOT NULL,
  received_at    INTEGER NOT NULL,
  findings_count INTEGER NOT NULL,
  failing_count  INTEGER NOT NULL,
  policy_version INTEGER NOT NULL DEFAULT 0,
  UNIQUE (host_id, seq)
);
CREATE INDEX reports_received ON reports(received_at);

CREATE TABLE events (                    -- one row per event message (exactly once)
  id          INTEGER PRIMARY KEY,
  host_id     INTEGER NOT NULL REFERENCES hosts(id),
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  at          INTEGER NOT NULL,          -- agent clock
  received_at INTEGER NOT NULL,          -- collector clock
  data_json   TEXT NOT NULL,
  UNIQUE (host_id, seq)
);
CREATE INDEX events_at ON events(at);
CREATE INDEX events_host ON events(host_id, at);

CREATE TABLE sweeps (
  id           INTEGER PRIMARY KEY,
  requested_at INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  kind         TEXT NOT NULL DEFAULT 'manual'  -- manual | scheduled
);

CREATE TABLE sweep_targets (             -- the hosts a sweep expects, and when each answered
  sweep_id    INTEGER NOT NULL REFERENCES sweeps(id),
  host_id     INTEGER NOT NULL REFERENCES hosts(id),
  answered_at INTEGER,
  PRIMARY KEY (sweep_id, host_id)
) WITHOUT ROWID;
)sql",
    // 2: the compliance engine: organisation, policy, ledger, removable media, audit.
    R"sql(
ALTER TABLE hosts ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN classification TEXT NOT NULL DEFAULT 'general'
  CHECK (classification IN ('general', 'classified'));
ALTER TABLE hosts ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 0;  -- what the agent has
ALTER TABLE status_history ADD COLUMN severity TEXT NOT NULL DEFAULT '';
ALTER TABLE status_history ADD COLUMN evidence_json TEXT NOT NULL DEFAULT '{}';
CREATE INDEX hosts_last_seen ON hosts(last_seen);

CREATE TABLE policies (                  -- one override document per department ('' = root)
  department  TEXT PRIMARY KEY,
  document    TEXT NOT NULL,             -- JSON object, validated before it is stored
  revision    INTEGER NOT NULL,          -- global revision at which it last changed
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO settings (key, value) VALUES ('policy_revision', '0');

CREATE TABLE ledger (                    -- names, IPs and MACs assigned centrally
  hostname       TEXT PRIMARY KEY,
  ip             TEXT NOT NULL,
  mac            TEXT NOT NULL,          -- lowercase aa:bb:cc:dd:ee:ff
  department     TEXT NOT NULL DEFAULT '',
  owner          TEXT NOT NULL DEFAULT '',
  classification TEXT NOT NULL DEFAULT 'general' CHECK (classification IN ('general', 'classified')),
  updated_at     INTEGER NOT NULL
);
CREATE INDEX ledger_ip ON ledger(ip);
CREATE INDEX ledger_mac ON ledger(mac);

CREATE TABLE host_addresses (            -- what each host last reported (and connects from)
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ip      TEXT NOT NULL,
  mac     TEXT NOT NULL,
  PRIMARY KEY (host_id, ip, mac)
) WITHOUT ROWID;
CREATE INDEX host_addresses_ip ON host_addresses(ip);
CREATE INDEX host_addresses_mac ON host_addresses(mac);

CREATE TABLE usb_devices (               -- the removable media registry
  vendor_id      TEXT NOT NULL,
  product_id     TEXT NOT NULL,
  serial         TEXT NOT NULL,
  classification TEXT NOT NULL CHECK (classification IN ('general', 'classified')),
  owner          TEXT NOT NULL,
  registered_at  INTEGER NOT NULL,
  registered_by  TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (vendor_id, product_id, serial)
) WITHOUT ROWID;

CREATE TABLE usb_sightings (             -- every host a storage device was seen on, and when
  vendor_id      TEXT NOT NULL,
  product_id     TEXT NOT NULL,
  serial         TEXT NOT NULL,
  host_id        INTEGER NOT NULL REFERENCES hosts(id),
  classification TEXT NOT NULL,          -- the host's classification at the time
  first_seen     INTEGER NOT NULL,
  last_seen      INTEGER NOT NULL,
  PRIMARY KEY (vendor_id, product_id, serial, host_id, classification)
) WITHOUT ROWID;
CREATE INDEX usb_sightings_host ON usb_sightings(host_id);

CREATE TABLE audit_log (                 -- every admin action
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  details TEXT NOT NULL                  -- JSON object
);
CREATE INDEX audit_log_at ON audit_log(at);

ALTER TABLE sweeps ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE sweep_targets ADD COLUMN online INTEGER NOT NULL DEFAULT 1;  -- 0: catch up on return
CREATE INDEX sweep_targets_pending ON sweep_targets(host_id, answered_at);
CREATE INDEX latest_results_host_status ON latest_results(host_id, status);
)sql",
    // 3 (0.2): agent certificate renewal. A renewed certificate is "next" until the agent first
    // connects with it; until then the current one keeps working, so a lost answer locks no one
    // out.
    R"sql(
ALTER TABLE hosts ADD COLUMN next_cert_serial TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN next_cert_not_after INTEGER NOT NULL DEFAULT 0;
)sql",
    // 4 (0.2): queries that stay fast at fleet scale. What `status`, `hosts` and the report used
    // to compute from every current result on each call is kept up to date instead: by the
    // Ingestor (the only writer of current results) once per batch, and by triggers for the rare
    // other changes (revocation, a deleted result), so the summaries are always exact.
    R"sql(
-- The checks a host currently fails, sorted, comma separated ('' when it fails none).
ALTER TABLE hosts ADD COLUMN failing_checks TEXT NOT NULL DEFAULT '';

-- How many hosts that are not revoked have each status for each check, per department.
CREATE TABLE result_counts (
  department TEXT NOT NULL,
  check_id   TEXT NOT NULL,
  status     TEXT NOT NULL,
  hosts      INTEGER NOT NULL,
  PRIMARY KEY (department, check_id, status)
) WITHOUT ROWID;
-- (Both are filled from latest_results by rebuild_query_summaries right after this migration.)

-- Revoking takes a host's results out of the counts (un-revoking puts them back), moving it to
-- another department moves them; a deleted result leaves both summaries.
CREATE TRIGGER hosts_counted_revocation AFTER UPDATE OF revoked ON hosts
WHEN OLD.revoked IS NOT NEW.revoked
BEGIN
  INSERT INTO result_counts (department, check_id, status, hosts)
    SELECT CASE WHEN NEW.revoked = 0 THEN NEW.department ELSE OLD.department END, check_id,
      status, CASE WHEN NEW.revoked = 0 THEN count(*) ELSE -count(*) END
    FROM latest_results WHERE host_id = NEW.id GROUP BY check_id, status
    ON CONFLICT (department, check_id, status) DO UPDATE SET hosts = hosts + excluded.hosts;
END;
CREATE TRIGGER hosts_counted_move AFTER UPDATE OF department ON hosts
WHEN OLD.department IS NOT NEW.department AND OLD.revoked = 0 AND NEW.revoked = 0
BEGIN
  INSERT INTO result_counts (department, check_id, status, hosts)
    SELECT OLD.department, check_id, status, -count(*) FROM latest_results
    WHERE host_id = NEW.id GROUP BY check_id, status
    ON CONFLICT (department, check_id, status) DO UPDATE SET hosts = hosts + excluded.hosts;
  INSERT INTO result_counts (department, check_id, status, hosts)
    SELECT NEW.department, check_id, status, count(*) FROM latest_results
    WHERE host_id = NEW.id GROUP BY check_id, status
    ON CONFLICT (department, check_id, status) DO UPDATE SET hosts = hosts + excluded.hosts;
END;
CREATE TRIGGER latest_results_summaries_delete AFTER DELETE ON latest_results
BEGIN
  UPDATE result_counts SET hosts = hosts - 1 WHERE check_id = OLD.check_id AND status = OLD.status
    AND department = (SELECT department FROM hosts WHERE id = OLD.host_id AND revoked = 0);
  UPDATE hosts SET failing_checks = coalesce((SELECT group_concat(check_id, ',') FROM (
    SELECT check_id FROM latest_results WHERE host_id = OLD.host_id AND status = 'fail'
    ORDER BY check_id)), '') WHERE id = OLD.host_id AND OLD.status = 'fail';
END;

-- The latest facts of each host, apart from its row: they are tens of kilobytes (the pending
-- updates list), written only when they change, and every scan of hosts stays small.
CREATE TABLE host_facts (
  host_id     INTEGER PRIMARY KEY REFERENCES hosts(id),
  facts_json  TEXT NOT NULL,
  reported_at INTEGER NOT NULL              -- the report that brought this content
);
INSERT INTO host_facts (host_id, facts_json, reported_at)
  SELECT id, facts_json, coalesce(last_report_at, enrolled_at) FROM hosts WHERE facts_json <> '{}';
ALTER TABLE hosts DROP COLUMN facts_json;

-- The report's remediation rate reads history from its indexes alone: when each failure in the
-- period began, and when (if) the same check on the same host next stopped failing.
DROP INDEX status_history_host;
CREATE INDEX status_history_host ON status_history(host_id, check_id, at, to_status);
DROP INDEX status_history_at;
CREATE INDEX status_history_at ON status_history(at, to_status, host_id, check_id);

-- The report's trend: per UTC day (of receipt) and department the host was in, how many reports
-- came and what they held. Kept by the Ingestor, so the trend of a year costs a few hundred rows.
CREATE TABLE report_days (
  day        INTEGER NOT NULL,            -- received_at / 86400000
  department TEXT NOT NULL,
  reports    INTEGER NOT NULL,
  findings   INTEGER NOT NULL,
  failing    INTEGER NOT NULL,
  PRIMARY KEY (day, department)
) WITHOUT ROWID;
-- (Filled from the reports kept so far by rebuild_query_summaries right after this migration.)
)sql",
    // 5 (0.3): the catalogue summary variant of each result (Finding.summary_key), so readers
    // render the summary again in their own language.
    R"sql(
ALTER TABLE latest_results ADD COLUMN summary_key TEXT NOT NULL DEFAULT '';
ALTER TABLE status_history ADD COLUMN summary_key TEXT NOT NULL DEFAULT '';
-- The report's scope (which hosts reported in the period) from the index alone.
DROP INDEX reports_received;
CREATE INDEX reports_received ON reports(received_at, host_id);
)sql",
    // 6 (0.4): several collectors on one database (used on PostgreSQL; an SQLite database has one
    // collector, which keeps its sessions in memory and leaves these empty).
    R"sql(
CREATE TABLE collectors (                -- every collector process serving this database
  id           TEXT PRIMARY KEY,         -- random per process start
  address      TEXT NOT NULL,            -- where agents reach it (its listen address)
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,         -- a collector silent for six heartbeats is gone
  leader       INTEGER NOT NULL DEFAULT 0 -- holds the fleet's leadership (scheduler, retention)
);
CREATE TABLE agent_sessions (            -- which collector each connected agent is on
  host_id      INTEGER PRIMARY KEY REFERENCES hosts(id),
  collector_id TEXT NOT NULL,
  connected_at INTEGER NOT NULL
);
CREATE INDEX agent_sessions_collector ON agent_sessions(collector_id);
)sql",
    // 7 (0.5): the problem list with remediation items (整改措施) and what admins fill in about
    // an incident.
    R"sql(
CREATE TABLE remediation_items (         -- a measure for one failing host/check
  id         INTEGER PRIMARY KEY,
  host_id    INTEGER NOT NULL REFERENCES hosts(id),
  check_id   TEXT NOT NULL,
  measure    TEXT NOT NULL,              -- 整改措施
  person     TEXT NOT NULL,              -- the person responsible
  deadline   INTEGER NOT NULL,           -- Unix ms: the local day after the deadline date begins
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  note       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at  INTEGER,
  created_by TEXT NOT NULL,
  closed_by  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX remediation_items_open ON remediation_items(host_id, check_id)
  WHERE status = 'open';                 -- at most one open item per host and check
CREATE INDEX remediation_items_status ON remediation_items(status, deadline);

CREATE TABLE incident_details (          -- an incident (status_history row) as admins filled it
  history_id  INTEGER PRIMARY KEY,       -- status_history.id (pruned with it, by `at`)
  at          INTEGER NOT NULL,          -- the incident's time (status_history.at)
  location    TEXT NOT NULL DEFAULT '',
  service     TEXT NOT NULL DEFAULT '',
  impact      TEXT NOT NULL DEFAULT '',
  cause       TEXT NOT NULL DEFAULT '',
  handling    TEXT NOT NULL DEFAULT '',
  reporter    TEXT NOT NULL DEFAULT '',
  reported_at INTEGER,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL
);
CREATE INDEX incident_details_at ON incident_details(at);
)sql",
    // 8 (0.5): the cascade of collectors (docs/cascade.md). Tokens get a kind; the level above
    // keeps its units and what they forward; a unit keeps what it has forwarded.
    R"sql(
ALTER TABLE enrollment_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'agent'
  CHECK (kind IN ('agent', 'unit'));
CREATE TABLE units (                     -- collectors of the level below, enrolled here
  id              INTEGER PRIMARY KEY,
  unit_id         TEXT NOT NULL UNIQUE,  -- the CN of its certificate
  name            TEXT NOT NULL UNIQUE,
  department      TEXT NOT NULL,
  token_id        TEXT,
  cert_serial     TEXT NOT NULL,
  enrolled_at     INTEGER NOT NULL,
  last_contact_at INTEGER,
  last_seq        INTEGER NOT NULL DEFAULT 0,
  revoked         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE unit_members (              -- a unit and the units below it, as it forwards them
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  origin          TEXT NOT NULL,         -- '' the unit itself, else the path below it
  name            TEXT NOT NULL,
  ledger_hosts    INTEGER NOT NULL DEFAULT 0,
  last_contact_at INTEGER,
  PRIMARY KEY (unit_id, origin)
);
CREATE TABLE unit_hosts (                -- each forwarded host's current state
  unit_id        INTEGER NOT NULL REFERENCES units(id),
  origin         TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  hostname       TEXT NOT NULL,
  department     TEXT NOT NULL DEFAULT '',
  owner          TEXT NOT NULL DEFAULT '',
  ip             TEXT NOT NULL DEFAULT '',
  mac            TEXT NOT NULL DEFAULT '',
  os_name        TEXT NOT NULL DEFAULT '',
  classification TEXT NOT NULL DEFAULT '',
  online         INTEGER NOT NULL DEFAULT 0,
  last_report_at INTEGER NOT NULL DEFAULT 0,
  revoked        INTEGER NOT NULL DEFAULT 0,
  passing        INTEGER NOT NULL DEFAULT 0,
  failing        INTEGER NOT NULL DEFAULT 0,
  errors         INTEGER NOT NULL DEFAULT 0,
  failing_checks TEXT NOT NULL DEFAULT '', -- comma-separated, sorted
  seq            INTEGER NOT NULL,       -- the batch that last set it (an older one cannot undo it)
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (unit_id, origin, agent_id)
);
CREATE TABLE unit_results (              -- each forwarded host's latest result per check
  unit_id  INTEGER NOT NULL,
  origin   TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  check_id TEXT NOT NULL,
  status   TEXT NOT NULL,
  PRIMARY KEY (unit_id, origin, agent_id, check_id)
);
CREATE TABLE unit_check_counts (
  unit_id  INTEGER NOT NULL,
  origin   TEXT NOT NULL,
  check_id TEXT NOT NULL,
  status   TEXT NOT NULL,
  hosts    INTEGER NOT NULL DEFAULT 0,   -- live hosts with this latest status (the report's)
  PRIMARY KEY (unit_id, origin, check_id, status)
);
CREATE TABLE unit_incidents (
  id          INTEGER PRIMARY KEY,
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  origin      TEXT NOT NULL,
  source_id   INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  agent_id    TEXT NOT NULL,
  hostname    TEXT NOT NULL,
  ip          TEXT NOT NULL DEFAULT '',
  mac         TEXT NOT NULL DEFAULT '',
  owner       TEXT NOT NULL DEFAULT '',
  department  TEXT NOT NULL DEFAULT '',
  os          TEXT NOT NULL DEFAULT '',
  check_id    TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  UNIQUE (unit_id, origin, source_id)
);
CREATE TABLE unit_sweeps (
  unit_id          INTEGER NOT NULL REFERENCES units(id),
  origin           TEXT NOT NULL,
  sweep_id         INTEGER NOT NULL,
  requested_at     INTEGER NOT NULL,
  requested_by     TEXT NOT NULL DEFAULT '',
  kind             TEXT NOT NULL DEFAULT '',
  targets          INTEGER NOT NULL DEFAULT 0,
  answered         INTEGER NOT NULL DEFAULT 0,
  offline          INTEGER NOT NULL DEFAULT 0,
  upper_request_id INTEGER NOT NULL DEFAULT 0,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (unit_id, origin, sweep_id)
);
CREATE TABLE unit_sweep_requests (       -- sweeps asked of a unit, until it reports one
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  origin       TEXT NOT NULL,
  kind         TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  done_at      INTEGER
);
CREATE TABLE upstream_forwarded (        -- on a unit: what the level above has acknowledged
  key    TEXT PRIMARY KEY,               -- 'host:<origin>/<agent id>', 'sweep:...', 'member:...'
  digest TEXT NOT NULL
);
CREATE TABLE upstream_state (
  id                   INTEGER PRIMARY KEY CHECK (id = 1),
  seq                  INTEGER NOT NULL DEFAULT 0,  -- last acknowledged batch
  incident_cursor      INTEGER NOT NULL DEFAULT 0,  -- status_history.id forwarded up to
  unit_incident_cursor INTEGER NOT NULL DEFAULT 0,  -- unit_incidents.id forwarded up to
  acked_at             INTEGER
);
INSERT INTO upstream_state (id) VALUES (1);
CREATE TABLE upstream_requests (         -- sweeps the level above asked of this unit
  request_id INTEGER PRIMARY KEY,
  origin     TEXT NOT NULL,
  kind       TEXT NOT NULL,
  sweep_id   INTEGER,                    -- the sweep started for it (origin ''), once started
  relayed_id INTEGER                     -- the unit_sweep_requests row it became (a path)
);
)sql",
    // 9 (0.6): offline exchange between isolated networks (docs/exchange.md).
    R"sql(
CREATE TABLE exchange_peers (            -- collectors this one exchanges bundles with
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  fingerprint     TEXT NOT NULL UNIQUE,  -- 'SHA256:<hex>' of its exchange certificate, pinned
  certificate_pem TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('unit', 'upper', 'peer')),
  department      TEXT NOT NULL DEFAULT '',
  unit_ref        INTEGER REFERENCES units(id),  -- role 'unit': the unit its batches apply to
  added_at        INTEGER NOT NULL,
  exported_seq    INTEGER NOT NULL DEFAULT 0,    -- the last bundle sealed for it
  imported_seq    INTEGER NOT NULL DEFAULT 0,    -- the last bundle applied from it
  imported_digest TEXT NOT NULL DEFAULT '',      -- SHA-256 of that bundle's content
  imported_at     INTEGER
);
CREATE TABLE foreign_usb (               -- drives as the peers' networks know them
  vendor_id        TEXT NOT NULL,
  product_id       TEXT NOT NULL,
  serial           TEXT NOT NULL,
  peer_id          INTEGER NOT NULL REFERENCES exchange_peers(id),
  registered_class TEXT NOT NULL,        -- '' not in that network's registry
  classes_seen     TEXT NOT NULL,        -- host classifications it was used on there, ','-joined
  first_seen       INTEGER NOT NULL,
  last_seen        INTEGER NOT NULL,
  PRIMARY KEY (vendor_id, product_id, serial, peer_id)
);
-- Incident details filled in at a unit go up with its incidents, and again when they change.
ALTER TABLE unit_incidents ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN impact TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN handling TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN reporter TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_incidents ADD COLUMN reported_at INTEGER;
ALTER TABLE unit_incidents ADD COLUMN details_updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_incidents ADD COLUMN details_received_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX unit_incidents_details ON unit_incidents(details_received_at);
CREATE INDEX incident_details_updated ON incident_details(updated_at);
ALTER TABLE upstream_state ADD COLUMN details_cursor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE upstream_state ADD COLUMN unit_details_cursor INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

int sqlite_schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate_sqlite(Connection& db, int target) {
  int current = current_schema_version(db);
  if (current > schema_version())
    throw std::runtime_error("database schema version " + std::to_string(current) +
                             " is newer than this collector understands (" +
                             std::to_string(schema_version()) + "); upgrade the collector");
  for (int v = current; v < target && v < schema_version(); ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<size_t>(v)]);
    if (v + 1 == 4) rebuild_query_summaries_sqlite(db);  // migration 4 introduced them
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
}

void rebuild_query_summaries_sqlite(Connection& db) {
  db.exec(R"sql(
UPDATE hosts SET failing_checks = coalesce((SELECT group_concat(check_id, ',') FROM (
  SELECT check_id FROM latest_results r WHERE r.host_id = hosts.id AND r.status = 'fail'
  ORDER BY check_id)), '');
DELETE FROM result_counts;
INSERT INTO result_counts (department, check_id, status, hosts)
  SELECT h.department, r.check_id, r.status, count(*) FROM latest_results r
  JOIN hosts h ON h.id = r.host_id WHERE h.revoked = 0 GROUP BY 1, 2, 3;
DELETE FROM report_days;
-- Counted in UTC days here: the collector counts them again in its time zone at start
-- (Store::count_report_days_in).
DELETE FROM settings WHERE key = 'report_days_time_zone';
INSERT INTO report_days (day, department, reports, findings, failing)
  SELECT r.received_at / 86400000, h.department, count(*), sum(r.findings_count),
    sum(r.failing_count) FROM reports r JOIN hosts h ON h.id = r.host_id GROUP BY 1, 2;
)sql");
}

}  // namespace warden::storage::detail
