// An in-memory stand-in for the Rust backend, served through Tauri's mockIPC.
// Used by the UI tests and by `vite --mode mock` (the UI in a plain browser).
// It mimics the backend's validation messages and search rules closely enough
// for realistic flows; it is not the backend.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { AppStatus } from "../bindings/AppStatus";
import type { FieldError } from "../bindings/FieldError";
import type { LoginInput } from "../bindings/LoginInput";
import type { Patient } from "../bindings/Patient";
import type { PatientInput } from "../bindings/PatientInput";
import type { PatientPage } from "../bindings/PatientPage";
import type { PatientSearch } from "../bindings/PatientSearch";
import type { PatientSummary } from "../bindings/PatientSummary";
import type { ActorInfo } from "../bindings/ActorInfo";
import type { SetupInput } from "../bindings/SetupInput";
import type { CalendarEntry } from "../bindings/CalendarEntry";
import type { TodayList } from "../bindings/TodayList";
import { digits, fold, foldWords } from "./fold";
import { appHandlers } from "./mock-app";
import { createAdmin, type AdminStore, type MockUser } from "./mock-admin";
import { createClinic, type ClinicStore } from "./mock-clinic";
import { createSessions, type MockPhotoFile, type SessionsStore } from "./mock-sessions";
import { MockError, validationError } from "./mock-error";

/** The account that exists when the mock starts with setup done. */
export const MOCK_ADMIN = {
  username: "admin",
  password: "correct horse battery",
  display_name: "Dr Amira Haddad",
} as const;

/** A receptionist's account (calendar, today, moving sessions; no clinical records). */
export const MOCK_RECEPTIONIST = {
  username: "desk",
  password: "quiet otter marble lantern",
  display_name: "Sam Reyes",
} as const;

export const MOCK_CLINIC_NAME = "Clearskin Clinic";

/** A patient to seed the store with; omitted fields get plausible defaults. */
export type SeedPatient = Partial<PatientInput> & {
  first_name: string;
  last_name: string;
  archived?: boolean;
};

export interface MockBackendOptions {
  /** The first-run screen is due (no clinic, no account yet). Default false. */
  needsSetup?: boolean;
  /** Start with the admin signed in (ignored when needsSetup). Default false. */
  signedIn?: boolean;
  /** Who is signed in when `signedIn`: the admin (default) or the receptionist. */
  signedInAs?: "admin" | "receptionist";
  /**
   * Give the first seven (unarchived) patients screenings, assessments and plans
   * around today: two sessions today, more this week, two maintenance recalls
   * (one overdue), and a patient in an isotretinoin washout. Default false.
   */
  clinicalDemo?: boolean;
  clinicName?: string;
  patients?: SeedPatient[];
  /** Milliseconds to wait before answering a command (to test slow or out-of-order answers). */
  delay?: (command: string, args: Record<string, unknown>) => number;
  /** Today's date, `YYYY-MM-DD`, for date-of-birth checks. Default: the real date. */
  today?: string;
  /** Files import_photo can read by path (others are judged by their extension). */
  files?: Record<string, MockPhotoFile>;
}


export interface MockBackend {
  /** Every command received, in order, with its arguments. */
  calls: Array<{ command: string; args: Record<string, unknown> }>;
  /** The stored patients (live; tests may read them). */
  patients: Patient[];
  /** Screenings, assessments, plans and plan settings (live). */
  clinic: Pick<ClinicStore, "screenings" | "assessments" | "plans" | "settings" | "backup">;
  /** Session records, photos, CSV exports and what the file dialogs answer (live; tests may set `dialog`). */
  sessions: Pick<SessionsStore, "records" | "photos" | "depthChart" | "exports" | "dialog">;
  /** Settings, accounts, the audit log, documents, consultations, check-ins and the lock (live). */
  admin: Omit<AdminStore, "handlers">;
  /** Every account (live; tests may add some). */
  users: MockUser[];
  /** Another window edits this patient: its version moves on. */
  touchPatient(id: number, changes?: Partial<PatientInput>): Patient;
  uninstall(): void;
}

// ---------------------------------------------------------------- validation

const NAME_MAX = 100;
const ADDRESS_MAX = 500;
const NOTES_MAX = 5000;

function localToday(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function cleanText(s: string): string {
  return s.trim().normalize("NFC").split(/\s+/u).filter(Boolean).join(" ");
}

function cleanMultiline(s: string): string {
  return s
    .normalize("NFC")
    .split(/\r?\n/)
    .map(cleanText)
    .join("\n")
    .replace(/^\n+|\n+$/g, "");
}

function hasControl(s: string, allowNewline: boolean): boolean {
  for (const c of s) {
    if (/\p{Cc}/u.test(c) && !(allowNewline && (c === "\n" || c === "\r" || c === "\t"))) return true;
  }
  return false;
}

type Check = (errors: FieldError[]) => string;

function name(field: string, label: string, raw: string): Check {
  return (errors) => {
    if (hasControl(raw, false)) {
      errors.push({ field, message: `${label} contains characters that cannot be printed.` });
      return "";
    }
    const v = cleanText(raw);
    const n = [...v].length;
    if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
    else if (n > NAME_MAX)
      errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${NAME_MAX}.` });
    return v;
  };
}

function isRealDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function dateOfBirth(raw: string, today: string): Check {
  return (errors) => {
    const field = "date_of_birth";
    const v = raw.trim();
    if (v === "") errors.push({ field, message: "Enter the date of birth." });
    else if (!isRealDate(v))
      errors.push({ field, message: `Date of birth "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
    else if (v > today) errors.push({ field, message: `Date of birth ${v} is in the future; today is ${today}.` });
    else if (v < "1900-01-01") errors.push({ field, message: "Date of birth is before 1900; check the year." });
    return v;
  };
}

function phone(field: string, raw: string, required: boolean): Check {
  return (errors) => {
    const v = cleanText(raw);
    if (v === "") {
      if (required) errors.push({ field, message: "Enter a phone number." });
      return v;
    }
    const bad = [...v].find((c) => !(/\p{N}/u.test(c) || " +()-./".includes(c)));
    if (bad !== undefined) {
      errors.push({
        field,
        message: `A phone number can only contain digits, spaces and + ( ) - . / — "${bad}" is not allowed.`,
      });
      return v;
    }
    if (v.slice(1).includes("+")) {
      errors.push({ field, message: 'A "+" can only start a phone number.' });
      return v;
    }
    const n = digits(v).length;
    if (n < 6) errors.push({ field, message: `This phone number has ${n} digits; a phone number has at least 6.` });
    else if (n > 15) errors.push({ field, message: `This phone number has ${n} digits; a phone number has at most 15.` });
    return v;
  };
}

function email(raw: string): Check {
  return (errors) => {
    const v = raw.trim();
    if (v === "") return v;
    const at = v.indexOf("@");
    const local = v.slice(0, at);
    const domain = v.slice(at + 1);
    const ok =
      at > 0 &&
      !/\s/u.test(v) &&
      [...v].length <= 254 &&
      !domain.includes("@") &&
      domain.includes(".") &&
      !domain.startsWith(".") &&
      !domain.endsWith(".") &&
      !domain.includes("..") &&
      local !== "";
    if (!ok) errors.push({ field: "email", message: `"${v}" is not an e-mail address (expected name@example.com).` });
    return v;
  };
}

function text(field: string, label: string, raw: string, max: number): Check {
  return (errors) => {
    if (hasControl(raw, true)) {
      errors.push({ field, message: `${label} contains characters that cannot be printed.` });
      return "";
    }
    const v = cleanMultiline(raw);
    const n = [...v].length;
    if (n > max) errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${max}.` });
    return v;
  };
}

function language(raw: string): Check {
  return (errors) => {
    const v = raw.trim();
    if (v === "") return v;
    const [primary, ...rest] = v.split("-");
    const ok = /^[A-Za-z]{2,3}$/.test(primary) && rest.every((p) => /^[A-Za-z0-9]{2,8}$/.test(p));
    if (!ok)
      errors.push({
        field: "preferred_language",
        message: `"${v}" is not a language code; choose a language from the list.`,
      });
    return v;
  };
}

function validatePatient(input: PatientInput, today: string): PatientInput {
  const errors: FieldError[] = [];
  const out: PatientInput = {
    first_name: name("first_name", "First name", String(input.first_name ?? ""))(errors),
    last_name: name("last_name", "Last name", String(input.last_name ?? ""))(errors),
    date_of_birth: dateOfBirth(String(input.date_of_birth ?? ""), today)(errors),
    sex: input.sex ?? null,
    phone: phone("phone", String(input.phone ?? ""), false)(errors),
    email: email(String(input.email ?? ""))(errors),
    address: text("address", "Address", String(input.address ?? ""), ADDRESS_MAX)(errors),
    preferred_language: language(String(input.preferred_language ?? ""))(errors),
    notes: text("notes", "Notes", String(input.notes ?? ""), NOTES_MAX)(errors),
  };
  if (out.sex !== null && !["female", "male", "other"].includes(out.sex)) {
    errors.push({ field: "sex", message: "Choose female, male, other or not recorded." });
  }
  if (errors.length) throw validationError(errors);
  return out;
}

function validateSetup(input: SetupInput): SetupInput {
  const errors: FieldError[] = [];
  const clinicName = cleanText(String(input.clinic_name ?? ""));
  if (clinicName === "") errors.push({ field: "clinic_name", message: "Enter the clinic's name." });
  else if ([...clinicName].length > 200)
    errors.push({ field: "clinic_name", message: "The clinic name is too long: the limit is 200 characters." });
  const clinicAddress = text("clinic_address", "Address", String(input.clinic_address ?? ""), ADDRESS_MAX)(errors);
  const clinicPhone = phone("clinic_phone", String(input.clinic_phone ?? ""), true)(errors);
  const username = String(input.admin_username ?? "").trim();
  if (username === "") errors.push({ field: "admin_username", message: "Enter a user name." });
  else if ([...username].length < 3 || [...username].length > 32)
    errors.push({
      field: "admin_username",
      message: `A user name has 3 to 32 characters; this one has ${[...username].length}.`,
    });
  else if (!/^[\p{L}\p{N}._-]+$/u.test(username))
    errors.push({
      field: "admin_username",
      message: "A user name can only contain letters, digits, dots, dashes and underscores.",
    });
  const displayName = name("admin_display_name", "Your name", String(input.admin_display_name ?? ""))(errors);
  const password = String(input.password ?? "");
  if (password.trim() === "") errors.push({ field: "password", message: "Enter a password." });
  else if ([...password].length < 12)
    errors.push({
      field: "password",
      message: "A password needs at least 12 characters; a short sentence is easy to remember.",
    });
  if (errors.length) throw validationError(errors);
  return {
    clinic_name: clinicName,
    clinic_address: clinicAddress,
    clinic_phone: clinicPhone,
    admin_username: username,
    admin_display_name: displayName,
    password,
  };
}

// ---------------------------------------------------------------- search

interface ParsedQuery {
  words: string[];
  dates: string[];
  phoneDigits: string | null;
  patientNumber: number | null;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function parseDates(q: string): string[] {
  if (isRealDate(q)) return [q];
  const parts = q.split(/[/.-]/);
  if (parts.length !== 3 || parts[2].length !== 4 || parts.some((p) => p === "" || p.length > 4 || !/^\d+$/.test(p)))
    return [];
  const [a, b, y] = parts.map(Number);
  const found = new Set<string>();
  for (const [month, day] of [
    [b, a],
    [a, b],
  ]) {
    const iso = `${pad(y, 4)}-${pad(month)}-${pad(day)}`;
    if (isRealDate(iso)) found.add(iso);
  }
  return [...found].sort();
}

function parseQuery(query: string): ParsedQuery {
  const q = query.trim();
  const out: ParsedQuery = { words: [], dates: [], phoneDigits: null, patientNumber: null };
  if (q === "") return out;
  out.dates = parseDates(q);
  if (out.dates.length) return out;
  const lower = q.toLowerCase();
  if (lower.startsWith("p")) {
    const rest = lower.slice(1).replace(/^[- ]+/, "");
    if (rest !== "" && /^\d+$/.test(rest)) {
      out.patientNumber = Number(rest);
      return out;
    }
  }
  const phoneLike = [...q].every((c) => /\p{N}/u.test(c) || " +()-./".includes(c));
  const d = digits(q);
  if (phoneLike && d !== "") {
    if (d.length <= 6) out.patientNumber = Number(d);
    if (d.length >= 3) out.phoneDigits = d;
    return out;
  }
  out.words = foldWords(q);
  return out;
}

function sortKey(p: Patient): string {
  return `${fold(p.last_name)}\u0000${fold(p.first_name)}`;
}

function matches(p: Patient, q: ParsedQuery): boolean {
  if (q.dates.length) return q.dates.includes(p.date_of_birth);
  if (q.patientNumber !== null || q.phoneDigits !== null) {
    const byNumber = q.patientNumber !== null && Number(p.patient_number.replace(/\D/g, "")) === q.patientNumber;
    const byPhone = q.phoneDigits !== null && digits(p.phone).includes(q.phoneDigits);
    return byNumber || byPhone;
  }
  if (!q.words.length) return false;
  const nameWords = foldWords(`${p.first_name} ${p.last_name}`);
  return q.words.every((w) => nameWords.some((nw) => nw.includes(w)));
}

function summary(p: Patient): PatientSummary {
  return {
    id: p.id,
    patient_number: p.patient_number,
    first_name: p.first_name,
    last_name: p.last_name,
    date_of_birth: p.date_of_birth,
    phone: p.phone,
    archived: p.archived,
  };
}

// ---------------------------------------------------------------- the mock

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function args<T>(payload: Record<string, unknown>, key: string): T {
  const v = payload[key];
  if (v === undefined) throw new MockError("internal", `invalid args \`${key}\`: missing required key ${key}`);
  return v as T;
}

/** Serves every command of docs/ipc.md from memory. Call `uninstall()` (or clearMocks) when done. */
export function installMockBackend(options: MockBackendOptions = {}): MockBackend {
  const today = options.today ?? localToday();
  let needsSetup = options.needsSetup ?? false;
  let clinicName: string | null = needsSetup ? null : (options.clinicName ?? MOCK_CLINIC_NAME);
  const users: MockUser[] = needsSetup
    ? []
    : [
        { id: 1, ...MOCK_ADMIN, roles: ["admin", "practitioner"] },
        { id: 2, ...MOCK_RECEPTIONIST, roles: ["receptionist"] },
      ];
  let session: ActorInfo | null = null;
  const calls: MockBackend["calls"] = [];
  const patients: Patient[] = [];
  let nextId = 1;

  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

  function sessionOf(u: MockUser): ActorInfo {
    return { user_id: u.id, username: u.username, display_name: u.display_name, roles: [...u.roles] };
  }

  function addPatient(input: PatientInput, archived = false): Patient {
    const id = nextId++;
    const at = now();
    const p: Patient = {
      id,
      patient_number: `P-${pad(id, 6)}`,
      ...input,
      archived,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    patients.push(p);
    return p;
  }

  for (const seed of options.patients ?? []) {
    const { archived, ...rest } = seed;
    addPatient(
      {
        date_of_birth: "1985-01-01",
        sex: null,
        phone: "",
        email: "",
        address: "",
        preferred_language: "",
        notes: "",
        ...rest,
      },
      archived ?? false,
    );
  }

  if (!needsSetup && options.signedIn)
    session = sessionOf(options.signedInAs === "receptionist" ? users[1] : users[0]);

  function requireSession(): ActorInfo {
    if (!session) throw new MockError("forbidden", "Sign in to continue.");
    return session;
  }

  function find(id: number): Patient {
    const p = patients.find((x) => x.id === id);
    if (!p) throw new MockError("not_found", `Patient ${id} was not found.`);
    return p;
  }

  const clinic = createClinic({ today, now, requireSession, findPatient: find, patients, sortKey });
  if (options.clinicalDemo) clinic.seedDemo();
  const sessions = createSessions({
    today,
    now,
    findPatient: find,
    patients,
    plans: clinic.plans,
    assessments: clinic.assessments,
    clinic: clinic.internals,
    files: options.files ?? {},
  });

  const admin = createAdmin({
    today,
    now,
    session: () => session,
    setSession: (s) => (session = s),
    users,
    patients,
    findPatient: find,
    addPatient: (input) => addPatient(input),
    validatePatient: (input) => validatePatient(input, today),
    plans: clinic.plans,
    planSettings: clinic.settings,
    depthChart: sessions.depthChart,
    clinicName: () => clinicName,
    setClinicName: (n) => (clinicName = n),
    baseToday: () => clinic.handlers.today({}) as TodayList,
    baseCalendar: (a) => clinic.handlers.calendar(a) as CalendarEntry[],
  });
  // What a locked app still answers (the backend refuses everything else with `locked`).
  const WHILE_LOCKED = new Set(["app_status", "unlock_app", "lock_app", "logout", "app_info"]);

  const handlers: Record<string, (a: Record<string, unknown>) => unknown> = {
    ...appHandlers(),
    ...clinic.handlers,
    ...sessions.handlers,
    ...admin.handlers,
    app_status: (): AppStatus => ({
      needs_setup: needsSetup,
      clinic_name: clinicName,
      session,
      db_path: "/mock/dermis.sqlite3",
      idle_lock_minutes: admin.clinicSettings.idle_lock_minutes,
      locked: admin.lock.locked,
    }),
    setup_clinic: (a) => {
      if (!needsSetup) throw new MockError("conflict", "This database already has a clinic.");
      const input = validateSetup(args<SetupInput>(a, "input"));
      const user: MockUser = {
        id: 1,
        username: input.admin_username,
        display_name: input.admin_display_name,
        password: input.password,
        roles: ["admin", "practitioner"],
      };
      users.push(user);
      clinicName = input.clinic_name;
      needsSetup = false;
      session = sessionOf(user);
      return session;
    },
    login: (a) => {
      const input = args<LoginInput>(a, "input");
      if (needsSetup) throw new MockError("conflict", "Set up the clinic first.");
      const errors: FieldError[] = [];
      if (input.username.trim() === "") errors.push({ field: "username", message: "Enter your user name." });
      if (input.password === "") errors.push({ field: "password", message: "Enter your password." });
      if (errors.length) throw validationError(errors);
      const user = users.find(
        (u) => u.username === input.username.trim() && u.password === input.password && u.active !== false,
      );
      if (!user) throw new MockError("forbidden", "The user name or password is not right.");
      session = sessionOf(user);
      admin.lock.locked = false;
      return session;
    },
    logout: () => {
      session = null;
      admin.lock.locked = false;
      return null;
    },
    search_patients: (a): PatientPage => {
      requireSession();
      const s = args<PatientSearch>(a, "search");
      const offset = Math.max(0, Math.floor(s.offset));
      const limit = Math.min(200, Math.max(1, Math.floor(s.limit)));
      const q = parseQuery(s.query);
      const empty = q.words.length === 0 && q.dates.length === 0 && q.phoneDigits === null && q.patientNumber === null;
      const found = patients
        .filter((p) => s.include_archived || !p.archived)
        .filter((p) => empty || matches(p, q))
        .sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : x.id - y.id));
      return {
        items: found.slice(offset, offset + limit).map(summary),
        offset,
        has_more: found.length > offset + limit,
      };
    },
    get_patient: (a) => {
      requireSession();
      return structuredClone(find(args<number>(a, "id")));
    },
    create_patient: (a) => {
      requireSession();
      const input = validatePatient(args<PatientInput>(a, "input"), today);
      return structuredClone(addPatient(input));
    },
    update_patient: (a) => {
      requireSession();
      const p = find(args<number>(a, "id"));
      const expected = args<number>(a, "expectedVersion");
      if (p.version !== expected)
        throw new MockError(
          "conflict",
          "Someone else changed this patient since you opened it. Reload to see their changes, then make yours again.",
        );
      const input = validatePatient(args<PatientInput>(a, "input"), today);
      Object.assign(p, input, { version: p.version + 1, updated_at: now() });
      return structuredClone(p);
    },
    erase_patient: (a) => {
      const s = requireSession();
      if (!s.roles.includes("admin"))
        throw new MockError("forbidden", "Your account is not allowed to erase patients. Ask the clinic's administrator.");
      const id = args<number>(a, "id");
      const i = patients.findIndex((p) => p.id === id);
      if (i < 0) throw new MockError("not_found", `Patient ${id} was not found; it may have been erased already.`);
      patients.splice(i, 1);
      return { patient_id: id, rows: 1, photo_files: 0 };
    },
    set_patient_archived: (a) => {
      requireSession();
      const p = find(args<number>(a, "id"));
      const archived = args<boolean>(a, "archived");
      if (p.archived !== archived) Object.assign(p, { archived, version: p.version + 1, updated_at: now() });
      return structuredClone(p);
    },
  };

  mockIPC(async (command, payload) => {
    const a = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args: structuredClone(a) });
    const ms = options.delay?.(command, a) ?? 0;
    if (ms > 0) await sleep(ms);
    const handler = handlers[command];
    if (!handler) throw `Command ${command} not found`;
    try {
      if (admin.lock.locked && !WHILE_LOCKED.has(command) && !command.startsWith("plugin:"))
        throw new MockError("locked", "Dermis is locked. Enter your password to continue.");
      return handler(a);
    } catch (e) {
      if (e instanceof MockError) throw e.plain();
      throw e;
    }
  }, { shouldMockEvents: true });

  return {
    calls,
    patients,
    clinic: { screenings: clinic.screenings, assessments: clinic.assessments, plans: clinic.plans, settings: clinic.settings, backup: clinic.backup },
    sessions: { records: sessions.records, photos: sessions.photos, depthChart: sessions.depthChart, exports: sessions.exports, dialog: sessions.dialog },
    admin: (({ handlers: _h, ...rest }) => rest)(admin),
    users,
    touchPatient(id, changes = {}) {
      const p = find(id);
      Object.assign(p, changes, { version: p.version + 1, updated_at: now() });
      return structuredClone(p);
    },
    uninstall: clearMocks,
  };
}

/** Removes the mock backend (between tests), so only lib/backend touches @tauri-apps. */
export function removeMockBackend(): void {
  clearMocks();
}
