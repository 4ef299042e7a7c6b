// The built UI makes no network request, works under the app's
// Content-Security-Policy, and fits the screen.
//
// ui/dist (the production build that the app embeds) is served from a local
// HTTP server that sends the CSP of src-tauri/tauri.conf.json, and loaded in
// headless Chromium. The backend is the real one: the test host
// (crates/dermis-testhost, the clinic's command table on 127.0.0.1), started
// here; each page gets a fresh clinic with demo patients, made over HTTP from
// Node. The page reaches it the way the app reaches Tauri: a
// `window.__TAURI_INTERNALS__` whose `invoke("call", { command, args })`
// hands the command to a function exposed by Playwright, which makes the HTTP
// call from Node and answers the raw reply body as bytes (what the Tauri
// shell answers). So the page itself talks to nothing but the app's own
// files. Every request the page makes is recorded and anything not to the
// local server is refused. The test signs in and drives the main screens,
// then checks that every request went to the app itself, that no CSP
// violation and no script error happened, and that no screen overflows
// sideways at 1280×720, at 1920×1080 and at 150 % (1280×720 zoomed 1.5×).
//
//   bash scripts/no-network.sh      (builds the UI and the test host if missing, then runs this)
//
// DERMIS_TESTHOST=path uses another test host binary (default:
// $CARGO_TARGET_DIR or target, then debug/dermis-testhost).
// Screenshots go to tests/no-network/.artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { start, stop, openUi, isLocal, origin, tid, shot, ADMIN, CSP, ROOT } from './harness.js';

before(start);
after(stop);

/** Things wider than the window: the page scrolls sideways, or a piece sticks out of it. */
async function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${vw}px window`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 1) continue;
      // Inside a container that scrolls or clips sideways is fine (a wide table in its own scroller).
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox !== 'visible') {
          clipped = true;
          break;
        }
      }
      if (!clipped) {
        const id = el.getAttribute('data-testid') ?? el.className ?? '';
        out.push(`<${el.tagName.toLowerCase()} ${id}> ends at ${Math.round(r.right)}px`);
      }
    }
    return out.slice(0, 10);
  });
}

/** Parts of the fixed header that are cut off (a flex row that does not fit). */
async function headerFits(page) {
  return page.evaluate(() => {
    const h = document.querySelector('.app-header');
    if (!h) return ''; // the sign-in screen has none
    const cut = [...h.querySelectorAll('button, .clinic, .user-name')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > h.getBoundingClientRect().right + 1 || el.scrollWidth > el.clientWidth + 1 && el.tagName === 'BUTTON');
    });
    return cut.map((el) => el.getAttribute('data-testid') ?? el.textContent.trim()).join(', ');
  });
}


/** Sign in and visit Today, the patient list, a search, a record and its tabs, the calendar, Settings and About. */
async function driveScreens(page, label, t) {
  const screens = {};
  const check = async (name) => {
    const o = await overflow(page);
    const h = await headerFits(page);
    screens[name] = [...o, ...(h ? [`header cut: ${h}`] : [])];
    await shot(page, `${label}-${name}`);
  };
  await page.waitForSelector(tid('login-username'));
  await check('sign-in');
  await page.fill(tid('login-username'), ADMIN.username);
  await page.fill(tid('login-password'), ADMIN.password);
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('today-screen'));
  await page.waitForSelector(`${tid('today-session')}, ${tid('today-no-sessions')}`);
  await check('today');
  await page.click(tid('nav-patients'));
  await page.waitForSelector(tid('patient-row'));
  await check('patient-list');
  await page.fill(tid('patient-search'), 'jose');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length <= 3);
  await page.fill(tid('patient-search'), '');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length > 3);
  // The long name (Wolfeschlegelsteinhausen Bergerdorff-…) is the hardest record to fit.
  await page.fill(tid('patient-search'), 'Wolfeschlegelsteinhausen');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length === 1);
  await page.click(tid('patient-row'));
  await page.waitForSelector(tid('patient-record'));
  await check('record-long-name');
  await page.click(tid('back-link'));
  await page.fill(tid('patient-search'), '');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length > 3);
  await page.click(`${tid('patient-row')} >> nth=0`);
  await page.waitForSelector(tid('patient-record'));
  await check('record');
  for (const tab of ['screening', 'assessments', 'plan']) {
    await page.click(tid(`${tab}-tab`));
    await page.waitForTimeout(300);
    await check(`record-${tab}`);
  }
  await page.click(tid('nav-calendar'));
  await page.waitForSelector(tid('calendar-screen'));
  await check('calendar-week');
  await page.click(tid('calendar-view-day'));
  await page.waitForSelector(tid('calendar-day-view'));
  await check('calendar-day');
  await page.click(tid('nav-settings'));
  await page.waitForSelector(tid('settings-screen'));
  await check('settings');
  await page.click(tid('open-about'));
  await page.waitForSelector(tid('about-db-path'));
  await check('about');
  await page.click(tid('about-close'));
  await page.click(tid('nav-patients'));
  await page.click(tid('new-patient'));
  await page.waitForSelector(tid('patient-form'));
  await check('new-patient');
  t.diagnostic(`${label}: ${Object.keys(screens).length} screens checked`);
  return screens;
}

const SIZES = [
  { label: '1280x720', width: 1280, height: 720 },
  { label: '1920x1080', width: 1920, height: 1080 },
  // 150 %: what View → Zoom In ×4 (or a 150 % system scale) gives on a 1280×720 screen.
  { label: '1280x720-at-150pct', width: Math.floor(1280 / 1.5), height: Math.floor(720 / 1.5), scale: 1.5 },
];

for (const size of SIZES) {
  test(`at ${size.label}: every request stays in the app, no CSP violation, no screen overflows`, async (t) => {
    const { page, finish } = await openUi(size);
    let screens;
    try {
      screens = await driveScreens(page, size.label, t);
    } finally {
      var { requests, problems, csp } = await finish();
    }
    const outside = requests.filter((u) => !isLocal(u));
    t.diagnostic(`${requests.length} requests, all to ${origin}: ${[...new Set(requests.map((u) => new URL(u).pathname))].join(' ')}`);
    assert.ok(requests.length > 0, 'the page loaded through the local server');
    assert.deepEqual(outside, [], 'requests that left the app');
    assert.deepEqual(csp, [], 'Content-Security-Policy violations');
    assert.deepEqual(problems, [], 'script errors');
    const bad = Object.entries(screens).filter(([, issues]) => issues.length);
    assert.deepEqual(Object.fromEntries(bad), {}, 'screens that overflow the window');
  });
}

test('the CSP allows only the app itself', () => {
  const directives = Object.fromEntries(
    CSP.split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v]),
  );
  assert.deepEqual(directives['default-src'], ["'self'"]);
  assert.deepEqual(directives['script-src'], ["'self'"], 'scripts only from the app (no inline, no eval)');
  for (const [name, sources] of Object.entries(directives)) {
    for (const s of sources) {
      // The only non-'self' hosts allowed are Tauri's own IPC endpoints.
      if (/^https?:/.test(s)) assert.equal(s, 'http://ipc.localhost', `${name} allows ${s}`);
      assert.notEqual(s, '*', `${name} allows everything`);
    }
  }
  assert.deepEqual(directives['object-src'], ["'none'"]);
});

test('the window opens whole on a 1366×768 screen (a title bar and a panel or taskbar of up to 44 px each)', () => {
  const conf = JSON.parse(readFileSync(path.join(ROOT, 'src-tauri', 'tauri.conf.json'), 'utf8'));
  const main = conf.app.windows.find((w) => w.label === 'main');
  assert.ok(main.width <= 1366, `the window is ${main.width}px wide`);
  assert.ok(main.height + 44 + 44 <= 768, `the window's ${main.height}px and its title bar and the panel do not fit in 768px`);
  // Small enough to fit a smaller screen, big enough for the layouts (tested down to 640×360 CSS px at 200 %).
  assert.ok(main.minWidth <= main.width && main.minHeight <= main.height);
  assert.ok(main.minWidth >= 640 && main.minHeight >= 360);
});
