// libpq through the functions it exports, looked up when the first connection is made.
#include "CLibPQ.h"
#include "CLazyLibrary.h"

#include <pthread.h>

#ifdef __APPLE__
#define LIBPQ "libpq.5.dylib"
#else
#define LIBPQ "libpq.so.5"  // the soname of the ABI the header describes
#endif

// Each function: its name, result, parameters and the arguments passed on.
#define FUNCTIONS(X)                                                                                          \
    X(PQconnectdb, PGconn *, (const char *conninfo), (conninfo))                                              \
    X(PQstatus, ConnStatusType, (const PGconn *connection), (connection))                                     \
    X(PQerrorMessage, char *, (const PGconn *connection), (connection))                                       \
    X(PQfinish, void, (PGconn *connection), (connection))                                                     \
    X(PQexec, PGresult *, (PGconn *connection, const char *query), (connection, query))                       \
    X(PQexecParams, PGresult *,                                                                               \
      (PGconn *connection, const char *command, int count, const Oid *types, const char *const *values,      \
       const int *lengths, const int *formats, int resultFormat),                                             \
      (connection, command, count, types, values, lengths, formats, resultFormat))                            \
    X(PQresultStatus, ExecStatusType, (const PGresult *result), (result))                                     \
    X(PQresultErrorMessage, char *, (const PGresult *result), (result))                                       \
    X(PQclear, void, (PGresult *result), (result))                                                            \
    X(PQnfields, int, (const PGresult *result), (result))                                                     \
    X(PQfname, char *, (const PGresult *result, int field), (result, field))                                  \
    X(PQntuples, int, (const PGresult *result), (result))                                                     \
    X(PQgetisnull, int, (const PGresult *result, int row, int field), (result, row, field))                   \
    X(PQgetvalue, char *, (const PGresult *result, int row, int field), (result, row, field))

#define INDEX(name, ...) name##_index,
#define NAME(name, ...) #name,
enum { FUNCTIONS(INDEX) function_count };
static const char *const names[function_count] = {FUNCTIONS(NAME)};
static void *slots[function_count];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int failed;

static void load(void) {
    failed = tradeoff_lazy_library_open(LIBPQ, names, slots, function_count, failure, sizeof failure) != 0;
}

const char *tradeoff_pq_load(void) {
    pthread_once(&once, load);
    return failed ? failure : NULL;
}

#define WRAPPER(name, result, parameters, arguments) \
    result tradeoff_##name parameters { return ((result(*) parameters)slots[name##_index]) arguments; }
FUNCTIONS(WRAPPER)
