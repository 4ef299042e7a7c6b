// The reception desk's test clinic: seven patients and their plans around
// TODAY (Wed 2026-03-04), made through the real commands (screening,
// assessment, accept_plan), with the clinic's clock moved back to start the
// older plans. Every date below is the real plan engine's: the TypeScript
// only chooses the start dates.
// @ts-ignore: node:fs has no types in the UI's tsconfig (Vitest runs under Node).
import * as fs from "node:fs";
import userEvent from "@testing-library/user-event";
import { render, screen } from "@testing-library/svelte";
import App from "../lib/components/App.svelte";
import { ADMIN, RECEPTIONIST, TODAY, startBackend, type TestBackend, type TestOptions } from "./helpers";

/** P-000001 … P-000007, in this order. */
export const PEOPLE = [
  { first_name: "José", last_name: "García", phone: "+34 612 345 678" }, // session 2 of 6 today, 11:00
  { first_name: "María José", last_name: "Fernández López", phone: "+34 699 112 233" }, // session 1 of 4 today, 09:30
  { first_name: "Zoë", last_name: "Müller", phone: "+49 30 1234567" }, // session 3 of 5 on Friday 03-06
  { first_name: "François", last_name: "Dupont", phone: "+33 6 12 34 56 78" }, // session 1 of 3 tomorrow
  { first_name: "Siobhán", last_name: "O'Brien", phone: "+353 87 123 4567" }, // recall overdue since Mon 03-02
  { first_name: "Łukasz", last_name: "Kowalski", phone: "+48 601 234 567" }, // recall due Mon 03-09
  { first_name: "Ayşe", last_name: "Yılmaz", phone: "+90 532 123 45 67" }, // screened and assessed, no plan
];

type Sensitivity = "sensitive" | "normal" | "resilient";

/** Moves the clinic's clock (moving it on locks the app, as idle time would): unlocks again. */
async function moveClock(backend: TestBackend, day: string): Promise<void> {
  await backend.setToday(day);
  await backend.call("unlock_app", { password: ADMIN.password }).catch(() => {});
}

/** A clear screening and an assessment on `on`; answers the assessment's id. */
export async function screenAndAssess(
  backend: TestBackend,
  patientId: number,
  on: string,
  grade: number,
  sensitivity: Sensitivity,
): Promise<number> {
  const questions = await backend.call("screening_questions");
  await backend.call("record_screening", {
    patient_id: patientId,
    input: {
      screened_on: on,
      answers: questions.map((q) => ({ condition: q.condition, present: false, last_date: null })),
      notes: "",
    },
  });
  const a = await backend.call("record_assessment", {
    patient_id: patientId,
    input: {
      assessed_on: on,
      scar_types: ["boxcar"],
      grade,
      counts: { macular: 0, moderate: 8, severe: 0, papular: 0, keloidal: 0 },
      fitzpatrick: 2,
      sensitivity,
      treatment_areas: ["cheeks"],
      scar_age_years: 2,
      notes: "",
    },
  });
  return a.id;
}

/** Screens and assesses today (the clinic's), and accepts a plan starting `start`. */
export async function planFrom(backend: TestBackend, patientId: number, start: string, grade: number, sensitivity: Sensitivity) {
  const today = (await backend.call("today")).date;
  const assessmentId = await screenAndAssess(backend, patientId, today, grade, sensitivity);
  return backend.call("accept_plan", {
    input: { patient_id: patientId, assessment_id: assessmentId, start, override: null },
  });
}

/**
 * The desk's week (the clock must be on TODAY and the admin signed in):
 * today José 11:00 (session 2 of 6) and María José 09:30 (1 of 4); Thursday
 * François (1 of 3, no time); Friday Zoë (3 of 5, session 2 four weeks
 * before); recalls: Siobhán overdue since Monday, Łukasz due next Monday;
 * Ayşe screened and assessed, no plan. Ends with the clock on TODAY.
 */
export async function deskWeek(backend: TestBackend): Promise<void> {
  // Back in time first (moving the clock back does not lock), then forward.
  await moveClock(backend, "2025-10-07");
  await planFrom(backend, 5, "2025-10-07", 1, "resilient"); // last session 2025-12-02: recall 2026-03-02
  await moveClock(backend, "2025-10-14");
  await planFrom(backend, 6, "2025-10-14", 1, "resilient"); // recall 2026-03-09
  await moveClock(backend, "2026-01-09");
  await planFrom(backend, 3, "2026-01-09", 3, "resilient"); // 01-09, 02-06, 03-06, …
  await moveClock(backend, "2026-01-28");
  const jose = await planFrom(backend, 1, "2026-01-28", 4, "normal"); // 01-28, 03-04, …
  await moveClock(backend, TODAY);
  const maria = await planFrom(backend, 2, TODAY, 2, "normal");
  await planFrom(backend, 4, "2026-03-05", 1, "normal");
  await screenAndAssess(backend, 7, TODAY, 2, "normal");
  await backend.call("set_session_time", { session_id: jose.sessions[1].id, time: "11:00" });
  await backend.call("set_session_time", { session_id: maria.sessions[0].id, time: "09:30" });
}

/** Signs the admin out and the receptionist in (after preparing the clinic as the admin). */
export async function signInAsDesk(backend: TestBackend): Promise<void> {
  await backend.call("logout");
  await backend.call("login", { input: { username: RECEPTIONIST.username, password: RECEPTIONIST.password } });
}

/** The app on the Today screen, after `setup` prepared the clinic (as the admin). */
export async function renderHomeWith(options: TestOptions, setup?: (backend: TestBackend) => Promise<void>) {
  const backend = await startBackend({ signed_in_as: "admin", ...options });
  await setup?.(backend);
  const user = userEvent.setup();
  const view = render(App);
  await screen.findByTestId("today-screen");
  return { backend, user, ...view };
}

/** The desk's week, seen by the admin (a practitioner too). */
export const renderDeskWeek = (as: "admin" | "receptionist" = "admin", options: TestOptions = {}) =>
  renderHomeWith({ patients: PEOPLE, ...options }, async (backend) => {
    await deskWeek(backend);
    if (as === "receptionist") await signInAsDesk(backend);
  });

// ------------------------------------------------------------ files on the host
// The test host runs on this machine: tests write the files a person would
// pick (a logo, a backup) into the clinic's folder and read back what the
// backend wrote. The UI's tsconfig has no Node types, hence these few typed
// wrappers in one place.

type NodeFs = {
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: string | Uint8Array): void;
  readdirSync(path: string): string[];
  mkdirSync(path: string, options?: { recursive?: boolean }): void;
  unlinkSync(path: string): void;
};
const nodeFs = fs as unknown as NodeFs;

/** A file's bytes (a copy). */
export const readBytes = (path: string): Uint8Array => new Uint8Array(nodeFs.readFileSync(path));
/** A file's text (UTF-8). */
export const readText = (path: string): string => new TextDecoder().decode(nodeFs.readFileSync(path));
/** Writes text or bytes. */
export const writeFile = (path: string, data: string | Uint8Array): void => nodeFs.writeFileSync(path, data);
/** The names in a folder. */
export const listFolder = (path: string): string[] => nodeFs.readdirSync(path);
/** Deletes a file. */
export const removeFile = (path: string): void => nodeFs.unlinkSync(path);
/** Makes a folder (and its parents). */
export const makeFolder = (path: string): void => nodeFs.mkdirSync(path, { recursive: true });
