/// What a page says about itself, as the parser found it: raw material for ``ArticleMetadata``.
package struct PageSignals: Sendable {
    /// `<html lang>`.
    package var language: String?
    /// Every `<meta>` with a content, by its `property`, `name`, `itemprop` or `http-equiv`
    /// (lower-cased), in page order; `itemprop="datePublished"` elements too.
    package var metas: [(key: String, content: String)] = []
    /// `<link rel="canonical" href>`.
    package var canonical: String?
    /// The first `<time datetime>` values.
    package var times: [String] = []
    /// The texts of `<script type="application/ld+json">`.
    package var jsonLD: [String] = []
    /// The texts of the first elements whose `class` or `id` names a date (`entry-date`,
    /// `published`, `byline`…), wherever they are, chrome included: an article's date line
    /// is often in its `<header>`, which is never article text. Those after the first `<h1>`
    /// (the headline) come first: a date above it is more often the site's "today".
    package var dateLines: [String] = []
    /// `<title>` and the first `<h1>`.
    package var title: String?
    package var heading: String?

    package init() {}
}
