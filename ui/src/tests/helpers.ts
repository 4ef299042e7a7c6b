import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { expect } from "vitest";
import { installMockBackend, type MockBackendOptions } from "../lib/backend/mock";
import App from "../lib/components/App.svelte";

export function renderApp(options: MockBackendOptions = {}) {
  const backend = installMockBackend(options);
  const user = userEvent.setup();
  const view = render(App);
  return { backend, user, ...view };
}

/** Renders the app signed in, with the patient list showing. */
export async function renderSignedIn(options: MockBackendOptions = {}) {
  const app = renderApp({ signedIn: true, ...options });
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
