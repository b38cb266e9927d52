//! Host adapters for the native build: files on disk for `-f` and `cat`, and the
//! comparison behind `podplay run --check`.

pub mod check;

use std::path::{Path, PathBuf};

use crate::session::FileSource;

/// Reads files relative to a folder on disk.
pub struct DiskFiles {
    base: PathBuf,
}

impl DiskFiles {
    pub fn new(base: PathBuf) -> DiskFiles {
        DiskFiles { base }
    }

    fn path(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base.join(path)
        }
    }
}

/// A file's text: UTF-16 with a byte-order mark is transcoded (as kubectl's reader does), and
/// bytes that are not UTF-8 become U+FFFD, so a bad byte is reported where it stands (a name
/// the API server refuses) rather than as a missing file.
pub fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |be: bool| -> String {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if be {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xff, 0xfe, ..] => utf16(false),
        [0xfe, 0xff, ..] => utf16(true),
        [0xef, 0xbb, 0xbf, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl FileSource for DiskFiles {
    fn read(&self, p: &str) -> Option<String> {
        let path = self.path(p);
        if path.is_file() {
            std::fs::read(path).ok().map(|bytes| decode_text(&bytes))
        } else {
            None
        }
    }
    fn list_dir(&self, p: &str) -> Option<Vec<String>> {
        let dir = self.path(p);
        if !dir.is_dir() {
            return None;
        }
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| {
                format!(
                    "{}/{}",
                    p.trim_end_matches('/'),
                    e.file_name().to_string_lossy()
                )
            })
            .collect();
        names.sort();
        Some(names)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_in_any_encoding_is_read() {
        assert_eq!(super::decode_text(b"a: \xff\n"), "a: \u{fffd}\n");
        assert_eq!(super::decode_text(b"\xff\xfea\x00:\x00"), "a:");
        assert_eq!(super::decode_text(b"\xef\xbb\xbfkind: Pod"), "kind: Pod");
    }
}
