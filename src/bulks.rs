//! Bulk SMS campaigns.

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    BulkId, BulkQuery, Campaign, Client, DryRun, Error, GroupId, Iri, JsonLdMeta, Listing,
    NotCancellable, OrUnknown, ServiceCode, ValidationError, ValidationProblem, VoiceLanguage,
    api::types,
    call, limits,
    phone::PhonePolicy,
    text,
    validate::{wire, wire_at},
};

/// How the text is encoded on the air.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// LOX24 decides from the text (`is_unicode` absent).
    #[default]
    Auto,
    /// GSM 03.38: 160 characters per SMS; other characters are transliterated
    /// (`is_unicode: false`).
    Gsm,
    /// UCS-2: 70 characters per SMS, any script (`is_unicode: true`).
    Unicode,
}

impl Encoding {
    fn is_unicode(self) -> Option<bool> {
        match self {
            Self::Auto => None,
            Self::Gsm => Some(false),
            Self::Unicode => Some(true),
        }
    }
}

/// A bulk campaign to create.
///
/// ```
/// use lox24::{GroupId, NewBulk, ServiceCode};
///
/// let bulk = NewBulk::new("MyShop", "Our sale starts today!")
///     .to_phones(["+491701234567", "+491701234568"])
///     .to_group(GroupId::new(7117))
///     .service(ServiceCode::Direct);
/// assert!(bulk.validate().is_ok());
///
/// let err = NewBulk::new("My-Shop!", "Hi").to_group(GroupId::new(1)).validate().unwrap_err();
/// assert_eq!(err.field(), "sender_id");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewBulk {
    sender_id: String,
    text: String,
    phones: Vec<String>,
    groups: Vec<GroupId>,
    delivery_at: Option<DateTime<Utc>>,
    encoding: Encoding,
    service: Option<ServiceCode>,
    voice: Option<VoiceLanguage>,
    delete_text: Option<bool>,
    source: Option<i64>,
    phone_policy: PhonePolicy,
}

impl NewBulk {
    /// A campaign from `sender_id` (a number of up to 15 digits, optionally
    /// with `+`, or up to 11 ASCII letters, digits and spaces) with `text`
    /// (up to 1785 characters before placeholders are replaced). Add
    /// recipients with [`NewBulk::to_phones`] and/or [`NewBulk::to_groups`].
    pub fn new(sender_id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            sender_id: sender_id.into(),
            text: text.into(),
            phones: Vec::new(),
            groups: Vec::new(),
            delivery_at: None,
            encoding: Encoding::Auto,
            service: None,
            voice: None,
            delete_text: None,
            source: None,
            phone_policy: PhonePolicy::default(),
        }
    }

    /// Adds a recipient number. E.164 such as `+491701234567` is preferred;
    /// `0049…`, `49…` and, with a default country in
    /// [`NewBulk::phone_policy`], national numbers are rewritten to it.
    pub fn to_phone(mut self, phone: impl Into<String>) -> Self {
        self.phones.push(phone.into());
        self
    }

    /// Adds recipient numbers.
    pub fn to_phones<P: Into<String>>(mut self, phones: impl IntoIterator<Item = P>) -> Self {
        self.phones.extend(phones.into_iter().map(Into::into));
        self
    }

    /// Adds every entry of a group as recipients.
    pub fn to_group(mut self, group: GroupId) -> Self {
        self.groups.push(group);
        self
    }

    /// Adds every entry of these groups as recipients.
    pub fn to_groups(mut self, groups: impl IntoIterator<Item = GroupId>) -> Self {
        self.groups.extend(groups);
        self
    }

    /// Sends at this time (in any time zone) instead of at once; a time in
    /// the past is refused when the campaign is checked.
    pub fn deliver_at<Tz: TimeZone>(mut self, at: DateTime<Tz>) -> Self {
        self.delivery_at = Some(at.with_timezone(&Utc));
        self
    }

    /// Sends at once (the default), undoing [`NewBulk::deliver_at`].
    pub fn deliver_now(mut self) -> Self {
        self.delivery_at = None;
        self
    }

    /// Chooses the encoding (default: LOX24 decides).
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Chooses the service (default: LOX24's default, a direct SMS).
    pub fn service(mut self, service: ServiceCode) -> Self {
        self.service = Some(service);
        self
    }

    /// The language of a text-to-speech call (default: detected).
    pub fn voice_language(mut self, language: VoiceLanguage) -> Self {
        self.voice = Some(language);
        self
    }

    /// Whether LOX24 deletes the text once the messages are delivered.
    pub fn delete_text_after_sending(mut self, delete: bool) -> Self {
        self.delete_text = Some(delete);
        self
    }

    /// A number of your choice that identifies the campaign in itemised bills.
    pub fn source(mut self, source: i64) -> Self {
        self.source = Some(source);
        self
    }

    /// How recipient numbers are checked and rewritten before sending
    /// (default [`PhonePolicy::Normalize`] without a country: every
    /// international form becomes E.164, and a national number is refused
    /// with an error that names it, rather than left for LOX24 to complete
    /// with the account's country). Give a country to accept national
    /// numbers, or [`PhonePolicy::PassThrough`] to send them as written.
    ///
    /// ```
    /// use lox24::{NewBulk, phone::{Country, PhonePolicy}};
    ///
    /// let bulk = NewBulk::new("Shop", "Hi").to_phone("0170 1234567");
    /// assert_eq!(bulk.validate().unwrap_err().field(), "phones[0]");
    /// let bulk = bulk.phone_policy(PhonePolicy::Normalize(Country::from_iso("DE")));
    /// assert!(bulk.validate().is_ok()); // sent as +491701234567
    /// ```
    pub fn phone_policy(mut self, policy: PhonePolicy) -> Self {
        self.phone_policy = policy;
        self
    }

    /// Checks every limit of the spec, and that the delivery time is not past.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    /// Asks LOX24 what this campaign would be (`POST /bulks/dryrun`) without
    /// sending or charging anything: the number of messages, their cost and
    /// the recipients as LOX24 read them.
    ///
    /// The campaign is checked first, exactly as by [`NewBulk::send`].
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, NewBulk};
    ///
    /// let campaign = NewBulk::new("MyShop", "Our sale starts today!").to_group(GroupId::new(7117));
    /// let preview = campaign.dry_run(&client).await?;
    /// println!("{:?} messages for {:?}", preview.messages(), preview.cost());
    /// if preview.cost().is_some_and(|cost| cost < 50.0) {
    ///     campaign.send(&client).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn dry_run(&self, client: &Client) -> Result<DryRun, Error> {
        let body = self.to_wire()?;
        let bulk = call::run(client.raw().dry_run_bulk(&body)).await?.value;
        Ok(DryRun::new(bulk))
    }

    /// Creates the campaign (`POST /bulks`) and returns a handle to watch,
    /// wait for or cancel it.
    ///
    /// The campaign is checked first; nothing is sent if it breaks a limit.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, NewBulk};
    ///
    /// let mut campaign = NewBulk::new("MyShop", "Our sale starts today!")
    ///     .to_group(GroupId::new(7117))
    ///     .send(&client)
    ///     .await?;
    /// let done = campaign.wait().await?;
    /// println!("{}: {:?} messages", done.status_code, done.msg_total_count);
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, client: &Client) -> Result<Campaign, Error> {
        let bulk = client.create_bulk(self).await?;
        Ok(Campaign::from_bulk(client.clone(), bulk))
    }

    /// The text as sent, once checked: at most 1785 characters as written
    /// and, for an SMS, a final message of at most ten parts
    /// ([`text::TextAnalysis::check`]). A voice call (`text2speech`) reads
    /// the text aloud, so only the input limit applies to it.
    fn checked_text(&self) -> Result<types::BulkWriteText, ValidationError> {
        let is_sms = matches!(self.service, None | Some(ServiceCode::Direct));
        if is_sms {
            text::analyze(&self.text, self.encoding).check()?;
        }
        wire(&limits::bulk_write::TEXT, &self.text)
    }

    /// One recipient number as sent: rewritten by the phone policy, then
    /// checked against the spec's forms; `index` names it (`phones[3]`).
    fn checked_recipient(
        &self,
        index: usize,
        phone: &str,
    ) -> Result<types::RecipientNumber, ValidationError> {
        let field = format!("phones[{index}]");
        let number = self.phone_policy.apply_at(&field, phone)?;
        wire_at(&limits::RECIPIENT_NUMBER, field, &number)
    }

    /// The request body, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::BulkWrite, ValidationError> {
        use limits::bulk_write as rule;
        let sender_id = wire(&rule::SENDER_ID, &self.sender_id)?;
        let text = self.checked_text()?;
        if self.phones.is_empty() && self.groups.is_empty() {
            return Err(ValidationError::new(
                "recipients",
                ValidationProblem::Invalid {
                    reason:
                        "are missing: give phone numbers (`phones`), groups (`msg_groups`) or both"
                            .into(),
                },
            ));
        }
        let phones = self
            .phones
            .iter()
            .enumerate()
            .map(|(i, phone)| self.checked_recipient(i, phone))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, group) in self.groups.iter().enumerate() {
            group.validate_at(format!("msg_groups[{i}]"))?;
        }
        let delivery_at = match self.delivery_at {
            None => None,
            Some(at) => {
                rule::DELIVERY_AT.check(at.timestamp())?;
                if at.timestamp() < Utc::now().timestamp() {
                    return Err(ValidationError::new(
                        "delivery_at",
                        ValidationProblem::Invalid {
                            reason: format!("is in the past ({at})"),
                        },
                    ));
                }
                u64::try_from(at.timestamp()).ok()
            }
        };
        Ok(types::BulkWrite {
            sender_id,
            text,
            phones: (!phones.is_empty()).then_some(phones),
            msg_groups: (!self.groups.is_empty()).then(|| self.groups.clone()),
            delivery_at,
            is_unicode: self.encoding.is_unicode(),
            service_code: self.service,
            voice_lang: self.voice,
            is_text_deleted: self.delete_text,
            source: self.source,
        })
    }
}

crate::coded::coded_enum! {
    /// Where a campaign is in its life.
    BulkStatus {
        /// 0: created, not processed yet (e.g. scheduled).
        New = 0,
        /// 5: being processed.
        InProgress = 5,
        /// 10: processed; the messages were created.
        Processed = 10,
        /// 15: cancelled by the user.
        Cancelled = 15,
        /// 20: failed with a system error.
        SystemError = 20,
        /// 201: no recipients were found.
        NoRecipients = 201,
    }
}

impl BulkStatus {
    /// Whether the campaign has reached a state it will not leave
    /// (processed, cancelled, system error, no recipients).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Processed | Self::Cancelled | Self::SystemError | Self::NoRecipients
        )
    }

    /// Whether LOX24 still accepts a cancellation (new or in progress).
    pub fn is_cancellable(self) -> bool {
        matches!(self, Self::New | Self::InProgress)
    }

    /// What the status means, in a few words.
    ///
    /// ```
    /// assert_eq!(lox24::BulkStatus::NoRecipients.describe(), "without recipients");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in progress",
            Self::Processed => "processed",
            Self::Cancelled => "cancelled",
            Self::SystemError => "failed with a system error",
            Self::NoRecipients => "without recipients",
            Self::Unknown(_) => "in a status this crate does not know",
        }
    }
}

/// The meaning and the code, e.g. `processed (10)`.
///
/// ```
/// assert_eq!(lox24::BulkStatus::InProgress.to_string(), "in progress (5)");
/// ```
impl fmt::Display for BulkStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.describe(), self.code())
    }
}

/// A bulk campaign as LOX24 stores it.
///
/// Only `uuid` and `status_code` are required when reading; everything else
/// may be missing from an answer (the status view leaves out the recipients
/// and the text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Bulk {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The campaign's id.
    pub uuid: BulkId,
    /// Where the campaign is in its life.
    pub status_code: BulkStatus,
    /// Unix time at which sending starts (0: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_at: Option<i64>,
    /// The sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// The text (empty once deleted after sending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The recipient numbers given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<String>>,
    /// The recipient groups given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_groups: Option<Vec<GroupId>>,
    /// How many messages the campaign created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_total_count: Option<u64>,
    /// What the messages cost, in the account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_total_cost: Option<f64>,
    /// Unix time at which the campaign was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of the last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processed_at: Option<i64>,
    /// The address the campaign was created from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The encoding asked for (`None`: decided by LOX24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_unicode: Option<bool>,
    /// Whether this was a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_dryrun: Option<bool>,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_code: Option<OrUnknown<ServiceCode>>,
    /// The id of the API key that created the campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<u64>,
    /// The caller's number for itemised bills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    /// The language of text-to-speech calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_lang: Option<OrUnknown<VoiceLanguage>>,
    /// Whether the text was deleted after sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_text_deleted: Option<bool>,
}

impl Bulk {
    /// A campaign with this id and status and nothing else, e.g. for a mock's answer.
    ///
    /// ```
    /// use lox24::{Bulk, BulkId, BulkStatus};
    ///
    /// let mut bulk = Bulk::new(BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"), BulkStatus::New);
    /// bulk.msg_total_count = Some(2);
    /// assert_eq!(bulk.iri().as_str(), "/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// ```
    pub fn new(uuid: BulkId, status_code: BulkStatus) -> Self {
        Self {
            jsonld: JsonLdMeta::default(),
            uuid,
            status_code,
            delivery_at: None,
            sender_id: None,
            text: None,
            phones: None,
            msg_groups: None,
            msg_total_count: None,
            msg_total_cost: None,
            created_at: None,
            processed_at: None,
            ip: None,
            is_unicode: None,
            is_dryrun: None,
            service_code: None,
            key_id: None,
            source: None,
            voice_lang: None,
            is_text_deleted: None,
        }
    }

    /// The campaign's IRI: the server's `@id` when the answer was JSON-LD,
    /// otherwise `/bulks/{uuid}`.
    pub fn iri(&self) -> Iri {
        self.jsonld
            .id
            .clone()
            .unwrap_or_else(|| Iri::of(&self.uuid))
    }
}

impl Client {
    /// Creates a bulk campaign (`POST /bulks`), which LOX24 starts sending at
    /// once or at the delivery time, and returns it as stored.
    /// [`NewBulk::send`] does the same and returns a [`Campaign`] to watch,
    /// wait for or cancel it.
    ///
    /// The input is checked against the spec first; nothing is sent if it
    /// breaks a limit.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, NewBulk};
    ///
    /// let bulk = NewBulk::new("MyShop", "Our sale starts today!").to_group(GroupId::new(7117));
    /// let created = client.create_bulk(&bulk).await?;
    /// println!("campaign {} is {:?}", created.uuid, created.status_code);
    /// # Ok(()) }
    /// ```
    pub async fn create_bulk(&self, bulk: &NewBulk) -> Result<Bulk, Error> {
        let body = bulk.to_wire()?;
        Ok(call::run(self.raw().create_bulk(&body)).await?.value)
    }

    /// A handle on an existing campaign, to read, wait for or cancel it. No
    /// request is sent until one of its methods is called.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let status = client.campaign(id).status().await?;
    /// println!("the campaign is {status}");
    /// # Ok(()) }
    /// ```
    pub fn campaign(&self, id: BulkId) -> Campaign {
        Campaign::new(self.clone(), id)
    }

    /// Reads a whole campaign, recipients and text included (`GET /bulks/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let bulk = client.get_bulk(&id).await?;
    /// println!("{:?} to {:?}", bulk.text, bulk.phones);
    /// # Ok(()) }
    /// ```
    pub async fn get_bulk(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        Ok(call::run(self.raw().get_bulk(id)).await?.value)
    }

    /// Reads a campaign's status view (`GET /bulks/{id}/status`): status,
    /// counts, cost and times, without recipients, sender or text.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let view = client.get_bulk_status(&id).await?;
    /// println!("{}: {:?} messages so far", view.status_code, view.msg_total_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_bulk_status(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        Ok(call::run(self.raw().get_bulk_status(id)).await?.value)
    }

    /// Cancels a campaign (`PUT /bulks/{id}/cancel`) and returns its status
    /// view afterwards. Messages already sent stay sent.
    ///
    /// LOX24 cancels only campaigns that are new (0) or in progress (5); its
    /// refusal (400 or 422) is [`Error::NotCancellable`]. [`Campaign::cancel`]
    /// also refuses before sending when the campaign is known to be finished.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// match client.cancel_bulk(&id).await {
    ///     Ok(view) => println!("now {}", view.status_code),
    ///     Err(lox24::Error::NotCancellable(e)) => println!("too late: {e}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn cancel_bulk(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        match call::run(self.raw().cancel_bulk(id)).await {
            Ok(answer) => Ok(answer.value),
            Err(Error::InvalidInput(refusal) | Error::Unprocessable(refusal)) => {
                Err(NotCancellable::refused(id.clone(), refusal).into())
            }
            Err(other) => Err(other),
        }
    }

    /// Deletes a campaign (`DELETE /bulks/{id}`), also from the itemised
    /// bill: later complaints about its messages cannot be traced.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_bulk(&lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_bulk(&self, id: &BulkId) -> Result<(), Error> {
        id.validate_at("id")?;
        call::run(self.raw().delete_bulk(id)).await?;
        Ok(())
    }

    /// The campaigns that match `query` (`GET /bulks`), page after page, each
    /// as its status view (no recipients, sender or text).
    ///
    /// The query is checked and the first page read before this returns; see
    /// [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use lox24::{BulkQuery, BulkStatus};
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let mut running = client
    ///     .list_bulks(&BulkQuery::new().statuses([BulkStatus::New, BulkStatus::InProgress]))
    ///     .await?;
    /// while let Some(bulk) = running.try_next().await? {
    ///     println!("{} is {}", bulk.uuid, bulk.status_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_bulks(&self, query: &BulkQuery) -> Result<Listing<Bulk>, Error> {
        let first = query.to_iri()?;
        Listing::start(self, "list_bulks", first).await
    }
}
