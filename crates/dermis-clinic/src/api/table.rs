//! THE command table: every command the UI can send, declared once.
//!
//! An entry is a doc comment (what it does, for docs/ipc.md and the
//! TypeScript map), `#[who(…)]` (the permission the use-case checks, from
//! `permissions.rs`; `anyone` before sign-in, `signed_in` for anyone signed
//! in), the name and typed arguments, the answer type, and a body that is one
//! call into `Clinic` and a conversion. Rules never live here: a body longer
//! than that belongs in the use-case.

use super::{
    io, parse_args, ts_of, AppInfo, Bytes, ClinicServerStatus, CommandSpec, ConnectionInfo,
    EncryptOutcome, EncryptionState, IntoReply, RemovedCopies, Reply, ServerProbe, Workstation,
};
use crate::core::assessment::{Assessment, AssessmentInput, GbCounts};
use crate::core::consent::{
    Consent, ConsentSettings, ConsentSignInput, ConsentSummary, ConsentTemplate,
    ConsentTemplateInput, PhotoUses,
};
use crate::core::dates::DateFormatInfo;
use crate::core::ids::{
    AppointmentId, ConsentId, PatientId, PhotoId, PlanId, PlannedSessionId, RecallId, RoomId,
    SessionRecordId, UserId,
};
use crate::core::photo::{BeforeAfter, Photo};
use crate::core::plan::{
    CalendarEntry, Plan, PlanProposal, PlanRequest, PlanSchedule, PlanStatus, TodayList,
};
use crate::core::recall::{RecallCallList, RecallContact, RecallContactInput};
use crate::core::schedule::{
    AppointmentKind, Booking, BookingKey, DayHours, DayView, FreeSlot, Room, SessionSlots,
};
use crate::core::screening::{Rule, Screening, ScreeningInput, ScreeningQuestion};
use crate::core::session::{
    AdverseEventEntry, AdverseEventFilter, HealingInput, LotTraceFilter, LotTraceRow, Progress,
    SessionRecord, SessionRecordInput, ZoneDepthChart,
};
use crate::core::settings::{ClinicDetails, ClinicSettings, PlanSettings};
use crate::core::{
    ActorInfo, LoginInput, Patient, PatientInput, PatientPage, PatientSearch, PatientSummary,
    SetupInput,
};
use crate::{
    Action, AftercareTextView, ApiError, AppStatus, AuditFilter, AuditPage, AuditVerdict,
    BackupStatus, BackupSummary, BookingInput, ChangeFeed, ClinicSettingsView, DocumentInfo,
    ErasureSummary, ExportFormat, ExportSummary, HealingOutcome, LanguageOption, MergePreview,
    MergeSummary, MoveInput, NewUserInput, PhotoImport, PractitionerInfo, PrintRequest,
    PrintedDocument, SessionDraft, SlotQuery, UserInfo,
};
use std::path::Path;

type Run = fn(&Workstation, &serde_json::Value) -> Result<Reply, ApiError>;

/// Who may call a command, in words, from the permission table.
fn roles_of(actions: &[Action]) -> String {
    let mut roles: Vec<&str> = Vec::new();
    for a in actions {
        for r in a.allowed_roles() {
            let name = r.as_str();
            if !roles.contains(&name) {
                roles.push(name);
            }
        }
    }
    roles.join(", ")
}

macro_rules! who {
    (anyone) => {
        || "anyone (no sign-in needed)".to_string()
    };
    (signed_in) => {
        || "anyone signed in".to_string()
    };
    ($($action:path),+) => {
        || roles_of(&[$($action),+])
    };
}

macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        #[who($($who:tt)*)]
        fn $name:ident($ws:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block
    )*) => {
        /// The entry that runs command `name`.
        pub(super) fn route(name: &str) -> Option<Run> {
            match name {
                $( stringify!($name) => Some({
                    fn run(station: &Workstation, args: &serde_json::Value) -> Result<Reply, ApiError> {
                        #[derive(serde::Deserialize)]
                        #[serde(deny_unknown_fields)]
                        struct Args { $( $arg: $ty, )* }
                        #[allow(unused_variables)]
                        fn body($ws: &Workstation, $( $arg: $ty, )*) -> Result<$ret, ApiError> $body
                        let Args { $( $arg, )* } = parse_args(stringify!($name), args)?;
                        IntoReply::into_reply(body(station, $( $arg, )*)?)
                    }
                    run as Run
                }), )*
                _ => None,
            }
        }

        /// Every command, in table order.
        pub static COMMANDS: &[CommandSpec] = &[ $( CommandSpec {
            name: stringify!($name),
            doc: concat!($($doc, "\n"),*),
            who: who!($($who)*),
            args: |_cfg| vec![ $( {
                let (ty, deps) = ts_of::<$ty>(_cfg);
                (stringify!($arg), ty, deps)
            } ),* ],
            reply: |cfg| <$ret as IntoReply>::ts(cfg),
        } ),* ];
    };
}

commands! {
    // ------------------------------------------------------------ the app
    /// Before sign-in: whether first run is due, the clinic's name, who is signed in, the idle-lock minutes, whether the app is locked.
    #[who(anyone)]
    fn app_status(w) -> AppStatus {
        w.status()
    }

    /// The About box: the app's name and version, the database and the log folder.
    #[who(anyone)]
    fn app_info(w) -> AppInfo {
        let (name, version) = w.desktop.app_name_version();
        Ok(AppInfo {
            name,
            version,
            db_path: w.path().map(|p| p.display().to_string()).unwrap_or_default(),
            log_dir: w.desktop.log_dir().map(|p| p.display().to_string()).unwrap_or_default(),
        })
    }

    /// Opens the log folder in the system's file manager.
    #[who(anyone)]
    fn show_logs(w) -> () {
        let dir = w.desktop.log_dir().ok_or_else(|| io("Dermis has no log folder on this computer."))?;
        w.open_folder(&dir, "log folder")
    }

    /// First run: creates the clinic and its first account (admin and practitioner) and signs that account in.
    #[who(anyone)]
    fn setup_clinic(w, input: SetupInput) -> ActorInfo {
        let actor = w.clinic()?.setup(&input)?;
        w.sign_in(actor)
    }

    /// Signs in (five wrong passwords lock the name for 15 minutes).
    #[who(anyone)]
    fn login(w, input: LoginInput) -> ActorInfo {
        w.login(&input)
    }

    /// Signs out (audited); the lock is lifted; an encrypted clinic or the clinic server is closed.
    #[who(anyone)]
    fn logout(w) -> () {
        w.logout()
    }

    /// Locks the app (after the clinic's idle time; the backend also locks by itself once it has passed).
    #[who(anyone)]
    fn lock_app(w) -> () {
        match w.opened()? {
            Some(clinic) => Ok(w.seat.lock(&clinic)?),
            None => Ok(()),
        }
    }

    /// Unlocks with the signed-in user's own password (rate limited like sign-in); after a password changed on another PC, the new one is what this PC connects to the clinic server with from then on.
    #[who(anyone)]
    fn unlock_app(w, password: String) -> () {
        w.unlock(&password)
    }

    /// The signed-in user's own password: the current one, then the new one.
    #[who(signed_in)]
    fn change_password(w, current: String, new_password: String) -> () {
        w.with(|c, a| c.change_password(a, &current, &new_password))
    }

    // ------------------------------------------------------------ this PC and the clinic server (issue 16)
    /// Where this PC works: its clinic file (plain or encrypted) or the clinic server with the pinned fingerprint; whether it may change that now.
    #[who(anyone)]
    fn connection_info(w) -> ConnectionInfo {
        w.connection_info()
    }

    /// Whether the app offers to encrypt this PC's clinic (a plaintext clinic file; never the clinic server), and Settings → Security's state: encrypted or not, a recovery key still to confirm, plaintext copies left.
    #[who(Action::EncryptClinic)]
    fn encryption_state(w) -> EncryptionState {
        w.encryption_state()
    }

    /// Encrypts this PC's plaintext clinic with the same use-case as `dermis encrypt` (a verified backup first; counts and audit head compared; one atomic swap), the administrator's password wrapping the new key; the administrator stays signed in. The recovery key is in this reply only.
    #[who(Action::EncryptClinic)]
    fn encrypt_clinic(w, password: String) -> EncryptOutcome {
        w.encrypt_clinic(&password)
    }

    /// The recovery sheet PDF of the key just shown, to a path the administrator chose (only until the key is confirmed).
    #[who(Action::EncryptClinic)]
    fn save_recovery_sheet(w, path: String) -> () {
        w.save_recovery_sheet(&path)
    }

    /// The administrator confirms they kept the recovery key by typing its last group; the key is then forgotten by the app.
    #[who(Action::EncryptClinic)]
    fn confirm_recovery_key(w, last_group: String) -> () {
        w.confirm_recovery_key(&last_group)
    }

    /// Overwrites and removes the plaintext copies of an encrypted clinic (the backup made before encrypting, older plaintext automatic backups); only once the recovery key is confirmed.
    #[who(Action::EncryptClinic)]
    fn remove_plaintext_copies(w) -> RemovedCopies {
        w.remove_plaintext_copies()
    }

    /// "Forgot the admin password?" on an encrypted clinic, before sign-in: the recovery key (from the recovery sheet) sets the account's new password. A wrong key counts toward the name's lockout like a wrong password; the key is never stored or logged.
    #[who(anyone)]
    fn recover_password(w, username: String, recovery_key: String, new_password: String) -> () {
        w.recover_password(&username, &recovery_key, &new_password)
    }

    /// Settings → Clinic server: this PC's server and pinned fingerprint (or "this PC only"), whether it answers now and since when not, the last verified backup.
    #[who(signed_in)]
    fn clinic_server_status(w) -> ClinicServerStatus {
        w.clinic_server_status()
    }

    /// Joining a clinic server, step 1: the SHA-256 fingerprint of the server's TLS certificate (a handshake only, no sign-in), for the admin to compare. First run or a signed-in admin only.
    #[who(anyone)]
    fn server_probe(w, host: String, port: u32, database: String) -> ServerProbe {
        w.server_probe(&host, port, &database)
    }

    /// Joining a clinic server, step 2: the admin confirmed the fingerprint; it is pinned and remembered, and this PC signs in on the server from now on. First run or a signed-in admin only.
    #[who(anyone)]
    fn server_join(w, host: String, port: u32, database: String, fingerprint: String) -> ConnectionInfo {
        w.server_join(&host, port, &database, &fingerprint)
    }

    // ------------------------------------------------------------ patients
    /// A page of patients matching the query (accent- and case-insensitive; names, numbers, phone, birth date).
    #[who(Action::FindPatients)]
    fn search_patients(w, search: PatientSearch) -> PatientPage {
        w.with(|c, a| c.search_patients(a, &search))
    }

    /// One patient's details.
    #[who(Action::ViewPatient)]
    fn get_patient(w, id: PatientId) -> Patient {
        w.with(|c, a| c.patient(a, id))
    }

    /// Registers a patient.
    #[who(Action::CreatePatient)]
    fn create_patient(w, input: PatientInput) -> Patient {
        w.with(|c, a| c.create_patient(a, &input))
    }

    /// Patients who may already be this person (same name and birth date, or same phone), archived ones too; `except` leaves out the record being edited.
    #[who(Action::FindPatients)]
    fn possible_duplicates(w, input: PatientInput, except: Option<PatientId>) -> Vec<PatientSummary> {
        w.with(|c, a| c.possible_duplicates(a, &input, except))
    }

    /// Changes a patient's details; `conflict` when someone else saved first (the version moved on).
    #[who(Action::EditPatient)]
    fn update_patient(w, id: PatientId, expected_version: i64, input: PatientInput) -> Patient {
        w.with(|c, a| c.update_patient(a, id, expected_version, &input))
    }

    /// Archives a patient (or brings them back).
    #[who(Action::ArchivePatient)]
    fn set_patient_archived(w, id: PatientId, archived: bool) -> Patient {
        w.with(|c, a| c.set_patient_archived(a, id, archived))
    }

    /// How the clinic writes dates (its setting, or the computer's locale), with the formats it may choose.
    #[who(Action::ViewSettings)]
    fn date_format(w) -> DateFormatInfo {
        w.with(|c, a| c.date_format(a))
    }

    /// Two records of one person side by side: what merging `other` into `keep` would move, and why it cannot be done if it cannot.
    #[who(Action::MergePatients)]
    fn merge_preview(w, keep: PatientId, other: PatientId) -> MergePreview {
        w.with(|c, a| c.merge_preview(a, keep, other))
    }

    /// Merges `other` into `keep`: everything recorded moves, in one audited step; `other` is archived pointing at `keep`. `conflict` with the reason when refused.
    #[who(Action::MergePatients)]
    fn merge_patients(w, keep: PatientId, other: PatientId) -> MergeSummary {
        w.with(|c, a| c.merge_patients(a, keep, other))
    }

    /// Erases a patient and everything recorded about them (right to erasure).
    #[who(Action::ErasePatient)]
    fn erase_patient(w, id: PatientId) -> ErasureSummary {
        w.with(|c, a| c.erase_patient(a, id))
    }

    // ------------------------------------------------------------ screening and assessment
    /// The screening questions, in the order the form asks them.
    #[who(Action::RecordClinical)]
    fn screening_questions(w) -> Vec<ScreeningQuestion> {
        w.with(|c, a| c.screening_questions(a))
    }

    /// Records a screening; the answer says whether the patient may be treated and why.
    #[who(Action::RecordClinical)]
    fn record_screening(w, patient_id: PatientId, input: ScreeningInput) -> Screening {
        w.with(|c, a| c.record_screening(a, patient_id, &input))
    }

    /// A patient's screenings, newest first.
    #[who(Action::ReadClinical)]
    fn list_screenings(w, patient_id: PatientId) -> Vec<Screening> {
        w.with(|c, a| c.screenings(a, patient_id))
    }

    /// The Goodman & Baron quantitative score of these counts (the UI never computes it).
    #[who(Action::RecordClinical)]
    fn score_assessment(w, counts: GbCounts) -> u32 {
        w.with(|c, a| c.score_assessment(a, &counts))
    }

    /// Records a scar assessment.
    #[who(Action::RecordClinical)]
    fn record_assessment(w, patient_id: PatientId, input: AssessmentInput) -> Assessment {
        w.with(|c, a| c.record_assessment(a, patient_id, &input))
    }

    /// A patient's assessments, newest first.
    #[who(Action::ReadClinical)]
    fn list_assessments(w, patient_id: PatientId) -> Vec<Assessment> {
        w.with(|c, a| c.assessments(a, patient_id))
    }

    // ------------------------------------------------------------ plans and the calendar
    /// What the plan engine proposes; nothing is stored.
    #[who(Action::PlanTreatment)]
    fn propose_plan(w, input: PlanRequest) -> PlanProposal {
        w.with(|c, a| c.propose_plan(a, &input))
    }

    /// Stores the plan (status `active`).
    #[who(Action::PlanTreatment)]
    fn accept_plan(w, input: PlanRequest) -> Plan {
        w.with(|c, a| c.accept_plan(a, &input))
    }

    /// A patient's plans, newest first.
    #[who(Action::ReadClinical)]
    fn list_plans(w, patient_id: PatientId) -> Vec<Plan> {
        w.with(|c, a| c.plans(a, patient_id))
    }

    /// Moves a session; the later, not-done sessions are re-planned. The answer is the plan's schedule only (no clinical facts: the desk may move sessions).
    #[who(Action::MoveAppointment)]
    fn reschedule_session(w, session_id: PlannedSessionId, date: String) -> PlanSchedule {
        w.with(|c, a| c.reschedule_session(a, session_id, &date))
    }

    /// Sets a booked session's time of day (`HH:MM`, or empty for none).
    #[who(Action::MoveAppointment)]
    fn set_session_time(w, session_id: PlannedSessionId, time: String) -> PlanSchedule {
        w.with(|c, a| c.set_session_time(a, session_id, &time))
    }

    /// Pauses, resumes, completes or cancels a plan, with a reason.
    #[who(Action::PlanTreatment)]
    fn set_plan_status(w, plan_id: PlanId, status: PlanStatus, reason: String) -> Plan {
        w.with(|c, a| c.set_plan_status(a, plan_id, status, &reason))
    }

    /// Booked sessions from `from` to `to` (inclusive, `YYYY-MM-DD`), in date order.
    #[who(Action::ViewCalendar)]
    fn calendar(w, from: String, to: String) -> Vec<CalendarEntry> {
        w.with(|c, a| c.calendar(a, &from, &to))
    }

    /// Today's sessions and consultations, recalls due and the backup warning.
    #[who(Action::ViewCalendar)]
    fn today(w) -> TodayList {
        w.today()
    }

    /// The last good backup, for the Today screen's warning.
    #[who(Action::ViewCalendar)]
    fn backup_status(w) -> BackupStatus {
        w.with(|c, a| c.backup_status(a))
    }

    // ------------------------------------------------------------ live updates (issue 16)
    /// What changed after `since` (this PC's change number; 0: from now), as kinds and patient ids only, and whether the clinic server answers. The UI polls it about once a second. `locked` when the server refuses the password this PC signed in with (changed on another PC): not an outage.
    #[who(Action::WatchChanges)]
    fn changes(w, since: u64) -> ChangeFeed {
        w.changes(since)
    }

    // ------------------------------------------------------------ the recall call list
    /// The recalls overdue and due within a week (as on Today), each with the patient's phone, language and call log.
    #[who(Action::CallRecalls)]
    fn recall_calls(w) -> RecallCallList {
        w.with(|c, a| c.recall_calls(a))
    }

    /// Logs a call about a recall (called, no answer, left message, booked, declined) with a note.
    #[who(Action::CallRecalls)]
    fn record_recall_contact(w, recall_id: RecallId, input: RecallContactInput) -> RecallContact {
        w.with(|c, a| c.record_recall_contact(a, recall_id, &input))
    }

    /// Makes a recall letter in the patient's language (or `language`), writes it into the print folder and opens it.
    #[who(Action::CallRecalls)]
    fn print_recall_letter(w, recall_id: RecallId, language: Option<String>) -> PrintedDocument {
        let dir = w.prints_dir()?;
        let doc = w.with(|c, a| c.print_recall_letter(a, recall_id, language.as_deref(), &dir, true))?;
        let opened = w.desktop.open(Path::new(&doc.path));
        Ok(doc.after_open(opened))
    }

    // ------------------------------------------------------------ the reception desk
    /// Marks a planned session's patient as arrived (or undoes it).
    #[who(Action::CheckIn)]
    fn check_in(w, session_id: PlannedSessionId, arrived: bool) -> () {
        w.with(|c, a| c.check_in(a, session_id, arrived))
    }

    /// Books a first consultation for an existing patient; answers the appointment's id.
    #[who(Action::MoveAppointment)]
    fn book_consultation(w, patient_id: PatientId, date: String, time: String) -> i64 {
        w.with(|c, a| c.book_consultation(a, patient_id, &date, &time))
    }

    /// The desk's "new patient + first consultation": both are stored, or neither.
    #[who(Action::CreatePatient, Action::MoveAppointment)]
    fn register_with_consultation(w, input: PatientInput, date: String, time: String) -> Patient {
        w.with(|c, a| c.register_with_consultation(a, &input, &date, &time))
    }

    /// Cancels a first consultation.
    #[who(Action::MoveAppointment)]
    fn cancel_consultation(w, appointment_id: AppointmentId) -> () {
        w.with(|c, a| c.cancel_consultation(a, appointment_id))
    }

    /// Marks a first consultation's patient as arrived (or undoes it).
    #[who(Action::CheckIn)]
    fn check_in_consultation(w, appointment_id: AppointmentId, arrived: bool) -> () {
        w.with(|c, a| c.check_in_consultation(a, appointment_id, arrived))
    }

    // ------------------------------------------------------------ scheduling: length, practitioner, room
    /// Books an appointment (consultation, review or another of the clinic's kinds) for an existing patient, with its practitioner and room; a clash is refused as `conflict` naming the other booking and the next free slot.
    #[who(Action::MoveAppointment)]
    fn book_appointment(w, input: BookingInput) -> Booking {
        w.with(|c, a| c.book_appointment(a, &input))
    }

    /// Moves a booking (an appointment or a plan's session) to another date, time, practitioner or room, or changes its length; a clash is refused and nothing changes; a session obeys its plan's rules. `version`: the booking's version as shown (null: no check); changed since, it is refused as `conflict` naming who changed it and when.
    #[who(Action::MoveAppointment)]
    fn move_booking(w, key: BookingKey, version: Option<i64>, to: MoveInput) -> Booking {
        w.with(|c, a| c.move_booking(a, key, version, &to))
    }

    /// Changes a booking's length (minutes), keeping its start; refused when it would clash, or as `conflict` when `version` (as shown; null: no check) is no longer the booking's.
    #[who(Action::MoveAppointment)]
    fn resize_booking(w, key: BookingKey, version: Option<i64>, minutes: u32) -> Booking {
        w.with(|c, a| c.resize_booking(a, key, version, minutes))
    }

    /// Cancels an appointment (a plan's session is moved or its plan changed instead); refused as `conflict` when `version` (as shown; null: no check) is no longer the booking's.
    #[who(Action::MoveAppointment)]
    fn cancel_booking(w, key: BookingKey, version: Option<i64>) -> () {
        w.with(|c, a| c.cancel_booking(a, key, version))
    }

    /// Flags a booked patient's visit as running late (or clears it); the practitioner's view shows it; refused as `conflict` when `version` (as shown; null: no check) is no longer the booking's.
    #[who(Action::CheckIn)]
    fn set_running_late(w, key: BookingKey, version: Option<i64>, late: bool) -> () {
        w.with(|c, a| c.set_running_late(a, key, version, late))
    }

    /// Every booking from `from` to `to` (inclusive), each with practitioner, room, start, minutes, numbing minutes, kind, patient number and name, status.
    #[who(Action::ViewCalendar)]
    fn bookings(w, from: String, to: String) -> Vec<Booking> {
        w.with(|c, a| c.bookings(a, &from, &to))
    }

    /// The day grid's data for one date: practitioners with their hours, rooms, bookings.
    #[who(Action::ViewCalendar)]
    fn day_view(w, date: String) -> DayView {
        w.with(|c, a| c.day_view(a, &date))
    }

    /// The first free slot for a length, with a practitioner and a room (or any), from a date and time on; null when none in 60 days.
    #[who(Action::ViewCalendar)]
    fn next_free_slot(w, query: SlotQuery) -> Option<FreeSlot> {
        w.with(|c, a| c.next_free_slot(a, &query))
    }

    /// Free slots around each not-yet-done session's planned date (the day and two open days either side); book one with `move_booking`.
    #[who(Action::MoveAppointment)]
    fn session_slots(w, plan_id: PlanId, practitioner_id: Option<UserId>, room_id: Option<RoomId>) -> Vec<SessionSlots> {
        w.with(|c, a| c.session_slots(a, plan_id, practitioner_id, room_id))
    }

    /// The clinic's rooms, active first.
    #[who(Action::ViewCalendar)]
    fn list_rooms(w) -> Vec<Room> {
        w.with(|c, a| c.rooms(a))
    }

    /// Adds a room (Settings → Rooms).
    #[who(Action::EditSettings)]
    fn add_room(w, name: String) -> Room {
        w.with(|c, a| c.add_room(a, &name))
    }

    /// Renames a room, retires it (`active` false) or brings it back.
    #[who(Action::EditSettings)]
    fn update_room(w, room_id: RoomId, name: String, active: bool) -> Room {
        w.with(|c, a| c.update_room(a, room_id, &name, active))
    }

    /// The practitioners (users with the practitioner role) and their working weeks.
    #[who(Action::ViewCalendar)]
    fn list_practitioners(w) -> Vec<PractitionerInfo> {
        w.with(|c, a| c.practitioners(a))
    }

    /// Sets a practitioner's working week; null goes back to the default (open days, 09:00–17:00).
    #[who(Action::EditSettings)]
    fn set_practitioner_hours(w, user_id: UserId, days: Option<Vec<DayHours>>) -> PractitionerInfo {
        w.with(|c, a| c.set_practitioner_hours(a, user_id, days.as_deref()))
    }

    /// The appointment kinds with their default lengths and numbing minutes.
    #[who(Action::ViewCalendar)]
    fn appointment_kinds(w) -> Vec<AppointmentKind> {
        w.with(|c, a| c.appointment_kinds(a))
    }

    /// Replaces the kind list (the built-in session, consultation and review stay; retire instead of removing).
    #[who(Action::EditSettings)]
    fn set_appointment_kinds(w, kinds: Vec<AppointmentKind>) -> Vec<AppointmentKind> {
        w.with(|c, a| c.set_appointment_kinds(a, &kinds))
    }

    // ------------------------------------------------------------ sessions, healing, photos
    /// The session form for a planned session, pre-filled from the patient's last session.
    #[who(Action::RecordClinical)]
    fn session_draft(w, planned_session_id: PlannedSessionId) -> SessionDraft {
        w.with(|c, a| c.session_draft(a, planned_session_id))
    }

    /// Records a session; the planned session becomes done and the later ones may move.
    #[who(Action::RecordClinical)]
    fn record_session(w, planned_session_id: PlannedSessionId, input: SessionRecordInput) -> SessionRecord {
        w.with(|c, a| c.record_session(a, planned_session_id, &input))
    }

    /// A patient's session records, newest first, each with its healing report or null.
    #[who(Action::ReadClinical)]
    fn list_session_records(w, patient_id: PatientId) -> Vec<SessionRecord> {
        w.with(|c, a| c.session_records(a, patient_id))
    }

    /// Records the healing follow-up: slow healing moves the next session; an adverse event pauses the plan.
    #[who(Action::RecordClinical)]
    fn record_healing(w, session_record_id: SessionRecordId, input: HealingInput) -> HealingOutcome {
        w.with(|c, a| c.record_healing(a, session_record_id, &input))
    }

    /// The adverse-event register, newest first.
    #[who(Action::ReadClinical)]
    fn adverse_events(w, filter: AdverseEventFilter) -> Vec<AdverseEventEntry> {
        w.with(|c, a| c.adverse_events(a, &filter))
    }

    /// Writes the register as CSV to `path` (a save dialog's choice); answers the number of events written.
    #[who(Action::ReadClinical)]
    fn export_adverse_events(w, filter: AdverseEventFilter, path: String) -> usize {
        w.with(|c, a| c.export_adverse_events(a, &filter, Path::new(&path)))
    }

    /// Every session in which a lot (cartridge, glide, device or numbing cream) was used, optionally between two days (inclusive), with the patient's contact details and the practitioner.
    #[who(Action::TraceLots)]
    fn lot_trace(w, filter: LotTraceFilter) -> Vec<LotTraceRow> {
        w.with(|c, a| c.lot_trace(a, &filter))
    }

    /// Writes the lot trace as CSV to `path` (a save dialog's choice); answers the number of sessions written.
    #[who(Action::TraceLots)]
    fn export_lot_trace(w, filter: LotTraceFilter, path: String) -> usize {
        w.with(|c, a| c.export_lot_trace(a, &filter, Path::new(&path)))
    }

    /// Makes the lot trace letter list (PDF, one row per patient), writes it into the print folder and opens it.
    #[who(Action::TraceLots)]
    fn print_lot_trace(w, filter: LotTraceFilter) -> PrintedDocument {
        let dir = w.prints_dir()?;
        let doc = w.with(|c, a| c.print_lot_trace(a, &filter, &dir, true))?;
        let opened = w.desktop.open(Path::new(&doc.path));
        Ok(doc.after_open(opened))
    }

    /// Scores over time, the improvement and the sessions, for the Progress tab.
    #[who(Action::ReadClinical)]
    fn progress(w, patient_id: PatientId) -> Progress {
        w.with(|c, a| c.progress(a, patient_id))
    }

    /// A patient's photos, newest first.
    #[who(Action::ReadClinical)]
    fn list_photos(w, patient_id: PatientId) -> Vec<Photo> {
        w.with(|c, a| c.photos(a, patient_id))
    }

    /// Before-and-after pairs per area and angle.
    #[who(Action::ReadClinical)]
    fn before_after(w, patient_id: PatientId) -> Vec<BeforeAfter> {
        w.with(|c, a| c.before_after(a, patient_id))
    }

    /// Imports a photo file (JPEG or PNG) for a patient.
    #[who(Action::RecordClinical)]
    fn import_photo(w, patient_id: PatientId, import: PhotoImport) -> Photo {
        w.with(|c, a| c.import_photo_file(a, patient_id, &import))
    }

    /// Deletes a photo (audited; its file goes when no other photo uses it).
    #[who(Action::DeletePhoto)]
    fn delete_photo(w, photo_id: PhotoId) -> () {
        w.with(|c, a| c.delete_photo(a, photo_id))
    }

    /// A photo's (or its thumbnail's) bytes, raw.
    #[who(Action::ReadClinical)]
    fn photo_data(w, photo_id: PhotoId, thumb: bool) -> Bytes {
        w.with(|c, a| c.photo_bytes(a, photo_id, thumb)).map(|(_, b)| Bytes(b))
    }

    /// The clinic's needle-depth chart per zone.
    #[who(Action::ViewSettings)]
    fn depth_chart(w) -> Vec<ZoneDepthChart> {
        w.with(|c, a| c.depth_chart(a))
    }

    /// Changes the depth chart.
    #[who(Action::EditSettings)]
    fn update_depth_chart(w, chart: Vec<ZoneDepthChart>) -> Vec<ZoneDepthChart> {
        w.with(|c, a| c.update_depth_chart(a, &chart))
    }

    // ------------------------------------------------------------ consent forms
    /// Every version of every consent form, newest first (Dermis's own microneedling text is version 1).
    #[who(Action::TakeConsent)]
    fn consent_templates(w) -> Vec<ConsentTemplate> {
        w.with(|c, a| c.consent_templates(a))
    }

    /// The version of a consent form (`microneedling`) a patient signs now.
    #[who(Action::TakeConsent)]
    fn current_consent_template(w, key: String) -> ConsentTemplate {
        w.with(|c, a| c.current_consent_template(a, &key))
    }

    /// Saves a new version of a consent form; earlier signatures keep the text they signed.
    #[who(Action::EditSettings)]
    fn save_consent_template(w, input: ConsentTemplateInput) -> ConsentTemplate {
        w.with(|c, a| c.save_consent_template(a, &input))
    }

    /// The clinic's consent rules: refuse or warn at the session; months before a new plan needs a new consent.
    #[who(Action::ViewSettings)]
    fn consent_settings(w) -> ConsentSettings {
        w.with(|c, a| c.consent_settings(a))
    }

    /// Changes the clinic's consent rules.
    #[who(Action::EditSettings)]
    fn update_consent_settings(w, settings: ConsentSettings) -> ConsentSettings {
        w.with(|c, a| c.set_consent_settings(a, &settings))
    }

    /// Stores the patient's signature on the current version of a form; `confirm` (a practitioner only) freezes it into its PDF at once.
    #[who(Action::TakeConsent)]
    fn sign_consent(w, input: ConsentSignInput) -> ConsentSummary {
        w.with(|c, a| c.sign_consent(a, &input))
    }

    /// A practitioner confirms a signature the desk took: the consent is frozen and its PDF made.
    #[who(Action::ConfirmConsent)]
    fn confirm_consent(w, consent_id: ConsentId) -> Consent {
        w.with(|c, a| c.confirm_consent(a, consent_id))
    }

    /// Withdraws a consent, with the reason (audited).
    #[who(Action::ConfirmConsent)]
    fn revoke_consent(w, consent_id: ConsentId, reason: String) -> ConsentSummary {
        w.with(|c, a| c.revoke_consent(a, consent_id, &reason))
    }

    /// Where each of a patient's consents stands (form, version, dates, status; never the content).
    #[who(Action::ViewPatient)]
    fn list_consents(w, patient_id: PatientId) -> Vec<ConsentSummary> {
        w.with(|c, a| c.consents(a, patient_id))
    }

    /// A signed consent, whole: the text as signed, the strokes, the photo-use answers (audited read).
    #[who(Action::ReadClinical)]
    fn consent(w, consent_id: ConsentId) -> Consent {
        w.with(|c, a| c.consent(a, consent_id))
    }

    /// The patient's photo-use answers, from their newest signed, unrevoked consent (all no without one).
    #[who(Action::ReadClinical)]
    fn photo_consent(w, patient_id: PatientId) -> PhotoUses {
        w.with(|c, a| c.photo_consent(a, patient_id))
    }

    /// Writes a confirmed consent's stored PDF (the frozen bytes) into the print folder and opens it.
    #[who(Action::ReadClinical)]
    fn print_consent(w, consent_id: ConsentId) -> PrintedDocument {
        let dir = w.prints_dir()?;
        let doc = w.with(|c, a| c.print_consent(a, consent_id, &dir))?;
        let opened = w.desktop.open(Path::new(&doc.path));
        Ok(doc.after_open(opened))
    }

    /// Writes a confirmed consent's stored PDF to `path` (a "Save as…" choice).
    #[who(Action::ReadClinical)]
    fn save_consent(w, consent_id: ConsentId, path: String) -> PrintedDocument {
        w.with(|c, a| c.save_consent(a, consent_id, Path::new(&path)))
    }

    // ------------------------------------------------------------ documents
    /// Makes the PDF, writes it into the private print folder, records the print and opens it in the system's PDF viewer; the answer says honestly whether a viewer opened it. `language` (a code) overrides the patient's preferred language. While the clinic server does not answer, an aftercare sheet Today showed prints from what this PC kept, and its record waits for the server.
    #[who(Action::PrintHandouts)]
    fn print_document(w, request: PrintRequest, language: Option<String>) -> PrintedDocument {
        w.print_document(&request, language.as_deref())
    }

    /// Opens the folder printed PDFs are written to (when no viewer opened one).
    #[who(Action::PrintHandouts)]
    fn show_prints(w) -> () {
        // Refused (and the refusal audited) like printing itself.
        w.with(|c, a| c.allow(a, Action::PrintHandouts))?;
        w.open_folder(&w.prints_dir()?, "print folder")
    }

    /// Makes the PDF and writes it to `path` (a "Save as…" dialog's choice), then records it.
    #[who(Action::PrintHandouts)]
    fn save_document(w, request: PrintRequest, path: String, language: Option<String>) -> PrintedDocument {
        w.with(|c, a| c.save_document(a, &request, language.as_deref(), Path::new(&path)))
    }

    /// Every document printed or saved for a patient, newest first.
    #[who(Action::ViewPatient)]
    fn list_documents(w, patient_id: PatientId) -> Vec<DocumentInfo> {
        w.with(|c, a| c.documents(a, patient_id))
    }

    /// Every language a patient may prefer, named in itself; `documents` marks those Dermis prints in.
    #[who(anyone)]
    fn languages(_w) -> Vec<LanguageOption> {
        Ok(crate::languages())
    }

    /// The aftercare text of each document language, and whether the clinic has reviewed it.
    #[who(Action::ViewSettings)]
    fn aftercare_texts(w) -> Vec<AftercareTextView> {
        w.with(|c, a| c.aftercare_texts(a))
    }

    /// Saves the clinic's aftercare text in one language (empty: back to Dermis's default text).
    #[who(Action::EditSettings)]
    fn save_aftercare_text(w, language: String, text: String) -> AftercareTextView {
        w.with(|c, a| c.save_aftercare_text(a, &language, &text))
    }

    /// Marks a language's current aftercare text as reviewed by the signed-in clinician.
    #[who(Action::EditSettings, Action::RecordClinical)]
    fn approve_aftercare_text(w, language: String) -> AftercareTextView {
        w.with(|c, a| c.approve_aftercare_text(a, &language))
    }

    // ------------------------------------------------------------ Settings
    /// The clinic's details and settings.
    #[who(Action::ViewSettings)]
    fn clinic_settings(w) -> ClinicSettingsView {
        w.with(|c, a| c.clinic_settings(a))
    }

    /// Changes the clinic's name, address and phone.
    #[who(Action::EditSettings)]
    fn update_clinic_details(w, details: ClinicDetails) -> ClinicSettingsView {
        w.with(|c, a| c.update_clinic_details(a, &details))
    }

    /// Changes the clinic's settings (open days, idle lock, paper size, default language, …).
    #[who(Action::EditSettings)]
    fn update_clinic_settings(w, settings: ClinicSettings) -> ClinicSettingsView {
        w.with(|c, a| c.update_clinic_settings(a, &settings))
    }

    /// Stores the image at `path` (PNG or JPEG, chosen in the open dialog) as the letterhead's logo.
    #[who(Action::EditSettings)]
    fn set_logo(w, path: String) -> () {
        w.with(|c, a| c.set_logo_file(a, Path::new(&path)))
    }

    /// Removes the logo.
    #[who(Action::EditSettings)]
    fn clear_logo(w) -> () {
        w.with(|c, a| c.clear_logo(a))
    }

    /// The logo's bytes, raw (empty when there is none).
    #[who(Action::ViewSettings)]
    fn logo_data(w) -> Bytes {
        w.with(|c, a| c.logo(a)).map(|l| Bytes(l.map(|(b, _)| b).unwrap_or_default()))
    }

    /// The intervals and session counts the plan engine uses.
    #[who(Action::ViewSettings)]
    fn plan_settings(w) -> PlanSettings {
        w.with(|c, a| c.plan_settings(a))
    }

    /// Changes the plan settings.
    #[who(Action::EditSettings)]
    fn update_plan_settings(w, settings: PlanSettings) -> PlanSettings {
        w.with(|c, a| c.update_plan_settings(a, &settings))
    }

    /// The contraindication rules screening applies.
    #[who(Action::ViewSettings)]
    fn contraindication_rules(w) -> Vec<Rule> {
        w.with(|c, a| c.contraindication_rules(a))
    }

    /// Changes the contraindication rules.
    #[who(Action::EditSettings)]
    fn update_contraindication_rules(w, rules: Vec<Rule>) -> Vec<Rule> {
        w.with(|c, a| c.update_contraindication_rules(a, &rules))
    }

    // ------------------------------------------------------------ accounts and the audit log
    /// Every account, active first.
    #[who(Action::ManageUsers)]
    fn list_users(w) -> Vec<UserInfo> {
        w.with(|c, a| c.users(a))
    }

    /// Creates an account.
    #[who(Action::ManageUsers)]
    fn create_user(w, input: NewUserInput) -> ActorInfo {
        w.with(|c, a| c.create_user(a, &input.username, &input.display_name, &input.password, &input.roles))
    }

    /// Stops an account from signing in (accounts are never deleted).
    #[who(Action::ManageUsers)]
    fn deactivate_user(w, username: String) -> () {
        w.with(|c, a| c.deactivate_user(a, &username))
    }

    /// Sets another user's password.
    #[who(Action::ManageUsers)]
    fn reset_password(w, username: String, password: String) -> () {
        w.with(|c, a| c.reset_password(a, &username, &password))
    }

    /// A page of the audit log, newest first; the next page: `before_id` = the last item's id.
    #[who(Action::ReadAuditLog)]
    fn audit_page(w, filter: AuditFilter) -> AuditPage {
        w.with(|c, a| c.audit_page(a, &filter))
    }

    /// The id of the first entry that does not verify, or null when the chain is intact.
    #[who(Action::ReadAuditLog)]
    fn verify_audit(w) -> Option<i64> {
        w.with(|c, a| c.verify_audit(a))
    }

    /// The current head and entry count, to keep on paper (audited).
    #[who(Action::ReadAuditLog)]
    fn audit_checkpoint(w) -> AuditVerdict {
        w.with(|c, a| c.audit_checkpoint(a))
    }

    /// Writes the whole log as CSV to `path`; answers the number of entries written.
    #[who(Action::ReadAuditLog)]
    fn export_audit(w, path: String) -> usize {
        w.with(|c, a| c.export_audit(a, Path::new(&path)))
    }

    // ------------------------------------------------------------ backups and exports
    /// Writes a verified backup into `folder` (a USB stick).
    #[who(Action::Backup)]
    fn backup_now(w, folder: String) -> BackupSummary {
        w.with(|c, a| c.backup_to_folder(a, Path::new(&folder)))
    }

    /// What a backup file holds, checked; nothing changes (refused with the reason when it cannot be restored).
    #[who(Action::Backup)]
    fn inspect_backup(w, path: String) -> BackupSummary {
        w.with(|c, a| c.inspect_backup(a, Path::new(&path)))
    }

    /// Replaces the clinic's data with the backup (the current data is kept beside the database first).
    #[who(Action::Backup)]
    fn restore_backup(w, path: String) -> BackupSummary {
        w.with(|c, a| c.restore(a, Path::new(&path)))
    }

    /// Exports the clinic's data: CSV into the folder `path`, or JSON into the file `path`. On an encrypted clinic: one AES-256 encrypted ZIP (in the folder, or `path` with `.zip`), its one-time passphrase in this reply only.
    #[who(Action::ExportData)]
    fn export_data(w, format: ExportFormat, path: String) -> ExportSummary {
        w.with(|c, a| c.export_data(a, format, Path::new(&path)))
    }

    /// One patient's full record as a JSON file (a data-access request); on an encrypted clinic an AES-256 encrypted ZIP (`path` with `.zip`) and its one-time passphrase, in this reply only.
    #[who(Action::ExportData)]
    fn export_patient(w, patient_id: PatientId, path: String) -> crate::PatientExport {
        w.with(|c, a| c.export_patient_record(a, patient_id, Path::new(&path)))
    }
}
