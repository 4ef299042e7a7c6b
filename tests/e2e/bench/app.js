// Start-up time and memory of the real app, and the same memory measurement
// for headless Chromium showing the built UI (the web-stack baseline).
// Run by scripts/bench.sh; prints one JSON document on stdout.
//
//   node tests/e2e/bench/app.js --binary ABS/dermis-app --db SEEDED.db \
//        --ui-dir ABS/ui-mock-build [--testhost ABS/dermis-testhost] [--idle 30] [--warm-launches 3] \
//        [--cold] [--screen today|patients] [--webkit-floor]
//
// --cold: before the first launch, `sync` and drop the kernel's page cache
// (`echo 1 > /proc/sys/vm/drop_caches`, needs root): the binary, WebKit's
// libraries not mapped by another process and the database are read from disk
// again, as on the first launch after a reboot. Without root the first launch
// is only "first of the day" (the daily backup), and the JSON says so.
// --screen: where the app idles before memory is read (default: today, the
// screen a signed-in user lands on).
// --webkit-floor: also measure WebKitGTK's MiniBrowser showing about:blank (the
// memory floor of any WebKitGTK app here; see webkitFloor()).
//
// The app: a fresh XDG_DATA_HOME holding a copy of the seeded database at
// org.dermis.app/dermis.db (where the app looks when neither --db nor DERMIS_DB
// is given), started by tauri-driver/WebKitWebDriver under Xvfb through the e2e
// harness (tests/e2e/lib/app.js). Start-up is measured through WebDriver:
// from the app process's start (its start time in /proc/PID/stat, in clock
// ticks since boot, 10 ms resolution) to the login form being displayed, read
// on the same since-boot clock (/proc/uptime, 10 ms). The wall clock is never
// mixed in: /proc/stat's `btime` is whole seconds, truncated, and made every
// start-up look up to a second slower than it was (0.93 s on average) (polled over WebDriver, a few ms per
// round trip). A startup marker printed by the app would need a change in
// src-tauri and would stop at "window created", not at "login form shown":
// the WebDriver poll measures what a user sees, without touching the app.
//
// The first launch on a fresh data folder is also the first of the day, so the
// app makes its automatic daily backup when it first opens the database (before
// it can answer the login screen's status request); the next launches are
// measured separately.
//
// Memory: signed in as the demo admin, on the patient list, idle for --idle
// seconds; then PSS and RSS (from /proc/PID/smaps_rollup) of the app process
// and all its descendants (WebKitWebProcess, WebKitNetworkProcess), and the
// same for every process of a headless Chromium (and its descendants) showing
// the mock build of the UI served from 127.0.0.1.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, openSync, readSync, writeFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { startApp, shown, fill, click, tid } from '../lib/app.js';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = process.argv[i].match(/^--([\w-]+)(?:=(.*))?$/);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]}`);
  const next = process.argv[i + 1];
  args[m[1]] = m[2] ?? (next === undefined || next.startsWith('--') ? true : (i++, next));
}
const binary = realpathSync(String(args.binary ?? ''));
const seeded = String(args.db ?? '');
const uiDir = args['ui-dir'] ? path.resolve(String(args['ui-dir'])) : null;
const idleSeconds = Number(args.idle ?? 30);
const warmLaunches = Number(args['warm-launches'] ?? 3);
const cold = args.cold !== undefined;
const screen = String(args.screen ?? 'today');
// --env K=V,K2=V2: extra environment for the app (to compare WebKit settings).
const appEnv = Object.fromEntries(
  String(args.env ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const load1 = () => +loadavg()[0].toFixed(2);
const USER = process.env.DERMIS_USER ?? 'admin';
const PASSWORD = process.env.DERMIS_PASSWORD ?? 'violet tractor lantern';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('# bench-app:', ...a);

// ------------------------------------------------------------------ /proc

const CLK_TCK = 100; // Linux USER_HZ on every architecture we run on
/** Milliseconds since boot (CLOCK_BOOTTIME, 10 ms resolution): the clock process start times are on. */
const sinceBootMs = () => Number(readFileSync('/proc/uptime', 'utf8').split(/\s+/)[0]) * 1000;

/** { pid, ppid, comm, startSinceBootMs } for every process we can read. */
function processes() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const rest = stat.slice(close + 2).split(' ');
      // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
      out.push({ pid: Number(d), ppid: Number(rest[1]), comm, startSinceBootMs: (Number(rest[19]) * 1000) / CLK_TCK });
    } catch {
      /* gone */
    }
  }
  return out;
}

function exeOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

/** The process and all its descendants. */
function tree(rootPid) {
  const all = processes();
  const kids = new Map();
  for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const root = all.find((p) => p.pid === rootPid);
  const out = root ? [root] : [];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i].pid) ?? []));
  return out;
}

/** PSS and RSS in kB of each process, and their sums. */
function memory(procs) {
  const rows = [];
  for (const p of procs) {
    try {
      const text = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
      const kb = (key) => Number((text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) ?? [0, 0])[1]);
      rows.push({ pid: p.pid, comm: p.comm, pssKb: kb('Pss'), rssKb: kb('Rss'), pssAnonKb: kb('Pss_Anon'), pssFileKb: kb('Pss_File'), pssShmemKb: kb('Pss_Shmem'), where: topKinds(breakdown(p.pid)) });
    } catch {
      /* gone or unreadable */
    }
  }
  const alone = alonePss(rows.map((r) => r.pid));
  for (const r of rows) {
    const a = alone.get(r.pid);
    if (a) Object.assign(r, { alonePssKb: a.totalKb, aloneAnonKb: a.anonKb, aloneWhere: topKinds(a.byKind) });
  }
  const sum = (k) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  return {
    processes: rows,
    pssMb: +(sum('pssKb') / 1024).toFixed(1),
    rssMb: +(sum('rssKb') / 1024).toFixed(1),
    alonePssMb: alone.size ? +(sum('alonePssKb') / 1024).toFixed(1) : null,
    load1: load1(),
  };
}

/**
 * PSS as if these processes were alone on the machine: each resident page
 * divided only between the processes of this set that map it, not every
 * process on the machine. The kernel's PSS also divides a library's pages with
 * any other program mapping them, so on a machine where other WebKit apps,
 * browsers or test runs are open, the same app "weighs" less (measured: the
 * web process's libwebkit2gtk 41.5 MB alone, 16.8 MB beside other WebKit
 * processes). Read from /proc/PID/pagemap (page frame numbers; needs root or
 * CAP_SYS_ADMIN, else an empty map and the report keeps the kernel's PSS only).
 * Map of pid -> { totalKb, anonKb, byKind }.
 */
function alonePss(pids) {
  const PAGE = 4096;
  const perPid = new Map(); // pid -> [[kind, anon, pfns[]]]
  const mappers = new Map(); // pfn -> how many of these processes map it
  for (const pid of pids) {
    let text;
    let fd;
    try {
      text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
      fd = openSync(`/proc/${pid}/pagemap`, 'r');
    } catch {
      continue;
    }
    const vmas = [];
    let cur = null;
    for (const line of text.split('\n')) {
      const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        cur = { start: parseInt(head[1], 16), end: parseInt(head[2], 16), name: head[3].trim(), rss: 0 };
        vmas.push(cur);
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss && cur) cur.rss = Number(rss[1]);
    }
    const pages = [];
    try {
      for (const v of vmas) {
        if (!v.rss) continue;
        const n = (v.end - v.start) / PAGE;
        const buf = Buffer.alloc(n * 8);
        readSync(fd, buf, 0, buf.length, (v.start / PAGE) * 8);
        const pfns = [];
        for (let i = 0; i < n; i++) {
          const hi = buf.readUInt32LE(i * 8 + 4);
          if (!(hi & 0x80000000)) continue; // not present (or swapped)
          const pfn = (hi & 0x7fffff) * 2 ** 32 + buf.readUInt32LE(i * 8);
          if (pfn === 0) throw new Error('page frame numbers are hidden (not root)');
          pfns.push(pfn);
          mappers.set(pfn, (mappers.get(pfn) ?? 0) + 1);
        }
        const anon = v.name === '' || v.name === '[heap]' || v.name.startsWith('[stack') || v.name.startsWith('[anon');
        pages.push([kindOf(v.name), anon, pfns]);
      }
    } catch {
      closeSync(fd);
      return new Map();
    }
    closeSync(fd);
    perPid.set(pid, pages);
  }
  const out = new Map();
  for (const [pid, pages] of perPid) {
    let total = 0;
    let anonKb = 0;
    const byKind = {};
    for (const [kind, anon, pfns] of pages) {
      let kb = 0;
      for (const pfn of pfns) kb += 4 / mappers.get(pfn);
      total += kb;
      if (anon) anonKb += kb;
      byKind[kind] = (byKind[kind] ?? 0) + kb;
    }
    out.set(pid, { totalKb: Math.round(total), anonKb: Math.round(anonKb), byKind });
  }
  return out;
}

/**
 * Where one process's PSS goes, in kB, by kind of mapping (from /proc/PID/smaps):
 * anonymous memory (malloc heaps, JS heaps, thread stacks), shared memory
 * (memfd/shm: WebKit's shared buffers and tiles), each library, fonts, other files.
 */
function breakdown(pid) {
  const out = {};
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return out;
  }
  let kind = 'anonymous';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      kind = kindOf(head[1].trim());
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) out[kind] = (out[kind] ?? 0) + Number(pss[1]);
  }
  return out;
}

/** What a mapping (its name in /proc/PID/smaps) is, for the breakdowns. */
function kindOf(name) {
  if (name === '' || name === '[heap]' || name.startsWith('[stack') || name.startsWith('[anon')) return 'anonymous';
  if (name.startsWith('/memfd:') || name.startsWith('/dev/shm') || name.includes('(deleted)')) return 'shared memory (memfd/shm)';
  if (/\.(ttf|otf|ttc|pfb|woff2?)$/i.test(name)) return 'font files';
  if (/\.so(\.|$)/.test(name)) return `lib ${path.basename(name).replace(/\.so.*$/, '')}`;
  if (name.startsWith('[')) return name;
  return name === binary ? 'the app binary' : `file ${path.basename(name)}`;
}

/** The largest kinds of one breakdown, as [kind, MB] rows (the rest summed as "other"). */
function topKinds(b, n = 8) {
  const rows = Object.entries(b).sort((x, y) => y[1] - x[1]);
  const top = rows.slice(0, n).map(([k, kb]) => [k, +(kb / 1024).toFixed(1)]);
  const rest = rows.slice(n).reduce((s, [, kb]) => s + kb, 0);
  if (rest) top.push(['other mappings', +(rest / 1024).toFixed(1)]);
  return top;
}

async function findAppPid(timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = processes().find((q) => exeOf(q.pid) === binary);
    if (p) return p;
    await sleep(20);
  }
  throw new Error(`no running process of ${binary}`);
}

// ------------------------------------------------------------------ the app

async function launch(dataHome, { signIn }) {
  const app = await startApp({ binary, env: { DERMIS_DB: null, XDG_DATA_HOME: dataHome, ...appEnv } });
  const { browser } = app;
  try {
    const requestedAt = app.t0 + app.timings.driverMs; // just before WebDriver's "new session"
    const proc = await findAppPid();
    // Poll for the login form as fast as WebDriver answers.
    let shownAt = 0;
    let shownSinceBootMs = 0;
    let polls = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      polls++;
      const el = await browser.$(tid('login-username'));
      if ((await el.isExisting()) && (await el.isDisplayed())) {
        shownAt = Date.now();
        shownSinceBootMs = sinceBootMs();
        break;
      }
      await sleep(5);
    }
    if (!shownAt) throw new Error('the login form never appeared');
    const result = {
      load1: load1(),
      processStartToLoginMs: Math.round(shownSinceBootMs - proc.startSinceBootMs),
      sessionRequestToLoginMs: shownAt - requestedAt,
      sessionReadyMs: app.timings.sessionMs - app.timings.driverMs,
      polls,
    };
    if (signIn) {
      await fill(browser, 'login-username', USER);
      await fill(browser, 'login-password', PASSWORD);
      await click(browser, 'login-submit');
      let t = Date.now();
      await (await browser.$(tid('today-screen'))).waitForDisplayed({ timeout: 60_000 });
      result.todayShownMs = Date.now() - t;
      await click(browser, 'nav-patients');
      t = Date.now();
      await (await browser.$(tid('patient-row'))).waitForDisplayed({ timeout: 60_000 });
      result.patientListShownMs = Date.now() - t;
      result.patientRows = (await browser.$$(tid('patient-row'))).length;
      result.patientCountText = await (await browser.$(tid('patient-count'))).getText().catch(() => '');
      if (screen === 'today') {
        await click(browser, 'nav-today');
        await (await browser.$(tid('today-screen'))).waitForDisplayed({ timeout: 60_000 });
      }
      result.idleScreen = screen;
      await app.screenshot(`bench-${screen}`);
      log(`on ${screen}; idle ${idleSeconds} s`);
      await sleep(idleSeconds * 1000);
      const procs = tree(proc.pid);
      result.memory = memory(procs);
    }
    return result;
  } finally {
    await app.stop();
  }
}

// ------------------------------------------------------------------ Chromium

/** Starts the test host (the real backend over HTTP), for the mock build's /__testhost. */
function startTestHost(bin) {
  const child = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`the test host stopped (${code})`)));
  });
}

function serveStatic(root, host) {
  let requests = 0;
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json' };
  const server = createServer((req, res) => {
    requests++;
    if (host && req.url.startsWith('/__testhost/')) {
      // The mock build talks to the real backend through its own origin (ui/test-host-plugin.ts does the same in dev).
      const up = httpRequest(new URL(req.url.slice('/__testhost'.length), host), { method: req.method }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
      return;
    }
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, url);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, requests: () => requests })),
  );
}

async function chromiumBaseline() {
  const host = args.testhost ? await startTestHost(String(args.testhost)) : null;
  const { server, port, requests } = await serveStatic(uiDir, host?.url);
  const profile = mkdtempSync(path.join(tmpdir(), 'dermis-bench-chromium-'));
  const child = spawn(
    '/usr/bin/chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, '--window-size=1280,800', `http://127.0.0.1:${port}/`],
    { stdio: 'ignore', detached: true },
  );
  try {
    await sleep(idleSeconds * 1000);
    const procs = tree(child.pid);
    const mem = memory(procs);
    return { ...mem, requestsServed: requests(), note: 'mock build of the UI against the test host (signed in as the demo admin, Today screen, the demo patients); the test host process is not counted' };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await sleep(1000);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    server.close();
    host?.child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ WebKitGTK alone

/**
 * The floor under any WebKitGTK app on this machine: WebKitGTK's own demo
 * browser (MiniBrowser, shipped with libwebkit2gtk-4.1) showing about:blank
 * in its own Xvfb, measured like the app (same idle, same PSS and PSS alone).
 * What the app takes above it is the most that Dermis's code, bundle and data
 * can account for.
 */
async function webkitFloor(mini) {
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24 -nolisten tcp', mini, 'about:blank'], {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, XDG_DATA_HOME: path.join(work, 'mini-data'), XDG_CACHE_HOME: path.join(work, 'mini-cache') },
  });
  try {
    await sleep(idleSeconds * 1000);
    const under = new Set(tree(child.pid).map((p) => p.pid));
    const browser = processes().find((p) => under.has(p.pid) && exeOf(p.pid) === mini);
    if (!browser) return { note: 'MiniBrowser did not start' };
    return { ...memory(tree(browser.pid)), note: `${mini} about:blank under Xvfb (1280×800), idle ${idleSeconds} s` };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await sleep(1000);
  }
}

// ------------------------------------------------------------------ main

const work = mkdtempSync(path.join(tmpdir(), 'dermis-bench-app-'));
try {
  const dataHome = path.join(work, 'data');
  mkdirSync(path.join(dataHome, 'org.dermis.app'), { recursive: true });
  copyFileSync(seeded, path.join(dataHome, 'org.dermis.app', 'dermis.db'));
  // The clinic's audit key and anchor live beside the file, named after it; photos in "photos" beside it.
  for (const ext of ['audit-key', 'audit-anchor']) {
    const from = seeded.replace(/\.db$/, `.${ext}`);
    if (existsSync(from)) copyFileSync(from, path.join(dataHome, 'org.dermis.app', `dermis.${ext}`));
  }
  const photos = path.join(path.dirname(seeded), 'photos');
  if (existsSync(photos)) cpSync(photos, path.join(dataHome, 'org.dermis.app', 'photos'), { recursive: true });
  const patients = Number(args.patients ?? 0) || null;

  let coldCache = 'no (--cold not given)';
  if (cold) {
    try {
      spawnSync('sync');
      writeFileSync('/proc/sys/vm/drop_caches', '1\n');
      coldCache = 'yes (sync; echo 1 > /proc/sys/vm/drop_caches just before)';
    } catch (e) {
      coldCache = `no (could not drop the page cache: ${e.code ?? e.message})`;
    }
  }
  log(`first launch (fresh data folder: the daily backup runs in the background; cold page cache: ${coldCache}), then sign in and idle`);
  const first = await launch(dataHome, { signIn: true });
  first.coldPageCache = coldCache;
  const backups = existsSync(path.join(dataHome, 'org.dermis.app', 'backups')) ? readdirSync(path.join(dataHome, 'org.dermis.app', 'backups')) : [];
  const warm = [];
  for (let i = 0; i < warmLaunches; i++) {
    log(`launch ${i + 2} (today's backup exists)`);
    warm.push(await launch(dataHome, { signIn: false }));
  }
  const chromium = uiDir ? await chromiumBaseline() : null;
  const MINI = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
  const floor = args['webkit-floor'] !== undefined && existsSync(MINI) ? await webkitFloor(MINI) : null;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(
    JSON.stringify(
      {
        binary,
        env: appEnv,
        patients,
        idleSeconds,
        first,
        automaticBackupsAfterFirstLaunch: backups,
        warm,
        warmMedianProcessStartToLoginMs: warm.length ? median(warm.map((w) => w.processStartToLoginMs)) : null,
        chromium,
        webkitFloor: floor,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
// The harness keeps handles (Xvfb pipes) that are all closed by now; make sure we end.
process.exit(0);
