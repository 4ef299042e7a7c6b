// Test wiring: every UI test runs the real App against the real backend —
// the test host (crates/dermis-testhost, started by host.ts) serving the same
// command table as the desktop app, with a fresh clinic per test. Only what
// the operating system does is stubbed here: the file dialogs.
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { expect, inject, vi } from "vitest";
import { call as appCall, useDialogs, useTransport, type ArgsOf, type Command, type ReplyOf } from "../lib/backend";
import {
  clinicFolder,
  dropClinic,
  httpTransport,
  newClinic,
  openedFiles,
  setClinicToday,
  type ClinicOptions,
} from "../lib/backend/http";
import App from "../lib/components/App.svelte";

/** The test host's accounts (crates/dermis-testhost/src/fixture.rs). */
export const ADMIN = { username: "admin", password: "correct horse battery", display_name: "Dr Amira Haddad" } as const;
export const RECEPTIONIST = { username: "desk", password: "quiet otter marble lantern", display_name: "Sam Reyes" } as const;
export const CLINIC_NAME = "Clearskin Clinic";

export type TestOptions = ClinicOptions & {
  /** Milliseconds to hold a command's answer back (slow or out-of-order answers). */
  delay?: (command: string, args: Record<string, unknown>) => number;
};

/** The backend side of a test: what the UI sent, and direct access to the same clinic. */
export interface TestBackend {
  base: string;
  clinic: string;
  /** Every command the UI sent, in order, with its arguments. */
  calls: Array<{ command: string; args: Record<string, unknown> }>;
  /** Runs a command directly (not recorded), as whoever is signed in on the host. */
  call<K extends Command>(command: K, args?: ArgsOf<K>): Promise<ReplyOf<K>>;
  /** Moves the clinic's "today". */
  setToday(today: string): Promise<void>;
  /** The files the backend asked the OS to open (printed PDFs). */
  opened(): Promise<string[]>;
  /** The clinic's temporary folder on the host (put files to import there). */
  folder(): Promise<string>;
  /** What the next open/save dialogs answer, in order (a path, paths, or null for Cancel). */
  dialog: { open: Array<string | string[] | null>; save: Array<string | null> };
  /**
   * Resolves once no command of the UI's has been waiting for an answer for
   * `quietMs` (e.g. before the test moves the clinic's clock, which locks the
   * seat: a command still on its way would then be refused and lock the UI).
   */
  settled(quietMs?: number): Promise<void>;
}

let current: TestBackend | null = null;

function localDate(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A fresh clinic on the test host, wired as the UI's backend. */
export async function startBackend(options: TestOptions = {}): Promise<TestBackend> {
  const base = inject("testHost");
  const { delay, ...clinicOptions } = options;
  const clinic = await newClinic(base, { today: localDate(), ...clinicOptions });
  const http = httpTransport(base, clinic);
  const backend: TestBackend = {
    base,
    clinic,
    calls: [],
    call: (command, args) => http(command, (args ?? {}) as Record<string, unknown>) as never,
    setToday: (today) => setClinicToday(base, clinic, today),
    opened: () => openedFiles(base, clinic),
    folder: () => clinicFolder(base, clinic),
    dialog: { open: [], save: [] },
    settled: async (quietMs = 50) => {
      // Counted in 10 ms steps, not by Date (a test may have pinned it).
      let quiet = 0;
      while (quiet < quietMs) {
        await new Promise((r) => setTimeout(r, 10));
        quiet = inFlight > 0 ? 0 : quiet + 10;
      }
    },
  };
  let inFlight = 0;
  useTransport(async (command, args) => {
    // The live poller's `changes` (every second, see live.svelte.ts) is
    // background traffic, not something the user did: not recorded.
    if (command !== "changes") backend.calls.push({ command, args });
    inFlight++;
    try {
      const ms = delay?.(command, args) ?? 0;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      return await http(command, args);
    } finally {
      inFlight--;
    }
  });
  useDialogs({
    open: (async () => (backend.dialog.open.length ? backend.dialog.open.shift() : null)) as never,
    save: (async () => (backend.dialog.save.length ? backend.dialog.save.shift() : null)) as never,
  });
  current = backend;
  return backend;
}

/** Called after each test (setup.ts): the UI forgets the host and the clinic goes. */
export async function stopBackend(): Promise<void> {
  useTransport(null);
  useDialogs(null);
  if (current) await dropClinic(current.base, current.clinic).catch(() => {});
  current = null;
}

/** The same `call` the components use, for tests that prepare data through the UI's own path. */
export const call = appCall;

export async function renderApp(options: TestOptions = {}) {
  const backend = await startBackend(options);
  const user = userEvent.setup();
  const view = render(App);
  return { backend, user, ...view };
}

/** Renders the app signed in (the admin unless told), on the Today screen (the home screen). */
export async function renderHome(options: TestOptions = {}) {
  const app = await renderApp({ signed_in_as: "admin", ...options });
  await screen.findByTestId("today-screen");
  return app;
}

/** Renders the app signed in, with the patient list showing. */
export async function renderSignedIn(options: TestOptions = {}) {
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

export function searchCalls(backend: TestBackend): string[] {
  return backend.calls
    .filter((c) => c.command === "search_patients")
    .map((c) => (c.args.search as { query: string }).query);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Wednesday: the clinic (open Monday to Friday) is open. */
export const TODAY = "2026-03-04";

/**
 * Pins the UI's clock's date (only `Date`: timers stay real, so waiting still
 * works). Call it before render*: the backend's "today" then follows it.
 * setup.ts restores it.
 */
export function pinToday(iso: string = TODAY): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${iso}T10:00:00`));
}

/**
 * Signs in, prepares the clinic with `setup` (e.g. a screening recorded through
 * backend.call), opens the first patient's record on `tab`.
 */
export async function openPatientTab(
  tab: "profile" | "screening" | "assessments" | "plan" | "sessions" | "progress" | "photos" | "documents",
  options: TestOptions = {},
  setup?: (backend: TestBackend) => Promise<void>,
) {
  const backend = await startBackend({ signed_in_as: "admin", ...options });
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
