#ifndef HUBDOCTOR_CLIBXML2_SHIM_H
#define HUBDOCTOR_CLIBXML2_SHIM_H
/* xmlversion.h first, then drop ICU: Foundation's ICU module clashes with the system ICU headers. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function-pointer variable, which Swift 6 refuses as shared mutable state. */
static inline void hd_xml_free(void *p) { xmlFree(p); }

/* Silence libxml2's default error printer (it writes to stderr); errors are read from the parser instead. */
static void hd_xml_silent_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void hd_xml_silent_structured(void *ctx, const xmlError *err) { (void)ctx; (void)err; }
static inline void hd_xml_silence(void) {
    xmlSetGenericErrorFunc(NULL, hd_xml_silent_error);
    xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)hd_xml_silent_structured);
}
#endif
