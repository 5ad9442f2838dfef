//! Counts and money as the tool writes them: plain digits (as in `--json`
//! and as typed back into options), the right noun for one and for many,
//! and costs with their currency.

/// The currency of costs where the account's is not at hand: LOX24 bills
/// in euros unless the account says otherwise (`lox24 account`).
pub const CURRENCY: &str = "EUR";

/// `1 row`, `2 rows`, `0 rows`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `0.20 EUR`, `349.79 EUR`, `0.075 EUR`: cents, and a third decimal
/// where a price per message has one.
pub fn money(amount: f64) -> String {
    money_in(amount, CURRENCY)
}

/// [`money`] in another currency, such as the account's.
pub fn money_in(amount: f64, currency: &str) -> String {
    let mut digits = format!("{amount:.3}");
    if digits.ends_with('0') {
        digits.pop();
    }
    format!("{digits} {currency}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_many() {
        assert_eq!(count(1, "row", "rows"), "1 row");
        assert_eq!(count(0, "row", "rows"), "0 rows");
        assert_eq!(count(200000, "row", "rows"), "200000 rows");
    }

    #[test]
    fn costs_carry_their_currency() {
        assert_eq!(money(349.79), "349.79 EUR");
        assert_eq!(money(0.2), "0.20 EUR");
        assert_eq!(money(0.075), "0.075 EUR");
        assert_eq!(money(0.0), "0.00 EUR");
    }
}
