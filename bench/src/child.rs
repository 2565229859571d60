//! Child processes measured from the outside: wall time, CPU time and peak resident memory
//! (`wait4`), so the numbers of newsdex and of the FTS5 peer are each their own process's.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::process::{Command, Stdio};
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
    /// Peak resident set size, in bytes.
    pub peak_rss: u64,
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
            code => bail!(
                "{what} failed (exit {code:?}):\n{}",
                String::from_utf8_lossy(&self.stderr)
            ),
        }
    }
}

/// Run `cmd` to its end, capturing its output, and measure it.
pub fn run(mut cmd: Command) -> Result<Measured> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("starting {:?}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
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
    let (status, usage) = wait4(pid)?;
    let wall = started.elapsed();
    let stderr = err_reader.join().unwrap_or_default();
    // The child has been reaped by `wait4`; `Child` must not wait for it again, and
    // dropping a `Child` neither waits nor kills.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    Ok(Measured {
        wall,
        user: timeval(usage.ru_utime),
        sys: timeval(usage.ru_stime),
        // Linux reports `ru_maxrss` in KiB.
        peak_rss: (usage.ru_maxrss.max(0) as u64) * 1024,
        code,
        stdout,
        stderr,
    })
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
