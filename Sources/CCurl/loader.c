#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

#define LOAD(field, name)                                                         \
    if (!(*(void **)&api.field = dlsym(lib, name))) {                             \
        snprintf(failure, sizeof failure, "libcurl.so.4 has no %s", name);       \
        return;                                                                   \
    }

static void load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure, "%s", e ? e : "cannot load libcurl.so.4");
        return;
    }
    LOAD(global_init, "curl_global_init")
    LOAD(easy_init, "curl_easy_init")
    LOAD(easy_cleanup, "curl_easy_cleanup")
    LOAD(easy_strerror, "curl_easy_strerror")
    LOAD(easy_setopt, "curl_easy_setopt")
    LOAD(easy_getinfo, "curl_easy_getinfo")
    LOAD(slist_append, "curl_slist_append")
    LOAD(slist_free_all, "curl_slist_free_all")
    LOAD(multi_init, "curl_multi_init")
    LOAD(multi_cleanup, "curl_multi_cleanup")
    LOAD(multi_setopt, "curl_multi_setopt")
    LOAD(multi_add_handle, "curl_multi_add_handle")
    LOAD(multi_remove_handle, "curl_multi_remove_handle")
    LOAD(multi_perform, "curl_multi_perform")
    LOAD(multi_poll, "curl_multi_poll")
    LOAD(multi_wakeup, "curl_multi_wakeup")
    LOAD(multi_info_read, "curl_multi_info_read")
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(failure, sizeof failure, "curl_global_init failed");
        api.easy_init = NULL;
    }
}

int wb_curl_load(char *why, size_t why_length) {
    pthread_once(&once, load);
    if (api.easy_init && failure[0] == 0) return 0;
    if (why && why_length) snprintf(why, why_length, "%s", failure[0] ? failure : "libcurl not loaded");
    return -1;
}

CURL *wb_curl_easy_init(void) { return api.easy_init(); }
void wb_curl_easy_cleanup(CURL *h) { api.easy_cleanup(h); }
const char *wb_curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }
struct curl_slist *wb_curl_slist_append(struct curl_slist *list, const char *text) { return api.slist_append(list, text); }
void wb_curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

CURLcode wb_curl_set_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode wb_curl_set_string(CURL *h, CURLoption o, const char *v) { return api.easy_setopt(h, o, v); }
CURLcode wb_curl_set_pointer(CURL *h, CURLoption o, void *v) { return api.easy_setopt(h, o, v); }
CURLcode wb_curl_set_list(CURL *h, CURLoption o, struct curl_slist *v) { return api.easy_setopt(h, o, v); }
CURLcode wb_curl_set_write(CURL *h, wb_curl_write_fn f) { return api.easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
CURLcode wb_curl_get_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLcode wb_curl_get_off(CURL *h, CURLINFO i, curl_off_t *v) { return api.easy_getinfo(h, i, v); }
CURLcode wb_curl_get_string(CURL *h, CURLINFO i, const char **v) { return api.easy_getinfo(h, i, v); }
CURLcode wb_curl_get_certinfo(CURL *h, struct curl_certinfo **v) { return api.easy_getinfo(h, CURLINFO_CERTINFO, v); }

CURLM *wb_curl_multi_init(void) { return api.multi_init(); }
CURLMcode wb_curl_multi_cleanup(CURLM *m) { return api.multi_cleanup(m); }
CURLMcode wb_curl_multi_set_long(CURLM *m, CURLMoption o, long v) { return api.multi_setopt(m, o, v); }
CURLMcode wb_curl_multi_add_handle(CURLM *m, CURL *h) { return api.multi_add_handle(m, h); }
CURLMcode wb_curl_multi_remove_handle(CURLM *m, CURL *h) { return api.multi_remove_handle(m, h); }
CURLMcode wb_curl_multi_perform(CURLM *m, int *running) { return api.multi_perform(m, running); }
CURLMcode wb_curl_multi_poll(CURLM *m, int timeout_ms) { return api.multi_poll(m, NULL, 0, timeout_ms, NULL); }
CURLMcode wb_curl_multi_wakeup(CURLM *m) { return api.multi_wakeup(m); }
CURLMsg *wb_curl_multi_info_read(CURLM *m, int *left) { return api.multi_info_read(m, left); }
