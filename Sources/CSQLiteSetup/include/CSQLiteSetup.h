#ifndef TRADEOFF_CSQLITESETUP_H
#define TRADEOFF_CSQLITESETUP_H

/// What `sqlite3_config(SQLITE_CONFIG_MULTITHREAD)` returned when the program was loaded:
/// `SQLITE_OK` (0) when SQLite runs in multi-thread mode, `SQLITE_MISUSE` (21) when something
/// had started SQLite before.
int tradeoff_sqlite_multithread_result(void);

#endif
