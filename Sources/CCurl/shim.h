#include <curl/curl.h>

// libcurl's option and info calls are C variadics, which Swift cannot call. These typed
// wrappers fix the argument type per call site, the way GRDBSQLite wraps sqlite3_config.

typedef size_t (*tradeoff_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode tradeoff_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tradeoff_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tradeoff_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tradeoff_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tradeoff_easy_setopt_write_callback(CURL *handle, CURLoption option, tradeoff_curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tradeoff_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tradeoff_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tradeoff_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tradeoff_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode tradeoff_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The CURLMsg union is awkward from Swift; these read its two fields.
static inline CURL *tradeoff_msg_easy_handle(CURLMsg *msg) { return msg->easy_handle; }
static inline int tradeoff_msg_is_done(CURLMsg *msg) { return msg->msg == CURLMSG_DONE; }
static inline CURLcode tradeoff_msg_result(CURLMsg *msg) { return msg->data.result; }
