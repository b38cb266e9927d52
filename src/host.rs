//! Host adapters for the native build: files on disk for `-f` and `cat`.

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

impl FileSource for DiskFiles {
    fn read(&self, p: &str) -> Option<String> {
        let path = self.path(p);
        if path.is_file() {
            std::fs::read_to_string(path).ok()
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
