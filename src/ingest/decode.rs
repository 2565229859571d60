//! Bytes to text: UTF-8 when it is, otherwise the detected legacy encoding.
//!
//! Archives hold Windows-1252, Latin-1, Shift-JIS, KOI8-R... files next to UTF-8 ones.
//! Nothing is dropped and nothing is replaced by U+FFFD when an encoding explains the bytes:
//! BOMs are honoured, valid UTF-8 is taken as is, and anything else is decoded with the
//! encoding `chardetng` finds most likely.

use std::borrow::Cow;

/// Decode `bytes` into text, returning the text and the name of the encoding used.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc.name());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    let (text, _, _) = enc.decode(bytes);
    (text, enc.name())
}

/// Whether `bytes` look like binary data rather than text in any encoding.
///
/// NUL bytes do not occur in text files (UTF-16 is recognised by its BOM before this check);
/// many other C0 control characters are a sign of binary data too.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > sample.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept() {
        let (t, enc) = decode("José Müller €".as_bytes());
        assert_eq!(t, "José Müller €");
        assert_eq!(enc, "UTF-8");
    }

    #[test]
    fn windows_1252_is_detected() {
        // "José Müller paid 5 € in Besançon." in Windows-1252.
        let bytes = b"Jos\xe9 M\xfcller paid 5 \x80 in Besan\xe7on, the market said on Monday.";
        let (t, _) = decode(bytes);
        assert_eq!(
            t,
            "José Müller paid 5 € in Besançon, the market said on Monday."
        );
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Kyiv".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert!(!looks_binary(&bytes));
        assert_eq!(decode(&bytes).0, "Kyiv");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(&[0x7f, b'E', b'L', b'F', 0, 0, 1]));
        assert!(!looks_binary(b"plain text\nwith lines\n"));
    }
}
