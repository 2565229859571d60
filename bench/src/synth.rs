//! A deterministic generator of news-like articles, for scale runs without a download.
//!
//! Article `i` of seed `s` depends only on `(s, i)`: the same command writes the same bytes on
//! every machine. Each article has a headline, a dateline (`KELDPORT, March 3, 2014 (Capital
//! Wire) - `), a byline, 2 to 7 paragraphs of sentences about one topic, people, organisations
//! and places drawn from made-up name lists (a few of them prominent, most rare), and a date
//! between 2000 and 2024. Words follow a Zipf law over a vocabulary of real English news words
//! and a long tail of made-up ones, so the dictionary grows with the corpus as real text does.
//! About 5 % of the articles are syndicated copies of a recent one (another publisher, an
//! edited headline, a paragraph added or dropped). The output is JSON Lines with the fields
//! newsdex's JSON reader maps: `id`, `title`, `body`, `date`, `author`, `publisher`.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Version of the generator: raised with every change to what it writes, and part of the
/// file names `newsdex-bench all` reuses, so a stale corpus is never taken for a new one.
pub const VERSION: u32 = 1;

/// Made-up given names (the people of the synthetic world).
pub const FIRST: &[&str] = &[
    "Talia", "Oren", "Mirela", "Casimir", "Ysolde", "Bram", "Ilse", "Teodor", "Anouk", "Radu",
    "Saskia", "Lorcan", "Emeka", "Femke", "Ivo", "Junia", "Kasper", "Leocadia", "Matthis", "Nerys",
    "Osric", "Petra", "Quilla", "Rurik", "Sunniva", "Tobiah", "Ulla", "Valdis", "Wren", "Xandra",
    "Yannick", "Zorka", "Adaeze", "Bertil", "Cosmina", "Dragan", "Elowen", "Fintan",
];

/// Made-up family names.
pub const LAST: &[&str] = &[
    "Verhoek",
    "Okonkwo",
    "Brannigar",
    "Castellow",
    "Dvorakova",
    "Eskildsen",
    "Fairholm",
    "Gwynedd",
    "Halvorsen",
    "Ibsworth",
    "Jarrowby",
    "Kettleborne",
    "Lindqvar",
    "Marchetti",
    "Nyberg",
    "Oyelaran",
    "Pellingham",
    "Quarrington",
    "Rostova",
    "Sandvik",
    "Tremaine",
    "Ulverston",
    "Vasquell",
    "Whitmarsh",
    "Yardley",
    "Zelenko",
    "Abernathy",
    "Brisbois",
    "Corvell",
    "Dunmore",
    "Elkington",
    "Farrowdale",
    "Gillanders",
    "Hartwell",
    "Inchcombe",
    "Jessop",
    "Kilbride",
    "Lockridge",
    "Mossgiel",
    "Northcott",
    "Ormiston",
    "Penhallow",
];

/// Roles that follow a person's name.
const ROLES: &[&str] = &[
    "chief executive",
    "finance minister",
    "spokeswoman",
    "spokesman",
    "chairman",
    "analyst",
    "governor",
    "mayor",
    "president",
    "director",
    "economist",
    "trade minister",
];

/// Stems of made-up organisations, combined with [`ORG_SUFFIX`].
pub const ORG_STEM: &[&str] = &[
    "Varnel",
    "Ostrova",
    "Kestrel",
    "Brightwater",
    "Calloway",
    "Dunholt",
    "Emberline",
    "Falkreath",
    "Greyharbor",
    "Halcyon",
    "Ironvale",
    "Juniper",
    "Kingsmere",
    "Lowfield",
    "Meridian",
    "Northmarch",
    "Orchardine",
    "Pemberton",
    "Quayside",
    "Redwater",
    "Silverbrook",
    "Thornbury",
    "Umberfield",
    "Vantor",
    "Westmoor",
    "Yellowpine",
    "Zephyrine",
    "Ashcombe",
    "Blackfen",
    "Copperleigh",
];

/// Suffixes of made-up organisations.
pub const ORG_SUFFIX: &[&str] = &[
    "Corp", "Bank", "Holdings", "Group", "Energy", "Airlines", "Motors", "Mining", "Telecom",
    "Foods",
];

/// Made-up cities (datelines and places).
pub const CITIES: &[&str] = &[
    "Keldport",
    "Marrowby",
    "Ostrevo",
    "Vallendar",
    "Brisca",
    "Tamsworth",
    "Quorlin",
    "Dunhaven",
    "Selvara",
    "Pyrmont",
    "Caldris",
    "Eastwick",
    "Halloran",
    "Istrava",
    "Jorvale",
    "Kessington",
    "Lundemar",
    "Mirabad",
    "Norrvik",
    "Ottersund",
    "Penrith Cross",
    "Ravensholm",
    "Santerre",
    "Tolvik",
    "Uskara",
    "Veldhaven",
    "Wexmoor",
    "Yskandar",
    "Zarnow",
    "Amberlea",
];

/// Made-up countries.
pub const COUNTRIES: &[&str] = &[
    "Valdoria", "Ostmark", "Kesh", "Marovia", "Sundland", "Tavria", "Lusenia", "Norhaven",
    "Carvenia", "Brelland", "Ixania", "Dravonia", "Elbaria", "Quessia", "Rusland", "Zemira",
];

/// Made-up news outlets.
pub const PUBLISHERS: &[&str] = &[
    "Capital Wire",
    "Northern Ledger",
    "Harbour Times",
    "Valdoria Press Agency",
    "Evening Courant",
    "Meridian Daily",
    "Continental News Service",
    "The Keldport Herald",
];

/// Topics: a name and the words its articles lean on.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "oil",
        &[
            "oil", "crude", "barrels", "refinery", "pipeline", "output", "prices", "exports",
            "cartel", "fuel",
        ],
    ),
    (
        "grain",
        &[
            "wheat",
            "grain",
            "harvest",
            "farmers",
            "corn",
            "tonnes",
            "drought",
            "exports",
            "subsidies",
            "crop",
        ],
    ),
    (
        "coffee",
        &[
            "coffee", "beans", "growers", "quota", "exports", "arabica", "harvest", "prices",
            "roasters", "stocks",
        ],
    ),
    (
        "rates",
        &[
            "interest",
            "rates",
            "inflation",
            "central",
            "bank",
            "bonds",
            "lending",
            "currency",
            "yields",
            "policy",
        ],
    ),
    (
        "elections",
        &[
            "election",
            "voters",
            "campaign",
            "parliament",
            "coalition",
            "ballot",
            "candidate",
            "polls",
            "opposition",
            "minister",
        ],
    ),
    (
        "mergers",
        &[
            "merger",
            "takeover",
            "shares",
            "bid",
            "shareholders",
            "acquisition",
            "stake",
            "offer",
            "board",
            "deal",
        ],
    ),
    (
        "football",
        &[
            "match", "league", "goal", "coach", "season", "players", "stadium", "cup", "final",
            "striker",
        ],
    ),
    (
        "health",
        &[
            "hospital",
            "vaccine",
            "patients",
            "doctors",
            "outbreak",
            "clinic",
            "health",
            "virus",
            "nurses",
            "treatment",
        ],
    ),
    (
        "weather",
        &[
            "storm",
            "flooding",
            "rainfall",
            "winds",
            "temperatures",
            "evacuation",
            "coast",
            "damage",
            "forecast",
            "rivers",
        ],
    ),
    (
        "technology",
        &[
            "software",
            "chips",
            "network",
            "users",
            "data",
            "startup",
            "devices",
            "cloud",
            "engineers",
            "launch",
        ],
    ),
    (
        "shipping",
        &[
            "port",
            "vessels",
            "cargo",
            "containers",
            "freight",
            "strike",
            "dockers",
            "tankers",
            "canal",
            "shipping",
        ],
    ),
    (
        "courts",
        &[
            "court",
            "judge",
            "trial",
            "verdict",
            "appeal",
            "lawyers",
            "sentence",
            "prosecutors",
            "jury",
            "ruling",
        ],
    ),
];

/// The most frequent words of news text (frequency rank order, roughly).
const COMMON: &[&str] = &[
    "the",
    "of",
    "to",
    "and",
    "a",
    "in",
    "said",
    "for",
    "on",
    "that",
    "is",
    "was",
    "with",
    "it",
    "by",
    "at",
    "as",
    "from",
    "its",
    "be",
    "has",
    "have",
    "he",
    "will",
    "would",
    "year",
    "new",
    "an",
    "not",
    "which",
    "were",
    "percent",
    "but",
    "this",
    "they",
    "had",
    "are",
    "after",
    "government",
    "million",
    "last",
    "also",
    "been",
    "more",
    "two",
    "up",
    "than",
    "about",
    "who",
    "over",
    "first",
    "market",
    "billion",
    "their",
    "one",
    "company",
    "could",
    "week",
    "told",
    "officials",
    "since",
    "state",
    "people",
    "three",
    "expected",
    "month",
    "group",
    "while",
    "report",
    "under",
    "against",
    "country",
    "there",
    "some",
    "plan",
    "years",
    "national",
    "between",
    "public",
    "agreement",
    "sales",
    "growth",
    "economy",
    "foreign",
    "price",
    "high",
    "official",
    "world",
    "talks",
    "trade",
    "industry",
    "time",
    "statement",
    "city",
    "major",
    "agency",
    "level",
    "spokesman",
    "minister",
    "support",
    "second",
    "sources",
    "early",
    "meeting",
    "quarter",
    "demand",
    "production",
    "decision",
    "costs",
    "financial",
    "largest",
    "ministry",
    "record",
    "union",
    "international",
    "investors",
    "program",
    "results",
    "funds",
    "services",
    "local",
    "reported",
    "announced",
    "increase",
    "during",
    "before",
    "region",
    "however",
    "still",
    "rise",
    "fell",
    "rose",
    "higher",
    "lower",
    "held",
    "talks",
    "week",
    "days",
    "news",
    "plans",
    "according",
    "could",
    "around",
    "future",
    "recent",
    "further",
    "measures",
    "proposal",
    "budget",
    "council",
    "review",
    "workers",
    "project",
    "investment",
    "committee",
    "members",
    "secretary",
    "reports",
    "economic",
    "political",
    "security",
    "system",
    "capital",
    "earlier",
];

const SYLLABLES: &[&str] = &[
    "ka", "lor", "men", "tri", "vo", "sel", "dun", "ara", "bex", "cor", "fi", "gal", "hem", "ist",
    "jor", "kel", "lun", "mor", "nix", "ost", "pel", "qua", "ros", "tan", "ul", "ven", "wyn",
    "yor", "zel", "bar", "dra", "ith",
];

/// Size of the made-up tail of the vocabulary.
const TAIL: usize = 60_000;

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A small, fast, deterministic random generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `(seed, stream)`.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n.max(1)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// One element of `items` (not empty).
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// Zipf-distributed ranks in `0..n`, by inverting the cumulative weights.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, exponent: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                total += 1.0 / (r as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len() - 1)
    }
}

/// The generator: vocabulary and distributions, built once.
pub struct Generator {
    seed: u64,
    vocabulary: Vec<String>,
    words: Zipf,
    people: Zipf,
    orgs: Zipf,
    places: Zipf,
}

/// One generated article.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SynthArticle {
    /// `syn-0000042`.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Paragraphs separated by blank lines, the first one with the dateline.
    pub body: String,
    /// RFC 3339.
    pub date: String,
    /// Byline.
    pub author: String,
    /// Outlet.
    pub publisher: String,
}

/// Name of person number `k` (`k` below [`people_count`]); low numbers are the prominent ones.
pub fn person(k: usize) -> String {
    format!(
        "{} {}",
        FIRST[k % FIRST.len()],
        LAST[(k / FIRST.len() + k) % LAST.len()]
    )
}

/// How many distinct people the generator uses.
pub fn people_count() -> usize {
    FIRST.len() * LAST.len()
}

/// Name of organisation number `k`.
pub fn org(k: usize) -> String {
    format!(
        "{} {}",
        ORG_STEM[k % ORG_STEM.len()],
        ORG_SUFFIX[(k / ORG_STEM.len() + k) % ORG_SUFFIX.len()]
    )
}

/// Name of place number `k`: countries first, then cities.
pub fn place(k: usize) -> &'static str {
    if k < COUNTRIES.len() {
        COUNTRIES[k]
    } else {
        CITIES[(k - COUNTRIES.len()) % CITIES.len()]
    }
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Generator {
        let mut vocabulary: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        for (_, words) in TOPICS {
            vocabulary.extend(words.iter().map(|w| w.to_string()));
        }
        let s = SYLLABLES.len();
        for i in 0..TAIL {
            // Made-up words of two syllables, then three, then four: all distinct.
            let (count, mut k) = if i < s * s {
                (2, i)
            } else if i < s * s + s * s * s {
                (3, i - s * s)
            } else {
                (4, i - s * s - s * s * s)
            };
            let mut w = String::new();
            for _ in 0..count {
                w.push_str(SYLLABLES[k % s]);
                k /= s;
            }
            vocabulary.push(w);
        }
        let n = vocabulary.len();
        Generator {
            seed,
            vocabulary,
            words: Zipf::new(n, 1.05),
            people: Zipf::new(people_count(), 1.0),
            orgs: Zipf::new(ORG_STEM.len() * ORG_SUFFIX.len(), 1.0),
            places: Zipf::new(COUNTRIES.len() + CITIES.len(), 0.8),
        }
    }

    /// Article number `i`.
    pub fn article(&self, i: u64) -> SynthArticle {
        let mut rng = Rng::new(self.seed, i);
        // About 5 % are copies of one of the 2,000 articles before them.
        if i >= 100 && rng.unit() < 0.05 {
            let original = i - 1 - rng.below(2000.min(i as usize)) as u64;
            return self.copy_of(original, i, &mut rng);
        }
        self.original(i, &mut rng)
    }

    fn original(&self, i: u64, rng: &mut Rng) -> SynthArticle {
        let (_, topic_words) = TOPICS[rng.below(TOPICS.len())];
        let people: Vec<String> = (0..3).map(|_| person(self.people.sample(rng))).collect();
        let orgs: Vec<String> = (0..2).map(|_| org(self.orgs.sample(rng))).collect();
        let places: Vec<&str> = (0..2).map(|_| place(self.places.sample(rng))).collect();
        let publisher = rng.pick(PUBLISHERS).to_string();
        // 2000-01-01 .. 2024-12-31, any time of day.
        let day = crate::corpus::days_from_civil(2000, 1, 1) + rng.below(9132) as i64;
        let secs = day * 86_400 + rng.below(86_400) as i64;
        let (y, m, d) = civil_from_days(day);
        let date = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs % 86_400 / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        let weekday = WEEKDAYS[(day + 3).rem_euclid(7) as usize];
        let w = |rng: &mut Rng| topic_words[rng.below(topic_words.len())];

        let title = match rng.below(5) {
            0 => format!("{} {} {} {}", orgs[0], verb_now(rng), w(rng), w(rng)),
            1 => format!(
                "{} says {} {} will {}",
                people[0],
                places[0],
                w(rng),
                verb_base(rng)
            ),
            2 => format!(
                "{} {} in {} as {} {}",
                cap(w(rng)),
                w(rng),
                places[0],
                w(rng),
                verb_now(rng)
            ),
            3 => format!(
                "{} {} {} pct, {} says",
                cap(w(rng)),
                verb_now(rng),
                rng.below(40) + 1,
                orgs[0]
            ),
            _ => format!(
                "{} to {} {} {} in {}",
                orgs[0],
                verb_base(rng),
                w(rng),
                w(rng),
                places[1]
            ),
        };
        let mut paragraphs = Vec::new();
        let lead = format!(
            "{}, {} {}, {} ({}) - {}, {} of {}, said on {} that {} {} {} {} {} in {}.",
            place(COUNTRIES.len() + rng.below(CITIES.len())).to_uppercase(),
            MONTHS[m as usize - 1],
            d,
            y,
            publisher,
            people[0],
            rng.pick(ROLES),
            orgs[0],
            weekday,
            w(rng),
            w(rng),
            verb_past(rng),
            self.filler(rng, 3, 8, topic_words),
            w(rng),
            places[0]
        );
        paragraphs.push(lead);
        let count = 1 + rng.below(6);
        for p in 0..count {
            let mut sentences = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let s = match rng.below(7) {
                    0 => format!(
                        "{} {} {} {} of {} in {}, {} said.",
                        orgs[rng.below(2)],
                        verb_past(rng),
                        rng.below(900) + 10,
                        rng.pick(&["million", "billion", "tonnes", "barrels", "shares"]),
                        w(rng),
                        places[rng.below(2)],
                        people[rng.below(3)]
                    ),
                    1 => format!(
                        "\"{}\", {} told reporters in {}.",
                        cap(&self.filler(rng, 6, 14, topic_words)),
                        people[rng.below(3)],
                        places[rng.below(2)]
                    ),
                    2 => format!(
                        "Shares of {} {} {}.{} pct to {}.{:02} dlrs.",
                        orgs[rng.below(2)],
                        rng.pick(&["rose", "fell", "gained", "lost"]),
                        rng.below(12),
                        rng.below(10),
                        rng.below(200) + 1,
                        rng.below(100)
                    ),
                    3 => format!(
                        "{}, the {} of {}, said the {} {} {}.",
                        people[rng.below(3)],
                        rng.pick(ROLES),
                        orgs[rng.below(2)],
                        w(rng),
                        verb_past(rng),
                        self.filler(rng, 4, 10, topic_words)
                    ),
                    _ => format!("{}.", cap(&self.filler(rng, 8, 24, topic_words))),
                };
                sentences.push(s);
            }
            if p == count - 1 && rng.unit() < 0.3 {
                sentences.push(format!(
                    "Reporting by {}; editing by {}.",
                    people[1], people[2]
                ));
            }
            paragraphs.push(sentences.join(" "));
        }
        SynthArticle {
            id: format!("syn-{i:07}"),
            title,
            body: paragraphs.join("\n\n"),
            date,
            author: people[2].clone(),
            publisher,
        }
    }

    /// A syndicated copy of article `original`, as article `i`.
    fn copy_of(&self, original: u64, i: u64, rng: &mut Rng) -> SynthArticle {
        let mut a = self.article(original);
        a.id = format!("syn-{i:07}");
        let other = PUBLISHERS
            .iter()
            .find(|p| **p != a.publisher && rng.unit() < 0.5)
            .unwrap_or(&PUBLISHERS[0]);
        a.publisher = other.to_string();
        match rng.below(3) {
            0 => a.title = format!("UPDATE 1-{}", a.title),
            1 => a.title = a.title.to_uppercase(),
            _ => {}
        }
        let mut paragraphs: Vec<String> = a.body.split("\n\n").map(str::to_string).collect();
        if paragraphs.len() > 2 && rng.unit() < 0.5 {
            paragraphs.pop();
        } else {
            paragraphs.push(format!("{other} contributed to this report."));
        }
        a.body = paragraphs.join("\n\n");
        a
    }

    /// `min..=max` words drawn from the Zipf vocabulary, a topic word now and then.
    fn filler(&self, rng: &mut Rng, min: usize, max: usize, topic: &[&str]) -> String {
        let n = min + rng.below(max - min + 1);
        let mut out = String::with_capacity(n * 7);
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            if rng.unit() < 0.15 {
                out.push_str(topic[rng.below(topic.len())]);
            } else {
                out.push_str(&self.vocabulary[self.words.sample(rng)]);
            }
        }
        out
    }
}

fn verb_now(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "cuts", "raises", "warns on", "plans", "halts", "expands", "sells", "buys", "backs",
        "rejects",
    ])
}
fn verb_base(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "cut", "raise", "review", "expand", "halt", "sell", "buy", "delay", "approve", "reject",
    ])
}
fn verb_past(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "cut",
        "raised",
        "reviewed",
        "expanded",
        "halted",
        "sold",
        "bought",
        "delayed",
        "approved",
        "rejected",
        "announced",
        "reported",
    ])
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// (year, month, day) of days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Write articles `0..count` of `seed` to `out` as JSON Lines (gzip if it ends in `.gz`).
/// Returns the bytes of title + body text written.
pub fn write(out: &Path, count: u64, seed: u64) -> Result<u64> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = out.with_extension("partial");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut w: Box<dyn Write> = if out.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::write::GzEncoder::new(
            std::io::BufWriter::with_capacity(1 << 20, file),
            flate2::Compression::fast(),
        ))
    } else {
        Box::new(std::io::BufWriter::with_capacity(1 << 20, file))
    };
    let generator = Generator::new(seed);
    let mut text = 0;
    for i in 0..count {
        let a = generator.article(i);
        text += (a.title.len() + a.body.len()) as u64;
        serde_json::to_writer(&mut w, &a)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_dated() {
        let g = Generator::new(7);
        let a = g.article(12_345);
        assert_eq!(a.title, Generator::new(7).article(12_345).title);
        assert_ne!(a.body, g.article(12_346).body);
        assert!(crate::corpus::epoch_seconds(&a.date).is_some());
        assert_eq!(
            civil_from_days(crate::corpus::days_from_civil(2016, 2, 29)),
            (2016, 2, 29)
        );
    }
}
