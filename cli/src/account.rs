//! `lox24 account`: the balance, currency and services of the account.

use clap::Args;

use crate::{
    context::Context,
    failure::{CliError, Exit},
};

/// `lox24 account` takes no options of its own.
#[derive(Debug, Args)]
pub struct Command {}

pub async fn run(_: Command, cx: &Context) -> Result<Exit, CliError> {
    let account = cx
        .client()?
        .account()
        .await
        .map_err(|e| CliError::from(e).doing("read the account"))?;
    cx.out.show(&account)?;
    Ok(Exit::Success)
}
