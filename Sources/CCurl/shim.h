#ifndef HUBDOCTOR_CCURL_SHIM_H
#define HUBDOCTOR_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
   one typed wrapper per argument kind. */
static inline CURLcode hd_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hd_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hd_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hd_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hd_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

/* Callback setters: the function pointer types differ per option, so each gets its own wrapper. */
typedef size_t (*hd_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode hd_easy_setopt_write(CURL *h, CURLoption o, hd_write_callback f) { return curl_easy_setopt(h, o, f); }
typedef int (*hd_debug_callback)(CURL *h, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode hd_easy_setopt_debug(CURL *h, hd_debug_callback f) { return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f); }

static inline CURLcode hd_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hd_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hd_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hd_easy_getinfo_certinfo(CURL *h, struct curl_certinfo **v) { return curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }

/* CURL_GLOBAL_DEFAULT and CURL_HTTP_VERSION_* are macros Swift sees, but
   curl_version_info needs the CURLVERSION_NOW macro, which is an enum alias. */
static inline curl_version_info_data *hd_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
#endif
