//! The one place that says which role may do what (PRODUCT.md section 6).

use dermis_core::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FindPatients,
    ViewPatient,
    CreatePatient,
    EditPatient,
    ArchivePatient,
    /// Erase a patient and everything recorded about them (right to erasure).
    ErasePatient,
    /// Merge two records of one person into one.
    MergePatients,
    GenerateDemoData,
    ReadAuditLog,
    /// Screenings and assessments: record and read.
    RecordClinical,
    ReadClinical,
    /// Propose, accept, pause, resume, cancel plans.
    PlanTreatment,
    /// Book and move appointments.
    MoveAppointment,
    ViewCalendar,
    /// Mark a booked patient as arrived.
    CheckIn,
    /// Print aftercare sheets and schedule cards.
    PrintHandouts,
    ViewSettings,
    EditSettings,
    ManageUsers,
    /// Remove a photo from a patient's record (and its file once unused).
    DeletePhoto,
    /// Back up, inspect and restore the database.
    Backup,
    /// Export all data, or one patient's full record.
    ExportData,
    /// Trace a product lot to the patients treated with it (a safety recall).
    TraceLots,
    /// Work the recall call list: see it, log calls, print recall letters.
    CallRecalls,
    /// Hand the screen to a patient to sign a consent form (and read the forms).
    TakeConsent,
    /// Confirm a patient's signed consent (freezing it into its PDF) or withdraw one.
    ConfirmConsent,
    /// Hear what changed on the other PCs (ids and kinds only) and whether
    /// the clinic server answers: every signed-in person.
    WatchChanges,
    /// Encrypt this PC's clinic database (the app's offer, `dermis encrypt`),
    /// see its recovery key once and remove the plaintext copies.
    EncryptClinic,
}

impl Action {
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::FindPatients
            | Action::ViewPatient
            | Action::CreatePatient
            | Action::EditPatient => &[Admin, Practitioner, Receptionist],
            Action::ArchivePatient => &[Admin, Practitioner, Receptionist],
            Action::GenerateDemoData
            | Action::ErasePatient
            | Action::MergePatients
            | Action::ReadAuditLog
            | Action::EditSettings
            | Action::ManageUsers
            | Action::Backup
            | Action::ExportData
            | Action::EncryptClinic => &[Admin],
            Action::RecordClinical
            | Action::ReadClinical
            | Action::PlanTreatment
            | Action::DeletePhoto => &[Admin, Practitioner],
            // A lot trace joins who was treated with what (clinical) to
            // contact details: the clinical team runs a product recall.
            Action::TraceLots => &[Admin, Practitioner],
            // The desk makes the calls; the list holds no clinical facts.
            Action::CallRecalls => &[Admin, Practitioner, Receptionist],
            Action::MoveAppointment
            | Action::ViewCalendar
            | Action::ViewSettings
            | Action::CheckIn
            | Action::PrintHandouts
            | Action::TakeConsent => &[Admin, Practitioner, Receptionist],
            Action::ConfirmConsent => &[Admin, Practitioner],
            Action::WatchChanges => &[Admin, Practitioner, Receptionist],
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::FindPatients => "search patients",
            Action::ViewPatient => "open patient records",
            Action::CreatePatient => "register patients",
            Action::EditPatient => "change patient details",
            Action::ArchivePatient => "archive patients",
            Action::ErasePatient => "erase patients",
            Action::MergePatients => "merge two records of one patient",
            Action::GenerateDemoData => "generate demo data",
            Action::ReadAuditLog => "read the audit log",
            Action::RecordClinical => "record screenings, assessments, sessions and photos",
            Action::ReadClinical => "read screenings, assessments, session records and photos",
            Action::PlanTreatment => "plan treatments",
            Action::MoveAppointment => "move appointments",
            Action::ViewCalendar => "see the calendar",
            Action::CheckIn => "check patients in",
            Action::PrintHandouts => "print aftercare sheets and schedule cards",
            Action::ViewSettings => "see the clinic's settings",
            Action::EditSettings => "change the clinic's settings",
            Action::ManageUsers => "manage user accounts",
            Action::DeletePhoto => "delete photos",
            Action::Backup => "back up or restore the database",
            Action::ExportData => "export the clinic's data",
            Action::TraceLots => "trace product lots to patients",
            Action::CallRecalls => "work the recall call list",
            Action::TakeConsent => "take a patient's signature on a consent form",
            Action::ConfirmConsent => "confirm or withdraw a patient's consent",
            Action::WatchChanges => "see what changed on the other computers",
            Action::EncryptClinic => "encrypt the clinic's data on this computer",
        }
    }
}
