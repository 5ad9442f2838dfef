//! The analysis of an SMS text.

use std::fmt::Write as _;

use lox24::{
    Encoding, ValidationError,
    text::{Alphabet, MAX_INPUT_CHARS, MAX_PARTS, Measure, TextAnalysis},
};
use serde::Serialize;

use super::{Render, Text, field};
use crate::options::letter;

/// What `text check` found.
#[derive(Serialize)]
pub struct TextReport {
    /// Whether LOX24 accepts the text (and the recipient's message, with `--value`).
    pub ok: bool,
    /// Why not, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The encoding asked for: `auto`, `gsm` or `unicode`.
    pub encoding: &'static str,
    /// Characters as written, and LOX24's limit on them.
    pub chars: usize,
    pub max_chars: usize,
    /// The text as written (placeholders counted as written).
    #[serde(flatten)]
    pub message: MessageSize,
    pub non_gsm: Vec<NonGsm>,
    pub placeholders: Vec<PlaceholderAt>,
    /// One recipient's message, with `--value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personalized: Option<MessageSize>,
}

/// A message's size on the air.
#[derive(Serialize)]
pub struct MessageSize {
    /// `gsm7` or `ucs2`.
    pub alphabet: &'static str,
    pub units: usize,
    pub parts: usize,
    /// Units in one SMS, and per part of a longer message.
    pub single_units: usize,
    pub part_units: usize,
    /// The most units and parts LOX24 sends.
    pub max_units: usize,
    pub max_parts: usize,
    /// With `--encoding gsm`: characters LOX24 will replace by look-alikes.
    pub transliterated: usize,
}

impl MessageSize {
    fn of(m: Measure) -> Self {
        Self {
            alphabet: match m.alphabet() {
                Alphabet::Gsm7 => "gsm7",
                Alphabet::Ucs2 => "ucs2",
            },
            units: m.units(),
            parts: m.parts(),
            single_units: m.alphabet().single_units(),
            part_units: m.alphabet().part_units(),
            max_units: m.alphabet().max_units(),
            max_parts: MAX_PARTS,
            transliterated: m.transliterated(),
        }
    }

    fn human(&self, out: &mut Text, label: &str) {
        let alphabet = if self.alphabet == "gsm7" {
            "GSM 03.38"
        } else {
            "UCS-2"
        };
        field(
            out,
            label,
            format!(
                "{} units of {alphabet} in {} SMS part{} ({} fit in one SMS, {} per part; at most {} units)",
                self.units,
                self.parts,
                if self.parts == 1 { "" } else { "s" },
                self.single_units,
                self.part_units,
                self.max_units
            ),
        );
        if self.transliterated > 0 {
            field(
                out,
                "",
                format!(
                    "{} replaced by GSM look-alikes: the length is an estimate",
                    match self.transliterated {
                        1 => "1 character will be".to_owned(),
                        n => format!("{n} characters will be"),
                    }
                ),
            );
        }
    }
}

/// A character outside GSM 03.38.
#[derive(Serialize)]
pub struct NonGsm {
    pub character: char,
    /// `U+2013`.
    pub code_point: String,
    pub count: usize,
    /// The position of its first occurrence, in characters from 1 (as the
    /// text report says it).
    pub first: usize,
}

/// A personalisation placeholder.
#[derive(Serialize)]
pub struct PlaceholderAt {
    /// `a` … `e`.
    pub column: &'static str,
    /// The position of its `[`, in characters from 1 (as the text report
    /// says it).
    pub position: usize,
}

impl TextReport {
    pub fn new(
        text: &str,
        analysis: &TextAnalysis,
        personalized: Option<Measure>,
        refusal: Option<&ValidationError>,
    ) -> Self {
        // Counted from 1 in text and JSON alike, as editors count columns.
        let position = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count()) + 1;
        Self {
            ok: refusal.is_none(),
            problem: refusal.map(ToString::to_string),
            encoding: match analysis.encoding() {
                Encoding::Gsm => "gsm",
                Encoding::Unicode => "unicode",
                _ => "auto",
            },
            chars: analysis.chars(),
            max_chars: MAX_INPUT_CHARS,
            message: MessageSize::of(analysis.measure()),
            non_gsm: analysis
                .non_gsm()
                .iter()
                .map(|c| NonGsm {
                    character: c.character,
                    code_point: format!("U+{:04X}", u32::from(c.character)),
                    count: c.count,
                    first: position(c.first),
                })
                .collect(),
            placeholders: analysis
                .placeholders()
                .iter()
                .map(|p| PlaceholderAt {
                    column: letter(p.column),
                    position: position(p.range.start),
                })
                .collect(),
            personalized: personalized.map(MessageSize::of),
        }
    }
}

impl Render for TextReport {
    fn human(&self, out: &mut Text) {
        field(
            out,
            "characters",
            format!("{} (LOX24 accepts up to {})", self.chars, self.max_chars),
        );
        field(out, "encoding", self.encoding);
        self.message.human(out, "as written");
        if !self.non_gsm.is_empty() {
            let effect = match (self.encoding, self.message.alphabet) {
                ("gsm", _) => "replaced by look-alikes",
                (_, "ucs2") => "these make the text Unicode",
                _ => "outside GSM 03.38",
            };
            let listed: Vec<String> = self
                .non_gsm
                .iter()
                .map(|c| {
                    format!(
                        "{:?} {} ×{} at character {}",
                        c.character, c.code_point, c.count, c.first
                    )
                })
                .collect();
            field(out, "non-GSM", format!("{} ({effect})", listed.join(", ")));
        }
        if !self.placeholders.is_empty() {
            let listed: Vec<String> = self
                .placeholders
                .iter()
                .map(|p| format!("column {} at character {}", p.column, p.position))
                .collect();
            field(
                out,
                "placeholders",
                format!(
                    "{} (each recipient's message differs; --value a=… counts one)",
                    listed.join(", ")
                ),
            );
        }
        if let Some(personalized) = &self.personalized {
            personalized.human(out, "personalized");
        }
        let verdict = match &self.problem {
            None => "ok: LOX24 accepts this text".to_owned(),
            Some(problem) => format!("too long: {problem}"),
        };
        let _ = writeln!(out, "{verdict}");
    }
}
