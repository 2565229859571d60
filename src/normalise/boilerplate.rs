//! Boilerplate removal: donation appeals, subscription pitches, newsletter boxes, share and
//! follow prompts, cookie notices, related-link lists, photo credits, comment prompts.
//!
//! The method is general, not a list of any site's sentences. Each paragraph gets a score
//! from signals that separate a publisher talking to its reader from reporting:
//!
//! * the reader and the publisher addressed directly (`you`, `your`, `we`, `our`) outside
//!   quotation marks — reporting quotes people, page furniture talks to the reader;
//! * calls to action: a sentence that starts with an imperative (`Sign up`, `Join our`,
//!   `Share this`, `Follow us`) — the noun readings (`Share prices`, `Support for`) excluded;
//! * the vocabulary of page furniture (`newsletter`, `privacy policy`, `Photograph:`,
//!   `Comments 15`, `Related:`), each a weak signal on its own;
//! * the shape of the paragraph: short and without a full stop, like a button or a link;
//! * against all of these, the signs of reporting: `said`, `told`, `according to`.
//!
//! Paragraphs scoring high are removed; paragraphs with a weaker score are removed only when
//! they sit in a run of boilerplate (between two removed paragraphs, or between a removed
//! paragraph and the start or end of the article), which is where appeals and footers live.
//! The items of a list under a "Related:"-style heading go with it.

use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Score from which a paragraph is boilerplate on its own.
const STRONG: f32 = 3.5;
/// Score from which a paragraph is boilerplate when it sits in a run of boilerplate.
const WEAK: f32 = 1.5;

/// Which paragraphs to keep: `true` for article text, `false` for boilerplate.
///
/// `glue_ends[i]` is true when paragraph `i` ended where a scraper glued two blocks
/// together ("...the difference.Vladimir Putin"), so it closes a block of its own.
pub fn classify(paragraphs: &[String], glue_ends: &[bool]) -> Vec<bool> {
    let signals: Vec<Signals> = paragraphs.iter().map(|p| signals(p)).collect();
    // A paragraph without furniture evidence is at most weak, however it scores.
    let scores: Vec<f32> = signals
        .iter()
        .map(|s| {
            if s.furniture {
                s.score
            } else {
                s.score.min(STRONG - 0.01)
            }
        })
        .collect();
    let words: Vec<usize> = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .collect();
    // A long paragraph that only talks to the reader ("you may think...") and has no
    // furniture in it is a chatty article's text: it does not carry a block of boilerplate
    // into the article (an appeal speaks for the publisher: "we", "our").
    let addressed: Vec<bool> = signals
        .iter()
        .zip(&words)
        .map(|(s, &w)| {
            (s.addressed || s.score >= 1.0) && !(w >= 25 && s.reader_only && !s.furniture)
        })
        .collect();
    let n = paragraphs.len();
    let mut boiler: Vec<bool> = scores.iter().map(|&s| s >= STRONG).collect();

    // The blocks at the top and at the bottom: appeals, share bars, comment prompts.
    let top: Vec<usize> = (0..n).collect();
    let bottom: Vec<usize> = (0..n).rev().collect();
    for i in edge_block(&top, &scores, &addressed, &words, Some(glue_ends)) {
        boiler[i] = true;
    }
    for i in edge_block(&bottom, &scores, &addressed, &words, None) {
        boiler[i] = true;
    }

    // Inside the article: weak paragraphs between two strong ones in an unbroken run.
    let mut i = 0;
    while i < n {
        if scores[i] < WEAK {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && scores[i] >= WEAK {
            i += 1;
        }
        let strong: Vec<usize> = (start..i).filter(|&j| scores[j] >= STRONG).collect();
        if let (Some(&first), Some(&last)) = (strong.first(), strong.last()) {
            for b in &mut boiler[first..=last] {
                *b = true;
            }
        }
    }

    // Items of a link list follow a list heading ("Related:", "More on this story").
    let mut in_list = false;
    for j in 0..n {
        if is_list_heading(&paragraphs[j]) && scores[j] >= WEAK {
            boiler[j] = true;
            in_list = true;
        } else if in_list && is_list_item(&paragraphs[j]) {
            boiler[j] = true;
        } else if !boiler[j] {
            in_list = false;
        }
    }
    boiler.into_iter().map(|b| !b).collect()
}

/// The boilerplate block at one edge of the article, scanning paragraphs in `order`.
///
/// Before the first strong paragraph only paragraphs that address the reader are allowed;
/// after it, up to two short or reader-addressing paragraphs may sit between strong ones
/// ("It only takes a minute."). Reporting (`said`, `told`) ends the block. The block also
/// takes the weak paragraphs that address the reader right after it, and at the top a
/// paragraph that ended at a glue point (the last sentence of an appeal glued to the first sentence of the story).
fn edge_block(
    order: &[usize],
    scores: &[f32],
    addressed: &[bool],
    words: &[usize],
    glue_ends: Option<&[bool]>,
) -> Vec<usize> {
    let mut cut: Option<usize> = None;
    let mut loose = 0;
    for (pos, &i) in order.iter().enumerate() {
        let s = scores[i];
        if s >= STRONG {
            cut = Some(pos);
            loose = 0;
            continue;
        }
        if s <= -1.0 {
            break;
        }
        let addressed = addressed[i];
        if cut.is_none() {
            if addressed {
                continue;
            }
            break;
        }
        if addressed || words[i] < 25 {
            loose += 1;
            if loose > 2 {
                break;
            }
            continue;
        }
        break;
    }
    let Some(cut) = cut else { return Vec::new() };
    let mut out: Vec<usize> = order[..=cut].to_vec();
    for &i in &order[cut + 1..] {
        let glued = glue_ends.is_some_and(|g| g.get(i).copied().unwrap_or(false));
        if (scores[i] >= WEAK && addressed[i]) || glued {
            out.push(i);
            if glued {
                break;
            }
        } else {
            break;
        }
    }
    out
}

/// Whether a single line is page furniture on its own (used to pick a headline).
pub fn is_furniture(line: &str) -> bool {
    let s = signals(line);
    s.furniture && s.score >= STRONG
}

/// The boilerplate score of one paragraph (see the module docs).
pub fn score(paragraph: &str) -> f32 {
    signals(paragraph).score
}

/// What one paragraph shows.
#[derive(Debug, Clone, Copy)]
struct Signals {
    /// The boilerplate score.
    score: f32,
    /// Page-furniture vocabulary or a call to action is present.
    furniture: bool,
    /// The reader or the publisher is addressed outside quotes (`you`, `we`, `our`).
    addressed: bool,
    /// Only the reader is addressed (`you`), never the publisher (`we`, `our`).
    reader_only: bool,
}

/// The score, and whether any page-furniture evidence (vocabulary or a call to action) is in
/// it: pronouns alone (a quoted letter, an op-ed's "we") never make a paragraph boilerplate.
fn signals(paragraph: &str) -> Signals {
    let unquoted = strip_quotes(paragraph);
    let lower = unquoted.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    let n_words = words.len().max(1) as f32;

    let mut reader = 0.0f32;
    let mut publisher = 0.0f32;
    let mut reporting = 0.0f32;
    for w in &words {
        match *w {
            "you" | "your" | "yours" | "yourself" | "you're" | "you'll" | "you've" | "you’re"
            | "you’ll" | "you’ve" => reader += 1.0,
            "we" | "us" | "our" | "ours" | "we're" | "we've" | "we’re" | "we’ve" => {
                publisher += 1.0
            }
            "said" | "says" | "saying" | "told" | "added" | "announced" | "reported" | "stated"
            | "declined" | "warned" | "insisted" | "confirmed" => reporting += 1.0,
            _ => {}
        }
    }
    if lower.contains("according to") {
        reporting += 1.0;
    }

    let mut s = 2.0 * reader.min(3.0) + 1.0 * publisher.min(3.0) - 1.5 * reporting.min(3.0);
    let cta = calls_to_action(&unquoted);
    let strong_words = furniture_count(&lower).min(2);
    let weak_words = WEAK_FURNITURE.matches(&lower).iter().count().min(2);
    s += 2.0 * cta as f32 + 2.5 * strong_words as f32 + 1.5 * weak_words as f32;
    let furniture = cta + strong_words + weak_words > 0;

    let terminal = super::text::ends_sentence(paragraph);
    if n_words <= 8.0 && !terminal {
        s += 1.0; // a button, a link, a label
    }
    // Long paragraphs need a denser signal: one stray phrase does not make 60 words furniture.
    if n_words > 30.0 && s > 0.0 {
        s *= 30.0 / n_words;
    }
    Signals {
        score: s,
        furniture: furniture || n_words <= 8.0,
        addressed: reader + publisher > 0.0,
        reader_only: reader > 0.0 && publisher == 0.0,
    }
}

/// Unambiguous page-furniture phrases (lower case).
static FURNITURE: LazyLock<RegexSet> = LazyLock::new(|| {
    ascii_boundaries([
        r"\bnewsletters?\b.*\b(sign|subscribe|inbox|email|delivered)|\b(sign|subscribe)\b.*\bnewsletters?\b",
        r"\b(subscribe|subscription|subscriber)s?\b.*\b(now|today|offer|access|unlimited|month|year|free|trial|plan)\b",
        r"\b(we|this (site|website)) uses? cookies\b|\bcookies? (policy|settings|preferences|notice|consent)\b|\b(accept|reject) (all )?cookies\b",
        r"\bprivacy (policy|notice)\b|\bterms (of|and) (use|service|conditions)\b",
        r"\ball rights reserved\b|^©|\bcopyright ©|^copyright \d{4}",
        r"\bfollow us\b|\bshare (this (article|story|page|post)|via|the story|the article|on (facebook|twitter|x|whatsapp|linkedin|email|reddit|pinterest|bluesky|threads|messenger))\b|\bcopy link\b|\blike us on\b",
        r"^(related|read more|see also|more on this( story)?|most (read|popular|viewed)|recommended|you may also like|trending|top stories|more from|latest news|also read|explore more|watch|listen)\b[\s:]*",
        r"^(advertisement|publicité|publicidad|pubblicità|anzeige|werbung|reklame|annonce)$|^sponsored( content)?$|^ad$|^(skip|close) (ad|advertisement)",
        r"^comments?\s*[\d(]|\b\d+\s+comments?\s*$|\bcommenting (forum|guidelines)\b|\b(join|start) the (conversation|discussion)\b|\bleave a comment\b|\bview comments\b",
        r"^(photograph|photo|image|picture|illustration|video|graphic)s?( credit)?\s*[:/]|\b(photograph|photo|image|picture)s?( credit)?\s*:\s*\S|\(\s*(photo|image|picture)s?\s*:|getty images|\b(ap|afp|epa|reuters|pa|shutterstock|alamy) (photo|images?)\b|/\s*(getty|afp|ap|reuters|epa|shutterstock|alamy)\s*$",
        // Wire credits: "Reporting by Chidi Eze; Editing by Mark Dunne".
        r"^(additional )?(reporting|writing|editing|compiled|research) by\b",
        // A caption in brackets: "(Image: Runners at the finish. Evening Sentinel / M. Ruiz)".
        r"^\(\s*(image|photo|photograph|picture|pictured|video|graphic|illustration)s?\s*:.*\)$",
        r"\bclick here\b|\bdownload (the|our) app\b|\b(sign|log) (in|up) to\b|\bcreate an? (free )?account\b|\balready (a subscriber|have an account)\b",
        r"\b(donate|donation|donations|contribute)\b.*\b(us|our|today|now|independent|journalism)\b|\byour support\b|\bsupport (us|our|independent|quality)\b",
        r"^(published|updated|last (updated|modified)|posted)\s*[:\d]",
        r"\benter your email\b|\bemail address\b.*\b(sign|subscribe|updates|inbox)|\bunsubscribe\b|\bdelivered to your inbox\b|\bstraight to your inbox\b",
        r"\b(accept|reject) all\b|\bmanage (preferences|settings|cookies)\b",
        r"\b(do|does) not (necessarily )?reflect the (views|opinions|position)\b",
    ])
});

/// Page-furniture phrases with counted repetitions (`.{0,60}`), each run alone and only
/// when a cheap test that any match needs passes: in one set with the others their counters
/// multiplied the lazy DFA's states until building states cost a tenth of the indexing work.
type Gated = (Gate, &'static str);
/// A test that every match of a pattern passes (cheaper than the pattern).
type Gate = fn(&str) -> bool;
const GATED_FURNITURE: [Gated; 6] = [
    // Navigation bars and breadcrumbs: "Home | World | Business | Sport", "Home › News › UK".
    (
        |p| p.matches('|').nth(2).is_some() || p.starts_with("home") || p.starts_with("news"),
        r"^([^|]{1,30}\|){3,}[^|]{0,30}$|^(home|news)\s*[›»>/]",
    ),
    // Social media prompts: "Follow Capital Wire on Twitter and LinkedIn".
    (
        |p| {
            [
                "follow",
                "like",
                "join",
                "find",
                "subscribe to",
                "connect with",
                "watch",
            ]
            .iter()
            .any(|w| p.starts_with(w))
        },
        r"^(follow|like|join|find|subscribe to|connect with|watch)\b.{0,60}\b(on|via) (twitter|x|facebook|linkedin|instagram|tiktok|youtube|telegram|whatsapp|bluesky|threads|mastodon)\b",
    ),
    // A caption ending in its credit: "The minister in Oslo. Photo: Reuters".
    (
        |p| p.contains(':'),
        r"(photo(graph)?|image|picture|illustration|credit)s?\s*:\s*[^.!?]{1,60}$",
    ),
    // Opinion disclaimers: "The views expressed are those of the author."
    (
        |p| p.contains(" expressed "),
        r"\b(views|opinions) expressed (are|in this \w+ are)\b.{0,40}\b(author|writer|columnist)s?\b",
    ),
    // Feed footers: "The post Ferry strike ends appeared first on Pacific Gazette."
    (
        |p| p.starts_with("the post"),
        r"^the post\b.{1,300}\bappeared first on\b",
    ),
    // Bylines with a time of posting: "By Ann Lee · 2024-03-04", "Sentinel live team".
    (|p| p.starts_with("by"), r"^by\s+[^.!?]{2,60}\s[·|•]\s*\d"),
];

static GATED: LazyLock<Vec<(Gate, Regex)>> = LazyLock::new(|| {
    GATED_FURNITURE
        .iter()
        .map(|&(gate, pattern)| (gate, ascii_regex(pattern)))
        .collect()
});

/// How many furniture phrases (of [`FURNITURE`] and the gated ones) `lower` holds.
fn furniture_count(lower: &str) -> usize {
    FURNITURE.matches(lower).iter().count()
        + GATED
            .iter()
            .filter(|(gate, re)| gate(lower) && re.is_match(lower))
            .count()
}

/// Words of page furniture that also occur in reporting (weaker evidence).
static WEAK_FURNITURE: LazyLock<RegexSet> = LazyLock::new(|| {
    ascii_boundaries([
        r"\bjournalism\b|\bjournalists\b|\bnewsroom\b|\breporting\b",
        r"\bpaywalls?\b|\bpremium\b|\bads?\b-free|\bad-free\b",
        r"\breaders?\b",
        r"\bsubscribe\b|\bsubscription\b|\bnewsletter\b",
        r"\bshare\b|\bfollow\b|\bcomments?\b",
    ])
});

/// A regex set whose `\b` are ASCII word boundaries, so the fast lazy DFA can run on any
/// text (Unicode `\b` forces the slow PikeVM on non-ASCII input). The lists are English.
fn ascii_boundaries<const N: usize>(patterns: [&str; N]) -> RegexSet {
    regex::RegexSetBuilder::new(patterns.iter().map(|p| p.replace(r"\b", r"(?-u:\b)")))
        // A lazy DFA cache large enough for the set's states: the default one was cleared
        // and rebuilt over and over (a tenth of Reuters' indexing time went to rebuilding it).
        .dfa_size_limit(64 << 20)
        .build()
        .expect("valid regex set")
}

/// One pattern, with ASCII `\b` as in [`ascii_boundaries`].
fn ascii_regex(pattern: &str) -> Regex {
    regex::RegexBuilder::new(&pattern.replace(r"\b", r"(?-u:\b)"))
        .dfa_size_limit(16 << 20)
        .build()
        .expect("valid regex")
}

/// Sentences that start with an imperative call to action (outside quotes): a verb of
/// page furniture followed by what such prompts address ("Join our", "Share this",
/// "Sign up", "Subscribe now"), so that "Share prices fell" or "Support for the bill" are
/// not taken for prompts.
fn calls_to_action(text: &str) -> usize {
    static CTA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[.!?]\s+)(?i:subscribe|sign|join|follow|share|click|tap|donate|register|download|log|enter|watch|listen|read|discover|explore|visit|get|become|give|contribute|support|comment|like|accept|manage|continue|tell|find|try|see|help|send|email)\s+(?i:(us|our|your|you|this|now|today|up|in|here|more|free|the|a|an|other|to|on|with))\b",
        )
        .expect("valid regex")
    });
    CTA.find_iter(text).count()
}

/// Text with quoted passages removed (“…” and "…" pairs).
fn strip_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth_curly = 0usize;
    let mut in_straight = false;
    let straight_pairs = text.matches('"').count() >= 2;
    for c in text.chars() {
        match c {
            '“' => depth_curly += 1,
            '”' => depth_curly = depth_curly.saturating_sub(1),
            '"' if straight_pairs => in_straight = !in_straight,
            _ if depth_curly == 0 && !in_straight => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_list_heading(p: &str) -> bool {
    let lower = p.trim().to_lowercase();
    let words = lower.split_whitespace().count();
    words <= 6
        && (lower.ends_with(':')
            || [
                "related",
                "more on this",
                "read more",
                "see also",
                "most read",
                "most popular",
                "more from",
                "recommended",
                "you may also like",
                "top stories",
                "latest news",
            ]
            .iter()
            .any(|h| lower.starts_with(h)))
}

fn is_list_item(p: &str) -> bool {
    let words = p.split_whitespace().count();
    words <= 16 && (!super::text::ends_sentence(p) || p.starts_with(['•', '-', '*', '›', '»']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(paragraphs: &[&str]) -> Vec<String> {
        let ps: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
        ps.iter()
            .zip(classify(&ps, &vec![false; ps.len()]))
            .filter(|(_, k)| *k)
            .map(|(p, _)| p.clone())
            .collect()
    }

    #[test]
    fn a_chatty_article_is_not_an_appeal() {
        let article = [
            "We use cookies to improve your experience. Accept all cookies.",
            "You might think a wreath is the easiest decoration to hang, but if you have ever watched one slide down a front door at two in the morning you know better, and you know the hook was the problem all along.",
            "The trick is a loop of fishing line behind the frame, which holds the weight without marking the paint, florists in the town said on Monday.",
        ];
        let out = kept(&article);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].starts_with("You might think"));
    }

    #[test]
    fn reporting_that_mentions_support_or_comments_is_kept() {
        let article = [
            "Opposition parties said on Tuesday they would support the bill in its final reading.",
            "The ministry declined to make any comments on the leaked report, a spokesman said.",
            "Shares in the company fell 4 percent after the announcement.",
            "Investors will follow the decision closely, analysts told reporters.",
        ];
        assert_eq!(kept(&article), article);
    }

    #[test]
    fn appeal_and_footer_are_removed() {
        let got = kept(&[
            "Your support keeps our newsroom independent",
            "We cover the stories others ignore, and we never put our reporting behind a wall.",
            "Every donation, big or small, helps us send reporters where the news is.",
            "The central bank raised its main rate on Thursday, the governor said.",
            "Markets had expected the move after inflation rose for a third month.",
            "Join the conversation",
            "Read our community guidelines and tell us what you think",
            "Comments 12",
        ]);
        assert_eq!(
            got,
            [
                "The central bank raised its main rate on Thursday, the governor said.",
                "Markets had expected the move after inflation rose for a third month."
            ]
        );
    }

    #[test]
    fn navigation_is_not_a_headline() {
        assert!(is_furniture("Home | World | Business | Sport | Culture"));
        assert!(is_furniture("Home › News › Europe"));
        assert!(!is_furniture("Ferry operator adds winter crossings"));
    }

    #[test]
    fn furniture_in_the_middle() {
        let got = kept(&[
            "The port authority approved the new terminal on Monday, officials said.",
            "Sign up to our morning briefing",
            "Enter your email address",
            "Photograph: Ana Ruiz/Getty Images",
            "Construction is due to start next spring and will take three years.",
            "Related:",
            "Port strike ends after six days",
            "Ferry operator cuts winter routes",
            "The terminal will handle twice as many containers as the old one.",
        ]);
        assert_eq!(
            got,
            [
                "The port authority approved the new terminal on Monday, officials said.",
                "Construction is due to start next spring and will take three years.",
                "The terminal will handle twice as many containers as the old one."
            ]
        );
    }
}
