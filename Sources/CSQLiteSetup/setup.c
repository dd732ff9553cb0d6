// SQLite in multi-thread mode, set when the program is loaded, before anything opens a database.
//
// Debian's SQLite is built serialized: every connection has a mutex, and every `sqlite3_column_*`,
// `sqlite3_bind_*` and `sqlite3_step` locks and unlocks it. GRDB never uses one connection from two
// threads at once (each sits behind its own serial queue; its docs call multi-thread mode the
// only one it supports), so those locks guard nothing here. They were 30% of SQLite's own time
// reading a report's million rows (C, the report's query: 2.25 s serialized, 1.60 s multi-thread).
//
// `sqlite3_config` works only before SQLite starts, and it is variadic, which Swift cannot call:
// hence C, and a constructor, so that no order of opening databases (a test process opens many)
// can come first. SQLite's own global state (page cache, allocator, VFS) keeps its mutexes.
#include <sqlite3.h>
#include "CSQLiteSetup.h"

static int result = -1;

__attribute__((constructor)) static void tradeoff_sqlite_multithread(void) {
    result = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

int tradeoff_sqlite_multithread_result(void) { return result; }
