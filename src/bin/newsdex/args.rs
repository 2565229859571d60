//! Command-line arguments (clap), converted into the library's typed requests.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Full-text search for news archives: normalise articles from any shape, index them,
/// search with ranked, highlighted snippets.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Index directory.
    #[arg(
        long,
        global = true,
        env = "NEWSDEX_INDEX",
        default_value = "newsdex-index"
    )]
    pub index: PathBuf,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

pub const EXIT_CODES: &str = "Exit codes: 0 success · 1 error · 2 bad usage, query or date · \
3 done, but some inputs were skipped (see warnings) · 4 index locked by another process · 5 no index";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read files and folders and add their articles to the index.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Matching articles per day, month or year, as a chart (terminal, SVG, PNG) or numbers.
    Timeline(TimelineArgs),
    /// Articles most like a given one (its near-duplicate copies left out).
    Similar(SimilarArgs),
    /// Show one whole normalised article, with its entities.
    Show(ShowArgs),
    /// Entities of the archive, or of the articles matching a query, with co-mentions.
    Entities(EntitiesArgs),
    /// Measure search quality against relevance judgments.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print normalised articles as JSON Lines, without indexing.
    Normalize(NormalizeArgs),
    /// Show what the index holds.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Delete the existing index first.
    #[arg(long)]
    pub rebuild: bool,
    /// Indexing threads (default: number of cores, at most 8).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Memory budget of the index writer, in MiB.
    #[arg(long, default_value_t = 256)]
    pub memory_mb: usize,
    /// Commit every N articles (an interrupted run keeps everything committed).
    #[arg(long, default_value_t = 50_000)]
    pub commit_every: usize,
    /// Articles of this run kept in memory to find copies among them (about 0.7 KB
    /// each); a copy further behind in the run is indexed as a story of its own.
    #[arg(long, default_value_t = newsdex::index::DEFAULT_DEDUP_WINDOW)]
    pub dedup_window: usize,
    /// Largest input file accepted after decompression, in MiB (JSON Lines and web archives:
    /// per line or record, at most 64).
    #[arg(long, default_value_t = 1024)]
    pub max_file_mb: u64,
    /// Longest article text kept, in MiB; longer texts are cut, with a warning.
    #[arg(long, default_value_t = 8)]
    pub max_article_mb: usize,
    /// Summary format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// No progress bar and no warnings, only the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Conditions every command that searches accepts.
#[derive(Debug, Args, Clone)]
pub struct FilterArgs {
    /// Only articles dated in or after this period (YYYY, YYYY-MM, YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only articles dated in or before this period (YYYY, YYYY-MM, YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only articles naming this person.
    #[arg(long)]
    pub person: Vec<String>,
    /// Only articles naming this organisation.
    #[arg(long)]
    pub org: Vec<String>,
    /// Only articles naming this place.
    #[arg(long)]
    pub place: Vec<String>,
    /// Only articles naming this entity (any kind).
    #[arg(long)]
    pub entity: Vec<String>,
    /// Only articles from this publisher.
    #[arg(long, alias = "source")]
    pub publisher: Option<String>,
    /// Only articles in this language (ISO 639-1 code, e.g. en).
    #[arg(long)]
    pub lang: Option<String>,
    /// Every word of the query may match, ranked by how many and how rare (the default for
    /// a query typed as a sentence or question).
    #[arg(long, conflicts_with = "all")]
    pub any: bool,
    /// Every word of the query must match (the default for short queries).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (ANDed), "phrases", OR, -exclusions, title:, person:, org:, place:,
    /// entity:, publisher:, lang:, date:2017-12, date:[2017-01 TO 2017-06]. A sentence or
    /// question is read as natural language (any word may match).
    #[arg(required_unless_present = "batch")]
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show (0: only the count, and facets if asked for).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Number of hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Fragments per hit.
    #[arg(long, default_value_t = 3)]
    pub fragments: usize,
    /// Show every copy of a syndicated story (by default near-duplicates are folded into one
    /// hit that says how many more copies match).
    #[arg(long)]
    pub all_copies: bool,
    /// Count the matches by entity, publisher, language, year and month (the top N of each,
    /// 10 if N is not given).
    #[arg(long, num_args = 0..=1, default_missing_value = "10", value_name = "N")]
    pub facets: Option<usize>,
    /// Run one query per line of this file (`-`: standard input) and write one JSON result
    /// per line (blank lines and lines starting with # are skipped).
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The query (default: every article).
    #[arg(default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Length of a period.
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    pub by: PeriodArg,
    /// Also draw the chart as SVG into this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Also draw the chart as PNG into this file.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// Output format (text: a bar chart).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// Id of the article (as shown by search: `id ...`).
    pub id: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of articles to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Number of articles to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Fragments per hit.
    #[arg(long, default_value_t = 2)]
    pub fragments: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Id of the article.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only the articles matching this query (default: the whole archive).
    #[arg(default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only entities of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Number of entities to list.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub top: usize,
    /// Co-mentioned entities to list with each (0: none).
    #[arg(long, default_value_t = 3)]
    pub co: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing buys nothing
pub enum EvalCommand {
    /// Score ranking against TREC relevance judgments: MAP, nDCG@10, P@10, R@100, MRR.
    Ranking(EvalRankingArgs),
    /// Score entity extraction against CoNLL-2003-format annotations: exact-span precision,
    /// recall and F1 per type, and extraction speed.
    Ner(EvalNerArgs),
}

#[derive(Debug, Args)]
pub struct EvalNerArgs {
    /// Annotated text in CoNLL-2003 format (token ... NER-tag per line, -DOCSTART- between
    /// documents), gzip-compressed or not.
    #[arg(long, value_name = "FILE", required_unless_present = "declared")]
    pub conll: Option<PathBuf>,
    /// Instead: compare, article by article, the entities an archive declares (Reuters-21578's
    /// PLACES, PEOPLE, ORGS) with those the extractor finds in the text.
    #[arg(long, value_name = "PATH", conflicts_with = "conll", num_args = 1..)]
    pub declared: Vec<PathBuf>,
    /// List this many of the most frequent disagreements (missed, spurious, wrong type).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub errors: usize,
    /// Score this entity model file (written by `train-ner`) instead of the one built in.
    #[arg(long, value_name = "FILE", conflicts_with = "declared")]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct EvalRankingArgs {
    /// Queries: one `id<TAB>text` per line.
    #[arg(long, required_unless_present = "score_run")]
    pub queries: Option<PathBuf>,
    /// Score this TREC run file (`qid Q0 docid rank score tag` lines, from any search system)
    /// against the judgments instead of running the queries.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["queries", "run"])]
    pub score_run: Option<PathBuf>,
    /// Relevance judgments in TREC format: `qid 0 docid grade` per line.
    #[arg(long)]
    pub qrels: PathBuf,
    /// Also write the ranking as a TREC run file.
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Documents ranked per query.
    #[arg(long, default_value_t = 100)]
    pub depth: usize,
    /// Only the queries listed with this label in a split file (`qid<TAB>label` lines).
    #[arg(long, value_name = "FILE", requires = "subset")]
    pub split: Option<PathBuf>,
    /// The label of --split to keep (e.g. tune, heldout).
    #[arg(long, requires = "split")]
    pub subset: Option<String>,
    /// Name of the run in the run file.
    #[arg(long, default_value = "newsdex")]
    pub tag: String,
    /// Show every query's scores.
    #[arg(long)]
    pub per_query: bool,
    /// Ranking: weight of a title match relative to a body match.
    #[arg(long, default_value_t = newsdex::search::TITLE_BOOST)]
    pub title_boost: f32,
    /// Ranking: weight of adjacent query words standing close together (0: off).
    #[arg(long, default_value_t = 0.0)]
    pub proximity_boost: f32,
    /// Ranking: words allowed between adjacent query words for --proximity-boost.
    #[arg(long, default_value_t = 3)]
    pub proximity_slop: u32,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// Files and folders to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Largest input file accepted after decompression, in MiB (JSON Lines and web archives:
    /// per line or record, at most 64).
    #[arg(long, default_value_t = 1024)]
    pub max_file_mb: u64,
    /// Longest article text kept, in MiB; longer texts are cut, with a warning.
    #[arg(long, default_value_t = 8)]
    pub max_article_mb: usize,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Entities to list per kind.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

impl From<SortArg> for newsdex::Sort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => newsdex::Sort::Relevance,
            SortArg::Newest => newsdex::Sort::Newest,
            SortArg::Oldest => newsdex::Sort::Oldest,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Month,
    Year,
}

impl From<PeriodArg> for newsdex::Period {
    fn from(p: PeriodArg) -> Self {
        match p {
            PeriodArg::Day => newsdex::Period::Day,
            PeriodArg::Month => newsdex::Period::Month,
            PeriodArg::Year => newsdex::Period::Year,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Person,
    /// Also `organization` / `organisation`, as output names the kind.
    #[value(alias = "organization", alias = "organisation")]
    Org,
    Place,
    Other,
}

impl From<KindArg> for newsdex::EntityKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Person => newsdex::EntityKind::Person,
            KindArg::Org => newsdex::EntityKind::Organization,
            KindArg::Place => newsdex::EntityKind::Place,
            KindArg::Other => newsdex::EntityKind::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl FilterArgs {
    /// `request` with these conditions.
    pub fn apply(&self, mut r: newsdex::SearchRequest) -> newsdex::SearchRequest {
        if let Some(f) = &self.from {
            r = r.from(f);
        }
        if let Some(t) = &self.to {
            r = r.to(t);
        }
        for p in &self.person {
            r = r.person(p);
        }
        for o in &self.org {
            r = r.org(o);
        }
        for p in &self.place {
            r = r.place(p);
        }
        for e in &self.entity {
            r = r.entity(e);
        }
        if let Some(p) = &self.publisher {
            r = r.publisher(p);
        }
        if let Some(l) = &self.lang {
            r = r.language(l);
        }
        if self.any {
            r = r.mode(newsdex::Mode::Any);
        } else if self.all {
            r = r.mode(newsdex::Mode::All);
        }
        r
    }
}

impl SearchArgs {
    /// The library request for these arguments and this query text.
    pub fn request(&self, query: &str) -> newsdex::SearchRequest {
        let r = newsdex::SearchRequest::new(query)
            .limit(self.limit)
            .offset(self.offset)
            .sort(self.sort.into())
            .fragments(self.fragments)
            .all_copies(self.all_copies)
            .facets(self.facets.unwrap_or(0));
        self.filters.apply(r)
    }
}
