// The only module (with mock.ts) that talks to Tauri. Every function here
// resolves to the contract type of docs/ipc.md or rejects with an ApiError.
import { invoke } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import type { ApiError } from "../bindings/ApiError";
import type { AppStatus } from "../bindings/AppStatus";
import type { BackupStatus } from "../bindings/BackupStatus";
import type { ContraindicationRule } from "../bindings/ContraindicationRule";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { FieldError } from "../bindings/FieldError";
import type { LoginInput } from "../bindings/LoginInput";
import type { Patient } from "../bindings/Patient";
import type { PatientInput } from "../bindings/PatientInput";
import type { PatientPage } from "../bindings/PatientPage";
import type { PatientSearch } from "../bindings/PatientSearch";
import type { ActorInfo } from "../bindings/ActorInfo";
import type { SetupInput } from "../bindings/SetupInput";
import type { PlanSchedule } from "../bindings/PlanSchedule";
import type { ErasureSummary } from "../bindings/ErasureSummary";
import type { AuditVerdict } from "../bindings/AuditVerdict";
import type { Assessment } from "../bindings/Assessment";
import type { AssessmentInput } from "../bindings/AssessmentInput";
import type { CalendarEntry } from "../bindings/CalendarEntry";
import type { GbCounts } from "../bindings/GbCounts";
import type { Plan } from "../bindings/Plan";
import type { PlanProposal } from "../bindings/PlanProposal";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { PlanSettings } from "../bindings/PlanSettings";
import type { PlanStatus } from "../bindings/PlanStatus";
import type { Screening } from "../bindings/Screening";
import type { ScreeningInput } from "../bindings/ScreeningInput";
import type { ScreeningQuestion } from "../bindings/ScreeningQuestion";
import type { TodayList } from "../bindings/TodayList";
import type { AdverseEventEntry } from "../bindings/AdverseEventEntry";
import type { AdverseEventFilter } from "../bindings/AdverseEventFilter";
import type { BeforeAfter } from "../bindings/BeforeAfter";
import type { HealingInput } from "../bindings/HealingInput";
import type { HealingOutcome } from "../bindings/HealingOutcome";
import type { Photo } from "../bindings/Photo";
import type { PhotoImport } from "../bindings/PhotoImport";
import type { Progress } from "../bindings/Progress";
import type { SessionDraft } from "../bindings/SessionDraft";
import type { SessionRecord } from "../bindings/SessionRecord";
import type { SessionRecordInput } from "../bindings/SessionRecordInput";
import type { ZoneDepthChart } from "../bindings/ZoneDepthChart";
import type { AuditFilter } from "../bindings/AuditFilter";
import type { AuditPage } from "../bindings/AuditPage";
import type { BackupSummary } from "../bindings/BackupSummary";
import type { ClinicDetails } from "../bindings/ClinicDetails";
import type { ClinicSettings } from "../bindings/ClinicSettings";
import type { ClinicSettingsView } from "../bindings/ClinicSettingsView";
import type { DocumentInfo } from "../bindings/DocumentInfo";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { ExportSummary } from "../bindings/ExportSummary";
import type { NewUserInput } from "../bindings/NewUserInput";
import type { PrintRequest } from "../bindings/PrintRequest";
import type { UserInfo } from "../bindings/UserInfo";
import type { AftercareTextView } from "../bindings/AftercareTextView";
import type { LanguageOption } from "../bindings/LanguageOption";

const ERROR_CODES: readonly ErrorCode[] = [
  "validation",
  "not_found",
  "forbidden",
  "conflict",
  "locked",
  "io",
  "internal",
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function asFieldErrors(v: unknown): FieldError[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((f) =>
    isRecord(f) && typeof f.field === "string" && typeof f.message === "string"
      ? [{ field: f.field, message: f.message }]
      : [],
  );
}

/** Turns whatever a failed call rejected with into an ApiError. */
export function asApiError(e: unknown): ApiError {
  if (isRecord(e) && typeof e.message === "string" && typeof e.code === "string") {
    const code = (ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as ErrorCode) : "internal";
    const fields = asFieldErrors(e.fields);
    const field = typeof e.field === "string" ? e.field : (fields[0]?.field ?? null);
    return { code, message: e.message, field, fields };
  }
  if (typeof e === "string" && e.trim() !== "") {
    return { code: "internal", message: e, field: null, fields: [] };
  }
  if (e instanceof Error && e.message) {
    return { code: "internal", message: e.message, field: null, fields: [] };
  }
  return { code: "internal", message: "Something went wrong. Please try again.", field: null, fields: [] };
}

/** True when `window` has a Tauri backend (or the mock) to talk to. */
export function backendAvailable(): boolean {
  if (typeof window === "undefined") return false;
  const internals = (window as unknown as { __TAURI_INTERNALS__?: { invoke?: unknown } }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === "function";
}

const lockedListeners = new Set<(message: string) => void>();

/**
 * Calls `handler` whenever a command fails because the app is locked (code
 * `locked`, e.g. it was locked elsewhere). Returns a function that stops it.
 */
export function onAppLocked(handler: (message: string) => void): () => void {
  lockedListeners.add(handler);
  return () => void lockedListeners.delete(handler);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const err = asApiError(e);
    // unlock_app answers `locked` after too many wrong passwords: the lock screen shows that itself.
    if (err.code === "locked" && command !== "unlock_app") for (const f of lockedListeners) f(err.message);
    throw err;
  }
}

export function appStatus(): Promise<AppStatus> {
  return call("app_status");
}

export function setupClinic(input: SetupInput): Promise<ActorInfo> {
  return call("setup_clinic", { input });
}

export function login(input: LoginInput): Promise<ActorInfo> {
  return call("login", { input });
}

export async function logout(): Promise<void> {
  await call<null>("logout");
}

export function searchPatients(search: PatientSearch): Promise<PatientPage> {
  return call("search_patients", { search });
}

export function getPatient(id: number): Promise<Patient> {
  return call("get_patient", { id });
}

export function createPatient(input: PatientInput): Promise<Patient> {
  return call("create_patient", { input });
}

export function updatePatient(id: number, expectedVersion: number, input: PatientInput): Promise<Patient> {
  return call("update_patient", { id, expectedVersion, input });
}

export function setPatientArchived(id: number, archived: boolean): Promise<Patient> {
  return call("set_patient_archived", { id, archived });
}

/** Erases a patient and everything recorded about them (admin; right to erasure). */
export function erasePatient(id: number): Promise<ErasureSummary> {
  return call("erase_patient", { id });
}

// ------------------------------------------- screening, assessment, plans, calendar

export function screeningQuestions(): Promise<ScreeningQuestion[]> {
  return call("screening_questions");
}

export function recordScreening(patientId: number, input: ScreeningInput): Promise<Screening> {
  return call("record_screening", { patientId, input });
}

/** Newest first. */
export function listScreenings(patientId: number): Promise<Screening[]> {
  return call("list_screenings", { patientId });
}

/** The Goodman & Baron quantitative score of these counts (the UI never computes it). */
export function scoreAssessment(counts: GbCounts): Promise<number> {
  return call("score_assessment", { counts });
}

export function recordAssessment(patientId: number, input: AssessmentInput): Promise<Assessment> {
  return call("record_assessment", { patientId, input });
}

/** Newest first. */
export function listAssessments(patientId: number): Promise<Assessment[]> {
  return call("list_assessments", { patientId });
}

/** What the plan engine proposes; nothing is stored. */
export function proposePlan(input: PlanRequest): Promise<PlanProposal> {
  return call("propose_plan", { input });
}

/** Stores the plan (status `active`). */
export function acceptPlan(input: PlanRequest): Promise<Plan> {
  return call("accept_plan", { input });
}

/** Newest first. */
export function listPlans(patientId: number): Promise<Plan[]> {
  return call("list_plans", { patientId });
}

/** Moves a session; the later, not-done sessions are re-planned. The answer is
 * the plan's schedule only (no rationale or warnings): the desk may move sessions. */
export function rescheduleSession(sessionId: number, date: string): Promise<PlanSchedule> {
  return call("reschedule_session", { sessionId, date });
}

export function setPlanStatus(planId: number, status: PlanStatus, reason: string): Promise<Plan> {
  return call("set_plan_status", { planId, status, reason });
}

/** Booked sessions from `from` to `to` (inclusive, `YYYY-MM-DD`), in date order. */
export function calendar(from: string, to: string): Promise<CalendarEntry[]> {
  return call("calendar", { from, to });
}

export function today(): Promise<TodayList> {
  return call("today");
}

export function setSessionTime(sessionId: number, time: string): Promise<PlanSchedule> {
  return call("set_session_time", { sessionId, time });
}

export function backupStatus(): Promise<BackupStatus> {
  return call("backup_status");
}

export function contraindicationRules(): Promise<ContraindicationRule[]> {
  return call("contraindication_rules");
}

export function updateContraindicationRules(rules: ContraindicationRule[]): Promise<ContraindicationRule[]> {
  return call("update_contraindication_rules", { rules });
}

export function planSettings(): Promise<PlanSettings> {
  return call("plan_settings");
}

export function updatePlanSettings(settings: PlanSettings): Promise<PlanSettings> {
  return call("update_plan_settings", { settings });
}

// ------------------------------ session records, healing, adverse events, progress, photos

/** The session form for a planned session, pre-filled from the patient's last session. */
export function sessionDraft(plannedSessionId: number): Promise<SessionDraft> {
  return call("session_draft", { plannedSessionId });
}

/** Records a session; the planned session becomes done and the later ones may move. */
export function recordSession(plannedSessionId: number, input: SessionRecordInput): Promise<SessionRecord> {
  return call("record_session", { plannedSessionId, input });
}

/** Newest first, each with its healing report or null. */
export function listSessionRecords(patientId: number): Promise<SessionRecord[]> {
  return call("list_session_records", { patientId });
}

/** Slow healing moves the next session; an adverse event pauses the plan. */
export function recordHealing(sessionRecordId: number, input: HealingInput): Promise<HealingOutcome> {
  return call("record_healing", { sessionRecordId, input });
}

/** The adverse-event register, newest first. */
export function adverseEvents(filter: AdverseEventFilter): Promise<AdverseEventEntry[]> {
  return call("adverse_events", { filter });
}

/** Writes the register as CSV to `path`; resolves to the number of events written. */
export function exportAdverseEvents(filter: AdverseEventFilter, path: string): Promise<number> {
  return call("export_adverse_events", { filter, path });
}

export function progress(patientId: number): Promise<Progress> {
  return call("progress", { patientId });
}

/** Newest first. */
export function listPhotos(patientId: number): Promise<Photo[]> {
  return call("list_photos", { patientId });
}

export function beforeAfter(patientId: number): Promise<BeforeAfter[]> {
  return call("before_after", { patientId });
}

export function importPhoto(patientId: number, photo: PhotoImport): Promise<Photo> {
  return call("import_photo", { patientId, import: photo });
}

/** Deletes a photo (admin or practitioner); the backend audits it. */
export function deletePhoto(photoId: number): Promise<void> {
  return call("delete_photo", { photoId });
}

/** A photo's pixels (a JPEG thumbnail, or the stored image at full size) as a Blob. */
export async function photoBlob(photo: Pick<Photo, "id" | "mime">, thumb: boolean): Promise<Blob> {
  const data = await call<ArrayBuffer | Uint8Array | number[]>("photo_data", { photoId: photo.id, thumb });
  const bytes = data instanceof ArrayBuffer || data instanceof Uint8Array ? data : new Uint8Array(data);
  return new Blob([bytes as BlobPart], { type: thumb ? "image/jpeg" : photo.mime });
}

export function depthChart(): Promise<ZoneDepthChart[]> {
  return call("depth_chart");
}

export function updateDepthChart(chart: ZoneDepthChart[]): Promise<ZoneDepthChart[]> {
  return call("update_depth_chart", { chart });
}

// ------------------------------------------------------------------ reception desk and printing

/** Marks a planned session's patient as arrived (or undoes it). */
export async function checkIn(sessionId: number, arrived: boolean): Promise<void> {
  await call<null>("check_in", { sessionId, arrived });
}

/** Marks a first consultation's patient as arrived (or undoes it). */
export async function checkInConsultation(appointmentId: number, arrived: boolean): Promise<void> {
  await call<null>("check_in_consultation", { appointmentId, arrived });
}

/** The desk's "new patient + first consultation": both are stored, or neither. */
export function registerWithConsultation(input: PatientInput, date: string, time: string): Promise<Patient> {
  return call("register_with_consultation", { input, date, time });
}

/**
 * A document made by print_document or save_document. `language` is the
 * language it is printed in; `language_note` is empty, or the backend's
 * sentence saying it fell back to the clinic's default language.
 */
export type PrintedDocument = {
  path: string;
  file_name: string;
  pages: number;
  patients: number;
  bytes: number;
  language: string;
  language_note: string;
};

/**
 * Makes the PDF and opens it in the system's PDF viewer (whose print dialog
 * does the rest). `language` (a code) overrides the patient's preferred language.
 */
export function printDocument(request: PrintRequest, language?: string): Promise<PrintedDocument> {
  return call("print_document", language ? { request, language } : { request });
}

/** Makes the PDF and writes it to `path` (a "Save as…" dialog's choice). */
export function saveDocument(request: PrintRequest, path: string, language?: string): Promise<PrintedDocument> {
  return call("save_document", language ? { request, path, language } : { request, path });
}

/** Every language a patient may prefer, named in itself; `documents` marks those Dermis prints in. */
export function languages(): Promise<LanguageOption[]> {
  return call("languages");
}

/** The aftercare text of each document language, and whether the clinic has reviewed it. */
export function aftercareTexts(): Promise<AftercareTextView[]> {
  return call("aftercare_texts");
}

/** Saves the clinic's aftercare text in one language (empty: back to Dermis's default text). */
export function saveAftercareText(language: string, text: string): Promise<AftercareTextView> {
  return call("save_aftercare_text", { language, text });
}

/** Marks a language's current aftercare text as reviewed by the signed-in clinician. */
export function approveAftercareText(language: string): Promise<AftercareTextView> {
  return call("approve_aftercare_text", { language });
}

/** Every document printed or saved for a patient, newest first. */
export function listDocuments(patientId: number): Promise<DocumentInfo[]> {
  return call("list_documents", { patientId });
}

// ------------------------------------------------------------------ idle lock

/** Locks the app: every other command then fails with `locked` until unlockApp. */
export async function lockApp(): Promise<void> {
  await call<null>("lock_app");
}

export async function unlockApp(password: string): Promise<void> {
  await call<null>("unlock_app", { password });
}

// ------------------------------------------------------------------ Settings

export function clinicSettings(): Promise<ClinicSettingsView> {
  return call("clinic_settings");
}

export function updateClinicDetails(details: ClinicDetails): Promise<ClinicSettingsView> {
  return call("update_clinic_details", { details });
}

export function updateClinicSettings(settings: ClinicSettings): Promise<ClinicSettingsView> {
  return call("update_clinic_settings", { settings });
}

/** Stores the image at `path` as the letterhead's logo (PNG or JPEG). */
export async function setLogo(path: string): Promise<void> {
  await call<null>("set_logo", { path });
}

export async function clearLogo(): Promise<void> {
  await call<null>("clear_logo");
}

/** The logo as a Blob, or null when the clinic has none. */
export async function logoBlob(): Promise<Blob | null> {
  const data = await call<ArrayBuffer | Uint8Array | number[]>("logo_data");
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength === 0) return null;
  const type = bytes[0] === 0xff && bytes[1] === 0xd8 ? "image/jpeg" : "image/png";
  return new Blob([bytes as BlobPart], { type });
}

// ------------------------------------------------------------------ accounts

/** Every account, active first. */
export function listUsers(): Promise<UserInfo[]> {
  return call("list_users");
}

export function createUser(input: NewUserInput): Promise<ActorInfo> {
  return call("create_user", { input });
}

/** Stops an account from signing in (accounts are never deleted). */
export async function deactivateUser(username: string): Promise<void> {
  await call<null>("deactivate_user", { username });
}

export async function resetPassword(username: string, password: string): Promise<void> {
  await call<null>("reset_password", { username, password });
}

/** The signed-in user's own password: the current one, then the new one. */
export async function changePassword(current: string, newPassword: string): Promise<void> {
  await call<null>("change_password", { current, newPassword });
}

// ------------------------------------------------------------------ audit log

/** Newest first; the next page: `before_id` = the last item's id. */
export function auditPage(filter: AuditFilter): Promise<AuditPage> {
  return call("audit_page", { filter });
}

/** The id of the first entry whose hash does not match, or null when the chain is intact. */
export function verifyAudit(): Promise<number | null> {
  return call("verify_audit");
}

/** The current head and entry count, to keep on paper (the checkpoint is audited). */
export function auditCheckpoint(): Promise<AuditVerdict> {
  return call("audit_checkpoint");
}

/** Writes the whole log as CSV to `path`; resolves to the number of entries written. */
export function exportAudit(path: string): Promise<number> {
  return call("export_audit", { path });
}

// ------------------------------------------------------------------ backups and exports

/** Writes a verified backup into `folder`. */
export function backupNow(folder: string): Promise<BackupSummary> {
  return call("backup_now", { folder });
}

/** What a backup file holds (rejects with the reason when it cannot be restored). */
export function inspectBackup(path: string): Promise<BackupSummary> {
  return call("inspect_backup", { path });
}

/** Replaces the clinic's data with the backup (the current data is kept beside the database first). */
export function restoreBackup(path: string): Promise<BackupSummary> {
  return call("restore_backup", { path });
}

/** CSV: `path` is a folder; JSON: a file. */
export function exportData(format: ExportFormat, path: string): Promise<ExportSummary> {
  return call("export_data", { format, path });
}

// ------------------------------------------------------------------ file dialogs, drag-and-drop

/** A file type for the open and save dialogs. */
export type FileFilter = { name: string; extensions: string[] };

/** Asks for a folder; resolves to its path, or null when cancelled. */
export async function chooseFolder(title = "Choose a folder"): Promise<string | null> {
  try {
    const picked = await openDialog({ directory: true, multiple: false, title });
    if (picked === null) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : picked;
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks for one file of the given types; resolves to its path, or null when cancelled. */
export async function chooseFile(filters: FileFilter[], title = "Choose a file"): Promise<string | null> {
  try {
    const picked = await openDialog({ directory: false, multiple: false, title, filters });
    if (picked === null) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : picked;
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks where to save a file; resolves to the path, or null when cancelled. */
export async function saveFile(defaultName: string, filters: FileFilter[], title = "Save as"): Promise<string | null> {
  try {
    return await saveDialog({ title, defaultPath: defaultName, filters });
  } catch (e) {
    throw asApiError(e);
  }
}

/** The photo file types the import accepts (HEIC is refused by the backend with advice). */
export const PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "heic"] as const;

/** Asks for photo files to import; resolves to their paths ([] when cancelled). */
export async function choosePhotoFiles(): Promise<string[]> {
  try {
    const picked = await openDialog({
      multiple: true,
      directory: false,
      title: "Import photos",
      filters: [{ name: "Images", extensions: [...PHOTO_EXTENSIONS] }],
    });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks where to save a CSV file; resolves to the path, or null when cancelled. */
export async function chooseCsvDestination(defaultName: string): Promise<string | null> {
  try {
    return await saveDialog({
      title: "Export as CSV",
      defaultPath: defaultName,
      filters: [{ name: "CSV (spreadsheet)", extensions: ["csv"] }],
    });
  } catch (e) {
    throw asApiError(e);
  }
}

/** What a drag over the window is doing: files over it, dropped (with their paths), or gone. */
export type FileDrag = { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/**
 * Calls `handler` while files are dragged over and dropped onto the window.
 * Resolves to a function that stops listening (a no-op where the window
 * cannot report drops, e.g. in a plain browser).
 */
export async function onFileDrop(handler: (drag: FileDrag) => void): Promise<() => void> {
  try {
    const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "drop") handler({ type: "drop", paths: p.paths });
      else if (p.type === "leave") handler({ type: "leave" });
      else handler({ type: "over" });
    });
    return () => {
      unlisten();
    };
  } catch {
    return () => {};
  }
}
