//! In-memory file trees: a container's own files and the volumes mounted into it.

use std::collections::BTreeMap;

/// One file tree. Paths are absolute and normalised (`/a/b`); `/` always exists.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fs {
    entries: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Dir,
    File(String),
}

/// Why a file operation failed, worded as busybox words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsDir,
    NotDir,
    Exists,
    ReadOnly,
    NotEmpty,
    NoSpace,
}

impl FsError {
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::Exists => "File exists",
            FsError::ReadOnly => "Read-only file system",
            FsError::NotEmpty => "Directory not empty",
            FsError::NoSpace => "No space left on device",
        }
    }
}

/// Normalises `path` against the working directory `cwd`.
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

impl Fs {
    pub fn new() -> Fs {
        let mut entries = BTreeMap::new();
        entries.insert("/".to_string(), Entry::Dir);
        Fs { entries }
    }

    /// A tree holding the given directories and files.
    pub fn with(dirs: &[&str], files: &[(&str, &str)]) -> Fs {
        let mut fs = Fs::new();
        for d in dirs {
            fs.mkdir_all(d);
        }
        for (p, c) in files {
            fs.mkdir_all(parent(p));
            fs.entries
                .insert((*p).to_string(), Entry::File((*c).to_string()));
        }
        fs
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.entries.get(path), Some(Entry::Dir))
    }

    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        match self.entries.get(path) {
            Some(Entry::File(c)) => Ok(c),
            Some(Entry::Dir) => Err(FsError::IsDir),
            None => Err(FsError::NotFound),
        }
    }

    pub fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), FsError> {
        if !self.is_dir(parent(path)) {
            return Err(if self.entries.contains_key(parent(path)) {
                FsError::NotDir
            } else {
                FsError::NotFound
            });
        }
        match self.entries.get_mut(path) {
            Some(Entry::Dir) => Err(FsError::IsDir),
            Some(Entry::File(c)) if append => {
                c.push_str(content);
                Ok(())
            }
            _ => {
                self.entries
                    .insert(path.to_string(), Entry::File(content.to_string()));
                Ok(())
            }
        }
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.entries.contains_key(path) {
            return Err(FsError::Exists);
        }
        if !self.is_dir(parent(path)) {
            return Err(FsError::NotFound);
        }
        self.entries.insert(path.to_string(), Entry::Dir);
        Ok(())
    }

    pub fn mkdir_all(&mut self, path: &str) {
        let mut cur = String::new();
        for p in path.split('/').filter(|p| !p.is_empty()) {
            cur.push('/');
            cur.push_str(p);
            self.entries.entry(cur.clone()).or_insert(Entry::Dir);
        }
    }

    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.entries.get(path) {
            None => Err(FsError::NotFound),
            Some(Entry::File(_)) => {
                self.entries.remove(path);
                Ok(())
            }
            Some(Entry::Dir) => {
                let prefix = format!("{path}/");
                let children: Vec<String> = self
                    .entries
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, _)| k.clone())
                    .collect();
                if !children.is_empty() && !recursive {
                    return Err(FsError::NotEmpty);
                }
                if !recursive {
                    return Err(FsError::IsDir);
                }
                for c in children {
                    self.entries.remove(&c);
                }
                if path != "/" {
                    self.entries.remove(path);
                }
                Ok(())
            }
        }
    }

    /// Names directly inside a directory, sorted.
    pub fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        match self.entries.get(path) {
            None => return Err(FsError::NotFound),
            Some(Entry::File(_)) => {
                return Ok(vec![path
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()])
            }
            Some(Entry::Dir) => {}
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        Ok(self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, _)| {
                let rest = &k[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect())
    }

    /// The tree under `root`, re-rooted at `/` (a hostPath volume's view of the node).
    pub fn subtree(&self, root: &str) -> Fs {
        let mut out = Fs::new();
        let prefix = if root == "/" {
            "/".to_string()
        } else {
            format!("{}/", root.trim_end_matches('/'))
        };
        for (k, v) in self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
        {
            out.entries
                .insert(format!("/{}", &k[prefix.len()..]), v.clone());
        }
        out
    }

    /// Replaces the tree under `root` with `sub` (writing a hostPath volume back to the node).
    pub fn replace_subtree(&mut self, root: &str, sub: &Fs) {
        let root = root.trim_end_matches('/');
        let prefix = format!("{root}/");
        let stale: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            self.entries.remove(&k);
        }
        self.mkdir_all(root);
        for (k, v) in &sub.entries {
            if k != "/" {
                self.entries.insert(format!("{root}{k}"), v.clone());
            }
        }
    }

    /// Total bytes of file content, for bounding memory.
    pub fn size(&self) -> usize {
        self.entries
            .values()
            .map(|e| if let Entry::File(c) = e { c.len() } else { 0 })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_dirs() {
        let mut fs = Fs::with(&["/tmp"], &[("/etc/hostname", "x\n")]);
        assert_eq!(fs.read("/etc/hostname"), Ok("x\n"));
        assert_eq!(fs.write("/nope/a", "", false), Err(FsError::NotFound));
        fs.mkdir("/files_dir").expect("parent exists");
        fs.write("/files_dir/f", "data\n", false)
            .expect("dir exists");
        assert_eq!(fs.list("/files_dir"), Ok(vec!["f".to_string()]));
        assert_eq!(fs.remove("/files_dir", false), Err(FsError::NotEmpty));
        fs.remove("/files_dir/f", false).expect("exists");
        assert_eq!(fs.read("/files_dir/f"), Err(FsError::NotFound));
        assert_eq!(normalize("/a/b", "../c/./d"), "/a/c/d");
    }
}
