// Generated from crates/dermis-clinic/src/api/table.rs by `cargo test -p dermis-clinic`. Do not edit.
import type { ActorInfo } from "./ActorInfo";
import type { AdverseEventEntry } from "./AdverseEventEntry";
import type { AdverseEventFilter } from "./AdverseEventFilter";
import type { AftercareTextView } from "./AftercareTextView";
import type { AppInfo } from "./AppInfo";
import type { AppStatus } from "./AppStatus";
import type { AppointmentId } from "./AppointmentId";
import type { AppointmentKind } from "./AppointmentKind";
import type { Assessment } from "./Assessment";
import type { AssessmentInput } from "./AssessmentInput";
import type { AuditFilter } from "./AuditFilter";
import type { AuditPage } from "./AuditPage";
import type { AuditVerdict } from "./AuditVerdict";
import type { BackupStatus } from "./BackupStatus";
import type { BackupSummary } from "./BackupSummary";
import type { BeforeAfter } from "./BeforeAfter";
import type { Booking } from "./Booking";
import type { BookingInput } from "./BookingInput";
import type { BookingKey } from "./BookingKey";
import type { CalendarEntry } from "./CalendarEntry";
import type { ChangeFeed } from "./ChangeFeed";
import type { ClinicDetails } from "./ClinicDetails";
import type { ClinicServerStatus } from "./ClinicServerStatus";
import type { ClinicSettings } from "./ClinicSettings";
import type { ClinicSettingsView } from "./ClinicSettingsView";
import type { ConnectionInfo } from "./ConnectionInfo";
import type { Consent } from "./Consent";
import type { ConsentId } from "./ConsentId";
import type { ConsentSettings } from "./ConsentSettings";
import type { ConsentSignInput } from "./ConsentSignInput";
import type { ConsentSummary } from "./ConsentSummary";
import type { ConsentTemplate } from "./ConsentTemplate";
import type { ConsentTemplateInput } from "./ConsentTemplateInput";
import type { ContraindicationRule } from "./ContraindicationRule";
import type { DateFormatInfo } from "./DateFormatInfo";
import type { DayHours } from "./DayHours";
import type { DayView } from "./DayView";
import type { DocumentInfo } from "./DocumentInfo";
import type { EncryptOutcome } from "./EncryptOutcome";
import type { EncryptionState } from "./EncryptionState";
import type { ErasureSummary } from "./ErasureSummary";
import type { ExportFormat } from "./ExportFormat";
import type { ExportSummary } from "./ExportSummary";
import type { FreeSlot } from "./FreeSlot";
import type { GbCounts } from "./GbCounts";
import type { HealingInput } from "./HealingInput";
import type { HealingOutcome } from "./HealingOutcome";
import type { LanguageOption } from "./LanguageOption";
import type { LoginInput } from "./LoginInput";
import type { LotTraceFilter } from "./LotTraceFilter";
import type { LotTraceRow } from "./LotTraceRow";
import type { MergePreview } from "./MergePreview";
import type { MergeSummary } from "./MergeSummary";
import type { MoveInput } from "./MoveInput";
import type { NewUserInput } from "./NewUserInput";
import type { Patient } from "./Patient";
import type { PatientExport } from "./PatientExport";
import type { PatientId } from "./PatientId";
import type { PatientInput } from "./PatientInput";
import type { PatientPage } from "./PatientPage";
import type { PatientSearch } from "./PatientSearch";
import type { PatientSummary } from "./PatientSummary";
import type { Photo } from "./Photo";
import type { PhotoId } from "./PhotoId";
import type { PhotoImport } from "./PhotoImport";
import type { PhotoUses } from "./PhotoUses";
import type { Plan } from "./Plan";
import type { PlanId } from "./PlanId";
import type { PlanProposal } from "./PlanProposal";
import type { PlanRequest } from "./PlanRequest";
import type { PlanSchedule } from "./PlanSchedule";
import type { PlanSettings } from "./PlanSettings";
import type { PlanStatus } from "./PlanStatus";
import type { PlannedSessionId } from "./PlannedSessionId";
import type { PractitionerInfo } from "./PractitionerInfo";
import type { PrintRequest } from "./PrintRequest";
import type { PrintedDocument } from "./PrintedDocument";
import type { Progress } from "./Progress";
import type { RecallCallList } from "./RecallCallList";
import type { RecallContact } from "./RecallContact";
import type { RecallContactInput } from "./RecallContactInput";
import type { RecallId } from "./RecallId";
import type { RemovedCopies } from "./RemovedCopies";
import type { Room } from "./Room";
import type { RoomId } from "./RoomId";
import type { Screening } from "./Screening";
import type { ScreeningInput } from "./ScreeningInput";
import type { ScreeningQuestion } from "./ScreeningQuestion";
import type { ServerProbe } from "./ServerProbe";
import type { SessionDraft } from "./SessionDraft";
import type { SessionRecord } from "./SessionRecord";
import type { SessionRecordId } from "./SessionRecordId";
import type { SessionRecordInput } from "./SessionRecordInput";
import type { SessionSlots } from "./SessionSlots";
import type { SetupInput } from "./SetupInput";
import type { SlotQuery } from "./SlotQuery";
import type { TodayList } from "./TodayList";
import type { UserId } from "./UserId";
import type { UserInfo } from "./UserInfo";
import type { ZoneDepthChart } from "./ZoneDepthChart";

/** Every command the backend answers: its arguments and its reply. */
export type Commands = {
  /** Before sign-in: whether first run is due, the clinic's name, who is signed in, the idle-lock minutes, whether the app is locked. */
  app_status: { args: {}; reply: AppStatus };
  /** The About box: the app's name and version, the database and the log folder. */
  app_info: { args: {}; reply: AppInfo };
  /** Opens the log folder in the system's file manager. */
  show_logs: { args: {}; reply: null };
  /** First run: creates the clinic and its first account (admin and practitioner) and signs that account in. */
  setup_clinic: { args: { input: SetupInput }; reply: ActorInfo };
  /** Signs in (five wrong passwords lock the name for 15 minutes). */
  login: { args: { input: LoginInput }; reply: ActorInfo };
  /** Signs out (audited); the lock is lifted; an encrypted clinic or the clinic server is closed. */
  logout: { args: {}; reply: null };
  /** Locks the app (after the clinic's idle time; the backend also locks by itself once it has passed). */
  lock_app: { args: {}; reply: null };
  /** Unlocks with the signed-in user's own password (rate limited like sign-in); after a password changed on another PC, the new one is what this PC connects to the clinic server with from then on. */
  unlock_app: { args: { password: string }; reply: null };
  /** The signed-in user's own password: the current one, then the new one. */
  change_password: { args: { current: string, new_password: string }; reply: null };
  /** Where this PC works: its clinic file (plain or encrypted) or the clinic server with the pinned fingerprint; whether it may change that now. */
  connection_info: { args: {}; reply: ConnectionInfo };
  /** Whether the app offers to encrypt this PC's clinic (a plaintext clinic file; never the clinic server), and Settings → Security's state: encrypted or not, a recovery key still to confirm, plaintext copies left. */
  encryption_state: { args: {}; reply: EncryptionState };
  /** Encrypts this PC's plaintext clinic with the same use-case as `dermis encrypt` (a verified backup first; counts and audit head compared; one atomic swap), the administrator's password wrapping the new key; the administrator stays signed in. The recovery key is in this reply only. */
  encrypt_clinic: { args: { password: string }; reply: EncryptOutcome };
  /** The recovery sheet PDF of the key just shown, to a path the administrator chose (only until the key is confirmed). */
  save_recovery_sheet: { args: { path: string }; reply: null };
  /** The administrator confirms they kept the recovery key by typing its last group; the key is then forgotten by the app. */
  confirm_recovery_key: { args: { last_group: string }; reply: null };
  /** Overwrites and removes the plaintext copies of an encrypted clinic (the backup made before encrypting, older plaintext automatic backups); only once the recovery key is confirmed. */
  remove_plaintext_copies: { args: {}; reply: RemovedCopies };
  /** "Forgot the admin password?" on an encrypted clinic, before sign-in: the recovery key (from the recovery sheet) sets the account's new password. A wrong key counts toward the name's lockout like a wrong password; the key is never stored or logged. */
  recover_password: { args: { username: string, recovery_key: string, new_password: string }; reply: null };
  /** Settings → Clinic server: this PC's server and pinned fingerprint (or "this PC only"), whether it answers now and since when not, the last verified backup. */
  clinic_server_status: { args: {}; reply: ClinicServerStatus };
  /** Joining a clinic server, step 1: the SHA-256 fingerprint of the server's TLS certificate (a handshake only, no sign-in), for the admin to compare. First run or a signed-in admin only. */
  server_probe: { args: { host: string, port: number, database: string }; reply: ServerProbe };
  /** Joining a clinic server, step 2: the admin confirmed the fingerprint; it is pinned and remembered, and this PC signs in on the server from now on. First run or a signed-in admin only. */
  server_join: { args: { host: string, port: number, database: string, fingerprint: string }; reply: ConnectionInfo };
  /** A page of patients matching the query (accent- and case-insensitive; names, numbers, phone, birth date). */
  search_patients: { args: { search: PatientSearch }; reply: PatientPage };
  /** One patient's details. */
  get_patient: { args: { id: PatientId }; reply: Patient };
  /** Registers a patient. */
  create_patient: { args: { input: PatientInput }; reply: Patient };
  /** Patients who may already be this person (same name and birth date, or same phone), archived ones too; `except` leaves out the record being edited. */
  possible_duplicates: { args: { input: PatientInput, except?: PatientId | null }; reply: Array<PatientSummary> };
  /** Changes a patient's details; `conflict` when someone else saved first (the version moved on). */
  update_patient: { args: { id: PatientId, expected_version: number, input: PatientInput }; reply: Patient };
  /** Archives a patient (or brings them back). */
  set_patient_archived: { args: { id: PatientId, archived: boolean }; reply: Patient };
  /** How the clinic writes dates (its setting, or the computer's locale), with the formats it may choose. */
  date_format: { args: {}; reply: DateFormatInfo };
  /** Two records of one person side by side: what merging `other` into `keep` would move, and why it cannot be done if it cannot. */
  merge_preview: { args: { keep: PatientId, other: PatientId }; reply: MergePreview };
  /** Merges `other` into `keep`: everything recorded moves, in one audited step; `other` is archived pointing at `keep`. `conflict` with the reason when refused. */
  merge_patients: { args: { keep: PatientId, other: PatientId }; reply: MergeSummary };
  /** Erases a patient and everything recorded about them (right to erasure). */
  erase_patient: { args: { id: PatientId }; reply: ErasureSummary };
  /** The screening questions, in the order the form asks them. */
  screening_questions: { args: {}; reply: Array<ScreeningQuestion> };
  /** Records a screening; the answer says whether the patient may be treated and why. */
  record_screening: { args: { patient_id: PatientId, input: ScreeningInput }; reply: Screening };
  /** A patient's screenings, newest first. */
  list_screenings: { args: { patient_id: PatientId }; reply: Array<Screening> };
  /** The Goodman & Baron quantitative score of these counts (the UI never computes it). */
  score_assessment: { args: { counts: GbCounts }; reply: number };
  /** Records a scar assessment. */
  record_assessment: { args: { patient_id: PatientId, input: AssessmentInput }; reply: Assessment };
  /** A patient's assessments, newest first. */
  list_assessments: { args: { patient_id: PatientId }; reply: Array<Assessment> };
  /** What the plan engine proposes; nothing is stored. */
  propose_plan: { args: { input: PlanRequest }; reply: PlanProposal };
  /** Stores the plan (status `active`). */
  accept_plan: { args: { input: PlanRequest }; reply: Plan };
  /** A patient's plans, newest first. */
  list_plans: { args: { patient_id: PatientId }; reply: Array<Plan> };
  /** Moves a session; the later, not-done sessions are re-planned. The answer is the plan's schedule only (no clinical facts: the desk may move sessions). */
  reschedule_session: { args: { session_id: PlannedSessionId, date: string }; reply: PlanSchedule };
  /** Sets a booked session's time of day (`HH:MM`, or empty for none). */
  set_session_time: { args: { session_id: PlannedSessionId, time: string }; reply: PlanSchedule };
  /** Pauses, resumes, completes or cancels a plan, with a reason. */
  set_plan_status: { args: { plan_id: PlanId, status: PlanStatus, reason: string }; reply: Plan };
  /** Booked sessions from `from` to `to` (inclusive, `YYYY-MM-DD`), in date order. */
  calendar: { args: { from: string, to: string }; reply: Array<CalendarEntry> };
  /** Today's sessions and consultations, recalls due and the backup warning. */
  today: { args: {}; reply: TodayList };
  /** The last good backup, for the Today screen's warning. */
  backup_status: { args: {}; reply: BackupStatus };
  /** What changed after `since` (this PC's change number; 0: from now), as kinds and patient ids only, and whether the clinic server answers. The UI polls it about once a second. `locked` when the server refuses the password this PC signed in with (changed on another PC): not an outage. */
  changes: { args: { since: number }; reply: ChangeFeed };
  /** The recalls overdue and due within a week (as on Today), each with the patient's phone, language and call log. */
  recall_calls: { args: {}; reply: RecallCallList };
  /** Logs a call about a recall (called, no answer, left message, booked, declined) with a note. */
  record_recall_contact: { args: { recall_id: RecallId, input: RecallContactInput }; reply: RecallContact };
  /** Makes a recall letter in the patient's language (or `language`), writes it into the print folder and opens it. */
  print_recall_letter: { args: { recall_id: RecallId, language?: string | null }; reply: PrintedDocument };
  /** Marks a planned session's patient as arrived (or undoes it). */
  check_in: { args: { session_id: PlannedSessionId, arrived: boolean }; reply: null };
  /** Books a first consultation for an existing patient; answers the appointment's id. */
  book_consultation: { args: { patient_id: PatientId, date: string, time: string }; reply: number };
  /** The desk's "new patient + first consultation": both are stored, or neither. */
  register_with_consultation: { args: { input: PatientInput, date: string, time: string }; reply: Patient };
  /** Cancels a first consultation. */
  cancel_consultation: { args: { appointment_id: AppointmentId }; reply: null };
  /** Marks a first consultation's patient as arrived (or undoes it). */
  check_in_consultation: { args: { appointment_id: AppointmentId, arrived: boolean }; reply: null };
  /** Books an appointment (consultation, review or another of the clinic's kinds) for an existing patient, with its practitioner and room; a clash is refused as `conflict` naming the other booking and the next free slot. */
  book_appointment: { args: { input: BookingInput }; reply: Booking };
  /** Moves a booking (an appointment or a plan's session) to another date, time, practitioner or room, or changes its length; a clash is refused and nothing changes; a session obeys its plan's rules. `version`: the booking's version as shown (null: no check); changed since, it is refused as `conflict` naming who changed it and when. */
  move_booking: { args: { key: BookingKey, version?: number | null, to: MoveInput }; reply: Booking };
  /** Changes a booking's length (minutes), keeping its start; refused when it would clash, or as `conflict` when `version` (as shown; null: no check) is no longer the booking's. */
  resize_booking: { args: { key: BookingKey, version?: number | null, minutes: number }; reply: Booking };
  /** Cancels an appointment (a plan's session is moved or its plan changed instead); refused as `conflict` when `version` (as shown; null: no check) is no longer the booking's. */
  cancel_booking: { args: { key: BookingKey, version?: number | null }; reply: null };
  /** Flags a booked patient's visit as running late (or clears it); the practitioner's view shows it; refused as `conflict` when `version` (as shown; null: no check) is no longer the booking's. */
  set_running_late: { args: { key: BookingKey, version?: number | null, late: boolean }; reply: null };
  /** Every booking from `from` to `to` (inclusive), each with practitioner, room, start, minutes, numbing minutes, kind, patient number and name, status. */
  bookings: { args: { from: string, to: string }; reply: Array<Booking> };
  /** The day grid's data for one date: practitioners with their hours, rooms, bookings. */
  day_view: { args: { date: string }; reply: DayView };
  /** The first free slot for a length, with a practitioner and a room (or any), from a date and time on; null when none in 60 days. */
  next_free_slot: { args: { query: SlotQuery }; reply: FreeSlot | null };
  /** Free slots around each not-yet-done session's planned date (the day and two open days either side); book one with `move_booking`. */
  session_slots: { args: { plan_id: PlanId, practitioner_id?: UserId | null, room_id?: RoomId | null }; reply: Array<SessionSlots> };
  /** The clinic's rooms, active first. */
  list_rooms: { args: {}; reply: Array<Room> };
  /** Adds a room (Settings → Rooms). */
  add_room: { args: { name: string }; reply: Room };
  /** Renames a room, retires it (`active` false) or brings it back. */
  update_room: { args: { room_id: RoomId, name: string, active: boolean }; reply: Room };
  /** The practitioners (users with the practitioner role) and their working weeks. */
  list_practitioners: { args: {}; reply: Array<PractitionerInfo> };
  /** Sets a practitioner's working week; null goes back to the default (open days, 09:00–17:00). */
  set_practitioner_hours: { args: { user_id: UserId, days?: Array<DayHours> | null }; reply: PractitionerInfo };
  /** The appointment kinds with their default lengths and numbing minutes. */
  appointment_kinds: { args: {}; reply: Array<AppointmentKind> };
  /** Replaces the kind list (the built-in session, consultation and review stay; retire instead of removing). */
  set_appointment_kinds: { args: { kinds: Array<AppointmentKind> }; reply: Array<AppointmentKind> };
  /** The session form for a planned session, pre-filled from the patient's last session. */
  session_draft: { args: { planned_session_id: PlannedSessionId }; reply: SessionDraft };
  /** Records a session; the planned session becomes done and the later ones may move. */
  record_session: { args: { planned_session_id: PlannedSessionId, input: SessionRecordInput }; reply: SessionRecord };
  /** A patient's session records, newest first, each with its healing report or null. */
  list_session_records: { args: { patient_id: PatientId }; reply: Array<SessionRecord> };
  /** Records the healing follow-up: slow healing moves the next session; an adverse event pauses the plan. */
  record_healing: { args: { session_record_id: SessionRecordId, input: HealingInput }; reply: HealingOutcome };
  /** The adverse-event register, newest first. */
  adverse_events: { args: { filter: AdverseEventFilter }; reply: Array<AdverseEventEntry> };
  /** Writes the register as CSV to `path` (a save dialog's choice); answers the number of events written. */
  export_adverse_events: { args: { filter: AdverseEventFilter, path: string }; reply: number };
  /** Every session in which a lot (cartridge, glide, device or numbing cream) was used, optionally between two days (inclusive), with the patient's contact details and the practitioner. */
  lot_trace: { args: { filter: LotTraceFilter }; reply: Array<LotTraceRow> };
  /** Writes the lot trace as CSV to `path` (a save dialog's choice); answers the number of sessions written. */
  export_lot_trace: { args: { filter: LotTraceFilter, path: string }; reply: number };
  /** Makes the lot trace letter list (PDF, one row per patient), writes it into the print folder and opens it. */
  print_lot_trace: { args: { filter: LotTraceFilter }; reply: PrintedDocument };
  /** Scores over time, the improvement and the sessions, for the Progress tab. */
  progress: { args: { patient_id: PatientId }; reply: Progress };
  /** A patient's photos, newest first. */
  list_photos: { args: { patient_id: PatientId }; reply: Array<Photo> };
  /** Before-and-after pairs per area and angle. */
  before_after: { args: { patient_id: PatientId }; reply: Array<BeforeAfter> };
  /** Imports a photo file (JPEG or PNG) for a patient. */
  import_photo: { args: { patient_id: PatientId, import: PhotoImport }; reply: Photo };
  /** Deletes a photo (audited; its file goes when no other photo uses it). */
  delete_photo: { args: { photo_id: PhotoId }; reply: null };
  /** A photo's (or its thumbnail's) bytes, raw. */
  photo_data: { args: { photo_id: PhotoId, thumb: boolean }; reply: ArrayBuffer };
  /** The clinic's needle-depth chart per zone. */
  depth_chart: { args: {}; reply: Array<ZoneDepthChart> };
  /** Changes the depth chart. */
  update_depth_chart: { args: { chart: Array<ZoneDepthChart> }; reply: Array<ZoneDepthChart> };
  /** Every version of every consent form, newest first (Dermis's own microneedling text is version 1). */
  consent_templates: { args: {}; reply: Array<ConsentTemplate> };
  /** The version of a consent form (`microneedling`) a patient signs now. */
  current_consent_template: { args: { key: string }; reply: ConsentTemplate };
  /** Saves a new version of a consent form; earlier signatures keep the text they signed. */
  save_consent_template: { args: { input: ConsentTemplateInput }; reply: ConsentTemplate };
  /** The clinic's consent rules: refuse or warn at the session; months before a new plan needs a new consent. */
  consent_settings: { args: {}; reply: ConsentSettings };
  /** Changes the clinic's consent rules. */
  update_consent_settings: { args: { settings: ConsentSettings }; reply: ConsentSettings };
  /** Stores the patient's signature on the current version of a form; `confirm` (a practitioner only) freezes it into its PDF at once. */
  sign_consent: { args: { input: ConsentSignInput }; reply: ConsentSummary };
  /** A practitioner confirms a signature the desk took: the consent is frozen and its PDF made. */
  confirm_consent: { args: { consent_id: ConsentId }; reply: Consent };
  /** Withdraws a consent, with the reason (audited). */
  revoke_consent: { args: { consent_id: ConsentId, reason: string }; reply: ConsentSummary };
  /** Where each of a patient's consents stands (form, version, dates, status; never the content). */
  list_consents: { args: { patient_id: PatientId }; reply: Array<ConsentSummary> };
  /** A signed consent, whole: the text as signed, the strokes, the photo-use answers (audited read). */
  consent: { args: { consent_id: ConsentId }; reply: Consent };
  /** The patient's photo-use answers, from their newest signed, unrevoked consent (all no without one). */
  photo_consent: { args: { patient_id: PatientId }; reply: PhotoUses };
  /** Writes a confirmed consent's stored PDF (the frozen bytes) into the print folder and opens it. */
  print_consent: { args: { consent_id: ConsentId }; reply: PrintedDocument };
  /** Writes a confirmed consent's stored PDF to `path` (a "Save as…" choice). */
  save_consent: { args: { consent_id: ConsentId, path: string }; reply: PrintedDocument };
  /** Makes the PDF, writes it into the private print folder, records the print and opens it in the system's PDF viewer; the answer says honestly whether a viewer opened it. `language` (a code) overrides the patient's preferred language. While the clinic server does not answer, an aftercare sheet Today showed prints from what this PC kept, and its record waits for the server. */
  print_document: { args: { request: PrintRequest, language?: string | null }; reply: PrintedDocument };
  /** Opens the folder printed PDFs are written to (when no viewer opened one). */
  show_prints: { args: {}; reply: null };
  /** Makes the PDF and writes it to `path` (a "Save as…" dialog's choice), then records it. */
  save_document: { args: { request: PrintRequest, path: string, language?: string | null }; reply: PrintedDocument };
  /** Every document printed or saved for a patient, newest first. */
  list_documents: { args: { patient_id: PatientId }; reply: Array<DocumentInfo> };
  /** Every language a patient may prefer, named in itself; `documents` marks those Dermis prints in. */
  languages: { args: {}; reply: Array<LanguageOption> };
  /** The aftercare text of each document language, and whether the clinic has reviewed it. */
  aftercare_texts: { args: {}; reply: Array<AftercareTextView> };
  /** Saves the clinic's aftercare text in one language (empty: back to Dermis's default text). */
  save_aftercare_text: { args: { language: string, text: string }; reply: AftercareTextView };
  /** Marks a language's current aftercare text as reviewed by the signed-in clinician. */
  approve_aftercare_text: { args: { language: string }; reply: AftercareTextView };
  /** The clinic's details and settings. */
  clinic_settings: { args: {}; reply: ClinicSettingsView };
  /** Changes the clinic's name, address and phone. */
  update_clinic_details: { args: { details: ClinicDetails }; reply: ClinicSettingsView };
  /** Changes the clinic's settings (open days, idle lock, paper size, default language, …). */
  update_clinic_settings: { args: { settings: ClinicSettings }; reply: ClinicSettingsView };
  /** Stores the image at `path` (PNG or JPEG, chosen in the open dialog) as the letterhead's logo. */
  set_logo: { args: { path: string }; reply: null };
  /** Removes the logo. */
  clear_logo: { args: {}; reply: null };
  /** The logo's bytes, raw (empty when there is none). */
  logo_data: { args: {}; reply: ArrayBuffer };
  /** The intervals and session counts the plan engine uses. */
  plan_settings: { args: {}; reply: PlanSettings };
  /** Changes the plan settings. */
  update_plan_settings: { args: { settings: PlanSettings }; reply: PlanSettings };
  /** The contraindication rules screening applies. */
  contraindication_rules: { args: {}; reply: Array<ContraindicationRule> };
  /** Changes the contraindication rules. */
  update_contraindication_rules: { args: { rules: Array<ContraindicationRule> }; reply: Array<ContraindicationRule> };
  /** Every account, active first. */
  list_users: { args: {}; reply: Array<UserInfo> };
  /** Creates an account. */
  create_user: { args: { input: NewUserInput }; reply: ActorInfo };
  /** Stops an account from signing in (accounts are never deleted). */
  deactivate_user: { args: { username: string }; reply: null };
  /** Sets another user's password. */
  reset_password: { args: { username: string, password: string }; reply: null };
  /** A page of the audit log, newest first; the next page: `before_id` = the last item's id. */
  audit_page: { args: { filter: AuditFilter }; reply: AuditPage };
  /** The id of the first entry that does not verify, or null when the chain is intact. */
  verify_audit: { args: {}; reply: number | null };
  /** The current head and entry count, to keep on paper (audited). */
  audit_checkpoint: { args: {}; reply: AuditVerdict };
  /** Writes the whole log as CSV to `path`; answers the number of entries written. */
  export_audit: { args: { path: string }; reply: number };
  /** Writes a verified backup into `folder` (a USB stick). */
  backup_now: { args: { folder: string }; reply: BackupSummary };
  /** What a backup file holds, checked; nothing changes (refused with the reason when it cannot be restored). */
  inspect_backup: { args: { path: string }; reply: BackupSummary };
  /** Replaces the clinic's data with the backup (the current data is kept beside the database first). */
  restore_backup: { args: { path: string }; reply: BackupSummary };
  /** Exports the clinic's data: CSV into the folder `path`, or JSON into the file `path`. On an encrypted clinic: one AES-256 encrypted ZIP (in the folder, or `path` with `.zip`), its one-time passphrase in this reply only. */
  export_data: { args: { format: ExportFormat, path: string }; reply: ExportSummary };
  /** One patient's full record as a JSON file (a data-access request); on an encrypted clinic an AES-256 encrypted ZIP (`path` with `.zip`) and its one-time passphrase, in this reply only. */
  export_patient: { args: { patient_id: PatientId, path: string }; reply: PatientExport };
};

/** The commands whose reply is raw bytes (an ArrayBuffer), not JSON. */
export const BYTE_COMMANDS: ReadonlySet<string> = new Set(["photo_data", "logo_data"]);
