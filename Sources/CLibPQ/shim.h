// libpq, PostgreSQL's C client: the shared history (`tradeoff push`, `--db postgres://`).
// Debian puts the header under /usr/include/postgresql, which pkg-config's libpq names.
#include <libpq-fe.h>
