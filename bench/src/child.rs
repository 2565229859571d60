//! Child processes measured from the outside: wall time, CPU time and peak resident memory
//! (`wait4`), so the numbers of newsdex and of the FTS5 peer are each their own process's.
//!
//! The measured program is started through a small helper, this binary's hidden
//! `spawn-measured` subcommand, which starts it, waits for it with `wait4` and writes the
//! figures to a file. Without the helper the peak RSS would be wrong: Linux gives a child that
//! `exec`s the peak RSS of the memory it had before `exec` — its parent's, for a child started
//! by `posix_spawn`/`vfork` or `fork` — so a child of the benchmark process, which holds open
//! indexes after the first corpus, "peaks" at least as high as the benchmark itself. The
//! helper is a fresh process of a few MB, so its children start clean.

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What one child process cost.
#[derive(Debug, Clone)]
pub struct Measured {
    /// From spawn to exit.
    pub wall: Duration,
    /// CPU time in user mode.
    pub user: Duration,
    /// CPU time in the kernel.
    pub sys: Duration,
    /// Peak resident set size, in bytes (file pages mapped in included).
    pub peak_rss: u64,
    /// Peak anonymous memory (heap, stacks: what the program allocated, not the pages of the
    /// files it maps), in bytes, sampled every 20 ms; 0 where `/proc` cannot tell.
    pub peak_anon: u64,
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Everything the child wrote to standard output.
    pub stdout: Vec<u8>,
    /// Everything the child wrote to standard error.
    pub stderr: Vec<u8>,
}

impl Measured {
    /// Standard output as text (lossy).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Fail unless the child exited with one of `ok` codes.
    pub fn check(&self, what: &str, ok: &[i32]) -> Result<()> {
        match self.code {
            Some(c) if ok.contains(&c) => Ok(()),
            Some(c) => bail!(
                "{what} failed (exit {c}):\n{}",
                String::from_utf8_lossy(&self.stderr)
            ),
            None => bail!(
                "{what} was killed by a signal:\n{}",
                String::from_utf8_lossy(&self.stderr)
            ),
        }
    }
}

/// What the helper measured (written as JSON to its report file).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Usage {
    wall_us: u64,
    user_us: u64,
    sys_us: u64,
    maxrss_kib: u64,
    #[serde(default)]
    max_anon_kib: u64,
    code: Option<i32>,
}

/// Run `cmd` to its end through the `spawn-measured` helper, capturing its output, and measure
/// it. Only the program, arguments and working directory of `cmd` are used.
pub fn run(cmd: Command) -> Result<Measured> {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let report = std::env::temp_dir().join(format!(
        "newsdex-bench-usage-{}-{}.json",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut helper = Command::new(std::env::current_exe().context("locating this program")?);
    helper
        .arg("spawn-measured")
        .arg("--report")
        .arg(&report)
        .arg("--")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        helper.current_dir(dir);
    }
    helper
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = helper
        .spawn()
        .with_context(|| format!("starting {:?}", cmd.get_program()))?;
    let mut out = child.stdout.take().context("child stdout")?;
    let mut err = child.stderr.take().context("child stderr")?;
    // Read stderr on another thread so neither pipe can fill up and block the child.
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let mut stdout = Vec::new();
    out.read_to_end(&mut stdout)
        .context("reading child stdout")?;
    let status = child.wait().context("waiting for the helper")?;
    let stderr = err_reader.join().unwrap_or_default();
    let text = std::fs::read_to_string(&report).with_context(|| {
        format!(
            "the helper wrote no report (exit {status}):\n{}",
            String::from_utf8_lossy(&stderr)
        )
    })?;
    let _ = std::fs::remove_file(&report);
    let usage: Usage = serde_json::from_str(&text).context("helper report")?;
    Ok(Measured {
        wall: Duration::from_micros(usage.wall_us),
        user: Duration::from_micros(usage.user_us),
        sys: Duration::from_micros(usage.sys_us),
        peak_rss: usage.maxrss_kib * 1024,
        peak_anon: usage.max_anon_kib * 1024,
        code: usage.code,
        stdout,
        stderr,
    })
}

/// The helper (`newsdex-bench spawn-measured --report FILE -- PROGRAM ARGS...`): run the
/// program with this process's standard streams, measure it, write the report, and exit with
/// the program's exit code.
pub fn spawn_measured(report: &Path, command: &[OsString]) -> Result<ExitCode> {
    let (program, args) = command.split_first().context("no program to run")?;
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .spawn()
        .with_context(|| format!("starting {program:?}"))?;
    // RSS counts the pages of the files a program maps (tantivy reads its segments through
    // mmap, and merges read them all): reclaimable page cache. The program's own memory is
    // its anonymous memory, which `wait4` does not report; sample it.
    let sampler = AnonSampler::start(child.id());
    let (status, usage) = wait4(child.id() as libc::pid_t)?;
    let max_anon_kib = sampler.stop();
    let wall = started.elapsed();
    // The child has been reaped by `wait4`; `Child` must not wait for it again, and
    // dropping a `Child` neither waits nor kills.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    let usage = Usage {
        wall_us: wall.as_micros() as u64,
        user_us: timeval(usage.ru_utime).as_micros() as u64,
        sys_us: timeval(usage.ru_stime).as_micros() as u64,
        // Linux reports `ru_maxrss` in KiB.
        maxrss_kib: usage.ru_maxrss.max(0) as u64,
        max_anon_kib,
        code,
    };
    std::fs::write(report, serde_json::to_string(&usage)?)
        .with_context(|| format!("writing {}", report.display()))?;
    Ok(ExitCode::from(code.unwrap_or(1).clamp(0, 255) as u8))
}

/// Samples a process's `Anonymous:` memory (`/proc/PID/smaps_rollup`) every 20 ms.
struct AnonSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl AnonSampler {
    fn start(pid: u32) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let path = format!("/proc/{pid}/smaps_rollup");
            let mut max = 0;
            while !flag.load(Ordering::Relaxed) {
                // Gone (or a zombie, which has no mappings): keep what was seen.
                if let Some(kib) = std::fs::read_to_string(&path)
                    .ok()
                    .as_deref()
                    .and_then(anonymous_kib)
                {
                    max = max.max(kib);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            max
        });
        AnonSampler { stop, thread }
    }

    /// The largest sample, in KiB.
    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

/// The `Anonymous:` figure of a `smaps_rollup` text, in KiB.
fn anonymous_kib(rollup: &str) -> Option<u64> {
    rollup
        .lines()
        .find_map(|l| l.strip_prefix("Anonymous:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Wall time of `cmd` with its output thrown away (for many short calls).
pub fn time_quiet(mut cmd: Command) -> Result<(Duration, Option<i32>)> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("starting {:?}", cmd.get_program()))?;
    Ok((started.elapsed(), status.code()))
}

fn wait4(pid: libc::pid_t) -> Result<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e).context("wait4");
        }
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}
