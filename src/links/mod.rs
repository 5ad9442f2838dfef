//! Short links in messages: short-link campaigns (a named link to a
//! target URL, with the subscription and unsubscription links), the short
//! links made for each message, and the requests made to them.

mod campaigns;
mod query;
mod requests;
mod short_links;

pub use crate::ids::{ShortCode, ShortLinkCampaignCode, ShortLinkRequestId};
pub use campaigns::{NewShortLinkCampaign, ShortLinkCampaign, ShortLinkKind};
pub use query::{ShortLinkCampaignQuery, ShortLinkQuery, ShortLinkRequestQuery};
pub use requests::ShortLinkRequest;
pub use short_links::ShortLink;
