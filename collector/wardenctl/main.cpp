// wardenctl: the admin command line for a Warden collector, over its admin socket. The commands
// are objects listed in commands.cpp (command.hpp says what one is); this file parses the global
// flags, runs the chosen command and turns a failure into its exit code.
//
// The language (--lang, else the environment: LC_ALL, LC_MESSAGES, LANG, LANGUAGE) is chosen
// before the command line is built, so the help texts are in it too. CLI11's own messages for a
// wrong command line ("The following argument was not expected", ...) stay English.
#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "collector/wardenctl/commands.hpp"
#include "collector/wardenctl/output.hpp"
#include "common/error.hpp"
#include "common/i18n/i18n.hpp"
#include "common/version.hpp"

using namespace warden;
using namespace warden::ctl;
using i18n::tr;

namespace {

// The value of the last --lang on the command line (before a "--"), if there is one.
std::optional<std::string> lang_argument(int argc, char** argv) {
  std::optional<std::string> value;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--lang" && i + 1 < argc)
      value = argv[++i];
    else if (a.substr(0, 7) == "--lang=")
      value = std::string(a.substr(7));
  }
  return value;
}

// CLI11's help, with the columns lined up by display width (CLI11 pads by bytes: a Chinese
// word such as 文本 would push the description two columns left).
class Formatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return line(make_option_name(opt, is_positional) + make_option_opts(opt),
                make_option_desc(opt));
  }

 private:
  std::string line(const std::string& name, const std::string& description) const {
    std::string out = "  " + name;
    size_t width = ctl::display_width(out);
    if (!description.empty()) {
      if (width >= column_width_)
        out += "\n" + std::string(column_width_, ' ');
      else
        out += std::string(column_width_ - width, ' ');
      for (char c : description) {
        out += c;
        if (c == '\n') out += std::string(column_width_, ' ');
      }
    }
    return out + "\n";
  }
};

// CLI11's labels in the help output, in the chosen language.
void translate_help(CLI::App& app) {
  app.formatter(std::make_shared<Formatter>());
  auto fmt = app.get_formatter();
  for (const char* label :
       {i18n::N_("Usage"), i18n::N_("OPTIONS"), i18n::N_("SUBCOMMAND"), i18n::N_("SUBCOMMANDS"),
        i18n::N_("Positionals"), i18n::N_("REQUIRED"), i18n::N_("TEXT"), i18n::N_("INT"),
        i18n::N_("UINT"), i18n::N_("Env"), i18n::N_("Needs"), i18n::N_("Excludes")})
    fmt->label(label, tr(label));
  app.option_defaults()->group(tr("Options"));
  app.set_help_flag("-h,--help", tr("Print this help message and exit"));
}

}  // namespace

int main(int argc, char** argv) {
  i18n::set_language(i18n::language_from_environment());
  if (auto lang = lang_argument(argc, argv)) {
    auto parsed = i18n::parse_language(*lang);
    if (!parsed) {  // said in the environment's language
      std::cerr << "wardenctl: "
                << i18n::trf(
                       "--lang '{1}' is not a language wardenctl speaks: use zh-CN "
                       "(Simplified Chinese) or en",
                       *lang)
                << "\n";
      return exit_code(ErrorKind::invalid);
    }
    i18n::set_language(*parsed);
  }

  Context ctx;
  CLI::App app{tr("wardenctl: query and steer a Warden collector")};
  translate_help(app);
  app.set_version_flag("--version", kVersion, tr("Display program version information and exit"));
  app.require_subcommand(1);
  app.add_option("-s,--socket", ctx.socket, tr("Collector admin socket"))->capture_default_str();
  app.add_flag("--json", ctx.as_json, tr("Machine-readable JSON output"));
  std::string lang;
  app.add_option("--lang", lang,
                 tr("Language of the output: zh-CN (Simplified Chinese) or en (default: from "
                    "LC_ALL, LC_MESSAGES, LANG)"));
  app.footer(
      tr("Exit codes: 0 ok, 1 internal error, 2 invalid input, 3 not found, 4 conflict, 5 denied,\n"
         "6 collector unavailable, 7 `sweep run --wait` timed out before every agent answered;\n"
         "a wrong command line exits as CLI11 does (100 and up)."));
  CommandLine commands(app, ctx);

  CLI11_PARSE(app, argc, argv);

  try {
    return commands.run(ctx);
  } catch (const Failure& f) {
    std::cerr << "wardenctl: " << error_lead_in(f.error().kind) << f.what() << "\n";
    return exit_code(f.error().kind);
  } catch (const std::exception& e) {
    std::cerr << "wardenctl: " << e.what() << "\n";
    return 1;
  }
}
