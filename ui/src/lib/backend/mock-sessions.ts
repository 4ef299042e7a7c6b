// The session half of the mock backend: session records, healing follow-up,
// the adverse-event register, progress and photos (docs/ipc.md, issue 4).
// It follows dermis-core/src/session.rs, photo.rs and dermis-clinic's
// sessions.rs/photos.rs (messages, fields, order of the checks) closely enough
// to exercise the screens; the real rules live in the Rust backend.
import type { AdverseEventEntry } from "../bindings/AdverseEventEntry";
import type { AdverseEventFilter } from "../bindings/AdverseEventFilter";
import type { AdverseEventInput } from "../bindings/AdverseEventInput";
import type { Assessment } from "../bindings/Assessment";
import type { BeforeAfter } from "../bindings/BeforeAfter";
import type { FieldError } from "../bindings/FieldError";
import type { HealingInput } from "../bindings/HealingInput";
import type { HealingOutcome } from "../bindings/HealingOutcome";
import type { Patient } from "../bindings/Patient";
import type { Photo } from "../bindings/Photo";
import type { PhotoImport } from "../bindings/PhotoImport";
import type { Plan } from "../bindings/Plan";
import type { Progress } from "../bindings/Progress";
import type { SessionDraft } from "../bindings/SessionDraft";
import type { ActorInfo } from "../bindings/ActorInfo";
import type { SessionRecord } from "../bindings/SessionRecord";
import type { SessionRecordInput } from "../bindings/SessionRecordInput";
import type { ZoneDepth } from "../bindings/ZoneDepth";
import type { ZoneDepthChart } from "../bindings/ZoneDepthChart";
import { addDays, isIsoDate } from "../dates";
import { ADVERSE_EVENT_LABELS, AREA_LABELS, ZONE_LABELS, formatMm, parseMm } from "../format";
import type { ClinicInternals } from "./mock-clinic";
import { MockError, validationError } from "./mock-error";

/** The manufacturer's chart of PRODUCT.md 4.5 (µm, thin / thick skin). */
export const DEFAULT_DEPTH_CHART: readonly ZoneDepthChart[] = [
  { zone: "forehead", thin: { min_um: 250, max_um: 500 }, thick: { min_um: 500, max_um: 750 } },
  { zone: "nose", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 500, max_um: 500 } },
  { zone: "around_eyes", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 250, max_um: 500 } },
  { zone: "cheekbones", thin: { min_um: 500, max_um: 500 }, thick: { min_um: 500, max_um: 1000 } },
  { zone: "cheeks_chin", thin: { min_um: 500, max_um: 1000 }, thick: { min_um: 1000, max_um: 2000 } },
  { zone: "upper_lip", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 250, max_um: 750 } },
  { zone: "scarred_areas", thin: { min_um: 1000, max_um: 1250 }, thick: { min_um: 1500, max_um: 2000 } },
];

const MAX_DEPTH_UM = 3000;
const SHORT_TEXT = 200;
const LONG_TEXT = 2000;
const SLOW_HEALING_REDNESS_DAYS = 3;
const NO_CLEAR_CHANGE_POINTS = 4;

/** A file on the mock "disk", for import_photo (by path). */
export interface MockPhotoFile {
  kind: "jpeg" | "png" | "heic" | "text";
  /** The date in the camera's metadata, if any. */
  camera_date?: string;
  width?: number;
  height?: number;
}

export interface SessionsContext {
  today: string;
  now(): string;
  findPatient(id: number): Patient;
  patients: Patient[];
  plans: Plan[];
  assessments: Assessment[];
  clinic: ClinicInternals;
  /** Files import_photo can read; others are guessed from their extension. */
  files: Record<string, MockPhotoFile>;
}

export interface SessionsStore {
  records: SessionRecord[];
  photos: Photo[];
  depthChart: ZoneDepthChart[];
  /** The CSV files export_adverse_events wrote (path → content). */
  exports: Record<string, string>;
  /** What the open/save dialogs answer next (tests set them; null = cancelled). */
  dialog: { open: string[] | null; save: string | null };
  handlers: Record<string, (a: Record<string, unknown>) => unknown>;
}

function arg<T>(a: Record<string, unknown>, key: string): T {
  if (!(key in a)) throw new Error(`invalid args \`${key}\`: missing required key ${key}`);
  return a[key] as T;
}

/** validate::text: no control characters, trimmed, at most `max` characters. */
function text(errors: FieldError[], field: string, label: string, raw: unknown, max: number): string {
  const s = String(raw ?? "");
  if ([...s].some((c) => /\p{Cc}/u.test(c) && c !== "\n" && c !== "\r" && c !== "\t")) {
    errors.push({ field, message: `${label} contains characters that cannot be printed.` });
    return "";
  }
  const v = s.trim();
  const n = [...v].length;
  if (n > max) errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${max}.` });
  return v;
}

/** validate::past_date. */
function pastDate(errors: FieldError[], field: string, label: string, raw: unknown, today: string): string | null {
  const v = String(raw ?? "").trim();
  if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
  else if (!isIsoDate(v)) errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
  else if (v > today) errors.push({ field, message: `The ${label.toLowerCase()} ${v} is in the future; today is ${today}.` });
  else return v;
  return null;
}

const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** A tiny stand-in for a photo's pixels (a 1×1 PNG): the mock stores no images. */
const PIXEL = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

export function createSessions(ctx: SessionsContext): SessionsStore {
  const records: SessionRecord[] = [];
  const photos: Photo[] = [];
  const depthChart: ZoneDepthChart[] = structuredClone([...DEFAULT_DEPTH_CHART]);
  const exports: Record<string, string> = {};
  const dialog: SessionsStore["dialog"] = { open: null, save: null };
  /** gap_weeks per planned session id (a lengthened interval before it). */
  const gaps = new Map<number, number>();
  let nextRecordId = 1;
  let nextHealingId = 1;
  let nextEventId = 1;
  let nextPhotoId = 1;
  const { clinic } = ctx;

  function planOfSession(id: number): { plan: Plan; i: number } {
    for (const plan of ctx.plans) {
      const i = plan.sessions.findIndex((s) => s.id === id);
      if (i >= 0) return { plan, i };
    }
    throw new MockError("not_found", `Session ${id} was not found.`);
  }

  const recordsOf = (patientId: number) =>
    records
      .filter((r) => r.patient_id === patientId)
      .sort((a, b) => (a.date === b.date ? b.id - a.id : a.date < b.date ? 1 : -1));

  function planStateRefusal(p: Plan): string | null {
    if (p.status === "active") return null;
    if (p.status === "paused")
      return "This plan is paused (see the plan's rationale): a practitioner must review and resume it before the next session.";
    return `This plan is ${p.status}; no more sessions can be recorded in it.`;
  }

  /** dermis-clinic's screening_gate: warnings and a block, or a refusal (a `screening` error). */
  function screeningGate(patientId: number, date: string): { warnings: string[]; block: string | null } {
    const s = clinic.latestScreening(patientId);
    const fail = (message: string) => validationError([{ field: "screening", message }]);
    if (!s) throw fail("This patient has no screening on record: record a screening before the session.");
    const r = s.result;
    if (r.valid_until < date)
      throw fail(`The screening of ${s.screened_on} expired on ${r.valid_until}: renew the screening before the session.`);
    if (r.earliest_eligible && r.earliest_eligible > date)
      throw fail(`The screening's washout period runs until ${r.earliest_eligible}: no session before then.`);
    return {
      warnings: r.warnings.map((w) => w.message),
      block: r.allowed ? null : r.blocks.map((b) => b.message).join(" "),
    };
  }

  function draftInput(previous: SessionRecord | undefined): SessionRecordInput {
    const blank: SessionRecordInput = {
      date: ctx.today,
      numbing_cream: "",
      numbing_minutes: null,
      device: "",
      cartridge_lot: "",
      skin: "thin",
      depths: [],
      passes: 3,
      glide_product: "",
      glide_lot: "",
      endpoint: "erythema",
      immediate_reaction: "",
      duration_minutes: null,
      notes: "",
      confirm_above_ceiling: false,
      screening_override_reason: "",
    };
    if (!previous) return blank;
    return {
      ...blank,
      numbing_cream: previous.numbing_cream,
      numbing_minutes: previous.numbing_minutes,
      device: previous.device,
      cartridge_lot: previous.cartridge_lot,
      skin: previous.skin,
      depths: previous.depths.map((d) => ({ zone: d.zone, depth_mm: formatMm(d.depth_um) })),
      passes: previous.passes,
      glide_product: previous.glide_product,
      glide_lot: previous.glide_lot,
      endpoint: previous.endpoint,
    };
  }

  /** dermis-core's validate_record: every invalid field at once. */
  function validateRecord(input: SessionRecordInput): Omit<SessionRecord, "id" | "patient_id" | "plan_id" | "planned_session_id" | "n" | "practitioner" | "created_at" | "warnings" | "healing"> {
    const errors: FieldError[] = [];
    const date = pastDate(errors, "date", "Session date", input.date, ctx.today);
    const numbing_cream = text(errors, "numbing_cream", "Numbing cream", input.numbing_cream, SHORT_TEXT);
    if (input.numbing_minutes !== null && input.numbing_minutes > 180)
      errors.push({
        field: "numbing_minutes",
        message: `Numbing contact time of ${input.numbing_minutes} minutes is too long; enter at most 180.`,
      });
    const device = text(errors, "device", "Device", input.device, SHORT_TEXT);
    if (device === "") errors.push({ field: "device", message: "Enter the device used." });
    const cartridge_lot = text(errors, "cartridge_lot", "Cartridge lot", input.cartridge_lot, SHORT_TEXT);
    if (input.depths.length === 0) errors.push({ field: "depths", message: "Enter the needle depth of at least one zone." });
    const depths: ZoneDepth[] = [];
    const above: FieldError[] = [];
    input.depths.forEach((d, i) => {
      const field = `depth.${d.zone}`;
      const label = ZONE_LABELS[d.zone];
      if (input.depths.slice(0, i).some((e) => e.zone === d.zone)) {
        errors.push({ field, message: `${label} is entered twice.` });
        return;
      }
      const um = parseMm(d.depth_mm);
      if (um === null) {
        errors.push({ field, message: `${label}: "${d.depth_mm.trim()}" is not a depth; enter millimetres, e.g. 0.5.` });
        return;
      }
      if (um === 0 || um > MAX_DEPTH_UM) {
        errors.push({
          field,
          message: `${label}: a depth of ${formatMm(um)} mm is not possible; enter between 0.05 and ${formatMm(MAX_DEPTH_UM)} mm.`,
        });
        return;
      }
      const ceiling = depthChart.find((z) => z.zone === d.zone)?.[input.skin].max_um;
      const over = ceiling !== undefined && um > ceiling;
      if (over && !input.confirm_above_ceiling)
        above.push({
          field,
          message: `${label}: ${formatMm(um)} mm is above the ${formatMm(ceiling)} mm ceiling for ${input.skin} skin; confirm the depth to go ahead.`,
        });
      depths.push({ zone: d.zone, depth_um: um, above_ceiling: over });
    });
    errors.push(...above);
    if (!(input.passes >= 1 && input.passes <= 20))
      errors.push({ field: "passes", message: "Enter the number of passes, from 1 to 20." });
    const glide_product = text(errors, "glide_product", "Glide or serum", input.glide_product, SHORT_TEXT);
    const glide_lot = text(errors, "glide_lot", "Glide or serum lot", input.glide_lot, SHORT_TEXT);
    const immediate_reaction = text(errors, "immediate_reaction", "Immediate reaction", input.immediate_reaction, LONG_TEXT);
    if (input.duration_minutes !== null && !(input.duration_minutes >= 1 && input.duration_minutes <= 480))
      errors.push({ field: "duration_minutes", message: "Enter the session's duration in minutes, from 1 to 480." });
    const notes = text(errors, "notes", "Notes", input.notes, LONG_TEXT);
    const screening_override_reason = text(
      errors,
      "screening_override_reason",
      "Override reason",
      input.screening_override_reason,
      LONG_TEXT,
    );
    if (errors.length) throw validationError(errors);
    return {
      date: date ?? ctx.today,
      numbing_cream,
      numbing_minutes: input.numbing_minutes,
      device,
      cartridge_lot,
      skin: input.skin,
      depths,
      passes: input.passes,
      glide_product,
      glide_lot,
      endpoint: input.endpoint,
      immediate_reaction,
      duration_minutes: input.duration_minutes,
      notes,
      ceiling_confirmed: depths.some((d) => d.above_ceiling),
      screening_override_reason,
    };
  }

  /** The plan's dates after re-planning the sessions after index i (dermis-core's replan_after). */
  function replanAfter(plan: Plan, done: boolean[], dates: string[], i: number): string[] {
    const rules = clinic.rulesOf(plan);
    const out = [...dates];
    for (let k = i + 1; k < out.length; k++) {
      if (done[k]) continue;
      const w = gaps.get(plan.sessions[k].id) ?? rules.interval;
      out[k] = clinic.nextSession(k + 1, out[k - 1], w, rules.shortest);
    }
    return out;
  }

  /** Writes the new dates of the planned sessions and recomputes the recalls. */
  function applyDates(plan: Plan, dates: string[]): void {
    plan.sessions.forEach((s, k) => {
      if (s.status === "planned" && s.date !== dates[k]) {
        s.date = dates[k];
        s.time = null;
      }
    });
    plan.maintenance = clinic.recallDates(dates[dates.length - 1], clinic.rulesOf(plan).maintenanceMonths);
  }

  function recordSession(s: ActorInfo, plannedSessionId: number, input: SessionRecordInput): SessionRecord {
    const { plan, i } = planOfSession(plannedSessionId);
    const refusal = planStateRefusal(plan);
    if (refusal) throw new MockError("conflict", refusal);
    const ps = plan.sessions[i];
    if (ps.status !== "planned") throw new MockError("conflict", `Session ${ps.n} is already ${ps.status}.`);
    const earlier = plan.sessions.slice(0, i).find((x) => x.status === "planned");
    if (earlier)
      throw new MockError("conflict", `Session ${earlier.n} is not recorded yet: record the sessions in order.`);
    const v = validateRecord(input);
    const last = recordsOf(plan.patient_id)[0];
    if (last && v.date <= last.date)
      throw validationError([
        { field: "date", message: `The session date ${v.date} is not after the previous session on ${last.date}.` },
      ]);
    const prev = plan.sessions
      .slice(0, i)
      .reverse()
      .find((x) => x.status === "done");
    const rules = clinic.rulesOf(plan);
    if (prev) {
      const earliest = addDays(prev.date, 7 * rules.shortest);
      if (v.date < earliest)
        throw validationError([
          {
            field: "date",
            message: `Session ${ps.n} must be at least ${rules.shortest} weeks after session ${prev.n} (${prev.date}); the earliest allowed date is ${earliest}.`,
          },
        ]);
    }
    const { warnings, block } = screeningGate(plan.patient_id, v.date);
    if (block && v.screening_override_reason === "")
      throw validationError([
        {
          field: "screening_override_reason",
          message: `The screening blocks treatment: ${block} A session needs the practitioner's override with a written reason.`,
        },
      ]);
    const record: SessionRecord = {
      id: nextRecordId++,
      patient_id: plan.patient_id,
      plan_id: plan.id,
      planned_session_id: ps.id,
      n: ps.n,
      ...v,
      practitioner: s.username,
      created_at: ctx.now(),
      warnings,
      healing: null,
    };
    records.push(record);
    const done = plan.sessions.map((x) => x.status !== "planned");
    done[i] = true;
    const dates = plan.sessions.map((x) => x.date);
    dates[i] = v.date;
    const replanned = replanAfter(plan, done, dates, i);
    ps.status = "done";
    ps.date = v.date;
    applyDates(plan, replanned);
    if (done.every(Boolean)) {
      plan.status = "completed";
      plan.rationale.push(`${v.date}: course completed with session ${ps.n}.`);
    }
    return record;
  }

  function validateHealing(input: HealingInput, sessionDate: string) {
    const errors: FieldError[] = [];
    let reported = pastDate(errors, "reported_on", "Report date", input.reported_on, ctx.today);
    if (reported && reported < sessionDate) {
      errors.push({ field: "reported_on", message: `The report date ${reported} is before the session on ${sessionDate}.` });
      reported = null;
    }
    for (const [field, v, label] of [
      ["redness_days", input.redness_days, "redness"],
      ["flaking_days", input.flaking_days, "flaking"],
    ] as const) {
      if (v > 90) errors.push({ field, message: `${v} days of ${label} is more than 90; check the number.` });
    }
    const events: AdverseEventInput[] = [];
    input.events.forEach((e, i) => {
      const field = `events.${e.kind}`;
      if (input.events.slice(0, i).some((x) => x.kind === e.kind)) {
        errors.push({ field, message: `${ADVERSE_EVENT_LABELS[e.kind]} is listed twice.` });
        return;
      }
      const description = text(errors, field, "The description", e.description, LONG_TEXT);
      if (e.kind === "other" && description === "") errors.push({ field, message: "Describe the adverse event." });
      events.push({ kind: e.kind, description });
    });
    const notes = text(errors, "notes", "Notes", input.notes, LONG_TEXT);
    if (errors.length) throw validationError(errors);
    return { reported_on: reported ?? ctx.today, redness_days: input.redness_days, flaking_days: input.flaking_days, events, notes };
  }

  function recordHealing(s: ActorInfo, recordId: number, input: HealingInput): HealingOutcome {
    const record = records.find((r) => r.id === recordId);
    if (!record) throw new MockError("not_found", `Session record ${recordId} was not found.`);
    const v = validateHealing(input, record.date);
    if (record.healing) throw new MockError("conflict", `Session ${record.n} already has a healing report.`);
    const { plan: p, i } = planOfSession(record.planned_session_id);
    const rules = clinic.rulesOf(p);
    const d = clinic.defaults();
    const upcoming = (from: number) => {
      for (let k = from; k < p.sessions.length; k++) if (p.sessions[k].status === "planned") return k;
      return null;
    };
    let target = upcoming(i + 1);
    if (target !== null && p.sessions[target].date <= v.reported_on) target = upcoming(target + 1);
    const inProgress = p.status === "active" || p.status === "paused";
    const current = (target !== null ? gaps.get(p.sessions[target].id) : undefined) ?? rules.interval;
    const pause = v.events.length > 0;
    const longer =
      v.redness_days > SLOW_HEALING_REDNESS_DAYS
        ? Math.min(current + d.slow_healing_extra_weeks, Math.max(d.max_interval_weeks, current))
        : current;
    let sentence = "";
    if (pause && inProgress) {
      p.status = "paused";
      sentence = `${v.reported_on}: plan paused after an adverse event (${v.events
        .map((e) => ADVERSE_EVENT_LABELS[e.kind])
        .join(", ")}) following session ${record.n} on ${record.date}; a practitioner must review and resume it.`;
    } else if (target !== null && longer > current && inProgress) {
      const k = target;
      const from = p.sessions[k].date;
      gaps.set(p.sessions[k].id, longer);
      const done = p.sessions.map((x) => x.status !== "planned");
      const dates = replanAfter(p, done, p.sessions.map((x) => x.date), k - 1);
      applyDates(p, dates);
      sentence = `${v.reported_on}: redness lasted ${v.redness_days} days after session ${record.n} (more than ${SLOW_HEALING_REDNESS_DAYS}): session ${p.sessions[k].n} moved from ${from} to ${dates[k]}, ${longer} weeks after session ${p.sessions[k - 1].n} instead of ${current}.`;
    } else if (v.redness_days > SLOW_HEALING_REDNESS_DAYS && inProgress && target !== null) {
      sentence = `${v.reported_on}: Redness lasted ${v.redness_days} days, but ${current} weeks is already the longest interval.`;
    }
    if (sentence) p.rationale.push(sentence);
    record.healing = {
      id: nextHealingId++,
      session_record_id: record.id,
      reported_on: v.reported_on,
      redness_days: v.redness_days,
      flaking_days: v.flaking_days,
      events: v.events.map((e) => ({ id: nextEventId++, kind: e.kind, description: e.description })),
      notes: v.notes,
      decision: sentence,
      recorded_by: s.username,
      created_at: ctx.now(),
    };
    return { record: structuredClone(record), plan: structuredClone(p) };
  }

  function eventFilter(f: AdverseEventFilter) {
    const errors: FieldError[] = [];
    const date = (field: string, label: string, raw: string) => {
      const v = raw.trim();
      if (v === "") return null;
      if (!isIsoDate(v)) {
        errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
        return null;
      }
      return v;
    };
    const from = date("from", "From", f.from ?? "");
    const to = date("to", "To", f.to ?? "");
    if (from && to && to < from) errors.push({ field: "to", message: "The last day is before the first day." });
    const lot = text(errors, "lot", "Lot", f.lot, SHORT_TEXT);
    if (errors.length) throw validationError(errors);
    return { kind: f.kind, from, to, lot: lot.toLowerCase() };
  }

  function register(raw: AdverseEventFilter): AdverseEventEntry[] {
    const f = eventFilter(raw);
    const out: AdverseEventEntry[] = [];
    for (const r of records) {
      const h = r.healing;
      if (!h) continue;
      if (f.from && h.reported_on < f.from) continue;
      if (f.to && h.reported_on > f.to) continue;
      if (f.lot && !r.cartridge_lot.toLowerCase().includes(f.lot) && !r.glide_lot.toLowerCase().includes(f.lot)) continue;
      const p = ctx.findPatient(r.patient_id);
      for (const e of h.events) {
        if (f.kind && e.kind !== f.kind) continue;
        out.push({
          event_id: e.id,
          kind: e.kind,
          description: e.description,
          reported_on: h.reported_on,
          patient_id: p.id,
          patient_number: p.patient_number,
          first_name: p.first_name,
          last_name: p.last_name,
          session_record_id: r.id,
          session_date: r.date,
          n: r.n,
          device: r.device,
          cartridge_lot: r.cartridge_lot,
          depths: r.depths,
          passes: r.passes,
          numbing_cream: r.numbing_cream,
          glide_product: r.glide_product,
          glide_lot: r.glide_lot,
          practitioner: r.practitioner,
        });
      }
    }
    return out.sort((a, b) =>
      a.reported_on === b.reported_on ? b.event_id - a.event_id : a.reported_on < b.reported_on ? 1 : -1,
    );
  }

  function csv(entries: AdverseEventEntry[]): string {
    const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const head =
      "reported_on,event,description,patient_number,last_name,first_name,session_date,session_number,device,cartridge_lot,depths_mm,passes,numbing_cream,glide_product,glide_lot,practitioner";
    const rows = entries.map((e) =>
      [
        e.reported_on,
        e.kind,
        e.description,
        e.patient_number,
        e.last_name,
        e.first_name,
        e.session_date,
        String(e.n),
        e.device,
        e.cartridge_lot,
        e.depths.map((d) => `${d.zone} ${formatMm(d.depth_um)}`).join("; "),
        String(e.passes),
        e.numbing_cream,
        e.glide_product,
        e.glide_lot,
        e.practitioner,
      ]
        .map(cell)
        .join(","),
    );
    return `\uFEFF${[head, ...rows].join("\r\n")}\r\n`;
  }

  function progressOf(patientId: number): Progress {
    const points = ctx.assessments
      .filter((a) => a.patient_id === patientId)
      .map((a) => ({ assessment_id: a.id, date: a.assessed_on, score: a.score, grade: a.grade }))
      .sort((a, b) => (a.date === b.date ? a.assessment_id - b.assessment_id : a.date < b.date ? -1 : 1));
    const baseline = points[0]?.score ?? null;
    const latest = points[points.length - 1]?.score ?? null;
    if (points.length < 2)
      return {
        points,
        baseline,
        latest,
        change: null,
        improvement_percent: null,
        verdict: "not_enough_data",
        summary: "One assessment so far: progress shows from the second assessment on.",
      };
    const b = baseline ?? 0;
    const l = latest ?? 0;
    const change = l - b;
    const num = (b - l) * 100;
    const pct = b > 0 ? (num >= 0 ? Math.floor((num + Math.floor(b / 2)) / b) : -Math.floor((-num + Math.floor(b / 2)) / b)) : null;
    const verdict = Math.abs(change) <= NO_CLEAR_CHANGE_POINTS ? "no_clear_change" : change < 0 ? "improved" : "worse";
    const summary =
      verdict === "no_clear_change"
        ? `Score ${b} → ${l}: no clear change (a change of ${NO_CLEAR_CHANGE_POINTS} points or less is within the variation between assessors).`
        : verdict === "improved"
          ? `Score ${b} → ${l}${pct !== null ? ` (${pct}% improvement)` : ""} since the baseline.`
          : `Score ${b} → ${l}: worse than the baseline by ${change} points.`;
    return { points, baseline, latest, change, improvement_percent: pct, verdict, summary };
  }

  const photosOf = (patientId: number) =>
    photos
      .filter((p) => p.patient_id === patientId)
      .sort((a, b) => (a.taken_on === b.taken_on ? b.id - a.id : a.taken_on < b.taken_on ? 1 : -1));

  function importPhoto(s: ActorInfo, patientId: number, imp: PhotoImport): Photo {
    const name = basename(imp.path) || "The file";
    const ext = name.toLowerCase().split(".").pop() ?? "";
    const file: MockPhotoFile =
      ctx.files[imp.path] ??
      (ext === "jpg" || ext === "jpeg"
        ? { kind: "jpeg" }
        : ext === "png"
          ? { kind: "png" }
          : ext === "heic"
            ? { kind: "heic" }
            : { kind: "text" });
    const refuse = (message: string) => validationError([{ field: "file", message }]);
    if (file.kind === "heic")
      throw refuse(
        `${name} is a HEIC photo, which Dermis cannot read yet: export it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible) and import that. Nothing was imported.`,
      );
    if (file.kind === "text") throw refuse(`${name} is not a JPEG or PNG image. Nothing was imported.`);
    const errors: FieldError[] = [];
    let taken = imp.tags.taken_on.trim();
    if (taken === "") taken = file.camera_date && file.camera_date <= ctx.today ? file.camera_date : ctx.today;
    else taken = pastDate(errors, "taken_on", "Photo date", taken, ctx.today) ?? ctx.today;
    if (errors.length) throw validationError(errors);
    if (imp.tags.session_record_id !== null && !records.some((r) => r.id === imp.tags.session_record_id && r.patient_id === patientId))
      throw validationError([{ field: "session_record_id", message: "Choose one of this patient's sessions." }]);
    if (imp.tags.assessment_id !== null && !ctx.assessments.some((a) => a.id === imp.tags.assessment_id && a.patient_id === patientId))
      throw validationError([{ field: "assessment_id", message: "Choose one of this patient's assessments." }]);
    // Content-addressed: the same file twice is the same photo.
    const sha256 = [...imp.path].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(64, "0");
    if (photos.some((p) => p.patient_id === patientId && p.sha256 === sha256))
      throw new MockError("conflict", "This photo is already in the patient's record.");
    const photo: Photo = {
      id: nextPhotoId++,
      patient_id: patientId,
      sha256,
      mime: file.kind === "png" ? "image/png" : "image/jpeg",
      width: file.width ?? 1600,
      height: file.height ?? 1200,
      taken_on: taken,
      area: imp.tags.area,
      angle: imp.tags.angle,
      session_record_id: imp.tags.session_record_id,
      assessment_id: imp.tags.assessment_id,
      imported_by: s.username,
      imported_at: ctx.now(),
    };
    photos.push(photo);
    return photo;
  }

  function beforeAfterOf(patientId: number): BeforeAfter[] {
    const sorted = [...photosOf(patientId)].sort((a, b) => {
      const ka = `${Object.keys(AREA_LABELS).indexOf(a.area)}\u0000${a.angle}\u0000${a.taken_on}`;
      const kb = `${Object.keys(AREA_LABELS).indexOf(b.area)}\u0000${b.angle}\u0000${b.taken_on}`;
      return ka === kb ? a.id - b.id : ka < kb ? -1 : 1;
    });
    const out: BeforeAfter[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1].area === sorted[i].area && sorted[j + 1].angle === sorted[i].angle) j++;
      const first = sorted[i];
      const last = sorted[j];
      if (last.taken_on > first.taken_on) out.push({ area: first.area, angle: first.angle, before: first, after: last });
      i = j + 1;
    }
    return out;
  }

  const handlers: SessionsStore["handlers"] = {
    depth_chart: () => {
      clinic.require("settings");
      return structuredClone(depthChart);
    },
    session_draft: (a): SessionDraft => {
      clinic.require("record");
      const id = arg<number>(a, "plannedSessionId");
      const { plan, i } = planOfSession(id);
      const ps = plan.sessions[i];
      const previous = recordsOf(plan.patient_id)[0];
      let refused = planStateRefusal(plan);
      if (ps.status !== "planned") refused = `Session ${ps.n} is already ${ps.status}.`;
      let warnings: string[] = [];
      let blocked: string | null = null;
      try {
        const gate = screeningGate(plan.patient_id, ctx.today);
        warnings = gate.warnings;
        blocked = gate.block;
      } catch (e) {
        refused ??= e instanceof MockError ? e.message : String(e);
      }
      return structuredClone({
        planned_session_id: id,
        patient_id: plan.patient_id,
        plan_id: plan.id,
        n: ps.n,
        of: plan.session_count,
        planned_date: ps.date,
        input: draftInput(previous),
        copied_forward: previous !== undefined,
        depth_chart: depthChart,
        warnings,
        blocked,
        refused,
      });
    },
    record_session: (a) => {
      const s = clinic.require("record");
      return structuredClone(recordSession(s, arg<number>(a, "plannedSessionId"), arg<SessionRecordInput>(a, "input")));
    },
    list_session_records: (a) => {
      clinic.require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(recordsOf(patientId));
    },
    record_healing: (a) => {
      const s = clinic.require("record");
      return recordHealing(s, arg<number>(a, "sessionRecordId"), arg<HealingInput>(a, "input"));
    },
    adverse_events: (a) => {
      clinic.require("read");
      return structuredClone(register(arg<AdverseEventFilter>(a, "filter")));
    },
    export_adverse_events: (a) => {
      clinic.require("read");
      const entries = register(arg<AdverseEventFilter>(a, "filter"));
      const path = arg<string>(a, "path");
      exports[path] = csv(entries);
      return entries.length;
    },
    progress: (a) => {
      clinic.require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return progressOf(patientId);
    },
    list_photos: (a) => {
      clinic.require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(photosOf(patientId));
    },
    before_after: (a) => {
      clinic.require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(beforeAfterOf(patientId));
    },
    import_photo: (a) => {
      const s = clinic.require("record");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(importPhoto(s, patientId, arg<PhotoImport>(a, "import")));
    },
    delete_photo: (a) => {
      clinic.require("record");
      const id = arg<number>(a, "photoId");
      const at = photos.findIndex((p) => p.id === id);
      if (at < 0) throw new MockError("not_found", `Photo ${id} was not found.`);
      photos.splice(at, 1);
      return null;
    },
    photo_data: (a) => {
      clinic.require("read");
      const id = arg<number>(a, "photoId");
      if (!photos.some((p) => p.id === id)) throw new MockError("not_found", `Photo ${id} was not found.`);
      return PIXEL.slice().buffer;
    },
    "plugin:dialog|open": () => structuredClone(dialog.open),
    "plugin:dialog|save": () => dialog.save,
  };

  return { records, photos, depthChart, exports, dialog, handlers };
}
