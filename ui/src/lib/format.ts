// How dates, ages, names and codes read on screen.
import type { Sex } from "./bindings/Sex";

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

/** "Last, First" for lists. */
export function listName(p: { first_name: string; last_name: string }): string {
  return `${p.last_name}, ${p.first_name}`;
}

/** "First Last" for headings. */
export function fullName(p: { first_name: string; last_name: string }): string {
  return `${p.first_name} ${p.last_name}`;
}

function parseIsoDate(iso: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A `YYYY-MM-DD` date with the month named, so day and month cannot be confused. */
export function readableDate(iso: string): string {
  const p = parseIsoDate(iso);
  if (!p) return iso;
  return dateFormat.format(new Date(Date.UTC(p.y, p.m - 1, p.d)));
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

const instantFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An RFC 3339 instant in local time. */
export function readableInstant(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : instantFormat.format(new Date(t));
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
