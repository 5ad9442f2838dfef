//! Inputs that fit the spec's limits but can only fail or misbehave at
//! LOX24 (issue 12, items 9 and 10): refused before anything is sent,
//! naming the field and saying in words what is allowed.

mod common;

use common::{catch_all, client};
use httpmock::MockServer;
use lox24::{
    Column, Error, GroupId, NewBulk, NewGroup, PhoneEntry, ValidationError, ValidationProblem,
    number::PhonePolicy,
};

fn invalid(result: Result<(), ValidationError>) -> (String, String) {
    let error = result.expect_err("refused");
    (error.field().to_owned(), error.to_string())
}

const SENDER_RULE: &str = "a sender is up to 11 letters (A-Z, a-z), digits and spaces, \
                           or a number of up to 15 digits with an optional leading +";

#[test]
fn an_invalid_sender_is_described_in_words_not_as_a_regular_expression() {
    for (sender, detail) in [
        ("Shop-24", "'-' is not allowed"),
        ("Müller", "'ü' is not allowed"),
        ("Twelve chars", "12 characters"),
        ("1234567890123456", "16 digits"),
        ("+0123", "a number cannot start with 0"),
    ] {
        let bulk = NewBulk::new(sender, "Hi").to_group(GroupId::new(1));
        let (field, message) = invalid(bulk.validate());
        assert_eq!(field, "sender_id");
        assert_eq!(
            message,
            format!("`sender_id` is {sender:?} ({detail}): {SENDER_RULE}"),
        );
        assert!(
            !message.contains('^') && !message.contains('\\'),
            "{message}"
        );
    }
}

#[test]
fn blank_or_broken_values_are_refused_naming_the_field() {
    let to = |bulk: NewBulk| bulk.to_group(GroupId::new(1));
    let cases: Vec<(Result<(), ValidationError>, &str, &str)> = vec![
        (
            to(NewBulk::new("   ", "Hi")).validate(),
            "sender_id",
            "`sender_id` is only spaces: a sender needs at least one letter or digit",
        ),
        (
            to(NewBulk::new("Shop", "")).validate(),
            "text",
            "`text` is required",
        ),
        (
            to(NewBulk::new("Shop", " \n\t ")).validate(),
            "text",
            "`text` is only whitespace: an empty message cannot be sent",
        ),
        (
            to(NewBulk::new("Shop", "Hi\u{0}there")).validate(),
            "text",
            "`text` holds the control character U+0000 at character 3; \
             of those only line breaks and tabs are allowed",
        ),
        (
            NewGroup::new("   ").validate(),
            "name",
            "`name` is only whitespace: a name needs at least one visible character",
        ),
        (
            NewGroup::new("VIP\ncustomers").validate(),
            "name",
            "`name` holds the control character U+000A at character 4; \
             it must be one line without control characters",
        ),
        (
            NewGroup::new("VIP").description("a\u{1b}[31m").validate(),
            "description",
            "`description` holds the control character U+001B at character 2; \
             of those only line breaks and tabs are allowed",
        ),
        (
            NewGroup::new("VIP")
                .column_name(Column::B, "first\tname")
                .validate(),
            "name_b",
            "`name_b` holds the control character U+0009 at character 6; \
             it must be one line without control characters",
        ),
        (
            PhoneEntry::new("+491701234567\u{0}").validate(),
            "phone",
            "`phone` holds the control character U+0000 at character 14; \
             it must be one line without control characters",
        ),
        (
            PhoneEntry::new("+491701234567")
                .callback_data("crm\r\n7")
                .validate(),
            "callback_data",
            "`callback_data` holds the control character U+000D at character 4; \
             it must be one line without control characters",
        ),
        (
            PhoneEntry::new("+491701234567")
                .column(Column::A, "x\u{7f}")
                .validate(),
            "a",
            "`a` holds the control character U+007F at character 2; \
             of those only line breaks and tabs are allowed",
        ),
    ];
    for (result, field, message) in cases {
        assert_eq!(invalid(result), (field.to_owned(), message.to_owned()));
    }
    // Line breaks and tabs where text may have them.
    assert!(
        NewBulk::new("My Shop", "Hello,\r\n\tsee you")
            .to_group(GroupId::new(1))
            .validate()
            .is_ok()
    );
    assert!(
        NewGroup::new("VIP")
            .description("line\nline")
            .validate()
            .is_ok()
    );
    assert!(
        PhoneEntry::new("+491701234567")
            .column(Column::A, "two\nlines")
            .validate()
            .is_ok()
    );
}

#[test]
fn a_passed_through_number_with_a_control_character_is_refused() {
    let error = PhonePolicy::PassThrough
        .apply_at("phones[0]", "+49170\u{8}1234567")
        .expect_err("refused");
    assert_eq!(error.field(), "phones[0]");
    assert!(matches!(error.problem(), ValidationProblem::Invalid { .. }));
}

#[tokio::test]
async fn nothing_is_sent_for_them() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let bulk = NewBulk::new("   ", "Hi").to_group(GroupId::new(1));
    assert!(matches!(
        client.create_bulk(&bulk).await,
        Err(Error::Validation(_))
    ));
    let group = NewGroup::new("a\u{0}b");
    assert!(matches!(
        client.create_group(&group).await,
        Err(Error::Validation(_))
    ));
    let entries = [PhoneEntry::new("+491701234567").callback_data("x\ny")];
    assert!(matches!(
        client.add_phones(&GroupId::new(7), &entries).await,
        Err(Error::Validation(_))
    ));
    any.assert_calls_async(0).await;
}
