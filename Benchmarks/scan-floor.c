/*
 * The C floor of `make bench`'s report row: SQLite alone handing over the columns a report
 * reads, for every call of a run, and nothing else (no decoding into values, no analysis, no
 * files). The query is the report's own, passed in by the bench (`ResultStore.reportScanSQL`),
 * so the two cannot drift apart.
 *
 *   tradeoff-scan-floor DATABASE RUN_ID SQL
 *
 * SQL takes the run's first id, its last id and the run's id. Every column of every row is read
 * as the report reads it: its value once (`sqlite3_column_value`), then the value's type and
 * content, which costs less than a `sqlite3_column_*` call for each. Prints
 * `bench scan_floor_cpu_seconds X` and `bench scan_floor_rows N`.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void check(int ok, const char *what, sqlite3 *db) {
    if (!ok) {
        fprintf(stderr, "tradeoff-scan-floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: tradeoff-scan-floor DATABASE RUN_ID SQL\n");
        return 2;
    }
    sqlite3 *db = NULL;
    /* Without a connection mutex, as Tradeoff runs SQLite (Sources/CSQLiteSetup). */
    check(sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK, "open", db);
    long long run = atoll(argv[2]);
    struct timespec started, ended;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &started);

    sqlite3_stmt *range = NULL;
    check(sqlite3_prepare_v2(db, "SELECT MIN(id), MAX(id) FROM calls WHERE run_id = ?", -1, &range, NULL) == SQLITE_OK,
          "prepare the range", db);
    sqlite3_bind_int64(range, 1, run);
    check(sqlite3_step(range) == SQLITE_ROW, "read the range", db);
    long long first = sqlite3_column_int64(range, 0), last = sqlite3_column_int64(range, 1);
    sqlite3_finalize(range);

    sqlite3_stmt *scan = NULL;
    check(sqlite3_prepare_v2(db, argv[3], -1, &scan, NULL) == SQLITE_OK, "prepare the scan", db);
    sqlite3_bind_int64(scan, 1, first);
    sqlite3_bind_int64(scan, 2, last);
    sqlite3_bind_int64(scan, 3, run);
    long rows = 0;
    unsigned long long sum = 0;  /* what was read, so that nothing is optimized away */
    int columns = sqlite3_column_count(scan), code;
    while ((code = sqlite3_step(scan)) == SQLITE_ROW) {
        rows++;
        for (int column = 0; column < columns; column++) {
            sqlite3_value *value = sqlite3_column_value(scan, column);
            switch (sqlite3_value_type(value)) {
            case SQLITE_INTEGER: sum += (unsigned long long)sqlite3_value_int64(value); break;
            case SQLITE_FLOAT: sum += (unsigned long long)(sqlite3_value_double(value) * 1000); break;
            case SQLITE_TEXT: {
                const unsigned char *text = sqlite3_value_text(value);
                sum += (unsigned long long)sqlite3_value_bytes(value) + (text ? text[0] : 0);
                break;
            }
            default: break;
            }
        }
    }
    check(code == SQLITE_DONE, "scan", db);
    sqlite3_finalize(scan);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ended);
    sqlite3_close(db);
    printf("bench scan_floor_cpu_seconds %f\n", (ended.tv_sec - started.tv_sec) + (ended.tv_nsec - started.tv_nsec) / 1e9);
    printf("bench scan_floor_rows %ld\n", rows);
    printf("bench scan_floor_checksum %llu\n", sum);
    return 0;
}
