//! The sandbox's data: groups, their entries and campaigns, with the ids
//! they are given; messages, replies, blocked numbers, fraud checks,
//! short-link campaigns and the account's balance. In memory only; gone
//! when the sandbox stops.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    time::SystemTime,
};

use super::{
    keyed::Keyed,
    records::{BlockedRec, FraudRec, IncomingRec, LinkCampaignRec, SmsRec},
};

/// The five extra columns, `a` to `e`.
pub(crate) type Columns = [Option<String>; 5];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GroupRec {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The labels of the columns (`name_a` … `name_e`).
    pub(crate) column_names: Columns,
    /// The entries, in the order they were added (ids only grow).
    pub(crate) phones: BTreeSet<u64>,
}

/// The fields of a group a client sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GroupFields {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) column_names: Columns,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhoneRec {
    pub(crate) id: u64,
    pub(crate) group: u64,
    pub(crate) fields: PhoneFields,
}

/// The fields of an entry a client sets; `phone` in E.164 form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhoneFields {
    pub(crate) phone: String,
    pub(crate) columns: Columns,
    pub(crate) callback_data: Option<String>,
}

/// A campaign as created; its status follows from the clock (see `lifecycle`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BulkRec {
    pub(crate) uuid: String,
    /// Creation order, to break ties between campaigns of the same second.
    pub(crate) seq: u64,
    pub(crate) sender_id: String,
    pub(crate) text: String,
    pub(crate) phones: Option<Vec<String>>,
    pub(crate) msg_groups: Option<Vec<u64>>,
    /// As given, `direct` when not.
    pub(crate) service_code: String,
    /// As given: 0 means at once.
    pub(crate) delivery_at: i64,
    pub(crate) is_unicode: Option<bool>,
    pub(crate) is_text_deleted: bool,
    pub(crate) source: Option<i64>,
    pub(crate) voice_lang: Option<String>,
    pub(crate) key_id: u64,
    pub(crate) ip: String,
    pub(crate) is_dryrun: bool,
    pub(crate) created_at: SystemTime,
    /// When sending starts: the delivery time, or the creation.
    pub(crate) starts_at: SystemTime,
    /// Distinct recipients found.
    pub(crate) recipients: u64,
    /// Messages (SMS parts) the campaign creates in all.
    pub(crate) messages: u64,
    /// Price of one message, in millionths of the currency unit.
    pub(crate) price_micros: u64,
    pub(crate) cancelled_at: Option<SystemTime>,
}

/// The account's credit, in millionths of a euro.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Balance {
    pub(crate) micros: u64,
    /// The last charge or refund.
    pub(crate) changed_at: Option<SystemTime>,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    last_group: u64,
    last_phone: u64,
    last_bulk: u64,
    last_blocked: u64,
    groups: BTreeMap<u64, GroupRec>,
    phones: BTreeMap<u64, PhoneRec>,
    bulks: HashMap<String, BulkRec>,
    blocked: BTreeMap<u64, BlockedRec>,
    pub(crate) sms: Keyed<SmsRec>,
    pub(crate) incomings: Keyed<IncomingRec>,
    pub(crate) fraud_checks: Keyed<FraudRec>,
    pub(crate) link_campaigns: Keyed<LinkCampaignRec>,
    pub(crate) balance: Balance,
}

impl Store {
    /// An empty store whose account has this credit.
    pub(crate) fn with_balance(micros: u64) -> Self {
        Self {
            balance: Balance {
                micros,
                changed_at: None,
            },
            ..Self::default()
        }
    }

    /// Takes `micros` from the balance if it covers them.
    pub(crate) fn charge(&mut self, micros: u64, now: SystemTime) -> bool {
        match self.balance.micros.checked_sub(micros) {
            Some(left) => {
                if micros > 0 {
                    self.balance = Balance {
                        micros: left,
                        changed_at: Some(now),
                    };
                }
                true
            }
            None => false,
        }
    }

    /// Gives `micros` back (a message that will not be sent).
    pub(crate) fn refund(&mut self, micros: u64, now: SystemTime) {
        if micros > 0 {
            self.balance = Balance {
                micros: self.balance.micros.saturating_add(micros),
                changed_at: Some(now),
            };
        }
    }

    /// Blocks a number; `None` if it is blocked already.
    pub(crate) fn block(
        &mut self,
        number: String,
        kind: u8,
        now: SystemTime,
    ) -> Option<&BlockedRec> {
        if self.is_blocked(&number) {
            return None;
        }
        self.last_blocked += 1;
        let id = self.last_blocked;
        Some(self.blocked.entry(id).or_insert(BlockedRec {
            id,
            number,
            kind,
            added_at: now,
        }))
    }

    pub(crate) fn is_blocked(&self, number: &str) -> bool {
        self.blocked.values().any(|b| b.number == number)
    }

    pub(crate) fn blocked_number(&self, id: u64) -> Option<&BlockedRec> {
        self.blocked.get(&id)
    }

    /// Every blocked number, by id.
    pub(crate) fn blocked_numbers(&self) -> impl Iterator<Item = &BlockedRec> {
        self.blocked.values()
    }

    pub(crate) fn unblock(&mut self, id: u64) -> bool {
        self.blocked.remove(&id).is_some()
    }

    pub(crate) fn create_group(&mut self, fields: GroupFields) -> u64 {
        self.last_group += 1;
        let id = self.last_group;
        self.groups.insert(
            id,
            GroupRec {
                id,
                name: fields.name,
                description: fields.description,
                column_names: fields.column_names,
                phones: BTreeSet::new(),
            },
        );
        id
    }

    pub(crate) fn group(&self, id: u64) -> Option<&GroupRec> {
        self.groups.get(&id)
    }

    /// Every group, by id.
    pub(crate) fn groups(&self) -> impl ExactSizeIterator<Item = &GroupRec> {
        self.groups.values()
    }

    pub(crate) fn update_group(&mut self, id: u64, fields: GroupFields) -> Option<&GroupRec> {
        let group = self.groups.get_mut(&id)?;
        group.name = fields.name;
        group.description = fields.description;
        group.column_names = fields.column_names;
        Some(group)
    }

    /// Deletes the group and all its entries.
    pub(crate) fn delete_group(&mut self, id: u64) -> bool {
        let Some(group) = self.groups.remove(&id) else {
            return false;
        };
        for phone in group.phones {
            self.phones.remove(&phone);
        }
        true
    }

    /// Adds an entry to an existing group; `None` if there is no such group.
    pub(crate) fn add_phone(&mut self, group: u64, fields: PhoneFields) -> Option<&PhoneRec> {
        let owner = self.groups.get_mut(&group)?;
        self.last_phone += 1;
        let id = self.last_phone;
        owner.phones.insert(id);
        Some(
            self.phones
                .entry(id)
                .or_insert(PhoneRec { id, group, fields }),
        )
    }

    pub(crate) fn phone(&self, id: u64) -> Option<&PhoneRec> {
        self.phones.get(&id)
    }

    /// The entries of a group, in the order they were added.
    pub(crate) fn group_phones(&self, group: &GroupRec) -> impl Iterator<Item = &PhoneRec> {
        group.phones.iter().filter_map(|id| self.phones.get(id))
    }

    pub(crate) fn update_phone(&mut self, id: u64, fields: PhoneFields) -> Option<&PhoneRec> {
        let phone = self.phones.get_mut(&id)?;
        phone.fields = fields;
        Some(phone)
    }

    pub(crate) fn delete_phone(&mut self, id: u64) -> bool {
        let Some(phone) = self.phones.remove(&id) else {
            return false;
        };
        if let Some(group) = self.groups.get_mut(&phone.group) {
            group.phones.remove(&id);
        }
        true
    }

    /// The next campaign sequence number.
    pub(crate) fn next_bulk_seq(&mut self) -> u64 {
        self.last_bulk += 1;
        self.last_bulk
    }

    pub(crate) fn insert_bulk(&mut self, bulk: BulkRec) {
        self.bulks.insert(bulk.uuid.clone(), bulk);
    }

    pub(crate) fn bulk(&self, uuid: &str) -> Option<&BulkRec> {
        self.bulks.get(uuid)
    }

    pub(crate) fn bulk_mut(&mut self, uuid: &str) -> Option<&mut BulkRec> {
        self.bulks.get_mut(uuid)
    }

    pub(crate) fn bulks(&self) -> impl Iterator<Item = &BulkRec> {
        self.bulks.values()
    }

    pub(crate) fn delete_bulk(&mut self, uuid: &str) -> bool {
        self.bulks.remove(uuid).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(phone: &str) -> PhoneFields {
        PhoneFields {
            phone: phone.into(),
            columns: Default::default(),
            callback_data: None,
        }
    }

    fn fields(name: &str) -> GroupFields {
        GroupFields {
            name: name.into(),
            description: None,
            column_names: Default::default(),
        }
    }

    #[test]
    fn ids_grow_and_are_never_reused() {
        let mut store = Store::default();
        let (a, b) = (
            store.create_group(fields("a")),
            store.create_group(fields("b")),
        );
        assert_eq!((a, b), (1, 2));
        assert!(store.delete_group(b));
        assert_eq!(store.create_group(fields("c")), 3);
        let p1 = store.add_phone(a, entry("+491")).unwrap().id;
        let p2 = store.add_phone(a, entry("+492")).unwrap().id;
        assert_eq!((p1, p2), (1, 2));
        assert!(store.add_phone(99, entry("+493")).is_none());
    }

    #[test]
    fn charges_need_the_credit_and_refunds_give_it_back() {
        let now = SystemTime::UNIX_EPOCH;
        let mut store = Store::with_balance(100);
        assert!(store.charge(60, now));
        assert!(!store.charge(41, now));
        assert_eq!(store.balance.micros, 40);
        store.refund(10, now);
        assert_eq!(
            store.balance,
            Balance {
                micros: 50,
                changed_at: Some(now)
            }
        );
    }

    #[test]
    fn a_number_is_blocked_once() {
        let now = SystemTime::UNIX_EPOCH;
        let mut store = Store::default();
        assert_eq!(
            store.block("+491701234567".into(), 1, now).map(|b| b.id),
            Some(1)
        );
        assert!(store.block("+491701234567".into(), 1, now).is_none());
        assert!(store.is_blocked("+491701234567"));
        assert!(store.unblock(1) && !store.unblock(1));
        assert_eq!(
            store.block("+491701234567".into(), 1, now).map(|b| b.id),
            Some(2)
        );
    }

    #[test]
    fn deleting_a_group_deletes_its_entries() {
        let mut store = Store::default();
        let (a, b) = (
            store.create_group(fields("a")),
            store.create_group(fields("b")),
        );
        let kept = store.add_phone(b, entry("+49170")).unwrap().id;
        let gone = store.add_phone(a, entry("+49171")).unwrap().id;
        store.delete_group(a);
        assert!(store.phone(gone).is_none());
        assert!(store.phone(kept).is_some());
        assert!(store.delete_phone(kept));
        assert!(store.group(b).unwrap().phones.is_empty());
        assert!(!store.delete_phone(kept));
    }
}
