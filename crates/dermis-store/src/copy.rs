//! Moving a single-PC clinic onto the clinic server: every row of an SQLite
//! clinic file copied into an empty PostgreSQL database, then checked.
//!
//! Why this shape: the two schemas have the same tables and columns (see
//! `migrations-pg/0001_schema.sql`), so the copy is table by table, ids
//! included (the identity columns are BY DEFAULT for this), in foreign-key
//! order, streamed from SQLite into PostgreSQL's binary `COPY`, all inside one
//! server transaction under the writer lock: either the whole clinic arrives
//! or none of it. The search index is copied as it is (it is derived from
//! the names by the same Rust folding on both sides). After the commit each
//! table is counted on both sides and the audit log's head compared; the
//! caller, which holds the clinic's audit key, then walks the copied chain.
//!
//! A target that already holds a clinic (a clinic row, a user or a patient)
//! is refused before anything is written.

use crate::db::Val;
use crate::{Result, Store, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::ToSql;

/// The tables copied, parents before children. `app_meta` is not copied:
/// each side keeps its own (its schema version).
pub const COPIED_TABLES: &[&str] = &[
    "clinic",
    "users",
    "rooms",
    "settings",
    "consent_templates",
    "patients",
    "patient_search_terms",
    "screenings",
    "assessments",
    "plans",
    "planned_sessions",
    "recalls",
    "recall_contacts",
    "session_records",
    "healing_reports",
    "adverse_events",
    "photos",
    "consents",
    "documents",
    "appointments",
    "audit_log",
];

/// Tables only the clinic server has: the photos' bytes (files beside an
/// SQLite database). A copy fills them from those files; a server backup
/// and restore carry them with the rest.
pub const SERVER_ONLY_TABLES: &[&str] = &["photo_files"];

/// What a copy moved: rows per table on each side, and each side's audit head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// (table, rows in the SQLite file, rows on the server); `photo_files`
    /// counts the distinct pictures the file's photo rows name against the
    /// pictures that arrived (a picture whose file is missing does not).
    pub tables: Vec<(String, i64, i64)>,
    pub source_audit: (i64, String),
    pub target_audit: (i64, String),
}

impl CopyReport {
    /// True when every table and the audit head agree.
    pub fn matches(&self) -> bool {
        self.source_audit == self.target_audit && self.tables.iter().all(|(_, a, b)| a == b)
    }
}

impl Store {
    /// Copies this SQLite clinic into `target`, an empty clinic server
    /// database (see the module doc). Refuses a target that holds a clinic.
    pub fn copy_to_server(&mut self, target: &mut Store) -> Result<CopyReport> {
        self.refuse_on_server("copying from").map_err(|_| {
            StoreError::Internal("the source of a copy must be an SQLite clinic file".into())
        })?;
        let Some(pg) = &target.pg else {
            return Err(StoreError::Internal(
                "the target of a copy must be a clinic server (a postgresql:// URL)".into(),
            ));
        };
        let src = &self.conn;
        {
            let mut pg = pg.borrow_mut();
            let mut tx = pg.client.transaction()?;
            tx.execute(
                "SELECT pg_advisory_xact_lock($1)",
                &[&crate::pg::WRITER_LOCK],
            )?;
            let held: i64 = tx
                .query_one(
                    "SELECT (SELECT count(*) FROM clinic) + (SELECT count(*) FROM users) + (SELECT count(*) FROM patients)",
                    &[],
                )?
                .get(0);
            if held > 0 {
                return Err(StoreError::Conflict(
                    "The clinic server's database already holds a clinic; Dermis copies only into an empty one. Nothing was copied.".into(),
                ));
            }
            for table in COPIED_TABLES {
                let cols: Vec<String> = {
                    let mut st = src.prepare(&format!(
                        "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
                    ))?;
                    let names = st.query_map([], |r| r.get::<_, String>(0))?;
                    names.collect::<rusqlite::Result<_>>()?
                };
                let list = cols.join(", ");
                let probe = tx.prepare(&format!("SELECT {list} FROM {table} LIMIT 0"))?;
                let types: Vec<_> = probe.columns().iter().map(|c| c.type_().clone()).collect();
                let sink = tx.copy_in(&format!("COPY {table} ({list}) FROM STDIN BINARY"))?;
                let mut writer = BinaryCopyInWriter::new(sink, &types);
                let mut st = src.prepare(&format!("SELECT {list} FROM {table}"))?;
                let mut rows = st.query([])?;
                let mut vals: Vec<Val> = Vec::with_capacity(cols.len());
                while let Some(r) = rows.next()? {
                    vals.clear();
                    for i in 0..cols.len() {
                        vals.push(crate::db::from_sqlite(r.get_ref(i)?, i)?);
                    }
                    let refs: Vec<&(dyn ToSql + Sync)> =
                        vals.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                    writer.write(&refs)?;
                }
                writer.finish()?;
                if cols.iter().any(|c| c == "id") && *table != "clinic" {
                    // The next id the server hands out follows the copied ones.
                    tx.batch_execute(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                    ))?;
                }
            }
            // The pictures: the files beside the SQLite database become
            // `photo_files` rows, in the same transaction.
            let root = self.path().map(crate::files::photos_dir);
            let mut st = src.prepare("SELECT DISTINCT sha256, mime FROM photos ORDER BY sha256")?;
            let named: Vec<(String, String)> = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (sha, mime) in named {
                let Some(root) = &root else { break };
                if !crate::files::is_content_address(&sha) {
                    continue;
                }
                let ext = if mime == "image/png" { "png" } else { "jpg" };
                // An encrypted clinic keeps its pictures inside the file.
                let inside: Option<(Vec<u8>, Vec<u8>)> = src
                    .query_row(
                        "SELECT photo, thumb FROM photo_files WHERE sha256 = ?1",
                        [&sha],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .ok();
                let (photo, thumb) = match inside {
                    Some((p, t)) => (Ok(p), Ok(t)),
                    None => (
                        std::fs::read(crate::files::photo_path(root, &sha, ext)),
                        std::fs::read(crate::files::thumb_path(root, &sha)),
                    ),
                };
                if let (Ok(photo), Ok(thumb)) = (photo, thumb) {
                    tx.execute(
                        "INSERT INTO photo_files (sha256, photo, thumb) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
                        &[&sha, &photo, &thumb],
                    )?;
                }
            }
            tx.commit()?;
        }
        let mut tables = Vec::new();
        for table in COPIED_TABLES {
            let sql = format!("SELECT count(*) FROM {table}");
            let a: i64 = src.query_row(&sql, [], |r| r.get(0))?;
            let b: i64 = pg.borrow_mut().client.query_one(sql.as_str(), &[])?.get(0);
            tables.push((table.to_string(), a, b));
        }
        let named: i64 = src.query_row("SELECT count(DISTINCT sha256) FROM photos", [], |r| {
            r.get(0)
        })?;
        let arrived: i64 = pg
            .borrow_mut()
            .client
            .query_one("SELECT count(*) FROM photo_files", &[])?
            .get(0);
        tables.push(("photo_files".to_string(), named, arrived));
        Ok(CopyReport {
            tables,
            source_audit: self.audit_head()?,
            target_audit: target.audit_head()?,
        })
    }
}
