// Harness for the end-to-end tests: the real Dermis binary in a real window
// under Xvfb, driven through tauri-driver (which spawns WebKitWebDriver) with
// the standalone WebdriverIO `remote()` API.
//
//   const app = await startApp();          // Xvfb + tauri-driver + session
//   await app.browser.$('[data-testid="x"]')...
//   await app.screenshot('first-run');      // tests/e2e/.artifacts/first-run.png
//   await app.stop();                       // always, in `after`/`finally`
//
// Every run gets a fresh temporary folder holding the database (DERMIS_DB)
// and the XDG dirs, so no state leaks between runs or from the developer's
// own data. Driver logs go to tests/e2e/.artifacts/logs/.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, closeSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { xwdToPng } from './xwd.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(HERE, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const ARTIFACTS_DIR = path.join(E2E_DIR, '.artifacts');
const LOG_DIR = path.join(ARTIFACTS_DIR, 'logs');

/**
 * The app binary, built with the UI embedded (`--features custom-protocol`):
 * $DERMIS_APP_BINARY, else target/e2e/dermis-app (scripts/e2e.sh copies its build
 * there, out of reach of other cargo builds), else target/debug/dermis-app.
 */
export function appBinary() {
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(REPO_ROOT, 'target');
  const candidates = process.env.DERMIS_APP_BINARY
    ? [path.resolve(process.env.DERMIS_APP_BINARY)]
    : [path.join(target, 'e2e', 'dermis-app'), path.join(target, 'debug', 'dermis-app')];
  const bin = candidates.find((c) => existsSync(c));
  if (!bin) {
    throw new Error(
      `app binary not found (${candidates.join(', ')}): run scripts/e2e.sh, or build it with ` +
        '`npm --prefix ui run build && cargo build -p dermis-app --features custom-protocol`',
    );
  }
  return bin;
}

/** Default timeouts (ms), generous: the app takes a few seconds to start under Xvfb on 2 cores. */
export const TIMEOUTS = {
  xvfb: 20_000,
  driverPort: 30_000,
  session: 120_000, // WebKitWebDriver starting the app and its webview
  firstScreen: 60_000,
  wait: 20_000, // default for waitFor* in the specs
  screenshot: 30_000,
  stop: 10_000,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A timer for Promise.race deadlines that does not keep the process alive once the race is won. */
const deadline = (ms, value = null) => new Promise((r) => setTimeout(r, ms, value).unref());

/** Every child process still alive and temp dir still there, so an interrupted run leaves neither. */
const live = new Set();
const liveTmp = new Set();
function killAllSync() {
  for (const child of live) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (const dir of liveTmp) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    killAllSync();
    process.exit(130);
  });
}

function stamp() {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Spawn in its own process group (so a fallback kill reaches grandchildren), output to a log file. */
function spawnLogged(name, cmd, args, opts = {}) {
  mkdirSync(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, `${name}-${stamp()}.log`);
  const fd = openSync(logPath, 'a');
  const extra = opts.extraStdio ?? [];
  const child = spawn(cmd, args, {
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd, ...extra],
    detached: true,
  });
  closeSync(fd);
  child.logPath = logPath;
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      live.delete(child);
      resolve({ code: null, signal: null, error: err });
    });
  });
  live.add(child);
  return child;
}

/** SIGTERM the process, wait for it; SIGKILL its whole group if it does not go in time. */
async function stopProcess(child, timeout = TIMEOUTS.stop) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill('SIGTERM');
  } catch {
    /* gone */
  }
  const done = await Promise.race([child.exited, deadline(timeout)]);
  // Whatever the leader did, make sure nothing of its group survives (WebKitWebDriver, the app).
  for (const sig of done ? ['SIGTERM'] : ['SIGTERM', 'SIGKILL']) {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* group gone */
    }
    if (sig === 'SIGTERM' && !done) await sleep(1000);
  }
  if (!done) await Promise.race([child.exited, deadline(timeout)]);
}

function tail(file, n = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Start Xvfb on a free display :99+random; -displayfd tells when it is ready to connect. */
async function startXvfb(fbdir) {
  let lastErr = null;
  for (let attempt = 0; attempt < 10; attempt++) {
    const n = 99 + Math.floor(Math.random() * 900);
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    try {
      return await startXvfbOn(n, fbdir);
    } catch (err) {
      lastErr = err; // most likely a race on that display number: try another
    }
  }
  throw lastErr ?? new Error('no free X display found');
}

async function startXvfbOn(n, fbdir) {
  const child = spawnLogged(
    'xvfb',
    'Xvfb',
    // -fbdir: the screen is also a file (XWD), for screenshots of the whole display.
    [`:${n}`, '-displayfd', '3', '-screen', '0', '1280x800x24', '-fbdir', fbdir, '-nolisten', 'tcp', '-noreset'],
    { extraStdio: ['pipe'] },
  );
  try {
    const display = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb :${n} not ready in ${TIMEOUTS.xvfb} ms\n${tail(child.logPath)}`)), TIMEOUTS.xvfb);
      child.stdio[3].on('data', (d) => {
        buf += d.toString();
        const m = buf.match(/(\d+)\s*\n/);
        if (m) {
          clearTimeout(timer);
          resolve(`:${m[1]}`);
        }
      });
      child.exited.then(({ code, signal, error }) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb :${n} exited early (code ${code}, signal ${signal}${error ? `, ${error.message}` : ''})\n${tail(child.logPath)}`));
      });
    });
    child.stdio[3].destroy();
    return { child, display };
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
}

/** A TCP port nobody listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitForPort(port, child, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`tauri-driver exited early (code ${child.exitCode})\n${tail(child.logPath)}`);
    }
    if (await canConnect(port)) return;
    await sleep(100);
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${timeout} ms\n${tail(child.logPath)}`);
}

function tauriDriverPath() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const home = process.env.CARGO_HOME ?? path.join(process.env.HOME ?? '/root', '.cargo');
  const inCargo = path.join(home, 'bin', 'tauri-driver');
  return existsSync(inCargo) ? inCargo : 'tauri-driver';
}

/**
 * Start the app: Xvfb, tauri-driver with a fresh database, a WebdriverIO session.
 * Returns { browser, screenshot(name), stop(), dbPath, display, timings }.
 * If anything fails half-way, what was started is torn down before rethrowing.
 */
export async function startApp({ binary = appBinary(), env: extraEnv = {} } = {}) {
  const t0 = Date.now();
  const timings = {};
  const tmp = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-'));
  if (!process.env.E2E_KEEP_TMP) liveTmp.add(tmp);
  const dbPath = path.join(tmp, 'dermis.db');
  const runtimeDir = path.join(tmp, 'runtime');
  mkdirSync(runtimeDir, { mode: 0o700 });
  for (const d of ['data', 'cache', 'config']) mkdirSync(path.join(tmp, d));

  let xvfb = null;
  let driver = null;
  let browser = null;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const ts = Date.now();
    if (browser) {
      // Closing the session closes the app window; never let it hang the teardown.
      await Promise.race([browser.deleteSession().catch(() => {}), deadline(TIMEOUTS.stop)]);
    }
    timings.stopSessionMs = Date.now() - ts;
    await stopProcess(driver);
    timings.stopDriverMs = Date.now() - ts;
    await stopProcess(xvfb);
    timings.stopMs = Date.now() - ts;
    if (process.env.E2E_DEBUG) console.log('# e2e timings', JSON.stringify(timings));
    if (process.env.E2E_KEEP_TMP) {
      console.log(`# e2e: kept temp dir ${tmp}`);
    } else {
      rmSync(tmp, { recursive: true, force: true });
      liveTmp.delete(tmp);
    }
  };

  try {
    const fbdir = path.join(tmp, 'fb');
    mkdirSync(fbdir);
    const x = await startXvfb(fbdir);
    xvfb = x.child;
    const display = x.display;
    timings.xvfbMs = Date.now() - t0;

    const port = Number(process.env.E2E_DRIVER_PORT) || (await freePort());
    let nativePort = await freePort();
    if (nativePort === port) nativePort = await freePort();

    const env = {
      ...process.env,
      DISPLAY: display,
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      LIBGL_ALWAYS_SOFTWARE: '1',
      NO_AT_BRIDGE: '1', // no accessibility bus: avoids a dbus wait in GTK
      GDK_BACKEND: 'x11',
      DERMIS_DB: dbPath,
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_CACHE_HOME: path.join(tmp, 'cache'),
      XDG_CONFIG_HOME: path.join(tmp, 'config'),
      XDG_RUNTIME_DIR: runtimeDir,
      ...extraEnv,
    };
    delete env.WAYLAND_DISPLAY;
    for (const [k, v] of Object.entries(env)) if (v === null || v === undefined) delete env[k]; // env: { X: null } unsets X

    driver = spawnLogged('tauri-driver', tauriDriverPath(), ['--port', String(port), '--native-port', String(nativePort)], { env });
    // tauri-driver listens at once, but proxies to WebKitWebDriver, which it starts
    // itself: wait for both, or the first POST /session is refused.
    await waitForPort(port, driver, TIMEOUTS.driverPort);
    await waitForPort(nativePort, driver, TIMEOUTS.driverPort);
    timings.driverMs = Date.now() - t0;

    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: process.env.E2E_WDIO_LOG ?? 'warn',
      connectionRetryTimeout: TIMEOUTS.session,
      connectionRetryCount: 1,
      waitforTimeout: TIMEOUTS.wait,
      capabilities: {
        browserName: 'wry',
        'tauri:options': { application: binary },
        // WebKitWebDriver speaks classic WebDriver only (no BiDi).
        'wdio:enforceWebDriverClassic': true,
      },
    });
    timings.sessionMs = Date.now() - t0;

    // A binary built without the custom-protocol feature loads the Vite dev server
    // (http://localhost:1420) instead of the embedded UI: say so instead of timing out.
    let url = '';
    await browser
      .waitUntil(async () => !['', 'about:blank'].includes((url = await browser.getUrl())), { timeout: TIMEOUTS.firstScreen, interval: 100 })
      .catch(() => {});
    if (/^https?:\/\/(localhost|127\.0\.0\.1):1420/.test(url)) {
      throw new Error(
        `the app loaded ${url}: ${binary} was built without the embedded UI; ` +
          'build it with `cargo build -p dermis-app --features custom-protocol` (scripts/e2e.sh does)',
      );
    }
    timings.url = url;

    /**
     * Save a PNG of the webview to .artifacts/<name>.png (WebDriver "take screenshot").
     * WebKitGTK takes it after the page's next presentation update; a page that is
     * perfectly still (no blinking caret, no animation: e.g. the patient record with
     * focus on its heading) never presents one and the command hangs until the session
     * dies. So a 1-px, near-transparent element in a corner changes every 30 ms while
     * the screenshot is taken. If WebDriver fails anyway, fall back to the X display.
     */
    const screenshot = async (name) => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, `${safeName(name)}.png`);
      try {
        await browser.execute(startRepaintTicker);
        const shot = browser.saveScreenshot(file);
        shot.catch(() => {}); // if the deadline wins, its late failure is not an unhandled rejection
        if ((await Promise.race([shot.then(() => 'ok'), deadline(TIMEOUTS.screenshot, 'timeout')])) === 'timeout') {
          throw new Error(`no screenshot after ${TIMEOUTS.screenshot} ms`);
        }
      } catch (err) {
        console.error(`# e2e: WebDriver screenshot "${name}" failed (${err.message.split('\n')[0]}); using the X display`);
        displayShot(name);
      } finally {
        await browser.execute(stopRepaintTicker).catch(() => {});
      }
      return file;
    };

    /** The whole X display from the Xvfb framebuffer: works even when the WebDriver session cannot. */
    const displayShot = (name) => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      return xwdToPng(path.join(fbdir, 'Xvfb_screen0'), path.join(ARTIFACTS_DIR, `${safeName(name)}.png`));
    };

    return { browser, screenshot, displayShot, stop, dbPath, tmp, display, timings, logs: { driver: driver.logPath, xvfb: xvfb.logPath }, t0 };
  } catch (err) {
    const driverLog = driver ? tail(driver.logPath).trim() : '';
    const logs = driverLog ? `\n--- tauri-driver log (${driver.logPath}) ---\n${driverLog}` : '';
    await stop();
    err.message += logs;
    throw err;
  }
}

const safeName = (name) => name.replace(/[^\w.-]+/g, '_');

// Runs in the page: keep the page repainting (see screenshot()); stops by itself after 15 s.
function startRepaintTicker() {
  const w = window;
  if (w.__e2eTicker) return;
  const dot = document.createElement('div');
  dot.setAttribute('aria-hidden', 'true');
  dot.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
  document.documentElement.appendChild(dot);
  let i = 0;
  const timer = setInterval(() => {
    dot.style.background = i++ % 2 ? 'rgba(255,255,255,0.01)' : 'rgba(255,255,255,0.02)';
  }, 30);
  const stop = () => {
    clearInterval(timer);
    dot.remove();
    w.__e2eTicker = null;
  };
  w.__e2eTicker = { stop, timeout: setTimeout(stop, 15000) };
}

function stopRepaintTicker() {
  const t = window.__e2eTicker;
  if (t) {
    clearTimeout(t.timeout);
    t.stop();
  }
}

// ---------------------------------------------------------------- helpers for the specs

/** CSS selector for a data-testid. */
export const tid = (id) => `[data-testid="${id}"]`;

/** Wait until the element for testid is displayed, and return it. */
export async function shown(browser, id, timeout = TIMEOUTS.wait) {
  const el = await browser.$(tid(id));
  await el.waitForDisplayed({ timeout, timeoutMsg: `[data-testid="${id}"] not displayed after ${timeout} ms` });
  return el;
}

/**
 * Clear the input for testid and type value (the real keyboard path, so the UI's handlers fire).
 * If the typed value did not take, set it through the native setter. Returns { id, method }.
 */
export async function fill(browser, id, value) {
  const el = await shown(browser, id);
  await el.clearValue();
  if (value !== '') await el.setValue(value);
  if (nfcOf(await el.getValue()) === nfcOf(value)) return { id, method: 'typed' };
  await setNativeValue(browser, id, value);
  return { id, method: 'native-setter' };
}

const nfcOf = (s) => String(s ?? '').normalize('NFC');

/**
 * Set an input's value the way a framework sees a user edit: the prototype's native
 * value setter (bypassing any instance override), then 'input' and 'change' events.
 * Needed for <input type="date"> in WebKitGTK, which does not take typed keys reliably.
 */
export async function setNativeValue(browser, id, value) {
  const ok = await browser.execute(
    (sel, v) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const proto =
        el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      const setter = Object.getOwnPropertyDescriptor(proto, 'value').set;
      el.focus();
      setter.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      el.blur();
      return el.value === v;
    },
    tid(id),
    value,
  );
  if (!ok) throw new Error(`could not set [data-testid="${id}"] to ${JSON.stringify(value)}`);
}

/** Set a date input (YYYY-MM-DD): try typing first, fall back to the native setter. Returns the method that worked. */
export async function setDate(browser, id, isoDate) {
  const el = await shown(browser, id);
  try {
    await el.setValue(isoDate);
    if ((await el.getValue()) === isoDate) return 'setValue';
  } catch {
    /* WebKit may refuse keys on a date input */
  }
  await setNativeValue(browser, id, isoDate);
  return 'native-setter';
}

/** Click the element for testid once it is displayed and enabled. */
export async function click(browser, id) {
  const el = await shown(browser, id);
  await el.waitForEnabled({ timeout: TIMEOUTS.wait });
  await el.click();
  return el;
}

/**
 * Runs one command of the contract inside the app, exactly as the UI does:
 * Tauri's `call` with the command's name and its (snake_case) arguments,
 * answered raw (JSON text). Resolves to `{ ok: true, value }` or `{ error }`
 * (the backend's `{code, message, …}` as JSON text). For steps a WebDriver
 * cannot drive (file dialogs, drops) or that only prepare data.
 */
export async function callBackend(browser, command, args = {}) {
  return browser.execute(
    (c, a) =>
      window.__TAURI_INTERNALS__.invoke('call', { command: c, args: a }).then(
        (raw) => {
          const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw instanceof Uint8Array ? raw : new Uint8Array(raw);
          return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
        },
        (e) => ({ error: typeof e === 'string' ? e : JSON.stringify(e) }),
      ),
    command,
    args,
  );
}
