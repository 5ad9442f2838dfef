//! How many SMS parts a text takes, for `msg_total_count` and the cost: the
//! client's own analysis ([`lox24::text`]), so that the sandbox and the
//! checks made before sending always agree.

use lox24::{
    Encoding,
    text::{self, Alphabet},
};

/// The most parts a message may have (1530 GSM or 670 UCS-2 characters).
pub(crate) const MAX_PARTS: u64 = text::MAX_PARTS as u64;

/// The encoding and number of parts of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parts {
    pub(crate) count: u64,
    pub(crate) unicode: bool,
}

/// The parts of `text`. `is_unicode` is the campaign's setting: `Some(true)`
/// forces UCS-2, `Some(false)` forces GSM (other characters are
/// transliterated, one septet each), `None` detects.
pub(crate) fn sms_parts(text: &str, is_unicode: Option<bool>) -> Parts {
    let encoding = match is_unicode {
        None => Encoding::Auto,
        Some(false) => Encoding::Gsm,
        Some(true) => Encoding::Unicode,
    };
    let measure = text::measure(text, encoding);
    Parts {
        count: measure.parts() as u64,
        unicode: measure.alphabet() == Alphabet::Ucs2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm_texts_take_160_then_153_per_part() {
        let part = |text: &str| sms_parts(text, None);
        assert_eq!(
            part(""),
            Parts {
                count: 1,
                unicode: false
            }
        );
        assert_eq!(part(&"a".repeat(160)).count, 1);
        assert_eq!(part(&"a".repeat(161)).count, 2);
        assert_eq!(part(&"a".repeat(306)).count, 2);
        assert_eq!(part(&"a".repeat(307)).count, 3);
        assert_eq!(part(&"a".repeat(1530)).count, 10);
        // Extension characters count twice.
        assert_eq!(part(&"€".repeat(80)).count, 1);
        assert_eq!(
            part(&"€".repeat(81)),
            Parts {
                count: 2,
                unicode: false
            }
        );
    }

    #[test]
    fn other_characters_make_ucs2_with_70_then_67() {
        assert_eq!(
            sms_parts(&"ł".repeat(70), None),
            Parts {
                count: 1,
                unicode: true
            }
        );
        assert_eq!(sms_parts(&"ł".repeat(71), None).count, 2);
        assert_eq!(sms_parts(&"ł".repeat(670), None).count, 10);
        // Outside the BMP: two UTF-16 units each.
        assert_eq!(sms_parts(&"😀".repeat(36), None).count, 2);
    }

    #[test]
    fn the_campaign_setting_overrides_detection() {
        assert_eq!(
            sms_parts("hello", Some(true)),
            Parts {
                count: 1,
                unicode: true
            }
        );
        assert_eq!(
            sms_parts(&"ł".repeat(160), Some(false)),
            Parts {
                count: 1,
                unicode: false
            }
        );
    }
}
