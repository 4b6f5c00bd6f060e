//! A [`Storage`] in a directory: one file per key, written whole and renamed into place, so
//! a crash mid-write leaves the previous session, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::AuthError;
use crate::storage::Storage;

/// Keeps every storage key in its own file under a directory, so a CLI or desktop app stays
/// signed in across runs. Files are created readable by their owner only (on Unix): they
/// hold refresh tokens.
///
/// ```no_run
/// use gotrue_wasm::{ClientOptions, FileStorage, GoTrueClient};
/// # fn run<T: gotrue_wasm::HttpTransport>(transport: T) {
/// let storage = FileStorage::new("/home/ada/.config/my-app/auth");
/// let client = GoTrueClient::new(ClientOptions::new("https://project.supabase.co/auth/v1"), transport, storage);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct FileStorage {
    dir: PathBuf,
}

impl FileStorage {
    /// A storage in `dir`, created on the first write.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStorage { dir: dir.into() }
    }

    /// The directory the files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`: bytes outside `[A-Za-z0-9._-]` (and a leading `.`) are written
    /// `%XX`, so any key is one safe, visible file name (no separators, no `..`).
    fn path_of(&self, key: &str) -> PathBuf {
        let mut name = String::with_capacity(key.len() + 5);
        for byte in key.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-') || (byte == b'.' && !name.is_empty()) {
                name.push(char::from(byte));
            } else {
                name.push_str(&format!("%{byte:02X}"));
            }
        }
        if name.is_empty() {
            // The empty key: a lone `%` is no escape, so no other key's name.
            name.push('%');
        }
        name.push_str(".json");
        self.dir.join(name)
    }
}

fn failed(what: &str) -> AuthError {
    // The io error's text may name the path; the message stays fixed and token-free.
    AuthError::storage(format!("The session file could not be {what}"))
}

impl Storage for FileStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, AuthError> {
        match std::fs::read_to_string(self.path_of(key)) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(_) => Err(failed("read")),
        }
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), AuthError> {
        std::fs::create_dir_all(&self.dir).map_err(|_| failed("written"))?;
        let path = self.path_of(key);
        let temporary = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let written = open_private(&temporary)
            .and_then(|mut file| file.write_all(value.as_bytes()).and_then(|()| file.sync_all()))
            .and_then(|()| std::fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
            return Err(failed("written"));
        }
        Ok(())
    }

    async fn remove_item(&self, key: &str) -> Result<(), AuthError> {
        match std::fs::remove_file(self.path_of(key)) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(_) => Err(failed("removed")),
        }
    }
}

fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::block_on;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gotrue-file-storage-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn keeps_values_across_instances_and_removes_them() {
        let dir = scratch("roundtrip");
        block_on(async {
            let storage = FileStorage::new(&dir);
            assert_eq!(storage.get_item("sb-x-auth-token").await.unwrap(), None);
            storage.set_item("sb-x-auth-token", "{\"a\":1}").await.unwrap();
            storage.set_item("sb-x-auth-token", "{\"a\":2}").await.unwrap();
            let again = FileStorage::new(&dir);
            assert_eq!(again.get_item("sb-x-auth-token").await.unwrap().as_deref(), Some("{\"a\":2}"));
            again.remove_item("sb-x-auth-token").await.unwrap();
            again.remove_item("never-there").await.unwrap();
            assert_eq!(storage.get_item("sb-x-auth-token").await.unwrap(), None);
        });
        // Nothing but the directory is left: no temporary files.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn any_key_is_one_file_inside_the_directory() {
        let storage = FileStorage::new("/base");
        for key in ["../../etc/passwd", "a/b", ".hidden", "", "ключ", "a%2Fb"] {
            let path = storage.path_of(key);
            assert_eq!(path.parent(), Some(Path::new("/base")), "{key}");
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(!name.contains('/') && !name.starts_with('.'), "{key} -> {name}");
        }
        // Distinct keys never share a file.
        assert_ne!(storage.path_of("a/b"), storage.path_of("a%2Fb"));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        block_on(FileStorage::new(&dir).set_item("k", "v")).unwrap();
        let mode = std::fs::metadata(dir.join("k.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_that_cannot_be_made_is_a_storage_error() {
        let file = scratch("blocked");
        std::fs::write(&file, "not a directory").unwrap();
        let error = block_on(FileStorage::new(file.join("sub")).set_item("k", "secret-token")).unwrap_err();
        assert!(!error.message().contains("secret"));
        std::fs::remove_file(&file).unwrap();
    }
}
