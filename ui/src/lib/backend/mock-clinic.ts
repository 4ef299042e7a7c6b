import type { BackupStatus } from "../bindings/BackupStatus";
import type { ContraindicationRule } from "../bindings/ContraindicationRule";
// The clinical half of the mock backend: screening, assessment, plans, calendar
// (docs/ipc.md, issue 3). It follows PRODUCT.md 2–4 closely enough to exercise
// the screens; the real rules live in the Rust backend, not here.
import type { Assessment } from "../bindings/Assessment";
import type { AssessmentInput } from "../bindings/AssessmentInput";
import type { CalendarEntry } from "../bindings/CalendarEntry";
import type { Condition } from "../bindings/Condition";
import type { FieldError } from "../bindings/FieldError";
import type { GbCounts } from "../bindings/GbCounts";
import type { Patient } from "../bindings/Patient";
import type { PlanSchedule } from "../bindings/PlanSchedule";
import type { Plan } from "../bindings/Plan";
import type { PlanDefaults } from "../bindings/PlanDefaults";
import type { PlanProposal } from "../bindings/PlanProposal";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { PlanSettings } from "../bindings/PlanSettings";
import type { PlanStatus } from "../bindings/PlanStatus";
import type { RecallDue } from "../bindings/RecallDue";
import type { RuleKind } from "../bindings/RuleKind";
import type { ScarType } from "../bindings/ScarType";
import type { Screening } from "../bindings/Screening";
import type { ScreeningAnswer } from "../bindings/ScreeningAnswer";
import type { ScreeningInput } from "../bindings/ScreeningInput";
import type { ScreeningQuestion } from "../bindings/ScreeningQuestion";
import type { ScreeningResult } from "../bindings/ScreeningResult";
import type { Sensitivity } from "../bindings/Sensitivity";
import type { ActorInfo } from "../bindings/ActorInfo";
import type { TodayList } from "../bindings/TodayList";
import type { TreatmentArea } from "../bindings/TreatmentArea";
import { WEEKDAYS, addDays, addMonths, daysBetween, isIsoDate, weekdayOf } from "../dates";
import { MockError, validationError } from "./mock-error";

// Texts as in dermis-core/src/screening.rs.
const QUESTION: Record<Condition, string> = {
  active_infection: "Active infection or open wound in the treatment area?",
  active_acne: "Active inflammatory acne in the treatment area?",
  keloid_tendency: "Tendency to form keloid scars?",
  pregnancy_or_breastfeeding: "Pregnant or breastfeeding?",
  cancer_treatment: "Having cancer treatment (chemotherapy or radiotherapy)?",
  isotretinoin: "Taken isotretinoin (e.g. Roaccutane) in the last 6 months?",
  anticoagulants: "Taking anticoagulants, or has a bleeding disorder?",
  diabetes: "Diabetes?",
  skin_condition: "Eczema, psoriasis or rosacea in the treatment area?",
  herpes_simplex: "History of herpes simplex (cold sores)?",
  allergy: "Allergy to metals (nickel) or to anaesthetics?",
};

const FINDINGS: Record<Condition, string> = {
  active_infection: "Active infection or open wound in the area",
  active_acne: "Active inflammatory acne in the area",
  keloid_tendency: "Keloid tendency",
  pregnancy_or_breastfeeding: "Pregnancy or breastfeeding",
  cancer_treatment: "Cancer treatment (chemotherapy or radiotherapy)",
  isotretinoin: "Isotretinoin",
  anticoagulants: "Anticoagulants or a bleeding disorder: expect more bleeding",
  diabetes: "Diabetes: slower healing and a higher infection risk",
  skin_condition: "Eczema, psoriasis or rosacea in the area",
  herpes_simplex: "Herpes simplex history: consider antiviral prophylaxis",
  allergy: "Metal or anaesthetic allergy: check the needles and the numbing cream",
};

const KINDS: Record<Condition, RuleKind> = {
  active_infection: "block",
  active_acne: "block",
  keloid_tendency: "block",
  pregnancy_or_breastfeeding: "block",
  cancer_treatment: "block",
  isotretinoin: "washout",
  anticoagulants: "warn",
  diabetes: "warn",
  skin_condition: "warn",
  herpes_simplex: "warn",
  allergy: "warn",
};

/** The default rules of PRODUCT.md 4.3, in form order. */
export const SCREENING_QUESTIONS: readonly ScreeningQuestion[] = (Object.keys(QUESTION) as Condition[]).map((c) => ({
  condition: c,
  question: QUESTION[c],
  kind: KINDS[c],
  washout_months: KINDS[c] === "washout" ? 6 : null,
  asks_last_date: KINDS[c] === "washout",
}));

export const DEFAULT_PLAN_DEFAULTS: PlanDefaults = {
  sessions_by_grade: [3, 4, 5, 6],
  old_scar_years: 5,
  old_scar_extra_sessions: 1,
  max_sessions: 8,
  interval_weeks_resilient: 4,
  interval_weeks_normal: 5,
  interval_weeks_sensitive: 6,
  dark_skin_min_interval_weeks: 5,
  slow_healing_extra_weeks: 1,
  max_interval_weeks: 8,
  maintenance_months_resilient: 3,
  maintenance_months_normal: 4,
  maintenance_months_sensitive: 6,
  shortest_interval_weeks: 4,
  recall_horizon_months: 12,
  screening_validity_months: 6,
};

const SCAR_TYPES: readonly ScarType[] = ["ice_pick", "boxcar", "rolling", "hypertrophic", "keloidal"];
const AREAS: readonly TreatmentArea[] = [
  "forehead", "temples", "nose", "around_eyes", "cheekbones", "cheeks", "chin", "upper_lip", "jawline", "neck", "chest", "back",
];
const SENSITIVITIES: readonly Sensitivity[] = ["sensitive", "normal", "resilient"];
const GRADE_WORDS = ["macular", "mild", "moderate", "severe"];
const ROMAN = ["I", "II", "III", "IV", "V", "VI"];

export function countMultiplier(n: number): number {
  return n <= 0 ? 0 : n <= 10 ? 1 : n <= 20 ? 2 : 3;
}

/** Goodman & Baron quantitative score: points × count multiplier, summed (PRODUCT.md 4.1). */
export function gbScore(c: GbCounts): number {
  return (
    1 * countMultiplier(c.macular) +
    2 * countMultiplier(c.moderate) +
    3 * countMultiplier(c.severe) +
    2 * countMultiplier(c.papular) +
    6 * countMultiplier(c.keloidal)
  );
}

export interface ClinicContext {
  today: string;
  now(): string;
  requireSession(): ActorInfo;
  findPatient(id: number): Patient;
  patients: Patient[];
  /** The patient list's order (last name, then first name, folded). */
  sortKey(p: Patient): string;
}

export interface ClinicStore {
  screenings: Screening[];
  assessments: Assessment[];
  plans: Plan[];
  settings: PlanSettings;
  backup: BackupStatus;
  handlers: Record<string, (a: Record<string, unknown>) => unknown>;
  /** Screenings, assessments and plans around today for the first few patients. */
  seedDemo(): void;
  /** The plan engine and permission checks, for the session half of the mock (mock-sessions.ts). */
  internals: ClinicInternals;
}

/** What mock-sessions.ts needs from the clinical half of the mock. */
export interface ClinicInternals {
  require(action: "record" | "read" | "plan" | "settings" | "edit-settings"): ActorInfo;
  latestScreening(patientId: number): Screening | undefined;
  /** Session k's date: the open day nearest prev + w weeks, within [prev + shortest, target + 7 days]. */
  nextSession(k: number, prev: string, w: number, shortest: number): string;
  recallDates(last: string, months: number): string[];
  /** A stored plan's interval, shortest interval and maintenance months. */
  rulesOf(plan: Plan): { interval: number; shortest: number; maintenanceMonths: number };
  defaults(): PlanDefaults;
}

function arg<T>(a: Record<string, unknown>, key: string): T {
  if (!(key in a)) throw new Error(`invalid args \`${key}\`: missing required key ${key}`);
  return a[key] as T;
}

function isWhole(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

function dateField(errors: FieldError[], field: string, label: string, raw: unknown): string | null {
  const v = String(raw ?? "").trim();
  if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
  else if (!isIsoDate(v)) errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
  else return v;
  return null;
}

function notesField(errors: FieldError[], raw: unknown): string {
  const v = String(raw ?? "").trim();
  if ([...v].length > 5000) errors.push({ field: "notes", message: `Notes are too long: ${[...v].length} characters, the limit is 5000.` });
  return v;
}

export function createClinic(ctx: ClinicContext): ClinicStore {
  const screenings: Screening[] = [];
  const assessments: Assessment[] = [];
  const plans: Plan[] = [];
  const settings: PlanSettings = {
    defaults: structuredClone(DEFAULT_PLAN_DEFAULTS),
    open_weekdays: ["mon", "tue", "wed", "thu", "fri"],
    closed_dates: [],
  };
  let nextScreeningId = 1;
  let nextAssessmentId = 1;
  let nextPlanId = 1;
  let nextSessionId = 1;
  const D = () => settings.defaults;

  // Who may do what, as in dermis-clinic/src/permissions.rs.
  const ACTIONS = {
    record: { roles: ["admin", "practitioner"], describe: "record screenings and assessments" },
    read: { roles: ["admin", "practitioner"], describe: "read screenings, assessments, session records and photos" },
    plan: { roles: ["admin", "practitioner"], describe: "plan treatments" },
    move: { roles: ["admin", "practitioner", "receptionist"], describe: "move appointments" },
    calendar: { roles: ["admin", "practitioner", "receptionist"], describe: "see the calendar" },
    settings: { roles: ["admin", "practitioner", "receptionist"], describe: "see the clinic's settings" },
    "edit-settings": { roles: ["admin"], describe: "change the clinic's settings" },
  } as const;

  function require(action: keyof typeof ACTIONS): ActorInfo {
    const s = ctx.requireSession();
    const rule = ACTIONS[action];
    if (!s.roles.some((r) => (rule.roles as readonly string[]).includes(r)))
      throw new MockError("forbidden", `Your account is not allowed to ${rule.describe}. Ask the clinic's administrator.`);
    return s;
  }

  // ------------------------------------------------------------ screening

  // The last good backup, as the backend reports it (tests may change it).
  const backup: BackupStatus = { last_good_at: `${ctx.today}T08:00:00Z`, last_path: "backups/dermis-auto.db", days_since: 0, warning: false };

  // The clinic's rules (kind and washout per condition), editable in Settings.
  let rules: ContraindicationRule[] = SCREENING_QUESTIONS.map((q) => ({
    condition: q.condition,
    kind: q.kind,
    washout_months: q.washout_months,
  }));
  const questions = (): ScreeningQuestion[] =>
    rules.map((r) => ({
      condition: r.condition,
      question: QUESTION[r.condition],
      kind: r.kind,
      washout_months: r.kind === "washout" ? r.washout_months : null,
      asks_last_date: r.kind === "washout",
    }));

  function resultOf(screenedOn: string, answers: ScreeningAnswer[]): ScreeningResult {
    const result: ScreeningResult = {
      allowed: true,
      blocks: [],
      warnings: [],
      earliest_eligible: null,
      valid_until: addMonths(screenedOn, D().screening_validity_months),
    };
    for (const q of questions()) {
      const answer = answers.find((a) => a.condition === q.condition);
      if (!answer?.present) continue;
      const what = FINDINGS[q.condition];
      if (q.kind === "block")
        result.blocks.push({
          condition: q.condition,
          kind: q.kind,
          message: `${what}: no treatment without a practitioner's override and a written reason.`,
        });
      else if (q.kind === "warn") result.warnings.push({ condition: q.condition, kind: q.kind, message: `${what}.` });
      else if (answer.last_date) {
        const months = q.washout_months ?? 0;
        const from = addMonths(answer.last_date, months);
        if (result.earliest_eligible === null || from > result.earliest_eligible) result.earliest_eligible = from;
        result.warnings.push({
          condition: q.condition,
          kind: q.kind,
          message: `${what} stopped ${answer.last_date} → eligible from ${from} (${months} months after the last dose).`,
        });
      } else {
        result.blocks.push({
          condition: q.condition,
          kind: q.kind,
          message: `${what}: no date of the last dose, so the waiting period cannot be counted.`,
        });
      }
    }
    result.allowed = result.blocks.length === 0;
    return result;
  }

  function recordScreening(patientId: number, input: ScreeningInput, by: string, screenedOverride?: string): Screening {
    const errors: FieldError[] = [];
    const screenedOn = screenedOverride ?? dateField(errors, "screened_on", "Screening date", input.screened_on);
    if (screenedOn && screenedOn > ctx.today)
      errors.push({ field: "screened_on", message: `The screening date ${screenedOn} is in the future; today is ${ctx.today}.` });
    const answers: ScreeningAnswer[] = [];
    for (const q of questions()) {
      const field = `answers.${q.condition}`;
      const given = (input.answers ?? []).filter((x) => x.condition === q.condition);
      if (given.length === 0) {
        errors.push({ field, message: `Answer: ${q.question}` });
        continue;
      }
      if (given.length > 1) {
        errors.push({ field, message: "This question is answered twice." });
        continue;
      }
      const a = given[0];
      const raw = String(a.last_date ?? "").trim();
      let last: string | null = null;
      if (raw !== "") last = dateField(errors, `${field}.last_date`, "The last date", raw);
      if (a.present && q.kind === "washout" && raw === "")
        errors.push({ field: `${field}.last_date`, message: "Give the date of the last dose: the waiting period counts from it." });
      answers.push({ condition: q.condition, present: Boolean(a.present), last_date: a.present ? last : null });
    }
    const notes = notesField(errors, input.notes);
    if (errors.length) throw validationError(errors);
    const on = screenedOn as string;
    const s: Screening = {
      id: nextScreeningId++,
      patient_id: patientId,
      screened_on: on,
      answers,
      notes,
      result: resultOf(on, answers),
      recorded_by: by,
      created_at: ctx.now(),
    };
    screenings.push(s);
    return s;
  }

  function latestScreening(patientId: number): Screening | undefined {
    return screenings
      .filter((s) => s.patient_id === patientId)
      .sort((a, b) => (a.screened_on === b.screened_on ? b.id - a.id : a.screened_on < b.screened_on ? 1 : -1))[0];
  }

  // ------------------------------------------------------------ assessment

  function recordAssessment(patientId: number, input: AssessmentInput, by: string, onOverride?: string): Assessment {
    const errors: FieldError[] = [];
    const on = onOverride ?? dateField(errors, "assessed_on", "Assessment date", input.assessed_on);
    if (on && on > ctx.today)
      errors.push({ field: "assessed_on", message: `The assessment date ${on} is in the future; today is ${ctx.today}.` });
    const types = [...new Set(input.scar_types ?? [])].filter((t) => SCAR_TYPES.includes(t));
    if (types.length === 0) errors.push({ field: "scar_types", message: "Tick at least one scar type." });
    if (![1, 2, 3, 4].includes(input.grade))
      errors.push({ field: "grade", message: "Choose a Goodman & Baron grade from 1 (macular) to 4 (severe)." });
    for (const k of ["macular", "moderate", "severe", "papular", "keloidal"] as const) {
      const n = input.counts?.[k];
      if (!isWhole(n)) errors.push({ field: `counts.${k}`, message: "Enter a count of scars (0 or more)." });
      else if (n > 1000) errors.push({ field: `counts.${k}`, message: `${n} scars is more than can be counted here (at most 1000).` });
    }
    if (![1, 2, 3, 4, 5, 6].includes(input.fitzpatrick))
      errors.push({ field: "fitzpatrick", message: "Choose a Fitzpatrick skin type from I to VI." });
    if (!SENSITIVITIES.includes(input.sensitivity))
      errors.push({ field: "sensitivity", message: "Choose the skin's sensitivity." });
    const areas = [...new Set(input.treatment_areas ?? [])].filter((a) => AREAS.includes(a));
    if (areas.length === 0) errors.push({ field: "treatment_areas", message: "Tick at least one treatment area." });
    if (!isWhole(input.scar_age_years) || input.scar_age_years > 100)
      errors.push({ field: "scar_age_years", message: "Scar age is in years, at most 100." });
    const notes = notesField(errors, input.notes);
    if (errors.length) throw validationError(errors);
    const a: Assessment = {
      id: nextAssessmentId++,
      patient_id: patientId,
      assessed_on: on as string,
      scar_types: SCAR_TYPES.filter((t) => types.includes(t)),
      grade: input.grade,
      counts: { ...input.counts },
      score: gbScore(input.counts),
      fitzpatrick: input.fitzpatrick,
      sensitivity: input.sensitivity,
      treatment_areas: AREAS.filter((x) => areas.includes(x)),
      scar_age_years: input.scar_age_years,
      notes,
      recorded_by: by,
      created_at: ctx.now(),
    };
    assessments.push(a);
    return a;
  }

  // ------------------------------------------------------------ plan engine
  // Mirrors dermis-core/src/plan.rs (messages, fields and order of the checks).

  /** What a stored plan keeps for re-planning (dermis' PlanRules). */
  interface Rules {
    interval: number;
    shortest: number;
    maintenanceMonths: number;
  }
  const rulesOf = new Map<number, Rules>();

  /** "Wed 2026-05-06", as the backend writes dates in its messages. */
  function fmt(d: string): string {
    const wd = weekdayOf(d);
    return `${wd[0].toUpperCase()}${wd.slice(1)} ${d}`;
  }

  function isOpen(d: string): boolean {
    return settings.open_weekdays.includes(weekdayOf(d)) && !settings.closed_dates.includes(d);
  }

  /** The open day in [lo, hi] nearest to target, the earlier on a tie. */
  function nearestOpen(target: string, lo: string, hi: string): string | null {
    let best: { dist: number; d: string } | null = null;
    for (let d = lo; d <= hi; d = addDays(d, 1)) {
      if (!isOpen(d)) continue;
      const dist = Math.abs(daysBetween(target, d));
      if (best === null || dist < best.dist) best = { dist, d };
    }
    return best?.d ?? null;
  }

  function firstOpenFrom(from: string): string | null {
    for (let i = 0, d = from; i <= 366; i++, d = addDays(d, 1)) if (isOpen(d)) return d;
    return null;
  }

  function nextSession(k: number, prev: string, w: number, shortest: number): string {
    const target = addDays(prev, 7 * w);
    const lo = addDays(prev, 7 * Math.min(shortest, w));
    const hi = addDays(target, 7);
    const d = nearestOpen(target, lo, hi);
    if (!d)
      throw validationError([
        {
          field: "start",
          message: `Session ${k} has no open day between ${fmt(lo)} and ${fmt(hi)}: the clinic is closed throughout; open more days or move the plan.`,
        },
      ]);
    return d;
  }

  function maintenanceMonths(sensitivity: Sensitivity): number {
    const d = D();
    return sensitivity === "sensitive"
      ? d.maintenance_months_sensitive
      : sensitivity === "resilient"
        ? d.maintenance_months_resilient
        : d.maintenance_months_normal;
  }

  function recallDates(last: string, m: number): string[] {
    const limit = addMonths(last, D().recall_horizon_months);
    const out: string[] = [];
    let target = addMonths(last, m);
    while (target <= limit && m > 0) {
      const lo = addDays(target, -7);
      const hi = addDays(target, 7);
      const d = nearestOpen(target, lo, hi);
      if (!d)
        throw validationError([
          { field: "start", message: `The maintenance recall due ${target} has no open day between ${fmt(lo)} and ${fmt(hi)}.` },
        ]);
      out.push(d);
      target = addMonths(target, m);
    }
    return out;
  }

  interface Engine {
    proposal: PlanProposal;
    rules: Rules;
    start: string;
    assessment: Assessment;
  }

  function propose(req: PlanRequest): Engine {
    ctx.findPatient(req.patient_id);
    const a = assessments.find((x) => x.id === req.assessment_id && x.patient_id === req.patient_id);
    if (!a) throw validationError([{ field: "assessment_id", message: "Choose one of this patient's assessments." }]);
    const errors: FieldError[] = [];
    const requested = dateField(errors, "start", "Start date", req.start);
    if (errors.length) throw validationError(errors);
    if ((requested as string) < ctx.today)
      throw validationError([{ field: "start", message: `The start date ${requested} is in the past; today is ${ctx.today}.` }]);
    const fail = (field: string, message: string) => validationError([{ field, message }]);

    const d = D();
    const rationale: string[] = [];
    const warnings: string[] = [];
    const o = req.override;
    const adjust = o && (o.sessions !== null || o.interval_weeks !== null) ? o : null;
    if (adjust && adjust.reason.trim() === "") throw fail("reason", "Write the reason for changing the proposed plan.");

    // Screening: required, in date, and not blocking (unless overridden with a reason).
    let start = requested as string;
    const s = latestScreening(req.patient_id)?.result;
    if (!s) throw fail("assessment_id", "This patient has no screening on record: record a screening before planning.");
    if (s.valid_until < ctx.today)
      throw fail("assessment_id", `The latest screening expired on ${s.valid_until}: record a new screening before planning.`);
    if (!s.allowed) {
      const reasons = s.blocks.map((b) => b.message).join(" ");
      const reason = o?.reason.trim() ?? "";
      if (reason === "")
        throw fail("reason", `The screening blocks treatment: ${reasons} A plan needs a practitioner's override with a written reason.`);
      warnings.push(`Screening blocks treatment (${reasons}); overridden by the practitioner: ${reason}`);
    }
    for (const w of s.warnings) warnings.push(w.message);
    if (s.earliest_eligible && s.earliest_eligible > start) {
      rationale.push(`Start moved from ${start} to ${s.earliest_eligible}: the washout period ends then.`);
      start = s.earliest_eligible;
    }

    // Number of sessions.
    let n = d.sessions_by_grade[a.grade - 1] ?? 4;
    rationale.push(`${n} sessions for Goodman & Baron grade ${a.grade} (${GRADE_WORDS[a.grade - 1]}).`);
    if (a.scar_age_years > d.old_scar_years && d.old_scar_extra_sessions > 0) {
      const extra = Math.min(n + d.old_scar_extra_sessions, Math.max(d.max_sessions, n)) - n;
      if (extra > 0) {
        n += extra;
        rationale.push(`+${extra} session for scars older than ${d.old_scar_years} years (${a.scar_age_years} years), ${n} in all.`);
      } else {
        rationale.push(`Scars older than ${d.old_scar_years} years, but ${n} sessions is already the most.`);
      }
    }

    // Interval.
    let w =
      a.sensitivity === "resilient"
        ? d.interval_weeks_resilient
        : a.sensitivity === "sensitive"
          ? d.interval_weeks_sensitive
          : d.interval_weeks_normal;
    rationale.push(`${w} weeks between sessions for ${a.sensitivity} skin.`);
    if (a.fitzpatrick >= 4) {
      warnings.push(
        `Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]}: risk of post-inflammatory hyperpigmentation (PIH); strict sun protection.`,
      );
      if (w < d.dark_skin_min_interval_weeks) {
        w = d.dark_skin_min_interval_weeks;
        rationale.push(`Interval raised to ${w} weeks for Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]} (PIH risk).`);
      }
    }
    let shortest = d.shortest_interval_weeks;
    if (w < shortest) {
      w = shortest;
      rationale.push(`Interval raised to the shortest the clinic allows, ${w} weeks.`);
    }

    // The practitioner's adjustments.
    if (adjust) {
      const reason = adjust.reason.trim();
      if (adjust.sessions !== null) {
        if (!(adjust.sessions >= 1 && adjust.sessions <= 12)) throw fail("override.sessions", "Choose between 1 and 12 sessions.");
        rationale.push(`${adjust.sessions} sessions set by the practitioner (proposed ${n}): ${reason}`);
        n = adjust.sessions;
      }
      if (adjust.interval_weeks !== null) {
        const iw = adjust.interval_weeks;
        if (!(iw >= 1 && iw <= 26)) throw fail("override.interval_weeks", "Choose an interval between 1 and 26 weeks.");
        rationale.push(`${iw} weeks between sessions set by the practitioner (proposed ${w}): ${reason}`);
        if (iw < shortest) {
          warnings.push(`The interval of ${iw} weeks is shorter than the clinic's shortest of ${shortest} weeks (overridden).`);
          shortest = iw;
        }
        w = iw;
      }
    }

    // Dates.
    const first = firstOpenFrom(start);
    if (!first || first > addDays(start, 7))
      throw fail(
        "start",
        `The clinic is not open on any day from ${fmt(start)} to ${fmt(addDays(start, 7))}: choose another start date or open more days.`,
      );
    const dates = [first];
    for (let k = 2; k <= n; k++) dates.push(nextSession(k, dates[dates.length - 1], w, shortest));
    const last = dates[dates.length - 1];
    const m = maintenanceMonths(a.sensitivity);
    const maintenance = recallDates(last, m);
    rationale.push(`Maintenance every ${m} months after the course for ${a.sensitivity} skin.`);
    const after = dates.find((x) => x > s.valid_until);
    if (after) warnings.push(`The screening is valid until ${s.valid_until}: renew it before the session on ${fmt(after)}.`);

    return {
      proposal: {
        sessions: dates.map((date, i) => ({ n: i + 1, date })),
        maintenance,
        session_count: n,
        interval_weeks: w,
        rationale,
        warnings,
      },
      rules: {
        interval: w,
        shortest: Math.min(d.shortest_interval_weeks, o?.interval_weeks ?? Infinity),
        maintenanceMonths: m,
      },
      start,
      assessment: a,
    };
  }

  function storePlan(req: PlanRequest, e: Engine): Plan {
    const plan: Plan = {
      id: nextPlanId++,
      patient_id: req.patient_id,
      assessment_id: e.assessment.id,
      status: "active",
      start: e.start,
      session_count: e.proposal.session_count,
      interval_weeks: e.proposal.interval_weeks,
      override_reason: req.override?.reason.trim() ?? "",
      sessions: e.proposal.sessions.map((s) => ({ id: nextSessionId++, n: s.n, date: s.date, time: null, status: "planned" })),
      maintenance: e.proposal.maintenance,
      rationale: e.proposal.rationale,
      warnings: e.proposal.warnings,
      created_at: ctx.now(),
    };
    plans.push(plan);
    rulesOf.set(plan.id, e.rules);
    return plan;
  }

  function findPlanOfSession(sessionId: number): Plan {
    const plan = plans.find((p) => p.sessions.some((s) => s.id === sessionId));
    if (!plan) throw new MockError("not_found", `Session ${sessionId} was not found.`);
    return plan;
  }

  /** Mirrors `PlanSchedule::from(&Plan)`: what the desk may read after a move or a booking. */
  function scheduleOf(plan: Plan): PlanSchedule {
    return structuredClone({
      plan_id: plan.id,
      patient_id: plan.patient_id,
      status: plan.status,
      session_count: plan.session_count,
      sessions: plan.sessions,
      maintenance: plan.maintenance,
    });
  }

  /** Mirrors dermis-core's plan::reschedule and the clinic's reschedule_session. */
  function reschedule(sessionId: number, rawDate: string): Plan {
    const errors: FieldError[] = [];
    const to = dateField(errors, "date", "The new date", rawDate);
    if (errors.length || to === null) throw validationError(errors);
    const plan = findPlanOfSession(sessionId);
    if (plan.status === "cancelled" || plan.status === "completed")
      throw new MockError("conflict", `This plan is ${plan.status}; its sessions can no longer move.`);
    const fail = (message: string) => validationError([{ field: "date", message }]);
    if (to < ctx.today) throw fail(`${to} is in the past; today is ${ctx.today}.`);
    const rules = rulesOf.get(plan.id) ?? {
      interval: plan.interval_weeks,
      shortest: D().shortest_interval_weeks,
      maintenanceMonths: D().maintenance_months_normal,
    };
    const i = plan.sessions.findIndex((s) => s.id === sessionId);
    const slots = plan.sessions.map((s) => ({ date: s.date, done: s.status !== "planned" }));
    const n = i + 1;
    if (slots[i].done) throw fail(`Session ${n} is done; a done session never moves.`);
    const earliest = i === 0 ? plan.start : addDays(slots[i - 1].date, 7 * rules.shortest);
    if (to < earliest) {
      const firstOk = firstOpenFrom(earliest) ?? earliest;
      throw fail(
        i === 0
          ? `Session 1 cannot be before the plan's start; the earliest allowed date is ${fmt(firstOk)}.`
          : `Session ${n} must be at least ${rules.shortest} weeks after session ${n - 1}; the earliest allowed date is ${fmt(firstOk)}.`,
      );
    }
    if (!isOpen(to)) {
      const next = firstOpenFrom(to);
      throw fail(`The clinic is closed on ${fmt(to)}.${next ? ` The next open day is ${fmt(next)}.` : ""}`);
    }
    const laterDone = slots.slice(i + 1).find((x) => x.done);
    if (laterDone && to >= laterDone.date)
      throw fail(`A later session was already done on ${fmt(laterDone.date)}; this one must stay before it.`);
    const dates = slots.map((x) => x.date);
    dates[i] = to;
    for (let k = i + 1; k < slots.length; k++) {
      if (slots[k].done) continue;
      try {
        dates[k] = nextSession(k + 1, dates[k - 1], rules.interval, rules.shortest);
      } catch (e) {
        throw e instanceof MockError ? fail(e.message) : e;
      }
    }
    let maintenance: string[];
    try {
      maintenance = recallDates(dates[dates.length - 1], rules.maintenanceMonths);
    } catch (e) {
      throw e instanceof MockError ? fail(e.message) : e;
    }
    plan.sessions.forEach((s, k) => (s.date = dates[k]));
    plan.maintenance = maintenance;
    return plan;
  }

  const TRANSITIONS: Record<PlanStatus, PlanStatus[]> = {
    active: ["paused", "completed", "cancelled"],
    paused: ["active", "completed", "cancelled"],
    completed: [],
    cancelled: [],
  };

  /** Pausing and cancelling need a reason; cancelling cancels the sessions not done. */
  function setStatus(planId: number, status: PlanStatus, rawReason: string): Plan {
    const reason = String(rawReason ?? "").trim();
    if ((status === "paused" || status === "cancelled") && reason === "")
      throw validationError([{ field: "reason", message: "Write the reason for this change." }]);
    const plan = plans.find((p) => p.id === planId);
    if (!plan) throw new MockError("not_found", `Plan ${planId} was not found.`);
    if (plan.status === status) return plan;
    if (!TRANSITIONS[plan.status].includes(status))
      throw new MockError("conflict", `A ${plan.status} plan cannot become ${status}.`);
    plan.status = status;
    if (status === "cancelled") for (const s of plan.sessions) if (s.status === "planned") s.status = "cancelled";
    return plan;
  }

  // ------------------------------------------------------------ calendar

  function entriesBetween(from: string, to: string): CalendarEntry[] {
    const out: Array<CalendarEntry & { key: string }> = [];
    for (const plan of plans) {
      if (plan.status === "cancelled") continue;
      const p = ctx.patients.find((x) => x.id === plan.patient_id);
      if (!p) continue;
      for (const s of plan.sessions) {
        if (s.status === "cancelled" || s.date < from || s.date > to) continue;
        out.push({
          session_id: s.id,
          plan_id: plan.id,
          patient_id: p.id,
          patient_number: p.patient_number,
          first_name: p.first_name,
          last_name: p.last_name,
          n: s.n,
          of: plan.session_count,
          date: s.date,
          time: s.time,
          status: s.status,
          // Date, then booked time (unbooked last), then patient — as the backend orders them.
          key: `${s.date}\u0000${s.time ?? "~"}\u0000${ctx.sortKey(p)}`,
        });
      }
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.session_id - b.session_id));
    return out.map(({ key: _key, ...entry }) => entry);
  }

  /** Each patient's oldest open recall due by `until` (plans active or completed). */
  function recallsDue(until: string): RecallDue[] {
    const byPatient = new Map<number, string>();
    for (const plan of plans) {
      if (plan.status !== "active" && plan.status !== "completed") continue;
      for (const due of plan.maintenance) {
        if (due > until) continue;
        const seen = byPatient.get(plan.patient_id);
        if (seen === undefined || due < seen) byPatient.set(plan.patient_id, due);
      }
    }
    const out: RecallDue[] = [];
    for (const [patientId, due] of byPatient) {
      const p = ctx.patients.find((x) => x.id === patientId);
      if (!p || p.archived) continue;
      out.push({
        patient_id: p.id,
        patient_number: p.patient_number,
        first_name: p.first_name,
        last_name: p.last_name,
        phone: p.phone,
        due,
        overdue: due < ctx.today,
      });
    }
    const key = (r: RecallDue) => `${r.due}\u0000${ctx.sortKey(ctx.findPatient(r.patient_id))}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  // ------------------------------------------------------------ settings
  // Mirrors dermis-core/src/settings.rs validate().

  function validateSettings(raw: PlanSettings): PlanSettings {
    const errors: FieldError[] = [];
    const d = raw.defaults;
    if (!Array.isArray(d.sessions_by_grade) || d.sessions_by_grade.length !== 4)
      errors.push({ field: "defaults.sessions_by_grade", message: "Give the number of sessions for each of the four grades." });
    (d.sessions_by_grade ?? []).forEach((n, i) => {
      if (!(n >= 1 && n <= 12))
        errors.push({ field: "defaults.sessions_by_grade", message: `Grade ${i + 1}: between 1 and 12 sessions, not ${n}.` });
    });
    const range = (field: keyof PlanDefaults, lo: number, hi: number, unit: string) => {
      const v = d[field] as number;
      if (!(v >= lo && v <= hi)) errors.push({ field: `defaults.${field}`, message: `Between ${lo} and ${hi} ${unit}, not ${v}.` });
    };
    range("old_scar_years", 1, 50, "years");
    range("old_scar_extra_sessions", 0, 4, "sessions");
    range("max_sessions", 1, 12, "sessions");
    range("interval_weeks_resilient", 1, 26, "weeks");
    range("interval_weeks_normal", 1, 26, "weeks");
    range("interval_weeks_sensitive", 1, 26, "weeks");
    range("dark_skin_min_interval_weeks", 1, 26, "weeks");
    range("slow_healing_extra_weeks", 0, 8, "weeks");
    range("max_interval_weeks", 1, 26, "weeks");
    range("maintenance_months_resilient", 1, 24, "months");
    range("maintenance_months_normal", 1, 24, "months");
    range("maintenance_months_sensitive", 1, 24, "months");
    range("shortest_interval_weeks", 1, 26, "weeks");
    range("recall_horizon_months", 1, 36, "months");
    range("screening_validity_months", 1, 36, "months");
    if (d.max_sessions < Math.max(0, ...(d.sessions_by_grade ?? [])))
      errors.push({ field: "defaults.max_sessions", message: "The most sessions must be at least the sessions for grade 4." });
    if (d.shortest_interval_weeks > Math.min(d.interval_weeks_resilient, d.interval_weeks_normal))
      errors.push({ field: "defaults.shortest_interval_weeks", message: "The shortest interval cannot be longer than the usual intervals." });
    if (d.max_interval_weeks < Math.max(d.interval_weeks_sensitive, d.interval_weeks_normal))
      errors.push({ field: "defaults.max_interval_weeks", message: "The longest interval must be at least the usual intervals." });
    if ((raw.open_weekdays ?? []).length === 0)
      errors.push({ field: "open_weekdays", message: "The clinic must be open on at least one day of the week." });
    // (The backend reads closed dates as dates: a malformed one fails before validation.)
    if ((raw.closed_dates ?? []).some((c) => !isIsoDate(c)))
      throw new MockError("internal", "invalid args `settings` for command `update_plan_settings`: closed_dates holds a non-date.");
    if (errors.length) throw validationError(errors);
    return {
      defaults: structuredClone(d),
      open_weekdays: WEEKDAYS.filter((w) => raw.open_weekdays.includes(w)),
      closed_dates: [...new Set(raw.closed_dates)].sort(),
    };
  }

  // ------------------------------------------------------------ demo data

  function seedDemo(): void {
    const T = ctx.today;
    const people = ctx.patients.filter((p) => !p.archived);
    const by = "Dr Amira Haddad";
    const base: Omit<AssessmentInput, "grade" | "counts" | "fitzpatrick" | "sensitivity" | "scar_age_years"> = {
      assessed_on: T,
      scar_types: ["rolling", "boxcar"],
      treatment_areas: ["cheeks", "temples"],
      notes: "",
    };
    const clean = (on: string): ScreeningInput => ({
      screened_on: on,
      answers: SCREENING_QUESTIONS.map((q) => ({ condition: q.condition, present: false, last_date: null })),
      notes: "",
    });
    const answering = (on: string, yes: Partial<Record<Condition, string | null>>): ScreeningInput => {
      const s = clean(on);
      for (const a of s.answers)
        if (a.condition in yes) {
          a.present = true;
          a.last_date = yes[a.condition] ?? null;
        }
      return s;
    };

    /** A plan whose session `n` falls on `anchor`; the sessions before it are done if past. */
    function planAround(p: Patient, a: Assessment, n: number, anchor: string, startOn?: string): Plan {
      const d = D();
      let weeks =
        a.sensitivity === "sensitive" ? d.interval_weeks_sensitive : a.sensitivity === "resilient" ? d.interval_weeks_resilient : d.interval_weeks_normal;
      if (a.fitzpatrick >= 4) weeks = Math.max(weeks, d.dark_skin_min_interval_weeks);
      const base = d.sessions_by_grade[a.grade - 1];
      const old = a.scar_age_years > d.old_scar_years;
      const count = Math.max(n, old ? Math.min(base + d.old_scar_extra_sessions, d.max_sessions) : base);
      const dates: string[] = [];
      for (let k = 1; k < n; k++) dates.push(addDays(anchor, -7 * weeks * (n - k)));
      dates.push(anchor);
      for (let k = n + 1; k <= count; k++) dates.push(nextSession(k, dates[k - 2], weeks, d.shortest_interval_weeks));
      const months = maintenanceMonths(a.sensitivity);
      const screening = latestScreening(p.id);
      const plan: Plan = {
        id: nextPlanId++,
        patient_id: p.id,
        assessment_id: a.id,
        status: "active",
        start: startOn ?? dates[0],
        session_count: count,
        interval_weeks: weeks,
        override_reason: "",
        sessions: dates.map((date, i) => ({
          id: nextSessionId++,
          n: i + 1,
          date,
          time: date === T ? ["09:30", "11:00", "14:15"][i % 3] : null,
          status: date < T ? "done" : "planned",
        })),
        maintenance: recallDates(dates[dates.length - 1], months),
        rationale: [
          `${base} sessions for Goodman & Baron grade ${a.grade} (${GRADE_WORDS[a.grade - 1]}).`,
          ...(old && count > base
            ? [`+${count - base} session for scars older than ${d.old_scar_years} years (${a.scar_age_years} years), ${count} in all.`]
            : []),
          `${weeks} weeks between sessions for ${a.sensitivity} skin.`,
          `Maintenance every ${months} months after the course for ${a.sensitivity} skin.`,
        ],
        warnings: [
          ...(screening?.result.warnings.map((w) => w.message) ?? []),
          ...(a.fitzpatrick >= 4
            ? [`Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]}: risk of post-inflammatory hyperpigmentation (PIH); strict sun protection.`]
            : []),
        ],
        created_at: ctx.now(),
      };
      plans.push(plan);
      rulesOf.set(plan.id, { interval: weeks, shortest: d.shortest_interval_weeks, maintenanceMonths: months });
      return plan;
    }

    /** A finished course whose first maintenance recall falls on `due`. */
    function finishedWithRecall(p: Patient, a: Assessment, target: string): void {
      const due = nearestOpen(target, addDays(target, -7), addDays(target, 7)) ?? target;
      const months = maintenanceMonths(a.sensitivity);
      const last = addMonths(due, -months);
      const plan = planAround(p, a, 3, last);
      plan.session_count = 3;
      plan.sessions = plan.sessions.slice(0, 3).map((s) => ({ ...s, status: "done" }));
      plan.status = "completed";
      plan.maintenance = [due, addMonths(due, months), addMonths(due, 2 * months)].filter((d) => d <= addMonths(last, 12));
    }

    const nextOpenFrom = (d: string) => firstOpenFrom(d) ?? d;
    const seeds: Array<(p: Patient) => void> = [
      // Session 2 of 6 today.
      (p) => {
        recordScreening(p.id, clean(addDays(T, -40)), by, addDays(T, -40));
        const a = recordAssessment(p.id, { ...base, grade: 3, counts: { macular: 8, moderate: 12, severe: 3, papular: 0, keloidal: 0 }, fitzpatrick: 3, sensitivity: "normal", scar_age_years: 7 }, by, addDays(T, -40));
        planAround(p, a, 2, T);
      },
      // Session 1 of 4 today; sensitive, darker skin, herpes history.
      (p) => {
        recordScreening(p.id, answering(addDays(T, -7), { herpes_simplex: null }), by, addDays(T, -7));
        const a = recordAssessment(p.id, { ...base, scar_types: ["rolling"], grade: 2, counts: { macular: 14, moderate: 4, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 4, sensitivity: "sensitive", treatment_areas: ["cheeks", "chin"], scar_age_years: 2 }, by, addDays(T, -7));
        planAround(p, a, 1, T, T);
      },
      // Session 3 later this week or next.
      (p) => {
        recordScreening(p.id, clean(addDays(T, -75)), by, addDays(T, -75));
        const a = recordAssessment(p.id, { ...base, scar_types: ["ice_pick", "boxcar"], grade: 3, counts: { macular: 5, moderate: 9, severe: 11, papular: 0, keloidal: 0 }, fitzpatrick: 2, sensitivity: "resilient", scar_age_years: 4 }, by, addDays(T, -75));
        planAround(p, a, 3, nextOpenFrom(addDays(T, 2)));
      },
      // Session 1 tomorrow (or the next open day).
      (p) => {
        recordScreening(p.id, clean(addDays(T, -3)), by, addDays(T, -3));
        const a = recordAssessment(p.id, { ...base, grade: 1, counts: { macular: 6, moderate: 0, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 2, sensitivity: "normal", scar_age_years: 1 }, by, addDays(T, -3));
        const first = nextOpenFrom(addDays(T, 1));
        planAround(p, a, 1, first, first);
      },
      // A finished course; the recall was due three days ago.
      (p) => {
        recordScreening(p.id, clean(addMonths(T, -5)), by, addMonths(T, -5));
        const a = recordAssessment(p.id, { ...base, grade: 2, counts: { macular: 9, moderate: 3, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 1, sensitivity: "normal", scar_age_years: 3 }, by, addMonths(T, -8));
        finishedWithRecall(p, a, addDays(T, -3));
      },
      // A finished course; the recall is due in four days.
      (p) => {
        recordScreening(p.id, clean(addMonths(T, -5)), by, addMonths(T, -5));
        const a = recordAssessment(p.id, { ...base, grade: 2, counts: { macular: 4, moderate: 6, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 3, sensitivity: "resilient", scar_age_years: 2 }, by, addMonths(T, -7));
        finishedWithRecall(p, a, addDays(T, 4));
      },
      // Screened two months after isotretinoin: not yet eligible; assessed, no plan.
      (p) => {
        recordScreening(p.id, answering(T, { isotretinoin: addMonths(T, -2) }), by, T);
        recordAssessment(p.id, { ...base, grade: 3, counts: { macular: 3, moderate: 10, severe: 2, papular: 1, keloidal: 0 }, fitzpatrick: 3, sensitivity: "normal", scar_age_years: 1 }, by, T);
      },
    ];
    seeds.forEach((seed, i) => {
      if (people[i]) seed(people[i]);
    });
  }

  // ------------------------------------------------------------ commands

  const newestFirst = <T extends { id: number }>(xs: T[], date: (x: T) => string) =>
    [...xs].sort((a, b) => (date(a) === date(b) ? b.id - a.id : date(a) < date(b) ? 1 : -1));

  const handlers: ClinicStore["handlers"] = {
    screening_questions: () => {
      require("record");
      return questions();
    },
    set_session_time: (a) => {
      require("move");
      const id = arg<number>(a, "sessionId");
      const raw = arg<string>(a, "time").trim();
      const m = /^(\d{1,2}):(\d{2})$/.exec(raw);
      if (raw !== "" && (!m || Number(m[1]) > 23 || Number(m[2]) > 59))
        throw validationError([
          { field: "time", message: `"${raw}" is not a time; use the 24-hour form HH:MM, e.g. 09:30 or 14:15.` },
        ]);
      const plan = plans.find((p) => p.sessions.some((s) => s.id === id));
      const session = plan?.sessions.find((s) => s.id === id);
      if (!plan || !session) throw new MockError("not_found", `Session ${id} was not found; it may have been removed.`);
      session.time = m ? `${m[1].padStart(2, "0")}:${m[2]}` : null;
      return scheduleOf(plan);
    },
    backup_status: () => {
      require("calendar");
      return structuredClone(backup);
    },
    contraindication_rules: () => {
      require("settings");
      return structuredClone(rules);
    },
    update_contraindication_rules: (a) => {
      require("edit-settings");
      const given = arg<ContraindicationRule[]>(a, "rules");
      const errors: FieldError[] = [];
      const next: ContraindicationRule[] = [];
      for (const r of rules) {
        const g = given.find((x) => x.condition === r.condition);
        if (!g) {
          errors.push({ field: `rules.${r.condition}`, message: `Say how to treat: ${QUESTION[r.condition]}` });
          continue;
        }
        const months = g.kind === "washout" ? g.washout_months : null;
        if (g.kind === "washout" && (months === null || months < 1 || months > 24))
          errors.push({ field: `rules.${r.condition}`, message: "A waiting period is 1 to 24 months after the last date." });
        next.push({ condition: r.condition, kind: g.kind, washout_months: months });
      }
      if (errors.length) throw validationError(errors);
      rules = next;
      return structuredClone(rules);
    },
    record_screening: (a) => {
      const s = require("record");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(recordScreening(patientId, arg<ScreeningInput>(a, "input"), s.display_name));
    },
    list_screenings: (a) => {
      require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(newestFirst(screenings.filter((s) => s.patient_id === patientId), (s) => s.screened_on));
    },
    score_assessment: (a) => {
      require("record");
      const c = arg<GbCounts>(a, "counts");
      return gbScore({
        macular: Number(c.macular) || 0,
        moderate: Number(c.moderate) || 0,
        severe: Number(c.severe) || 0,
        papular: Number(c.papular) || 0,
        keloidal: Number(c.keloidal) || 0,
      });
    },
    record_assessment: (a) => {
      const s = require("record");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(recordAssessment(patientId, arg<AssessmentInput>(a, "input"), s.display_name));
    },
    list_assessments: (a) => {
      require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(newestFirst(assessments.filter((x) => x.patient_id === patientId), (x) => x.assessed_on));
    },
    propose_plan: (a) => {
      require("plan");
      return structuredClone(propose(arg<PlanRequest>(a, "input")).proposal);
    },
    accept_plan: (a) => {
      require("plan");
      const req = arg<PlanRequest>(a, "input");
      const engine = propose(req);
      if (plans.some((p) => p.patient_id === req.patient_id && (p.status === "active" || p.status === "paused")))
        throw new MockError(
          "conflict",
          "This patient already has a plan in progress: complete or cancel it before accepting a new one.",
        );
      return structuredClone(storePlan(req, engine));
    },
    list_plans: (a) => {
      require("read");
      const patientId = arg<number>(a, "patientId");
      ctx.findPatient(patientId);
      return structuredClone(plans.filter((p) => p.patient_id === patientId).sort((x, y) => y.id - x.id));
    },
    reschedule_session: (a) => {
      require("move");
      return scheduleOf(reschedule(arg<number>(a, "sessionId"), arg<string>(a, "date")));
    },
    set_plan_status: (a) => {
      require("plan");
      return structuredClone(setStatus(arg<number>(a, "planId"), arg<PlanStatus>(a, "status"), arg<string>(a, "reason")));
    },
    calendar: (a) => {
      require("calendar");
      const errors: FieldError[] = [];
      const from = dateField(errors, "from", "The first day", arg<string>(a, "from"));
      if (errors.length) throw validationError(errors);
      const to = dateField(errors, "to", "The last day", arg<string>(a, "to"));
      if (errors.length) throw validationError(errors);
      if ((to as string) < (from as string)) throw validationError([{ field: "to", message: "The last day is before the first day." }]);
      if (daysBetween(from as string, to as string) > 62)
        throw validationError([{ field: "to", message: "Ask for at most 62 days at a time." }]);
      return entriesBetween(from as string, to as string);
    },
    today: (): TodayList => {
      require("calendar");
      return { date: ctx.today, sessions: entriesBetween(ctx.today, ctx.today), recalls: recallsDue(addDays(ctx.today, 7)), consultations: [] };
    },
    plan_settings: () => {
      require("settings");
      return structuredClone(settings);
    },
    update_plan_settings: (a) => {
      require("edit-settings");
      const next = validateSettings(arg<PlanSettings>(a, "settings"));
      Object.assign(settings, next);
      return structuredClone(settings);
    },
  };

  const internals: ClinicInternals = {
    require,
    latestScreening,
    nextSession,
    recallDates,
    rulesOf: (plan) =>
      rulesOf.get(plan.id) ?? {
        interval: plan.interval_weeks,
        shortest: D().shortest_interval_weeks,
        maintenanceMonths: D().maintenance_months_normal,
      },
    defaults: D,
  };

  return { screenings, assessments, plans, settings, backup, handlers, seedDemo, internals };
}
