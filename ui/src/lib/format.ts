// How dates, ages, names and codes read on screen.
import type { AdverseEventKind } from "./bindings/AdverseEventKind";
import type { Condition } from "./bindings/Condition";
import type { DepthZone } from "./bindings/DepthZone";
import type { Endpoint } from "./bindings/Endpoint";
import type { PhotoAngle } from "./bindings/PhotoAngle";
import type { SkinThickness } from "./bindings/SkinThickness";
import type { ZoneDepth } from "./bindings/ZoneDepth";
import type { PlanStatus } from "./bindings/PlanStatus";
import type { ScarType } from "./bindings/ScarType";
import type { Sensitivity } from "./bindings/Sensitivity";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { Sex } from "./bindings/Sex";
import type { TreatmentArea } from "./bindings/TreatmentArea";
import type { Weekday } from "./bindings/Weekday";
import { datePattern, formatDate } from "./dateformat.svelte";

export const LANGUAGES: ReadonlyArray<{ code: string; name: string }> = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
  { code: "de", name: "Deutsch" },
  { code: "it", name: "Italiano" },
  { code: "pt", name: "Português" },
  { code: "el", name: "Ελληνικά" },
  { code: "ru", name: "Русский" },
  { code: "ar", name: "العربية" },
  { code: "he", name: "עברית" },
  { code: "zh", name: "中文" },
  { code: "ja", name: "日本語" },
  { code: "ko", name: "한국어" },
  { code: "tr", name: "Türkçe" },
  { code: "pl", name: "Polski" },
  { code: "nl", name: "Nederlands" },
  { code: "hi", name: "हिन्दी" },
];

export function languageName(code: string): string {
  if (code === "") return "Not recorded";
  const known = LANGUAGES.find((l) => l.code === code);
  return known ? `${known.name} (${code})` : code;
}

export const SEX_LABELS: Record<Sex, string> = { female: "Female", male: "Male", other: "Other" };

export function sexLabel(sex: Sex | null): string {
  return sex === null ? "Not recorded" : SEX_LABELS[sex];
}

/** Han, kana and Hangul: names written family name first, without a space. */
const FAMILY_FIRST = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\s]+$/u;

function familyFirst(p: { first_name: string; last_name: string }): boolean {
  return FAMILY_FIRST.test(p.first_name) && FAMILY_FIRST.test(p.last_name);
}

/** "Last, First" for lists; Chinese, Japanese and Korean names as written: 王小明. */
export function listName(p: { first_name: string; last_name: string }): string {
  return familyFirst(p) ? `${p.last_name}${p.first_name}` : `${p.last_name}, ${p.first_name}`;
}

/** "First Last" for headings; Chinese, Japanese and Korean names family first: 王小明. */
export function fullName(p: { first_name: string; last_name: string }): string {
  return familyFirst(p) ? `${p.last_name}${p.first_name}` : `${p.first_name} ${p.last_name}`;
}

function parseIsoDate(iso: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** A `YYYY-MM-DD` date written the clinic's way ("31/12/2026"; the setting is the backend's). */
export function readableDate(iso: string): string {
  return parseIsoDate(iso) ? formatDate(iso) : iso;
}

/** Whole years between a `YYYY-MM-DD` birth date and `today` (default: now, local time). */
export function ageOn(iso: string, today: Date = new Date()): number | null {
  const p = parseIsoDate(iso);
  if (!p) return null;
  let age = today.getFullYear() - p.y;
  const month = today.getMonth() + 1;
  if (month < p.m || (month === p.m && today.getDate() < p.d)) age -= 1;
  return age >= 0 ? age : null;
}

export function dateWithAge(iso: string): string {
  const age = ageOn(iso);
  return age === null ? readableDate(iso) : `${readableDate(iso)} (age ${age})`;
}

/** An RFC 3339 instant in local time: the clinic's date and a 24-hour clock ("31/12/2026 14:05"). */
export function readableInstant(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  const day = `${String(d.getFullYear()).padStart(4, "0")}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${formatDate(day)} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Today's local date as `YYYY-MM-DD` (for the date input's max). */
export function todayIso(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Formats digits as they are typed into a `YYYY-MM-DD` date: "19900517" and
 * "1990-05-17" both become "1990-05-17". Year first, so day and month can never
 * be swapped (WebKitGTK's native date input takes no typing at all).
 */
export function typedIsoDate(raw: string): string {
  const digits = raw.replace(/\D/g, "").slice(0, 8);
  if (digits.length <= 4) return digits;
  if (digits.length <= 6) return `${digits.slice(0, 4)}-${digits.slice(4)}`;
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`;
}

/** The hint under a date of birth field: the date in words with the age once complete. */
export function dateOfBirthHint(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && parseIsoDate(iso) ? dateWithAge(iso) : "Year-month-day, e.g. 1990-05-17";
}

// Weekdays in the app's language (English); the date itself is the clinic's
// format, as on its documents (issue 22: screens showed "Tue, 8 Dec 2026"
// while the setting said 08.12.2026).
const shortWeekdayFormat = new Intl.DateTimeFormat("en", { weekday: "short", timeZone: "UTC" });
const longWeekdayFormat = new Intl.DateTimeFormat("en", { weekday: "long", timeZone: "UTC" });

const wordsFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** The day `iso` names, or null when it is not one (2026-13-45 does not roll over). */
function utcDate(iso: string): Date | null {
  const p = parseIsoDate(iso);
  if (!p) return null;
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d));
  return d.getUTCMonth() === p.m - 1 && d.getUTCDate() === p.d ? d : null;
}

/** "Tue 08/12/2026": a date with its weekday, for appointments (the clinic's format). */
export function weekdayDate(iso: string): string {
  const d = utcDate(iso);
  return d ? `${shortWeekdayFormat.format(d)} ${formatDate(iso)}` : iso;
}

/** "Tuesday 08/12/2026": a day's heading (the clinic's format). */
export function longDate(iso: string): string {
  const d = utcDate(iso);
  return d ? `${longWeekdayFormat.format(d)} ${formatDate(iso)}` : iso;
}

/**
 * "Tuesday, 8 December 2026": the date in words, only where words confirm what
 * was typed or picked (a date field's hint, a calendar day's name for a screen
 * reader), never as the way a screen lists dates.
 */
export function dateInWords(iso: string): string {
  const d = utcDate(iso);
  return d ? wordsFormat.format(d) : iso;
}

/** "08/12", "12/08", "08.12": day and month in the clinic's order, for a calendar column. */
export function dayMonth(iso: string): string {
  if (!utcDate(iso)) return iso;
  const pattern = datePattern();
  const sep = pattern.replace(/[DMY]/g, "").charAt(0) || "-";
  const kept = pattern.split(sep).filter((f) => !f.startsWith("Y"));
  const [, m, d] = iso.split("-");
  return kept.map((f) => (f.startsWith("D") ? d : m)).join(sep);
}

/** The hint under a typed date field: the date in words once complete. */
export function isoDateHint(iso: string, example = "2026-05-17"): string {
  const p = parseIsoDate(iso);
  if (p) {
    const d = new Date(Date.UTC(p.y, p.m - 1, p.d));
    if (d.getUTCMonth() === p.m - 1 && d.getUTCDate() === p.d) return dateInWords(iso);
  }
  return `Year-month-day, e.g. ${example}`;
}

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

export const SCAR_TYPE_LABELS: Record<ScarType, string> = {
  ice_pick: "Ice pick",
  boxcar: "Boxcar",
  rolling: "Rolling",
  hypertrophic: "Hypertrophic",
  keloidal: "Keloidal",
};

export const AREA_LABELS: Record<TreatmentArea, string> = {
  forehead: "Forehead",
  temples: "Temples",
  nose: "Nose",
  around_eyes: "Around the eyes",
  cheekbones: "Cheekbones",
  cheeks: "Cheeks",
  chin: "Chin",
  upper_lip: "Upper lip",
  jawline: "Jawline",
  neck: "Neck",
  chest: "Chest",
  back: "Back",
};

export const SENSITIVITY_LABELS: Record<Sensitivity, string> = {
  sensitive: "Sensitive",
  normal: "Normal",
  resilient: "Resilient",
};

/** Goodman & Baron qualitative grades, 1–4. */
export const GRADE_LABELS: Record<number, string> = { 1: "Macular", 2: "Mild", 3: "Moderate", 4: "Severe" };

export function gradeLabel(grade: number): string {
  return GRADE_LABELS[grade] ? `${grade} · ${GRADE_LABELS[grade]}` : String(grade);
}

const ROMAN = ["I", "II", "III", "IV", "V", "VI"];

/** Fitzpatrick skin type 1–6 as I–VI. */
export function fitzpatrickLabel(type: number): string {
  return ROMAN[type - 1] ?? String(type);
}

export const CONDITION_LABELS: Record<Condition, string> = {
  active_infection: "Active infection or open wound",
  active_acne: "Active inflammatory acne",
  keloid_tendency: "Keloid tendency",
  pregnancy_or_breastfeeding: "Pregnancy or breastfeeding",
  cancer_treatment: "Cancer treatment",
  isotretinoin: "Isotretinoin",
  anticoagulants: "Anticoagulants or bleeding disorder",
  diabetes: "Diabetes",
  skin_condition: "Eczema, psoriasis or rosacea",
  herpes_simplex: "Herpes simplex",
  allergy: "Metal or anaesthetic allergy",
};

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  active: "Active",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  planned: "Planned",
  done: "Done",
  cancelled: "Cancelled",
};

/** The zones of the needle-depth chart, in chart order, as staff read them (dermis-core's labels). */
export const DEPTH_ZONES: readonly DepthZone[] = [
  "forehead",
  "nose",
  "around_eyes",
  "cheekbones",
  "cheeks_chin",
  "upper_lip",
  "scarred_areas",
];

export const ZONE_LABELS: Record<DepthZone, string> = {
  forehead: "Forehead",
  nose: "Nose",
  around_eyes: "Around the eyes",
  cheekbones: "Cheekbones",
  cheeks_chin: "Cheeks and chin",
  upper_lip: "Upper lip",
  scarred_areas: "Scarred areas",
};

export const SKIN_LABELS: Record<SkinThickness, string> = { thin: "Thin skin", thick: "Thick skin" };

export const ENDPOINT_LABELS: Record<Endpoint, string> = {
  erythema: "Even erythema",
  pinpoint_bleeding: "Pinpoint bleeding",
  not_reached: "Not reached",
};

/** The adverse events of PRODUCT.md 4.5, in form order, with dermis-core's labels. */
export const ADVERSE_EVENT_KINDS: readonly AdverseEventKind[] = [
  "erythema",
  "oedema",
  "pih",
  "acne_flare",
  "infection",
  "herpes_reactivation",
  "tram_track_scarring",
  "granuloma",
  "other",
];

export const ADVERSE_EVENT_LABELS: Record<AdverseEventKind, string> = {
  erythema: "Prolonged erythema",
  oedema: "Oedema",
  pih: "Post-inflammatory hyperpigmentation",
  acne_flare: "Acne flare",
  infection: "Infection",
  herpes_reactivation: "Herpes reactivation",
  tram_track_scarring: "Tram-track scarring",
  granuloma: "Granuloma",
  other: "Other",
};

export const PHOTO_ANGLES: readonly PhotoAngle[] = ["front", "left", "right", "left_oblique", "right_oblique"];

export const ANGLE_LABELS: Record<PhotoAngle, string> = {
  front: "Front",
  left: "Left profile",
  right: "Right profile",
  left_oblique: "Left oblique",
  right_oblique: "Right oblique",
};

/** Micrometres as millimetres the way the backend writes them: 1250 → "1.25", 500 → "0.5", 1000 → "1.0". */
export function formatMm(um: number): string {
  const whole = Math.floor(um / 1000);
  const frac = String(um % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${whole}.${frac || "0"}`;
}

/** A chart range in words: "0.5–1.0 mm", or "0.25 mm" when both ends agree. */
export function depthRangeLabel(r: { min_um: number; max_um: number }): string {
  return r.min_um === r.max_um ? `${formatMm(r.max_um)} mm` : `${formatMm(r.min_um)}–${formatMm(r.max_um)} mm`;
}

/**
 * A depth typed in millimetres ("1.25", "1,25", ".5", "2", "1.5 mm") as micrometres,
 * or null when it is not a number of millimetres (as dermis-core's parse_mm).
 */
export function parseMm(raw: string): number | null {
  const s = raw.trim().replace(/mm$/, "").trim().replace(",", ".");
  const m = /^(\d{0,3})(?:\.(\d{0,3}))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return null;
  return Number(m[1] || "0") * 1000 + Number((m[2] ?? "").padEnd(3, "0"));
}

/** "Cheeks and chin 1.5 mm · Forehead 0.5 mm" */
export function depthsLabel(depths: ZoneDepth[]): string {
  return depths.map((d) => `${ZONE_LABELS[d.zone]} ${formatMm(d.depth_um)} mm`).join(" · ");
}
