// The mock's answers for the app commands (lib/backend/app.ts), and a stand-in
// for the app menu's About item.
import { emit } from "@tauri-apps/api/event";
import type { AppInfo } from "../bindings/AppInfo";
import { ABOUT_EVENT } from "./app";

export const MOCK_APP_INFO: AppInfo = {
  name: "Dermis",
  version: "0.1.0",
  db_path: "/home/clinic/.local/share/org.dermis.app/dermis.db",
  log_dir: "/home/clinic/.local/share/org.dermis.app/logs",
};

export function appHandlers(): Record<string, (a: Record<string, unknown>) => unknown> {
  return {
    app_info: (): AppInfo => structuredClone(MOCK_APP_INFO),
    show_logs: () => null,
  };
}

/** What Help → About Dermis does in the real app (needs the mock backend installed). */
export async function chooseAboutFromMenu(): Promise<void> {
  await emit(ABOUT_EVENT);
}
