//! Writes the body of lox24's `src/number/plans.txt` (after its comment
//! header) from libphonenumber's metadata, through the `phonenumber` crate:
//! per region, the calling code, the trunk prefix, and per pair of leading
//! digits the lengths that numbers starting with them have, over every type
//! of number but short codes and emergency numbers.
//!
//! `cargo run --release > body.txt`; the count of regions goes to stderr.
use phonenumber::metadata::DATABASE;
use regex_automata::{
    Anchored, Input,
    dfa::{Automaton, dense},
    util::primitives::StateID,
};
use std::collections::BTreeSet;

/// The lengths (bit `n`: `n` digits) of the strings of digits that start
/// with `prefix` and that `dfa` matches whole.
fn lengths_from(dfa: &dense::DFA<Vec<u32>>, prefix: &[u8]) -> u32 {
    let start = dfa
        .start_state_forward(&Input::new("").anchored(Anchored::Yes))
        .unwrap();
    let mut s = start;
    for &b in prefix {
        s = dfa.next_state(s, b);
        if dfa.is_dead_state(s) {
            return 0;
        }
    }
    let mut mask = 0u32;
    let mut frontier: BTreeSet<StateID> = [s].into();
    for len in prefix.len()..=17 {
        if frontier
            .iter()
            .any(|&st| dfa.is_match_state(dfa.next_eoi_state(st)))
        {
            mask |= 1 << len;
        }
        let mut next = BTreeSet::new();
        for &st in &frontier {
            for d in b'0'..=b'9' {
                let n = dfa.next_state(st, d);
                if !dfa.is_dead_state(n) {
                    next.insert(n);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    mask
}

fn main() {
    let mut rows = Vec::new();
    for m in DATABASE.iter() {
        let id = m.id();
        if id.len() != 2 || !id.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        let d = m.descriptors();
        let descs = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ];
        let mut pattern = Vec::new();
        for desc in descs.into_iter().flatten() {
            let p: String = desc.national_number().as_str().split_whitespace().collect();
            let p = p.as_str();
            if p == "NA" || p.is_empty() {
                continue;
            }
            pattern.push(format!("(?:{p})"));
        }
        if pattern.is_empty() {
            eprintln!("{id}: no patterns");
            continue;
        }
        let re = format!("^(?:{})$", pattern.join("|"));
        let dfa = dense::DFA::new(&re).unwrap_or_else(|e| panic!("{id}: {e}"));
        let masks: Vec<u32> = (0..100u32)
            .map(|p| lengths_from(&dfa, format!("{p:02}").as_bytes()))
            .collect();
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for &m in masks.iter().filter(|&&m| m != 0) {
            match counts.iter_mut().find(|(cm, _)| *cm == m) {
                Some((_, c)) => *c += 1,
                None => counts.push((m, 1)),
            }
        }
        // The most common lengths, the smaller mask on a tie.
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let default = counts.first().map_or(0, |c| c.0);
        let trunk = m.national_prefix().unwrap_or("").to_owned();
        rows.push((
            id.to_owned(),
            m.country_code(),
            trunk,
            m.is_main_country_for_code(),
            default,
            masks,
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let lens = |mask: u32| {
        if mask == 0 {
            return "-".to_owned();
        }
        let mut parts = Vec::new();
        let mut b = 0;
        while b < 18 {
            if mask & (1 << b) != 0 {
                let start = b;
                while b + 1 < 18 && mask & (1 << (b + 1)) != 0 {
                    b += 1;
                }
                parts.push(if start == b {
                    start.to_string()
                } else {
                    format!("{start}-{b}")
                });
            }
            b += 1;
        }
        parts.join(",")
    };
    let mut out = String::new();
    for (id, cc, trunk, main, _default, masks) in &rows {
        let mut distinct: Vec<u32> = Vec::new();
        for &m in masks {
            if m != 0 && !distinct.contains(&m) {
                distinct.push(m);
            }
        }
        assert!(distinct.len() <= 26, "{id}");
        let map: String = masks
            .iter()
            .map(|m| match distinct.iter().position(|d| d == m) {
                Some(i) => (b'a' + i as u8) as char,
                None => '.',
            })
            .collect();
        let trunk = if trunk.is_empty() {
            "-"
        } else {
            trunk.as_str()
        };
        let main = if *main { "*" } else { "" };
        let lengths = distinct
            .iter()
            .map(|&m| lens(m))
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!("{id}{main} {cc} {trunk} {map} {lengths}\n"));
    }
    print!("{out}");
    eprintln!("{} regions", rows.len());
}
