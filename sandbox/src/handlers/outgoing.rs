//! Messages being created, alone or by a campaign: the record, its
//! `sms.delivery` event, and the reply its number gives by rule.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Place},
    messages::{self, Fate},
    records::{IncomingRec, SmsRec},
    state::Shared,
    store::Store,
    webhooks::Source,
};

/// The fields of a message that do not depend on its recipient.
#[derive(Clone, Debug)]
pub(super) struct Common {
    pub(super) sender_id: String,
    pub(super) service_code: String,
    pub(super) voice_lang: Option<String>,
    pub(super) is_unicode: Option<bool>,
    pub(super) is_text_deleted: bool,
    pub(super) source: Option<i64>,
    pub(super) delivery_at: i64,
    pub(super) key_id: u64,
    pub(super) ip: String,
}

/// One message to create.
#[derive(Clone, Debug)]
pub(super) struct Draft<'a> {
    pub(super) common: &'a Common,
    pub(super) bulk_id: Option<String>,
    pub(super) phone: String,
    pub(super) text: String,
    pub(super) parts: u64,
    pub(super) callback_data: Option<String>,
    pub(super) blocked: bool,
    /// When it comes to exist.
    pub(super) created_at: SystemTime,
}

impl Draft<'_> {
    /// The record, not stored: also the answer of a dry run.
    pub(super) fn record(&self, shared: &Shared, uuid: String) -> SmsRec {
        let timing = shared.settings.message_timing;
        let common = self.common;
        let sent_at = messages::start(common.delivery_at, self.created_at) + timing.sending;
        let measure = lox24::text::measure(&self.text, encoding(common.is_unicode));
        SmsRec {
            uuid,
            seq: 0,
            bulk_id: self.bulk_id.clone(),
            phone: self.phone.clone(),
            sender_id: common.sender_id.clone(),
            text: self.text.clone(),
            callback_data: self.callback_data.clone(),
            parts: self.parts,
            chars: measure.units() as u64,
            is_unicode: measure.alphabet() == lox24::text::Alphabet::Ucs2,
            price_micros: self.price(shared),
            service_code: common.service_code.clone(),
            voice_lang: common.voice_lang.clone(),
            is_text_deleted: common.is_text_deleted,
            source: common.source,
            key_id: common.key_id,
            ip: common.ip.clone(),
            delivery_at: common.delivery_at,
            created_at: self.created_at,
            sent_at,
            final_at: sent_at + timing.delivery,
            fate: Fate::of(&self.phone),
            blocked: self.blocked,
            cancelled_at: None,
        }
    }

    /// What it costs, in millionths: nothing for a blocked number.
    pub(super) fn price(&self, shared: &Shared) -> u64 {
        if self.blocked {
            0
        } else {
            self.parts.saturating_mul(shared.settings.price_micros)
        }
    }

    /// Stores the message (not charged here), plans its delivery event and
    /// its number's reply, and returns its id.
    pub(super) fn create(&self, shared: &Shared, store: &mut Store) -> String {
        let uuid = shared.ids.uuid();
        let sms = self.record(shared, uuid.clone());
        shared
            .outbox
            .schedule(messages::report_at(&sms), Source::Sms(uuid.clone()));
        if let Some(text) = auto_reply(shared, &sms) {
            let reply = IncomingRec {
                uuid: shared.ids.uuid(),
                from: sms.phone.clone(),
                to: sms.sender_id.clone(),
                text,
                msg_uuid: Some(uuid.clone()),
                received_at: sms.final_at,
            };
            receive(shared, store, reply);
        }
        store.sms.insert(uuid.clone(), |seq| SmsRec { seq, ..sms });
        uuid
    }
}

/// Stores a reply and plans its `sms.incoming` event.
pub(crate) fn receive(shared: &Shared, store: &mut Store, reply: IncomingRec) {
    let uuid = reply.uuid.clone();
    shared
        .outbox
        .schedule(reply.received_at, Source::Incoming(uuid.clone()));
    store.incomings.insert(uuid, |_| reply);
}

/// The text of the rule the number matches, for a message that is delivered.
fn auto_reply(shared: &Shared, sms: &SmsRec) -> Option<String> {
    if sms.blocked || sms.fate != Fate::Delivered {
        return None;
    }
    shared
        .settings
        .auto_replies
        .iter()
        .find(|(suffix, _)| sms.phone.ends_with(suffix.as_str()))
        .map(|(_, text)| text.clone())
}

fn encoding(is_unicode: Option<bool>) -> lox24::Encoding {
    match is_unicode {
        None => lox24::Encoding::Auto,
        Some(false) => lox24::Encoding::Gsm,
        Some(true) => lox24::Encoding::Unicode,
    }
}

/// A message as LOX24 shows it.
pub(super) fn body(
    sms: &SmsRec,
    ctx: &Ctx,
    country: Option<lox24::number::Country>,
    place: Place,
) -> Value {
    let state = messages::state(sms, ctx.now);
    let text = if sms.is_text_deleted && state.is_sent() {
        ""
    } else {
        sms.text.as_str()
    };
    let iri = format!("/sms/{}", sms.uuid);
    let body = json!({
        "uuid": sms.uuid,
        "bulk_id": sms.bulk_id,
        "phone": sms.phone,
        "sender_id": sms.sender_id,
        "text": text,
        "status_code": state.status,
        "dlr_code": state.dlr,
        "is_sent": state.is_sent(),
        "callback_data": sms.callback_data,
        "parts_count": sms.parts,
        "chars_count": sms.chars,
        "price": sms.price_micros as f64 / 1e6,
        "delivery_at": sms.delivery_at,
        "gateway_sent_at": state.sent_at.unwrap_or(0),
        "created_at": unix(sms.created_at),
        "iso2": iso2(&sms.phone, country),
        "is_unicode": sms.is_unicode,
        "service_code": sms.service_code,
        "voice_lang": sms.voice_lang,
        "is_text_deleted": sms.is_text_deleted,
        "source": sms.source,
        "key_id": sms.key_id,
        "ip": sms.ip,
        "requests": format!("{iri}/requests"),
        "clicks": format!("{iri}/clicks"),
    });
    hydra::with_ld(body, ctx.format, place, "sms", iri)
}

/// The account's country for its own numbers; the sandbox knows no other
/// numbering plans.
fn iso2(phone: &str, country: Option<lox24::number::Country>) -> Option<String> {
    let country = country?;
    let prefix = format!("+{}", country.calling_code());
    phone.starts_with(&prefix).then(|| country.iso().to_owned())
}
