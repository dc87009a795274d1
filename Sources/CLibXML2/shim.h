/* The libxml2 surface Fahras uses: the HTML parser and its SAX handlers.
 * Only the FahrasExtract module imports this; no libxml2 pointer leaves it. */
#ifndef FAHRAS_CLIBXML2_SHIM_H
#define FAHRAS_CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU, so <libxml/encoding.h> includes the
 * system's <unicode/ucnv.h>. Those headers would become part of this module and
 * clash with Foundation's own ICU (module _FoundationICU: "'UErrorCode' has
 * different definitions in different modules") in any module that sees both,
 * which a Foundation user importing FahrasExtract does. Fahras never converts
 * through ICU, so the include is skipped and the two ICU types encoding.h names
 * are stood in for by types of the same size, under names ICU does not use: the
 * structures keep libxml2's layout and no ICU declaration enters the module. */
#define UCNV_H
#define UConverter struct fahras_icu_converter
#define UChar unsigned short
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#undef UChar
#undef UConverter
#undef UCNV_H
#if defined(U_ICU_VERSION) || defined(UTYPES_H)
#error "an ICU header reached the CLibXML2 module; see the comment above"
#endif

/* XML_PARSE_HUGE lifts libxml2's hard-coded size limits (10 MB for one text
 * node), so a 50 MB one-line article is extracted whole rather than truncated.
 * The HTML parser honours this XML option bit. */
static inline int fahras_html_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
           HTML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NONET;
}
#endif
