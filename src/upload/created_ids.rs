//! The ids of created entries as a report file keeps them: each id as the
//! difference from the one before (zigzag, so that a smaller id costs as
//! little as a larger one), written as a LEB128 varint, the bytes in
//! base64. LOX24 numbers the entries of a batch one after another, so most
//! differences are 1: one byte, 1⅓ characters of base64 per entry instead
//! of some fifty characters of JSON.

use base64::{Engine as _, engine::general_purpose::STANDARD_NO_PAD};

/// Writes `ids`, in order.
pub(super) fn encode(ids: impl Iterator<Item = u64>) -> String {
    let mut bytes = Vec::new();
    let mut previous = 0u64;
    for id in ids {
        // Two's complement difference, then zigzag: ±n costs as much as n.
        let delta = id.wrapping_sub(previous) as i64;
        let mut zigzag = ((delta << 1) ^ (delta >> 63)) as u64;
        previous = id;
        loop {
            let low = (zigzag & 0x7f) as u8;
            zigzag >>= 7;
            if zigzag == 0 {
                bytes.push(low);
                break;
            }
            bytes.push(low | 0x80);
        }
    }
    STANDARD_NO_PAD.encode(bytes)
}

/// Reads what [`encode`] wrote: the ids one by one.
pub(super) fn decode(text: &str) -> Result<Decoder, String> {
    let bytes = STANDARD_NO_PAD
        .decode(text)
        .map_err(|e| format!("`created_ids` is not base64 without padding ({e})"))?;
    Ok(Decoder {
        bytes,
        at: 0,
        previous: 0,
    })
}

/// The ids of a [`decode`]d text, in order.
pub(super) struct Decoder {
    bytes: Vec<u8>,
    at: usize,
    previous: u64,
}

impl Decoder {
    /// The next id; `Ok(None)` at the end.
    pub fn next_id(&mut self) -> Result<Option<u64>, String> {
        if self.at == self.bytes.len() {
            return Ok(None);
        }
        let mut zigzag = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err("`created_ids` ends inside an id".into());
            };
            self.at += 1;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err("`created_ids` holds a difference over 64 bits".into());
            }
            zigzag |= bits << shift;
            if byte & 0x80 == 0 {
                let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
                self.previous = self.previous.wrapping_add(delta as u64);
                return Ok(Some(self.previous));
            }
        }
        Err("`created_ids` holds a difference over 64 bits".into())
    }

    /// Whether every id was read.
    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ids: &[u64]) -> String {
        let text = encode(ids.iter().copied());
        let mut decoder = decode(&text).unwrap();
        let mut back = Vec::new();
        while let Some(id) = decoder.next_id().unwrap() {
            back.push(id);
        }
        assert_eq!(back, ids);
        assert!(decoder.is_done());
        text
    }

    #[test]
    fn ids_one_after_another_cost_a_byte_each() {
        let ids: Vec<u64> = (1_000_000..1_003_000).collect();
        let text = round_trip(&ids);
        // The first difference takes three bytes, each further one one
        // byte: 3002 bytes, 4003 characters of base64.
        assert_eq!(text.len(), 4003);
        assert!(text.len() < ids.len() * 2);
    }

    #[test]
    fn any_ids_come_back_in_order_including_the_extremes() {
        round_trip(&[]);
        round_trip(&[0, u64::MAX - 1, 0, 1, 7, 3, u64::MAX - 1, 42]);
        round_trip(&[u64::MAX - 1, 1 << 63, (1 << 63) - 1]);
    }

    #[test]
    fn a_damaged_text_is_an_error_not_a_wrong_id() {
        assert!(decode("not base64!").is_err());
        // 0x80: a varint that never ends.
        let mut cut = decode(&STANDARD_NO_PAD.encode([0x02, 0x80])).unwrap();
        assert_eq!(cut.next_id().unwrap(), Some(1));
        assert!(cut.next_id().is_err());
        // Eleven continuation bytes: more than 64 bits.
        let long = STANDARD_NO_PAD.encode([0xff; 11]);
        assert!(decode(&long).unwrap().next_id().is_err());
        let over =
            STANDARD_NO_PAD.encode([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
        assert!(decode(&over).unwrap().next_id().is_err());
    }
}
