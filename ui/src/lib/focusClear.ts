/**
 * Keeps what the keyboard focuses clear of the sticky header and of a form's
 * sticky Save/Cancel bar (the patient form's Notes at 1280×720 was typed into
 * under it). CSS `scroll-padding` does this too, but WebKitGTK's WebDriver
 * then reports fields near the edges as not interactable, so the end-to-end
 * tests could not click them: this scrolls after focus instead.
 */
const MARGIN = 8;

function stickyFooter(el: HTMLElement): HTMLElement | null {
  const footer = el.closest("form")?.querySelector<HTMLElement>("footer");
  if (!footer || footer.contains(el)) return null;
  return getComputedStyle(footer).position === "sticky" ? footer : null;
}

export function keepFocusClear(doc: Document = document): () => void {
  const onFocus = (e: FocusEvent): void => {
    const el = e.target;
    if (!(el instanceof HTMLElement) || el === doc.body) return;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return; // not laid out (hidden, or no layout engine)
    const header = doc.querySelector<HTMLElement>(".app-header");
    const top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    const footer = stickyFooter(el);
    const bottom = footer ? Math.min(window.innerHeight, footer.getBoundingClientRect().top) : window.innerHeight;
    if (r.top < top + MARGIN) window.scrollBy(0, r.top - top - MARGIN);
    else if (r.bottom > bottom - MARGIN) window.scrollBy(0, r.bottom - bottom + MARGIN);
  };
  doc.addEventListener("focusin", onFocus);
  return () => doc.removeEventListener("focusin", onFocus);
}
