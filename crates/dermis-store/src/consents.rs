//! Consent templates (versioned) and signed consents (frozen; see
//! dermis-core's `consent` module for why).
//!
//! Two reads of a patient's consents: [`Tx::consents`] (everything, for
//! practitioners and admins) and [`Tx::consent_summaries`] (only the columns
//! the desk may read, which on the clinic server are the only columns the
//! receptionist's role is granted: see pg.rs).

use crate::columns::json_col;
use crate::db::{params, OptionalExtension, Row};
use crate::{Result, StoreError, Tx};
use dermis_core::consent::{
    Consent, ConsentStatus, ConsentSummary, ConsentTemplate, PhotoUses, SignatureMethod, Strokes,
};

/// A consent as signed, about to be stored.
pub struct NewConsent<'a> {
    pub patient_id: i64,
    pub template_key: &'a str,
    pub template_version: u32,
    pub title: &'a str,
    pub text: &'a str,
    pub patient_name: &'a str,
    pub patient_number: &'a str,
    pub method: SignatureMethod,
    pub strokes: &'a Strokes,
    pub typed_name: &'a str,
    pub photo_uses: PhotoUses,
    pub signed_at: &'a str,
    pub recorded_by: i64,
}

/// What a confirmation adds to a signed consent.
pub struct Confirmation<'a> {
    pub user_id: i64,
    pub at: &'a str,
    pub content_sha256: &'a str,
    pub pdf: &'a [u8],
    pub pdf_sha256: &'a str,
}

const TEMPLATE_COLUMNS: &str =
    "t.id, t.key, t.version, t.title, t.body, u.display_name, t.created_at";

fn template_from_row(r: &Row) -> Result<ConsentTemplate> {
    Ok(ConsentTemplate {
        id: r.get(0)?,
        key: r.get(1)?,
        version: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        created_by: r.get(5)?,
        created_at: r.get(6)?,
    })
}

const CONSENT_COLUMNS: &str =
    "c.id, c.patient_id, c.template_key, c.template_version, c.title, c.text,
    c.patient_name, c.patient_number, c.method, c.strokes, c.typed_name, c.photo_record,
    c.photo_teaching, c.photo_marketing, c.signed_at, r.display_name, cu.display_name,
    c.confirmed_at, c.content_sha256, c.pdf_sha256, c.revoked_at, ru.display_name, c.revoke_reason";

const CONSENT_FROM: &str = "FROM consents c
    JOIN users r ON r.id = c.recorded_by
    LEFT JOIN users cu ON cu.id = c.confirmed_by
    LEFT JOIN users ru ON ru.id = c.revoked_by";

fn status(confirmed: bool, revoked: bool) -> ConsentStatus {
    if revoked {
        ConsentStatus::Revoked
    } else if confirmed {
        ConsentStatus::Signed
    } else {
        ConsentStatus::AwaitingConfirmation
    }
}

fn consent_from_row(r: &Row) -> Result<Consent> {
    let method: String = r.get(8)?;
    let confirmed_at: Option<String> = r.get(17)?;
    let revoked_at: Option<String> = r.get(20)?;
    Ok(Consent {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        template_key: r.get(2)?,
        template_version: r.get(3)?,
        title: r.get(4)?,
        text: r.get(5)?,
        patient_name: r.get(6)?,
        patient_number: r.get(7)?,
        method: SignatureMethod::parse(&method).ok_or_else(|| {
            StoreError::Internal(format!(
                "a consent's signature method {method:?} is unknown"
            ))
        })?,
        signature: json_col(r, 9)?,
        typed_name: r.get(10)?,
        photo_uses: PhotoUses {
            record: r.get(11)?,
            teaching: r.get(12)?,
            marketing: r.get(13)?,
        },
        signed_at: r.get(14)?,
        recorded_by: r.get(15)?,
        confirmed_by: r.get(16)?,
        status: status(confirmed_at.is_some(), revoked_at.is_some()),
        confirmed_at,
        content_sha256: r.get(18)?,
        pdf_sha256: r.get(19)?,
        revoked_at,
        revoked_by: r.get(21)?,
        revoke_reason: r.get(22)?,
    })
}

impl Tx<'_> {
    /// The clinic's consent rules (the defaults until changed; kept in the settings table).
    pub fn consent_settings(&self) -> Result<dermis_core::consent::ConsentSettings> {
        Ok(self.setting("consent_settings")?.unwrap_or_default())
    }

    pub fn set_consent_settings(&self, s: &dermis_core::consent::ConsentSettings) -> Result<()> {
        self.set_setting("consent_settings", s)
    }

    /// Every saved template version, by key, newest version first.
    pub fn consent_templates(&self) -> Result<Vec<ConsentTemplate>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM consent_templates t JOIN users u ON u.id = t.created_by
             ORDER BY t.key, t.version DESC"
        ))?;
        let rows = st.query_map((), template_from_row)?;
        rows.collect()
    }

    /// The newest saved version of template `key` (`None`: only Dermis's default exists).
    pub fn current_consent_template(&self, key: &str) -> Result<Option<ConsentTemplate>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {TEMPLATE_COLUMNS} FROM consent_templates t JOIN users u ON u.id = t.created_by
                     WHERE t.key = ?1 ORDER BY t.version DESC LIMIT 1"
                ),
                [key],
                template_from_row,
            )
            .optional()
    }

    /// Saves a new version of template `key` (the next after the newest; 2
    /// after Dermis's default). Returns its id and version.
    pub fn insert_consent_template(
        &self,
        key: &str,
        title: &str,
        body: &str,
        user_id: i64,
        now: &str,
    ) -> Result<(i64, u32)> {
        let newest: Option<u32> = self.conn.query_row(
            "SELECT max(version) FROM consent_templates WHERE key = ?1",
            [key],
            |r| r.get(0),
        )?;
        let version = newest.unwrap_or(1) + 1;
        self.conn.execute(
            "INSERT INTO consent_templates (key, version, title, body, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key, version, title, body, user_id, now],
        )?;
        Ok((self.conn.last_insert_rowid()?, version))
    }

    /// Stores a signed consent (not confirmed yet); returns its id.
    pub fn insert_consent(&self, c: &NewConsent) -> Result<i64> {
        let strokes = serde_json::to_string(c.strokes)
            .map_err(|e| StoreError::Internal(format!("cannot store a signature: {e}")))?;
        self.conn.execute(
            "INSERT INTO consents (patient_id, template_key, template_version, title, text, patient_name,
                patient_number, method, strokes, typed_name, photo_record, photo_teaching, photo_marketing,
                signed_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                c.patient_id,
                c.template_key,
                c.template_version,
                c.title,
                c.text,
                c.patient_name,
                c.patient_number,
                c.method.as_str(),
                strokes,
                c.typed_name,
                c.photo_uses.record,
                c.photo_uses.teaching,
                c.photo_uses.marketing,
                c.signed_at,
                c.recorded_by
            ],
        )?;
        self.conn.last_insert_rowid()
    }

    /// Adds the practitioner's confirmation and the frozen PDF to a signed
    /// consent that has neither and is not revoked; a conflict otherwise.
    pub fn confirm_consent(&self, id: i64, c: &Confirmation) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE consents SET confirmed_by = ?2, confirmed_at = ?3, content_sha256 = ?4, pdf = ?5, pdf_sha256 = ?6
             WHERE id = ?1 AND confirmed_at IS NULL AND revoked_at IS NULL",
            params![id, c.user_id, c.at, c.content_sha256, c.pdf, c.pdf_sha256],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "This consent is already confirmed or was withdrawn.".into(),
            ));
        }
        Ok(())
    }

    /// Marks a consent withdrawn (once).
    pub fn revoke_consent(&self, id: i64, user_id: i64, reason: &str, now: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE consents SET revoked_at = ?2, revoked_by = ?3, revoke_reason = ?4
             WHERE id = ?1 AND revoked_at IS NULL",
            params![id, now, user_id, reason],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "This consent was already withdrawn.".into(),
            ));
        }
        Ok(())
    }

    pub fn consent(&self, id: i64) -> Result<Option<Consent>> {
        self.conn
            .query_row(
                &format!("SELECT {CONSENT_COLUMNS} {CONSENT_FROM} WHERE c.id = ?1"),
                [id],
                consent_from_row,
            )
            .optional()
    }

    /// A patient's consents, whole, newest first.
    pub fn consents(&self, patient_id: i64) -> Result<Vec<Consent>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {CONSENT_COLUMNS} {CONSENT_FROM} WHERE c.patient_id = ?1 ORDER BY c.id DESC"
        ))?;
        let rows = st.query_map([patient_id], consent_from_row)?;
        rows.collect()
    }

    /// A patient's consents as the desk may see them (no text, signature,
    /// photo answers or PDF are read), newest first.
    pub fn consent_summaries(&self, patient_id: i64) -> Result<Vec<ConsentSummary>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.patient_id, c.template_key, c.template_version, c.title, c.signed_at,
                    cu.display_name, c.confirmed_at, c.revoked_at
             FROM consents c LEFT JOIN users cu ON cu.id = c.confirmed_by
             WHERE c.patient_id = ?1 ORDER BY c.id DESC",
        )?;
        let rows = st.query_map([patient_id], |r| {
            let confirmed_at: Option<String> = r.get(7)?;
            let revoked_at: Option<String> = r.get(8)?;
            Ok(ConsentSummary {
                id: r.get(0)?,
                patient_id: r.get(1)?,
                template_key: r.get(2)?,
                template_version: r.get(3)?,
                title: r.get(4)?,
                signed_at: r.get(5)?,
                confirmed_by: r.get(6)?,
                status: status(confirmed_at.is_some(), revoked_at.is_some()),
                confirmed_at,
                revoked_at,
            })
        })?;
        rows.collect()
    }

    /// The stored PDF of a confirmed consent.
    pub fn consent_pdf(&self, id: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT pdf FROM consents WHERE id = ?1", [id], |r| {
                r.get::<Option<Vec<u8>>>(0)
            })
            .optional()?
            .flatten())
    }
}
