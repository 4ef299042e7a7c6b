// What only the operating system does for the About box: the app menu's
// Help → About Dermis item. In the app, the Tauri shell sends an event to the
// page; here Tauri's own event mocks carry it. Every command still goes to the
// test host (helpers.ts routes them there), so nothing else is stubbed.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";
import { ABOUT_EVENT } from "../lib/backend/app";

/** Lets the page listen for the app menu (call before rendering the app). */
export function installAppMenu(): void {
  mockIPC(() => undefined, { shouldMockEvents: true });
}

/** What choosing Help → About Dermis in the app menu does. */
export async function chooseAboutFromMenu(): Promise<void> {
  await emit(ABOUT_EVENT);
}

afterEach(() => clearMocks());

// The UI's tsconfig has no Node types (the app runs in a webview), so node:fs
// is reached through an untyped import with a small type of its own.
const NODE_FS: string = "node:fs";

/** Writes a file where the test host can read it (e.g. into backend.folder()). */
export async function writeHostFile(path: string, bytes: Uint8Array): Promise<void> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as { writeFileSync(path: string, data: Uint8Array): void };
  fs.writeFileSync(path, bytes);
}
