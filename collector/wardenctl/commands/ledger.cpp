// ledger import, export, list, set, remove: the IP/MAC ledger of names, IPs and MACs.
#include "collector/wardenctl/commands/commands.hpp"

namespace warden::ctl {

namespace {

class LedgerImport : public Command {
 public:
  LedgerImport()
      : Command({"ledger", "import"}, "Replace the ledger with a CSV file (UTF-8 or GB18030)") {}
  void add_options(CLI::App& app) override {
    app.add_option("FILE", file_, "CSV with hostname,ip,mac,department,owner,classification")
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
      out.diagnostics = lines + "nothing was imported: fix the lines above and import again\n";
      out.exit_status = 1;
      return out;
    }
    return {{{"imported", r.imported()}, {"encoding", r.encoding()}, {"problems", problems}},
            "imported " + std::to_string(r.imported()) + " hosts (" + r.encoding() + ")\n"};
  }

 private:
  std::string file_;
};

class LedgerExport : public Command {
 public:
  LedgerExport()
      : Command({"ledger", "export"}, "Write the ledger as CSV (UTF-8 with BOM)", false) {}
  void add_options(CLI::App& app) override {
    app.add_option("-o,--output", out_, "File (default: standard output)");
  }
  Output run(Context& ctx) override {
    return Output::document(call(ctx, &v1::AdminService::Stub::ListLedger).csv(), out_);
  }

 private:
  std::string out_;
};

class LedgerList : public Command {
 public:
  LedgerList() : Command({"ledger", "list"}, "Show the ledger") {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListLedger);
    return list_output(
        r.entries(), Table({"HOSTNAME", "IP", "MAC", "DEPARTMENT", "OWNER", "CLASS"}), ledger_json,
        [](const v1::LedgerEntry& e) -> std::vector<std::string> {
          return {e.hostname(), e.ip(), e.mac(), e.department(), e.owner(), e.classification()};
        },
        "the ledger is empty: wardenctl ledger import FILE.csv\n");
  }
};

class LedgerSet : public Command {
 public:
  LedgerSet() : Command({"ledger", "set"}, "Add or change one host's assignment") {}
  void add_options(CLI::App& app) override {
    app.add_option("HOSTNAME", hostname_)->required();
    app.add_option("--ip", ip_)->required();
    app.add_option("--mac", mac_)->required();
    app.add_option("--department", department_);
    app.add_option("--owner", owner_);
    app.add_option("--classification", classification_);
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
    return {ledger_json(e), e.hostname() + " = " + e.ip() + " / " + e.mac() + "\n"};
  }

 private:
  std::string hostname_, ip_, mac_, department_, owner_, classification_;
};

class LedgerRemove : public Command {
 public:
  LedgerRemove() : Command({"ledger", "remove"}, "Remove one host from the ledger", false) {}
  void add_options(CLI::App& app) override { app.add_option("HOSTNAME", hostname_)->required(); }
  Output run(Context& ctx) override {
    v1::RemoveLedgerEntryRequest req;
    req.set_hostname(hostname_);
    req.set_actor(whoami());
    call(ctx, &v1::AdminService::Stub::RemoveLedgerEntry, req);
    return {nullptr, "removed " + hostname_ + " from the ledger\n"};
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
