import { afterEach, vi } from "vitest";
import { stopBackend } from "./helpers";

// jsdom has no object URLs and no canvas: the photo components make object
// URLs from the backend's bytes, and the progress chart draws only where a
// canvas context exists (its table tells the same in tests).
let nextUrl = 0;
if (!URL.createObjectURL) URL.createObjectURL = () => `blob:test/${++nextUrl}`;
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => {};
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement["getContext"];

// Testing Library's auto-cleanup (added by svelteTesting in vite.config.ts)
// unmounts components; this disconnects the test host's clinic between tests.
afterEach(async () => {
  await stopBackend();
  vi.useRealTimers();
});
