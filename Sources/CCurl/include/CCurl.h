#ifndef TRADEOFF_CCURL_H
#define TRADEOFF_CCURL_H

#include <curl/curl.h>

// libcurl, opened the first time an HTTP client starts (`tradeoff_curl_load`), not when the
// program does (see CLazyLibrary). Every function of libcurl that Tradeoff calls goes through a
// `tradeoff_` function of the same name and arguments; calling libcurl's own names from Swift
// fails to link, as nothing links libcurl.
//
// libcurl's option and info calls are C variadics, which Swift cannot call. Their typed
// wrappers fix the argument type per call site, the way GRDBSQLite wraps sqlite3_config.

/// Opens libcurl and calls `curl_global_init`, once. NULL, or why it could not be opened.
const char *tradeoff_curl_load(void);

CURLcode tradeoff_curl_global_init(long flags);
CURL *tradeoff_curl_easy_init(void);
void tradeoff_curl_easy_reset(CURL *handle);
void tradeoff_curl_easy_cleanup(CURL *handle);
const char *tradeoff_curl_easy_strerror(CURLcode code);
struct curl_slist *tradeoff_curl_slist_append(struct curl_slist *list, const char *text);
void tradeoff_curl_slist_free_all(struct curl_slist *list);
CURLM *tradeoff_curl_multi_init(void);
CURLMcode tradeoff_curl_multi_cleanup(CURLM *multi);
CURLMcode tradeoff_curl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode tradeoff_curl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMsg *tradeoff_curl_multi_info_read(CURLM *multi, int *queued);
CURLMcode tradeoff_curl_multi_socket_action(CURLM *multi, curl_socket_t socket, int events, int *running);
CURLMcode tradeoff_curl_multi_assign(CURLM *multi, curl_socket_t socket, void *mark);
CURLMcode tradeoff_curl_multi_perform(CURLM *multi, int *running);
CURLMcode tradeoff_curl_multi_poll(CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout_ms,
                                   int *ready);
CURLMcode tradeoff_curl_multi_wakeup(CURLM *multi);

typedef size_t (*tradeoff_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURLcode tradeoff_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode tradeoff_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode tradeoff_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode tradeoff_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode tradeoff_easy_setopt_write_callback(CURL *handle, CURLoption option, tradeoff_curl_write_callback value);
CURLcode tradeoff_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode tradeoff_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode tradeoff_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);
CURLcode tradeoff_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLMcode tradeoff_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

/// The CURLMsg union is awkward from Swift; these read its two fields.
static inline CURL *tradeoff_msg_easy_handle(CURLMsg *msg) { return msg->easy_handle; }
static inline int tradeoff_msg_is_done(CURLMsg *msg) { return msg->msg == CURLMSG_DONE; }
static inline CURLcode tradeoff_msg_result(CURLMsg *msg) { return msg->data.result; }

// curl's socket interface: curl says which sockets to watch and when its next timeout is due,
// and the loop tells it which sockets are ready (curl_multi_socket_action).

typedef int (*tradeoff_curl_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *clientp, void *socketp);
typedef int (*tradeoff_curl_timer_callback)(CURLM *multi, long timeout_ms, void *clientp);

CURLMcode tradeoff_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value);
CURLMcode tradeoff_multi_setopt_socket_callback(CURLM *handle, CURLMoption option, tradeoff_curl_socket_callback value);
CURLMcode tradeoff_multi_setopt_timer_callback(CURLM *handle, CURLMoption option, tradeoff_curl_timer_callback value);

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>

// epoll, which Glibc's Swift module leaves out: poll() over every connection on each wake-up
// was a third of the harness's CPU at 64 calls in flight. `struct epoll_event` is packed on
// x86-64, so events come back as two plain arrays.

static inline int tradeoff_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Adds, changes (EPOLL_CTL_ADD, EPOLL_CTL_MOD) or removes (EPOLL_CTL_DEL) `fd`'s interest.
static inline int tradeoff_epoll_control(int epfd, int operation, int fd, unsigned int events) {
    struct epoll_event event = { .events = events, .data = { .fd = fd } };
    return epoll_ctl(epfd, operation, fd, &event);
}

/// Waits up to `timeout_ms` (-1: forever) for at most 64 ready descriptors.
static inline int tradeoff_epoll_wait(int epfd, int *fds, unsigned int *events, int capacity, int timeout_ms) {
    struct epoll_event ready[64];
    int count = epoll_wait(epfd, ready, capacity < 64 ? capacity : 64, timeout_ms);
    for (int i = 0; i < count; i++) {
        fds[i] = ready[i].data.fd;
        events[i] = ready[i].events;
    }
    return count;
}

static inline int tradeoff_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

#endif

#endif
