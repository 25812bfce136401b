// ledger import, export, list, set, remove: the IP/MAC ledger of names, IPs and MACs.
#include "collector/wardenctl/commands/commands.hpp"

namespace warden::ctl {

namespace {

class LedgerImport : public Command {
 public:
  LedgerImport()
      : Command({"ledger", "import"}, tr("Replace the ledger with a CSV file (UTF-8 or GB18030)")) {
  }
  void add_options(CLI::App& app) override {
    app.add_option("FILE", file_,
                   tr("CSV with the columns `hostname,ip,mac,department,owner,classification`"))
        ->required();
  }
  Output run(Context& ctx) override {
    v1::ImportLedgerRequest req;
    req.set_csv(read_input(file_));
    req.set_actor(whoami());
    req.set_file_name(file_);
    auto r = call(ctx, &v1::AdminService::Stub::ImportLedger, req);
    json problems = json::array();
    std::string lines;
    for (const auto& p : r.problems()) {
      problems.push_back({{"line", p.line()}, {"message", p.message()}});
      lines += file_ + (p.line() ? ":" + std::to_string(p.line()) : std::string()) + ": " +
               p.message() + "\n";
    }
    if (r.problems_size()) {
      Output out{{{"imported", 0}, {"problems", problems}}, ""};
      out.diagnostics =
          lines + tr("nothing was imported: fix the lines above and import again") + "\n";
      out.exit_status = 1;
      return out;
    }
    return {{{"imported", r.imported()}, {"encoding", r.encoding()}, {"problems", problems}},
            trnf("imported {1} host ({2})", "imported {1} hosts ({2})",
                 static_cast<long>(r.imported()), r.encoding()) +
                "\n"};
  }

 private:
  std::string file_;
};

class LedgerExport : public Command {
 public:
  LedgerExport()
      : Command({"ledger", "export"}, tr("Write the ledger as CSV (UTF-8 with BOM)"), false) {}
  void add_options(CLI::App& app) override {
    app.add_option("-o,--output", out_, tr("File (default: standard output)"));
  }
  Output run(Context& ctx) override {
    return Output::document(call(ctx, &v1::AdminService::Stub::ListLedger).csv(), out_);
  }

 private:
  std::string out_;
};

class LedgerList : public Command {
 public:
  LedgerList() : Command({"ledger", "list"}, tr("Show the ledger")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListLedger);
    return list_output(
        r.entries(),
        Table({tr("HOSTNAME"), tr("IP"), tr("MAC"), tr("DEPARTMENT"), tr("OWNER"), tr("CLASS")}),
        ledger_json,
        [](const v1::LedgerEntry& e) -> std::vector<std::string> {
          return {e.hostname(),   e.ip(),    e.mac(),
                  e.department(), e.owner(), classification_text(e.classification())};
        },
        tr("the ledger is empty: wardenctl ledger import FILE.csv") + "\n");
  }
};

class LedgerSet : public Command {
 public:
  LedgerSet() : Command({"ledger", "set"}, tr("Add or change one host's assignment")) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOSTNAME", hostname_, tr("Host name"))->required();
    app.add_option("--ip", ip_, tr("IP address assigned to it"))->required();
    app.add_option("--mac", mac_, tr("MAC address assigned to it"))->required();
    app.add_option("--department", department_, tr("Department (A/B/C)"));
    app.add_option("--owner", owner_, tr("Person responsible for the PC"));
    app.add_option("--classification", classification_, tr("general or classified"));
  }
  Output run(Context& ctx) override {
    v1::LedgerEntry req;
    req.set_hostname(hostname_);
    req.set_ip(ip_);
    req.set_mac(mac_);
    req.set_department(department_);
    req.set_owner(owner_);
    req.set_classification(classification_);
    req.set_actor(whoami());
    auto e = call(ctx, &v1::AdminService::Stub::SetLedgerEntry, req);
    return {ledger_json(e), trf("{1}: IP {2}, MAC {3}, department {4}", e.hostname(), e.ip(),
                                e.mac(), e.department().empty() ? "-" : e.department()) +
                                "\n"};
  }

 private:
  std::string hostname_, ip_, mac_, department_, owner_, classification_;
};

class LedgerRemove : public Command {
 public:
  LedgerRemove() : Command({"ledger", "remove"}, tr("Remove one host from the ledger"), false) {}
  void add_options(CLI::App& app) override {
    app.add_option("HOSTNAME", hostname_, tr("Host name"))->required();
  }
  Output run(Context& ctx) override {
    v1::RemoveLedgerEntryRequest req;
    req.set_hostname(hostname_);
    req.set_actor(whoami());
    call(ctx, &v1::AdminService::Stub::RemoveLedgerEntry, req);
    return {nullptr, trf("removed {1} from the ledger", hostname_) + "\n"};
  }

 private:
  std::string hostname_;
};

}  // namespace

std::unique_ptr<Command> make_ledger_import() {
  return std::make_unique<LedgerImport>();
}
std::unique_ptr<Command> make_ledger_export() {
  return std::make_unique<LedgerExport>();
}
std::unique_ptr<Command> make_ledger_list() {
  return std::make_unique<LedgerList>();
}
std::unique_ptr<Command> make_ledger_set() {
  return std::make_unique<LedgerSet>();
}
std::unique_ptr<Command> make_ledger_remove() {
  return std::make_unique<LedgerRemove>();
}

}  // namespace warden::ctl
