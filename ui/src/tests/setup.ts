import { removeMockBackend } from "../lib/backend/mock";
import { afterEach, vi } from "vitest";

// Testing Library's auto-cleanup (added by svelteTesting in vite.config.ts)
// unmounts components; this removes the mock backend between tests.
afterEach(() => {
  removeMockBackend();
  vi.useRealTimers();
});
