#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  return latchkey::cli::run(argc, argv, {std::cin, std::cout, std::cerr});
}
