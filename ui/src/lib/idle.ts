// The idle timer behind the lock screen: calls `onIdle` once after `minutes`
// without keyboard, mouse or touch input. Any input starts the wait again.
// Plain timers, so Vitest's fake timers can drive it.

/** The input that counts as "someone is using Dermis". */
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "mousedown", "mousemove", "wheel", "touchstart"] as const;

export interface IdleTimer {
  /** Starts the wait again (as input does). */
  reset(): void;
  /** Stops watching; `onIdle` will not be called. */
  stop(): void;
}

export function startIdleTimer(minutes: number, onIdle: () => void, target: EventTarget = window): IdleTimer {
  const ms = Math.max(1, minutes) * 60_000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const fire = () => {
    timer = null;
    if (!stopped) onIdle();
  };
  const reset = () => {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, reset, { passive: true, capture: true });
  reset();

  return {
    reset,
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, reset, { capture: true });
    },
  };
}
