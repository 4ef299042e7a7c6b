//! Converting between stored columns and Dermis values, in one place.

use crate::db::Row;
use crate::{Result, StoreError};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

pub(crate) fn json_col<T: DeserializeOwned>(r: &Row, i: usize) -> Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s)
        .map_err(|e| StoreError::Internal(format!("column {i} is not the JSON expected: {e}")))
}

pub(crate) fn date_col(r: &Row, i: usize) -> Result<NaiveDate> {
    let s: String = r.get(i)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|e| StoreError::Internal(format!("column {i} is not a date: {e}")))
}

pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn text_enum<T>(r: &Row, i: usize, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| StoreError::Internal(format!("column {i} holds an unknown value")))
}
