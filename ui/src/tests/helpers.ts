import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { expect, vi } from "vitest";
import { installMockBackend, type MockBackend, type MockBackendOptions } from "../lib/backend/mock";
import App from "../lib/components/App.svelte";

export function renderApp(options: MockBackendOptions = {}) {
  const backend = installMockBackend(options);
  const user = userEvent.setup();
  const view = render(App);
  return { backend, user, ...view };
}

/** Renders the app signed in, on the Today screen (the home screen). */
export async function renderHome(options: MockBackendOptions = {}) {
  const app = renderApp({ signedIn: true, ...options });
  await screen.findByTestId("today-screen");
  return app;
}

/** Renders the app signed in, with the patient list showing. */
export async function renderSignedIn(options: MockBackendOptions = {}) {
  const app = await renderHome(options);
  await app.user.click(screen.getByTestId("nav-patients"));
  await screen.findByTestId("patient-search");
  return app;
}

/** The names shown in the patient list, in order. */
export function rowNames(): string[] {
  return screen
    .queryAllByTestId("patient-row")
    .map((row) => within(row).getAllByRole("cell")[1].querySelector("[dir]")?.textContent?.trim() ?? "");
}

export async function waitForRows(expected: string[]): Promise<void> {
  await waitFor(() => expect(rowNames()).toEqual(expected));
}

export function searchCalls(backend: ReturnType<typeof installMockBackend>): string[] {
  return backend.calls
    .filter((c) => c.command === "search_patients")
    .map((c) => (c.args.search as { query: string }).query);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Wednesday: the clinic (open Monday to Friday) is open. */
export const TODAY = "2026-03-04";

/**
 * Pins the clock's date (only `Date`: timers stay real, so waiting still works).
 * The UI's "today" and the mock backend's then agree. setup.ts restores it.
 */
export function pinToday(iso: string = TODAY): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${iso}T10:00:00`));
}

/**
 * Signs in, prepares the backend with `setup` (e.g. a screening recorded
 * through the backend functions), opens the first patient's record on `tab`.
 */
export async function openPatientTab(
  tab: "profile" | "screening" | "assessments" | "plan" | "sessions" | "progress" | "photos",
  options: MockBackendOptions = {},
  setup?: (backend: MockBackend) => Promise<void>,
) {
  const backend = installMockBackend({ signedIn: true, ...options });
  await setup?.(backend);
  const user = userEvent.setup();
  const view = render(App);
  await screen.findByTestId("today-screen");
  await user.click(screen.getByTestId("nav-patients"));
  await user.click((await screen.findAllByTestId("patient-row"))[0]);
  await screen.findByTestId("patient-record");
  await user.click(screen.getByTestId(`${tab}-tab`));
  return { backend, user, ...view };
}
