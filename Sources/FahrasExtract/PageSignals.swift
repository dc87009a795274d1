/// What a page says about itself, as the parser found it: raw material for ``ArticleMetadata``.
public struct PageSignals: Sendable {
    /// `<html lang>`.
    public var language: String?
    /// Every `<meta>` with a content, by its `property`, `name`, `itemprop` or `http-equiv`
    /// (lower-cased), in page order; `itemprop="datePublished"` elements too.
    public var metas: [(key: String, content: String)] = []
    /// `<link rel="canonical" href>`.
    public var canonical: String?
    /// The first `<time datetime>` values.
    public var times: [String] = []
    /// The texts of `<script type="application/ld+json">`.
    public var jsonLD: [String] = []
    /// The texts of the first elements whose `class` or `id` names a date (`entry-date`,
    /// `published`, `byline`…), wherever they are, chrome included: an article's date line
    /// is often in its `<header>`, which is never article text. Those after the first `<h1>`
    /// (the headline) come first: a date above it is more often the site's "today".
    public var dateLines: [String] = []
    /// `<title>` and the first `<h1>`.
    public var title: String?
    public var heading: String?

    public init() {}
}
