// Assembles BENCHMARKS.md from the raw results scripts/bench.sh leaves in
// target/bench-results/ (Markdown tables and TSVs written by the criterion
// benches, app.json from tests/e2e/bench/app.js, print.md from
// scripts/bench-print.mjs, docs.txt from dermis-docs), plus two hand-written
// files: the findings (--notes) and sections measured by other commands
// (--extra, e.g. the clinic server's bench), each dated in its own text.
// One table per question a reader has; every figure carries the 1-minute load
// average it was measured at (the machine is shared with other builds).
//
//   node scripts/bench-report.mjs --results DIR --main 100000 --scale "1000 10000 100000 1000000" \
//        --notes scripts/bench-notes.md --extra scripts/bench-server.md --out BENCHMARKS.md [--smoke]

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = process.argv[i].match(/^--([\w-]+)$/);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]}`);
  const next = process.argv[i + 1];
  args[m[1]] = next === undefined || next.startsWith('--') ? true : (i++, next);
}
const R = path.resolve(String(args.results));
const MAIN = Number(args.main);
const SCALE = String(args.scale ?? '')
  .split(/\s+/)
  .filter(Boolean)
  .map(Number);
const read = (f) => (existsSync(path.join(R, f)) ? readFileSync(path.join(R, f), 'utf8') : null);
const tsv = (f) => {
  const t = read(f);
  if (!t) return [];
  const [head, ...lines] = t.trim().split('\n');
  const keys = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
};
// Tables carried from an earlier run by scripts/bench-carry.mjs: file -> where from.
const carried = Object.fromEntries(
  (existsSync(path.join(R, 'carried.tsv')) ? readFileSync(path.join(R, 'carried.tsv'), 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')),
);
/** A result file's text, with a line saying where it comes from when this run did not measure it. */
const section = (f) => {
  const t = read(f);
  if (t === null) return null;
  return carried[f] ? `*Not measured again in this run: carried from the run of ${carried[f]}.*\n\n${t.trim()}` : t;
};
const num = (v) => (v === undefined || v === '' ? NaN : Number(v));
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const nice = (n) => n.toLocaleString('en-US');
/** "1-minute load average A before, B after" in a bench's caption, as "A–B" (or "?"). */
const loadOf = (text) => {
  const m = /load average ([\d.]+) before, ([\d.]+) after/.exec(text ?? '');
  return m ? `${m[1]}–${m[2]}` : 'not recorded';
};

const machine = Object.fromEntries(
  (read('machine.txt') ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

function verdict(wall, cpu, budget) {
  if (!Number.isFinite(wall)) return '–';
  if (wall <= budget) return 'met';
  if (Number.isFinite(cpu) && cpu <= budget) return 'met on CPU time; wall p99 over (other load)';
  return '**missed**';
}

// ---------------------------------------------------------------- summary
// [what, figure, load, baseline, ratio, budget, verdict]
const summary = [];
const search = tsv(`search-${MAIN}.tsv`);
const searchLoad = loadOf(read(`search-${MAIN}.md`)) + (carried[`search-${MAIN}.md`] ? ' (earlier run)' : '');
const kinds = [...new Set(search.map((r) => r.kind))];
for (const kind of kinds) {
  const rows = search.filter((r) => r.kind === kind);
  const worst = rows.reduce((a, b) => (num(b.p99_ms) > num(a.p99_ms) ? b : a));
  const worstCpu = Math.max(...rows.map((r) => num(r.cpu_p99_ms)));
  const likeWorst = Math.max(...rows.map((r) => num(r.like_p99_ms)).filter(Number.isFinite));
  summary.push([
    `Search p99, ${kind} (worst of ${rows.map((r) => (r.query === '' ? '(list)' : r.query)).join(', ')})`,
    `${fmt(num(worst.p99_ms), 3)} ms (${worst.query === '' ? 'the list' : `\`${worst.query}\``}); CPU ${fmt(worstCpu, 3)} ms`,
    searchLoad,
    `${fmt(likeWorst, 1)} ms`,
    Number.isFinite(likeWorst) ? `${fmt(likeWorst / num(worst.p99_ms), 0)}×` : '–',
    '≤ 5 ms',
    verdict(num(worst.p99_ms), worstCpu, 5),
  ]);
}
const db = tsv(`database-${MAIN}.tsv`);
const dbLoad = loadOf(read(`database-${MAIN}.md`)) + (carried[`database-${MAIN}.md`] ? ' (earlier run)' : '');
const dbRow = (id) => db.find((r) => r.what === id);
const open = dbRow('database/open');
if (open) summary.push(['Open + migrations, p99', `${fmt(num(open.p99_ms), 3)} ms (median ${fmt(num(open.median_ms), 3)}; CPU p99 ${fmt(num(open.cpu_p99_ms), 3)})`, dbLoad, '–', '–', '≤ 100 ms', verdict(num(open.p99_ms), num(open.cpu_p99_ms), 100)]);
const plan = tsv('plan.tsv');
const planLoad = loadOf(read('plan.md')) + (carried['plan.md'] ? ' (earlier run)' : '');
for (const r of plan) {
  summary.push([
    r.what === 'plan/propose' ? 'Propose one plan, p99' : 'Reschedule in a 6-session plan, p99',
    `${r.p99_us} µs (median ${r.median_us})`,
    planLoad,
    '–',
    '–',
    '≤ 100 µs',
    verdict(num(r.p99_us), NaN, 100),
  ]);
}
const docs = read('docs.txt') ?? '';
const docsRan = /time:/.test(docs);
const printJson = read('print.json') ? JSON.parse(read('print.json')) : null;
if (printJson?.libraryMs) {
  summary.push(['One aftercare sheet (PDF), library call, criterion median', `${fmt(printJson.libraryMs, 2)} ms`, printJson.libraryLoad ?? '?', `running Chromium ${fmt(printJson.chromiumWarm.printOnlyMedianMs, 1)} ms`, `${fmt(printJson.chromiumWarm.printOnlyMedianMs / printJson.libraryMs, 1)}×`, '≤ 5 ms', printJson.libraryMs <= 5 ? 'met' : '**missed**']);
} else {
  summary.push(['Documents (PDF)', docsRan ? 'see "Documents"' : 'not run', '–', '–', '–', 'see dermis-docs', '–']);
}
const backup = dbRow('database/backup');
if (backup) summary.push(['Backup + verification, p99 (in the background: saving waits only for the copy, ~0.06–0.09 s)', `${fmt(num(backup.p99_ms) / 1000, 2)} s (median ${fmt(num(backup.median_ms) / 1000, 2)} s; CPU p99 ${fmt(num(backup.cpu_p99_ms) / 1000, 2)} s)`, dbLoad, '–', '–', '≤ 2 s', verdict(num(backup.p99_ms), num(backup.cpu_p99_ms), 2000)]);
const app = read('app.json') ? JSON.parse(read('app.json')) : null;
const mem = app ? app.first.memory : null;
if (app) {
  const firstMs = app.first.processStartToLoginMs;
  const warmMs = app.warmMedianProcessStartToLoginMs;
  const cold = /^yes/.test(app.first.coldPageCache ?? '') ? 'cold page cache, ' : '';
  summary.push([`App start → login form shown, first launch of the day (${cold}the daily backup starts in the background)`, `${fmt(firstMs / 1000, 2)} s`, String(app.first.load1 ?? '?'), '–', '–', '≤ 1.5 s', firstMs <= 1500 ? 'met' : '**missed**']);
  summary.push(['App start → login form shown, later launches (median of ' + app.warm.length + ')', `${fmt(warmMs / 1000, 2)} s`, app.warm.map((w) => w.load1 ?? '?').join(', '), '–', '–', '≤ 1.5 s', warmMs <= 1500 ? 'met' : '**missed**']);
  const c = app.chromium;
  summary.push([
    `App memory after ${app.idleSeconds} s idle on ${app.first.idleScreen === 'patients' ? 'the patient list' : 'Today'}, PSS (RSS), all its processes`,
    `${fmt(mem.pssMb, 0)} MB (${fmt(mem.rssMb, 0)} MB)${mem.alonePssMb ? `; ${fmt(mem.alonePssMb, 0)} MB PSS alone` : ''}`,
    String(mem.load1 ?? '?'),
    c ? `Chromium ${fmt(c.pssMb, 0)} MB (${fmt(c.rssMb, 0)} MB)` : '–',
    c ? `app/Chromium PSS ${fmt(mem.pssMb / c.pssMb, 2)}×` : '–',
    '≤ 200 MB PSS (issue 23)',
    mem.pssMb <= 200 ? 'met' : '**missed**',
  ]);
} else {
  summary.push(['App start-up and memory', 'not run (--skip-app / --smoke)', '–', '–', '–', '≤ 1.5 s, ≤ 200 MB', '–']);
}

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ---------------------------------------------------------------- scale
function growth(values) {
  // values: [[n, x]...]; the exponent k of x ~ n^k between the smallest and largest n.
  let v = values.filter(([, x]) => Number.isFinite(x) && x > 0);
  // From 10,000 patients on, when there are two such sizes: below that, many
  // queries do not fill a page, so they do less work for another reason than n.
  if (v.filter(([n]) => n >= 10_000).length >= 2) v = v.filter(([n]) => n >= 10_000);
  if (v.length < 2) return '–';
  const [n0, x0] = v[0];
  const [n1, x1] = v[v.length - 1];
  const k = Math.log(x1 / x0) / Math.log(n1 / n0);
  const word = k < 0.15 ? 'flat / like log n' : k > 0.8 ? 'like n' : `between (≈ n^${k.toFixed(2)})`;
  return `${word} (×${fmt(x1 / x0, 1)} for ×${nice(n1 / n0)} patients)`;
}
const scaleNs = [...new Set([...SCALE, MAIN])].filter(Boolean).sort((a, b) => a - b);
const scaleRows = [];
const searchAt = Object.fromEntries(scaleNs.map((n) => [n, tsv(`search-${n}.tsv`)]));
const dbAt = Object.fromEntries(scaleNs.map((n) => [n, tsv(`database-${n}.tsv`)]));
const labels = ['latin-3', 'accented-3', 'greek-3', 'cyrillic-3', 'arabic-3', 'cjk-3', 'phone-3', 'dob-iso', 'list'];
for (const label of labels) {
  const cells = scaleNs.map((n) => {
    const r = searchAt[n].find((x) => x.label === label);
    return r ? [num(r.median_ms), num(r.p99_ms)] : [NaN, NaN];
  });
  if (cells.every(([m]) => !Number.isFinite(m))) continue;
  const r0 = search.find((x) => x.label === label);
  const q = r0 ? (r0.query === '' ? '(list)' : `\`${r0.query}\``) : label;
  scaleRows.push([`search ${q}, median (p99) ms`, ...cells.map(([m, p]) => `${fmt(m, 3)} (${fmt(p, 3)})`), growth(scaleNs.map((n, i) => [n, cells[i][0]]))]);
}
for (const [id, what, div, unit] of [
  ['database/open', 'open + migrations, median (p99)', 1, 'ms'],
  ['database/backup', 'backup + verification, median (p99)', 1000, 's'],
]) {
  const cells = scaleNs.map((n) => {
    const r = dbAt[n].find((x) => x.what === id);
    return r ? [num(r.median_ms) / div, num(r.p99_ms) / div] : [NaN, NaN];
  });
  if (cells.every(([m]) => !Number.isFinite(m))) continue;
  scaleRows.push([`${what} ${unit}`, ...cells.map(([m, p]) => `${fmt(m, div === 1 ? 3 : 2)} (${fmt(p, div === 1 ? 3 : 2)})`), growth(scaleNs.map((n, i) => [n, cells[i][0]]))]);
}
{
  const cells = scaleNs.map((n) => {
    const r = dbAt[n].find((x) => x.what === 'database/open');
    return r ? num(r.db_bytes) / 1e6 : NaN;
  });
  scaleRows.push(['database file, MB', ...cells.map((x) => fmt(x, 1)), growth(scaleNs.map((n, i) => [n, cells[i]]))]);
}

// ---------------------------------------------------------------- app detail
let startSection = 'Not run (`--skip-app` or `--smoke`).';
let memorySection = 'Not run (`--skip-app` or `--smoke`).';
if (app) {
  const c = app.chromium;
  startSection = [
    `Release build with the UI embedded (\`cargo build --release -p dermis-app --features custom-protocol\`), under Xvfb (1280×800), started by tauri-driver/WebKitWebDriver; a fresh \`XDG_DATA_HOME\` holding a copy of the ${nice(app.patients ?? MAIN)}-patient demo database as \`org.dermis.app/dermis.db\`. Clock: the app process's start time in /proc/PID/stat and the moment the login form is displayed (polled over WebDriver every few ms), both on the since-boot clock (/proc/uptime; 10 ms resolution). First launch: ${app.first.coldPageCache ?? 'page cache not dropped'}; the data folder has no backup of today, so the app starts its daily backup (in the background).`,
    '',
    table(
      ['launch', 'app process start → login shown', 'WebDriver new-session → login shown', 'WebDriver polls', 'load (1 min)'],
      [
        [`1st (first of the day${/^yes/.test(app.first.coldPageCache ?? '') ? ', cold page cache' : ''}; the daily backup starts in the background)`, `${app.first.processStartToLoginMs} ms`, `${app.first.sessionRequestToLoginMs} ms`, String(app.first.polls), String(app.first.load1 ?? '?')],
        ...app.warm.map((w, i) => [`${i + 2} (today's backup exists, warm page cache)`, `${w.processStartToLoginMs} ms`, `${w.sessionRequestToLoginMs} ms`, String(w.polls), String(w.load1 ?? '?')]),
      ],
    ),
    '',
    `Automatic backups made by the first launch: ${app.automaticBackupsAfterFirstLaunch.join(', ') || 'none'}.`,
    `After signing in: Today shown ${app.first.todayShownMs ?? '?'} ms after "Sign in"; the patient list ${app.first.patientListShownMs} ms after clicking Patients (${app.first.patientRows} rows on the first page; "${app.first.patientCountText}").`,
  ].join('\n');
  const procRows = (m) => m.processes.map((p) => [p.comm, fmt(p.pssKb / 1024, 1), fmt((p.pssAnonKb ?? NaN) / 1024, 1), fmt((p.pssFileKb ?? NaN) / 1024, 1), fmt((p.pssShmemKb ?? NaN) / 1024, 1), fmt(p.rssKb / 1024, 1), p.alonePssKb === undefined ? '–' : fmt(p.alonePssKb / 1024, 1)]);
  const procHead = (what) => [what, 'PSS MB', 'anonymous', 'file', 'shmem', 'RSS MB', 'PSS alone MB'];
  const parts = (list) => list.map(([k, mb]) => `${k} ${fmt(mb, 1)}`).join('; ');
  const where = mem.processes
    .filter((p) => p.where)
    .map((p) => [p.comm, parts(p.where), p.aloneWhere ? parts(p.aloneWhere) : '–']);
  const alone = (m) => (m.alonePssMb === null || m.alonePssMb === undefined ? '' : `; **PSS alone ${fmt(m.alonePssMb, 1)} MB**`);
  memorySection = [
    `After signing in as the demo admin, opening the patient list and going back to ${mem && app.first.idleScreen === 'patients' ? 'the patient list' : 'Today'}, idle ${app.idleSeconds} s; then \`/proc/PID/smaps_rollup\` of the app and each of its descendants (1-minute load average ${mem.load1 ?? '?'}). **Total PSS ${fmt(mem.pssMb, 1)} MB, RSS ${fmt(mem.rssMb, 1)} MB**${alone(mem)}. PSS divides each shared page between the processes mapping it; "anonymous" is memory the process allocated (heaps, JavaScript, stacks), "file" is mapped code and data (libraries, fonts), "shmem" shared buffers. The kernel's PSS also divides a library's pages with every other program on the machine that maps them (other WebKit apps, test runs): on a shared machine the same app "weighs" less. "PSS alone" divides each page (by its frame number in \`/proc/PID/pagemap\`) only between the app's own processes: what the app costs on a machine where nothing else maps its libraries, and the figure that does not move with what else runs.`,
    '',
    table(procHead('process'), procRows(mem)),
    '',
    'Where each process\'s memory goes (MB, largest first, from `/proc/PID/smaps`; "alone" from `/proc/PID/pagemap` as above):',
    '',
    table(['process', 'largest parts, kernel PSS (MB)', 'largest parts, PSS alone (MB)'], where),
    '',
    c
      ? `Baseline, headless Chromium (\`/usr/bin/chromium --headless --no-sandbox --disable-gpu\`) showing the ${c.note}, served from 127.0.0.1, after ${app.idleSeconds} s (load ${c.load1 ?? '?'}): **PSS ${fmt(c.pssMb, 1)} MB, RSS ${fmt(c.rssMb, 1)} MB**${alone(c)} over ${c.processes.length} processes (${c.requestsServed} HTTP requests served). Ratio app/Chromium: PSS ${fmt(mem.pssMb / c.pssMb, 2)}×, RSS ${fmt(mem.rssMb / c.rssMb, 2)}×.`
      : 'Chromium baseline not run.',
    '',
    c ? table(procHead('Chromium process'), procRows(c)) : '',
    '',
    ...(app.webkitFloor?.processes
      ? [
          `The floor under any WebKitGTK app on this machine: ${app.webkitFloor.note} (load ${app.webkitFloor.load1 ?? '?'}): **PSS ${fmt(app.webkitFloor.pssMb, 1)} MB**${alone(app.webkitFloor)}. Dermis above it: PSS ${fmt(mem.pssMb - app.webkitFloor.pssMb, 1)} MB${mem.alonePssMb && app.webkitFloor.alonePssMb ? `, PSS alone ${fmt(mem.alonePssMb - app.webkitFloor.alonePssMb, 1)} MB` : ''}.`,
          '',
          table(procHead('MiniBrowser process'), procRows(app.webkitFloor)),
          '',
          table(['MiniBrowser process', 'largest parts, PSS alone (MB)'], app.webkitFloor.processes.map((p) => [p.comm, p.aloneWhere ? parts(p.aloneWhere) : '–'])),
        ]
      : []),
  ].join('\n');
}

const docsSection = docsRan
  ? ['`cargo bench -p dermis-docs` (criterion output, release, as printed; its load average is in the printing section):', '', '```', ...docs.split('\n').filter((l) => /time:|^[a-z].*\/|thrpt:/.test(l)).slice(0, 80), '```'].join('\n')
  : 'Not run in this report (`scripts/bench.sh` runs `cargo bench -p dermis-docs` and puts its output here).';

const commands = (read('commands.txt') ?? '').trim();
const fileOf = (a) => (a && a !== true && existsSync(String(a)) ? readFileSync(String(a), 'utf8').trim() : '');
const notes = fileOf(args.notes);
const extra = fileOf(args.extra);
const loadStart = machine.load_start ?? '?';
const loadEnd = machine.load_end ?? '?';

const out = [
  '# Benchmarks',
  '',
  args.smoke ? '> **Smoke run** (tiny databases, short runs, no app): these figures only show that the pipeline works.\n' : '',
  `Generated by ${machine.how ?? '\`bash scripts/bench.sh\`'} (then \`node scripts/bench-report.mjs\`) on ${machine.date ?? '?'} at commit ${machine.commit ?? '?'}. **This 2-core machine was shared with three other engineers' builds during the run** (1-minute load average ${loadStart.split(' ')[0]} at the start, ${loadEnd.split(' ')[0]} at the end; every table gives the load it was measured at). Wall-clock tails (p99, max) are mostly time spent waiting for a core; prefer the "CPU" columns (the calling thread's own CPU time), which are what the code costs. Figures are single calls timed one by one inside criterion's sampling (median and 99th percentile over every call).`,
  '',
  '## Machine',
  '',
  table(
    ['', ''],
    [
      ['CPU', machine.cpu ?? '?'],
      ['cores (`nproc`)', machine.nproc ?? '?'],
      ['RAM', `${machine.ram_gib ?? '?'} GiB`],
      ['OS / kernel', `${machine.os ?? '?'} / ${machine.kernel ?? '?'}`],
      ['Rust', machine.rustc ?? '?'],
      ['load average (1, 5, 15 min) at start / end', `${loadStart} / ${loadEnd}`],
    ],
  ),
  '',
  '## Is every budget met?',
  '',
  table(['what', `figure (${nice(MAIN)} patients)`, 'load (1 min)', 'baseline', 'ratio', 'budget', 'verdict'], summary),
  '',
  notes,
  '',
  '## How long until the login form? (start-up)',
  '',
  startSection,
  '',
  '## How much memory does the open app take, and where?',
  '',
  memorySection,
  '',
  '## Printing a sheet: Dermis against a web stack, like for like',
  '',
  read('print.md') ?? 'Not run in this report.',
  '',
  `## How fast is search? (${nice(MAIN)} patients)`,
  '',
  'Through dermis-clinic (`Clinic::search_patients` with a signed-in session: what the app\'s search box calls). Baseline: a plain `LIKE \'%q%\'` over the name, phone and date-of-birth columns of the same `patients` table, first page in list order, on its own read-only connection; its SQL is in `crates/dermis-clinic/benches/search.rs` (bench code, not product code). SQLite\'s LIKE folds ASCII case only, so it finds nothing for lower-case Greek or Cyrillic, accents typed differently, or phone digits typed without the spaces — the "found" columns show it.',
  '',
  section(`search-${MAIN}.md`) ?? 'not run',
  '',
  '## Does other work in the process slow search? (a scanning connection, the daily backup)',
  '',
  'What the search box costs while another connection in the same process reads the whole file, and while the backup copies and verifies it (`crates/dermis-clinic/benches/beside.rs`). "pages read / search" counts the app connection\'s page-cache misses (`SQLITE_DBSTATUS_CACHE_MISS`); the "-shared" tables, when present, were measured with SQLite built as rusqlite bundles it (`SQLITE_ENABLE_MEMORY_MANAGEMENT`: one page-cache pool for every connection in the process; `LIBSQLITE3_FLAGS= cargo bench ...`), the others as Dermis builds it (.cargo/config.toml: a cache per connection). `crates/dermis-store/tests/page_cache.rs` fails if a scanning connection makes the app\'s connection re-read pages.',
  '',
  ...[...new Set([...scaleNs, 1_000_000])].flatMap((n) => [section(`beside-${n}-shared.md`), section(`beside-${n}.md`)].filter(Boolean).flatMap((t) => [t, ''])),
  '',
  `## How long do open and backup take? (${nice(MAIN)} patients)`,
  '',
  section(`database-${MAIN}.md`) ?? 'not run',
  '',
  `## What does encryption at rest cost? (${nice(MAIN)} patients)`,
  '',
  'The same demo clinic as a plaintext database and as an encrypted one (a copy converted by `Clinic::encrypt_existing`: SQLCipher 4, AES-256 + HMAC-SHA512 per page), measured in alternation in one process (`crates/dermis-clinic/benches/encrypted.rs`); the issue asks for each within 1.3×. "Open" is what a user waits for at sign-in: the database opened, the password checked (the encrypted clinic\'s also unwraps the data key), the first search answered. Backup + verification is also split into its two phases. The CPU-time ratio is this thread\'s CPU time, which the other processes on the shared machine barely move; the wall-clock ratio is the one judged.',
  '',
  section(`encrypted-${MAIN}.md`) ?? 'not run',
  '',
  '## Plan engine',
  '',
  section('plan.md') ?? 'not run',
  '',
  '## Documents',
  '',
  docsSection,
  '',
  '## How does it grow with the clinic? (scale)',
  '',
  `Same demo generator, same queries (the 3-character name query of each script, phone digits, a date of birth, the list), no baseline. Growth is the exponent k in median time ≈ n^k from 10,000 to the largest database (k ≈ 0: flat or log n; k ≈ 1: linear); 1,000 is left out of k because there many queries do not fill a 50-row page. A date of birth matches ~n/21,000 patients, so that query grows with its matches until they fill a page.${scaleNs.length < 2 ? ' **This run measured one size only (`--skip-scale`).**' : ''}`,
  '',
  scaleNs.length < 2 && read('scale.md') ? section('scale.md') : table(['', ...scaleNs.map((n) => `${nice(n)} patients`), 'growth'], scaleRows),
  '',
  extra,
  '',
  '## Reproduce',
  '',
  '```sh',
  'bash scripts/bench.sh              # everything: builds, demo databases, benches, app, this file',
  'bash scripts/bench.sh --skip-app   # without the desktop app and Chromium',
  'bash scripts/bench.sh --skip-scale # only the main size (100,000 patients)',
  'bash scripts/bench.sh --smoke      # tiny sizes, no app: the pipeline only',
  '# one bench at a time (databases in target/bench-data, made by `dermis demo` or by the bench itself):',
  'cargo bench -p dermis-core --bench plan',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench search',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench database',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench beside',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench encrypted',
  '# the smoke step of scripts/test.sh (each bench once, 200 patients, debug build):',
  'DERMIS_BENCH_PATIENTS=200 cargo test -p dermis-core -p dermis-clinic --bench plan --bench search --bench database --bench encrypted',
  '```',
  '',
  'The commands this run executed, in order:',
  '',
  '```',
  commands,
  '```',
  '',
].join('\n');
writeFileSync(String(args.out), out);
// Every figure in one table on the terminal too.
console.log(table(['what', `figure (${nice(MAIN)} patients)`, 'load (1 min)', 'baseline', 'ratio', 'budget', 'verdict'], summary));
console.log('');
console.log(table(['', ...scaleNs.map((n) => `${nice(n)} patients`), 'growth'], scaleRows));
