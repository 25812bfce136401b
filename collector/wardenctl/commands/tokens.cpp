// token create, token list, token revoke: the enrollment tokens agents enroll with.
#include "collector/wardenctl/commands/commands.hpp"
#include "common/duration.hpp"

namespace warden::ctl {

namespace {

class TokenCreate : public Command {
 public:
  TokenCreate() : Command({"token", "create"}, tr("Create a token agents enroll with")) {}
  void add_options(CLI::App& app) override {
    app.add_option("--department", department_, tr("Department the enrolled hosts join"))
        ->required();
    app.add_option("--ttl", ttl_, tr("How long the token is valid (e.g. 12h, 7d)"))
        ->capture_default_str();
    app.add_option("--uses", uses_, tr("How many hosts may enroll with it"))->capture_default_str();
    app.add_option("--kind", kind_,
                   tr("agent: a PC enrolls with it; unit: the collector of a unit below "
                      "(`warden-collector upstream enroll`)"))
        ->check(CLI::IsMember({"agent", "unit"}))
        ->capture_default_str();
  }
  Output run(Context& ctx) override {
    v1::CreateTokenRequest req;
    req.set_kind(kind_);
    req.set_department(department_);
    req.set_ttl_seconds(duration_arg(ttl_, "--ttl").count());
    req.set_max_uses(uses_);
    req.set_created_by(whoami());
    auto r = call(ctx, &v1::AdminService::Stub::CreateToken, req);
    json j = token_json(r.info());
    j["token"] = r.token();
    return {j, r.token() + "\n" +
                   trnf("(token {2} for {3}, {1} use, expires {4}; it is shown only now)",
                        "(token {2} for {3}, {1} uses, expires {4}; it is shown only now)",
                        static_cast<long>(r.info().max_uses()), r.info().id(),
                        r.info().department(), local_time(r.info().expires_at_ms())) +
                   "\n"};
  }

 private:
  std::string department_, ttl_ = "7d", kind_ = "agent";
  uint32_t uses_ = 1;
};

class TokenList : public Command {
 public:
  TokenList() : Command({"token", "list"}, tr("List tokens (never their secrets)")) {}
  Output run(Context& ctx) override {
    auto r = call(ctx, &v1::AdminService::Stub::ListTokens);
    int64_t now = now_ms();
    return list_output(
        r.tokens(), Table({tr("ID"), tr("DEPARTMENT"), tr("USES"), tr("EXPIRES"), tr("STATE")}),
        token_json,
        [&](const v1::TokenInfo& tk) -> std::vector<std::string> {
          std::string state = tk.revoked()                 ? tr("revoked")
                              : tk.expires_at_ms() <= now  ? tr("expired")
                              : tk.uses() >= tk.max_uses() ? tr("used up")
                                                           : tr("active");
          return {tk.id(), tk.department(),
                  std::to_string(tk.uses()) + "/" + std::to_string(tk.max_uses()),
                  local_time(tk.expires_at_ms()), state};
        },
        tr("no tokens") + "\n");
  }
};

class TokenRevoke : public Command {
 public:
  TokenRevoke() : Command({"token", "revoke"}, tr("Revoke a token by its ID")) {}
  void add_options(CLI::App& app) override {
    app.add_option("ID", id_, tr("Token ID (the part before the dot)"))->required();
  }
  Output run(Context& ctx) override {
    v1::RevokeTokenRequest req;
    req.set_id(id_);
    auto r = call(ctx, &v1::AdminService::Stub::RevokeToken, req);
    return {token_json(r.info()), trf("revoked token {1}", r.info().id()) + "\n"};
  }

 private:
  std::string id_;
};

}  // namespace

std::unique_ptr<Command> make_token_create() {
  return std::make_unique<TokenCreate>();
}
std::unique_ptr<Command> make_token_list() {
  return std::make_unique<TokenList>();
}
std::unique_ptr<Command> make_token_revoke() {
  return std::make_unique<TokenRevoke>();
}

}  // namespace warden::ctl
