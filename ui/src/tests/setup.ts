import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, vi } from "vitest";

// Testing Library's auto-cleanup (added by svelteTesting in vite.config.ts)
// unmounts components; this removes the mock backend between tests.
afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});
