//! The rejected-rows file: each refused row as it was in the input, after
//! its line number and the reason, in line order.
//!
//! Its header is `line,reason` and then the input's own header, so the file
//! can be corrected and imported again as it is (`line` and `reason` are
//! columns no field reads). When that file is imported and refuses rows
//! again, its old `line` and `reason` give way to the new ones rather than
//! piling up in front of them.

use std::{
    fs::File,
    io::{self, BufWriter},
    path::{Path, PathBuf},
};

/// Writes rejected rows; the file is created with the first one.
pub struct RejectedRows {
    path: PathBuf,
    headers: Vec<String>,
    /// How many leading cells of each row are an earlier run's `line` and
    /// `reason`, left out.
    skip: usize,
    writer: Option<csv::Writer<BufWriter<File>>>,
    rows: u64,
}

impl RejectedRows {
    pub fn new(path: PathBuf, headers: &[String]) -> Self {
        let skip = if headers.starts_with(&["line".into(), "reason".into()]) {
            2
        } else {
            0
        };
        Self {
            path,
            headers: headers[skip..].to_vec(),
            skip,
            writer: None,
            rows: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many rows were written.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn write<S: AsRef<str>>(
        &mut self,
        line: u64,
        reason: &str,
        cells: impl IntoIterator<Item = S>,
    ) -> io::Result<()> {
        let skip = self.skip;
        let writer = self.writer()?;
        let line = line.to_string();
        let mut record = csv::StringRecord::new();
        record.push_field(&line);
        record.push_field(reason);
        for cell in cells.into_iter().skip(skip) {
            record.push_field(cell.as_ref());
        }
        writer.write_record(&record)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file, if one was written. A file left at the path by an
    /// earlier run is emptied down to its header: its rows are not this
    /// run's.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.writer.is_none() && self.path.exists() {
            self.writer()?;
        }
        match &mut self.writer {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }

    /// The writer, made with the header on first use.
    fn writer(&mut self) -> io::Result<&mut csv::Writer<BufWriter<File>>> {
        if self.writer.is_none() {
            // Flexible: an unreadable row keeps the fields it had.
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(BufWriter::new(File::create(&self.path)?));
            writer.write_record(
                ["line", "reason"]
                    .into_iter()
                    .chain(self.headers.iter().map(String::as_str)),
            )?;
            self.writer = Some(writer);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("no writer"))
    }
}

/// `contacts.rejected.csv` beside `contacts.csv` (`import.rejected.csv` for stdin).
pub fn default_path(input: &Path, suffix: &str) -> PathBuf {
    if input.as_os_str() == "-" {
        return PathBuf::from(format!("import.{suffix}"));
    }
    let stem = input
        .file_stem()
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    input.with_file_name(format!("{stem}.{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_line_reason_and_the_row_under_the_inputs_header() {
        let path = std::env::temp_dir().join(format!("lox24-rejected-{}.csv", std::process::id()));
        let mut rejected = RejectedRows::new(path.clone(), &["phone".into(), "a".into()]);
        rejected.finish().unwrap();
        assert!(!path.exists(), "no file without rows");
        rejected
            .write(3, "`phone` is required", ["", "Anna"])
            .unwrap();
        rejected
            .write(7, "too long, \"really\"", ["+49170", "Ben"])
            .unwrap();
        rejected.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            written,
            "line,reason,phone,a\n3,`phone` is required,,Anna\n7,\"too long, \"\"really\"\"\",+49170,Ben\n"
        );
        assert_eq!(rejected.rows(), 2);

        // The next run rejects nothing: the file keeps only its header.
        let mut next = RejectedRows::new(path.clone(), &["phone".into()]);
        next.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(written, "line,reason,phone\n");
        assert_eq!(next.rows(), 0);
    }

    #[test]
    fn default_names_sit_beside_the_input() {
        assert_eq!(
            default_path(Path::new("data/contacts.csv"), "rejected.csv"),
            Path::new("data/contacts.rejected.csv")
        );
        assert_eq!(
            default_path(Path::new("-"), "report.json"),
            Path::new("import.report.json")
        );
    }
}
