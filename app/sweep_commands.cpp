// Placeholder: the commands are being written (see app/command.hpp).
#include "app/command.hpp"

namespace rotormag::app {

std::vector<Command> add_sweep_commands(CLI::App&, const GlobalOptions&) { return {}; }

}  // namespace rotormag::app
