// The clinic's date format on screen (the setting lives in the backend:
// dermis_core::dates). Dates travel as ISO `YYYY-MM-DD`; this only writes
// and reads them the way the clinic's people do, from the pattern the backend
// gives ("DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY"). It holds no
// rule of its own: which format, and what a search means, are the backend's.
import { call } from "./backend";

const state = $state({ pattern: "YYYY-MM-DD" });

/** The pattern in use, e.g. `DD/MM/YYYY`. */
export function datePattern(): string {
  return state.pattern;
}

/** Uses `pattern` from now on (tests, and the settings screen after a change). */
export function setDatePattern(pattern: string): void {
  state.pattern = pattern;
}

/** Asks the backend for the clinic's format (after sign-in); keeps ISO if it cannot. */
export async function loadDateFormat(): Promise<void> {
  try {
    setDatePattern((await call("date_format")).pattern);
  } catch {
    // Not signed in, or an older backend: ISO is still readable.
  }
}

function order(pattern: string): { sep: string; fields: Array<"D" | "M" | "Y"> } {
  const sep = pattern.replace(/[DMY]/g, "").charAt(0) || "-";
  const fields = pattern.split(sep).map((p) => p.charAt(0) as "D" | "M" | "Y");
  return { sep, fields };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function real(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** An ISO date written the clinic's way ("31/12/2026"); anything else unchanged. */
export function formatDate(iso: string, pattern: string = state.pattern): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  const parts = { Y: m[1], M: m[2], D: m[3] };
  const { sep, fields } = order(pattern);
  return fields.map((f) => parts[f]).join(sep);
}

function splitDigits(t: string, fields: Array<"D" | "M" | "Y">): string[] {
  const out: string[] = [];
  let at = 0;
  for (const f of fields) {
    const n = f === "Y" ? 4 : 2;
    out.push(t.slice(at, at + n));
    at += n;
  }
  return out;
}

/**
 * A date typed the clinic's way (day and month may have one digit, the year
 * four; or its eight digits without separators) or as ISO, as ISO; null
 * when it is not a real date.
 */
export function parseDate(text: string, pattern: string = state.pattern): string | null {
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso) return real(+iso[1], +iso[2], +iso[3]) ? t : null;
  const { sep, fields } = order(pattern);
  // Eight digits typed without separators, in the pattern's order ("31122026").
  const parts = /^\d{8}$/.test(t) ? splitDigits(t, fields) : t.split(sep);
  if (parts.length !== 3 || fields.length !== 3) return null;
  const got: Record<string, number> = {};
  for (let i = 0; i < 3; i++) {
    const want = fields[i] === "Y" ? /^\d{4}$/ : /^\d{1,2}$/;
    if (!want.test(parts[i])) return null;
    got[fields[i]] = Number(parts[i]);
  }
  if (!real(got.Y, got.M, got.D)) return null;
  return `${pad(got.Y, 4)}-${pad(got.M)}-${pad(got.D)}`;
}
