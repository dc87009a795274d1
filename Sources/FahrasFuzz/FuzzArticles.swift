/// The three articles of the fuzz harness's template index: names in both scripts, dates,
/// sites and a JSON Lines file, so that queries, facets and crafted indexes reach the name
/// stage and the typed fields.
enum FuzzArticles {
    static let files: [(name: String, text: String)] = [
        ("deir.html", """
        <html lang="en"><head><title>Shelling in Deir ez-Zor | Example News</title>
        <meta property="article:published_time" content="2017-03-04T08:00:00Z">
        <link rel="canonical" href="https://news.example/2017/03/04/deir"></head>
        <body><nav>Home World</nav><article><h1>Shelling in Deir ez-Zor</h1>
        <p>DAMASCUS, March 4 (Reuters) – Islamic State fighters shelled Deir Ezzor overnight, residents said.</p>
        <p>ISIS also attacked positions near Raqqa, and the SDF said it repelled them.</p></article>
        <footer>Accept cookies</footer></body></html>
        """),
        ("raqqa.txt", """
        قصف تنظيم داعش أحياء في دير الزور يوم ١٢ آذار ٢٠١٥.

        Daesh shelled Dayr al-Zawr again; the Syrian Observatory counted twelve dead in Raqqa.
        """),
        ("export.jsonl", """
        {"id": "r1", "title": "Aid reaches Aleppo", "text": "A convoy reached Aleppo and Idlib with aid for Deir al-Zour.", "date": "2018-01-02", "site": "sana.sy"}
        {"id": "r2", "title": "Hezbollah", "text": "Hezbollah fighters moved towards Homs, the ISIL statement said.", "date": "2016-07-09", "site": "enabbaladi.net"}
        """),
    ]

    /// What the index targets search a crafted index for.
    static let queries = ["Deir Ezzor", "\"Islamic State\" Raqqa", "actor:ISIS -Aleppo", "دير الزور", "aid date:2018"]
}
