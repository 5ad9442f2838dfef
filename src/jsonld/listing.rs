//! Listings: every page of a Hydra collection as one stream of items.
//!
//! Why the pages are requested here and not through the generated methods:
//! the next page is named by the server's `hydra:next` IRI, which already
//! carries every filter and the page number, and the generated methods can
//! only build a request from typed parameters. Following the IRI as given is
//! the only way that never computes page numbers. The first page goes the
//! same way (from an IRI the resource module builds), because some filters
//! LOX24 documents (`status_code[]`) cannot be in the spec: progenitor's mock
//! helpers do not compile with array query parameters (progenitor #1260).
//!
//! Every page request goes through the transport as its operation
//! (`Operation::ListBulks`, …), so it carries the same credentials, `Accept`
//! header, tracing span and retry policy as a generated call, and its errors
//! are mapped the same way.

use std::{
    collections::HashSet,
    fmt,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::{
    Client, Error, HydraCollection, Iri,
    error::UnexpectedResponse,
    transport::{Operation, Transport},
};

/// A page being read, with the IRI it was read at.
type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(Iri, HydraCollection<T>), Error>> + Send>>;

/// The most pages a listing reads unless told otherwise
/// ([`Listing::max_pages`], [`ClientBuilder::max_listing_pages`](crate::ClientBuilder::max_listing_pages)):
/// 10,000, some 300,000 items at API Platform's default of 30 per page.
pub const DEFAULT_MAX_LISTING_PAGES: u32 = 10_000;

/// A listing reached its page limit and still had a next page: the error
/// ends the stream instead of following links for ever.
///
/// ```
/// # fn show(error: &lox24::Error) {
/// if let lox24::Error::PageLimit(limit) = error {
///     eprintln!("stopped after {} pages; the next was {}", limit.limit(), limit.next());
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the listing stopped after {limit} pages, its limit, with a next page still linked ({next}); \
     raise the limit with Listing::max_pages or ClientBuilder::max_listing_pages"
)]
pub struct PageLimit {
    limit: u32,
    next: Iri,
}

impl PageLimit {
    /// How many pages were read.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The link to the page that was not read.
    pub fn next(&self) -> &Iri {
        &self.next
    }
}

/// Every item of a LOX24 collection, page after page, as a
/// [`Stream`](futures_core::Stream) of `Result<T, Error>`.
///
/// The first page is read when the listing is created, so its errors come
/// from the call that creates it and [`Listing::total_items`] is known at
/// once. The next page is requested only when the items of the previous one
/// are used up, by following the server's `hydra:next` link (never by
/// counting pages); dropping the listing requests nothing more. A page that
/// fails ends the stream with its error.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
/// let mut groups = client.list_groups().await?;
/// println!("{:?} groups in all", groups.total_items());
/// while let Some(group) = groups.try_next().await? {
///     println!("{} ({} entries)", group.name, group.count_items);
/// }
///
/// // Or all at once:
/// let all: Vec<lox24::Group> = client.list_groups().await?.try_collect().await?;
/// # Ok(()) }
/// ```
#[must_use = "a listing does nothing unless its items are read"]
pub struct Listing<T> {
    transport: Arc<Transport>,
    operation: Operation,
    items: std::vec::IntoIter<T>,
    next: Option<Iri>,
    pending: Option<PageFuture<T>>,
    /// The pages already requested, so that links in a circle end the stream
    /// with an error instead of looping for ever.
    visited: HashSet<String>,
    total_items: Option<u64>,
    /// The most pages requested; more would be [`Error::PageLimit`].
    max_pages: u32,
}

// No field is ever pinned in place: the page future is boxed.
impl<T> Unpin for Listing<T> {}

impl<T: DeserializeOwned + Send + 'static> Listing<T> {
    /// Reads the first page at `first` (a path with its query, such as
    /// `/bulks?status_code=10`) as operation `operation`.
    pub(crate) async fn start(
        client: &Client,
        operation: Operation,
        first: Iri,
    ) -> Result<Self, Error> {
        let mut listing = Self {
            transport: client.transport.clone(),
            operation,
            items: Vec::new().into_iter(),
            next: None,
            pending: None,
            visited: HashSet::new(),
            total_items: None,
            max_pages: client.transport.limits().max_listing_pages,
        };
        let (_, page) = listing.request(&first)?.await?;
        listing.total_items = page.total_items;
        listing.accept(&first, page)?;
        Ok(listing)
    }

    /// The request for one page, or why its link cannot be followed.
    fn request(&mut self, iri: &Iri) -> Result<PageFuture<T>, Error> {
        let path = path_for(iri)?;
        if self.visited.len() >= self.max_pages as usize {
            return Err(PageLimit {
                limit: self.max_pages,
                next: iri.clone(),
            }
            .into());
        }
        if !self.visited.insert(path.clone()) {
            return Err(UnexpectedResponse::new(
                None,
                None,
                format!("the next-page link {iri} leads to a page already read"),
                b"",
            )
            .into());
        }
        let (transport, operation) = (self.transport.clone(), self.operation);
        let request = transport.request(operation, &path, None)?;
        let iri = iri.clone();
        Ok(Box::pin(async move {
            let page = transport.fetch_json(operation, request).await?.value;
            Ok((iri, page))
        }))
    }

    /// Takes the items of the page read at `iri`. A page without items
    /// that links to another is refused: a collection's pages are full but
    /// for the last, so such links could only lead on through empty pages.
    fn accept(&mut self, iri: &Iri, page: HydraCollection<T>) -> Result<(), Error> {
        let next = page.next().cloned();
        if let (true, Some(next)) = (page.members.is_empty(), &next) {
            return Err(UnexpectedResponse::new(
                None,
                None,
                format!(
                    "the page {iri} has no items but links to a next page ({next}); \
                     the listing stops rather than follow empty pages"
                ),
                b"",
            )
            .into());
        }
        self.next = next;
        self.items = page.members.into_iter();
        Ok(())
    }
}

impl<T> Listing<T> {
    /// Reads at most `pages` pages in all, the first included (default
    /// [`DEFAULT_MAX_LISTING_PAGES`], or the client's
    /// [`ClientBuilder::max_listing_pages`](crate::ClientBuilder::max_listing_pages)):
    /// a next page past the limit ends the stream with [`Error::PageLimit`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let all: Vec<lox24::Bulk> = client
    ///     .list_bulks(&lox24::BulkQuery::new())
    ///     .await?
    ///     .max_pages(50_000)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages;
        self
    }

    /// How many pages were requested so far, the first included.
    pub(crate) fn pages_read(&self) -> usize {
        self.visited.len()
    }

    /// How many items the whole collection holds (`hydra:totalItems` of the
    /// first page), when the server said.
    pub fn total_items(&self) -> Option<u64> {
        self.total_items
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Listing<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = this.pending.as_mut() {
                let page = std::task::ready!(pending.as_mut().poll(cx));
                this.pending = None;
                let accepted = page.and_then(|(iri, page)| this.accept(&iri, page));
                if let Err(error) = accepted {
                    return Poll::Ready(Some(Err(error)));
                }
                continue;
            }
            let Some(next) = this.next.take() else {
                return Poll::Ready(None);
            };
            match this.request(&next) {
                Ok(request) => this.pending = Some(request),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.items.len();
        let more = self.next.is_some() || self.pending.is_some();
        (buffered, (!more).then_some(buffered))
    }
}

impl<T> fmt::Debug for Listing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("operation", &self.operation)
            .field("buffered", &self.items.len())
            .field("next", &self.next)
            .field("total_items", &self.total_items)
            .finish_non_exhaustive()
    }
}

/// The path and query of a page, to be requested on the client's base URL.
/// A host in the IRI is ignored on purpose: the credentials go to the
/// configured base URL only, whatever a link says.
pub(crate) fn path_for(iri: &Iri) -> Result<String, Error> {
    let path = iri.path();
    if !path.starts_with('/') {
        return Err(UnexpectedResponse::new(
            None,
            None,
            format!("the page link {iri} has no absolute path"),
            b"",
        )
        .into());
    }
    Ok(match iri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_path_and_query_and_drop_a_foreign_host() {
        for (iri, path) in [
            ("/bulks?page=2", "/bulks?page=2"),
            (
                "https://elsewhere.example/bulks?_order%5Bcreated_at%5D=desc&page=3",
                "/bulks?_order%5Bcreated_at%5D=desc&page=3",
            ),
            ("/groups/7/phones", "/groups/7/phones"),
        ] {
            assert_eq!(path_for(&Iri::new(iri)).unwrap(), path, "{iri}");
        }
        assert!(path_for(&Iri::new("bulks?page=2")).is_err());
    }
}
