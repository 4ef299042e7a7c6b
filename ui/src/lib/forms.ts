// Small helpers shared by the forms.
import { tick } from "svelte";
import type { ApiError } from "./bindings/ApiError";

/** The aria-describedby of a control inside FormField. */
export function describedBy(id: string, error: string | undefined, hint = false): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** Every field error of a validation failure, keyed by field (first message wins). */
export function fieldErrorsOf(e: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of e.fields) out[f.field] ??= f.message;
  if (e.field && !(e.field in out)) out[e.field] = e.message;
  return out;
}

/** Focuses the control of the first field (in form order) that has an error. */
export async function focusFirstInvalid(
  order: readonly string[],
  errors: Record<string, string>,
  idOf: (field: string) => string,
): Promise<void> {
  await tick();
  const first = order.find((f) => errors[f]);
  if (first) document.getElementById(idOf(first))?.focus();
}

/**
 * A failed save split for display: the errors of the form's own fields (keyed
 * by the name the form uses) and one message for everything else (a banner).
 * `nameOf` maps a backend field name to the form's name (or null if unknown).
 */
export function splitErrors(
  e: ApiError,
  nameOf: (field: string) => string | null,
): { fields: Record<string, string>; other: string | null } {
  if (e.code !== "validation") return { fields: {}, other: e.message };
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const [field, message] of Object.entries(fieldErrorsOf(e))) {
    const name = nameOf(field);
    if (name !== null) fields[name] ??= message;
    else if (!other.includes(message)) other.push(message);
  }
  if (!other.length && !Object.keys(fields).length) other.push(e.message);
  return { fields, other: other.length ? other.join(" ") : null };
}

/** Enter submits the form from any control but a button or a text area (Ctrl/Cmd+Enter there). */
export function enterSubmits(event: KeyboardEvent): void {
  if (event.key !== "Enter" || event.isComposing || event.defaultPrevented) return;
  const t = event.target;
  if (!(t instanceof HTMLElement) || t instanceof HTMLButtonElement || t instanceof HTMLAnchorElement) return;
  if (t instanceof HTMLTextAreaElement && !(event.ctrlKey || event.metaKey)) return;
  const form = t.closest("form");
  if (!form) return;
  event.preventDefault();
  form.requestSubmit();
}

/** Digits only, for counts typed into a text box ("" stays ""). */
export function typedWholeNumber(raw: string): string {
  return raw.replace(/\D/g, "").replace(/^0+(?=\d)/, "").slice(0, 6);
}
