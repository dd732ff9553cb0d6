/*
 * The C floor for `make bench`: the least a harness can spend per call on this machine.
 *
 * It does what the harness does for one call, and nothing else: a streamed chat request over
 * libcurl's socket interface driven by epoll (the efficient way, as the harness drives it),
 * with a window of requests in flight and reused easy handles, the body read into memory, and
 * one row written to SQLite (WAL, rows batched into transactions as the harness batches them).
 * It parses nothing and grades nothing. The harness's CPU per call is printed next to this one,
 * measured in the same run against the same fake provider.
 *
 *   tradeoff-floor PORT CALLS CONCURRENCY DATABASE
 *
 * Prints `bench floor_cpu_us_per_call X` and `bench floor_wall_seconds X`.
 */
#include <curl/curl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 256 };

struct transfer {
    CURL *easy;
    long index;
    char *body;
    size_t length, capacity;
    char request[256];
    struct timespec started;
};

static size_t on_data(char *data, size_t size, size_t count, void *context) {
    struct transfer *transfer = context;
    size_t bytes = size * count;
    if (transfer->length + bytes + 1 > transfer->capacity) {
        size_t capacity = transfer->capacity ? transfer->capacity * 2 : 4096;
        while (capacity < transfer->length + bytes + 1) capacity *= 2;
        char *grown = realloc(transfer->body, capacity);
        if (!grown) return 0;
        transfer->body = grown;
        transfer->capacity = capacity;
    }
    memcpy(transfer->body + transfer->length, data, bytes);
    transfer->length += bytes;
    return bytes;
}

/* Starts call `index` on `transfer`, which is idle. */
static void start(CURLM *multi, struct transfer *transfer, long index) {
    transfer->index = index;
    transfer->length = 0;
    snprintf(transfer->request, sizeof transfer->request,
             "{\"model\":\"sim/bench\",\"stream\":true,\"max_tokens\":16,\"messages\":["
             "{\"role\":\"system\",\"content\":\"You are a calculator.\"},"
             "{\"role\":\"user\",\"content\":\"Compute: %ld + %ld. Answer with the number only.\"}]}",
             index, index % 97);
    curl_easy_setopt(transfer->easy, CURLOPT_POSTFIELDS, transfer->request);
    clock_gettime(CLOCK_MONOTONIC, &transfer->started);
    curl_multi_add_handle(multi, transfer->easy);
}

/* curl names the sockets to watch: mirror them in the epoll set. */
static int on_socket(CURL *easy, curl_socket_t socket, int what, void *context, void *known) {
    (void)easy;
    int epoll = *(int *)context;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, socket, NULL);
        return 0;
    }
    struct epoll_event event = {.events = 0, .data.fd = socket};
    if (what & CURL_POLL_IN) event.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
    if (epoll_ctl(epoll, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event) != 0)
        epoll_ctl(epoll, known ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &event);
    return 0;
}

/* curl's timer: how long epoll may sleep before curl must be told of a timeout (-1: none). */
static int on_timer(CURLM *multi, long milliseconds, void *context) {
    (void)multi;
    *(long *)context = milliseconds;
    return 0;
}

static double seconds(struct timeval time) { return (double)time.tv_sec + (double)time.tv_usec / 1e6; }

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void check(int ok, const char *what, const char *detail) {
    if (!ok) {
        fprintf(stderr, "tradeoff-floor: %s failed: %s\n", what, detail ? detail : "");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: tradeoff-floor PORT CALLS CONCURRENCY DATABASE\n");
        return 2;
    }
    long port = atol(argv[1]), calls = atol(argv[2]), concurrency = atol(argv[3]);
    const char *path = argv[4];
    check(port > 0 && calls > 0 && concurrency > 0, "arguments", "PORT, CALLS and CONCURRENCY must be positive");

    sqlite3 *db;
    /* Without a connection mutex, as Tradeoff runs SQLite (Sources/CSQLiteSetup). */
    check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK,
          "sqlite3_open", path);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
                           "CREATE TABLE calls(id INTEGER PRIMARY KEY, case_index INTEGER, status INTEGER,"
                           " latency REAL, answer TEXT)", NULL, NULL, NULL) == SQLITE_OK,
          "create table", sqlite3_errmsg(db));
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, "INSERT INTO calls(case_index, status, latency, answer) VALUES (?, ?, ?, ?)", -1,
                             &insert, NULL) == SQLITE_OK, "prepare", sqlite3_errmsg(db));

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    long timeout = -1;
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &epoll);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, &timeout);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%ld/v1/chat/completions", port);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Bearer bench");

    struct transfer *transfers = calloc((size_t)concurrency, sizeof *transfers);
    long next = 0, done = 0, failed = 0, pending_rows = 0;
    double cpu_before = cpu_seconds(), wall_before = now_seconds();

    for (long slot = 0; slot < concurrency; slot++) {
        struct transfer *transfer = &transfers[slot];
        transfer->easy = curl_easy_init();
        curl_easy_setopt(transfer->easy, CURLOPT_URL, url);
        curl_easy_setopt(transfer->easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(transfer->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(transfer->easy, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(transfer->easy, CURLOPT_WRITEDATA, transfer);
        curl_easy_setopt(transfer->easy, CURLOPT_PRIVATE, transfer);
    }


    check(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK, "begin", sqlite3_errmsg(db));
    for (long slot = 0; slot < concurrency && next < calls; slot++) start(multi, &transfers[slot], next++);

    int running = 0;
    struct epoll_event events[64];
    while (done < calls) {
        int ready = epoll_wait(epoll, events, 64, timeout < 0 ? 1000 : (int)timeout);
        if (ready <= 0) {
            /* The timer has fired: it is gone unless curl sets it again. */
            timeout = -1;
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        } else {
            for (int index = 0; index < ready; index++) {
                int mask = 0;
                if (events[index].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) mask |= CURL_CSELECT_IN;
                if (events[index].events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
                if (events[index].events & EPOLLERR) mask |= CURL_CSELECT_ERR;
                curl_multi_socket_action(multi, events[index].data.fd, mask, &running);
            }
        }
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            struct transfer *transfer;
            long status = 0;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&transfer);
            curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (message->data.result != CURLE_OK || status != 200) failed++;
            curl_multi_remove_handle(multi, transfer->easy);
            struct timespec ended;
            clock_gettime(CLOCK_MONOTONIC, &ended);
            double latency = (double)(ended.tv_sec - transfer->started.tv_sec)
                + (double)(ended.tv_nsec - transfer->started.tv_nsec) / 1e9;
            sqlite3_bind_int64(insert, 1, transfer->index);
            sqlite3_bind_int64(insert, 2, status);
            sqlite3_bind_double(insert, 3, latency);
            sqlite3_bind_text(insert, 4, transfer->body ? transfer->body : "", (int)transfer->length, SQLITE_STATIC);
            check(sqlite3_step(insert) == SQLITE_DONE, "insert", sqlite3_errmsg(db));
            sqlite3_reset(insert);
            if (++pending_rows == BATCH) {
                check(sqlite3_exec(db, "COMMIT; BEGIN", NULL, NULL, NULL) == SQLITE_OK, "commit", sqlite3_errmsg(db));
                pending_rows = 0;
            }
            done++;
            if (next < calls) start(multi, transfer, next++);
        }
    }
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK, "commit", sqlite3_errmsg(db));

    double cpu = cpu_seconds() - cpu_before, wall = now_seconds() - wall_before;
    printf("bench floor_cpu_us_per_call %.3f\n", cpu / (double)calls * 1e6);
    printf("bench floor_wall_seconds %.6f\n", wall);
    printf("bench floor_failed %ld\n", failed);

    for (long slot = 0; slot < concurrency; slot++) {
        curl_easy_cleanup(transfers[slot].easy);
        free(transfers[slot].body);
    }
    free(transfers);
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    close(epoll);
    curl_global_cleanup();
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return failed ? 1 : 0;
}
