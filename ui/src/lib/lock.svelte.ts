// Whether the app is locked, and after how many idle minutes it locks (the
// clinic's setting). App.svelte shows the lock screen; Settings updates the minutes.
export const appLock = $state({ locked: false, idleMinutes: 10, reason: "" });

/** The backend's sentence for the idle lock; any other `locked` sentence is a reason the lock screen shows. */
export const IDLE_LOCK_SENTENCE = "Dermis is locked. Enter your password to continue.";

let waiting: Array<() => void> = [];

/** Resolves once the app is unlocked (a screen whose loading was refused with `locked` then loads again). */
export function whenUnlocked(): Promise<void> {
  if (!appLock.locked) return Promise.resolve();
  return new Promise((resolve) => waiting.push(resolve));
}

/** Marks the app unlocked and wakes whatever waited for it. */
export function unlocked(): void {
  appLock.locked = false;
  appLock.reason = "";
  const wake = waiting;
  waiting = [];
  for (const f of wake) f();
}
