//! Merging two records of one person (a duplicate registered by mistake).
//!
//! Whether a merge may go ahead is a pure rule, here; the moving itself is
//! the store's (one transaction) and the permission the clinic's (admins
//! only). The rule refuses what would leave the clinic with a record it
//! cannot make sense of afterwards: merging a record into itself, into a
//! record that is archived or already merged away (the kept record must be
//! the live one), a record that was merged already, and two records that
//! each have a plan under way (one person cannot follow two plans: someone
//! must cancel one first, and which one is a clinical decision).

use crate::Patient;
use chrono::NaiveDate;

/// A plan that is under way (active or paused): its id and first session date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPlan {
    pub id: i64,
    pub start: NaiveDate,
}

/// Why `other` cannot be merged into `keep`, in words for an administrator;
/// `None` when it can. `format_date` writes a date the clinic's way.
pub fn refusal(
    keep: &Patient,
    other: &Patient,
    keep_plan: Option<OpenPlan>,
    other_plan: Option<OpenPlan>,
    format_date: &dyn Fn(NaiveDate) -> String,
) -> Option<String> {
    if keep.id == other.id {
        return Some(format!(
            "{} cannot be merged into itself: choose the other record of this person.",
            keep.patient_number
        ));
    }
    if let Some(n) = &keep.merged_into_number {
        return Some(format!(
            "{} was already merged into {n}: merge into {n} instead.",
            keep.patient_number
        ));
    }
    if let Some(n) = &other.merged_into_number {
        return Some(format!(
            "{} was already merged into {n}; there is nothing left to move.",
            other.patient_number
        ));
    }
    if keep.archived {
        return Some(format!(
            "{} is archived: restore it first, or keep {} instead.",
            keep.patient_number, other.patient_number
        ));
    }
    if let (Some(_), Some(p)) = (keep_plan, other_plan) {
        return Some(format!(
            "Both records have a plan under way. Cancel the plan of {} that starts {} (plan {}) first, or the one of {}, then merge.",
            other.patient_number,
            format_date(p.start),
            p.id,
            keep.patient_number
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PatientId;

    fn patient(id: i64) -> Patient {
        Patient {
            id: PatientId(id),
            patient_number: crate::search::format_patient_number(id),
            first_name: "Zoe".into(),
            last_name: "Testova".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1991, 2, 28).unwrap(),
            sex: None,
            phone: String::new(),
            email: String::new(),
            address: String::new(),
            preferred_language: String::new(),
            notes: String::new(),
            archived: false,
            merged_into: None,
            merged_into_number: None,
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn iso(d: NaiveDate) -> String {
        d.to_string()
    }

    fn plan(id: i64) -> Option<OpenPlan> {
        Some(OpenPlan {
            id,
            start: NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(),
        })
    }

    #[test]
    fn two_live_records_merge() {
        assert_eq!(refusal(&patient(1), &patient(2), None, None, &iso), None);
        assert_eq!(refusal(&patient(1), &patient(2), plan(7), None, &iso), None);
        assert_eq!(refusal(&patient(1), &patient(2), None, plan(7), &iso), None);
    }

    #[test]
    fn an_archived_duplicate_may_be_merged_away() {
        let mut other = patient(2);
        other.archived = true;
        assert_eq!(refusal(&patient(1), &other, None, None, &iso), None);
    }

    #[test]
    fn a_record_is_not_merged_into_itself() {
        let m = refusal(&patient(1), &patient(1), None, None, &iso).unwrap();
        assert!(m.contains("into itself"), "{m}");
    }

    #[test]
    fn the_kept_record_must_be_live() {
        let mut keep = patient(1);
        keep.archived = true;
        let m = refusal(&keep, &patient(2), None, None, &iso).unwrap();
        assert!(m.contains("P-000001 is archived"), "{m}");
        keep.merged_into = Some(PatientId(3));
        keep.merged_into_number = Some("P-000003".into());
        let m = refusal(&keep, &patient(2), None, None, &iso).unwrap();
        assert!(m.contains("merge into P-000003 instead"), "{m}");
    }

    #[test]
    fn a_record_merged_already_is_refused() {
        let mut other = patient(2);
        other.archived = true;
        other.merged_into = Some(PatientId(3));
        other.merged_into_number = Some("P-000003".into());
        let m = refusal(&patient(1), &other, None, None, &iso).unwrap();
        assert!(m.contains("already merged into P-000003"), "{m}");
    }

    #[test]
    fn two_plans_under_way_name_the_plan_to_cancel() {
        let m = refusal(&patient(1), &patient(2), plan(4), plan(9), &iso).unwrap();
        assert!(
            m.contains("plan of P-000002 that starts 2027-03-15 (plan 9)"),
            "{m}"
        );
    }
}
