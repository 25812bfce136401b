// policy show, set, import, export: per-department policy, inherited down the tree.
#include "collector/wardenctl/commands/commands.hpp"

namespace warden::ctl {

namespace {

std::string department_name(const std::string& department) {
  return department.empty() ? tr("the root") : department;
}

v1::GetPolicyResponse get_policy(Context& ctx, const std::string& department) {
  v1::GetPolicyRequest req;
  req.set_department(department);
  return call(ctx, &v1::AdminService::Stub::GetPolicy, req);
}

// `a.b.c=VALUE` ... as one merge patch {"a": {"b": {"c": VALUE}}}; VALUE is JSON, else a string.
json patch_of(const std::vector<std::string>& assignments) {
  json patch = json::object();
  for (const auto& as : assignments) {
    auto eq = as.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Failure(invalid(trf("expected KEY=VALUE, got '{1}'", as)));
    json value = json::parse(as.substr(eq + 1), nullptr, false);
    if (value.is_discarded()) value = as.substr(eq + 1);
    json p = value;
    std::string key = as.substr(0, eq);
    for (size_t end = key.size(); end != std::string::npos;) {
      size_t dot = key.rfind('.', end - 1);
      size_t start = dot == std::string::npos ? 0 : dot + 1;
      if (start >= end) throw Failure(invalid(trf("empty key in '{1}'", key)));
      p = json{{key.substr(start, end - start), p}};
      end = dot;
    }
    patch.merge_patch(p);
  }
  return patch;
}

// What `policy set` and `policy import` answer: the department's new revision.
Output changed(const v1::GetPolicyResponse& r) {
  return {{{"department", r.department()},
           {"revision", r.revision()},
           {"document", json::parse(r.document_json())}},
          trf("policy for {1} is now revision {2}; connected agents have been sent it",
              department_name(r.department()), r.revision()) +
              "\n"};
}

void add_department(CLI::App& app, std::string& department) {
  app.add_option("--department", department, tr("Department (default: the root)"));
}

class PolicyShow : public Command {
 public:
  PolicyShow()
      : Command({"policy", "show"}, tr("Show a department's overrides (or --effective)")) {}
  void add_options(CLI::App& app) override {
    add_department(app, department_);
    app.add_flag("--effective", effective_, tr("What hosts there get, after inheritance"));
  }
  Output run(Context& ctx) override {
    auto r = get_policy(ctx, department_);
    json doc = json::parse(effective_ ? r.effective_json() : r.document_json());
    json j = {{"department", r.department()},
              {"revision", r.revision()},
              {effective_ ? "effective" : "document", doc},
              {"departments_with_overrides", strings(r.departments_with_overrides())}};
    return {j, "# " +
                   (effective_ ? trf("effective policy for {1} (revision {2})",
                                     department_name(r.department()), r.revision())
                               : trf("overrides for {1} (revision {2})",
                                     department_name(r.department()), r.revision())) +
                   "\n" + doc.dump(2) + "\n"};
  }

 private:
  std::string department_;
  bool effective_ = false;
};

class PolicySet : public Command {
 public:
  PolicySet()
      : Command({"policy", "set"},
                tr("Change keys, e.g. `policy set antivirus.signature_max_age_days=3`")) {}
  void add_options(CLI::App& app) override {
    app.add_option("KEY=VALUE", assignments_,
                   tr("Policy keys to set (a JSON value, else a string)"))
        ->required();
    add_department(app, department_);
  }
  Output run(Context& ctx) override {
    v1::SetPolicyRequest req;
    req.set_department(department_);
    req.set_actor(whoami());
    req.set_document_json(patch_of(assignments_).dump());
    return changed(call(ctx, &v1::AdminService::Stub::SetPolicy, req));
  }

 private:
  std::vector<std::string> assignments_;
  std::string department_;
};

class PolicyImport : public Command {
 public:
  PolicyImport()
      : Command({"policy", "import"}, tr("Replace a department's document with a JSON file")) {}
  void add_options(CLI::App& app) override {
    app.add_option("FILE", file_, tr("The policy document (JSON; - for standard input)"))
        ->required();
    add_department(app, department_);
    app.add_flag("--merge", merge_, tr("Merge into the current document instead of replacing it"));
  }
  Output run(Context& ctx) override {
    auto doc = json::parse(read_input(file_), nullptr, false);
    if (doc.is_discarded()) throw Failure(invalid(trf("{1} is not valid JSON", file_)));
    v1::SetPolicyRequest req;
    req.set_department(department_);
    req.set_actor(whoami());
    req.set_document_json(doc.dump());
    req.set_replace(!merge_);
    return changed(call(ctx, &v1::AdminService::Stub::SetPolicy, req));
  }

 private:
  std::string file_, department_;
  bool merge_ = false;
};

class PolicyExport : public Command {
 public:
  PolicyExport()
      : Command({"policy", "export"}, tr("Write a department's document as JSON"), false) {}
  void add_options(CLI::App& app) override {
    add_department(app, department_);
    app.add_option("-o,--output", out_, tr("File (default: standard output)"));
  }
  Output run(Context& ctx) override {
    json doc = json::parse(get_policy(ctx, department_).document_json());
    return Output::document(doc.dump(2) + "\n", out_);
  }

 private:
  std::string department_, out_;
};

}  // namespace

std::unique_ptr<Command> make_policy_show() {
  return std::make_unique<PolicyShow>();
}
std::unique_ptr<Command> make_policy_set() {
  return std::make_unique<PolicySet>();
}
std::unique_ptr<Command> make_policy_import() {
  return std::make_unique<PolicyImport>();
}
std::unique_ptr<Command> make_policy_export() {
  return std::make_unique<PolicyExport>();
}

}  // namespace warden::ctl
