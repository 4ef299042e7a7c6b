// Calendar arithmetic on `YYYY-MM-DD` dates (no times, no time zones).
// Used to page the calendar; clinical rules stay in the backend.
import type { Weekday } from "./bindings/Weekday";

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function parts(iso: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(iso: string): boolean {
  const p = parts(iso);
  if (!p) return false;
  const date = new Date(Date.UTC(p.y, p.m - 1, p.d));
  return date.getUTCFullYear() === p.y && date.getUTCMonth() === p.m - 1 && date.getUTCDate() === p.d;
}

function toUtc(iso: string): Date {
  const p = parts(iso);
  if (!p) throw new RangeError(`not a date: ${iso}`);
  return new Date(Date.UTC(p.y, p.m - 1, p.d));
}

function fromUtc(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(iso: string, days: number): string {
  const date = toUtc(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

/** Calendar months later; a month end clamps (31 January + 1 month = 28/29 February). */
export function addMonths(iso: string, months: number): string {
  const p = parts(iso);
  if (!p) throw new RangeError(`not a date: ${iso}`);
  const index = p.y * 12 + (p.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return fromUtc(new Date(Date.UTC(y, m, Math.min(p.d, last))));
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

export function weekdayOf(iso: string): Weekday {
  return WEEKDAYS[(toUtc(iso).getUTCDay() + 6) % 7];
}

/** The Monday of the week `iso` is in. */
export function mondayOf(iso: string): string {
  return addDays(iso, -WEEKDAYS.indexOf(weekdayOf(iso)));
}

/** `count` consecutive dates from `from`. */
export function datesFrom(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}
