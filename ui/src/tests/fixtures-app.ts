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
