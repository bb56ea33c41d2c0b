// libcurl for Swift: curl_easy_setopt and curl_easy_getinfo are variadic, which Swift
// cannot call, so each argument type gets a typed wrapper here.
#include <curl/curl.h>

typedef size_t (*wb_curl_write_fn)(char *data, size_t size, size_t count, void *user);

static inline CURLcode wb_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wb_curl_set_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wb_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wb_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wb_curl_set_list(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wb_curl_set_write(CURL *h, wb_curl_write_fn f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode wb_curl_set_header_fn(CURL *h, wb_curl_write_fn f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }

static inline CURLcode wb_curl_get_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode wb_curl_get_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode wb_curl_get_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode wb_curl_get_certinfo(CURL *h, struct curl_certinfo **v) { return curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }

static inline CURLMcode wb_curl_multi_set_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// CURLMsg keeps the result in a union; Swift reads it through these.
static inline CURL *wb_curl_msg_handle(CURLMsg *m) { return m->easy_handle; }
static inline int wb_curl_msg_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode wb_curl_msg_result(CURLMsg *m) { return m->data.result; }
