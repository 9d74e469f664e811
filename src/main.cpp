// The `migrate` executable: everything lives in migrate_core; see cli/app.h.
#include "cli/app.h"

int main(int argc, char** argv) { return migrate::cli::run(argc, argv); }
