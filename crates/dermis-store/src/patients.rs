//! Patients and their search index.

use crate::columns::{date_col, ymd};
use crate::db::{params, params_from_iter, OptionalExtension, Row, Val};
use crate::{Result, StoreError, Tx};
use dermis_core::fold::{self, TermKind};
use dermis_core::patient::ValidPatient;
use dermis_core::search::{format_patient_number, ParsedQuery};
use dermis_core::{Patient, PatientPage, PatientSummary, Sex};
use std::collections::HashSet;

const PATIENT_COLUMNS: &str =
    "id, number_seq, first_name, last_name, date_of_birth, sex, phone, email, \
     address, preferred_language, notes, archived, version, created_at, updated_at, merged_into, \
     (SELECT k.number_seq FROM patients k WHERE k.id = patients.merged_into)";
const SUMMARY_COLUMNS: &str =
    "id, number_seq, first_name, last_name, date_of_birth, phone, archived";

fn patient_from_row(r: &Row) -> Result<Patient> {
    Ok(Patient {
        id: r.get(0)?,
        patient_number: format_patient_number(r.get(1)?),
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        date_of_birth: date_col(r, 4)?,
        sex: r.get::<Option<String>>(5)?.as_deref().and_then(Sex::parse),
        phone: r.get(6)?,
        email: r.get(7)?,
        address: r.get(8)?,
        preferred_language: r.get(9)?,
        notes: r.get(10)?,
        archived: r.get(11)?,
        version: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        merged_into: r.get(15)?,
        merged_into_number: r.get::<Option<i64>>(16)?.map(format_patient_number),
    })
}

fn summary_from_row(r: &Row) -> Result<PatientSummary> {
    Ok(PatientSummary {
        id: r.get(0)?,
        patient_number: format_patient_number(r.get(1)?),
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        date_of_birth: date_col(r, 4)?,
        phone: r.get(5)?,
        archived: r.get(6)?,
    })
}

fn search_text(p: &ValidPatient) -> String {
    fold::name_search_text(&p.first_name, &p.last_name)
}

fn sort_key(p: &ValidPatient) -> String {
    format!(
        "{}\u{1}{}",
        fold::fold(&p.last_name),
        fold::fold(&p.first_name)
    )
}

/// `?1` = `key` (number or id), `?2`..`?12` = the patient's columns, `?13` = `now`:
/// the one binding both INSERT and UPDATE use.
fn patient_values(key: i64, p: &ValidPatient, now: &str) -> Vec<Val> {
    let text = |s: &str| Val::Text(s.to_string());
    vec![
        Val::Int(key),
        text(&p.first_name),
        text(&p.last_name),
        text(&ymd(p.date_of_birth)),
        p.sex.map_or(Val::Null, |s| text(s.as_str())),
        text(&p.phone),
        text(&p.email),
        text(&p.address),
        text(&p.preferred_language),
        text(&p.notes),
        Val::Text(search_text(p)),
        Val::Text(sort_key(p)),
        text(now),
    ]
}

/// Just past every string that starts with `prefix` (SQLite compares TEXT bytewise).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

impl Tx<'_> {
    pub fn patient(&self, id: i64) -> Result<Option<Patient>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {PATIENT_COLUMNS} FROM patients WHERE id = ?1"
            ))?
            .query_row([id], patient_from_row)
            .optional()
    }

    fn patient_or_not_found(&self, id: i64) -> Result<Patient> {
        self.patient(id)?
            .ok_or_else(|| StoreError::NotFound(format!("Patient {id}")))
    }

    /// The ids of the first `limit` patients registered (demo data, scripts).
    pub fn first_patient_ids(&self, limit: u32) -> Result<Vec<i64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM patients WHERE archived = 0 ORDER BY id LIMIT ?1")?;
        let rows = st.query_map([limit], |r| r.get(0))?;
        rows.collect::<Result<_>>()
    }

    /// Every patient's id, archived ones included, in registration order (exports).
    pub fn all_patient_ids(&self) -> Result<Vec<i64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM patients ORDER BY id")?;
        let rows = st.query_map((), |r| r.get(0))?;
        rows.collect::<Result<_>>()
    }

    /// The id of the patient numbered `n` (merged and archived ones too).
    pub fn patient_id_by_number(&self, n: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT id FROM patients WHERE number_seq = ?1", [n], |r| {
                r.get(0)
            })
            .optional()
    }

    pub fn count_patients(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM patients", (), |r| r.get(0))
    }

    /// Adds a patient with the next patient number.
    pub fn insert_patient(&self, p: &ValidPatient, now: &str) -> Result<Patient> {
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(number_seq), 0) + 1 FROM patients")?
            .query_row((), |r| r.get(0))?;
        self.conn
            .prepare_cached(
                "INSERT INTO patients (number_seq, first_name, last_name, date_of_birth, sex, phone, email, address,
                    preferred_language, notes, search_text, sort_key, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(params_from_iter(patient_values(seq, p, now)))?;
        let id = self.conn.last_insert_rowid()?;
        self.index_patient(id, p)?;
        self.patient_or_not_found(id)
    }

    /// Replaces a patient's details if nobody changed them since `expected_version`.
    pub fn update_patient(
        &self,
        id: i64,
        expected_version: i64,
        p: &ValidPatient,
        now: &str,
    ) -> Result<Patient> {
        let current = self.patient_or_not_found(id)?;
        if current.version != expected_version {
            return Err(StoreError::Conflict(format!(
                "Someone else changed this patient's record while you were editing it (version {} is now {}). Reload it and make your change again.",
                expected_version, current.version
            )));
        }
        self.conn
            .prepare_cached(
                "UPDATE patients SET first_name = ?2, last_name = ?3, date_of_birth = ?4, sex = ?5, phone = ?6,
                    email = ?7, address = ?8, preferred_language = ?9, notes = ?10, search_text = ?11,
                    sort_key = ?12, updated_at = ?13, version = version + 1
                 WHERE id = ?1",
            )?
            .execute(params_from_iter(patient_values(id, p, now)))?;
        self.index_patient(id, p)?;
        self.patient_or_not_found(id)
    }

    pub fn set_patient_archived(&self, id: i64, archived: bool, now: &str) -> Result<Patient> {
        let n = self.conn.execute(
            "UPDATE patients SET archived = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1 AND archived != ?2",
            params![id, archived, now],
        )?;
        if n == 0 {
            // Either it does not exist (an error) or it already is as asked (fine).
            self.patient_or_not_found(id)?;
        }
        self.patient_or_not_found(id)
    }

    fn index_patient(&self, id: i64, p: &ValidPatient) -> Result<()> {
        self.index_terms(id, &search_text(p), &p.phone)
    }

    /// Rewrites patient `id`'s search terms from its folded name and its phone.
    pub(crate) fn index_terms(&self, id: i64, search_text: &str, phone: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM patient_search_terms WHERE patient_id = ?1")?
            .execute([id])?;
        let mut insert = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO patient_search_terms (kind, term, patient_id) VALUES (?1, ?2, ?3)")?;
        for (kind, term) in fold::suffix_terms(search_text) {
            insert.execute(params![kind as i64, term, id])?;
        }
        for term in fold::digit_suffix_terms(&fold::digits(phone)) {
            insert.execute(params![TermKind::PhoneDigits as i64, term, id])?;
        }
        Ok(())
    }

    /// One page of patients matching `q` (everyone, alphabetically, when `q` is empty).
    pub fn search_patients(
        &self,
        q: &ParsedQuery,
        include_archived: bool,
        offset: u32,
        limit: u32,
    ) -> Result<PatientPage> {
        let want = offset as usize + limit as usize + 1;
        let ids: Vec<i64> = if q.is_empty() {
            self.ids_alphabetical(include_archived, offset, limit)?
        } else {
            let mut found = Ids::new(want);
            if !q.dates.is_empty() {
                self.ids_by_dates(&q.dates, include_archived, &mut found)?;
            }
            if let Some(n) = q.patient_number {
                self.ids_by_number(n, include_archived, &mut found)?;
            }
            if let Some(d) = &q.phone_digits {
                self.ids_by_terms(TermKind::PhoneDigits, d, &[], include_archived, &mut found)?;
            }
            if !q.words.is_empty() {
                // Scan by the longest word (the most selective), check the rest on the folded name.
                let (scan_i, scan) = q
                    .words
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, w)| (w.chars().count(), std::cmp::Reverse(*i)))
                    .map(|(i, w)| (i, fold::term_prefix(w)))
                    .unwrap_or_default();
                let mut others: Vec<&str> = q
                    .words
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != scan_i)
                    .map(|(_, w)| w.as_str())
                    .collect();
                // A word longer than the indexed terms is checked whole too.
                if scan.chars().count() < q.words[scan_i].chars().count() {
                    others.push(&q.words[scan_i]);
                }
                self.ids_by_terms(
                    TermKind::WordStart,
                    &scan,
                    &others,
                    include_archived,
                    &mut found,
                )?;
                self.ids_by_terms(
                    TermKind::Inner,
                    &scan,
                    &others,
                    include_archived,
                    &mut found,
                )?;
            }
            found.ids.into_iter().skip(offset as usize).collect()
        };
        let has_more = ids.len() > limit as usize;
        let page: Vec<i64> = ids.into_iter().take(limit as usize).collect();
        Ok(PatientPage {
            items: self.summaries(&page)?,
            offset,
            has_more,
        })
    }

    fn ids_alphabetical(
        &self,
        include_archived: bool,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM patients WHERE (?1 OR archived = 0) AND merged_into IS NULL ORDER BY sort_key, id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = st.query_map(
            params![include_archived, limit as i64 + 1, offset as i64],
            |r| r.get(0),
        )?;
        rows.collect::<Result<_>>()
    }

    fn ids_by_dates(
        &self,
        dates: &[chrono::NaiveDate],
        include_archived: bool,
        found: &mut Ids,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM patients WHERE date_of_birth = ?1 AND (?2 OR archived = 0) AND merged_into IS NULL ORDER BY sort_key, id",
        )?;
        for d in dates {
            let mut rows = st.query(params![ymd(*d), include_archived])?;
            while let Some(r) = rows.next()? {
                if !found.push(r.get(0)?) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The patient numbered `n`; for a record merged into another, the one
    /// it was merged into (an old number on a card still finds the person).
    fn ids_by_number(&self, n: i64, include_archived: bool, found: &mut Ids) -> Result<()> {
        let id: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT coalesce(k.id, p.id) FROM patients p LEFT JOIN patients k ON k.id = p.merged_into
                 WHERE p.number_seq = ?1 AND (?2 OR coalesce(k.archived, p.archived) = 0)",
            )?
            .query_row(params![n, include_archived], |r| r.get(0))
            .optional()?;
        if let Some(id) = id {
            found.push(id);
        }
        Ok(())
    }

    /// Streams patients having a term of `kind` that starts with `prefix` and
    /// whose folded name contains every word of `also`, in term order.
    fn ids_by_terms(
        &self,
        kind: TermKind,
        prefix: &str,
        also: &[&str],
        include_archived: bool,
        found: &mut Ids,
    ) -> Result<()> {
        if found.full() {
            return Ok(());
        }
        let mut filter = String::from(
            "SELECT t.term, t.patient_id FROM patient_search_terms t JOIN patients p ON p.id = t.patient_id
             WHERE t.kind = ?1 AND t.term >= ?2 AND t.term < ?3 AND (?4 OR p.archived = 0)",
        );
        let mut args: Vec<Val> = vec![
            Val::Int(kind as i64),
            Val::Text(prefix.to_string()),
            Val::Text(prefix_end(prefix)),
            Val::Int(include_archived as i64),
        ];
        for w in also {
            args.push(Val::Text((*w).to_string()));
            filter.push_str(&format!(" AND instr(p.search_text, ?{}) > 0", args.len()));
        }
        // Rows come back whole (db.rs), so the scan is read in pages, each
        // going on from the last row of the one before (the primary key's
        // order: no row is read twice, unlike an OFFSET). The LIMIT counts
        // rows that passed the filter, so the first page asks for about what
        // is still missing: asking for twice that (as before) made a
        // two-word search read twice the terms it needed. A patient can
        // match through several of their terms, so a little more is asked
        // for, and each further page is twice as long.
        let n = args.len();
        let first_sql = format!("{filter} ORDER BY t.term, t.patient_id LIMIT ?{}", n + 1);
        let next_sql = format!(
            "{filter} AND (t.term, t.patient_id) > (?{a}, ?{b}) \
             ORDER BY t.term, t.patient_id LIMIT ?{c}",
            a = n + 1,
            b = n + 2,
            c = n + 3
        );
        let missing = found.cap.saturating_sub(found.ids.len());
        let mut page = missing + missing / 4 + 8;
        let mut after: Option<(String, i64)> = None;
        loop {
            let mut page_args = args.clone();
            let sql = match &after {
                None => {
                    page_args.push(Val::Int(page as i64));
                    &first_sql
                }
                Some((term, id)) => {
                    page_args.push(Val::Text(term.clone()));
                    page_args.push(Val::Int(*id));
                    page_args.push(Val::Int(page as i64));
                    &next_sql
                }
            };
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query(page_args)?;
            let mut read = 0;
            let mut last = None;
            while let Some(r) = rows.next()? {
                read += 1;
                let term: String = r.get(0)?;
                let id: i64 = r.get(1)?;
                if !found.push(id) {
                    return Ok(());
                }
                last = Some((term, id));
            }
            if read < page {
                return Ok(());
            }
            after = last;
            page *= 2;
        }
    }

    /// The summaries of `ids`, in that order, in one query (one round trip
    /// to the clinic server rather than one per patient on the page).
    fn summaries(&self, ids: &[i64]) -> Result<Vec<PatientSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("?{i}")).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM patients WHERE id IN ({})",
            marks.join(", ")
        ))?;
        let mut found: std::collections::HashMap<i64, PatientSummary> = st
            .query_map(params_from_iter(ids), |r| {
                summary_from_row(r).map(|s| (s.id.0, s))
            })?
            .collect::<Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}

/// Distinct ids in the order first found, up to a cap.
struct Ids {
    ids: Vec<i64>,
    seen: HashSet<i64>,
    cap: usize,
}

impl Ids {
    fn new(cap: usize) -> Self {
        Ids {
            ids: Vec::new(),
            seen: HashSet::new(),
            cap,
        }
    }

    fn full(&self) -> bool {
        self.ids.len() >= self.cap
    }

    /// Adds `id` if new; false once the cap is reached.
    fn push(&mut self, id: i64) -> bool {
        if self.seen.insert(id) {
            self.ids.push(id);
        }
        !self.full()
    }
}
