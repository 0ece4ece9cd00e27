// hcms: the healthcare CMS server and its command line. See `hcms --help`.
#include "app/cli.h"

int main(int argc, char** argv) { return hcms::app::RunCli(argc, argv); }
