import { configure } from "@testing-library/svelte";
import { afterEach, vi } from "vitest";
import { stopBackend } from "./helpers";

// The backend is real (the test host, a debug build): a print or a first
// search can take more than Testing Library's default 1 s on a loaded CI
// machine. Waiting is for what appears; what must not appear is checked with
// queryBy*, which never waits. 15 s, not 5: on the CI machine of 2026-11-30
// Settings' first render (twelve sections, each asking the backend) took
// longer than 5 s while the rest of the suite ran beside it; the wait ends as
// soon as the element is there, so a passing test is no slower.
configure({ asyncUtilTimeout: 15000 });

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
