// hashrl list: every registry's names with their one-line docs (the kinds a config can name).
#include <iostream>

#include "catalog.h"
#include "cli.h"

namespace hashrl::cli {

int run_list(const std::vector<std::string>& args) {
  po::options_description options("hashrl list");
  po::variables_map vm;
  if (!parse("list", args, options, vm, "")) return 0;
  std::cout << registry_listing();
  return 0;
}

}  // namespace hashrl::cli
