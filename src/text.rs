//! What an SMS text costs before it is sent: its alphabet, its length in
//! units of that alphabet, the parts it is split into, and LOX24's limits.
//!
//! Two entry points, both pure functions (`cargo bench --bench text`
//! measures their speed and allocations):
//!
//! - [`measure`] counts a final message (alphabet, units, parts) without
//!   allocating: what a server needs to price each recipient's message.
//! - [`analyze`] also lists the characters that are not in GSM 03.38 and the
//!   personalisation placeholders, can [`personalize`](TextAnalysis::personalize)
//!   the count for one recipient, and [`check`](TextAnalysis::check)s the
//!   limits, returning the crate's [`ValidationError`] for the field `text`.
//!
//! ```
//! use lox24::{Encoding, text::{self, Alphabet}};
//!
//! let sms = text::analyze("Grüße aus Köln – bis bald!", Encoding::Auto);
//! assert_eq!(sms.measure().alphabet(), Alphabet::Ucs2); // because of the dash
//! assert_eq!(sms.non_gsm()[0].character, '–');
//!
//! let fixed = text::analyze("Grüße aus Köln - bis bald!", Encoding::Auto);
//! assert_eq!(fixed.measure().alphabet(), Alphabet::Gsm7);
//! assert_eq!((fixed.measure().units(), fixed.measure().parts()), (26, 1));
//! ```
//!
//! # How LOX24 counts
//!
//! - A text is sent in the GSM 03.38 alphabet when each of its characters is
//!   in the standard's basic or extension table; otherwise in UCS-2.
//! - In GSM 03.38 a character takes one unit (a septet), except those of the
//!   extension table, `^ { } \ [ ~ ] | €` and form feed, which take two.
//!   In UCS-2 a character takes one unit (16 bits), except those outside
//!   the Basic Multilingual Plane (most emoji), which take two.
//! - One SMS carries 160 GSM or 70 UCS-2 units. A longer text is split into
//!   parts of 153 or 67 units (the rest carries the header that joins
//!   them), counted here as the units divided by 153 or 67, rounded up: the
//!   rule LOX24's limits are written in.
//! - LOX24 accepts a `text` of at most 1785 characters, and sends a final
//!   message (placeholders replaced) of at most 1530 GSM units or 670 UCS-2
//!   units: ten parts.
//!
//! # Choosing the encoding
//!
//! [`Encoding`] is the choice sent as `is_unicode`. [`Encoding::Auto`]
//! follows the rule above. [`Encoding::Unicode`] counts in UCS-2 whatever
//! the text. [`Encoding::Gsm`] keeps GSM 03.38 and LOX24 replaces every
//! other character by a GSM look-alike (`á` → `a`, `–` → `-`, `` ` `` →
//! `'`). LOX24 does not publish its table, so such a character is counted
//! as one unit, as in LOX24's published example, and
//! [`Measure::transliterated`] says how many there are: when it is not zero
//! the length is an estimate, and [`TextAnalysis::non_gsm`] lists them.
//!
//! # Personalisation
//!
//! `[Name colA]` … `[Name colE]` in a text sent to a group are replaced by
//! each entry's column values (written exactly so: LOX24 documents no other
//! spelling). [`TextAnalysis::measure`] counts the text as written;
//! [`TextAnalysis::personalize`] counts one recipient's final message.

use std::ops::Range;

use crate::{Column, ValidationError, ValidationProblem};

/// How the text is encoded on the air.
///
/// ```
/// use lox24::Encoding;
/// use lox24::text::{self, Alphabet};
///
/// let alphabet = |sms, encoding| text::measure(sms, encoding).alphabet();
/// let offer = "Café – 10 % off"; // the dash is not in GSM 03.38
/// assert_eq!(alphabet(offer, Encoding::Auto), Alphabet::Ucs2);
/// assert_eq!(alphabet(offer, Encoding::Gsm), Alphabet::Gsm7); // – sent as -
/// assert_eq!(alphabet("Hi", Encoding::Unicode), Alphabet::Ucs2);
/// assert_eq!(Encoding::default(), Encoding::Auto);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// LOX24 decides from the text (`is_unicode` absent).
    #[default]
    Auto,
    /// GSM 03.38: 160 characters per SMS; other characters are transliterated
    /// (`is_unicode: false`).
    Gsm,
    /// UCS-2: 70 characters per SMS, any script (`is_unicode: true`).
    Unicode,
}

impl Encoding {
    /// The `is_unicode` field of a campaign for this choice.
    pub(crate) fn is_unicode(self) -> Option<bool> {
        match self {
            Self::Auto => None,
            Self::Gsm => Some(false),
            Self::Unicode => Some(true),
        }
    }
}

/// The most characters LOX24 accepts in `text`, placeholders included.
pub const MAX_INPUT_CHARS: usize = 1785;

/// The most parts LOX24 sends for one message.
pub const MAX_PARTS: usize = 10;

/// The alphabet a message is coded in on the air.
///
/// ```
/// use lox24::text::Alphabet;
///
/// assert_eq!(Alphabet::Gsm7.single_units(), 160);
/// assert_eq!(Alphabet::Gsm7.part_units(), 153);
/// assert_eq!(Alphabet::Ucs2.max_units(), 670);
/// assert_eq!(Alphabet::Ucs2.parts(71), 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alphabet {
    /// The GSM 03.38 default alphabet, 7 bits a unit.
    Gsm7,
    /// UCS-2, 16 bits a unit.
    Ucs2,
}

impl Alphabet {
    /// The units one SMS carries on its own: 160 or 70.
    ///
    /// ```
    /// use lox24::Encoding;
    /// use lox24::text::{self, Alphabet};
    ///
    /// let longest = "a".repeat(Alphabet::Gsm7.single_units());
    /// assert_eq!(text::measure(&longest, Encoding::Auto).parts(), 1);
    /// assert_eq!(text::measure(&(longest + "!"), Encoding::Auto).parts(), 2);
    /// ```
    pub const fn single_units(self) -> usize {
        match self {
            Self::Gsm7 => 160,
            Self::Ucs2 => 70,
        }
    }

    /// The units each part of a split message carries: 153 or 67.
    ///
    /// ```
    /// use lox24::text::Alphabet;
    ///
    /// let three_full_parts = 3 * Alphabet::Ucs2.part_units();
    /// assert_eq!(Alphabet::Ucs2.parts(three_full_parts), 3);
    /// assert_eq!(Alphabet::Ucs2.parts(three_full_parts + 1), 4);
    /// ```
    pub const fn part_units(self) -> usize {
        match self {
            Self::Gsm7 => 153,
            Self::Ucs2 => 67,
        }
    }

    /// The most units LOX24 sends in one message: 1530 or 670 (ten parts).
    ///
    /// ```
    /// use lox24::Encoding;
    /// use lox24::text::{self, Alphabet};
    ///
    /// let longest = "a".repeat(Alphabet::Gsm7.max_units());
    /// assert!(text::measure(&longest, Encoding::Auto).check().is_ok());
    /// let too_long = text::measure(&(longest + "!"), Encoding::Auto);
    /// assert!(too_long.check().is_err());
    /// ```
    pub const fn max_units(self) -> usize {
        MAX_PARTS * self.part_units()
    }

    /// The parts a message of `units` units is sent in; an empty message is
    /// still one SMS.
    ///
    /// ```
    /// use lox24::text::Alphabet;
    ///
    /// assert_eq!(Alphabet::Gsm7.parts(0), 1);
    /// assert_eq!(Alphabet::Gsm7.parts(160), 1);
    /// assert_eq!(Alphabet::Gsm7.parts(161), 2); // two parts of up to 153
    /// assert_eq!(Alphabet::Gsm7.parts(307), 3);
    /// ```
    pub const fn parts(self, units: usize) -> usize {
        if units <= self.single_units() {
            1
        } else {
            units.div_ceil(self.part_units())
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Gsm7 => "GSM 03.38",
            Self::Ucs2 => "UCS-2",
        }
    }
}

/// How a final message measures: its alphabet, length and parts.
///
/// ```
/// use lox24::{Encoding, text::{self, Alphabet}};
///
/// let m = text::measure(&"x".repeat(161), Encoding::Auto);
/// assert_eq!((m.alphabet(), m.units(), m.parts()), (Alphabet::Gsm7, 161, 2));
/// assert!(m.check().is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Measure {
    alphabet: Alphabet,
    units: usize,
    parts: usize,
    transliterated: usize,
}

impl Measure {
    /// The alphabet the message is sent in.
    ///
    /// ```
    /// use lox24::Encoding;
    /// use lox24::text::{self, Alphabet};
    ///
    /// let plain = text::measure("See you at 8!", Encoding::Auto);
    /// assert_eq!(plain.alphabet(), Alphabet::Gsm7);
    /// let waving = text::measure("See you at 8! 👋", Encoding::Auto);
    /// assert_eq!(waving.alphabet(), Alphabet::Ucs2);
    /// ```
    pub fn alphabet(&self) -> Alphabet {
        self.alphabet
    }

    /// The length in units of the alphabet (see the [module docs](self)).
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// assert_eq!(text::measure("[x]", Encoding::Auto).units(), 5); // brackets count twice
    /// assert_eq!(text::measure("Hi 👋", Encoding::Auto).units(), 5); // so does the emoji in UCS-2
    /// ```
    pub fn units(&self) -> usize {
        self.units
    }

    /// The SMS parts the message is sent (and billed) as.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// // 70 UCS-2 units fit in one SMS; 72 take two parts of up to 67.
    /// assert_eq!(text::measure(&"👋".repeat(35), Encoding::Auto).parts(), 1);
    /// assert_eq!(text::measure(&"👋".repeat(36), Encoding::Auto).parts(), 2);
    /// ```
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// With [`Encoding::Gsm`], the characters LOX24 will replace by GSM
    /// look-alikes; each is counted as one unit, so a count above zero
    /// makes [`Measure::units`] an estimate. Zero with the other encodings.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// let dessert = "Crème brûlée"; // è and é are GSM, û is not
    /// assert_eq!(text::measure(dessert, Encoding::Gsm).transliterated(), 1);
    /// assert_eq!(text::measure(dessert, Encoding::Auto).transliterated(), 0);
    /// ```
    pub fn transliterated(&self) -> usize {
        self.transliterated
    }

    /// Whether LOX24 sends a message this long: at most 1530 GSM or 670
    /// UCS-2 units. The error names the field `text`.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// assert!(text::measure(&"€".repeat(765), Encoding::Auto).check().is_ok());
    /// let err = text::measure(&"€".repeat(766), Encoding::Auto).check().unwrap_err();
    /// assert_eq!(err.field(), "text");
    /// ```
    pub fn check(&self) -> Result<(), ValidationError> {
        self.check_final(&[], false)
    }

    fn check_final(&self, because: &[NonGsmChar], partial: bool) -> Result<(), ValidationError> {
        let max = self.alphabet.max_units();
        if self.units <= max {
            return Ok(());
        }
        let mut reason = format!("needs {} units in {}", self.units, self.alphabet.name());
        if partial {
            reason.push_str(" even with its placeholders left empty");
        }
        if !because.is_empty() {
            let shown: Vec<String> = because
                .iter()
                .take(5)
                .map(|c| format!("{:?}", c.character))
                .collect();
            let more = if because.len() > 5 { ", …" } else { "" };
            reason.push_str(&format!(" (because of {}{more})", shown.join(", ")));
        }
        reason.push_str(match self.alphabet {
            Alphabet::Gsm7 => ", where ^ { } \\ [ ~ ] | € count twice",
            Alphabet::Ucs2 => ", where emoji count twice",
        });
        reason.push_str(&format!(
            "; LOX24 sends at most {max} ({MAX_PARTS} parts of {})",
            self.alphabet.part_units()
        ));
        Err(ValidationError::new(
            "text",
            ValidationProblem::Invalid { reason },
        ))
    }
}

/// A character that is in neither GSM 03.38 table, with where it occurs.
///
/// ```
/// use lox24::{Encoding, text};
///
/// let sms = text::analyze("It’s ok, isn’t it?", Encoding::Auto);
/// let c = &sms.non_gsm()[0];
/// assert_eq!((c.character, c.count, c.first), ('’', 2, 2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NonGsmChar {
    /// The character.
    pub character: char,
    /// How often it occurs.
    pub count: usize,
    /// The byte offset of its first occurrence in the text.
    pub first: usize,
}

/// A personalisation placeholder found in a text.
///
/// ```
/// use lox24::{Column, Encoding, text};
///
/// let sms = text::analyze("Hi [Name colB]!", Encoding::Auto);
/// assert_eq!(sms.placeholders()[0].column, Column::B);
/// assert_eq!(sms.placeholders()[0].range, 3..14);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Placeholder {
    /// The column whose value replaces it.
    pub column: Column,
    /// Where it is in the text, in bytes.
    pub range: Range<usize>,
}

/// What [`analyze`] found in a text: see the [module docs](self).
///
/// ```
/// use lox24::{Column, Encoding, text::{self, Alphabet}};
///
/// let sms = text::analyze("Hallo [Name colA], dein Code: 4711", Encoding::Auto);
/// assert_eq!(sms.chars(), 34);
/// assert_eq!(sms.placeholders().len(), 1);
/// assert!(sms.check().is_ok());
///
/// // One recipient's message: the value replaces the placeholder.
/// let anna = sms.personalize(|c| (c == Column::A).then_some("Anna"));
/// assert_eq!((anna.alphabet(), anna.units()), (Alphabet::Gsm7, 27));
/// // A value outside GSM 03.38 makes that recipient's message UCS-2.
/// let zoe = sms.personalize(|c| (c == Column::A).then_some("Zoë"));
/// assert_eq!((zoe.alphabet(), zoe.units()), (Alphabet::Ucs2, 26));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextAnalysis {
    encoding: Encoding,
    chars: usize,
    fixed: Counts,
    placeholders: Vec<Placeholder>,
    non_gsm: Vec<NonGsmChar>,
}

impl TextAnalysis {
    /// The encoding the analysis was made for.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// let sms = text::analyze("Grüße – Anna", Encoding::Gsm);
    /// assert_eq!(sms.encoding(), Encoding::Gsm);
    /// ```
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The characters (Unicode scalar values) in the text, the measure of
    /// LOX24's input limit of [`MAX_INPUT_CHARS`].
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// let sms = text::analyze("Grüße", Encoding::Auto);
    /// assert_eq!((sms.chars(), "Grüße".len()), (5, 7)); // characters, not bytes
    /// assert!(sms.chars() <= text::MAX_INPUT_CHARS);
    /// ```
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// The text as written, placeholders counted as the text they are.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// let sms = text::analyze("Hi [Name colA]!", Encoding::Auto);
    /// // The placeholder's 11 characters, its brackets counting twice.
    /// assert_eq!(sms.measure().units(), 3 + 13 + 1);
    /// ```
    pub fn measure(&self) -> Measure {
        let literal = self.placeholders.len();
        self.fixed
            .plus(Counts {
                gsm: literal * PLACEHOLDER_GSM_UNITS,
                utf16: literal * PLACEHOLDER_LEN,
                non_gsm: 0,
            })
            .measure(self.encoding)
    }

    /// The characters outside GSM 03.38, each once, in order of first
    /// occurrence: with [`Encoding::Auto`] they are why the text is UCS-2;
    /// with [`Encoding::Gsm`] LOX24 transliterates them.
    ///
    /// ```
    /// use lox24::{Encoding, text};
    ///
    /// let sms = text::analyze("Let’s go – it’s late", Encoding::Auto);
    /// let found: Vec<char> = sms.non_gsm().iter().map(|c| c.character).collect();
    /// assert_eq!(found, ['’', '–']);
    /// ```
    pub fn non_gsm(&self) -> &[NonGsmChar] {
        &self.non_gsm
    }

    /// The placeholders `[Name colA]` … `[Name colE]`, in order.
    ///
    /// ```
    /// use lox24::{Column, Encoding, text};
    ///
    /// let sms = text::analyze("Dear [Name colB] [Name colA]", Encoding::Auto);
    /// let columns: Vec<Column> = sms.placeholders().iter().map(|p| p.column).collect();
    /// assert_eq!(columns, [Column::B, Column::A]);
    /// ```
    pub fn placeholders(&self) -> &[Placeholder] {
        &self.placeholders
    }

    /// One recipient's final message: each placeholder replaced by
    /// `value(column)`, or by nothing when that is `None`. Counts without
    /// building the text; values are taken as they are (a placeholder in a
    /// value is not replaced again).
    ///
    /// ```
    /// use lox24::{Column, Encoding, PhoneEntry, text};
    ///
    /// let sms = text::analyze("[Name colA] [Name colB], your order has shipped.", Encoding::Auto);
    /// let entry = PhoneEntry::new("+491701234567")
    ///     .column(Column::A, "Mrs")
    ///     .column(Column::B, "Smith");
    /// let m = sms.personalize(|c| match c {
    ///     Column::A => entry.a.as_deref(),
    ///     Column::B => entry.b.as_deref(),
    ///     _ => None,
    /// });
    /// assert_eq!(m.units(), "Mrs Smith, your order has shipped.".len());
    /// ```
    pub fn personalize<'v>(&self, mut value: impl FnMut(Column) -> Option<&'v str>) -> Measure {
        let mut counts = self.fixed;
        for placeholder in &self.placeholders {
            if let Some(value) = value(placeholder.column) {
                counts = counts.plus(scan(value, &mut NoReport).0);
            }
        }
        counts.measure(self.encoding)
    }

    /// Whether LOX24 accepts the text: at most [`MAX_INPUT_CHARS`]
    /// characters as written, and a final message of at most 1530 GSM or
    /// 670 UCS-2 units. With placeholders, the final message is checked
    /// with them left empty (each recipient's message is at least that
    /// long); check one recipient's with
    /// [`personalize`](Self::personalize)`(..).`[`check`](Measure::check)`()`.
    ///
    /// ```
    /// use lox24::{Encoding, ValidationProblem, text};
    ///
    /// let err = text::analyze(&"a".repeat(1786), Encoding::Auto).check().unwrap_err();
    /// assert_eq!(err.problem(), &ValidationProblem::TooLong { max: 1785, actual: 1786 });
    ///
    /// let err = text::analyze(&"a".repeat(1531), Encoding::Auto).check().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "`text` needs 1531 units in GSM 03.38, where ^ { } \\ [ ~ ] | € count twice; \
    ///      LOX24 sends at most 1530 (10 parts of 153)"
    /// );
    /// ```
    pub fn check(&self) -> Result<(), ValidationError> {
        if self.chars > MAX_INPUT_CHARS {
            return Err(ValidationError::new(
                "text",
                ValidationProblem::TooLong {
                    max: MAX_INPUT_CHARS,
                    actual: self.chars,
                },
            ));
        }
        let shortest = self.fixed.measure(self.encoding);
        let because = match (self.encoding, shortest.alphabet) {
            (Encoding::Auto, Alphabet::Ucs2) => &self.non_gsm[..],
            _ => &[],
        };
        shortest.check_final(because, !self.placeholders.is_empty())
    }
}

/// Counts a final message: alphabet, units and parts, without allocating.
/// Placeholders are counted as the text they are (see [`analyze`]).
///
/// ```
/// use lox24::{Encoding, text::{self, Alphabet}};
///
/// let m = text::measure("Привет, Anna! 👋", Encoding::Auto);
/// assert_eq!((m.alphabet(), m.units(), m.parts()), (Alphabet::Ucs2, 16, 1));
///
/// // Forced GSM: LOX24 transliterates the Cyrillic letters and the emoji.
/// let m = text::measure("Привет, Anna! 👋", Encoding::Gsm);
/// assert_eq!((m.alphabet(), m.units(), m.transliterated()), (Alphabet::Gsm7, 15, 7));
/// ```
pub fn measure(text: &str, encoding: Encoding) -> Measure {
    scan(text, &mut NoReport).0.measure(encoding)
}

/// Analyses a text for `encoding`: its measure, the characters outside GSM
/// 03.38, the placeholders, and LOX24's limits. Allocates only to list what
/// it finds. See [`TextAnalysis`].
///
/// ```
/// use lox24::{Encoding, text::{self, Alphabet}};
///
/// let sms = text::analyze("Save 20 € today", Encoding::Auto);
/// assert_eq!(sms.measure().alphabet(), Alphabet::Gsm7);
/// assert_eq!(sms.measure().units(), 16); // € counts twice
/// assert!(sms.non_gsm().is_empty());
/// ```
pub fn analyze(text: &str, encoding: Encoding) -> TextAnalysis {
    let mut found = Found::default();
    let (fixed, chars) = scan(text, &mut found);
    found.non_gsm.sort_unstable_by_key(|c| c.first);
    TextAnalysis {
        encoding,
        chars,
        fixed,
        placeholders: found.placeholders,
        non_gsm: found.non_gsm,
    }
}

/// The GSM 03.38 units of one character: 1 in the basic table, 2 in the
/// extension table, `None` in neither.
///
/// ```
/// use lox24::text::gsm_units;
///
/// assert_eq!(gsm_units('ß'), Some(1));
/// assert_eq!(gsm_units('Ω'), Some(1));
/// assert_eq!(gsm_units('€'), Some(2));
/// assert_eq!(gsm_units('ç'), None);
/// ```
pub fn gsm_units(c: char) -> Option<usize> {
    match gsm_width(c) {
        0 => None,
        w => Some(usize::from(w)),
    }
}

// --- The GSM 03.38 default alphabet (3GPP TS 23.038, section 6.2.1) ---

/// The basic table, indexed by code. 0x1B is the escape to the extension
/// table, not a character; the NUL below stands in for it and is skipped.
/// 0x09 is the capital C with cedilla as the standard draws it (the small
/// one is not in the table).
#[rustfmt::skip]
const BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\0', 'Æ', 'æ', 'ß', 'É',
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];
const ESCAPE: usize = 0x1B;

/// The extension table: characters sent as the escape plus this code.
const EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{0C}'), // form feed
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// Every GSM character but `€` is below U+0400, so one small table answers
/// for them without a search.
const TABLE_END: usize = 0x400;
const WIDTHS: [u8; TABLE_END] = widths();

const fn widths() -> [u8; TABLE_END] {
    let mut table = [0; TABLE_END];
    let mut code = 0;
    while code < BASIC.len() {
        if code != ESCAPE {
            table[BASIC[code] as usize] = 1;
        }
        code += 1;
    }
    let mut i = 0;
    while i < EXTENSION.len() {
        let c = EXTENSION[i].1 as usize;
        if c < TABLE_END {
            table[c] = 2;
        }
        i += 1;
    }
    table
}

fn gsm_width(c: char) -> u8 {
    match WIDTHS.get(c as usize) {
        Some(&width) => width,
        None if c == '€' => 2,
        None => 0,
    }
}

// --- Counting ---

/// `[Name colA]`: 11 characters, 13 GSM units (the brackets count twice).
const PLACEHOLDER_LEN: usize = 11;
const PLACEHOLDER_GSM_UNITS: usize = 13;

/// What a piece of text adds to a message in either alphabet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    /// GSM units, a character outside GSM counted as one (transliterated).
    gsm: usize,
    /// UTF-16 code units, which are UCS-2 units.
    utf16: usize,
    /// Characters outside GSM 03.38.
    non_gsm: usize,
}

impl Counts {
    fn plus(self, other: Self) -> Self {
        Self {
            gsm: self.gsm + other.gsm,
            utf16: self.utf16 + other.utf16,
            non_gsm: self.non_gsm + other.non_gsm,
        }
    }

    fn measure(self, encoding: Encoding) -> Measure {
        let alphabet = match encoding {
            Encoding::Auto if self.non_gsm == 0 => Alphabet::Gsm7,
            Encoding::Auto | Encoding::Unicode => Alphabet::Ucs2,
            Encoding::Gsm => Alphabet::Gsm7,
        };
        let (units, transliterated) = match alphabet {
            Alphabet::Gsm7 => (self.gsm, self.non_gsm),
            Alphabet::Ucs2 => (self.utf16, 0),
        };
        Measure {
            alphabet,
            units,
            parts: alphabet.parts(units),
            transliterated,
        }
    }
}

/// Where [`scan`] reports what it finds; [`NoReport`] compiles to nothing.
trait Report {
    /// Whether placeholders are recognised (and left out of the counts).
    const PLACEHOLDERS: bool;
    fn non_gsm(&mut self, at: usize, c: char);
    fn placeholder(&mut self, column: Column, at: usize);
}

struct NoReport;

impl Report for NoReport {
    const PLACEHOLDERS: bool = false;
    fn non_gsm(&mut self, _: usize, _: char) {}
    fn placeholder(&mut self, _: Column, _: usize) {}
}

#[derive(Default)]
struct Found {
    /// Sorted by character while scanning, by first occurrence afterwards.
    non_gsm: Vec<NonGsmChar>,
    placeholders: Vec<Placeholder>,
}

impl Report for Found {
    const PLACEHOLDERS: bool = true;

    fn non_gsm(&mut self, at: usize, character: char) {
        // A binary search keeps texts with many distinct characters (CJK)
        // from turning quadratic.
        match self
            .non_gsm
            .binary_search_by_key(&character, |c| c.character)
        {
            Ok(i) => self.non_gsm[i].count += 1,
            Err(i) => self.non_gsm.insert(
                i,
                NonGsmChar {
                    character,
                    count: 1,
                    first: at,
                },
            ),
        }
    }

    fn placeholder(&mut self, column: Column, at: usize) {
        self.placeholders.push(Placeholder {
            column,
            range: at..at + PLACEHOLDER_LEN,
        });
    }
}

/// Counts `text` (placeholders left out when `R::PLACEHOLDERS`) and its
/// characters (placeholders included).
fn scan<R: Report>(text: &str, report: &mut R) -> (Counts, usize) {
    let mut counts = Counts::default();
    let mut chars = 0;
    let mut iter = text.char_indices();
    while let Some((at, c)) = iter.next() {
        chars += 1;
        if let Some(&code) = ASCII.get(c as usize) {
            if R::PLACEHOLDERS
                && c == '['
                && let Some(column) = placeholder_at(&text.as_bytes()[at..])
            {
                report.placeholder(column, at);
                // The rest of the placeholder: ten ASCII characters.
                iter.nth(PLACEHOLDER_LEN - 2);
                chars += PLACEHOLDER_LEN - 1;
                continue;
            }
            counts.utf16 += 1;
            counts.gsm += usize::from(code & UNITS);
            if code & FOREIGN != 0 {
                counts.non_gsm += 1;
                report.non_gsm(at, c);
            }
        } else {
            let width = gsm_width(c);
            counts.utf16 += c.len_utf16();
            counts.gsm += usize::from(width.max(1));
            if width == 0 {
                counts.non_gsm += 1;
                report.non_gsm(at, c);
            }
        }
    }
    (counts, chars)
}

/// Per ASCII byte: its GSM units (a foreign one counted as one, as
/// transliterated) and whether it is foreign.
const UNITS: u8 = 0b11;
const FOREIGN: u8 = 0b100;
const ASCII: [u8; 128] = ascii_codes();

const fn ascii_codes() -> [u8; 128] {
    let mut codes = [0; 128];
    let mut b = 0;
    while b < 128 {
        codes[b] = match WIDTHS[b] {
            0 => 1 | FOREIGN,
            width => width,
        };
        b += 1;
    }
    codes
}

/// The column of the placeholder `bytes` starts with, if it starts with one.
fn placeholder_at(bytes: &[u8]) -> Option<Column> {
    match bytes.get(..PLACEHOLDER_LEN)? {
        [
            b'[',
            b'N',
            b'a',
            b'm',
            b'e',
            b' ',
            b'c',
            b'o',
            b'l',
            column,
            b']',
        ] => match column {
            b'A' => Some(Column::A),
            b'B' => Some(Column::B),
            b'C' => Some(Column::C),
            b'D' => Some(Column::D),
            b'E' => Some(Column::E),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_128_basic_and_10_extension_characters() {
        let basic = WIDTHS.iter().filter(|&&w| w == 1).count();
        let extension = WIDTHS.iter().filter(|&&w| w == 2).count() + 1; // + €
        assert_eq!((basic, extension), (127, 10)); // 128 codes less the escape
        assert_eq!(gsm_units('\u{1B}'), None);
        assert_eq!(gsm_units('\0'), None);
    }

    #[test]
    fn input_limit_is_the_specs() {
        assert_eq!(
            crate::limits::bulk_write::TEXT.max_chars,
            Some(MAX_INPUT_CHARS)
        );
    }
}
