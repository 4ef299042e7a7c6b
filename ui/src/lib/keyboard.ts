// Keyboard helpers shared by the shell and the forms.

const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/** True when a key press in `target` is typing (so single-key shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(target.type);
  return false;
}

/** `/` outside a field, or Ctrl+K / Cmd+K anywhere: go to the patient search. */
export function isSearchShortcut(e: KeyboardEvent): boolean {
  if (e.isComposing || e.altKey) return false;
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "k") return true;
  return e.key === "/" && !e.ctrlKey && !e.metaKey && !isTypingTarget(e.target);
}

/** True while a modal dialog is open (shortcuts wait until it closes). */
export function modalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}
