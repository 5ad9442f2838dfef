//! Request bodies checked with the spec's own rules, the way API Platform
//! does: malformed JSON or a value of the wrong type is a 400; broken
//! constraints (blank, too long, pattern, range) are a 422 listing every
//! violation of the body at once.
//!
//! The constraints come from `lox24::limits` (generated from the spec); the
//! final decoding into the request types (the generated `GroupWrite` and
//! `BulkWrite`, which check the same spec once more, and the client's
//! `PhoneEntry`) catches everything else, such as a value outside an
//! enumeration or of the wrong type.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::problem::{Problem, Violation, code};
use lox24::{
    PhoneEntry,
    limits::{self, IntRule, TextRule},
    low_level::types::{
        BlockedNumberWrite, BulkWrite, FraudCheckWrite, GroupWrite, ShortLinkCampaignWrite,
        ShortLinkSubscriptionWrite, SmsWrite,
    },
    number::{Country, E164},
};

/// The generated rules of one request schema.
struct Rules {
    text: &'static [&'static TextRule],
    int: &'static [&'static IntRule],
    required: &'static [&'static str],
}

/// The rules of a generated request schema's module in `lox24::limits`.
macro_rules! rules_of {
    ($module:ident) => {
        Rules {
            text: limits::$module::TEXT_RULES,
            int: limits::$module::INT_RULES,
            required: limits::$module::REQUIRED,
        }
    };
}

const NOT_A_PHONE: &str = "This value is not a valid phone number.";

/// Reads a body as JSON.
pub(crate) fn parse(body: &[u8]) -> Result<Value, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::new(400, format!("Syntax error: {e}")))
}

/// A group (`POST /groups`, `PUT /groups/{id}`), with its optional entries.
pub(crate) fn group(body: &Value, country: Option<Country>) -> Result<GroupWrite, Problem> {
    let object = expect_object(body)?;
    let mut violations = check_fields(object, &rules_of!(group_write), "");
    if let Some(Value::Object(entries)) = object.get("phones") {
        for (label, entry) in entries {
            if let Value::Object(entry) = entry {
                violations.extend(phone_fields(entry, &format!("phones.{label}."), country));
            }
        }
    }
    finish(body, violations)
}

/// One entry of a group (`POST /groups/{id}/phones`, `PUT /phones/{id}`, and
/// each element of a batch).
pub(crate) fn phone(body: &Value, country: Option<Country>) -> Result<PhoneEntry, Problem> {
    let object = expect_object(body)?;
    finish(body, phone_fields(object, "", country))
}

/// A campaign (`POST /bulks`, `POST /bulks/dryrun`).
pub(crate) fn bulk(body: &Value) -> Result<BulkWrite, Problem> {
    let object = expect_object(body)?;
    let mut violations = check_fields(object, &rules_of!(bulk_write), "");
    let given = |key| object.get(key).is_some_and(|v| !v.is_null());
    if !given("phones") && !given("msg_groups") {
        violations.push(Violation::new(
            "phones",
            "Give at least one recipient: phones, msg_groups or both.",
            Some(code::NOT_BLANK),
        ));
    }
    if let Some(Value::Array(phones)) = object.get("phones") {
        for (i, phone) in phones.iter().enumerate() {
            if let Value::String(phone) = phone
                && let Err(e) = limits::RECIPIENT_NUMBER.check_at(format!("phones[{i}]"), phone)
            {
                violations.push(Violation::from_rule(&e));
            }
        }
    }
    if let Some(Value::Array(groups)) = object.get("msg_groups") {
        for (i, group) in groups.iter().enumerate() {
            if let Some(id) = group.as_i64()
                && let Err(e) = limits::GROUP_ID.check_at(format!("msg_groups[{i}]"), id)
            {
                violations.push(Violation::from_rule(&e));
            }
        }
    }
    finish(body, violations)
}

/// A single message (`POST /sms`, `POST /sms/dryrun`): the spec's rules,
/// and a number that is one.
pub(crate) fn sms(body: &Value, country: Option<Country>) -> Result<SmsWrite, Problem> {
    let object = expect_object(body)?;
    let mut violations = check_fields(object, &rules_of!(sms_write), "");
    if let Some(Value::String(phone)) = object.get("phone")
        && !violations.iter().any(|v| v.path == "phone")
        && e164(phone, country).is_none()
    {
        violations.push(Violation::new("phone", NOT_A_PHONE, None));
    }
    finish(body, violations)
}

/// A number to block (`POST /blocked_numbers`): `+` and 4 to 20 digits.
pub(crate) fn blocked_number(body: &Value) -> Result<BlockedNumberWrite, Problem> {
    let object = expect_object(body)?;
    finish(
        body,
        check_fields(object, &rules_of!(blocked_number_write), ""),
    )
}

/// A fraud check (`POST /fraud-checks`): the spec's rules, its address's,
/// and at least one thing to check.
pub(crate) fn fraud_check(body: &Value) -> Result<FraudCheckWrite, Problem> {
    let object = expect_object(body)?;
    let mut violations = check_fields(object, &rules_of!(fraud_check_write), "");
    if let Some(Value::Object(address)) = object.get("address") {
        violations.extend(check_fields(
            address,
            &rules_of!(fraud_check_address_write),
            "address.",
        ));
    }
    let given = |key| object.get(key).is_some_and(|v| !v.is_null());
    if !["phone", "email", "ip", "address"].into_iter().any(given) {
        violations.push(Violation::new(
            "phone",
            "Give at least one thing to check: phone, email, ip or address.",
            Some(code::NOT_BLANK),
        ));
    }
    finish(body, violations)
}

/// A short-link campaign (`POST` and `PUT /short_link_campaigns…`).
pub(crate) fn link_campaign(body: &Value) -> Result<ShortLinkCampaignWrite, Problem> {
    let object = expect_object(body)?;
    finish(
        body,
        check_fields(object, &rules_of!(short_link_campaign_write), ""),
    )
}

/// A subscription or unsubscription link (`POST
/// /short_link_campaigns/subscribe` and `/unsubscribe`).
pub(crate) fn subscription(body: &Value) -> Result<ShortLinkSubscriptionWrite, Problem> {
    let object = expect_object(body)?;
    finish(
        body,
        check_fields(object, &rules_of!(short_link_subscription_write), ""),
    )
}

/// The number in E.164 form, from any form LOX24 accepts (`+49…`, `0049…`,
/// `49…`, national `0170…` with the account's country), read as the client
/// reads it ([`E164::parse`]); `None` if it is no number.
pub(crate) fn e164(raw: &str, country: Option<Country>) -> Option<String> {
    E164::parse(raw, country).ok().map(String::from)
}

fn expect_object(body: &Value) -> Result<&serde_json::Map<String, Value>, Problem> {
    body.as_object().ok_or_else(|| {
        Problem::new(
            400,
            format!("The body must be a JSON object, not {}.", kind(body)),
        )
    })
}

/// The checks of an entry, plus whether its number is one.
fn phone_fields(
    object: &serde_json::Map<String, Value>,
    prefix: &str,
    country: Option<Country>,
) -> Vec<Violation> {
    let mut violations = check_fields(object, &rules_of!(phone_write), prefix);
    let path = format!("{prefix}phone");
    if let Some(Value::String(phone)) = object.get("phone")
        && !violations.iter().any(|v| v.path == path)
        && e164(phone, country).is_none()
    {
        violations.push(Violation::new(path, NOT_A_PHONE, None));
    }
    violations
}

/// Required properties and the rules of every field present with the type
/// the rule is for; fields of another type are left to decoding (a 400).
fn check_fields(
    object: &serde_json::Map<String, Value>,
    rules: &Rules,
    prefix: &str,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    for field in rules.required {
        if object.get(*field).is_none_or(Value::is_null) {
            violations.push(Violation::blank(format!("{prefix}{field}")));
        }
    }
    for rule in rules.text {
        if let Some(Value::String(value)) = object.get(rule.field)
            && let Err(e) = rule.check_at(format!("{prefix}{}", rule.field), value)
        {
            violations.push(Violation::from_rule(&e));
        }
    }
    for rule in rules.int {
        if let Some(value) = object.get(rule.field).and_then(Value::as_number) {
            let value = value.as_i64().unwrap_or(i64::MAX);
            if let Err(e) = rule.check_at(format!("{prefix}{}", rule.field), value) {
                violations.push(Violation::from_rule(&e));
            }
        }
    }
    violations
}

/// 422 with the violations, or else the typed body (400 if it does not decode).
fn finish<T: DeserializeOwned>(body: &Value, violations: Vec<Violation>) -> Result<T, Problem> {
    if !violations.is_empty() {
        return Err(Problem::invalid(422, violations));
    }
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = match e.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = e.inner().to_string();
        let violation = if message.starts_with("unknown variant") {
            Violation::new(
                path,
                "The value you selected is not a valid choice.",
                Some(code::CHOICE),
            )
        } else if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            let path = if path.is_empty() {
                field.to_owned()
            } else {
                format!("{path}.{field}")
            };
            return Problem::invalid(422, vec![Violation::blank(path)]);
        } else {
            Violation::new(
                path,
                format!("This value has the wrong type ({message})."),
                Some(code::TYPE),
            )
        };
        Problem::invalid(400, vec![violation])
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(problem: &Problem) -> Vec<(&str, Option<&str>)> {
        problem
            .violations
            .iter()
            .map(|v| (v.path.as_str(), v.code))
            .collect()
    }

    #[test]
    fn every_constraint_violation_of_a_group_is_reported_at_once() {
        let body = json!({
            "name": "",
            "description": "d".repeat(256),
            "name_c": "c".repeat(51),
            "phones": {"0": {"phone": "+491701234567"}, "x": {"phone": "12ab", "a": "a".repeat(1531)}}
        });
        let problem = group(&body, Country::from_iso("DE").ok()).unwrap_err();
        assert_eq!(problem.status, 422);
        assert_eq!(
            paths(&problem),
            [
                ("description", Some(code::TOO_LONG)),
                ("name", Some(code::NOT_BLANK)),
                ("name_c", Some(code::TOO_LONG)),
                ("phones.x.a", Some(code::TOO_LONG)),
                ("phones.x.phone", None),
            ]
        );
    }

    #[test]
    fn missing_required_fields_are_blank_violations() {
        let problem = bulk(&json!({"msg_groups": [1]})).unwrap_err();
        assert_eq!(problem.status, 422);
        assert_eq!(
            paths(&problem),
            [
                ("sender_id", Some(code::NOT_BLANK)),
                ("text", Some(code::NOT_BLANK))
            ]
        );
        let problem = bulk(&json!({"sender_id": "Shop", "text": "Hi"})).unwrap_err();
        assert_eq!(paths(&problem), [("phones", Some(code::NOT_BLANK))]);
    }

    #[test]
    fn nested_bulk_values_are_checked_with_their_rules() {
        let body = json!({
            "sender_id": "My-Shop!", "text": "Hi", "delivery_at": -1,
            "phones": ["+491701234567", "12"], "msg_groups": [3, 0]
        });
        let problem = bulk(&body).unwrap_err();
        assert_eq!(
            paths(&problem),
            [
                ("sender_id", Some(code::PATTERN)),
                ("delivery_at", Some(code::TOO_LOW)),
                ("phones[1]", Some(code::TOO_SHORT)),
                ("msg_groups[1]", Some(code::TOO_LOW)),
            ]
        );
    }

    #[test]
    fn wrong_types_and_unknown_choices_are_400s_naming_the_field() {
        let problem = group(&json!({"name": 5}), Country::from_iso("DE").ok()).unwrap_err();
        assert_eq!(
            (problem.status, paths(&problem)),
            (400, vec![("name", Some(code::TYPE))])
        );
        let body = json!({"sender_id": "Shop", "text": "Hi", "phones": ["+491701234567"],
                          "service_code": "fax"});
        let problem = bulk(&body).unwrap_err();
        assert_eq!(
            (problem.status, paths(&problem)),
            (400, vec![("service_code", Some(code::CHOICE))])
        );
        let problem =
            bulk(&json!({"sender_id": "Shop", "text": "Hi", "phones": [491701234567u64]}))
                .unwrap_err();
        assert_eq!(paths(&problem), [("phones[0]", Some(code::TYPE))]);
        assert_eq!(
            phone(&json!([]), Country::from_iso("DE").ok())
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(parse(b"{\"name\":").unwrap_err().status, 400);
    }

    #[test]
    fn valid_bodies_decode_into_the_generated_types() {
        let body = json!({"sender_id": "Shop", "text": "Hi", "msg_groups": [4],
                          "service_code": "direct", "delivery_at": 0});
        let decoded = bulk(&body).unwrap();
        assert_eq!(decoded.msg_groups.unwrap()[0].get(), 4);
        let entry = phone(
            &json!({"phone": "0170 1234567", "callback_data": "x"}),
            Country::from_iso("DE").ok(),
        )
        .unwrap();
        assert_eq!(entry.phone, "0170 1234567");
    }

    #[test]
    fn numbers_are_normalised_to_e164() {
        for (raw, expected) in [
            ("+491701234567", Some("+491701234567")),
            ("00491701234567", Some("+491701234567")),
            ("491701234567", Some("+491701234567")),
            ("01701234567", Some("+491701234567")),
            ("0170 123-45 67", Some("+491701234567")),
            ("(0170) 1234567", Some("+491701234567")),
            ("not a number", None),
            ("+0123", None),
            ("12", None),
            ("", None),
            ("0049 12345678901234567", None),
        ] {
            assert_eq!(
                e164(raw, Country::from_iso("DE").ok()).as_deref(),
                expected,
                "{raw}"
            );
        }
        assert_eq!(
            e164("0612345678", Country::from_iso("FR").ok()).as_deref(),
            Some("+33612345678")
        );
    }
}
