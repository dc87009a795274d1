/* The libxml2 surface Fahras uses: the HTML parser and its SAX handlers.
 * Only the FahrasExtract module imports this; no libxml2 pointer leaves it. */
#ifndef FAHRAS_CLIBXML2_SHIM_H
#define FAHRAS_CLIBXML2_SHIM_H
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>

/* XML_PARSE_HUGE lifts libxml2's hard-coded size limits (10 MB for one text
 * node), so a 50 MB one-line article is extracted whole rather than truncated.
 * The HTML parser honours this XML option bit. */
static inline int fahras_html_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
           HTML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NONET;
}
#endif
