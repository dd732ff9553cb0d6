// libcurl through the functions it exports, looked up when the first HTTP client starts.
#include "CCurl.h"
#include "CLazyLibrary.h"

#include <pthread.h>
#include <stddef.h>

#ifdef __APPLE__
#define LIBCURL "libcurl.4.dylib"
#else
#define LIBCURL "libcurl.so.4"  // the soname of the ABI the header describes
#endif

// Each function: its name, result, parameters and the arguments passed on.
#define FIXED_FUNCTIONS(X)                                                                                    \
    X(curl_global_init, CURLcode, (long flags), (flags))                                                      \
    X(curl_easy_init, CURL *, (void), ())                                                                     \
    X(curl_easy_reset, void, (CURL *handle), (handle))                                                        \
    X(curl_easy_cleanup, void, (CURL *handle), (handle))                                                      \
    X(curl_easy_strerror, const char *, (CURLcode code), (code))                                              \
    X(curl_slist_append, struct curl_slist *, (struct curl_slist *list, const char *text), (list, text))      \
    X(curl_slist_free_all, void, (struct curl_slist *list), (list))                                           \
    X(curl_multi_init, CURLM *, (void), ())                                                                   \
    X(curl_multi_cleanup, CURLMcode, (CURLM *multi), (multi))                                                 \
    X(curl_multi_add_handle, CURLMcode, (CURLM *multi, CURL *handle), (multi, handle))                        \
    X(curl_multi_remove_handle, CURLMcode, (CURLM *multi, CURL *handle), (multi, handle))                     \
    X(curl_multi_info_read, CURLMsg *, (CURLM *multi, int *queued), (multi, queued))                          \
    X(curl_multi_socket_action, CURLMcode, (CURLM *multi, curl_socket_t socket, int events, int *running),     \
      (multi, socket, events, running))                                                                       \
    X(curl_multi_assign, CURLMcode, (CURLM *multi, curl_socket_t socket, void *mark), (multi, socket, mark))   \
    X(curl_multi_perform, CURLMcode, (CURLM *multi, int *running), (multi, running))                          \
    X(curl_multi_poll, CURLMcode,                                                                             \
      (CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout_ms, int *ready),             \
      (multi, extra, count, timeout_ms, ready))                                                               \
    X(curl_multi_wakeup, CURLMcode, (CURLM *multi), (multi))

// The variadic three, each called with one argument of a fixed type per wrapper below.
#define VARIADIC_FUNCTIONS(X) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_multi_setopt)

#define INDEX(name, ...) name##_index,
#define NAME(name, ...) #name,
enum { FIXED_FUNCTIONS(INDEX) VARIADIC_FUNCTIONS(INDEX) function_count };
static const char *const names[function_count] = {FIXED_FUNCTIONS(NAME) VARIADIC_FUNCTIONS(NAME)};
static void *slots[function_count];

// The function at `name`'s slot, as its own type.
#define FIXED(name, result, parameters) ((result(*) parameters)slots[name##_index])
#define EASY_SETOPT ((CURLcode(*)(CURL *, CURLoption, ...))slots[curl_easy_setopt_index])
#define EASY_GETINFO ((CURLcode(*)(CURL *, CURLINFO, ...))slots[curl_easy_getinfo_index])
#define MULTI_SETOPT ((CURLMcode(*)(CURLM *, CURLMoption, ...))slots[curl_multi_setopt_index])

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int failed;

static void load(void) {
    failed = tradeoff_lazy_library_open(LIBCURL, names, slots, function_count, failure, sizeof failure) != 0;
    // CURL_GLOBAL_DEFAULT (SSL | WIN32), before any other call, on one thread.
    if (!failed) tradeoff_curl_global_init(CURL_GLOBAL_DEFAULT);
}

const char *tradeoff_curl_load(void) {
    pthread_once(&once, load);
    return failed ? failure : NULL;
}

#define WRAPPER(name, result, parameters, arguments) \
    result tradeoff_##name parameters { return FIXED(name, result, parameters) arguments; }
FIXED_FUNCTIONS(WRAPPER)

// The typed wrappers of the variadic three: name, result, the function called, and the types of
// the handle, the option and the one value passed.
#define TYPED_FUNCTIONS(X)                                                                        \
    X(easy_setopt_long, CURLcode, EASY_SETOPT, CURL *, CURLoption, long)                          \
    X(easy_setopt_string, CURLcode, EASY_SETOPT, CURL *, CURLoption, const char *)                \
    X(easy_setopt_pointer, CURLcode, EASY_SETOPT, CURL *, CURLoption, void *)                     \
    X(easy_setopt_off_t, CURLcode, EASY_SETOPT, CURL *, CURLoption, curl_off_t)                   \
    X(easy_setopt_write_callback, CURLcode, EASY_SETOPT, CURL *, CURLoption, tradeoff_curl_write_callback) \
    X(easy_getinfo_long, CURLcode, EASY_GETINFO, CURL *, CURLINFO, long *)                        \
    X(easy_getinfo_off_t, CURLcode, EASY_GETINFO, CURL *, CURLINFO, curl_off_t *)                 \
    X(easy_getinfo_pointer, CURLcode, EASY_GETINFO, CURL *, CURLINFO, void **)                    \
    X(easy_getinfo_string, CURLcode, EASY_GETINFO, CURL *, CURLINFO, char **)                     \
    X(multi_setopt_long, CURLMcode, MULTI_SETOPT, CURLM *, CURLMoption, long)                     \
    X(multi_setopt_pointer, CURLMcode, MULTI_SETOPT, CURLM *, CURLMoption, void *)                \
    X(multi_setopt_socket_callback, CURLMcode, MULTI_SETOPT, CURLM *, CURLMoption, tradeoff_curl_socket_callback) \
    X(multi_setopt_timer_callback, CURLMcode, MULTI_SETOPT, CURLM *, CURLMoption, tradeoff_curl_timer_callback)

#define TYPED_WRAPPER(name, result, function, handle_type, key_type, value_type) \
    result tradeoff_##name(handle_type handle, key_type key, value_type value) { return function(handle, key, value); }
TYPED_FUNCTIONS(TYPED_WRAPPER)
