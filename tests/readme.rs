//! README's examples, run against the real binary so that they cannot drift from what it prints.
//!
//! Every ```` ```console ```` block of `README.md` is an example. A line starting with `$ ` is a
//! shell command, run by `sh` with the `newsdex` cargo built for these tests first on `PATH`; the
//! lines after it, up to the next command or the end of the block, are what it prints (standard
//! output and error together, as on a terminal; see [`Scratch::run`]). In them, as in `trycmd`, `[..]` stands for any
//! text within a line (timings, speeds, absolute paths) and a line `...` for any number of lines.
//! Exit codes are not checked (a pipeline has none of its own); the output is.
//!
//! After a change that alters what the binary prints, `README_OVERWRITE=1 cargo test --test
//! readme` rewrites the expected output of the examples that differ: lines that still match
//! (wildcards included) are kept, the others take what was printed, with the scratch folder's
//! path written `[..]`. Read the diff before committing it.
//!
//! The blocks run in README order in one scratch folder holding copies of `sample_corpus/` and
//! `tests/data/`, so a search finds the index an earlier example built. An HTML comment on the
//! line just before a block changes how it runs:
//!
//! - `<!-- readme-test: own folder -->`: in a fresh scratch folder of its own, with no index yet
//!   (an example that would otherwise add articles to the index the later ones count);
//! - `<!-- readme-test: output of COMMAND -->`: the block holds only the output of `COMMAND`
//!   (the set-up's `cargo run --release -- index sample_corpus`, run here as `newsdex`).
//!
//! Every scratch folder also holds `mixed/`, the files README's "mixed folder" example lists.
//! A command naming `../shared/` runs only when that folder (the real third-party inputs) sits
//! next to the repository, as the other tests using it do; CI has only the repository. `/tmp/`
//! in a command is a folder private to this test (so that runs never share an index), printed
//! back as `/tmp/`.
//!
//! Why not `trycmd` itself: it runs one program per command without a shell, so README's
//! pipelines (`| head`, `| cut`, `printf ... |`) could not be shown as a reader types them, and a
//! Markdown case gets one sandbox for the whole file, so the examples that need a fresh index,
//! the `mixed/` folder or `../shared/` could not be expressed. The syntax of expected output is
//! trycmd's, so the blocks stay readable to anyone who knows it.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files README's "a folder where everything is mixed" example puts in `mixed/`.
const MIXED: [&str; 8] = [
    "html/b-opengraph-byline.html",
    "feeds/atom.xml",
    "feeds/broken.xml",
    "wire/nitf-story.xml",
    "wire/newsml-planning.xml",
    "warc/crawl.warc.gz",
    "archives/bundle.tar.gz",
    "archives/wire.sgm.xz",
];

const DIRECTIVE: &str = "<!-- readme-test:";

/// One command of a block and what it prints.
struct Example {
    /// README line of the command (1-based), for messages.
    line: usize,
    /// Index (0-based) of the README line holding the first line of expected output.
    first: usize,
    command: String,
    expected: Vec<String>,
}

/// One ```` ```console ```` block.
struct Block {
    own_folder: bool,
    examples: Vec<Example>,
}

/// The console blocks of a Markdown text, in order.
fn parse(markdown: &str) -> Vec<Block> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let fence = i;
        let end = (fence + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or_else(|| panic!("README line {}: unclosed code block", fence + 1));
        let body = &lines[fence + 1..end];
        i = end + 1;
        if info.trim() != "console" {
            if let Some(k) = body.iter().position(|l| l.starts_with("$ ")) {
                panic!(
                    "README line {}: a command example in a ```{info} block is never run; \
                     make the block ```console",
                    fence + 2 + k
                );
            }
            continue;
        }
        let mut block = Block {
            own_folder: false,
            examples: Vec::new(),
        };
        if let Some(d) = fence
            .checked_sub(1)
            .and_then(|p| lines[p].trim().strip_prefix(DIRECTIVE))
        {
            let d = d.trim().strip_suffix("-->").unwrap_or(d).trim();
            if d == "own folder" {
                block.own_folder = true;
            } else if let Some(command) = d.strip_prefix("output of ") {
                block.examples.push(Example {
                    line: fence,
                    first: fence + 1,
                    command: command.to_string(),
                    expected: Vec::new(),
                });
            } else {
                panic!("README line {fence}: unknown directive {d:?}");
            }
        }
        for (k, line) in body.iter().enumerate() {
            if let Some(command) = line.strip_prefix("$ ") {
                block.examples.push(Example {
                    line: fence + 2 + k,
                    first: fence + 2 + k,
                    command: command.to_string(),
                    expected: Vec::new(),
                });
            } else if let Some(example) = block.examples.last_mut() {
                example.expected.push(line.to_string());
            } else {
                panic!(
                    "README line {}: a console block must start with a `$ ` command \
                     (or follow `{DIRECTIVE} output of COMMAND -->`)",
                    fence + 1
                );
            }
        }
        blocks.push(block);
    }
    blocks
}

/// Does one line of output match one expected line (`[..]`: any text)?
fn line_matches(pattern: &str, line: &str) -> bool {
    let (pattern, line) = (pattern.trim_end(), line.trim_end());
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Do the output lines match the expected ones (`...` line: any number of lines)?
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => {
            !actual.is_empty() && line_matches(e, actual[0]) && matches(rest, &actual[1..])
        }
    }
}

/// A scratch folder: `root/newsdex` (the working directory: copies of the inputs), `root/tmp`
/// (stands for `/tmp/`) and `root/shared` (a link to `../shared`, when present).
struct Scratch {
    root: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let scratch = Scratch {
            root: tempfile::tempdir().expect("temp dir"),
        };
        let cwd = scratch.cwd();
        common::copy_all(&repo.join("sample_corpus"), &cwd.join("sample_corpus"));
        common::copy_all(&repo.join("tests/data"), &cwd.join("tests/data"));
        std::fs::create_dir_all(cwd.join("mixed")).expect("mkdir mixed");
        for file in MIXED {
            let from = repo.join("tests/data").join(file);
            let name = from.file_name().expect("file name");
            std::fs::copy(&from, cwd.join("mixed").join(name)).expect("copy into mixed/");
        }
        std::fs::create_dir_all(scratch.tmp()).expect("mkdir tmp");
        if let Some(shared) = shared() {
            std::os::unix::fs::symlink(shared, scratch.root.path().join("shared"))
                .expect("link ../shared");
        }
        scratch
    }

    fn cwd(&self) -> PathBuf {
        self.root.path().join("newsdex")
    }

    fn tmp(&self) -> PathBuf {
        self.root.path().join("tmp")
    }

    /// Run one command; its output with the private `/tmp/` shown as `/tmp/`.
    ///
    /// A command's standard output and error go to one pipe, so they interleave as written; but
    /// in a pipeline the last program's output would race the first one's errors, so there the
    /// errors come after the output, as on a terminal when the first program reports at its end.
    fn run(&self, command: &str) -> String {
        let tmp = format!("{}/", self.tmp().display());
        let bin = Path::new(env!("CARGO_BIN_EXE_newsdex"))
            .parent()
            .expect("binary's folder");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin.to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        let command = command.replace("/tmp/", &tmp);
        let pipeline = command.contains(" | ");
        let script = if pipeline {
            command
        } else {
            format!("exec 2>&1\n{command}")
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(self.cwd())
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .env("CI", "1")
            .env("NO_COLOR", "1")
            .env_remove("NEWSDEX_INDEX")
            .output()
            .expect("run sh");
        let mut output = out.stdout;
        output.extend(out.stderr);
        String::from_utf8_lossy(&output).replace(&tmp, "/tmp/")
    }
}

/// `../shared`, when it sits next to the repository.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}

fn trim_trailing_blank<T: AsRef<str>>(lines: &mut Vec<T>) {
    while lines.last().is_some_and(|l| l.as_ref().trim().is_empty()) {
        lines.pop();
    }
}

#[test]
fn readme_examples_print_what_the_binary_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let blocks = parse(&readme);
    let main = Scratch::new();
    let (mut ran, mut failures) = (0, Vec::new());
    let overwrite = std::env::var_os("README_OVERWRITE").is_some();
    // (first line, lines replaced, new lines), for README_OVERWRITE.
    let mut rewrites: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for block in &blocks {
        let own = block.own_folder.then(Scratch::new);
        let scratch = own.as_ref().unwrap_or(&main);
        for example in &block.examples {
            if example.command.contains("../shared/") && shared().is_none() {
                eprintln!(
                    "skipping README line {}: ../shared is not present: {}",
                    example.line, example.command
                );
                continue;
            }
            let output = scratch.run(&example.command);
            let mut actual: Vec<&str> = output.lines().collect();
            trim_trailing_blank(&mut actual);
            let mut expected = example.expected.clone();
            trim_trailing_blank(&mut expected);
            if !matches(&expected, &actual) && overwrite {
                let root = format!("{}/", scratch.cwd().display());
                let new: Vec<String> = if expected.len() == actual.len() {
                    expected
                        .iter()
                        .zip(&actual)
                        .map(|(e, a)| {
                            if line_matches(e, a) {
                                e.clone()
                            } else {
                                a.replace(&root, "[..]/")
                            }
                        })
                        .collect()
                } else {
                    actual.iter().map(|a| a.replace(&root, "[..]/")).collect()
                };
                rewrites.push((example.first, example.expected.len(), new));
            } else if !matches(&expected, &actual) {
                failures.push(format!(
                    "README line {}: $ {}\n--- expected\n{}\n--- printed\n{}\n",
                    example.line,
                    example.command,
                    expected.join("\n"),
                    actual.join("\n")
                ));
            }
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} README examples found");
    if !rewrites.is_empty() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let mut lines: Vec<String> = readme.lines().map(str::to_string).collect();
        rewrites.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (first, len, new) in rewrites {
            lines.splice(first..first + len, new);
        }
        std::fs::write(&path, lines.join("\n") + "\n").expect("rewrite README.md");
        eprintln!("README.md rewritten: read the diff");
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} README examples print something else:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn wildcards_match_as_in_trycmd() {
    assert!(line_matches("in [..] s", "in 0.09 s"));
    assert!(line_matches("[..]/a.txt", "/tmp/x/a.txt"));
    assert!(line_matches("a [..] b [..] c", "a 1 b 2 b 3 c"));
    assert!(!line_matches("in [..] s", "in 0.09 ms!"));
    assert!(!line_matches("exact", "exact but longer"));
    let lines = |s: &str| s.lines().map(String::from).collect::<Vec<_>>();
    assert!(matches(&lines("a\n...\nd"), &["a", "b", "c", "d"]));
    assert!(matches(&lines("a\n...\nd"), &["a", "d"]));
    assert!(matches(&lines("a\n..."), &["a", "b"]));
    assert!(!matches(&lines("a\n...\nd"), &["a", "b"]));
    assert!(!matches(&lines("a\nb"), &["a", "b", "c"]));
}
