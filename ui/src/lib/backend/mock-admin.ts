// The mock backend's reception desk, printing, idle lock, Settings, accounts,
// audit log, backups and exports (docs/ipc.md, issues 5–8). It mirrors the
// backend's rules and messages closely enough for the UI tests; it is not the backend.
import type { AuditFilter } from "../bindings/AuditFilter";
import type { AuditItem } from "../bindings/AuditItem";
import type { AuditPage } from "../bindings/AuditPage";
import type { BackupSummary } from "../bindings/BackupSummary";
import type { CalendarEntry } from "../bindings/CalendarEntry";
import type { ClinicDetails } from "../bindings/ClinicDetails";
import type { ClinicSettings } from "../bindings/ClinicSettings";
import type { ClinicSettingsView } from "../bindings/ClinicSettingsView";
import type { ConsultationEntry } from "../bindings/ConsultationEntry";
import type { DocumentInfo } from "../bindings/DocumentInfo";
import type { DocumentKind } from "../bindings/DocumentKind";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { ExportSummary } from "../bindings/ExportSummary";
import type { FieldError } from "../bindings/FieldError";
import type { NewUserInput } from "../bindings/NewUserInput";
import type { Patient } from "../bindings/Patient";
import type { PatientInput } from "../bindings/PatientInput";
import type { Plan } from "../bindings/Plan";
import type { PlanSettings } from "../bindings/PlanSettings";
import type { PrintRequest } from "../bindings/PrintRequest";
import type { Role } from "../bindings/Role";
import type { ActorInfo } from "../bindings/ActorInfo";
import type { TodayList } from "../bindings/TodayList";
import type { UserInfo } from "../bindings/UserInfo";
import type { ZoneDepthChart } from "../bindings/ZoneDepthChart";
import type { AftercareTextView } from "../bindings/AftercareTextView";
import type { LanguageOption } from "../bindings/LanguageOption";
import { addDays, isIsoDate, weekdayOf } from "../dates";
import { MockError, validationError } from "./mock-error";

/** An account of the mock (passwords kept in clear: it is a test double). */
export interface MockUser {
  id: number;
  username: string;
  display_name: string;
  password: string;
  roles: Role[];
  active?: boolean;
}

export const AFTERCARE_PLACEHOLDERS = [
  "{treatment_date}: the treatment date, e.g. \"Tuesday, 24 November 2026\"",
  "{no_makeup_until}: the end of the 48-hour rest (treatment + 2 days), e.g. \"Thursday 26 November\"",
  "{no_retinol_until}: one week after the treatment, e.g. \"Tuesday 1 December\"",
  "{next_appointment}: the next booked appointment, e.g. \"Tuesday 29 December at 14:30\", or \"not booked yet\"",
  "{clinic_name}: the clinic's name from the letterhead",
  "{clinic_phone}: the clinic's phone number",
];

/** The backend's language list (dermis_clinic::languages): the first seven have documents. */
export const MOCK_LANGUAGES: LanguageOption[] = [
  ["en", "English"], ["fr", "Français"], ["es", "Español"], ["de", "Deutsch"], ["it", "Italiano"],
  ["pt", "Português"], ["ar", "العربية"],
].map(([code, name]) => ({ code, name, documents: true }))
  .concat(
    [
      ["nl", "Nederlands"], ["pl", "Polski"], ["ro", "Română"], ["sv", "Svenska"], ["tr", "Türkçe"],
      ["el", "Ελληνικά"], ["ru", "Русский"], ["uk", "Українська"], ["he", "עברית"], ["fa", "فارسی"],
      ["ur", "اردو"], ["hi", "हिन्दी"], ["vi", "Tiếng Việt"], ["zh", "中文"], ["ja", "日本語"], ["ko", "한국어"],
    ].map(([code, name]) => ({ code, name, documents: false })),
  );

export const DEFAULT_AFTERCARE_TEMPLATE = `# The first 48 hours (until {no_makeup_until})
- No direct sun, no makeup, no harsh skincare products.
- Cleanse gently; hydrate with a mild moisturiser or a hyaluronic acid serum.
# What to expect
- Redness or swelling like a light sunburn for a day or two is expected.
- Flaking or dryness within a few days is normal.
# The next weeks
- Protect your skin from UV with a broad-spectrum sunscreen.
- No exfoliation and no retinol until {no_retinol_until}.
# Call {clinic_name} on {clinic_phone}
- If you notice signs of infection, severe pain or blistering.`;

/** What a backup file in the mock holds, or why it cannot be restored. */
export type MockBackupFile = BackupSummary | { code: "validation" | "io"; message: string };

export interface AdminStore {
  audit: AuditItem[];
  /** verify_audit's answer: the id of the first broken entry, or null (tests set it). */
  auditBrokenAt: { id: number | null };
  details: ClinicDetails;
  clinicSettings: ClinicSettings;
  /** The logo's bytes (empty: none). */
  logo: { bytes: Uint8Array };
  documents: Array<DocumentInfo & { patient_id: number }>;
  consultations: Array<Omit<ConsultationEntry, "patient_number" | "first_name" | "last_name" | "phone">>;
  checkedIn: Map<number, string>;
  /** Backup files inspect_backup / restore_backup know by path (others: by extension). */
  backupFiles: Record<string, MockBackupFile>;
  /** Every print and save, in order (file names). */
  printed: string[];
  /** The lock state and the wrong unlock attempts. */
  lock: { locked: boolean; failures: number };
  /** Appends an audit entry (tests seed the log with it); `at` defaults to now. */
  addAudit(username: string, action: string, entity: string, entityId: string, detail?: string, at?: string): AuditItem;
  handlers: Record<string, (a: Record<string, unknown>) => unknown>;
}

export interface AdminContext {
  today: string;
  now(): string;
  session(): ActorInfo | null;
  setSession(s: ActorInfo | null): void;
  users: MockUser[];
  patients: Patient[];
  findPatient(id: number): Patient;
  addPatient(input: PatientInput): Patient;
  validatePatient(input: PatientInput): PatientInput;
  plans: Plan[];
  planSettings: PlanSettings;
  depthChart: ZoneDepthChart[];
  clinicName(): string | null;
  setClinicName(name: string): void;
  /** The clinic half's `today` and `calendar` (this module adds check-ins and consultations). */
  baseToday(): TodayList;
  baseCalendar(a: Record<string, unknown>): CalendarEntry[];
}

function arg<T>(a: Record<string, unknown>, key: string): T {
  if (!(key in a)) throw new MockError("internal", `invalid args \`${key}\`: missing required key ${key}`);
  return a[key] as T;
}

const clean = (s: unknown) => String(s ?? "").trim().split(/\s+/u).filter(Boolean).join(" ");

/** i64 counts arrive as JSON numbers at runtime, whatever ts-rs calls them. */
const big = (n: number) => n as unknown as bigint;

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

export function createAdmin(ctx: AdminContext): AdminStore {
  const audit: AuditItem[] = [];
  const auditBrokenAt: AdminStore["auditBrokenAt"] = { id: null };
  const details: ClinicDetails = {
    name: ctx.clinicName() ?? "",
    address: "12 Harley Street\nLondon W1G 9PF",
    phone: "+44 20 7946 0000",
    email: "",
  };
  const clinicSettings: ClinicSettings = {
    paper: "a4",
    aftercare_template: "",
    idle_lock_minutes: 10,
    backups_kept: 14,
    backup_folder: "",
    default_language: "en",
  };
  /** Reviewed aftercare texts by language code (absent: Dermis's default, not reviewed). */
  const aftercareTexts = new Map<string, { text: string; by: string; at: string }>();
  const logo = { bytes: new Uint8Array() };
  const documents: AdminStore["documents"] = [];
  const consultations: AdminStore["consultations"] = [];
  const checkedIn = new Map<number, string>();
  const backupFiles: Record<string, MockBackupFile> = {};
  const printed: string[] = [];
  const lock = { locked: false, failures: 0 };
  let nextAuditId = 1;
  let nextDocumentId = 1;
  let nextAppointmentId = 1;

  function log(username: string, action: string, entity: string, entityId: string, detail = "", at?: string): AuditItem {
    const item = { id: nextAuditId++, at: at ?? ctx.now(), username, action, entity, entity_id: entityId, detail };
    audit.push(item);
    return item;
  }

  function signedIn(): ActorInfo {
    const s = ctx.session();
    if (!s) throw new MockError("forbidden", "Sign in to continue.");
    return s;
  }

  function requireAdmin(what: string): ActorInfo {
    const s = signedIn();
    if (!s.roles.includes("admin"))
      throw new MockError("forbidden", `Your account is not allowed to ${what}. Ask the clinic's administrator.`);
    return s;
  }

  function isOpen(d: string): boolean {
    return ctx.planSettings.open_weekdays.includes(weekdayOf(d)) && !ctx.planSettings.closed_dates.includes(d);
  }

  function view(): ClinicSettingsView {
    return {
      details: structuredClone(details),
      settings: structuredClone(clinicSettings),
      has_logo: logo.bytes.length > 0,
      default_aftercare_template: DEFAULT_AFTERCARE_TEMPLATE,
      aftercare_placeholders: [...AFTERCARE_PLACEHOLDERS],
    };
  }

  function userInfo(u: MockUser): UserInfo {
    return { id: u.id, username: u.username, display_name: u.display_name, roles: [...u.roles], active: u.active !== false };
  }

  function userNamed(username: string): MockUser {
    const u = ctx.users.find((x) => x.username === username);
    if (!u) throw new MockError("not_found", `There is no account "${username}".`);
    return u;
  }

  /** Mirrors dermis-core's length rule and dermis-clinic's user-name rule; the
   * strength rating (zxcvbn) lives only in the backend, so the mock stands in
   * with the two cases its tests use: one repeated character, digits only. */
  function checkPassword(errors: FieldError[], password: string, username = "", field = "password"): void {
    if (password.trim() === "") errors.push({ field, message: "Enter a password." });
    else if ([...password].length < 12)
      errors.push({
        field,
        message: "A password needs at least 12 characters; a short sentence is easy to remember.",
      });
    else if (username && password.toLowerCase().includes(username.toLowerCase()))
      errors.push({ field, message: "The password cannot contain the user name." });
    else if (/^(.)\1*$/u.test(password) || /^\d+$/u.test(password))
      errors.push({
        field,
        message:
          "This password is too easy to guess. Four or five unrelated words make a strong one that is easy to remember.",
      });
  }

  // ---------------------------------------------------------------- documents

  function planOfSession(sessionId: number): { plan: Plan; date: string } {
    for (const plan of ctx.plans) {
      const s = plan.sessions.find((x) => x.id === sessionId);
      if (s) return { plan, date: s.date };
    }
    throw new MockError("not_found", `Session ${sessionId} was not found; it may have been removed.`);
  }

  function record(patientId: number, kind: DocumentKind, title: string, by: string): void {
    documents.push({
      id: nextDocumentId++,
      patient_id: patientId,
      kind,
      title,
      pages: kind === "progress_summary" ? 2 : 1,
      bytes: 48_000,
      printed_by: by,
      printed_at: ctx.now(),
    });
  }

  function render(req: PrintRequest): { file_name: string; pages: number; patients: number; bytes: number } {
    const s = signedIn();
    const by = s.display_name; // as the backend: the person, not the login
    switch (req.kind) {
      case "aftercare": {
        const { plan, date } = planOfSession(req.session_id);
        const p = ctx.findPatient(plan.patient_id);
        record(p.id, "aftercare", `Aftercare sheet, treatment ${date}`, by);
        log(s.username, "document.print", "patient", String(p.id), "aftercare");
        return { file_name: `aftercare-${p.patient_number}-${date}.pdf`, pages: 1, patients: 1, bytes: 48_000 };
      }
      case "aftercare_on": {
        const p = ctx.findPatient(req.patient_id);
        if (!isIsoDate(req.date))
          throw validationError([{ field: "date", message: `"${req.date}" is not a date; use the form YYYY-MM-DD.` }]);
        record(p.id, "aftercare", `Aftercare sheet, treatment ${req.date}`, by);
        return { file_name: `aftercare-${p.patient_number}-${req.date}.pdf`, pages: 1, patients: 1, bytes: 48_000 };
      }
      case "today": {
        const day = req.date || ctx.today;
        const entries = ctx.baseCalendar({ from: day, to: day }).filter((e) => e.status !== "cancelled");
        if (!entries.length)
          throw validationError([{ field: "date", message: `There are no sessions booked on ${day}: nothing to print.` }]);
        for (const e of entries) record(e.patient_id, "aftercare", `Aftercare sheet, treatment ${day} (day's batch)`, by);
        return { file_name: `aftercare-all-${day}.pdf`, pages: entries.length, patients: entries.length, bytes: 48_000 * entries.length };
      }
      case "progress_summary": {
        if (!s.roles.some((r) => r === "admin" || r === "practitioner"))
          throw new MockError("forbidden", "Your account is not allowed to print progress summaries. Ask the clinic's administrator.");
        const p = ctx.findPatient(req.patient_id);
        if (!ctx.plans.some((x) => x.patient_id === p.id))
          throw validationError([{ field: "patient_id", message: "This patient has no plan yet: a progress summary follows a plan." }]);
        record(p.id, "progress_summary", "Progress summary", by);
        return { file_name: `progress-${p.patient_number}-${ctx.today}.pdf`, pages: 2, patients: 1, bytes: 96_000 };
      }
      case "schedule_card": {
        const p = ctx.findPatient(req.patient_id);
        if (!ctx.plans.some((x) => x.patient_id === p.id))
          throw validationError([{ field: "patient_id", message: "This patient has no plan yet: there are no dates to print." }]);
        record(p.id, "schedule_card", "Schedule card", by);
        return { file_name: `schedule-${p.patient_number}.pdf`, pages: 1, patients: 1, bytes: 32_000 };
      }
    }
  }

  /** A code Dermis prints in, or a validation error on `language`. */
  function documentLanguage(code: string): string {
    const primary = code.trim().split(/[-_]/u)[0]?.toLowerCase() ?? "";
    if (MOCK_LANGUAGES.some((l) => l.documents && l.code === primary)) return primary;
    throw validationError([{ field: "language", message: `Dermis has no documents in "${code.trim()}".` }]);
  }

  function defaultText(code: string): string {
    return code === "en" ? DEFAULT_AFTERCARE_TEMPLATE : `# (${code})\n- {no_makeup_until}\n- {no_retinol_until}`;
  }

  function textView(code: string): AftercareTextView {
    const saved = aftercareTexts.get(code);
    return {
      language: code,
      name: MOCK_LANGUAGES.find((l) => l.code === code)?.name ?? code,
      text: saved?.text ?? defaultText(code),
      default_text: defaultText(code),
      reviewed: saved !== undefined,
      reviewed_by: saved?.by ?? "",
      reviewed_at: saved?.at ?? "",
    };
  }

  /** The language a print comes out in, as the backend chooses it. */
  function languageFor(req: PrintRequest, override: unknown): { language: string; language_note: string } {
    if (typeof override === "string" && override.trim() !== "") return { language: documentLanguage(override), language_note: "" };
    const fallback = clinicSettings.default_language;
    let pid: number | null = null;
    if (req.kind === "aftercare") pid = planOfSession(req.session_id).plan.patient_id;
    else if (req.kind !== "today") pid = req.patient_id;
    const wanted = pid === null ? "" : ctx.findPatient(pid).preferred_language.trim();
    if (wanted === "") return { language: fallback, language_note: "" };
    const primary = wanted.split(/[-_]/u)[0]?.toLowerCase() ?? "";
    if (MOCK_LANGUAGES.some((l) => l.documents && l.code === primary)) return { language: primary, language_note: "" };
    const name = MOCK_LANGUAGES.find((l) => l.code === primary)?.name ?? wanted;
    const def = MOCK_LANGUAGES.find((l) => l.code === fallback)?.name ?? fallback;
    return {
      language: fallback,
      language_note: `Dermis has no documents in ${name} (${wanted}): printed in ${def}, the clinic's default language.`,
    };
  }

  // ---------------------------------------------------------------- backups

  function backupAt(path: string): BackupSummary {
    const known = backupFiles[path];
    if (known && "code" in known) throw new MockError(known.code, known.message);
    if (known) return structuredClone(known);
    if (!/\.db$/i.test(path))
      throw new MockError("validation", `${path} cannot be restored: it is not a database file at all.`, [
        { field: "path", message: `${path} cannot be restored: it is not a database file at all.` },
      ]);
    return {
      path,
      schema_version: big(9),
      patients: big(ctx.patients.length),
      sessions: big(12),
      bytes: 1_572_864,
      photos: big(4),
      photos_missing: big(0),
    };
  }

  function folderPath(raw: unknown, field: string): string {
    const v = String(raw ?? "").trim();
    if (!v.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(v))
      throw validationError([{ field, message: "Choose a folder (a full path such as /media/usb)." }]);
    return v;
  }

  // ---------------------------------------------------------------- the day

  function consultationEntries(day: string): ConsultationEntry[] {
    return consultations
      .filter((c) => c.date === day)
      .map((c) => {
        const p = ctx.findPatient(c.patient_id);
        return {
          ...c,
          patient_number: p.patient_number,
          first_name: p.first_name,
          last_name: p.last_name,
          phone: p.phone,
        };
      })
      .sort((a, b) => ((a.time ?? "~") < (b.time ?? "~") ? -1 : (a.time ?? "~") > (b.time ?? "~") ? 1 : a.appointment_id - b.appointment_id));
  }

  function withCheckIn(e: CalendarEntry): CalendarEntry {
    const at = checkedIn.get(e.session_id);
    return at ? { ...e, checked_in_at: at } : e;
  }

  function slot(errors: FieldError[], rawDate: string, rawTime: string): { date: string; time: string | null } {
    const date = rawDate.trim();
    if (date === "") errors.push({ field: "consultation_date", message: "Enter the consultation date." });
    else if (!isIsoDate(date))
      errors.push({ field: "consultation_date", message: `Consultation date "${date}" is not a date; use the form YYYY-MM-DD, e.g. 2026-05-17.` });
    else if (date < ctx.today) errors.push({ field: "consultation_date", message: `${date} is in the past; today is ${ctx.today}.` });
    else if (!isOpen(date)) {
      let next = date;
      for (let i = 0; i < 366 && !isOpen(next); i++) next = addDays(next, 1);
      const day = (d: string) => `${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(weekdayOf(d))]} ${d}`;
      errors.push({ field: "consultation_date", message: `The clinic is closed on ${day(date)}. The next open day is ${day(next)}.` });
    }
    const t = rawTime.trim();
    const m = /^(\d{1,2}):(\d{2})$/.exec(t);
    if (t !== "" && (!m || Number(m[1]) > 23 || Number(m[2]) > 59))
      errors.push({ field: "consultation_time", message: `"${t}" is not a time; use the 24-hour form HH:MM, e.g. 09:30 or 14:15.` });
    return { date, time: m ? `${m[1].padStart(2, "0")}:${m[2]}` : null };
  }

  // ---------------------------------------------------------------- commands

  const handlers: AdminStore["handlers"] = {
    today: (): TodayList => {
      signedIn();
      const base = ctx.baseToday();
      return { ...base, sessions: base.sessions.map(withCheckIn), consultations: consultationEntries(base.date) };
    },
    calendar: (a) => ctx.baseCalendar(a).map(withCheckIn),
    check_in: (a) => {
      const s = signedIn();
      const id = arg<number>(a, "sessionId");
      planOfSession(id);
      if (arg<boolean>(a, "arrived")) checkedIn.set(id, ctx.now());
      else checkedIn.delete(id);
      log(s.username, "session.check_in", "session", String(id));
      return null;
    },
    check_in_consultation: (a) => {
      const s = signedIn();
      const id = arg<number>(a, "appointmentId");
      const c = consultations.find((x) => x.appointment_id === id);
      if (!c) throw new MockError("not_found", `Appointment ${id} was not found; it may have been cancelled.`);
      c.checked_in_at = arg<boolean>(a, "arrived") ? ctx.now() : null;
      log(s.username, "consultation.check_in", "patient", String(c.patient_id));
      return null;
    },
    register_with_consultation: (a) => {
      const s = signedIn();
      const errors: FieldError[] = [];
      let input: PatientInput | null = null;
      try {
        input = ctx.validatePatient(arg<PatientInput>(a, "input"));
      } catch (e) {
        if (e instanceof MockError) errors.push(...e.fields);
        else throw e;
      }
      const when = slot(errors, String(a.date ?? ""), String(a.time ?? ""));
      if (errors.length || !input) throw validationError(errors);
      const p = ctx.addPatient(input);
      consultations.push({ appointment_id: nextAppointmentId++, patient_id: p.id, date: when.date, time: when.time, checked_in_at: null });
      log(s.username, "patient.create", "patient", String(p.id));
      return structuredClone(p);
    },
    book_consultation: (a) => {
      signedIn();
      const p = ctx.findPatient(arg<number>(a, "patientId"));
      const errors: FieldError[] = [];
      const when = slot(errors, String(a.date ?? ""), String(a.time ?? ""));
      if (errors.length) throw validationError(errors);
      const id = nextAppointmentId++;
      consultations.push({ appointment_id: id, patient_id: p.id, date: when.date, time: when.time, checked_in_at: null });
      return id;
    },
    cancel_consultation: (a) => {
      signedIn();
      const i = consultations.findIndex((x) => x.appointment_id === arg<number>(a, "appointmentId"));
      if (i >= 0) consultations.splice(i, 1);
      return null;
    },
    print_document: (a) => {
      const request = arg<PrintRequest>(a, "request");
      const lang = languageFor(request, a.language);
      const doc = render(request);
      printed.push(doc.file_name);
      return { path: `/home/clinic/.cache/org.dermis.app/prints/${doc.file_name}`, ...doc, ...lang };
    },
    save_document: (a) => {
      const path = arg<string>(a, "path");
      const request = arg<PrintRequest>(a, "request");
      const lang = languageFor(request, a.language);
      const doc = render(request);
      printed.push(doc.file_name);
      return { path, ...doc, ...lang };
    },
    languages: () => structuredClone(MOCK_LANGUAGES),
    aftercare_texts: () => {
      signedIn();
      return MOCK_LANGUAGES.filter((l) => l.documents).map((l) => textView(l.code));
    },
    save_aftercare_text: (a) => {
      const s = requireAdmin("change the clinic's settings");
      const code = documentLanguage(String(a.language ?? ""));
      const text = String(a.text ?? "").trim();
      const bad = /\{([^{}]*)\}/gu;
      for (const m of text.matchAll(bad)) {
        const name = (m[1] ?? "").trim();
        if (!AFTERCARE_PLACEHOLDERS.some((p) => p.startsWith(`{${name}}`)))
          throw validationError([{ field: "aftercare_template", message: `The aftercare text uses an unknown placeholder {${name}}.` }]);
      }
      if (text === "") aftercareTexts.delete(code);
      else aftercareTexts.set(code, { text, by: s.display_name, at: ctx.now() });
      log(s.username, "settings.aftercare_text", "clinic", "1", code);
      return textView(code);
    },
    approve_aftercare_text: (a) => {
      const s = signedIn();
      if (!s.roles.some((r) => r === "admin" || r === "practitioner"))
        throw new MockError("forbidden", "Your account is not allowed to approve clinical instructions. Ask a practitioner.");
      const code = documentLanguage(String(a.language ?? ""));
      aftercareTexts.set(code, { text: textView(code).text, by: s.display_name, at: ctx.now() });
      log(s.username, "settings.aftercare_text.approve", "clinic", "1", code);
      return textView(code);
    },
    list_documents: (a) => {
      signedIn();
      const id = arg<number>(a, "patientId");
      ctx.findPatient(id);
      return structuredClone(documents.filter((d) => d.patient_id === id).reverse()).map(({ patient_id: _p, ...d }) => d);
    },
    lock_app: () => {
      const s = ctx.session();
      if (s && !lock.locked) log(s.username, "app.lock", "user", String(s.user_id));
      if (s) lock.locked = true;
      return null;
    },
    unlock_app: (a) => {
      const s = ctx.session();
      if (!s) throw new MockError("forbidden", "You are signed out. Sign in to continue.");
      if (lock.failures >= 5)
        throw new MockError(
          "locked",
          `Too many wrong passwords for "${s.username}". Wait 15 minutes, or ask an administrator to reset the password.`,
        );
      const password = arg<string>(a, "password");
      if (password === "") throw validationError([{ field: "password", message: "Enter your password." }]);
      const u = ctx.users.find((x) => x.id === s.user_id);
      if (!u || u.password !== password) {
        lock.failures += 1;
        log(s.username, "login.failed", "user", String(s.user_id));
        throw new MockError("forbidden", "That user name and password do not match. Check them and try again.");
      }
      lock.failures = 0;
      lock.locked = false;
      log(s.username, "login", "user", String(s.user_id));
      return null;
    },
    clinic_settings: () => {
      signedIn();
      return view();
    },
    update_clinic_details: (a) => {
      const s = requireAdmin("change the clinic's settings");
      const d = arg<ClinicDetails>(a, "details");
      const errors: FieldError[] = [];
      const name = clean(d.name);
      if (name === "") errors.push({ field: "clinic_name", message: "Enter the clinic's name." });
      else if ([...name].length > 200) errors.push({ field: "clinic_name", message: "The clinic name is too long: the limit is 200 characters." });
      const phone = clean(d.phone);
      if (phone === "") errors.push({ field: "phone", message: "Enter a phone number." });
      else if ([...phone].some((c) => !(/\p{N}/u.test(c) || " +()-./".includes(c))))
        errors.push({ field: "phone", message: "A phone number can only contain digits, spaces and + ( ) - . /" });
      const email = String(d.email ?? "").trim();
      if (email !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        errors.push({ field: "email", message: `"${email}" is not an e-mail address (expected name@example.com).` });
      const address = String(d.address ?? "").trim();
      if ([...address].length > 500) errors.push({ field: "address", message: "Address is too long: the limit is 500 characters." });
      if (errors.length) throw validationError(errors);
      Object.assign(details, { name, address, phone, email });
      ctx.setClinicName(name);
      log(s.username, "settings.clinic", "clinic", "1");
      return view();
    },
    update_clinic_settings: (a) => {
      const s = requireAdmin("change the clinic's settings");
      const next = arg<ClinicSettings>(a, "settings");
      const errors: FieldError[] = [];
      const whole = (n: unknown) => typeof n === "number" && Number.isInteger(n);
      if (!whole(next.idle_lock_minutes) || next.idle_lock_minutes < 1 || next.idle_lock_minutes > 240)
        errors.push({ field: "idle_lock_minutes", message: "The idle lock is 1 to 240 minutes." });
      if (!whole(next.backups_kept) || next.backups_kept < 1 || next.backups_kept > 365)
        errors.push({ field: "backups_kept", message: "Keep 1 to 365 daily backups." });
      const folder = String(next.backup_folder ?? "").trim();
      if (folder !== "" && !folder.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(folder))
        errors.push({ field: "backup_folder", message: "The backup folder must be a full path, e.g. /media/usb/dermis, or empty." });
      if (next.paper !== "a4" && next.paper !== "letter") errors.push({ field: "paper", message: "Choose A4 or US Letter." });
      const template = String(next.aftercare_template ?? "").trim();
      const known = AFTERCARE_PLACEHOLDERS.map((p) => p.slice(0, p.indexOf("}") + 1));
      const unknown = (template.replace(/\{\{|\}\}/g, "").match(/\{[^{}]*\}/g) ?? []).find((p) => !known.includes(p));
      if (unknown)
        errors.push({
          field: "aftercare_template",
          message: `The aftercare text uses an unknown placeholder ${unknown}. Known placeholders: ${known.join(", ")}.`,
        });
      if (errors.length) throw validationError(errors);
      Object.assign(clinicSettings, { ...next, backup_folder: folder, aftercare_template: template });
      log(s.username, "settings.update", "clinic", "1");
      return view();
    },
    set_logo: (a) => {
      const s = requireAdmin("change the clinic's settings");
      const path = arg<string>(a, "path");
      if (!/\.(png|jpe?g)$/i.test(path))
        throw validationError([
          { field: "logo", message: "The logo must be a PNG or JPEG image; this file is not one. The logo was not changed." },
        ]);
      logo.bytes = PNG_BYTES;
      log(s.username, "settings.logo", "clinic", "1");
      return null;
    },
    clear_logo: () => {
      requireAdmin("change the clinic's settings");
      logo.bytes = new Uint8Array();
      return null;
    },
    logo_data: () => {
      signedIn();
      return logo.bytes.slice().buffer;
    },
    update_depth_chart: (a) => {
      requireAdmin("change the clinic's settings");
      const chart = arg<ZoneDepthChart[]>(a, "chart");
      const errors: FieldError[] = [];
      for (const z of chart)
        for (const skin of ["thin", "thick"] as const) {
          const r = z[skin];
          const field = `depth_chart.${z.zone}.${skin}`;
          if (!Number.isInteger(r.min_um) || !Number.isInteger(r.max_um) || r.min_um <= 0 || r.max_um > 3000)
            errors.push({ field, message: "A depth is more than 0 and at most 3.0 mm." });
          else if (r.min_um > r.max_um) errors.push({ field, message: "The lowest depth is above the highest." });
        }
      if (errors.length) throw validationError(errors);
      ctx.depthChart.splice(0, ctx.depthChart.length, ...structuredClone(chart));
      return structuredClone(ctx.depthChart);
    },
    list_users: () => {
      requireAdmin("manage accounts");
      const all = ctx.users.map(userInfo);
      return [...all.filter((u) => u.active), ...all.filter((u) => !u.active)];
    },
    create_user: (a) => {
      const s = requireAdmin("manage accounts");
      const input = arg<NewUserInput>(a, "input");
      const errors: FieldError[] = [];
      const username = String(input.username ?? "").trim();
      if (username === "") errors.push({ field: "username", message: "Enter a user name." });
      else if ([...username].length < 3 || [...username].length > 32)
        errors.push({ field: "username", message: `A user name has 3 to 32 characters; this one has ${[...username].length}.` });
      else if (!/^[\p{L}\p{N}._-]+$/u.test(username))
        errors.push({ field: "username", message: "A user name can only contain letters, digits, dots, dashes and underscores." });
      else if (ctx.users.some((u) => u.username === username))
        errors.push({ field: "username", message: `The user name "${username}" is taken; choose another.` });
      const displayName = clean(input.display_name);
      if (displayName === "") errors.push({ field: "display_name", message: "Enter the person's full name." });
      checkPassword(errors, String(input.password ?? ""), username);
      if (!input.roles?.length) errors.push({ field: "roles", message: "Give the account at least one role." });
      if (errors.length) throw validationError(errors);
      const u: MockUser = {
        id: Math.max(0, ...ctx.users.map((x) => x.id)) + 1,
        username,
        display_name: displayName,
        password: input.password,
        roles: [...new Set(input.roles)],
        active: true,
      };
      ctx.users.push(u);
      log(s.username, "user.create", "user", String(u.id), u.roles.join(","));
      return { user_id: u.id, username, display_name: displayName, roles: [...u.roles] };
    },
    deactivate_user: (a) => {
      const s = requireAdmin("manage accounts");
      const u = userNamed(arg<string>(a, "username"));
      if (u.id === s.user_id)
        throw validationError([{ field: "username", message: "You cannot deactivate your own account." }]);
      u.active = false;
      log(s.username, "user.deactivate", "user", String(u.id));
      return null;
    },
    change_password: (a) => {
      const s = signedIn();
      const u = ctx.users.find((x) => x.id === s.user_id);
      if (!u) throw new MockError("forbidden", "This account can no longer sign in.");
      if (String(a.current ?? "") !== u.password)
        throw validationError([{ field: "current_password", message: "Your current password is not right." }]);
      const errors: FieldError[] = [];
      const next = String(a.newPassword ?? "");
      checkPassword(errors, next, u.username, "new_password");
      if (!errors.length && next === u.password)
        errors.push({ field: "new_password", message: "The new password is the same as the current one." });
      if (errors.length) throw validationError(errors);
      u.password = next;
      log(s.username, "user.change_password", "user", String(u.id));
      return null;
    },
    reset_password: (a) => {
      const s = requireAdmin("manage accounts");
      const u = userNamed(arg<string>(a, "username"));
      const errors: FieldError[] = [];
      checkPassword(errors, String(a.password ?? ""), u.username);
      if (errors.length) throw validationError(errors);
      u.password = String(a.password);
      log(s.username, "user.reset_password", "user", String(u.id));
      return null;
    },
    audit_page: (a): AuditPage => {
      requireAdmin("read the audit log");
      const f = arg<AuditFilter>(a, "filter");
      const errors: FieldError[] = [];
      for (const key of ["from", "to"] as const) {
        const v = f[key].trim();
        if (v !== "" && !isIsoDate(v))
          errors.push({ field: key, message: `"${v}" is not a date; use the form YYYY-MM-DD, e.g. 2026-05-17.` });
      }
      if (!errors.length && f.from && f.to && f.to < f.from)
        errors.push({ field: "to", message: "The last day is before the first day." });
      if (errors.length) throw validationError(errors);
      const limit = Math.min(500, Math.max(1, f.limit));
      const found = [...audit]
        .reverse()
        .filter((e) => f.before_id === null || e.id < f.before_id)
        .filter((e) => f.username.trim() === "" || e.username === f.username.trim())
        .filter((e) => f.action.trim() === "" || e.action.startsWith(f.action.trim()))
        .filter((e) => f.from === "" || e.at.slice(0, 10) >= f.from)
        .filter((e) => f.to === "" || e.at.slice(0, 10) <= f.to);
      return { items: structuredClone(found.slice(0, limit)), has_more: found.length > limit };
    },
    verify_audit: () => {
      requireAdmin("read the audit log");
      return auditBrokenAt.id;
    },
    audit_checkpoint: () => {
      const s = requireAdmin("read the audit log");
      log(s.username, "audit.checkpoint", "audit", "");
      const broken = auditBrokenAt.id;
      return {
        intact: broken === null,
        entries: audit.length,
        // A stand-in for the chain's head hash: 64 hex digits from the entry count.
        head: audit.length.toString(16).padStart(64, "0"),
        first_bad: broken,
        anchored_entries: audit.length,
        breaks: [],
        problem: broken === null ? null : `Audit entry ${broken} was changed, forged or written without this clinic's key: the log from there on cannot be trusted.`,
      };
    },
    export_audit: (a) => {
      requireAdmin("read the audit log");
      arg<string>(a, "path");
      return audit.length;
    },
    backup_now: (a) => {
      const s = requireAdmin("back up the clinic's data");
      const folder = folderPath(a.folder, "folder");
      const stamp = ctx.now().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
      log(s.username, "backup", "database", "");
      return {
        path: `${folder}/dermis-${stamp}.db`,
        schema_version: big(9),
        patients: big(ctx.patients.length),
        sessions: big(ctx.plans.reduce((n, p) => n + p.sessions.filter((x) => x.status === "done").length, 0)),
        bytes: 2_097_152,
        photos: big(0),
        photos_missing: big(0),
      } satisfies BackupSummary;
    },
    inspect_backup: (a) => {
      requireAdmin("restore a backup");
      return backupAt(arg<string>(a, "path"));
    },
    restore_backup: (a) => {
      const s = requireAdmin("restore a backup");
      const summary = backupAt(arg<string>(a, "path"));
      log(s.username, "restore", "database", "", summary.path);
      return summary;
    },
    export_data: (a): ExportSummary => {
      const s = requireAdmin("export the clinic's data");
      const format = arg<ExportFormat>(a, "format");
      const path = arg<string>(a, "path");
      log(s.username, "export", "database", "", format);
      return {
        format,
        path,
        files: format === "csv" ? ["patients.csv", "assessments.csv", "plans.csv", "sessions.csv", "adverse_events.csv"] : [path],
        patients: ctx.patients.length,
        assessments: 3,
        plans: ctx.plans.length,
        sessions: 12,
        adverse_events: 1,
      };
    },
  };

  return {
    audit,
    auditBrokenAt,
    details,
    clinicSettings,
    logo,
    documents,
    consultations,
    checkedIn,
    backupFiles,
    printed,
    lock,
    addAudit: log,
    handlers,
  };
}
