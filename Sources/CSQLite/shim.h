#ifndef HUBDOCTOR_CSQLITE_SHIM_H
#define HUBDOCTOR_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro ((sqlite3_destructor_type)-1) that does not import. */
static inline sqlite3_destructor_type hd_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
