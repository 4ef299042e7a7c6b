// The second transport: HTTP to the test host (crates/dermis-testhost), which
// serves the same command table as the app on 127.0.0.1. Used by the UI tests
// and by the UI in a plain browser (`npm run dev:mock`); the desktop app never
// loads it.
import { BYTE_COMMANDS } from "../bindings/commands";
import type { Transport } from "./index";

/** Commands sent to clinic `clinic` of the test host at `base` (e.g. http://127.0.0.1:4321). */
export function httpTransport(base: string, clinic: string): Transport {
  return async (command, args) => {
    const res = await fetch(`${base}/t/${encodeURIComponent(clinic)}/call/${encodeURIComponent(command)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args ?? {}),
    });
    if (!res.ok) throw await res.json();
    if (BYTE_COMMANDS.has(command)) return await res.arrayBuffer();
    return await res.json();
  };
}

/** What a test (or the demo) asks the test host to make. All optional. */
export type ClinicOptions = {
  /** No clinic yet: the first-run screen is due. */
  needs_setup?: boolean;
  /** The clinic's today, `YYYY-MM-DD` (default: the real date). */
  today?: string;
  /** Signed in already as the test admin or the receptionist. */
  signed_in_as?: "admin" | "receptionist";
  /** Patients to register, in order; any PatientInput field, plus `archived`. */
  patients?: Array<Record<string, unknown>>;
  /** Screenings, assessments and plans for the first seven patients (the clinic's demo generator). */
  clinical_demo?: boolean;
  /** Opening a PDF fails, as on a computer without a PDF viewer. */
  no_pdf_viewer?: boolean;
  /** An encrypted clinic with the two test accounts (opened at sign-in); no other option. */
  encrypted?: boolean;
};

/** Makes a fresh clinic on the test host; resolves to its id. */
export async function newClinic(base: string, options: ClinicOptions = {}): Promise<string> {
  const res = await fetch(`${base}/clinic`, { method: "POST", body: JSON.stringify(options) });
  const body = await res.json();
  if (!res.ok) throw new Error(`the test host could not make a clinic: ${body.message}`);
  return body.id as string;
}

/** Moves that clinic's clock to `today` (`YYYY-MM-DD`). */
export async function setClinicToday(base: string, clinic: string, today: string): Promise<void> {
  await fetch(`${base}/t/${clinic}/clock`, { method: "POST", body: JSON.stringify({ today }) });
}

/** The files the backend asked the operating system to open (printed PDFs). */
export async function openedFiles(base: string, clinic: string): Promise<string[]> {
  return (await (await fetch(`${base}/t/${clinic}/opened`)).json()) as string[];
}

/** The clinic's temporary folder on the host (tests put files there to import). */
export async function clinicFolder(base: string, clinic: string): Promise<string> {
  return (await (await fetch(`${base}/t/${clinic}/dir`)).json()) as string;
}

/** Forgets a clinic (its folder is removed). */
export async function dropClinic(base: string, clinic: string): Promise<void> {
  await fetch(`${base}/t/${clinic}`, { method: "DELETE" });
}
