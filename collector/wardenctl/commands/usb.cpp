// usb register, list, history: the removable media registry.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

class UsbRegister : public Command {
 public:
  UsbRegister() : Command({"usb", "register"}, tr("Register a USB drive")) {}
  void add_options(CLI::App& app) override {
    app.add_option("SERIAL", serial_, tr("The drive's serial number"))->required();
    app.add_option("--vendor-id", vendor_, tr("4 hex digits, e.g. 0781"))->required();
    app.add_option("--product-id", product_, tr("4 hex digits"))->required();
    app.add_option("--class", class_, tr("classified or general"))->required();
    app.add_option("--owner", owner_, tr("Person responsible for the drive"))->required();
    app.add_option("--note", note_, tr("A note kept with the registration"));
  }
  Output run(Context& ctx) override {
    v1::RegisterUsbRequest req;
    auto* d = req.mutable_device();
    d->set_serial(serial_);
    d->set_vendor_id(vendor_);
    d->set_product_id(product_);
    d->set_classification(class_);
    d->set_owner(owner_);
    d->set_note(note_);
    req.set_actor(whoami());
    auto r = call(ctx, &v1::AdminService::Stub::RegisterUsb, req);
    const auto& dev = r.device();
    json j = usb_json(dev);
    j["warnings"] = strings(r.warnings());
    Output out{j, trf("registered {1}:{2} serial {3} ({4}, {5})", dev.vendor_id(), dev.product_id(),
                      dev.serial(), classification_text(dev.classification()), dev.owner()) +
                      "\n"};
    for (const auto& w : r.warnings()) out.diagnostics += trf("warning: {1}", w) + "\n";
    return out;
  }

 private:
  std::string serial_, vendor_, product_, class_, owner_, note_;
};

class UsbList : public Command {
 public:
  UsbList() : Command({"usb", "list"}, tr("List registered drives")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListUsb);
    return list_output(
        r.devices(),
        Table({tr("SERIAL"), tr("VENDOR:PRODUCT"), tr("CLASS"), tr("OWNER"), tr("REGISTERED")}),
        usb_json,
        [](const v1::UsbDevice& d) -> std::vector<std::string> {
          return {d.serial(), d.vendor_id() + ":" + d.product_id(),
                  classification_text(d.classification()), d.owner(),
                  local_time(d.registered_at_ms())};
        },
        tr("no registered drives") + "\n");
  }
};

class UsbHistory : public Command {
 public:
  UsbHistory() : Command({"usb", "history"}, tr("Every host a drive was seen on, and when")) {}
  void add_options(CLI::App& app) override {
    app.add_option("SERIAL", serial_, tr("The drive's serial number"))->required();
  }
  Output run(Context& ctx) override {
    v1::UsbHistoryRequest req;
    req.set_serial(serial_);
    auto r = call(ctx, &v1::AdminService::Stub::UsbHistory, req);
    auto sightings = list_output(
        r.sightings(), Table({tr("HOSTNAME"), tr("HOST CLASS"), tr("FIRST SEEN"), tr("LAST SEEN")}),
        [](const v1::UsbSighting& s) -> json {
          return {{"agent_id", s.agent_id()},
                  {"hostname", s.hostname()},
                  {"host_classification", s.host_classification()},
                  {"first_seen", format_time_utc(s.first_seen_ms())},
                  {"last_seen", format_time_utc(s.last_seen_ms())},
                  {"vendor_id", s.vendor_id()},
                  {"product_id", s.product_id()}};
        },
        [](const v1::UsbSighting& s) -> std::vector<std::string> {
          return {s.hostname(), classification_text(s.host_classification()),
                  local_time(s.first_seen_ms()), local_time(s.last_seen_ms())};
        },
        tr("never seen") + "\n");
    json j = {{"registered", json::array()}, {"sightings", sightings.data}};
    for (const auto& d : r.registered()) j["registered"].push_back(usb_json(d));
    std::string text =
        (r.registered_size()
             ? trf("registered as {1} ({2})", classification_text(r.registered(0).classification()),
                   r.registered(0).owner())
             : tr("not registered")) +
        "\n";
    return {j, text + sightings.text};
  }

 private:
  std::string serial_;
};

}  // namespace

std::unique_ptr<Command> make_usb_register() {
  return std::make_unique<UsbRegister>();
}
std::unique_ptr<Command> make_usb_list() {
  return std::make_unique<UsbList>();
}
std::unique_ptr<Command> make_usb_history() {
  return std::make_unique<UsbHistory>();
}

}  // namespace warden::ctl
