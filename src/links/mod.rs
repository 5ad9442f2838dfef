//! Short links in messages: short-link campaigns (a named link to a
//! target URL, with the subscription and unsubscription links), the short
//! links made for each message, and the requests made to them.
//!
//! ```
//! use lox24::links::{NewShortLinkCampaign, ShortLinkKind};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = lox24_sandbox::Sandbox::start().await?;
//! # let client = sandbox.client()?;
//! let sale = NewShortLinkCampaign::new(
//!     "Winter sale",
//!     "https://shop.example/sale",
//!     ShortLinkKind::PerMessage,
//! );
//! let created = client.create_short_link_campaign(&sale).await?;
//! let code = created.id.expect("LOX24 names the campaign by a code");
//!
//! let read = client.get_short_link_campaign(&code).await?;
//! assert_eq!(read.url.as_deref(), Some("https://shop.example/sale"));
//! assert_eq!(read.kind, Some(ShortLinkKind::PerMessage));
//! # Ok(()) }
//! ```

mod campaigns;
mod query;
mod requests;
mod short_links;

pub use crate::ids::{ShortCode, ShortLinkCampaignCode, ShortLinkRequestId};
pub use campaigns::{NewShortLinkCampaign, ShortLinkCampaign, ShortLinkKind};
pub use query::{ShortLinkCampaignQuery, ShortLinkQuery, ShortLinkRequestQuery};
pub use requests::ShortLinkRequest;
pub use short_links::ShortLink;
