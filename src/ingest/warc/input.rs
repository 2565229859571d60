//! The byte stream under a [`super::WarcReader`]: a `BufRead` with a push-back buffer (to
//! look again at bytes read past a record whose `Content-Length` lied) and a byte counter.

use std::io::{self, BufRead, Read};

/// The underlying stream with a push-back buffer and a count of bytes consumed.
pub(super) struct Input<R> {
    inner: R,
    /// Bytes put back, read before `inner`.
    back: Vec<u8>,
    back_pos: usize,
    /// Stream offset of the next byte.
    pos: u64,
}

impl<R: BufRead> Input<R> {
    /// Wraps `inner`, counting from offset 0.
    pub(super) fn new(inner: R) -> Self {
        Input {
            inner,
            back: Vec::new(),
            back_pos: 0,
            pos: 0,
        }
    }

    /// Stream offset of the next byte.
    pub(super) fn position(&self) -> u64 {
        self.pos
    }

    /// `fill_buf`, retrying when interrupted.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.back_pos >= self.back.len() {
            loop {
                match self.inner.fill_buf() {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                    Ok(_) => break,
                }
            }
        }
        self.fill_buf()
    }

    /// Reads one line (through `\n`, or to the end) into `buf`, keeping at most `max` bytes
    /// of it; returns how many bytes were consumed (more than `buf.len()` for a long line).
    pub(super) fn read_line(&mut self, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
        buf.clear();
        let mut consumed = 0;
        loop {
            let avail = self.fill()?;
            if avail.is_empty() {
                return Ok(consumed);
            }
            let (n, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let room = max.saturating_sub(buf.len()).min(n);
            buf.extend_from_slice(&avail[..room]);
            self.consume(n);
            consumed += n;
            if done {
                return Ok(consumed);
            }
        }
    }

    /// Consumes up to `n` bytes without copying them; returns how many there were.
    pub(super) fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail = self.fill()?.len();
            if avail == 0 {
                break;
            }
            let step = avail.min(usize::try_from(left).unwrap_or(usize::MAX));
            self.consume(step);
            left -= step as u64;
        }
        Ok(n - left)
    }

    /// Puts `bytes` (just consumed) back in front of the stream.
    pub(super) fn unread(&mut self, bytes: &[u8]) {
        let mut back = Vec::with_capacity(bytes.len() + self.back.len() - self.back_pos);
        back.extend_from_slice(bytes);
        back.extend_from_slice(&self.back[self.back_pos..]);
        self.back = back;
        self.back_pos = 0;
        self.pos = self.pos.saturating_sub(bytes.len() as u64);
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.back_pos < self.back.len() {
            return Ok(&self.back[self.back_pos..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.back_pos < self.back.len() {
            self.back_pos = (self.back_pos + n).min(self.back.len());
            if self.back_pos == self.back.len() {
                self.back.clear();
                self.back_pos = 0;
            }
        } else {
            self.inner.consume(n);
        }
        self.pos += n as u64;
    }
}
