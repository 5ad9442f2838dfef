//! The numbering plan of every country LOX24 can reach (`plans.txt`): its
//! calling code, its trunk prefix, and how many digits its numbers have,
//! by their first two digits. Read once, on first use; no dependency.

use std::sync::OnceLock;

/// The table; its format is described at its top.
const TABLE: &str = include_str!("plans.txt");

/// One country's plan.
#[derive(Debug)]
pub(super) struct Plan {
    pub iso: [u8; 2],
    pub code: u16,
    pub trunk: &'static str,
    /// The main country of a calling code shared by several, or the only one
    /// (the table marks only the former).
    pub main: bool,
    /// Per pair of leading digits (00 to 99): 0 where no number starts with
    /// them, else `i + 1` for `lengths[i]`.
    map: [u8; 100],
    /// Sets of lengths: bit `n` set where numbers have `n` digits after the
    /// calling code.
    lengths: Vec<u32>,
}

/// Why a national significant number is not one of a plan's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Implausible {
    /// No number of the country starts with these two digits.
    Start([u8; 2]),
    /// Numbers starting with these two digits have these lengths (bit `n`:
    /// `n` digits), not the one given.
    Length { start: [u8; 2], lengths: u32 },
    /// The country's numbers have these lengths (bit `n`: `n` digits).
    Short { lengths: u32 },
}

impl Plan {
    /// Whether `national` (the digits after the calling code) can be a
    /// number of this country.
    pub fn check(&self, national: &[u8]) -> Result<(), Implausible> {
        let length_bit = 1u32.checked_shl(national.len() as u32).unwrap_or(0);
        let &[a, b, ..] = national else {
            // Shorter than any number: say which lengths there are.
            return Err(Implausible::Short {
                lengths: self.lengths.iter().fold(0, |all, &l| all | l),
            });
        };
        let start = [a, b];
        let at = usize::from(a.wrapping_sub(b'0')) * 10 + usize::from(b.wrapping_sub(b'0'));
        let lengths = match self.map.get(at).copied().unwrap_or(0) {
            0 => return Err(Implausible::Start(start)),
            i => self.lengths[usize::from(i - 1)],
        };
        if lengths & length_bit == 0 {
            return Err(Implausible::Length { start, lengths });
        }
        Ok(())
    }

    #[cfg(test)]
    pub fn iso(&self) -> &str {
        std::str::from_utf8(&self.iso).unwrap_or_default()
    }
}

/// Every plan, sorted by ISO code.
pub(super) fn all() -> &'static [Plan] {
    static PLANS: OnceLock<Vec<Plan>> = OnceLock::new();
    PLANS.get_or_init(|| {
        let mut plans: Vec<Plan> = TABLE
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(parse)
            .collect();
        // The only country of its calling code is its main one.
        let shared: Vec<u16> = plans.iter().filter(|p| p.main).map(|p| p.code).collect();
        for plan in &mut plans {
            plan.main |= !shared.contains(&plan.code);
        }
        plans
    })
}

/// The plan of the country with this ISO code (upper case).
pub(super) fn by_iso(iso: [u8; 2]) -> Option<&'static Plan> {
    let plans = all();
    plans
        .binary_search_by(|plan| plan.iso.cmp(&iso))
        .ok()
        .map(|at| &plans[at])
}

/// Every plan, sorted by calling code, the main country of each first (the
/// others in ISO order), and for each calling code (0 to 999) where its
/// plans start in that order (`NONE` for a code no country has): looked up
/// for every number an upload normalises, so a lookup is one index.
struct ByCode {
    order: Vec<&'static Plan>,
    start: Vec<u16>,
}

const NONE: u16 = u16::MAX;

fn by_code_table() -> &'static ByCode {
    static TABLE: OnceLock<ByCode> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut order: Vec<&'static Plan> = all().iter().collect();
        order.sort_by_key(|plan| (plan.code, !plan.main));
        let mut start = vec![NONE; 1000];
        for (at, plan) in order.iter().enumerate().rev() {
            if let Some(slot) = start.get_mut(usize::from(plan.code)) {
                *slot = at as u16;
            }
        }
        ByCode { order, start }
    })
}

/// The plans of a calling code, the main country first.
pub(super) fn by_code(code: u16) -> impl Iterator<Item = &'static Plan> {
    let table = by_code_table();
    let from = match table.start.get(usize::from(code)) {
        Some(&at) if at != NONE => usize::from(at),
        _ => table.order.len(),
    };
    table.order[from..]
        .iter()
        .take_while(move |plan| plan.code == code)
        .copied()
}

/// The calling code at the start of international digits and the digits
/// after it. Calling codes are a prefix code: at most one length fits.
pub(super) fn split(digits: &[u8]) -> Option<(u16, &[u8])> {
    let table = by_code_table();
    let mut code = 0u16;
    for (len, &digit) in digits.iter().take(3).enumerate() {
        if !digit.is_ascii_digit() {
            return None;
        }
        code = code * 10 + u16::from(digit - b'0');
        if table.start[usize::from(code)] != NONE {
            return Some((code, &digits[len + 1..]));
        }
    }
    None
}

/// One line of the table; `None` for a malformed one (the table's test
/// makes sure there is none).
fn parse(line: &'static str) -> Option<Plan> {
    let mut fields = line.split_whitespace();
    let (id, main) = match fields.next()? {
        id if id.ends_with('*') => (&id[..id.len() - 1], true),
        id => (id, false),
    };
    let &[a, b] = id.as_bytes() else {
        return None;
    };
    let code = fields.next()?.parse().ok()?;
    let trunk = match fields.next()? {
        "-" => "",
        trunk => trunk,
    };
    let map_text = fields.next()?.as_bytes();
    let lengths = fields.map(parse_lengths).collect::<Option<Vec<_>>>()?;
    let mut map = [0u8; 100];
    if map_text.len() != map.len() {
        return None;
    }
    for (slot, &c) in map.iter_mut().zip(map_text) {
        *slot = match c {
            b'.' => 0,
            b'a'..=b'z' if usize::from(c - b'a') < lengths.len() => c - b'a' + 1,
            _ => return None,
        };
    }
    Some(Plan {
        iso: [a, b],
        code,
        trunk,
        main,
        map,
        lengths,
    })
}

/// `6-11`, `9,11-13`: a set of lengths as bits.
fn parse_lengths(text: &str) -> Option<u32> {
    let mut mask = 0u32;
    for part in text.split(',') {
        let (low, high) = part.split_once('-').unwrap_or((part, part));
        let (low, high): (u32, u32) = (low.parse().ok()?, high.parse().ok()?);
        if low > high || high > 17 {
            return None;
        }
        for n in low..=high {
            mask |= 1 << n;
        }
    }
    Some(mask)
}

/// A set of lengths in words: `10`, `9 or 12`, `10 to 13`, `6, 8 to 10`.
pub(super) fn describe(lengths: u32) -> String {
    let mut runs = Vec::new();
    let mut n = 0;
    while n < 32 {
        if lengths & (1 << n) != 0 {
            let start = n;
            while n + 1 < 32 && lengths & (1 << (n + 1)) != 0 {
                n += 1;
            }
            runs.push(if start == n {
                start.to_string()
            } else {
                format!("{start} to {n}")
            });
        }
        n += 1;
    }
    match runs.as_slice() {
        [] => "no".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_is_read() {
        let lines = TABLE
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .count();
        assert_eq!(all().len(), lines);
        assert_eq!(lines, 245);
        assert!(all().windows(2).all(|w| w[0].iso < w[1].iso));
    }

    #[test]
    fn lengths_are_described_in_words() {
        assert_eq!(describe(1 << 10), "10");
        assert_eq!(describe(1 << 9 | 1 << 12), "9 or 12");
        assert_eq!(describe(0b1111 << 10), "10 to 13");
        assert_eq!(describe(1 << 6 | 0b111 << 8), "6 or 8 to 10");
        assert_eq!(parse_lengths("9,11-13"), Some(1 << 9 | 0b111 << 11));
        assert_eq!(parse_lengths("13-11"), None);
    }

    #[test]
    fn calling_codes_split_off_at_their_length() {
        assert_eq!(split(b"491701234567"), Some((49, &b"1701234567"[..])));
        assert_eq!(split(b"14155552671"), Some((1, &b"4155552671"[..])));
        assert_eq!(split(b"6834002"), Some((683, &b"4002"[..])));
        assert_eq!(split(b"9991234"), None);
        assert_eq!(by_code(1).next().map(Plan::iso), Some("US"));
        assert_eq!(by_code(7).next().map(Plan::iso), Some("RU"));
    }
}
