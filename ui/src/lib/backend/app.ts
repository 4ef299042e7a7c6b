// The app itself rather than the clinic: the About box, the log folder, and the
// app menu's requests to the page. Part of lib/backend, the only code that
// imports @tauri-apps/*.
import { listen } from "@tauri-apps/api/event";
import type { AppInfo } from "../bindings/AppInfo";
import { call } from "./index";

/** The event the Help → About Dermis menu item sends to the page. */
export const ABOUT_EVENT = "menu-about";

/** Name, version, database path and log folder, for the About box. */
export function appInfo(): Promise<AppInfo> {
  return call("app_info");
}

/** Opens the log folder in the system's file manager. */
export async function showLogs(): Promise<void> {
  await call("show_logs");
}

/**
 * Calls `open` whenever the app menu asks for the About box. Resolves to a
 * function that stops listening. Where there is no menu (a plain browser
 * (a plain browser), it resolves to a no-op.
 */
export async function onAboutRequested(open: () => void): Promise<() => void> {
  try {
    const unlisten = await listen(ABOUT_EVENT, () => open());
    // Unlistening is asynchronous; it fails harmlessly when the page (or a
    // test's event mocks) has gone first.
    return () => void Promise.resolve().then(unlisten).catch(() => {});
  } catch {
    return () => {};
  }
}
