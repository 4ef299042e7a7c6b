//! One SQL surface over two engines: SQLite (rusqlite) and PostgreSQL (`postgres`).
//!
//! Why a surface of our own rather than an ORM or two copies of every
//! repository: the repositories (patients.rs, clinical.rs, ...) are plain SQL
//! that both dialects accept almost word for word, and they were written
//! against rusqlite's shape (`prepare_cached`, `query_row`, `query_map`,
//! `execute`, `r.get(i)`). [`Db`] keeps exactly that shape, so each query is
//! written once; the few dialect differences are handled here, in one place:
//!
//! - placeholders: `?1` becomes `$1` (see [`pg_sql`]);
//! - `INSERT OR IGNORE` becomes `INSERT ... ON CONFLICT DO NOTHING`;
//! - `instr(a, b)` becomes `strpos(a, b)`;
//! - `COLLATE NOCASE` stays as written: the PostgreSQL schema defines an ICU
//!   collation named `nocase` (case-insensitive, like SQLite's);
//! - the id of the row just inserted: `last_insert_rowid()` / `lastval()`.
//!
//! Values cross as [`Val`] (SQLite's five storage classes). PostgreSQL is
//! strictly typed and `postgres` refuses an `i64` for an `integer` or a
//! `boolean` parameter; [`Val`]'s `ToSql` converts to whatever type the server
//! inferred for the placeholder (checked, never truncating), and its `FromSql`
//! reads any column back as one of the five classes. So `(?1 OR archived = 0)`
//! with a Rust `bool` works on both.
//!
//! Rows are read whole into memory (a `Vec<Row>`): every query here is bounded
//! (pages, one patient's records) except the audit walk and search; search
//! pages its scans with `LIMIT` (see patients.rs).

use crate::{Result, StoreError};
use dermis_core::ids;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

/// One SQL value: SQLite's storage classes, which PostgreSQL's types map onto.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Val {
    fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Int(_) => "integer",
            Val::Real(_) => "real",
            Val::Text(_) => "text",
            Val::Blob(_) => "blob",
        }
    }
}

/// A Rust value that can be bound as a parameter.
pub(crate) trait ToVal {
    fn to_val(&self) -> Val;
}

macro_rules! int_to_val {
    ($($t:ty),*) => {$(
        impl ToVal for $t {
            fn to_val(&self) -> Val {
                Val::Int(*self as i64)
            }
        }
    )*};
}
int_to_val!(i64, i32, i16, i8, u32, u16, u8, usize);

impl ToVal for bool {
    fn to_val(&self) -> Val {
        Val::Int(i64::from(*self))
    }
}
impl ToVal for f64 {
    fn to_val(&self) -> Val {
        Val::Real(*self)
    }
}
impl ToVal for str {
    fn to_val(&self) -> Val {
        Val::Text(self.to_string())
    }
}
impl ToVal for String {
    fn to_val(&self) -> Val {
        Val::Text(self.clone())
    }
}
impl ToVal for [u8] {
    fn to_val(&self) -> Val {
        Val::Blob(self.to_vec())
    }
}
impl ToVal for Vec<u8> {
    fn to_val(&self) -> Val {
        Val::Blob(self.clone())
    }
}
impl ToVal for Val {
    fn to_val(&self) -> Val {
        self.clone()
    }
}
impl<T: ToVal + ?Sized> ToVal for &T {
    fn to_val(&self) -> Val {
        (**self).to_val()
    }
}
impl<T: ToVal> ToVal for Option<T> {
    fn to_val(&self) -> Val {
        self.as_ref().map_or(Val::Null, ToVal::to_val)
    }
}

/// Parameters of one statement.
pub(crate) trait Params {
    fn into_vals(self) -> Vec<Val>;
}
impl Params for Vec<Val> {
    fn into_vals(self) -> Vec<Val> {
        self
    }
}
impl Params for () {
    fn into_vals(self) -> Vec<Val> {
        Vec::new()
    }
}
impl<T: ToVal, const N: usize> Params for [T; N] {
    fn into_vals(self) -> Vec<Val> {
        self.iter().map(ToVal::to_val).collect()
    }
}

/// Like rusqlite's `params!`: each argument by reference, as a [`Val`].
macro_rules! params {
    () => { Vec::<$crate::db::Val>::new() };
    ($($e:expr),+ $(,)?) => { vec![$($crate::db::ToVal::to_val(&$e)),+] };
}
pub(crate) use params;

pub(crate) fn params_from_iter<T: ToVal>(it: impl IntoIterator<Item = T>) -> Vec<Val> {
    it.into_iter().map(|v| v.to_val()).collect()
}

/// A Rust value a column can be read as.
pub(crate) trait FromVal: Sized {
    fn from_val(v: &Val) -> Option<Self>;
}

macro_rules! int_from_val {
    ($($t:ty),*) => {$(
        impl FromVal for $t {
            fn from_val(v: &Val) -> Option<Self> {
                match v {
                    Val::Int(i) => <$t>::try_from(*i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_from_val!(i64, i32, i16, u32, u16, u8, usize);

/// dermis-core's typed ids are stored as the integer they wrap.
macro_rules! id_val {
    ($($t:ident),*) => {$(
        impl ToVal for ids::$t {
            fn to_val(&self) -> Val {
                Val::Int(self.0)
            }
        }
        impl FromVal for ids::$t {
            fn from_val(v: &Val) -> Option<Self> {
                i64::from_val(v).map(ids::$t)
            }
        }
    )*};
}
id_val!(
    PatientId,
    PlanId,
    PlannedSessionId,
    SessionRecordId,
    AssessmentId,
    ScreeningId,
    PhotoId,
    AppointmentId,
    UserId,
    AdverseEventId,
    HealingReportId,
    RecallId,
    RecallContactId,
    ConsentTemplateId,
    ConsentId
);

impl FromVal for bool {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}
impl FromVal for f64 {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Real(f) => Some(*f),
            Val::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromVal for String {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromVal for Vec<u8> {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Blob(b) => Some(b.clone()),
            Val::Text(s) => Some(s.as_bytes().to_vec()),
            _ => None,
        }
    }
}
impl FromVal for Val {
    fn from_val(v: &Val) -> Option<Self> {
        Some(v.clone())
    }
}
impl<T: FromVal> FromVal for Option<T> {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Null => Some(None),
            other => T::from_val(other).map(Some),
        }
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub(crate) struct Row(Vec<Val>);

impl Row {
    /// Column `i` as a `T`; a type that does not fit is an internal error
    /// naming the column's position and class, never its content.
    pub fn get<T: FromVal>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| StoreError::Internal(format!("the query has no column {i}")))?;
        T::from_val(v).ok_or_else(|| {
            StoreError::Internal(format!(
                "column {i} holds a {} that does not fit a {}",
                v.kind(),
                std::any::type_name::<T>()
            ))
        })
    }
}

/// `query_row` found nothing (the same error rusqlite gives, so `.optional()` is one rule).
fn no_rows() -> StoreError {
    StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
}

/// `.optional()` on a single-row read: no row is `None`, not an error.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}
impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A PostgreSQL transaction in progress with the connection's statement cache.
pub(crate) struct PgTx<'c> {
    pub tx: postgres::Transaction<'c>,
    pub stmts: &'c mut HashMap<String, postgres::Statement>,
}

/// The connection a transaction runs on.
pub(crate) enum Db<'c> {
    Sqlite(&'c rusqlite::Connection),
    Pg(RefCell<PgTx<'c>>),
}

/// A statement: rusqlite's prepared-statement shape over either engine.
pub(crate) struct Stmt<'a, 'c> {
    db: &'a Db<'c>,
    sql: String,
}

/// Rows of a `query`, read one at a time like rusqlite's `Rows`.
pub(crate) struct Rows {
    rows: std::vec::IntoIter<Row>,
    cur: Option<Row>,
}

impl Rows {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<&Row>> {
        self.cur = self.rows.next();
        Ok(self.cur.as_ref())
    }
}

impl<'c> Db<'c> {
    pub fn is_pg(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    /// The SQLite connection, for the few SQLite-only operations (backup, schema listing).
    pub fn sqlite(&self) -> Result<&'c rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Ok(c),
            Db::Pg(_) => Err(StoreError::Internal(
                "this operation is only available on an SQLite clinic file".into(),
            )),
        }
    }

    pub fn prepare_cached<'a>(&'a self, sql: &str) -> Result<Stmt<'a, 'c>> {
        Ok(Stmt {
            db: self,
            sql: sql.to_string(),
        })
    }

    pub fn prepare<'a>(&'a self, sql: &str) -> Result<Stmt<'a, 'c>> {
        self.prepare_cached(sql)
    }

    pub fn execute(&self, sql: &str, p: impl Params) -> Result<usize> {
        self.exec_vals(sql, p.into_vals())
    }

    pub fn query_row<T>(
        &self,
        sql: &str,
        p: impl Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let rows = self.rows(sql, p.into_vals())?;
        f(rows.first().ok_or_else(no_rows)?)
    }

    /// Several statements without parameters.
    #[allow(dead_code)] // the backup tests build filler tables with it
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Pg(p) => Ok(p.borrow_mut().tx.batch_execute(sql)?),
        }
    }

    /// The id the last INSERT gave its row (its identity column on PostgreSQL).
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self {
            Db::Sqlite(c) => Ok(c.last_insert_rowid()),
            Db::Pg(_) => self.query_row("SELECT lastval()", (), |r| r.get(0)),
        }
    }

    fn rows(&self, sql: &str, vals: Vec<Val>) -> Result<Vec<Row>> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let n = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(vals.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(from_sqlite(r.get_ref(i)?, i)?);
                    }
                    out.push(Row(row));
                }
                Ok(out)
            }
            Db::Pg(p) => {
                let mut p = p.borrow_mut();
                let st = pg_statement(&mut p, sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    vals.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let rows = p.tx.query(&st, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let mut row = Vec::with_capacity(r.len());
                    for i in 0..r.len() {
                        row.push(r.try_get::<_, Val>(i)?);
                    }
                    out.push(Row(row));
                }
                Ok(out)
            }
        }
    }

    fn exec_vals(&self, sql: &str, vals: Vec<Val>) -> Result<usize> {
        match self {
            Db::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(vals.iter()))?),
            Db::Pg(p) => {
                let mut p = p.borrow_mut();
                let st = pg_statement(&mut p, sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    vals.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                Ok(p.tx.execute(&st, &refs)? as usize)
            }
        }
    }
}

impl Stmt<'_, '_> {
    pub fn execute(&mut self, p: impl Params) -> Result<usize> {
        self.db.exec_vals(&self.sql, p.into_vals())
    }

    pub fn query_row<T>(&mut self, p: impl Params, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        let rows = self.db.rows(&self.sql, p.into_vals())?;
        f(rows.first().ok_or_else(no_rows)?)
    }

    pub fn query_map<T>(
        &mut self,
        p: impl Params,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.db.rows(&self.sql, p.into_vals())?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    pub fn query(&mut self, p: impl Params) -> Result<Rows> {
        Ok(Rows {
            rows: self.db.rows(&self.sql, p.into_vals())?.into_iter(),
            cur: None,
        })
    }
}

pub(crate) fn from_sqlite(v: rusqlite::types::ValueRef<'_>, i: usize) -> Result<Val> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(n) => Val::Int(n),
        ValueRef::Real(f) => Val::Real(f),
        ValueRef::Text(t) => Val::Text(
            String::from_utf8(t.to_vec())
                .map_err(|_| StoreError::Internal(format!("column {i} is not UTF-8 text")))?,
        ),
        ValueRef::Blob(b) => Val::Blob(b.to_vec()),
    })
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(*i),
            Val::Real(f) => ValueRef::Real(*f),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
            Val::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

fn is_text(ty: &Type) -> bool {
    [
        Type::TEXT,
        Type::VARCHAR,
        Type::BPCHAR,
        Type::NAME,
        Type::UNKNOWN,
    ]
    .contains(ty)
}

impl ToSql for Val {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        let mismatch = || -> BoxError {
            format!("a {} cannot be bound to a {} parameter", self.kind(), ty).into()
        };
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                _ if is_text(ty) => i.to_string().to_sql(&Type::TEXT, out),
                _ => Err(mismatch()),
            },
            Val::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Val::Text(s) => match *ty {
                _ if is_text(ty) => s.as_str().to_sql(&Type::TEXT, out),
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.parse::<i32>()?.to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Val::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Val::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Val::Int(i64::from(i16::from_sql(ty, raw)?)),
            Type::OID => Val::Int(i64::from(u32::from_sql(ty, raw)?)),
            Type::BOOL => Val::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Val::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Val::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::BYTEA => Val::Blob(raw.to_vec()),
            _ if is_text(ty) => Val::Text(String::from_sql(&Type::TEXT, raw)?),
            _ => return Err(format!("column type {ty} is not read by Dermis").into()),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The prepared statement for `sql` on this connection, prepared once.
fn pg_statement(p: &mut PgTx<'_>, sql: &str) -> Result<postgres::Statement> {
    if let Some(st) = p.stmts.get(sql) {
        return Ok(st.clone());
    }
    let st = p.tx.prepare(&pg_sql(sql))?;
    p.stmts.insert(sql.to_string(), st.clone());
    Ok(st)
}

/// Rewrites the SQLite spelling of a query into PostgreSQL's (see the module doc).
pub(crate) fn pg_sql(sql: &str) -> String {
    let mut s = String::with_capacity(sql.len() + 24);
    let mut chars = sql.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_str = !in_str;
        }
        if c == '?' && !in_str && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            s.push('$');
        } else {
            s.push(c);
        }
    }
    let mut s = s.replace("instr(", "strpos(");
    if let Some(rest) = s.strip_prefix("INSERT OR IGNORE INTO") {
        s = format!("INSERT INTO{rest} ON CONFLICT DO NOTHING");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_spelling_becomes_postgresql_spelling() {
        assert_eq!(
            pg_sql("SELECT '?1', x FROM t WHERE a = ?1 AND instr(b, ?12) > 0"),
            "SELECT '?1', x FROM t WHERE a = $1 AND strpos(b, $12) > 0"
        );
        assert_eq!(
            pg_sql("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
    }
}
