//! SMS text analysis against segment-calculator vectors and LOX24's limits.

use lox24::{
    Column, Encoding, ValidationProblem,
    text::{self, Alphabet, Measure, NonGsmChar, Placeholder},
};

/// Alphabet, units and parts of `text` with automatic encoding.
fn auto(text: &str) -> (Alphabet, usize, usize) {
    let m = text::measure(text, Encoding::Auto);
    (m.alphabet(), m.units(), m.parts())
}

fn a(n: usize) -> String {
    "a".repeat(n)
}

fn ucs2_letters(n: usize) -> String {
    "ж".repeat(n)
}

#[test]
fn pure_gsm_fits_160_in_one_part_and_153_per_part_after() {
    use Alphabet::Gsm7;
    assert_eq!(auto(&a(160)), (Gsm7, 160, 1));
    assert_eq!(auto(&a(161)), (Gsm7, 161, 2));
    assert_eq!(auto(&a(306)), (Gsm7, 306, 2));
    assert_eq!(auto(&a(307)), (Gsm7, 307, 3));
    assert_eq!(auto(&a(459)), (Gsm7, 459, 3));
    assert_eq!(auto(&a(460)), (Gsm7, 460, 4));
    assert_eq!(auto(&a(1530)), (Gsm7, 1530, 10));
    assert_eq!(auto(&a(1531)), (Gsm7, 1531, 11));
}

#[test]
fn extension_characters_count_twice() {
    use Alphabet::Gsm7;
    assert_eq!(auto(&format!("{}€", a(158))), (Gsm7, 160, 1));
    assert_eq!(auto(&format!("{}€", a(159))), (Gsm7, 161, 2));
    assert_eq!(auto(&format!("{}^", a(159))), (Gsm7, 161, 2));
    assert_eq!(auto("^{}\\[~]|€\u{0C}"), (Gsm7, 20, 1));
    for c in ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\u{0C}'] {
        assert_eq!(text::gsm_units(c), Some(2), "{c:?}");
    }
}

#[test]
fn parts_are_units_over_153_rounded_up_even_where_a_double_unit_straddles() {
    // 152 + 2 + 152 = 306 units: two parts by LOX24's rule, although an
    // encoder keeping the € whole would need three.
    let text = format!("{}€{}", a(152), a(152));
    assert_eq!(auto(&text), (Alphabet::Gsm7, 306, 2));
}

#[test]
fn the_whole_basic_table_is_gsm_including_the_greek_capitals() {
    let basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                 ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    assert_eq!(basic.chars().count(), 127);
    assert_eq!(auto(basic), (Alphabet::Gsm7, 127, 1));
    assert!(text::analyze(basic, Encoding::Auto).non_gsm().is_empty());
    assert_eq!(auto("ΔΦΓΛΩΠΨΣΘΞ"), (Alphabet::Gsm7, 10, 1));
}

#[test]
fn greek_letters_outside_the_table_and_look_alikes_force_ucs2() {
    // Capital alpha and small delta are not in the table; nor is the ohm sign.
    for text in ["Α", "δ", "Ω\u{2126}", "ç", "`", "\t", "á", "’", "…", "–"] {
        assert_eq!(auto(text).0, Alphabet::Ucs2, "{text:?}");
    }
}

#[test]
fn one_emoji_switches_a_long_text_to_ucs2_and_counts_twice() {
    let gsm = a(150);
    assert_eq!(auto(&gsm), (Alphabet::Gsm7, 150, 1));
    let text = format!("{gsm}😀");
    assert_eq!(auto(&text), (Alphabet::Ucs2, 152, 3));
    let sms = text::analyze(&text, Encoding::Auto);
    assert_eq!(
        sms.non_gsm(),
        &[NonGsmChar {
            character: '😀',
            count: 1,
            first: 150
        }]
    );
    assert_eq!(sms.chars(), 151);
}

#[test]
fn ucs2_fits_70_in_one_part_and_67_per_part_after() {
    use Alphabet::Ucs2;
    assert_eq!(auto(&ucs2_letters(70)), (Ucs2, 70, 1));
    assert_eq!(auto(&ucs2_letters(71)), (Ucs2, 71, 2));
    assert_eq!(auto(&ucs2_letters(134)), (Ucs2, 134, 2));
    assert_eq!(auto(&ucs2_letters(135)), (Ucs2, 135, 3));
    assert_eq!(auto(&format!("{}😀", ucs2_letters(68))), (Ucs2, 70, 1));
    assert_eq!(auto(&format!("{}😀", ucs2_letters(69))), (Ucs2, 71, 2));
    assert_eq!(auto(&"😀".repeat(35)), (Ucs2, 70, 1));
}

#[test]
fn mixed_scripts_are_ucs2_and_list_each_foreign_character_once() {
    use Alphabet::Ucs2;
    assert_eq!(auto("Hello Привет"), (Ucs2, 12, 1));
    assert_eq!(auto("Γειά σου Kosmos"), (Ucs2, 15, 1));
    assert_eq!(auto("Hello 世界, 你好"), (Ucs2, 12, 1));

    let sms = text::analyze("Ja, да, 是的, да!", Encoding::Auto);
    let listed: Vec<(char, usize, usize)> = sms
        .non_gsm()
        .iter()
        .map(|c| (c.character, c.count, c.first))
        .collect();
    // Byte offsets: `д` at 4, `а` at 6, `是` at 10, `的` at 13.
    assert_eq!(
        listed,
        [('д', 2, 4), ('а', 2, 6), ('是', 1, 10), ('的', 1, 13)]
    );
}

#[test]
fn many_distinct_characters_are_listed_once_in_order_of_appearance() {
    // 500 CJK characters, from U+4FFF down, twice over.
    let once: String = (0..500)
        .filter_map(|i| char::from_u32(0x4FFF - i))
        .collect();
    let sms = text::analyze(&once.repeat(2), Encoding::Auto);
    assert_eq!(sms.non_gsm().len(), 500);
    assert_eq!(sms.non_gsm()[0].character, '\u{4FFF}');
    assert_eq!(sms.non_gsm()[499].character, '\u{4E0C}');
    assert!(sms.non_gsm().iter().all(|c| c.count == 2));
    assert!(
        sms.non_gsm()
            .windows(2)
            .all(|w| w[0].first + 3 == w[1].first)
    );
}

#[test]
fn lox24s_published_transliteration_example_counts_as_lox24_counted_it() {
    // LOX24's example: sent with `is_unicode: false`, it came back with
    // `chars_count: 248` and `parts_count: 2`.
    let text = "Nicht alle Sonderzeichen sind im GSM Zeichensatz enthalten, z.B. nur das \
                richtige Apostroph: Anna's Auto geht, aber nicht Max`s Haus. Akzente gehen \
                teilweise: André, jedoch nicht alle: Háns. Normale Bindestriche - gehen, nicht \
                allerdings längere: –";
    let sms = text::analyze(text, Encoding::Gsm);
    let m = sms.measure();
    assert_eq!(
        (m.alphabet(), m.units(), m.parts()),
        (Alphabet::Gsm7, 248, 2)
    );
    assert_eq!(m.transliterated(), 3);
    let replaced: Vec<char> = sms.non_gsm().iter().map(|c| c.character).collect();
    assert_eq!(replaced, ['`', 'á', '–']);
    // Left to LOX24, the same text is UCS-2.
    assert_eq!(auto(text), (Alphabet::Ucs2, 248, 4));
}

#[test]
fn forced_encodings_override_detection() {
    let m = text::measure(&a(71), Encoding::Unicode);
    assert_eq!(
        (m.alphabet(), m.units(), m.parts()),
        (Alphabet::Ucs2, 71, 2)
    );
    assert_eq!(m.transliterated(), 0);

    let m = text::measure("😀 ok", Encoding::Gsm);
    assert_eq!(
        (m.alphabet(), m.units(), m.transliterated()),
        (Alphabet::Gsm7, 4, 1)
    );

    // Pure GSM: the same measure either way.
    assert_eq!(
        text::measure("Hi €", Encoding::Gsm),
        text::measure("Hi €", Encoding::Auto)
    );
}

#[test]
fn an_empty_text_is_one_message() {
    assert_eq!(auto(""), (Alphabet::Gsm7, 0, 1));
}

#[test]
fn placeholders_are_found_and_counted_as_written() {
    let text = "[Name colA] [Name colE]: [Name colF] [name colA] [Name colB";
    let sms = text::analyze(text, Encoding::Auto);
    assert_eq!(
        sms.placeholders(),
        &[
            Placeholder {
                column: Column::A,
                range: 0..11
            },
            Placeholder {
                column: Column::E,
                range: 12..23
            },
        ]
    );
    assert_eq!(sms.chars(), text.chars().count());
    // As written, each `[` and `]` counts twice, placeholders included.
    let brackets = text.matches(['[', ']']).count();
    assert_eq!(sms.measure().units(), text.len() + brackets);
    assert_eq!(sms.measure(), text::measure(text, Encoding::Auto));
}

#[test]
fn personalize_counts_each_recipients_final_message() {
    let sms = text::analyze("Dear [Name colA] [Name colB], 10% off!", Encoding::Auto);
    let m = sms.personalize(|c| match c {
        Column::A => Some("Ms"),
        Column::B => Some("Jones"),
        _ => None,
    });
    let expected = text::measure("Dear Ms Jones, 10% off!", Encoding::Auto);
    assert_eq!(m, expected);

    // A missing value leaves nothing behind.
    let m = sms.personalize(|_| None);
    assert_eq!(m, text::measure("Dear  , 10% off!", Encoding::Auto));

    // A value with an extension character or outside GSM changes the count.
    let m = sms.personalize(|c| (c == Column::B).then_some("[VIP]"));
    assert_eq!(m.units(), "Dear  [VIP], 10% off!".len() + 2);
    let m = sms.personalize(|c| (c == Column::B).then_some("Øystein Ğ"));
    assert_eq!((m.alphabet(), m.units()), (Alphabet::Ucs2, 25));
    // Forced GSM transliterates the value's foreign characters.
    let gsm = text::analyze("Hi [Name colA]", Encoding::Gsm);
    let m = gsm.personalize(|_| Some("Ğül"));
    assert_eq!(
        (m.alphabet(), m.units(), m.transliterated()),
        (Alphabet::Gsm7, 6, 1)
    );
}

#[test]
fn check_accepts_up_to_1785_input_characters() {
    // 150 placeholders and 135 letters: 1785 characters, 135 units once
    // personalised with empty values.
    let at_limit = format!("{}{}", "[Name colA]".repeat(150), a(135));
    let sms = text::analyze(&at_limit, Encoding::Auto);
    assert_eq!(sms.chars(), 1785);
    assert_eq!(sms.check(), Ok(()));

    let over = format!("{at_limit}a");
    let err = text::analyze(&over, Encoding::Auto).check().unwrap_err();
    assert_eq!(err.field(), "text");
    assert_eq!(
        err.problem(),
        &ValidationProblem::TooLong {
            max: 1785,
            actual: 1786
        }
    );
}

#[test]
fn check_accepts_up_to_1530_gsm_units() {
    assert_eq!(text::analyze(&a(1530), Encoding::Auto).check(), Ok(()));
    assert_eq!(
        text::analyze(&"€".repeat(765), Encoding::Auto).check(),
        Ok(())
    );

    let err = text::analyze(&a(1531), Encoding::Auto).check().unwrap_err();
    assert_eq!(err.field(), "text");
    assert_eq!(
        err.problem(),
        &ValidationProblem::Invalid {
            reason: "needs 1531 units in GSM 03.38, where ^ { } \\ [ ~ ] | € count twice; \
                     LOX24 sends at most 1530 (10 parts of 153)"
                .into()
        }
    );
    // 1529 + one € = 1531 units in 1530 characters.
    let err = text::analyze(&format!("{}€", a(1529)), Encoding::Auto)
        .check()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("`text` needs 1531 units in GSM 03.38")
    );
}

#[test]
fn check_accepts_up_to_670_ucs2_units_and_names_the_characters_to_blame() {
    assert_eq!(
        text::analyze(&ucs2_letters(670), Encoding::Auto).check(),
        Ok(())
    );
    assert_eq!(
        text::analyze(&"😀".repeat(335), Encoding::Auto).check(),
        Ok(())
    );
    let err = text::analyze(&format!("{}ж", a(670)), Encoding::Auto)
        .check()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`text` needs 671 units in UCS-2 (because of 'ж'), where emoji count twice; \
         LOX24 sends at most 670 (10 parts of 67)"
    );
    let err = text::analyze(&format!("{}😀", ucs2_letters(669)), Encoding::Auto)
        .check()
        .unwrap_err();
    assert!(err.to_string().starts_with(
        "`text` needs 671 units in UCS-2 (because of 'ж', '😀'), where emoji count twice"
    ));

    // Forced Unicode: nothing to blame, the same limit.
    let err = text::analyze(&a(671), Encoding::Unicode)
        .check()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("`text` needs 671 units in UCS-2, where")
    );
    // Forced GSM: the same 671 characters fit.
    assert_eq!(
        text::analyze(&ucs2_letters(671), Encoding::Gsm).check(),
        Ok(())
    );
}

#[test]
fn check_of_a_template_counts_placeholders_as_empty() {
    // As written 1520 + 13 units, but every recipient's message is at least 1520.
    let template = format!("{}[Name colA]", a(1520));
    let sms = text::analyze(&template, Encoding::Auto);
    assert_eq!(sms.measure().units(), 1533);
    assert_eq!(sms.check(), Ok(()));
    let long = sms.personalize(|_| Some("Bartholomew"));
    assert_eq!(long.units(), 1531);
    assert!(long.check().is_err());

    let err = text::analyze(&format!("{}[Name colA]", a(1531)), Encoding::Auto)
        .check()
        .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "`text` needs 1531 units in GSM 03.38 even with its placeholders left empty"
        )
    );
}

#[test]
fn measure_check_is_the_final_limit_only() {
    let ok: Measure = text::measure(&ucs2_letters(670), Encoding::Auto);
    assert_eq!(ok.check(), Ok(()));
    let err = text::measure(&ucs2_letters(671), Encoding::Auto)
        .check()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`text` needs 671 units in UCS-2, where emoji count twice; \
         LOX24 sends at most 670 (10 parts of 67)"
    );
}

#[test]
fn alphabet_constants_are_lox24s() {
    assert_eq!(
        (Alphabet::Gsm7.single_units(), Alphabet::Gsm7.part_units()),
        (160, 153)
    );
    assert_eq!(
        (Alphabet::Ucs2.single_units(), Alphabet::Ucs2.part_units()),
        (70, 67)
    );
    assert_eq!(
        (Alphabet::Gsm7.max_units(), Alphabet::Ucs2.max_units()),
        (1530, 670)
    );
    assert_eq!(text::MAX_INPUT_CHARS, 1785);
}
