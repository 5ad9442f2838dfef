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
//! Every page request still runs through the generated client's hooks under
//! the operation's own id (`list_bulks`, …), so it carries the same
//! credentials, `Accept` header, tracing span and retry policy as any
//! generated call, and its errors are mapped by [`call::run`].

use std::{
    collections::HashSet,
    fmt,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use futures_core::Stream;
use progenitor_client::{ByteStream, ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::{Client, Error, HydraCollection, Iri, api, call, error::UnexpectedResponse};

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<HydraCollection<T>, Error>> + Send>>;

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
    raw: api::Client,
    operation: &'static str,
    items: std::vec::IntoIter<T>,
    next: Option<Iri>,
    pending: Option<PageFuture<T>>,
    /// The pages already requested, so that links in a circle end the stream
    /// with an error instead of looping for ever.
    visited: HashSet<String>,
    total_items: Option<u64>,
}

// No field is ever pinned in place: the page future is boxed.
impl<T> Unpin for Listing<T> {}

impl<T: DeserializeOwned + Send + 'static> Listing<T> {
    /// Reads the first page at `first` (a path with its query, such as
    /// `/bulks?status_code=10`) as operation `operation`.
    pub(crate) async fn start(
        client: &Client,
        operation: &'static str,
        first: Iri,
    ) -> Result<Self, Error> {
        let mut listing = Self {
            raw: client.raw().clone(),
            operation,
            items: Vec::new().into_iter(),
            next: None,
            pending: None,
            visited: HashSet::new(),
            total_items: None,
        };
        let page = listing.request(&first)?.await?;
        listing.total_items = page.total_items;
        listing.accept(page);
        Ok(listing)
    }

    /// The request for one page, or why its link cannot be followed.
    fn request(&mut self, iri: &Iri) -> Result<PageFuture<T>, Error> {
        let url = url_for(self.raw.baseurl(), iri)?;
        if !self.visited.insert(url.clone()) {
            return Err(UnexpectedResponse::new(
                None,
                None,
                format!("the next-page link {iri} leads to a page already read"),
                b"",
            )
            .into());
        }
        let (raw, operation) = (self.raw.clone(), self.operation);
        Ok(Box::pin(async move {
            Ok(call::run(get_page(&raw, operation, url)).await?.value)
        }))
    }

    fn accept(&mut self, page: HydraCollection<T>) {
        self.next = page.next().cloned();
        self.items = page.members.into_iter();
    }
}

impl<T> Listing<T> {
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
                match page {
                    Ok(page) => this.accept(page),
                    Err(error) => return Poll::Ready(Some(Err(error))),
                }
                // An empty page with a next link: go on to the next one.
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

/// The absolute URL of a page: the IRI's path and query on the client's base
/// URL. A host in the IRI is ignored on purpose: the credentials go to the
/// configured base URL only, whatever a link says.
fn url_for(base_url: &str, iri: &Iri) -> Result<String, Error> {
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
        Some(query) => format!("{base_url}{path}?{query}"),
        None => format!("{base_url}{path}"),
    })
}

/// One GET as a generated method would send it, through the same hooks.
async fn get_page<T: DeserializeOwned>(
    raw: &api::Client,
    operation: &'static str,
    url: String,
) -> Result<ResponseValue<T>, progenitor_client::Error<ByteStream>> {
    use progenitor_client::Error as Raw;
    let mut request = raw
        .client()
        .get(&url)
        .build()
        .map_err(|e| Raw::InvalidRequest(format!("cannot request {url}: {e}")))?;
    let info = OperationInfo {
        operation_id: operation,
    };
    raw.pre(&mut request, &info).await?;
    let result = raw.exec(request, &info).await;
    raw.post(&result, &info).await?;
    let response = result?;
    if response.status() != StatusCode::OK {
        // `call::run` maps every other status like a generated call's.
        return Err(Raw::UnexpectedResponse(response));
    }
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.bytes().await.map_err(Raw::ResponseBodyError)?;
    let value = serde_json::from_slice(&body).map_err(|e| Raw::InvalidResponsePayload(body, e))?;
    Ok(ResponseValue::new(value, status, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_keep_the_base_and_drop_a_foreign_host() {
        let base = "http://127.0.0.1:8080/prefix";
        for (iri, url) in [
            ("/bulks?page=2", "http://127.0.0.1:8080/prefix/bulks?page=2"),
            (
                "https://elsewhere.example/bulks?_order%5Bcreated_at%5D=desc&page=3",
                "http://127.0.0.1:8080/prefix/bulks?_order%5Bcreated_at%5D=desc&page=3",
            ),
            (
                "/groups/7/phones",
                "http://127.0.0.1:8080/prefix/groups/7/phones",
            ),
        ] {
            assert_eq!(url_for(base, &Iri::new(iri)).unwrap(), url, "{iri}");
        }
        assert!(url_for(base, &Iri::new("bulks?page=2")).is_err());
    }
}
