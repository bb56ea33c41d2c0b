#ifndef CCURL_H
#define CCURL_H
/* libcurl for Swift, loaded with dlopen the first time probes start: a dashboard with
   nothing to probe never maps libcurl and the TLS and auth libraries it pulls in (about
   4 MiB of resident memory). curl's headers give the types and constants; every call goes
   through the wrappers below, which also give curl_easy_setopt and curl_easy_getinfo
   (variadic, which Swift cannot call) one typed function per argument type. */
#include <curl/curl.h>
#include <stddef.h>

typedef size_t (*wb_curl_write_fn)(char *data, size_t size, size_t count, void *user);

/* Loads libcurl.so.4 and initialises it, once; 0 on success, else -1 with the reason in `why`. */
int wb_curl_load(char *why, size_t why_length);

CURL *wb_curl_easy_init(void);
void wb_curl_easy_cleanup(CURL *h);
const char *wb_curl_easy_strerror(CURLcode code);
struct curl_slist *wb_curl_slist_append(struct curl_slist *list, const char *text);
void wb_curl_slist_free_all(struct curl_slist *list);

CURLcode wb_curl_set_long(CURL *h, CURLoption o, long v);
CURLcode wb_curl_set_string(CURL *h, CURLoption o, const char *v);
CURLcode wb_curl_set_pointer(CURL *h, CURLoption o, void *v);
CURLcode wb_curl_set_list(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode wb_curl_set_write(CURL *h, wb_curl_write_fn f);
CURLcode wb_curl_get_long(CURL *h, CURLINFO i, long *v);
CURLcode wb_curl_get_off(CURL *h, CURLINFO i, curl_off_t *v);
CURLcode wb_curl_get_string(CURL *h, CURLINFO i, const char **v);
CURLcode wb_curl_get_certinfo(CURL *h, struct curl_certinfo **v);

CURLM *wb_curl_multi_init(void);
CURLMcode wb_curl_multi_cleanup(CURLM *m);
CURLMcode wb_curl_multi_set_long(CURLM *m, CURLMoption o, long v);
CURLMcode wb_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode wb_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMcode wb_curl_multi_perform(CURLM *m, int *running);
CURLMcode wb_curl_multi_poll(CURLM *m, int timeout_ms);
CURLMcode wb_curl_multi_wakeup(CURLM *m);
CURLMsg *wb_curl_multi_info_read(CURLM *m, int *left);

/* CURLMsg keeps the result in a union; Swift reads it through these. */
static inline CURL *wb_curl_msg_handle(CURLMsg *m) { return m->easy_handle; }
static inline int wb_curl_msg_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode wb_curl_msg_result(CURLMsg *m) { return m->data.result; }

#endif
