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
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DIST = path.join(ROOT, 'ui', 'dist');
const TESTHOST =
  process.env.DERMIS_TESTHOST ?? path.join(path.resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'dermis-testhost');
const ARTIFACTS = path.join(HERE, '.artifacts');
const CSP = JSON.parse(readFileSync(path.join(ROOT, 'src-tauri', 'tauri.conf.json'), 'utf8')).app.security.csp;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// A Wednesday (the clinic is open Monday to Friday): the clinic's today and the
// page's clock, so every run shows the same screens.
const TODAY = '2026-03-04';

// The test host's admin (crates/dermis-testhost/src/fixture.rs).
const ADMIN = { username: 'admin', password: 'correct horse battery' };

// Invented people: several scripts, accents, an emoji, a long name, an archived record.
// The first ones get a screening, an assessment and a plan (the clinic's own demo
// generator); the long name comes first, so the fullest record is also the
// hardest to fit, and the patient list shows it first.
const PATIENTS = [
  { first_name: 'Wolfeschlegelsteinhausen', last_name: 'Bergerdorff-Vandermeulen-Montgomery-Fairweather', date_of_birth: '1980-01-01', sex: 'male', phone: '+44 20 7946 0001', preferred_language: 'en', notes: 'Long name: check it wraps on printed documents.' },
  { first_name: 'José', last_name: 'García', date_of_birth: '1991-03-14', sex: 'male', phone: '+34 612 345 678', email: 'jose.garcia@example.es', preferred_language: 'es', address: 'Calle Mayor 12, 3º B\n28013 Madrid' },
  { first_name: 'María José', last_name: 'Fernández López', date_of_birth: '1988-11-02', sex: 'female', phone: '+34 699 112 233', preferred_language: 'es' },
  { first_name: 'Zoë', last_name: 'Müller', date_of_birth: '1996-07-21', sex: 'female', phone: '+49 30 1234567', preferred_language: 'de' },
  { first_name: 'François', last_name: 'Dupont', date_of_birth: '1979-01-30', sex: 'male', phone: '+33 6 12 34 56 78', preferred_language: 'fr', notes: 'Prefers morning appointments.' },
  { first_name: 'Siobhán', last_name: "O'Brien", date_of_birth: '1993-05-17', sex: 'female', phone: '+353 87 123 4567', preferred_language: 'en' },
  { first_name: 'Łukasz', last_name: 'Kowalski', date_of_birth: '1985-09-09', sex: 'male', phone: '+48 601 234 567', preferred_language: 'pl' },
  { first_name: 'Ayşe', last_name: 'Yılmaz', date_of_birth: '1990-12-01', sex: 'female', phone: '+90 532 123 45 67', preferred_language: 'tr' },
  { first_name: 'Γιώργος', last_name: 'Παπαδόπουλος', date_of_birth: '1982-04-25', sex: 'male', phone: '+30 691 234 5678', preferred_language: 'el' },
  { first_name: 'أحمد', last_name: 'الخطيب', date_of_birth: '1987-06-03', sex: 'male', phone: '+971 50 123 4567', preferred_language: 'ar' },
  { first_name: 'נועה', last_name: 'כהן', date_of_birth: '1992-10-10', sex: 'female', phone: '+972 52 123 4567', preferred_language: 'he' },
  { first_name: '小明', last_name: '王', date_of_birth: '1994-03-08', sex: 'male', phone: '+86 138 0013 8000', preferred_language: 'zh' },
  { first_name: 'Emma', last_name: 'Smith', date_of_birth: '2001-05-05', sex: 'female', phone: '020 7946 0958', preferred_language: 'en', notes: 'Referred by Dr Patel.\nMild rolling scars on both cheeks.' },
  { first_name: 'Mia 🌸', last_name: 'Park', date_of_birth: '1999-09-09', sex: 'female', phone: '+1 415 555 0134', preferred_language: 'ko' },
  { first_name: 'Eleni', last_name: 'Georgiou', date_of_birth: '1993-06-30', sex: 'female', phone: '+357 99 123456', preferred_language: 'el', archived: true },
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.json': 'application/json' };

let server;
let origin;
let browser;
let host; // the test host process
let hostUrl; // http://127.0.0.1:PORT

/** Starts the test host; resolves to its address. */
function startTestHost() {
  host = spawn(TESTHOST, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    host.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    host.on('error', reject);
    host.on('exit', (code) => reject(new Error(`the test host stopped (${code})`)));
  });
}

/** A fresh clinic on the test host (not signed in), with the demo patients and their plans. */
async function newClinic() {
  const res = await fetch(`${hostUrl}/clinic`, {
    method: 'POST',
    body: JSON.stringify({ today: TODAY, patients: PATIENTS, clinical_demo: true }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`the test host could not make a clinic: ${body.message}`);
  return body.id;
}

before(async () => {
  const index = path.join(DIST, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm --prefix ui run build\` (scripts/no-network.sh does)`);
  if (!existsSync(TESTHOST)) throw new Error(`${TESTHOST} is missing: run \`cargo build -p dermis-testhost\` (scripts/no-network.sh does)`);
  hostUrl = await startTestHost();
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.normalize(path.join(DIST, decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  host?.kill('SIGTERM');
});

/**
 * A page on the built UI with a fresh clinic of the test host as its backend:
 * every request recorded, anything not local refused, CSP violations and
 * script errors collected.
 */
async function openUi({ width, height, scale = 1 }) {
  const clinic = await newClinic();
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, serviceWorkers: 'block' });
  await context.clock.setFixedTime(new Date(`${TODAY}T10:00:00`)); // Date only: timers run on
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return isLocal(url) ? route.continue() : route.abort('blockedbyclient');
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  // The backend, from Node: the page never makes this request itself.
  await page.exposeFunction('__dermisTestHost', async (command, args) => {
    const res = await fetch(`${hostUrl}/t/${encodeURIComponent(clinic)}/call/${encodeURIComponent(command)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args ?? {}),
    });
    return { ok: res.ok, body: [...new Uint8Array(await res.arrayBuffer())] };
  });
  await page.addInitScript(installTauriStandIn);
  await page.goto(`${origin}/index.html`);
  const finish = async () => {
    const csp = await page.evaluate(() => window.__cspViolations).catch(() => ['(page gone)']);
    await context.close();
    return { requests, problems, csp };
  };
  return { page, finish };
}

/**
 * Runs in the page before its scripts: what @tauri-apps/api finds in the app.
 * `call` (the one command of the Tauri shell) answers the raw reply body as
 * bytes and rejects with the backend's error; event listeners are accepted
 * and never fire; anything else is refused, as an unknown command would be.
 */
function installTauriStandIn() {
  const callbacks = new Map();
  let next = 1;
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(callback, once = false) {
      const id = next++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return callback?.(data);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    convertFileSrc(filePath) {
      return filePath;
    },
    async invoke(cmd, args = {}) {
      if (cmd === 'call') {
        const reply = await window.__dermisTestHost(args.command, args.args ?? {});
        if (reply.ok) return reply.body;
        throw JSON.parse(new TextDecoder().decode(new Uint8Array(reply.body)));
      }
      if (cmd === 'plugin:event|listen') return next++;
      if (cmd === 'plugin:event|unlisten') return null;
      throw { code: 'internal', message: `${cmd} is not available here`, field: null, fields: [] };
    },
  };
}

function isLocal(url) {
  return url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
}

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

const tid = (id) => `[data-testid="${id}"]`;

async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
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
