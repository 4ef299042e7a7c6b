// Whether the app is locked, and after how many idle minutes it locks (the
// clinic's setting). App.svelte shows the lock screen; Settings updates the minutes.
export const appLock = $state({ locked: false, idleMinutes: 10 });
