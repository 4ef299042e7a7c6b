//! Merging two records of one person, on both backends: every row moves,
//! the merged record stays archived and pointing at the kept one, and
//! search never lists it.

mod common;

use chrono::NaiveDate;
use dermis_core::assessment::TreatmentArea;
use dermis_core::patient::ValidPatient;
use dermis_core::photo::PhotoAngle;
use dermis_core::search::parse;
use dermis_core::{validate, PatientInput};
use dermis_store::{NewPhoto, Store, StoreError};

const NOW: &str = "2026-11-30T10:00:00Z";

fn valid(first: &str, last: &str, phone: &str, notes: &str) -> ValidPatient {
    validate::patient(
        &PatientInput {
            first_name: first.into(),
            last_name: last.into(),
            date_of_birth: "1980-01-01".into(),
            phone: phone.into(),
            notes: notes.into(),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    )
    .unwrap()
}

fn photo(s: &mut Store, patient: i64, sha: &str) {
    s.write(|tx| -> Result<(), StoreError> {
        tx.insert_photo(
            &NewPhoto {
                patient_id: patient,
                sha256: sha,
                mime: "image/jpeg",
                width: 10,
                height: 10,
                bytes: 100,
                taken_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                area: TreatmentArea::Forehead,
                angle: PhotoAngle::Front,
                session_record_id: None,
                assessment_id: None,
            },
            1,
            NOW,
        )?;
        Ok(())
    })
    .unwrap();
}

fn names(s: &mut Store, q: &str, archived: bool) -> Vec<String> {
    s.read(|tx| tx.search_patients(&parse(q), archived, 0, 50))
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.patient_number)
        .collect()
}

on_both_backends! {
    fn a_merge_moves_every_record_and_leaves_a_pointer(s) {
        // The duplicate ("other", P-000001) has the plan; the kept record is newer.
        let plan = common::a_plan(&mut s);
        let (other, keep) = s
            .write(|tx| -> Result<_, StoreError> {
                let other = tx.plan(plan)?.unwrap().patient_id.0;
                let keep = tx.insert_patient(&valid("Ann", "Lee", "", "Keeps her own notes."), NOW)?;
                Ok((other, keep.id.0))
            })
            .unwrap();
        // The duplicate's phone and notes, and one photo on both records (the same image).
        s.write(|tx| -> Result<(), StoreError> {
            let v = tx.patient(other)?.unwrap().version;
            tx.update_patient(other, v, &valid("Ann", "Lee", "+44 7700 900123", "Prefers mornings."), NOW)?;
            Ok(())
        })
        .unwrap();
        let sha_a = "a".repeat(64);
        let sha_b = "b".repeat(64);
        photo(&mut s, other, &sha_a);
        photo(&mut s, other, &sha_b);
        photo(&mut s, keep, &sha_a);

        let before = s.read(|tx| tx.merge_counts(other)).unwrap();
        let m = s.write(|tx| tx.merge_patients(keep, other, NOW)).unwrap();
        assert_eq!(m.moved, before);
        let count = |what: &str| m.moved.iter().find(|(w, _)| *w == what).unwrap().1;
        assert_eq!(
            (count("assessments"), count("plans"), count("planned sessions"), count("photos")),
            (1, 1, 3, 2)
        );
        assert_eq!(m.duplicate_photos, 1);
        assert_eq!(m.filled, ["phone"]);
        assert!(m.notes_added);

        s.read(|tx| {
            // Everything is the kept record's now; nothing is left on the other.
            assert_eq!(tx.plans(keep)?.len(), 1);
            assert_eq!(tx.plans(other)?.len(), 0);
            assert_eq!(tx.photos(keep)?.len(), 2);
            assert!(tx.merge_counts(other)?.iter().all(|(_, n)| *n == 0));
            let k = tx.patient(keep)?.unwrap();
            assert_eq!(k.phone, "+44 7700 900123");
            assert_eq!(k.notes, "Keeps her own notes.\n\nFrom P-000001: Prefers mornings.");
            assert!(!k.archived && k.merged_into.is_none());
            let o = tx.patient(other)?.unwrap();
            assert!(o.archived);
            assert_eq!(o.merged_into.map(|i| i.0), Some(keep));
            assert_eq!(o.merged_into_number.as_deref(), Some("P-000002"));
            assert_eq!(tx.patient_id_by_number(1)?, Some(other));
            Ok::<_, StoreError>(())
        })
        .unwrap();

        // Search lists the person once, by name, phone, birth date or either number.
        for q in ["lee", "ann lee", "900123", "1980-01-01", "P-000001", "P-000002", ""] {
            assert_eq!(names(&mut s, q, false), ["P-000002"], "{q:?}");
            assert_eq!(names(&mut s, q, true), ["P-000002"], "{q:?} (archived too)");
        }
    }

    fn a_chain_of_merges_points_at_the_last_kept_record(s) {
        let ids: Vec<i64> = s
            .write(|tx| -> Result<_, StoreError> {
                (0..3)
                    .map(|_| Ok(tx.insert_patient(&valid("Bo", "Ray", "", ""), NOW)?.id.0))
                    .collect()
            })
            .unwrap();
        s.write(|tx| tx.merge_patients(ids[1], ids[0], NOW)).unwrap();
        let m = s.write(|tx| tx.merge_patients(ids[2], ids[1], NOW)).unwrap();
        assert!(m.moved.contains(&("merged records", 1)));
        let first = s.read(|tx| tx.patient(ids[0])).unwrap().unwrap();
        assert_eq!(first.merged_into.map(|i| i.0), Some(ids[2]));
        assert_eq!(names(&mut s, "P-000001", true), ["P-000003"]);
    }

    fn a_record_is_not_merged_into_itself_or_a_missing_one(s) {
        let id = s
            .write(|tx| tx.insert_patient(&valid("Cy", "Tan", "", ""), NOW))
            .unwrap()
            .id
            .0;
        assert!(matches!(
            s.write(|tx| tx.merge_patients(id, id, NOW)),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.write(|tx| tx.merge_patients(id, id + 100, NOW)),
            Err(StoreError::NotFound(_))
        ));
        let p = s.read(|tx| tx.patient(id)).unwrap().unwrap();
        assert!(!p.archived && p.merged_into.is_none());
    }
}
