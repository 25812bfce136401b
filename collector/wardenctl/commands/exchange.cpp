// exchange identity, peer add, peers, export, import: offline exchange with isolated networks
// (docs/exchange.md). Bundles are files carried on removable media, sealed for one pinned peer.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"
#include "common/files.hpp"

namespace warden::ctl {

namespace {

std::string role_text(const std::string& role) {
  if (role == "unit") return tr("unit below");
  if (role == "upper") return tr("level above");
  return tr("peer network");
}

class ExchangeIdentityCommand : public Command {
 public:
  ExchangeIdentityCommand()
      : Command({"exchange", "identity"},
                tr("This collector's exchange certificate and fingerprint, for the other side to "
                   "pin")) {}
  void add_options(CLI::App& app) override {
    app.add_option("-o,--output", out_, tr("Also write the certificate (PEM) to this file"));
  }
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::GetExchangeIdentity);
    if (!out_.empty()) files::write_atomic(out_, r.certificate_pem(), 0644);
    std::string text = trf("fingerprint: {1}", r.fingerprint()) + "\n";
    if (!out_.empty())
      text += trf("certificate written to {1}: carry it to the other collector and give it the "
                  "fingerprint over a trusted channel (phone, signed letter)",
                  out_) +
              "\n";
    return {{{"name", r.name()},
             {"fingerprint", r.fingerprint()},
             {"certificate_pem", r.certificate_pem()}},
            text};
  }

 private:
  std::string out_;
};

class ExchangePeerAdd : public Command {
 public:
  ExchangePeerAdd()
      : Command({"exchange", "peer", "add"},
                tr("Pin another collector's exchange certificate so bundles can go to it and "
                   "come from it")) {}
  void add_options(CLI::App& app) override {
    app.add_option("NAME", name_, tr("What this collector calls it (a unit's name for a unit)"))
        ->required();
    app.add_option("--certificate", certificate_,
                   tr("Its exchange certificate (PEM), from `exchange identity -o` there"))
        ->required();
    app.add_option("--fingerprint", fingerprint_,
                   tr("Its fingerprint SHA256:..., read over a trusted channel"))
        ->required();
    app.add_option("--role", role_,
                   tr("unit: a unit below, whose bundles count as its cascade link; upper: the "
                      "level above, which gets this unit's results; peer: another network of "
                      "this body (drives only)"))
        ->required();
    app.add_option("--department", department_,
                   tr("For a unit: the department its PCs count under here"));
  }
  Output run(Context& ctx) override {
    v1::AddExchangePeerRequest req;
    req.set_name(name_);
    req.set_certificate_pem(read_input(certificate_));
    req.set_fingerprint(fingerprint_);
    req.set_role(role_);
    req.set_department(department_);
    auto r = call(ctx, &v1::AdminService::Stub::AddExchangePeer, req);
    return {{{"name", r.name()},
             {"fingerprint", r.fingerprint()},
             {"role", r.role()},
             {"department", r.department()}},
            trf("{1} pinned ({2}, {3})", r.name(), role_text(r.role()), r.fingerprint()) + "\n"};
  }

 private:
  std::string name_, certificate_, fingerprint_, role_, department_;
};

class ExchangePeerRemove : public Command {
 public:
  ExchangePeerRemove()
      : Command({"exchange", "peer", "remove"},
                tr("Unpin a peer (its key lost or leaked): its bundles are refused from now on")) {}
  void add_options(CLI::App& app) override {
    app.add_option("NAME", name_, tr("The peer's name (see `exchange peers`)"))->required();
  }
  Output run(Context& ctx) override {
    v1::RemoveExchangePeerRequest req;
    req.set_name(name_);
    auto r = call(ctx, &v1::AdminService::Stub::RemoveExchangePeer, req);
    return {{{"name", r.name()}, {"fingerprint", r.fingerprint()}, {"removed", true}},
            trf("{1} unpinned ({2}): its bundles are refused; what it said of drives is "
                "forgotten",
                r.name(), r.fingerprint()) +
                "\n"};
  }

 private:
  std::string name_;
};

class ExchangePeers : public Command {
 public:
  ExchangePeers()
      : Command({"exchange", "peers"}, tr("The collectors this one exchanges bundles with")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListExchangePeers);
    return list_output(
        r.peers(),
        Table({tr("NAME"), tr("ROLE"), tr("DEPARTMENT"), tr("SENT"), tr("RECEIVED"),
               tr("LAST IMPORT"), tr("FINGERPRINT")}),
        [](const v1::ExchangePeer& p) -> json {
          return {{"name", p.name()},
                  {"role", p.role()},
                  {"department", p.department()},
                  {"fingerprint", p.fingerprint()},
                  {"exported_seq", p.exported_seq()},
                  {"imported_seq", p.imported_seq()},
                  {"imported_at",
                   p.imported_at_ms() ? json(format_time_utc(p.imported_at_ms())) : json(nullptr)},
                  {"added_at", format_time_utc(p.added_at_ms())}};
        },
        [](const v1::ExchangePeer& p) -> std::vector<std::string> {
          return {p.name(),
                  role_text(p.role()),
                  p.department(),
                  std::to_string(p.exported_seq()),
                  std::to_string(p.imported_seq()),
                  p.imported_at_ms() ? local_time(p.imported_at_ms()) : tr("never"),
                  p.fingerprint().substr(0, 23) + "…"};
        },
        tr("no exchange peers: pin one with `wardenctl exchange peer add`") + "\n");
  }
};

class ExchangeExport : public Command {
 public:
  ExchangeExport()
      : Command({"exchange", "export"},
                tr("Write a bundle for one peer: signed here, readable only there")) {}
  void add_options(CLI::App& app) override {
    app.add_option("--to", peer_, tr("The peer's name (see `exchange peers`)"))->required();
    app.add_option("-o,--output", out_, tr("The bundle file to write"))->required();
    app.add_option("--since", since_,
                   tr("Incidents and drive sightings from this date (YYYY-MM-DD, local) on; "
                      "default: all kept"));
  }
  Output run(Context& ctx) override {
    v1::ExportBundleRequest req;
    req.set_peer(peer_);
    if (!since_.empty()) req.set_since_ms(date_arg(since_, "--since"));
    auto r = call(ctx, &v1::AdminService::Stub::ExportBundle, req);
    files::write_atomic(out_, r.bundle(), 0600);
    return {{{"peer", peer_},
             {"file", out_},
             {"seq", r.seq()},
             {"bytes", r.bundle().size()},
             {"hosts", r.hosts()},
             {"incidents", r.incidents()},
             {"usb_devices", r.usb_devices()}},
            trf("bundle {1} for {2} written to {3} ({4} bytes): {5} hosts, {6} incidents, {7} "
                "drives",
                std::to_string(r.seq()), peer_, out_, std::to_string(r.bundle().size()),
                std::to_string(r.hosts()), std::to_string(r.incidents()),
                std::to_string(r.usb_devices())) +
                "\n"};
  }

 private:
  std::string peer_, out_, since_;
};

class ExchangeImport : public Command {
 public:
  ExchangeImport()
      : Command({"exchange", "import"},
                tr("Verify a bundle from a peer and apply it (importing it again changes "
                   "nothing)")) {}
  void add_options(CLI::App& app) override {
    app.add_option("FILE", file_, tr("The bundle file"))->required();
  }
  Output run(Context& ctx) override {
    v1::ImportBundleRequest req;
    req.set_bundle(read_input(file_));
    auto r = call(ctx, &v1::AdminService::Stub::ImportBundle, req);
    json crossed = json::array();
    std::string lines;
    for (const auto& c : r.cross_used()) {
      json here = std::vector<std::string>(c.classes_here().begin(), c.classes_here().end());
      json there = std::vector<std::string>(c.classes_there().begin(), c.classes_there().end());
      crossed.push_back({{"vendor_id", c.vendor_id()},
                         {"product_id", c.product_id()},
                         {"serial", c.serial()},
                         {"registered_here", c.registered_here()},
                         {"registered_there", c.registered_there()},
                         {"classes_here", here},
                         {"classes_there", there}});
      lines += trf("  drive {1}:{2} {3}: registered here as {4}, there as {5}; used here on "
                   "{6}, there on {7}",
                   c.vendor_id(), c.product_id(), c.serial(),
                   c.registered_here().empty() ? tr("(none)") : c.registered_here(),
                   c.registered_there().empty() ? tr("(none)") : c.registered_there(), here.dump(),
                   there.dump()) +
               "\n";
    }
    json data = {{"peer", r.peer()},
                 {"seq", r.seq()},
                 {"already_imported", r.already_imported()},
                 {"hosts", r.hosts()},
                 {"incidents", r.incidents()},
                 {"duplicate_incidents", r.duplicate_incidents()},
                 {"usb_devices", r.usb_devices()},
                 {"cross_used", crossed}};
    if (r.already_imported())
      return {data, trf("bundle {1} from {2} was imported before: nothing changed",
                        std::to_string(r.seq()), r.peer()) +
                        "\n"};
    std::string text = trf("bundle {1} from {2} imported: {3} hosts, {4} incidents ({5} known "
                           "already), {6} drives",
                           std::to_string(r.seq()), r.peer(), std::to_string(r.hosts()),
                           std::to_string(r.incidents()), std::to_string(r.duplicate_incidents()),
                           std::to_string(r.usb_devices())) +
                       "\n";
    if (!lines.empty())
      text += trf("{1} drives crossed between this network and {2}'s (usb.cross_use):",
                  std::to_string(r.cross_used_size()), r.peer()) +
              "\n" + lines;
    return {data, text};
  }

 private:
  std::string file_;
};

}  // namespace

std::unique_ptr<Command> make_exchange_identity() {
  return std::make_unique<ExchangeIdentityCommand>();
}
std::unique_ptr<Command> make_exchange_peer_add() {
  return std::make_unique<ExchangePeerAdd>();
}
std::unique_ptr<Command> make_exchange_peer_remove() {
  return std::make_unique<ExchangePeerRemove>();
}
std::unique_ptr<Command> make_exchange_peers() {
  return std::make_unique<ExchangePeers>();
}
std::unique_ptr<Command> make_exchange_export() {
  return std::make_unique<ExchangeExport>();
}
std::unique_ptr<Command> make_exchange_import() {
  return std::make_unique<ExchangeImport>();
}

}  // namespace warden::ctl
