//! Every hand-written enum against the list the spec gives for it
//! (`lox24::limits::*_VALUES`, generated from `openapi/lox24.yaml`): a value
//! LOX24 adds or drops fails here until the enum follows.

use lox24::{
    BlockedKind, BulkStatus, DlrCode, SmsStatus,
    fraud::{FraudCheckService, FraudCheckStatus},
    limits,
};

#[test]
fn the_fraud_check_services_are_the_specs() {
    let ours: Vec<&str> = FraudCheckService::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(ours, limits::FRAUD_CHECK_SERVICE_VALUES);
    for service in FraudCheckService::ALL {
        assert_eq!(service.as_str().parse::<FraudCheckService>(), Ok(*service));
        let written = serde_json::to_value(service).unwrap();
        assert_eq!(written, serde_json::json!(service.as_str()));
    }
    let err = "ultra".parse::<FraudCheckService>().unwrap_err();
    assert_eq!(err.field(), "service_code");
}

/// The codes of a coded enum, in its order.
fn codes<T: Copy>(all: &[T], code: fn(T) -> i64) -> Vec<i64> {
    all.iter().map(|v| code(*v)).collect()
}

#[test]
fn the_coded_enums_are_the_specs() {
    let fraud = codes(FraudCheckStatus::ALL, FraudCheckStatus::code);
    for (ours, listed) in [
        (
            codes(SmsStatus::ALL, SmsStatus::code),
            limits::SMS_STATUS_CODE_VALUES,
        ),
        (
            codes(DlrCode::ALL, DlrCode::code),
            limits::SMS_DLR_CODE_VALUES,
        ),
        (
            codes(BulkStatus::ALL, BulkStatus::code),
            limits::BULK_STATUS_CODE_VALUES,
        ),
        (
            codes(BlockedKind::ALL, BlockedKind::code),
            limits::BLOCKED_NUMBER_TYPE_VALUES,
        ),
        (fraud.clone(), limits::FRAUD_CHECK_STATUS_CODE_VALUES),
        (
            fraud.clone(),
            limits::FRAUD_CHECK_PHONE_RESULT_STATUS_CODE_VALUES,
        ),
        (
            fraud.clone(),
            limits::FRAUD_CHECK_EMAIL_RESULT_STATUS_CODE_VALUES,
        ),
        (fraud, limits::FRAUD_CHECK_IP_RESULT_STATUS_CODE_VALUES),
    ] {
        assert_eq!(ours, listed);
    }
}

#[test]
fn every_code_reads_back_as_its_variant_and_others_are_kept() {
    for status in SmsStatus::ALL {
        assert_eq!(SmsStatus::from_code(status.code()), *status);
        assert!(!matches!(status, SmsStatus::Unknown(_)));
    }
    assert_eq!(SmsStatus::from_code(7), SmsStatus::Unknown(7));
    let read: DlrCode = serde_json::from_str("32").unwrap();
    assert_eq!(read, DlrCode::Unknown(32));
}
