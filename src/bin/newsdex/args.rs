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
    /// Largest input file accepted after decompression, in MiB (web archives: per record,
    /// at most 64).
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

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (ANDed), "phrases", OR, -exclusions, title:, person:, org:, place:,
    /// entity:, publisher:, lang:, date:2017-12, date:[2017-01 TO 2017-06].
    pub query: String,
    /// Number of hits to show (0: only the count).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Number of hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
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
    /// Fragments per hit.
    #[arg(long, default_value_t = 3)]
    pub fragments: usize,
    /// Show every copy of a syndicated story (by default near-duplicates are folded into one
    /// hit that says how many more copies match).
    #[arg(long)]
    pub all_copies: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// Files and folders to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Largest input file accepted after decompression, in MiB (web archives: per record,
    /// at most 64).
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

impl SearchArgs {
    /// The library request for these arguments.
    pub fn request(&self) -> newsdex::SearchRequest {
        let mut r = newsdex::SearchRequest::new(&self.query)
            .limit(self.limit)
            .offset(self.offset)
            .sort(self.sort.into())
            .fragments(self.fragments)
            .all_copies(self.all_copies);
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
        r
    }
}
