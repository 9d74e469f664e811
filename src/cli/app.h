// Builds the command line (CLI11), runs the chosen command and maps every
// outcome to the contract's exit codes: 0 done, 1 failed, 2 bad command
// line, 3 check failed.
#pragma once

namespace migrate::cli {

int run(int argc, char** argv);

}  // namespace migrate::cli
