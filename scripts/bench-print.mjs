// Printing one aftercare sheet, like for like (issue 23): Dermis against
// Chromium, process against process and warm against warm.
//
//   node scripts/bench-print.mjs --dermis target/release/dermis --db target/bench-data/demo-1000.db \
//        --html target/bench-results/aftercare-sheet.html --library-ms 2.16 --out target/bench-results [--runs 9]
//
// - process vs process: `dermis print aftercare` (a whole CLI process: start,
//   open the database, sign in with Argon2id, build and write the PDF) against
//   `chromium --headless --print-to-pdf` of the same sheet as HTML (a whole
//   browser process: start, load, lay out, print);
// - warm vs warm: the library call (`dermis_docs::aftercare_sheet`, criterion's
//   median from `cargo bench -p dermis-docs`, given as --library-ms) against a
//   Chromium that is already running and has the page loaded, printing through
//   the DevTools protocol (`Page.printToPDF`, over --remote-debugging-pipe: no
//   extra packages), and the same with the page loaded again each time.
// The HTML is the bench's hand-made copy of the sheet (crates/dermis-docs/benches/
// documents.rs writes it): same text, letterhead and layout, not the same bytes.
// Writes print.json and print.md into --out.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = process.argv[i].match(/^--([\w-]+)$/);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]}`);
  args[m[1]] = process.argv[++i];
}
const RUNS = Number(args.runs ?? 9);
const CHROMIUM = args.chromium ?? '/usr/bin/chromium';
const OUT = path.resolve(args.out ?? 'target/bench-results');
// --rerender: no measurement; print.md again from OUT/print.json with the
// library figure given now (criterion measured it in another step).
const html = args.rerender ? null : path.resolve(args.html);
const load = () => loadavg()[0].toFixed(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

let result;
if (args.rerender) {
  result = JSON.parse(readFileSync(path.join(OUT, 'print.json'), 'utf8'));
  result.libraryMs = args['library-ms'] !== undefined ? Number(args['library-ms']) : result.libraryMs;
  result.libraryLoad = args['library-load'] ?? result.libraryLoad;
} else {
const work = mkdtempSync(path.join(tmpdir(), 'dermis-print-'));
result = { runs: RUNS, loadBefore: load() };

// ---- process vs process: the CLI
{
  const db = path.join(work, 'dermis.db');
  copyFileSync(args.db, db);
  // The clinic's audit key and anchor live beside the file, named after it.
  for (const ext of ['.audit-key', '.audit-anchor']) {
    const from = args.db.replace(/\.db$/, ext);
    if (existsSync(from)) copyFileSync(from, db.replace(/\.db$/, ext));
  }
  const today = new Date().toISOString().slice(0, 10);
  const times = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const pdf = path.join(work, `cli-${i}.pdf`);
    const t = now();
    const r = spawnSync(args.dermis, ['--db', db, '--user', 'admin', 'print', 'aftercare', '--patient', 'P-000001', '--date', today, '--out', pdf], {
      env: { ...process.env, DERMIS_PASSWORD: 'violet tractor lantern' },
      encoding: 'utf8',
    });
    const ms = now() - t;
    if (r.status !== 0) throw new Error(`dermis print failed: ${r.stderr}`);
    if (i > 0) times.push(ms); // the first run fills the OS file cache
    bytes = statSync(pdf).size;
  }
  result.cli = { medianMs: median(times), minMs: Math.min(...times), bytes, times };
}

// ---- process vs process: chromium --print-to-pdf
{
  const times = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const pdf = path.join(work, `chromium-${i}.pdf`);
    const profile = mkdtempSync(path.join(work, 'profile-'));
    const t = now();
    const r = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--user-data-dir=${profile}`, `--print-to-pdf=${pdf}`, pathToFileURL(html).href], { encoding: 'utf8' });
    const ms = now() - t;
    if (r.status !== 0 || !existsSync(pdf)) throw new Error(`chromium --print-to-pdf failed: ${r.stderr}`);
    if (i > 0) times.push(ms);
    bytes = statSync(pdf).size;
  }
  result.chromiumProcess = { medianMs: median(times), minMs: Math.min(...times), bytes, times };
}

// ---- warm vs warm: a running Chromium over the DevTools protocol (pipe transport)
async function warmChromium() {
  const profile = mkdtempSync(path.join(work, 'profile-'));
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const toChrome = child.stdio[3];
  const fromChrome = child.stdio[4];
  let buf = '';
  let id = 0;
  const waiting = new Map();
  const events = [];
  fromChrome.on('data', (d) => {
    buf += d.toString('utf8');
    let at;
    while ((at = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, at));
      buf = buf.slice(at + 1);
      if (msg.id !== undefined && waiting.has(msg.id)) {
        const { resolve, reject } = waiting.get(msg.id);
        waiting.delete(msg.id);
        msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
      } else if (msg.method) {
        events.push(msg);
        for (const w of [...eventWaiters]) if (w.method === msg.method) { eventWaiters.delete(w); w.resolve(msg); }
      }
    }
  });
  const eventWaiters = new Set();
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const m = { id: ++id, method, params };
      if (sessionId) m.sessionId = sessionId;
      waiting.set(m.id, { resolve, reject });
      toChrome.write(JSON.stringify(m) + '\0');
    });
  const next = (method) => new Promise((resolve) => eventWaiters.add({ method, resolve }));
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    await send('Page.enable', {}, sessionId);
    const url = pathToFileURL(html).href;
    const loadPage = async () => {
      const loaded = next('Page.loadEventFired');
      await send('Page.navigate', { url }, sessionId);
      await loaded;
    };
    const print = async () => {
      const r = await send('Page.printToPDF', { printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false }, sessionId);
      return Buffer.from(r.data, 'base64').length;
    };
    await loadPage();
    let bytes = await print(); // warm-up
    await print();
    const printOnly = [];
    for (let i = 0; i < RUNS * 3; i++) {
      const t = now();
      bytes = await print();
      printOnly.push(now() - t);
    }
    const loadAndPrint = [];
    for (let i = 0; i < RUNS * 3; i++) {
      const t = now();
      await loadPage();
      await print();
      loadAndPrint.push(now() - t);
    }
    return {
      printOnlyMedianMs: median(printOnly),
      loadAndPrintMedianMs: median(loadAndPrint),
      bytes,
      printOnly,
      loadAndPrint,
    };
  } finally {
    child.kill('SIGTERM');
  }
}
result.chromiumWarm = await warmChromium();
result.libraryMs = args['library-ms'] !== undefined ? Number(args['library-ms']) : null;
result.libraryLoad = args['library-load'] ?? null; // the load while criterion measured it
result.loadAfter = load();
// Chromium may still be writing its profile as it exits: retry, never fail the run for it.
try {
  rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
} catch (e) {
  console.error(`bench-print: could not remove ${work}: ${e.code}`);
}
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const lib = result.libraryMs;
const c = result.cli;
const p = result.chromiumProcess;
const w = result.chromiumWarm;
const md = [
  `Printing one aftercare sheet, like for like (\`node scripts/bench-print.mjs\`; median of ${result.runs} process runs after one unmeasured run, ${result.runs * 3} warm calls; 1-minute load average ${result.loadBefore} before, ${result.loadAfter} after${result.libraryMs ? `; the library call measured by criterion at load ${result.libraryLoad ?? '?'}` : ''}; wall clock on a shared 2-core machine):`,
  '',
  '| comparison | Dermis | Chromium | Chromium ÷ Dermis | what the ratio means |',
  '|---|---:|---:|---:|---|',
  `| process vs process | \`dermis print aftercare\`: ${f(c.medianMs)} ms (${f(c.bytes / 1024)} KB; start, open, sign-in with Argon2id, PDF) | \`chromium --headless --print-to-pdf\`: ${f(p.medianMs)} ms (${f(p.bytes / 1024)} KB) | ${f(p.medianMs / c.medianMs)}× | one sheet printed from a command line or a script, nothing running before |`,
  `| warm vs warm | library call \`aftercare_sheet\`: ${lib === null ? 'not given' : `${f(lib, 2)} ms`} (criterion median) | running Chromium, page loaded, \`Page.printToPDF\`: ${f(w.printOnlyMedianMs)} ms (${f(w.bytes / 1024)} KB) | ${lib === null ? '–' : `${f(w.printOnlyMedianMs / lib)}×`} | one more sheet from an app that is already open (Dermis's print button against a web-stack app's) |`,
  `| warm, page loaded each time | (as above) | running Chromium, navigate + load + \`Page.printToPDF\`: ${f(w.loadAndPrintMedianMs)} ms | ${lib === null ? '–' : `${f(w.loadAndPrintMedianMs / lib)}×`} | the same when each sheet is a new page (a new patient's sheet) |`,
  '',
  'The earlier "430× faster than Chromium" divided a browser launch by a library call: it mixed the two rows above.',
].join('\n');
writeFileSync(path.join(OUT, 'print.json'), JSON.stringify(result, null, 2));
writeFileSync(path.join(OUT, 'print.md'), md + '\n');
console.log(md);
