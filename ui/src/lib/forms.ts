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
