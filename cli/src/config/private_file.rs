//! Files only the user may read: created with mode 600 in a directory of
//! mode 700 (on Unix; elsewhere the user's profile directory is private
//! already), written whole or not at all.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    path::Path,
};

/// Writes `contents` to `path`: into a file beside it, then renamed over
/// it, so that a reader never sees half a file.
pub fn write(path: &Path, contents: &str) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let mut file = open_private(Path::new(&partial))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    fs::rename(&partial, path)
}

fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // A file left by an interrupted run keeps the mode it was made with.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn files_and_their_directory_are_the_users_alone() {
        let root = std::env::temp_dir().join(format!("lox24-private-{}", std::process::id()));
        let path = root.join("nested").join("secret.toml");
        write(&path, "a = 1\n").unwrap();
        // Made readable by an earlier, careless hand: rewriting fixes it.
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write(&path, "a = 2\n").unwrap();
        // The rename keeps the mode of the new file.
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&root.join("nested")), 0o700);
        assert_eq!(fs::read_to_string(&path).unwrap(), "a = 2\n");
        fs::remove_dir_all(&root).unwrap();
    }
}
