// The shared harness of the Chromium tests in this folder: the built UI
// (ui/dist) served with the app's Content-Security-Policy, the real backend
// (the test host) reached through a Tauri stand-in whose `invoke` is a
// function Playwright exposes (the page itself talks to nothing but the
// app's own files). no-network.test.js and a11y-layout.test.js use it.

import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const DIST = path.join(ROOT, 'ui', 'dist');
export const TESTHOST =
  process.env.DERMIS_TESTHOST ?? path.join(path.resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'dermis-testhost');
export const ARTIFACTS = path.join(HERE, '.artifacts');
export const CSP = JSON.parse(readFileSync(path.join(ROOT, 'src-tauri', 'tauri.conf.json'), 'utf8')).app.security.csp;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// A Wednesday (the clinic is open Monday to Friday): the clinic's today and the
// page's clock, so every run shows the same screens.
export const TODAY = '2026-03-04';

// The test host's admin (crates/dermis-testhost/src/fixture.rs).
export const ADMIN = { username: 'admin', password: 'correct horse battery' };

// Invented people: several scripts, accents, an emoji, a long name, an archived record.
// The first ones get a screening, an assessment and a plan (the clinic's own demo
// generator); the long name comes first, so the fullest record is also the
// hardest to fit, and the patient list shows it first.
export const PATIENTS = [
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

export const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.json': 'application/json' };

let server;
export let origin;
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
export async function newClinic(options = { today: TODAY, patients: PATIENTS, clinical_demo: true }) {
  const res = await fetch(`${hostUrl}/clinic`, {
    method: 'POST',
    body: JSON.stringify(options),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`the test host could not make a clinic: ${body.message}`);
  return body.id;
}

/** Starts the test host, the local server and Chromium (call from `before`). */
export async function start() {
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
}

/** Stops what start() started (call from `after`). */
export async function stop() {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  host?.kill('SIGTERM');
}

/**
 * A page on the built UI with a fresh clinic of the test host as its backend:
 * every request recorded, anything not local refused, CSP violations and
 * script errors collected.
 */
export async function openUi({ width, height, scale = 1, clinic: clinicOptions }) {
  const clinic = await newClinic(clinicOptions);
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
  return { page, finish, context, clinic, hostCall: (command, args) => hostCall(clinic, command, args) };
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

export function isLocal(url) {
  return url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
}

/** Calls a command on a test clinic from Node, as whoever is signed in there. */
export async function hostCall(clinic, command, args = {}) {
  const res = await fetch(`${hostUrl}/t/${encodeURIComponent(clinic)}/call/${encodeURIComponent(command)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`${command}: ${body}`);
  return body ? JSON.parse(body) : null;
}

export const tid = (id) => `[data-testid="${id}"]`;

export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
