#include "collector/wardenctl/engine_commands.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include "collector/wardenctl/output.hpp"
#include "collector/wardenctl/report_render.hpp"
#include "common/files.hpp"
#include "common/text.hpp"

namespace warden::ctl {

namespace {

struct Args {
  // ledger
  std::string file, out, host, ip, mac, department, owner, classification;
  // usb
  std::string serial, vendor, product, usb_class, note;
  // policy
  std::vector<std::string> assignments;
  bool effective = false, merge = false;
  // events / incidents / audit / report
  std::string since = "7d", kind, from, to, format = "json";
  uint32_t limit = 0;
};

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  auto text = files::read_if_exists(path, 64u << 20);
  if (!text) throw std::runtime_error("cannot read " + path);
  return *text;
}

void write_output(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    std::cout << data;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << data;
  std::cerr << "wrote " << path << "\n";
}

json ledger_json(const v1::LedgerEntry& e) {
  return {{"hostname", e.hostname()}, {"ip", e.ip()},
          {"mac", e.mac()},           {"department", e.department()},
          {"owner", e.owner()},       {"classification", e.classification()}};
}

json usb_json(const v1::UsbDevice& d) {
  return {{"vendor_id", d.vendor_id()},
          {"product_id", d.product_id()},
          {"serial", d.serial()},
          {"classification", d.classification()},
          {"owner", d.owner()},
          {"note", d.note()},
          {"registered_at", format_time_utc(d.registered_at_ms())},
          {"registered_by", d.registered_by()}};
}

int64_t since_arg(const std::string& text) {
  return now_ms() - duration_arg(text, "--since").count() * 1000;
}

}  // namespace

std::function<std::optional<int>()> add_engine_commands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<Args>();
  auto json_flag = [&ctx](CLI::App* sub) {
    sub->add_flag("--json", ctx.as_json, "Machine-readable JSON output");
  };

  // ---- assign ----
  auto* assign =
      app.add_subcommand("assign", "Move a host to a department, set its owner or classification");
  assign->add_option("HOST", a->host, "Agent ID or hostname")->required();
  auto* opt_dept = assign->add_option("--department", a->department, "Department (A/B/C)");
  auto* opt_owner = assign->add_option("--owner", a->owner, "Person responsible for the PC");
  auto* opt_class =
      assign->add_option("--classification", a->classification, "general or classified");
  json_flag(assign);

  // ---- ledger ----
  auto* ledger =
      app.add_subcommand("ledger", "The IP/MAC ledger: names, IPs and MACs assigned centrally");
  ledger->require_subcommand(1);
  auto* l_import =
      ledger->add_subcommand("import", "Replace the ledger with a CSV file (UTF-8 or GB18030)");
  l_import->add_option("FILE", a->file, "CSV with hostname,ip,mac,department,owner,classification")
      ->required();
  json_flag(l_import);
  auto* l_export = ledger->add_subcommand("export", "Write the ledger as CSV (UTF-8 with BOM)");
  l_export->add_option("-o,--output", a->out, "File (default: standard output)");
  auto* l_list = ledger->add_subcommand("list", "Show the ledger");
  json_flag(l_list);
  auto* l_set = ledger->add_subcommand("set", "Add or change one host's assignment");
  l_set->add_option("HOSTNAME", a->host)->required();
  l_set->add_option("--ip", a->ip)->required();
  l_set->add_option("--mac", a->mac)->required();
  l_set->add_option("--department", a->department);
  l_set->add_option("--owner", a->owner);
  l_set->add_option("--classification", a->classification);
  json_flag(l_set);
  auto* l_remove = ledger->add_subcommand("remove", "Remove one host from the ledger");
  l_remove->add_option("HOSTNAME", a->host)->required();

  // ---- usb ----
  auto* usb = app.add_subcommand("usb", "The removable media registry");
  usb->require_subcommand(1);
  auto* u_reg = usb->add_subcommand("register", "Register a USB drive");
  u_reg->add_option("SERIAL", a->serial)->required();
  u_reg->add_option("--vendor-id", a->vendor, "4 hex digits, e.g. 0781")->required();
  u_reg->add_option("--product-id", a->product, "4 hex digits")->required();
  u_reg->add_option("--class", a->usb_class, "classified or general")->required();
  u_reg->add_option("--owner", a->owner)->required();
  u_reg->add_option("--note", a->note);
  json_flag(u_reg);
  auto* u_list = usb->add_subcommand("list", "List registered drives");
  json_flag(u_list);
  auto* u_hist = usb->add_subcommand("history", "Every host a drive was seen on, and when");
  u_hist->add_option("SERIAL", a->serial)->required();
  json_flag(u_hist);

  // ---- policy ----
  auto* policy = app.add_subcommand("policy", "Per-department policy, inherited down the tree");
  policy->require_subcommand(1);
  auto* p_show = policy->add_subcommand("show", "Show a department's overrides (or --effective)");
  p_show->add_option("--department", a->department, "Department (default: the root)");
  p_show->add_flag("--effective", a->effective, "What hosts there get, after inheritance");
  json_flag(p_show);
  auto* p_set =
      policy->add_subcommand("set", "Change keys: policy set antivirus.signature_max_age_days=3");
  p_set->add_option("KEY=VALUE", a->assignments)->required();
  p_set->add_option("--department", a->department, "Department (default: the root)");
  json_flag(p_set);
  auto* p_import =
      policy->add_subcommand("import", "Replace a department's document with a JSON file");
  p_import->add_option("FILE", a->file)->required();
  p_import->add_option("--department", a->department, "Department (default: the root)");
  p_import->add_flag("--merge", a->merge,
                     "Merge into the current document instead of replacing it");
  json_flag(p_import);
  auto* p_export = policy->add_subcommand("export", "Write a department's document as JSON");
  p_export->add_option("--department", a->department, "Department (default: the root)");
  p_export->add_option("-o,--output", a->out, "File (default: standard output)");

  // ---- events, incidents, audit ----
  auto* events =
      app.add_subcommand("events", "Events reported by agents (USB, network changes, rejections)");
  events->add_option("--since", a->since, "How far back, e.g. 24h, 7d")->capture_default_str();
  events->add_option("--kind", a->kind, "Only this kind (or prefix, e.g. usb)");
  events->add_option("--host", a->host, "Only this host");
  events->add_option("--limit", a->limit, "At most this many");
  json_flag(events);
  auto* incidents = app.add_subcommand(
      "incidents", "Critical findings with time, host, IP, MAC, owner, department, OS");
  incidents->add_option("--since", a->since, "How far back")->capture_default_str();
  json_flag(incidents);
  auto* audit = app.add_subcommand("audit", "The admin audit log: who did what, when");
  audit->add_option("--since", a->since, "How far back")->capture_default_str();
  json_flag(audit);

  // ---- report ----
  auto* report = app.add_subcommand("report", "The periodic self-check report for the level above");
  report->add_option("--from", a->from, "Start date (YYYY-MM-DD)")->required();
  report->add_option("--to", a->to, "End date (YYYY-MM-DD, exclusive)")->required();
  report->add_option("--format", a->format, "csv, json or html")
      ->check(CLI::IsMember({"csv", "json", "html"}))
      ->capture_default_str();
  report->add_option("--department", a->department, "Only this department and those below it");
  report->add_option("-o,--output", a->out, "File (default: standard output)");

  return [=, &ctx]() -> std::optional<int> {
    int64_t now = now_ms();
    if (*assign) {
      v1::SetHostRequest req;
      req.set_agent_id_or_hostname(a->host);
      if (*opt_dept) req.set_department(a->department);
      if (*opt_owner) req.set_owner(a->owner);
      if (*opt_class) req.set_classification(a->classification);
      req.set_actor(whoami());
      auto h =
          call<v1::SetHostRequest, v1::HostSummary>(ctx, &v1::AdminService::Stub::SetHost, req);
      print(ctx, host_json(h),
            h.hostname() + ": department " + h.department() + ", owner " +
                (h.owner().empty() ? "-" : h.owner()) + ", " + h.classification() + "\n");
      return 0;
    }
    if (*l_import) {
      v1::ImportLedgerRequest req;
      req.set_csv(read_input(a->file));
      req.set_actor(whoami());
      req.set_file_name(a->file);
      auto r = call<v1::ImportLedgerRequest, v1::ImportLedgerResponse>(
          ctx, &v1::AdminService::Stub::ImportLedger, req);
      json problems = json::array();
      std::string text;
      for (const auto& p : r.problems()) {
        problems.push_back({{"line", p.line()}, {"message", p.message()}});
        text += a->file + (p.line() ? ":" + std::to_string(p.line()) : std::string()) + ": " +
                p.message() + "\n";
      }
      if (r.problems_size()) {
        if (ctx.as_json) std::cout << json{{"imported", 0}, {"problems", problems}}.dump(2) << "\n";
        std::cerr << text << "nothing was imported: fix the lines above and import again\n";
        return 1;
      }
      print(ctx, {{"imported", r.imported()}, {"encoding", r.encoding()}, {"problems", problems}},
            "imported " + std::to_string(r.imported()) + " hosts (" + r.encoding() + ")\n");
      return 0;
    }
    if (*l_export || *l_list) {
      auto r = call<v1::ListLedgerRequest, v1::ListLedgerResponse>(
          ctx, &v1::AdminService::Stub::ListLedger, {});
      if (*l_export) {
        write_output(a->out, r.csv());
        return 0;
      }
      json j = json::array();
      Table t({"HOSTNAME", "IP", "MAC", "DEPARTMENT", "OWNER", "CLASS"});
      for (const auto& e : r.entries()) {
        j.push_back(ledger_json(e));
        t.add({e.hostname(), e.ip(), e.mac(), e.department(), e.owner(), e.classification()});
      }
      print(ctx, j,
            t.empty() ? "the ledger is empty: wardenctl ledger import FILE.csv\n" : t.render());
      return 0;
    }
    if (*l_set) {
      v1::LedgerEntry req;
      req.set_hostname(a->host);
      req.set_ip(a->ip);
      req.set_mac(a->mac);
      req.set_department(a->department);
      req.set_owner(a->owner);
      req.set_classification(a->classification);
      req.set_actor(whoami());
      auto e =
          call<v1::LedgerEntry, v1::LedgerEntry>(ctx, &v1::AdminService::Stub::SetLedgerEntry, req);
      print(ctx, ledger_json(e), e.hostname() + " = " + e.ip() + " / " + e.mac() + "\n");
      return 0;
    }
    if (*l_remove) {
      v1::RemoveLedgerEntryRequest req;
      req.set_hostname(a->host);
      req.set_actor(whoami());
      call<v1::RemoveLedgerEntryRequest, v1::RemoveLedgerEntryResponse>(
          ctx, &v1::AdminService::Stub::RemoveLedgerEntry, req);
      std::cout << "removed " << a->host << " from the ledger\n";
      return 0;
    }
    if (*u_reg) {
      v1::RegisterUsbRequest req;
      auto* d = req.mutable_device();
      d->set_serial(a->serial);
      d->set_vendor_id(a->vendor);
      d->set_product_id(a->product);
      d->set_classification(a->usb_class);
      d->set_owner(a->owner);
      d->set_note(a->note);
      req.set_actor(whoami());
      auto r = call<v1::RegisterUsbRequest, v1::RegisterUsbResponse>(
          ctx, &v1::AdminService::Stub::RegisterUsb, req);
      for (const auto& w : r.warnings()) std::cerr << "warning: " << w << "\n";
      json j = usb_json(r.device());
      j["warnings"] = std::vector<std::string>(r.warnings().begin(), r.warnings().end());
      print(ctx, j,
            "registered " + r.device().vendor_id() + ":" + r.device().product_id() + " serial " +
                r.device().serial() + " (" + r.device().classification() + ", " +
                r.device().owner() + ")\n");
      return 0;
    }
    if (*u_list) {
      auto r =
          call<v1::ListUsbRequest, v1::ListUsbResponse>(ctx, &v1::AdminService::Stub::ListUsb, {});
      json j = json::array();
      Table t({"SERIAL", "VENDOR:PRODUCT", "CLASS", "OWNER", "REGISTERED"});
      for (const auto& d : r.devices()) {
        j.push_back(usb_json(d));
        t.add({d.serial(), d.vendor_id() + ":" + d.product_id(), d.classification(), d.owner(),
               format_time_utc(d.registered_at_ms())});
      }
      print(ctx, j, t.empty() ? "no registered drives\n" : t.render());
      return 0;
    }
    if (*u_hist) {
      v1::UsbHistoryRequest req;
      req.set_serial(a->serial);
      auto r = call<v1::UsbHistoryRequest, v1::UsbHistoryResponse>(
          ctx, &v1::AdminService::Stub::UsbHistory, req);
      json j = {{"registered", json::array()}, {"sightings", json::array()}};
      for (const auto& d : r.registered()) j["registered"].push_back(usb_json(d));
      Table t({"HOSTNAME", "HOST CLASS", "FIRST SEEN", "LAST SEEN"});
      for (const auto& s : r.sightings()) {
        j["sightings"].push_back({{"agent_id", s.agent_id()},
                                  {"hostname", s.hostname()},
                                  {"host_classification", s.host_classification()},
                                  {"first_seen", format_time_utc(s.first_seen_ms())},
                                  {"last_seen", format_time_utc(s.last_seen_ms())},
                                  {"vendor_id", s.vendor_id()},
                                  {"product_id", s.product_id()}});
        t.add({s.hostname(), s.host_classification(), format_time_utc(s.first_seen_ms()),
               format_time_utc(s.last_seen_ms())});
      }
      std::string text = r.registered_size() ? "registered as " + r.registered(0).classification() +
                                                   " (" + r.registered(0).owner() + ")\n"
                                             : "not registered\n";
      print(ctx, j, text + (t.empty() ? "never seen\n" : t.render()));
      return 0;
    }
    if (*p_show || *p_export) {
      v1::GetPolicyRequest req;
      req.set_department(a->department);
      auto r = call<v1::GetPolicyRequest, v1::GetPolicyResponse>(
          ctx, &v1::AdminService::Stub::GetPolicy, req);
      json doc = json::parse(a->effective ? r.effective_json() : r.document_json());
      if (*p_export) {
        write_output(a->out, doc.dump(2) + "\n");
        return 0;
      }
      json j = {{"department", r.department()},
                {"revision", r.revision()},
                {a->effective ? "effective" : "document", doc},
                {"departments_with_overrides",
                 std::vector<std::string>(r.departments_with_overrides().begin(),
                                          r.departments_with_overrides().end())}};
      print(ctx, j,
            "# " + std::string(a->effective ? "effective policy" : "overrides") + " for " +
                (r.department().empty() ? std::string("the root") : r.department()) +
                " (revision " + std::to_string(r.revision()) + ")\n" + doc.dump(2) + "\n");
      return 0;
    }
    if (*p_set || *p_import) {
      v1::SetPolicyRequest req;
      req.set_department(a->department);
      req.set_actor(whoami());
      if (*p_set) {
        json patch = json::object();
        for (const auto& as : a->assignments) {
          auto eq = as.find('=');
          if (eq == std::string::npos || eq == 0)
            throw std::runtime_error("expected KEY=VALUE, got '" + as + "'");
          json value = json::parse(as.substr(eq + 1), nullptr, false);
          if (value.is_discarded()) value = as.substr(eq + 1);
          json p = value;
          std::string key = as.substr(0, eq);
          for (size_t end = key.size(); end != std::string::npos;) {
            size_t dot = key.rfind('.', end - 1);
            size_t start = dot == std::string::npos ? 0 : dot + 1;
            if (start >= end) throw std::runtime_error("empty key in '" + key + "'");
            p = json{{key.substr(start, end - start), p}};
            end = dot;
          }
          patch.merge_patch(p);
        }
        req.set_document_json(patch.dump());
      } else {
        auto doc = json::parse(read_input(a->file), nullptr, false);
        if (doc.is_discarded()) throw std::runtime_error(a->file + " is not valid JSON");
        req.set_document_json(doc.dump());
        req.set_replace(!a->merge);
      }
      auto r = call<v1::SetPolicyRequest, v1::GetPolicyResponse>(
          ctx, &v1::AdminService::Stub::SetPolicy, req);
      print(ctx,
            {{"department", r.department()},
             {"revision", r.revision()},
             {"document", json::parse(r.document_json())}},
            "policy for " + (r.department().empty() ? std::string("the root") : r.department()) +
                " is now revision " + std::to_string(r.revision()) +
                "; connected agents have been sent it\n");
      return 0;
    }
    if (*events) {
      v1::ListEventsRequest req;
      req.set_since_ms(since_arg(a->since));
      req.set_kind(a->kind);
      req.set_host(a->host);
      req.set_limit(a->limit);
      auto r = call<v1::ListEventsRequest, v1::ListEventsResponse>(
          ctx, &v1::AdminService::Stub::ListEvents, req);
      json j = json::array();
      Table t({"RECEIVED", "HOSTNAME", "KIND", "DATA"});
      for (const auto& e : r.events()) {
        j.push_back({{"agent_id", e.agent_id()},
                     {"hostname", e.hostname()},
                     {"kind", e.kind()},
                     {"at", format_time_utc(e.at_ms())},
                     {"received_at", format_time_utc(e.received_at_ms())},
                     {"data", evidence_of(e.data_json())}});
        std::string data = e.data_json();
        if (data.size() > 80) data = text::valid_utf8(data, 77) + "...";
        t.add({format_time_utc(e.received_at_ms()), e.hostname(), e.kind(), data});
      }
      print(ctx, j, t.empty() ? "no events\n" : t.render());
      return 0;
    }
    if (*incidents) {
      v1::ListIncidentsRequest req;
      req.set_since_ms(since_arg(a->since));
      auto r = call<v1::ListIncidentsRequest, v1::ListIncidentsResponse>(
          ctx, &v1::AdminService::Stub::ListIncidents, req);
      json j = json::array();
      Table t({"TIME", "HOSTNAME", "IP", "MAC", "OWNER", "DEPARTMENT", "OS", "CHECK",
               "WHAT WAS SEEN", "NOW"});
      for (const auto& i : r.incidents()) {
        j.push_back({{"time", format_time_utc(i.at_ms())},
                     {"agent_id", i.agent_id()},
                     {"hostname", i.hostname()},
                     {"ip", i.ip()},
                     {"mac", i.mac()},
                     {"owner", i.owner()},
                     {"department", i.department()},
                     {"os", i.os()},
                     {"check", i.check()},
                     {"summary", i.summary()},
                     {"evidence", evidence_of(i.evidence_json())},
                     {"status", i.status()}});
        t.add({format_time_utc(i.at_ms()), i.hostname(), i.ip(), i.mac(), i.owner(), i.department(),
               i.os(), i.check(), i.summary(), i.status()});
      }
      print(ctx, j, t.empty() ? "no incidents\n" : t.render());
      return 0;
    }
    if (*audit) {
      v1::ListAuditRequest req;
      req.set_since_ms(since_arg(a->since));
      auto r = call<v1::ListAuditRequest, v1::ListAuditResponse>(
          ctx, &v1::AdminService::Stub::ListAudit, req);
      json j = json::array();
      Table t({"TIME", "WHO", "ACTION", "DETAILS"});
      for (const auto& e : r.entries()) {
        j.push_back({{"at", format_time_utc(e.at_ms())},
                     {"actor", e.actor()},
                     {"action", e.action()},
                     {"details", evidence_of(e.details_json())}});
        t.add({format_time_utc(e.at_ms()), e.actor(), e.action(), e.details_json()});
      }
      print(ctx, j, t.empty() ? "no admin actions recorded\n" : t.render());
      return 0;
    }
    if (*report) {
      v1::GetReportRequest req;
      req.set_from_ms(date_arg(a->from, "--from"));
      req.set_to_ms(date_arg(a->to, "--to"));
      req.set_department(a->department);
      auto r = call<v1::GetReportRequest, v1::GetReportResponse>(
          ctx, &v1::AdminService::Stub::GetReport, req);
      json doc = json::parse(r.report_json());
      std::string out = a->format == "csv"    ? render_report_csv(doc)
                        : a->format == "html" ? render_report_html(doc)
                                              : doc.dump(2) + "\n";
      write_output(a->out, out);
      return 0;
    }
    (void)now;
    return std::nullopt;
  };
}

}  // namespace warden::ctl
