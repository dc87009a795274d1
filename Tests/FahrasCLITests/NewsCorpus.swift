import Foundation

/// A generated archive of news stories with known dates, outlets and republished copies,
/// written as a JSON Lines export. Tests count what Fahras should find from these records
/// alone, independently of the index.
struct NewsCorpus {
    struct Story {
        var id: String
        var site: String
        /// `YYYY-MM-DD`
        var date: String
        var author: String
        var lang: String
        var paragraphs: [String]
        /// The story this one republishes, if any.
        var original: String?
    }

    static let sites = ["sana.sy", "enabbaladi.net", "syriadirect.org", "aljazeera.com"]
    static let authors = ["Rami Jarrah", "Lina Sinjab", "Agency staff"]

    /// Sentences of about a dozen words; the actors they name are the aliases listed in
    /// ``actors``. Each paragraph is three of them.
    static let sentences = [
        "The offensive on the eastern countryside resumed at dawn after a week of shelling.",
        "ISIS fighters withdrew from three villages along the river under heavy air cover.",
        "Residents said Daesh had mined the main road before leaving the town.",
        "Hezbollah units were seen moving north towards the mountains near the border.",
        "The SDF announced a new phase of its offensive against remaining pockets.",
        "Aid convoys waited at the crossing for a second day without permission to enter.",
        "Local councils asked for fuel and medicine as winter approached the displaced camps.",
        "A spokesman for Hezbollah denied any role in the attack on the checkpoint.",
        "Farmers returned to their fields for the first time since the siege began.",
        "The offensive stalled when sandstorms grounded the aircraft for several days.",
        "Daesh claimed the bombing in a statement circulated on its usual channels.",
        "Teachers reopened two schools in the old quarter with donated books and desks.",
        "SDF commanders said the operation would continue until the area was secure.",
        "Water pumping stations were repaired after months of damage and neglect.",
        "The governor visited the hospital and promised generators before the summer.",
        "ISIS sleeper cells attacked a patrol on the desert highway at night.",
        "Markets reopened slowly as traders brought goods from the coastal cities.",
        "Human rights monitors recorded dozens of arrests in the surrounding villages.",
        "Engineers cleared rubble from the bridge so that trucks could cross again.",
        "Negotiators met in the capital to discuss the exchange of prisoners.",
        "The offensive displaced thousands of families who fled towards the north.",
        "Hezbollah and government forces held positions on the hills above the valley.",
        "Journalists were barred from entering the city for the duration of the operation.",
        "Electricity returned to parts of the city for four hours a day.",
        "The SDF handed over several detainees to their families at a ceremony.",
        "Shepherds reported unexploded shells scattered across the grazing land.",
        "Daesh propaganda videos appeared online showing the captured weapons depot.",
        "A new bakery opened in the neighbourhood with support from a charity.",
        "Officials said the census of returning families would take several months.",
        "ISIS prisoners were transferred to a facility further from the front line.",
    ]

    /// Gazetteer entity ids and the aliases the sentences write them under.
    static let actors = ["islamic-state": ["ISIS", "Daesh"], "hezbollah": ["Hezbollah"], "sdf": ["SDF"]]

    var stories: [Story] = []

    /// `count` stories, then `copies` republished on another outlet one to five days later:
    /// the same paragraphs, and a credit line of their own.
    init(seed: UInt64, count: Int = 60, copies: Int = 12) {
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for i in 0..<count {
            let paragraphs = (0..<3).map { _ in (0..<3).map { _ in Self.sentences[random(Self.sentences.count)] }.joined(separator: " ") }
            let date = String(format: "%04d-%02d-%02d", 2015 + random(4), 1 + random(12), 1 + random(20))
            stories.append(Story(id: "s\(i)", site: Self.sites[random(Self.sites.count)], date: date,
                                 author: Self.authors[random(Self.authors.count)], lang: "en", paragraphs: paragraphs))
        }
        for c in 0..<copies {
            let original = stories[random(count)]
            let site = Self.sites.first { $0 != original.site && random(2) == 0 } ?? Self.sites.first { $0 != original.site }!
            let day = Int(original.date.suffix(2))! + 1 + random(5)
            let date = original.date.prefix(8) + String(format: "%02d", day)
            stories.append(Story(id: "s\(count + c)", site: site, date: String(date), author: "Agency staff", lang: "en",
                                 paragraphs: original.paragraphs + ["This story was first published by \(original.site) and is republished with permission."],
                                 original: original.id))
        }
    }

    /// The export: one record per story, paragraphs separated by blank lines.
    var jsonLines: String {
        stories.map { story in
            let object: [String: String] = ["id": story.id, "title": "Story \(story.id)", "text": story.paragraphs.joined(separator: "\n\n"),
                                            "date": story.date, "site": story.site, "author": story.author, "lang": story.lang,
                                            "url": "https://\(story.site)/\(story.date.replacingOccurrences(of: "-", with: "/"))/\(story.id)"]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    /// Every paragraph, with its story and position.
    var passages: [(story: Story, ordinal: Int, text: String)] {
        stories.flatMap { story in story.paragraphs.enumerated().map { (story, $0.offset, $0.element) } }
    }

    /// Whether `text` holds `word` as a whole word, without case.
    static func holds(_ text: String, _ word: String) -> Bool {
        text.lowercased().split { !$0.isLetter }.contains { $0 == word.lowercased()[...] }
    }
}
