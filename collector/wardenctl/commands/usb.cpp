// usb register, list, history: the removable media registry.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

class UsbRegister : public Command {
 public:
  UsbRegister() : Command({"usb", "register"}, "Register a USB drive") {}
  void add_options(CLI::App& app) override {
    app.add_option("SERIAL", serial_)->required();
    app.add_option("--vendor-id", vendor_, "4 hex digits, e.g. 0781")->required();
    app.add_option("--product-id", product_, "4 hex digits")->required();
    app.add_option("--class", class_, "classified or general")->required();
    app.add_option("--owner", owner_)->required();
    app.add_option("--note", note_);
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
    Output out{j, "registered " + dev.vendor_id() + ":" + dev.product_id() + " serial " +
                      dev.serial() + " (" + dev.classification() + ", " + dev.owner() + ")\n"};
    for (const auto& w : r.warnings()) out.diagnostics += "warning: " + w + "\n";
    return out;
  }

 private:
  std::string serial_, vendor_, product_, class_, owner_, note_;
};

class UsbList : public Command {
 public:
  UsbList() : Command({"usb", "list"}, "List registered drives") {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListUsb);
    return list_output(
        r.devices(), Table({"SERIAL", "VENDOR:PRODUCT", "CLASS", "OWNER", "REGISTERED"}), usb_json,
        [](const v1::UsbDevice& d) -> std::vector<std::string> {
          return {d.serial(), d.vendor_id() + ":" + d.product_id(), d.classification(), d.owner(),
                  format_time_utc(d.registered_at_ms())};
        },
        "no registered drives\n");
  }
};

class UsbHistory : public Command {
 public:
  UsbHistory() : Command({"usb", "history"}, "Every host a drive was seen on, and when") {}
  void add_options(CLI::App& app) override { app.add_option("SERIAL", serial_)->required(); }
  Output run(Context& ctx) override {
    v1::UsbHistoryRequest req;
    req.set_serial(serial_);
    auto r = call(ctx, &v1::AdminService::Stub::UsbHistory, req);
    auto sightings = list_output(
        r.sightings(), Table({"HOSTNAME", "HOST CLASS", "FIRST SEEN", "LAST SEEN"}),
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
          return {s.hostname(), s.host_classification(), format_time_utc(s.first_seen_ms()),
                  format_time_utc(s.last_seen_ms())};
        },
        "never seen\n");
    json j = {{"registered", json::array()}, {"sightings", sightings.data}};
    for (const auto& d : r.registered()) j["registered"].push_back(usb_json(d));
    std::string text = r.registered_size() ? "registered as " + r.registered(0).classification() +
                                                 " (" + r.registered(0).owner() + ")\n"
                                           : "not registered\n";
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
