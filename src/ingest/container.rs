//! Compression codecs and archive containers: recognised by magic bytes, read in a stream,
//! each member handed back to [`Ctx::read_stream`] so that any format (or another archive)
//! can sit inside any other.

use super::{walk, Ctx, Layer};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read};

/// First bytes of a zip local file header.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The compression codec whose magic bytes start `head`, if any.
pub(super) fn codec_of(head: &[u8]) -> Option<&'static str> {
    const CODECS: [(&[u8], &str); 4] = [
        (&[0x1f, 0x8b], "gzip"),
        (&[0x28, 0xb5, 0x2f, 0xfd], "zstd"),
        (b"BZh", "bzip2"),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0], "xz"),
    ];
    CODECS
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|&(_, codec)| codec)
}

/// Whether `head` is the start of a tar archive (POSIX `ustar` or GNU magic at 257).
pub(super) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// A streaming decoder for `codec` over `input`.
pub(super) fn decoder<'r>(
    codec: &'static str,
    input: Box<dyn BufRead + 'r>,
) -> std::io::Result<Box<dyn Read + 'r>> {
    Ok(match codec {
        "gzip" => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        "zstd" => Box::new(
            ruzstd::decoding::StreamingDecoder::new(input)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        ),
        "bzip2" => Box::new(bzip2::bufread::MultiBzDecoder::new(input)),
        "xz" => Box::new(lzma_rust2::XzReader::new(input, true)),
        other => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                format!("no decoder for {other}"),
            ))
        }
    })
}

/// Whether an archive member is worth reading: not a folder, not hidden, not the
/// metadata of an archiver (`__MACOSX/`) nor a corpus's README or licence.
fn wanted(name: &str) -> bool {
    !name.ends_with('/')
        && !name
            .split('/')
            .any(|part| part.starts_with('.') || part == "__MACOSX")
        && !walk::is_corpus_doc_name(name.rsplit('/').next().unwrap_or(name))
}

/// Read one member, reporting (not returning) its problems so the next member is read.
fn read_member(ctx: &mut Ctx<'_>, reader: Box<dyn Read + '_>, layer: &Layer) {
    let input = BufReader::with_capacity(64 * 1024, reader);
    if let Err(e) = ctx.read_stream(Box::new(input), layer) {
        ctx.member_errors += 1;
        ctx.warn(e);
    }
}

fn container_error(
    ctx: &Ctx<'_>,
    layer: &Layer,
    container: &'static str,
    e: impl ToString,
) -> Error {
    Error::Container {
        path: ctx.path_of(layer),
        container,
        reason: e.to_string(),
    }
}

/// A zip file on disk, read through its central directory.
pub(super) fn read_zip_file(ctx: &mut Ctx<'_>, file: std::fs::File) -> Result<()> {
    let layer = Layer::default();
    let mut zip = zip::ZipArchive::new(file).map_err(|e| container_error(ctx, &layer, "zip", e))?;
    read_zip(ctx, &mut zip, &layer)
}

/// A zip inside another stream: the central directory is at its end, so the zip is read
/// into memory (within the file's decompression budget) first.
pub(super) fn read_zip_stream(
    ctx: &mut Ctx<'_>,
    mut input: Box<dyn BufRead + '_>,
    layer: &Layer,
) -> Result<()> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| ctx.io_error(layer, e))?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| container_error(ctx, layer, "zip", e))?;
    read_zip(ctx, &mut zip, layer)
}

fn read_zip<R: Read + std::io::Seek>(
    ctx: &mut Ctx<'_>,
    zip: &mut zip::ZipArchive<R>,
    layer: &Layer,
) -> Result<()> {
    for i in 0..zip.len() {
        let listed = zip
            .name_for_index(i)
            .and_then(|n| n.ok())
            .map_or_else(|| format!("#{}", i + 1), |n| n.into_owned());
        let entry = match zip.by_index(i) {
            Ok(entry) => entry,
            Err(e) => {
                let name = listed;
                let inner = layer.with_member("zip", &name);
                ctx.member_errors += 1;
                let e = container_error(ctx, &inner, "zip", e);
                ctx.warn(e);
                continue;
            }
        };
        let name = entry
            .name()
            .map_or_else(|_| format!("#{}", i + 1), |n| n.into_owned());
        if !entry.is_file() || !wanted(&name) {
            continue;
        }
        let inner = layer.with_member("zip", &name);
        let reader = ctx.limited(Box::new(entry));
        read_member(ctx, reader, &inner);
    }
    Ok(())
}

/// A tar archive, read entry by entry in a stream.
pub(super) fn read_tar(
    ctx: &mut Ctx<'_>,
    input: Box<dyn BufRead + '_>,
    layer: &Layer,
) -> Result<()> {
    let mut archive = tar::Archive::new(input);
    let entries = archive
        .entries()
        .map_err(|e| container_error(ctx, layer, "tar", e))?;
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // A corrupt header: the rest of the stream cannot be trusted.
                ctx.member_errors += 1;
                let e = container_error(ctx, layer, "tar", e);
                ctx.warn(e);
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path_bytes();
        let name = String::from_utf8_lossy(&name).into_owned();
        if !wanted(&name) {
            continue;
        }
        let inner = layer.with_member("tar", &name);
        read_member(ctx, Box::new(entry), &inner);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_filter() {
        assert!(wanted("news/a.html"));
        assert!(!wanted("news/"));
        assert!(!wanted("__MACOSX/news/._a.html"));
        assert!(!wanted("news/.hidden"));
        assert!(!wanted("corpus/README.md"));
    }

    #[test]
    fn codecs_by_magic() {
        assert_eq!(codec_of(&[0x1f, 0x8b, 8]), Some("gzip"));
        assert_eq!(codec_of(b"BZh91AY"), Some("bzip2"));
        assert_eq!(codec_of(b"{\"a\":1}"), None);
    }
}
