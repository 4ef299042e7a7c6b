// Times of day and instants as the desk reads and types them.

/** Formats digits as they are typed into an `HH:MM` time: "0930" and "09:30" both become "09:30". */
export function typedTime(raw: string): string {
  const digits = raw.replace(/\D/g, "").slice(0, 4);
  if (raw.includes(":")) {
    const [h, m = ""] = raw.split(":");
    const hh = h.replace(/\D/g, "").slice(0, 2);
    const mm = m.replace(/\D/g, "").slice(0, 2);
    return `${hh}:${mm}`;
  }
  if (digits.length <= 2) return digits;
  return `${digits.slice(0, 2)}:${digits.slice(2)}`;
}


/** The local clock time (`HH:MM`) of an RFC 3339 instant. */
export function localClock(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A local date and time, `YYYY-MM-DD HH:MM:SS`, for tables that sort by eye (the audit log). */
export function localStamp(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

