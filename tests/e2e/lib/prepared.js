// What the specs that start from a clinic prepared with the command line
// share: the `dermis` CLI as the first account, today's local date, steps
// that stop at the first failure (with a screenshot), signing in, and a
// mouse drag through WebDriver pointer actions.

import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fill, click, shown, TIMEOUTS, REPO_ROOT } from './app.js';

export const PASSWORD = 'correct horse battery';
const cli = process.env.DERMIS_CLI_BINARY || path.join(REPO_ROOT, 'target', 'debug', 'dermis');

/** Runs `dermis --db DB [--json] ARGS…` as `boss`; the parsed JSON (or the text). */
export function dermis(db, args, { json = true } = {}) {
  const out = execFileSync(cli, ['--db', db, ...(json ? ['--json'] : []), ...args], {
    env: { ...process.env, DERMIS_PASSWORD: PASSWORD, DERMIS_USER: 'boss' },
    encoding: 'utf8',
  });
  return json ? JSON.parse(out) : out;
}

const pad = (n) => String(n).padStart(2, '0');
/** Today's local date (the app's "today"). */
export function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * `step(name, fn)`: a test that is skipped once an earlier step failed, and
 * that leaves a screenshot `FAILED-<prefix>-<name>` when it fails.
 */
export function steps(prefix, appOf) {
  let failed = null;
  return (name, fn) =>
    test(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        try {
          await appOf()?.screenshot(`FAILED-${prefix}-${name}`);
        } catch {
          /* the app may be gone */
        }
        throw err;
      }
    });
}

/** Signs in as `boss` and waits for Today. */
export async function signIn(browser) {
  await fill(browser, 'login-username', 'boss');
  await fill(browser, 'login-password', PASSWORD);
  await click(browser, 'login-submit');
  await shown(browser, 'today-screen', TIMEOUTS.firstScreen);
}

/**
 * Presses the mouse on `el` at each point's offset from its centre (CSS
 * pixels), moves through the points, releases: a drag, or a drawn stroke.
 */
export async function pointerPath(browser, el, points, { stepMs = 40 } = {}) {
  // Offsets from the viewport (WebKitWebDriver takes no element origin):
  // the element's centre from its bounding box, in CSS pixels.
  const c = await browser.execute((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, el);
  const at = ([x, y]) => ({ x: Math.round(c.x + x), y: Math.round(c.y + y) });
  const move = (p, duration) => ({ type: 'pointerMove', duration, origin: 'viewport', ...at(p) });
  const actions = [move(points[0], 0), { type: 'pointerDown', button: 0 }];
  for (const p of points.slice(1)) actions.push(move(p, stepMs));
  actions.push({ type: 'pointerUp', button: 0 });
  await browser.performActions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }]);
  await browser.releaseActions();
}
