// wardenctl in Chinese (issue 12): every command, run against a real collector and agent with
// --lang zh-CN (some through LANG=zh_CN.UTF-8 instead), prints Chinese headers, statuses and
// messages and none of the English words wardenctl used to print; times are local with their
// offset; `sweep run --wait` draws a progress bar on a terminal and plain lines into a pipe.
//
// The commands come from wardenctl's own --help (the command table, commands.cpp): a command
// added there without a step here fails the test.
#include <signal.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "common/duration.hpp"
#include "common/time_zone.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden::test;
using nlohmann::json;

namespace {

enum class Via { flag, env };

CommandResult wardenctl(const CollectorProcess& c, std::vector<std::string> args,
                        Via via = Via::flag) {
  std::vector<std::string> argv = {binary("wardenctl").string(), "-s", c.socket().string()};
  std::map<std::string, std::string> env = {{"TZ", "Asia/Shanghai"}};
  if (via == Via::env) {
    env["LC_ALL"] = "";
    env["LC_MESSAGES"] = "";
    env["LANG"] = "zh_CN.UTF-8";
  } else {
    argv.insert(argv.end(), {"--lang", "zh-CN"});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, env);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The names listed under "Subcommands:" in an English --help.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  bool in_list = false;
  for (const auto& l : lines_of(help)) {
    if (l == "Subcommands:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (l.empty() || l[0] != ' ') break;
    std::istringstream words(l);
    std::string name;
    words >> name;
    names.push_back(name);
  }
  return names;
}

// Every command path wardenctl has ("token create", "status", ...), from its --help.
std::vector<std::string> command_paths(const CollectorProcess& c) {
  std::vector<std::string> paths;
  std::function<void(const std::string&)> walk = [&](const std::string& at) {
    std::vector<std::string> argv = {binary("wardenctl").string(), "-s", c.socket().string(),
                                     "--lang", "en"};
    std::istringstream words(at);
    for (std::string w; words >> w;) argv.push_back(w);
    argv.push_back("--help");
    auto r = run(argv);
    REQUIRE(r.exit_code == 0);
    auto subs = subcommands_in(r.out);
    // A command that has subcommands of its own (`incidents`, `incidents set`): optional ones.
    if (!at.empty() && (subs.empty() || r.out.find("[SUBCOMMAND]") != std::string::npos))
      paths.push_back(at);
    if (subs.empty()) return;
    for (const auto& s : subs) walk(at.empty() ? s : at + " " + s);
  };
  walk("");
  return paths;
}

// The English words wardenctl printed before it spoke Chinese (table headers, states, messages).
const std::set<std::string>& english_words() {
  static const std::set<std::string> words = {
      // table headers
      "HOSTNAME", "DEPARTMENT", "STATUS", "SEVERITY", "CHECK", "SUMMARY", "LAST", "SEEN", "FAILING",
      "OWNER", "STATE", "PASS", "FAIL", "ERROR", "USES", "EXPIRES", "TIME", "FROM", "TO",
      "RECEIVED", "KIND", "DATA", "WHO", "ACTION", "DETAILS", "REQUESTED", "BY", "ANSWERED",
      "OFFLINE", "ONLINE", "HOSTS", "SERIAL", "CLASS", "REGISTERED", "FIRST", "HOST", "WHAT", "WAS",
      "NOW", "AGENT", "SINCE", "TITLE", "VENDOR", "PRODUCT",
      // statuses, severities, states, durations
      "pass", "fail", "error", "info", "low", "medium", "high", "critical", "online", "offline",
      "revoked", "active", "expired", "used", "never", "now", "ago", "general", "classified",
      "manual", "scheduled",
      // messages and labels
      "no", "yet", "hosts", "tokens", "events", "incidents", "history", "findings", "sweeps",
      "answered", "missing", "imported", "registered", "removed", "wrote", "warning", "total",
      "failing", "department", "owner", "state", "last", "seen", "kernel", "address", "policy",
      "revision", "overrides", "effective", "sweep", "token", "sent", "connected", "agents", "the",
      "of", "for", "and", "is", "at", "with", "elapsed", "caught", "expires", "shown", "only",
      "use", "uses", "serial", "ledger", "empty", "nothing", "match", "recorded", "Usage",
      "Options", "Subcommands", "Positionals", "REQUIRED", "TEXT", "INT", "UINT", "Print", "Exit",
      "codes", "Display"};
  return words;
}

// The words of `text` that wardenctl used to print in English. Data is not words: quoted
// strings (JSON), `commands`, and tokens with digits or punctuation (IDs, addresses, times,
// paths, check IDs) are skipped, as are the `allowed` phrases (what agents sent: hostnames,
// the OS name, summaries stored without a template key).
std::vector<std::string> english_left(std::string text, const std::vector<std::string>& allowed) {
  for (const auto& phrase : allowed) {
    if (phrase.empty()) continue;
    for (size_t at; (at = text.find(phrase)) != std::string::npos;) text.erase(at, phrase.size());
  }
  text = std::regex_replace(text, std::regex("`[^`\n]*`"), " ");
  text = std::regex_replace(text, std::regex("\"[^\"\n]*\""), " ");
  text = std::regex_replace(text, std::regex("\"[^\n]*"), " ");  // a quote cut off (events)
  std::vector<std::string> found;
  if (text.find("N/A") != std::string::npos) found.push_back("N/A");
  std::string token;
  auto flush = [&] {
    bool letters_only = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    if (letters_only && english_words().count(token)) found.push_back(token);
    token.clear();
  };
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || c == ' ' || c == '\n' || c == '\t' || c == '(' || c == ')' || c == '[' ||
        c == ']' || c == ',' || c == ';' || c == '{' || c == '}' || c == '<' || c == '>')
      flush();
    else
      token += c;
  }
  flush();
  return found;
}

bool has_cjk(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0xe4; });
}

// One command run in Chinese and what its output must show.
struct Step {
  std::string path;                 // "token create"
  std::vector<std::string> args;    // after --lang zh-CN
  std::vector<std::string> expect;  // substrings of stdout (or stderr when `on_stderr`)
  Via via = Via::flag;
  int exit_code = 0;
  bool on_stderr = false;   // a document command: stdout is the document
  bool check_words = true;  // the document itself (CSV, JSON) is data
};

}  // namespace

TEST_CASE("every wardenctl command speaks Chinese with --lang zh-CN or LANG=zh_CN.UTF-8",
          "[wardenctl][i18n]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  const std::string department = "财务处";
  AgentProcess agent(dir / "agent", collector);
  REQUIRE(agent.enroll(collector.create_token(department, "1h", 2)).exit_code == 0);
  agent.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(1));
  // Results to show: one sweep first, in English (the default), as scripts run it.
  REQUIRE(collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"})["answered"] == 1);

  auto host = collector.ctl_json({"host", agent.agent_id()});
  std::string hostname = host["hostname"];
  std::string agent_id = agent.agent_id();
  // What the agent sent is data: its hostname, OS, and the summaries as stored (shown as sent
  // when they have no template key: agents before 0.2, history, incidents). Read again before
  // each step, as central checks change them when the ledger does.
  auto data_phrases = [&] {
    std::vector<std::string> allowed = {hostname, host["os"].get<std::string>(),
                                        host["kernel"].get<std::string>()};
    for (const auto& f : collector.ctl_json({"findings"})) allowed.push_back(f["summary"]);
    auto history = collector.ctl_json({"host", agent_id, "--history"});
    for (const auto& e : history["history"]) allowed.push_back(e["summary"]);
    for (const auto& i : collector.ctl_json({"incidents"})) allowed.push_back(i["summary"]);
    std::sort(allowed.begin(), allowed.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return allowed;
  };

  write_file(dir / "ledger.csv", "hostname,ip,mac,department,owner,classification\n" + hostname +
                                     ",10.9.0.1,aa:bb:cc:00:09:01," + department +
                                     ",张三,general\n");
  write_file(dir / "policy.json", R"({"antivirus": {"signature_max_age_days": 5}})");
  // --json keeps its English keys and codes, and adds the words in the chosen language.
  auto findings = json::parse(wardenctl(collector, {"--json", "findings"}).out);
  REQUIRE(!findings.empty());
  for (const auto& f : findings) {
    INFO(f.dump());
    CHECK(std::set<std::string>{"pass", "fail", "error", "not_applicable"}.count(f["status"]));
    CHECK(std::set<std::string>{"通过", "不通过", "错误", "不适用"}.count(f["status_text"]));
    CHECK(has_cjk(f["severity_text"]));
    CHECK(has_cjk(f["check_title"]));
    CHECK(f["summary"].is_string());
    // A summary with its template key is rendered in the reader's language.
    if (!f["summary_key"].get<std::string>().empty()) CHECK(has_cjk(f["summary_text"]));
    CHECK(f["since"].get<std::string>().back() == 'Z');  // machine times stay UTC
  }

  // A peer's exchange certificate (made with openssl, as another collector's would be) and its
  // fingerprint, for the exchange steps.
  auto peer_key = dir / "peer.key", peer_pem = dir / "peer.pem";
  REQUIRE(run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
               "-nodes", "-keyout", peer_key.string(), "-out", peer_pem.string(), "-subj",
               "/CN=peer", "-days", "1", "-addext", "basicConstraints=critical,CA:FALSE"})
              .exit_code == 0);
  auto fp = run({"openssl", "x509", "-in", peer_pem.string(), "-noout", "-fingerprint", "-sha256"});
  REQUIRE(fp.exit_code == 0);
  std::string peer_fingerprint = "SHA256:" + fp.out.substr(fp.out.find('=') + 1);
  peer_fingerprint.erase(std::remove(peer_fingerprint.begin() + 7, peer_fingerprint.end(), ':'),
                         peer_fingerprint.end());
  while (!peer_fingerprint.empty() &&
         std::isspace(static_cast<unsigned char>(peer_fingerprint.back())))
    peer_fingerprint.pop_back();

  std::string token_id;
  std::string sweep_id = "1";
  const std::string deadline = warden::format_civil_date(
      warden::add_days(warden::TimeZone::system().date_at(warden::now_ms()), 7));

  std::vector<Step> steps = {
      {"status", {"status"}, {"主机：共 1 台", "部门", "检查项", "检查内容", "通过", "不通过"}},
      {"hosts", {"hosts"}, {"主机名", "代理 ID", "部门", "责任人", "状态", "最后在线", "在线"}},
      {"hosts", {"hosts", "--department", "没有这个部门"}, {"没有主机"}},
      {"host",
       {"host", agent_id},
       {"部门：", "责任人：", "状态：", "在线", "操作系统：", "内核", "代理版本：", "检查项",
        "严重程度", "说明"}},
      {"host",
       {"host", agent_id, "--history"},
       {"时间", "检查项", "原状态", "新状态", "说明"},
       Via::env},
      {"findings", {"findings"}, {"主机名", "检查项", "检查内容", "状态", "严重程度", "持续时间"}},
      {"findings", {"findings", "--check", "no.such_check"}, {"没有符合条件的检查结果"}},
      {"token create",
       {"token", "create", "--department", department, "--ttl", "2d", "--uses", "3"},
       {"令牌", "可用 3 次", "+08:00", "仅在此时显示一次"}},
      {"token list",
       {"token", "list"},
       {"ID", "部门", "已用次数", "过期时间", "状态", "有效", "+08:00"}},
      {"token revoke", {"token", "revoke", "<token>"}, {"已吊销令牌"}},
      {"sweep run", {"sweep", "run"}, {"已发送给 1 个已连接的代理", "wardenctl sweep show"}},
      {"sweep run",
       {"sweep", "run", "--wait", "--timeout", "60s"},
       {"巡检", "已应答 1/1", "1 个代理中已有 1 个应答"},
       Via::env},
      {"sweep show", {"sweep", "show", "<sweep>"}, {"巡检", "个代理中已有"}},
      {"sweep list", {"sweep", "list"}, {"发起时间", "发起人", "类型", "已应答", "手动", "+08:00"}},
      {"assign",
       {"assign", agent_id, "--owner", "李四", "--classification", "classified"},
       {"部门 " + department, "责任人 李四", "涉密"}},
      {"ledger import", {"ledger", "import", (dir / "ledger.csv").string()}, {"已导入 1 台主机"}},
      {"ledger list", {"ledger", "list"}, {"主机名", "部门", "责任人", "密级", "非涉密", "张三"}},
      {"ledger set",
       {"ledger", "set", "pc-zh-02", "--ip", "10.9.0.2", "--mac", "aa:bb:cc:00:09:02",
        "--department", department},
       {"pc-zh-02：IP 10.9.0.2，MAC aa:bb:cc:00:09:02，部门 " + department}},
      {"ledger export",
       {"ledger", "export", "-o", (dir / "ledger-out.csv").string()},
       {"已写入"},
       Via::flag,
       0,
       true},
      {"ledger remove", {"ledger", "remove", "pc-zh-02"}, {"已从台账中删除 pc-zh-02"}},
      {"usb register",
       {"usb", "register", "4C530001231120115142", "--vendor-id", "0781", "--product-id", "5567",
        "--class", "classified", "--owner", "张三"},
       {"已登记 0781:5567", "涉密"}},
      {"usb list",
       {"usb", "list"},
       {"序列号", "厂商:产品", "密级", "责任人", "登记时间", "+08:00"}},
      {"usb history",
       {"usb", "history", "4C530001231120115142"},
       {"已登记为涉密", "从未发现"},
       Via::env},
      {"policy show", {"policy", "show"}, {"顶层（全单位）的策略覆盖项"}},
      {"policy show", {"policy", "show", "--effective"}, {"生效策略"}},
      {"policy set",
       {"policy", "set", "--department", department, "antivirus.signature_max_age_days=4"},
       {department + "的策略现为第", "已发送给已连接的代理"}},
      {"policy import",
       {"policy", "import", (dir / "policy.json").string(), "--department", department},
       {"的策略现为第"}},
      {"policy export",
       {"policy", "export", "--department", department, "-o", (dir / "policy-out.json").string()},
       {"已写入"},
       Via::flag,
       0,
       true},
      {"events", {"events", "--kind", "no.such_kind"}, {"没有事件"}},
      {"events", {"events"}, {}},
      {"incidents", {"incidents"}, {}},
      {"incidents set",
       {"incidents", "set", "999999", "--cause", "原因"},
       {"wardenctl: 未找到："},
       Via::flag,
       3,
       true,
       false},
      {"remediation set",
       {"remediation", "set", agent_id, "host.firewall", "--measure", "开启防火墙", "--person",
        "李四", "--deadline", "<deadline>", "--force"},
       {"整改措施：开启防火墙", "责任人 李四", "期限"}},
      {"remediation list",
       {"remediation", "list"},
       {"主机名", "整改措施", "责任人", "整改期限", "整改中", "开启防火墙"}},
      {"remediation list", {"remediation", "list", "--overdue"}, {"没有已逾期的整改项"}, Via::env},
      {"remediation close", {"remediation", "close", agent_id, "host.firewall"}, {"已关闭"}},
      {"units", {"units"}, {"没有下级单位"}},
      {"units revoke",
       {"units", "revoke", "no-such-unit"},
       {"wardenctl: 未找到："},
       Via::flag,
       3,
       true,
       false},
      {"exchange identity",
       {"exchange", "identity", "-o", (dir / "self.pem").string()},
       {"指纹：SHA256:", "证书已写入"}},
      {"exchange peer add",
       {"exchange", "peer", "add", "对端网络", "--certificate", peer_pem.string(), "--fingerprint",
        peer_fingerprint, "--role", "peer"},
       {"已固定 对端网络"}},
      {"exchange peers", {"exchange", "peers"}, {"名称", "角色", "对端网络", "已发出", "指纹"}},
      {"exchange export",
       {"exchange", "export", "--to", "对端网络", "-o", (dir / "out.bundle").string()},
       {"第 1 号数据包已写入", "移动存储介质"}},
      // Sealed for the peer, not for this collector: refused.
      {"exchange import",
       {"exchange", "import", (dir / "out.bundle").string()},
       {"wardenctl: 拒绝访问："},
       Via::flag,
       5,
       true,
       false},
      {"exchange peer remove", {"exchange", "peer", "remove", "对端网络"}, {"已取消固定 对端网络"}},
      {"audit", {"audit"}, {"时间", "操作人", "操作", "详情", "+08:00"}},
      {"report",
       {"report", "--from", "2026-11-01", "--to", "2026-12-01", "-o",
        (dir / "report.json").string()},
       {"已写入"},
       Via::env,
       0,
       true},
      {"revoke", {"revoke", agent_id}, {"已吊销 " + hostname}},
      {"hosts", {"hosts"}, {"已吊销"}},
      // Errors wardenctl composes itself, and a kind-specific lead-in before the collector's.
      {"host", {"host", "no-such-host"}, {"wardenctl: 未找到："}, Via::flag, 3, true, false},
      {"policy set",
       {"policy", "set", "=1"},
       {"wardenctl: 输入无效：应为 键=值"},
       Via::flag,
       2,
       true},
      {"events", {"events", "--since", "soon"}, {"不是时长"}, Via::flag, 2, true},
  };

  // Every command wardenctl has is run here at least once.
  auto paths = command_paths(collector);
  REQUIRE(paths.size() >= 28);
  std::set<std::string> covered;
  for (const auto& s : steps) covered.insert(s.path);
  for (const auto& p : paths) {
    INFO("wardenctl " << p << " has no Chinese step in wardenctl_zh_test.cpp");
    CHECK(covered.count(p) == 1);
  }
  for (const auto& c : covered) {
    INFO("a step for a command wardenctl does not have: " << c);
    CHECK(std::find(paths.begin(), paths.end(), c) != paths.end());
  }

  for (auto& step : steps) {
    for (auto& a : step.args) {
      if (a == "<token>") a = token_id;
      if (a == "<sweep>") a = sweep_id;
      if (a == "<deadline>") a = deadline;
    }
    auto allowed = data_phrases();
    auto r = wardenctl(collector, step.args, step.via);
    std::string shown = step.on_stderr ? r.err : r.out;
    INFO("wardenctl " << (step.via == Via::env ? "(LANG=zh_CN.UTF-8) " : "--lang zh-CN ")
                      << step.path << " -> " << r.exit_code << "\nstdout:\n"
                      << r.out << "\nstderr:\n"
                      << r.err);
    CHECK(r.exit_code == step.exit_code);
    for (const auto& e : step.expect) CHECK(shown.find(e) != std::string::npos);
    if (step.check_words) {
      CHECK(english_left(r.err, allowed).empty());
      if (!step.on_stderr) {
        CHECK(english_left(r.out, allowed).empty());
        CHECK(has_cjk(r.out));
      }
    }
    if (step.path == "token create") token_id = r.out.substr(0, r.out.find('.'));
    if (step.path == "sweep run" && step.args.size() == 2) {
      std::smatch m;
      REQUIRE(std::regex_search(r.out, m, std::regex("巡检 ([0-9]+)")));
      sweep_id = m[1];
    }
  }

  // Every command's help is Chinese too.
  for (const auto& p : paths) {
    std::vector<std::string> args;
    std::istringstream words(p);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    auto r = wardenctl(collector, args, p == "findings" ? Via::env : Via::flag);
    INFO("wardenctl --lang zh-CN " << p << " --help:\n" << r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("用法") != std::string::npos);
    CHECK(r.out.find("显示本帮助信息并退出") != std::string::npos);
    // Words of the command line itself (its path, option and argument names) are not prose.
    std::string text = std::regex_replace(r.out, std::regex("wardenctl( [a-z]+)*"), " ");
    text = std::regex_replace(text, std::regex("\\b(HOST|HOSTNAME|SERIAL|ID|FILE|CHECK)\\b"), " ");
    // Values an option takes are syntax too: general（非涉密）, fail（不通过）.
    text = std::regex_replace(text, std::regex("\\b(general|classified|pass|fail|error)（"), "（");
    text = std::regex_replace(text, std::regex("\\{[^}\n]*\\}"), " ");  // 文本:{pass,fail,...}
    CHECK(english_left(text, {}).empty());
    // No English sentence: three words in a row.
    std::string prose = std::regex_replace(text, std::regex("`[^`\n]*`"), " ");
    bool sentence = std::regex_search(prose, std::regex("[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}"));
    CHECK_FALSE(sentence);
  }
  auto top = wardenctl(collector, {"--help"});
  CHECK(top.out.find("退出码") != std::string::npos);
  CHECK(top.out.find("合规巡检") != std::string::npos);
  CHECK(top.out.find("子命令") != std::string::npos);

  // An unknown language is refused before anything runs.
  auto bad = run({binary("wardenctl").string(), "--lang", "fr", "status"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--lang 'fr'") != std::string::npos);
  auto bad_zh =
      run({binary("wardenctl").string(), "--lang", "fr", "status"}, {{"LC_ALL", "zh_CN.UTF-8"}});
  CHECK(bad_zh.exit_code == 2);
  CHECK(bad_zh.err.find("--lang 的值“fr”不是 wardenctl 支持的语言") != std::string::npos);
}

// [any-backend]: how wardenctl draws progress; the counts it reads are covered on both backends
// by the sweep tests.
TEST_CASE("sweep run --wait draws a progress bar on a terminal and plain lines into a pipe",
          "[any-backend][wardenctl][i18n]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::string token = collector.create_token("Finance", "1h", 2);
  AgentProcess answering(dir / "a", collector), frozen(dir / "b", collector);
  REQUIRE(answering.enroll(token).exit_code == 0);
  REQUIRE(frozen.enroll(token).exit_code == 0);
  answering.start({"--no-startup-sweep"});
  frozen.start({"--no-startup-sweep"});
  REQUIRE(collector.wait_online(2));
  frozen.signal(SIGSTOP);  // connected but it cannot answer: the sweep waits until the timeout

  // A terminal: script(1) runs wardenctl on a pseudo-terminal and copies what it drew.
  std::string command = binary("wardenctl").string() + " -s " + collector.socket().string() +
                        " --lang zh-CN sweep run --wait --timeout 12s";
  auto tty = run({"script", "-qec", command, "/dev/null"}, {{"TZ", "Asia/Shanghai"}});
  INFO("on a terminal:\n" << tty.out);
  CHECK(tty.exit_code == 7);
  std::regex bar("\r\\[#{10}-{10}\\] 已应答 1/2  已用时 0:0[0-9]");
  auto draws = std::distance(std::sregex_iterator(tty.out.begin(), tty.out.end(), bar),
                             std::sregex_iterator());
  CHECK(draws >= 3);  // redrawn in place while it waits (every 200 ms, until 12 s)
  CHECK(tty.out.find("已用时 0:02") != std::string::npos);
  CHECK(tty.out.find("2 个代理中已有 1 个应答") != std::string::npos);

  // A pipe: a line when the answered count changes, no carriage returns, no escape codes.
  auto piped = run({binary("wardenctl").string(), "-s", collector.socket().string(), "--lang",
                    "zh-CN", "sweep", "run", "--wait", "--timeout", "12s"});
  INFO("piped:\n" << piped.out);
  CHECK(piped.exit_code == 7);
  CHECK(piped.out.find('\r') == std::string::npos);
  CHECK(piped.out.find('\033') == std::string::npos);
  int progress_lines = 0;
  std::set<std::string> counts;
  for (const auto& l : lines_of(piped.out)) {
    std::smatch m;
    if (std::regex_search(l, m,
                          std::regex("^巡检 [0-9]+：已应答 ([0-9])/2，已用时 [0-9]:[0-9]{2}$"))) {
      ++progress_lines;
      counts.insert(m[1]);
    }
  }
  CHECK(progress_lines >= 1);
  CHECK(progress_lines == static_cast<int>(counts.size()));  // one line per change only
  CHECK(piped.out.find("2 个代理中已有 1 个应答") != std::string::npos);

  // --json: the JSON alone on standard output.
  auto js = run({binary("wardenctl").string(), "-s", collector.socket().string(), "--json", "sweep",
                 "run", "--wait", "--timeout", "1s"});
  CHECK(js.exit_code == 7);
  CHECK(json::parse(js.out)["expected"] == 2);
  frozen.stop(SIGKILL);
}
