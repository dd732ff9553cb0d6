#ifndef TRADEOFF_CLIBPQ_H
#define TRADEOFF_CLIBPQ_H

// libpq, PostgreSQL's C client: the shared history (`tradeoff push`, `--db postgres://`).
// Debian puts the header under /usr/include/postgresql.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif

// libpq, opened the first time a connection is made (`tradeoff_pq_load`), not when the program
// starts (see CLazyLibrary). Each function of libpq that Tradeoff calls goes through a
// `tradeoff_` function of the same name and arguments; nothing links libpq.

/// Opens libpq, once. NULL, or why it could not be opened.
const char *tradeoff_pq_load(void);

PGconn *tradeoff_PQconnectdb(const char *conninfo);
ConnStatusType tradeoff_PQstatus(const PGconn *connection);
char *tradeoff_PQerrorMessage(const PGconn *connection);
void tradeoff_PQfinish(PGconn *connection);
PGresult *tradeoff_PQexec(PGconn *connection, const char *query);
PGresult *tradeoff_PQexecParams(PGconn *connection, const char *command, int count, const Oid *types,
                                const char *const *values, const int *lengths, const int *formats, int resultFormat);
ExecStatusType tradeoff_PQresultStatus(const PGresult *result);
char *tradeoff_PQresultErrorMessage(const PGresult *result);
void tradeoff_PQclear(PGresult *result);
int tradeoff_PQnfields(const PGresult *result);
char *tradeoff_PQfname(const PGresult *result, int field);
int tradeoff_PQntuples(const PGresult *result);
int tradeoff_PQgetisnull(const PGresult *result, int row, int field);
char *tradeoff_PQgetvalue(const PGresult *result, int row, int field);

#endif
