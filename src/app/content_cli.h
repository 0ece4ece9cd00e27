// `hcms import wxr FILE --tenant SLUG` and `hcms export wxr --tenant SLUG`.

#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace hcms::app {

struct ContentCommands {
  CLI::App* import_wxr = nullptr;
  CLI::App* export_wxr = nullptr;
  std::string file;
  std::string tenant;
  std::string uploads;
  std::string output;
};

// Declares the subcommands on `cli`.
void AddContentCommands(CLI::App& cli, ContentCommands& cmds);

// Runs the one that was chosen; nullopt when none was.
std::optional<int> RunContentCommands(const ContentCommands& cmds, const std::string& config_file);

}  // namespace hcms::app
