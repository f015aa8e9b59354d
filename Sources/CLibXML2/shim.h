#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; <libxml/encoding.h> would then pull in the system's
// <unicode/ucnv.h>, which clashes with Foundation's own ICU. Read the version header first
// and switch ICU off before anything else is included.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/xmlwriter.h>
#include <libxml/xmlIO.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>

/// `xmlFree` is a per-thread global function pointer, which Swift cannot call directly.
static inline void CLibXML2_free(void *pointer) { xmlFree(pointer); }

/// libxml2 prints I/O errors to stderr itself; attest reports them as Swift errors instead.
static void CLibXML2_ignoreError(void *context, const char *message, ...) { (void)context; (void)message; }
static inline void CLibXML2_silenceErrors(void) { xmlSetGenericErrorFunc(NULL, CLibXML2_ignoreError); }

#endif
