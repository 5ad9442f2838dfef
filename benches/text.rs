//! Speed and allocations of `lox24::text` and `lox24::number`, as ratios
//! against baselines measured in the same run.
//!
//! `cargo bench --bench text` (add `--features phonenumber` for the full parser).

use std::{
    alloc::{GlobalAlloc, Layout, System},
    hint::black_box,
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use lox24::{
    Encoding, limits,
    number::{Country, E164, PhonePolicy},
    text,
};

/// Counts allocations, to show which calls make none.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one call of `f`.
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    black_box(f());
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// The best of seven rounds of `f` over every input, per input.
fn time<I>(inputs: &[I], mut f: impl FnMut(&I) -> usize) -> Duration {
    let rounds = 7;
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut sink = 0;
        for input in inputs {
            sink ^= f(black_box(input));
        }
        black_box(sink);
        best = best.min(start.elapsed());
    }
    best / u32::try_from(inputs.len()).unwrap_or(u32::MAX)
}

fn report(what: &str, took: Duration, baseline: (&str, Duration)) {
    println!(
        "{what:<44} {:>9.1} ns   {:>6.2} x {}",
        took.as_secs_f64() * 1e9,
        took.as_secs_f64() / baseline.1.as_secs_f64(),
        baseline.0
    );
}

fn texts() {
    println!("== text (baseline: str::chars().count(), one pass that counts characters)");
    let cases = [
        (
            "160 ASCII characters",
            "Hello! ".repeat(23)[..160].to_owned(),
        ),
        ("1530 GSM characters, with €", "Save 5 € now. ".repeat(109)),
        ("600 Cyrillic characters", "Привет, мир! ".repeat(46)),
        ("480 CJK characters", "你好世界，这是短信。".repeat(48)),
        (
            "template with 3 placeholders",
            "Dear [Name colA] [Name colB], your code is [Name colC]. ".repeat(4),
        ),
    ];
    for (name, sample) in &cases {
        let inputs = vec![sample.clone(); 2_000];
        let baseline = time(&inputs, |s| s.chars().count());
        report(
            &format!("measure: {name}"),
            time(&inputs, |s| text::measure(s, Encoding::Auto).units()),
            ("chars", baseline),
        );
        report(
            &format!("analyze: {name}"),
            time(&inputs, |s| text::analyze(s, Encoding::Auto).chars()),
            ("chars", baseline),
        );
        println!(
            "    allocations per call: measure {}, analyze {}",
            allocations(|| text::measure(sample, Encoding::Auto)),
            allocations(|| text::analyze(sample, Encoding::Auto)),
        );
    }
}

fn phones() {
    println!(
        "== phone (baseline: limits::RECIPIENT_NUMBER.check, the regex check of bulk recipients)"
    );
    let forms = [
        "+491701234567",
        "00491701234567",
        "491701234567",
        "01701234567",
        "+49 (0)170 123 45 67",
        "0170/123 45 67",
    ];
    let inputs: Vec<String> = (0..10_000)
        .map(|i| {
            let form = forms[i % forms.len()];
            // Vary the last digits so nothing is cached by accident.
            let digit = char::from(b'0' + (i % 10) as u8);
            format!("{}{digit}", &form[..form.len() - 1])
        })
        .collect();
    let clean: Vec<String> = inputs
        .iter()
        .filter(|s| s.starts_with('+'))
        .cloned()
        .collect();
    let de = Country::from_iso("DE").ok();
    let regex = time(&clean, |s| {
        usize::from(limits::RECIPIENT_NUMBER.check(s).is_ok())
    });
    let owned = time(&inputs, |s| s.to_owned().len());
    report(
        "E164::parse, E.164 input",
        time(&clean, |s| {
            E164::parse(s, de).map_or(0, |n| n.digits().len())
        }),
        ("regex", regex),
    );
    report(
        "E164::parse, the six forms",
        time(&inputs, |s| {
            E164::parse(s, de).map_or(0, |n| n.digits().len())
        }),
        ("regex", regex),
    );
    report(
        "PhonePolicy::Normalize(DE).apply, six forms",
        time(&inputs, |s| {
            PhonePolicy::Normalize(de).apply(s).map_or(0, |n| n.len())
        }),
        ("regex", regex),
    );
    report("String::to_owned (one allocation)", owned, ("regex", regex));
    println!(
        "    allocations per call: parse {}, apply to E.164 {}, apply to 0170… {}",
        allocations(|| E164::parse("0170 1234567", de)),
        allocations(|| PhonePolicy::Normalize(de).apply("+491701234567")),
        allocations(|| PhonePolicy::Normalize(de).apply("0170 1234567")),
    );
    #[cfg(feature = "phonenumber")]
    {
        let validate = PhonePolicy::Validate(de);
        let few = &inputs[..600];
        black_box(validate.apply(&few[0]).is_ok()); // loads the metadata once
        report(
            "PhonePolicy::Validate(DE).apply, six forms",
            time(few, |s| validate.apply(s).map_or(0, |n| n.len())),
            ("regex", regex),
        );
    }
}

fn main() {
    // `cargo test --benches` runs this too: one quick pass is enough there.
    if std::env::args().any(|a| a == "--bench") {
        texts();
        phones();
    } else {
        black_box(text::measure("smoke", Encoding::Auto));
    }
}
