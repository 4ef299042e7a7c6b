// Live updates (issue 16): the ONE place that polls the backend's change feed
// (`changes {since}`, about once a second over local IPC) and tells the
// screens that subscribed what kind of thing changed, on this PC or another
// one on the clinic server. It also holds whether the clinic server answers,
// for the banner every screen shows (ServerBanner.svelte).
//
// A change is a kind (`patient`, `appointment`, `session`, `plan`, `recall`,
// `settings`) and a patient id: never a fact. A screen reloads what it shows
// when a kind it shows arrives; an open edit form is never reset by it.
import { asApiError, call } from "./backend";
import type { Change } from "./bindings/Change";
import type { ConnectionState } from "./bindings/ConnectionState";
import { appLock } from "./lock.svelte";

/** Whether the clinic server answers (always `connected` on a single PC). */
export const live = $state<{ connection: ConnectionState; answers: number }>({
  connection: { state: "connected", server: null, since: null },
  /** How many answers of the feed arrived since startLive (tests wait for the first). */
  answers: 0,
});

type Subscriber = { kinds: readonly string[]; patientId: number | null; run: (changes: Change[]) => void };
const subscribers = new Set<Subscriber>();

/**
 * Calls `run` when changes of one of `kinds` arrive (for `patientId` only,
 * when given; changes without a patient always count), or when the feed says
 * to reload everything (then with an empty list). Returns the unsubscribe
 * function (return it from `$effect` or `onMount`).
 */
export function onChanges(
  kinds: readonly string[],
  run: (changes: Change[]) => void,
  patientId: number | null = null,
): () => void {
  const s: Subscriber = { kinds, patientId, run };
  subscribers.add(s);
  return () => {
    subscribers.delete(s);
  };
}

let since = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let polling = false;
/** Bumped by stopLive: an answer to a poll sent before it is dropped. */
let generation = 0;

function tell(changes: Change[], reset: boolean): void {
  for (const s of [...subscribers]) {
    const mine = reset
      ? []
      : changes.filter(
          (c) =>
            s.kinds.includes(c.kind) && (s.patientId === null || c.patient_id === null || c.patient_id === s.patientId),
        );
    if (reset || mine.length > 0) {
      try {
        s.run(mine);
      } catch {
        // One screen's failure to reload must not stop the others hearing.
      }
    }
  }
}

/** Asks the feed once (the poller's step; tests call it to not wait a second). */
export async function pollChanges(): Promise<void> {
  if (polling || appLock.locked) return;
  polling = true;
  const mine = generation;
  try {
    const feed = await call("changes", { since });
    if (mine !== generation) return;
    const first = since === 0;
    const back = live.connection.state === "unreachable" && feed.connection.state === "connected";
    since = feed.seq;
    live.connection = feed.connection;
    live.answers++;
    // Back after an outage, or a feed that lost our place: everything shown may be stale.
    if (!first && (feed.reset || back)) tell([], true);
    else if (feed.changes.length > 0) tell(feed.changes, false);
  } catch (e) {
    // The feed itself refused as `unavailable`: the server stopped answering
    // before the listener noticed (each command re-reads who is signed in,
    // from the server). Say so at once, with the server's name as last heard.
    if (mine === generation && asApiError(e).code === "unavailable" && live.connection.state !== "unreachable") {
      live.connection = { state: "unreachable", server: live.connection.server, since: new Date().toISOString() };
    }
    // Otherwise signed out, locked or the backend busy: the next tick asks again.
  } finally {
    polling = false;
  }
}

/** Starts polling (MainShell, once signed in); returns the function that stops it. */
export function startLive(everyMs = 1000): () => void {
  stopLive();
  since = 0;
  live.answers = 0;
  void pollChanges();
  timer = setInterval(() => void pollChanges(), everyMs);
  return stopLive;
}

/** Stops polling (sign-out, lock screen unmounting the shell). */
export function stopLive(): void {
  generation++;
  if (timer !== null) clearInterval(timer);
  timer = null;
}
