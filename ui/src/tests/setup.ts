import { configure } from "@testing-library/svelte";
import { afterEach, vi } from "vitest";
import { stopBackend } from "./helpers";

// The backend is real (the test host, a debug build): a print or a first
// search can take more than Testing Library's default 1 s on a loaded CI
// machine. Waiting is for what appears; what must not appear is checked with
// queryBy*, which never waits.
configure({ asyncUtilTimeout: 5000 });

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
