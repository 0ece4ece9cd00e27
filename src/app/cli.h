// The command line: hcms serve | migrate | config check | version | tenant create |
// user create. Exit codes: 0 success, 1 runtime failure, 2 usage or configuration
// error.

#pragma once

namespace hcms::app {

int RunCli(int argc, char** argv);

}  // namespace hcms::app
