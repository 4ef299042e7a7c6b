// Assembles BENCHMARKS.md from the raw results scripts/bench.sh leaves in
// target/bench-results/ (Markdown tables and TSVs written by the criterion
// benches, app.json from tests/e2e/bench/app.js, docs.txt from dermis-docs).
//
//   node scripts/bench-report.mjs --results DIR --main 100000 --scale "1000 10000 100000 1000000" \
//        --notes scripts/bench-notes.md --out BENCHMARKS.md [--smoke]

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
const num = (v) => (v === undefined || v === '' ? NaN : Number(v));
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const nice = (n) => n.toLocaleString('en-US');

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
const summary = [];
const search = tsv(`search-${MAIN}.tsv`);
const kinds = [...new Set(search.map((r) => r.kind))];
for (const kind of kinds) {
  const rows = search.filter((r) => r.kind === kind);
  const worst = rows.reduce((a, b) => (num(b.p99_ms) > num(a.p99_ms) ? b : a));
  const worstCpu = Math.max(...rows.map((r) => num(r.cpu_p99_ms)));
  const likeWorst = Math.max(...rows.map((r) => num(r.like_p99_ms)).filter(Number.isFinite));
  summary.push([
    `Search p99, ${kind} (worst of ${rows.map((r) => (r.query === '' ? '(list)' : r.query)).join(', ')})`,
    `${fmt(num(worst.p99_ms), 3)} ms (${worst.query === '' ? 'the list' : `\`${worst.query}\``}); CPU ${fmt(worstCpu, 3)} ms`,
    `${fmt(likeWorst, 1)} ms`,
    Number.isFinite(likeWorst) ? `${fmt(likeWorst / num(worst.p99_ms), 0)}×` : '–',
    '≤ 5 ms',
    verdict(num(worst.p99_ms), worstCpu, 5),
  ]);
}
const db = tsv(`database-${MAIN}.tsv`);
const dbRow = (id) => db.find((r) => r.what === id);
const open = dbRow('database/open');
if (open) summary.push(['Open + migrations, p99', `${fmt(num(open.p99_ms), 3)} ms (median ${fmt(num(open.median_ms), 3)})`, '–', '–', '≤ 100 ms', verdict(num(open.p99_ms), num(open.cpu_p99_ms), 100)]);
const plan = tsv('plan.tsv');
for (const r of plan) {
  summary.push([
    r.what === 'plan/propose' ? 'Propose one plan, p99' : 'Reschedule in a 6-session plan, p99',
    `${r.p99_us} µs (median ${r.median_us})`,
    '–',
    '–',
    '≤ 100 µs',
    verdict(num(r.p99_us), NaN, 100),
  ]);
}
const docs = read('docs.txt') ?? '';
const docsRan = /time:/.test(docs);
summary.push(['Documents (PDF)', docsRan ? 'see the Documents section' : 'see dermis-docs bench (not on this branch)', '–', '–', 'see dermis-docs', '–']);
const backup = dbRow('database/backup');
if (backup) summary.push(['Online backup + verification, p99', `${fmt(num(backup.p99_ms) / 1000, 2)} s (median ${fmt(num(backup.median_ms) / 1000, 2)} s; CPU ${fmt(num(backup.cpu_p99_ms) / 1000, 2)} s)`, '–', '–', '≤ 2 s', verdict(num(backup.p99_ms), num(backup.cpu_p99_ms), 2000)]);
const app = read('app.json') ? JSON.parse(read('app.json')) : null;
if (app) {
  const firstMs = app.first.processStartToLoginMs;
  const warmMs = app.warmMedianProcessStartToLoginMs;
  summary.push(['App start → login shown, first launch of the day (the daily backup starts in the background)', `${fmt(firstMs / 1000, 2)} s`, '–', '–', '≤ 1.5 s', firstMs <= 1500 ? 'met' : '**missed**']);
  summary.push(['App start → login shown, later launches (median of ' + app.warm.length + ')', `${fmt(warmMs / 1000, 2)} s`, '–', '–', '≤ 1.5 s', warmMs <= 1500 ? 'met' : '**missed**']);
  const m = app.first.memory;
  const c = app.chromium;
  summary.push([
    `App memory after ${app.idleSeconds} s idle on the patient list, PSS (RSS)`,
    `${fmt(m.pssMb, 0)} MB (${fmt(m.rssMb, 0)} MB)`,
    c ? `Chromium ${fmt(c.pssMb, 0)} MB (${fmt(c.rssMb, 0)} MB)` : '–',
    c ? `app/Chromium PSS ${fmt(m.pssMb / c.pssMb, 2)}×` : '–',
    '≤ 300 MB PSS',
    m.pssMb <= 300 ? 'met' : '**missed**',
  ]);
} else {
  summary.push(['App start-up and memory', 'not run (--skip-app / --smoke)', '–', '–', '≤ 1.5 s, ≤ 300 MB', '–']);
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
let appSection = 'Not run (`--skip-app` or `--smoke`).';
if (app) {
  const m = app.first.memory;
  const c = app.chromium;
  const procRows = (mem) => mem.processes.map((p) => [p.comm, String(p.pid), fmt(p.pssKb / 1024, 1), fmt(p.rssKb / 1024, 1)]);
  appSection = [
    `Release build with the UI embedded, under Xvfb (1280×800), fresh \`XDG_DATA_HOME\` holding a copy of the ${nice(app.patients ?? MAIN)}-patient demo database as \`org.dermis.app/dermis.db\`.`,
    '',
    table(
      ['launch', 'app process start → login shown', 'WebDriver new-session → login shown', 'WebDriver polls'],
      [
        ['1st (fresh data folder: first of the day, the automatic backup runs in the background)', `${app.first.processStartToLoginMs} ms`, `${app.first.sessionRequestToLoginMs} ms`, String(app.first.polls)],
        ...app.warm.map((w, i) => [`${i + 2} (today's backup exists)`, `${w.processStartToLoginMs} ms`, `${w.sessionRequestToLoginMs} ms`, String(w.polls)]),
      ],
    ),
    '',
    `Automatic backups made by the first launch: ${app.automaticBackupsAfterFirstLaunch.join(', ') || 'none'}.`,
    `After signing in: patient list shown ${app.first.patientListShownMs} ms after clicking Patients (${app.first.patientRows} rows on the first page; "${app.first.patientCountText}").`,
    '',
    `Memory after ${app.idleSeconds} s idle on the patient list: **PSS ${fmt(m.pssMb, 1)} MB, RSS ${fmt(m.rssMb, 1)} MB** (the app and its descendants):`,
    '',
    table(['process', 'pid', 'PSS MB', 'RSS MB'], procRows(m)),
    '',
    c
      ? `Baseline, headless Chromium (\`/usr/bin/chromium --headless --no-sandbox --disable-gpu\`) showing the ${c.note}, served from 127.0.0.1, after ${app.idleSeconds} s: **PSS ${fmt(c.pssMb, 1)} MB, RSS ${fmt(c.rssMb, 1)} MB** over ${c.processes.length} processes (${c.requestsServed} HTTP requests served). Ratio app/Chromium: PSS ${fmt(m.pssMb / c.pssMb, 2)}×, RSS ${fmt(m.rssMb / c.rssMb, 2)}×.`
      : 'Chromium baseline not run.',
    '',
    c ? table(['Chromium process', 'pid', 'PSS MB', 'RSS MB'], procRows(c)) : '',
  ].join('\n');
}

const docsSection = docsRan
  ? ['`cargo bench -p dermis-docs` (criterion output, as printed):', '', '```', ...docs.split('\n').filter((l) => /time:|^[a-z].*\/|thrpt:/.test(l)).slice(0, 80), '```'].join('\n')
  : 'See dermis-docs bench: `crates/dermis-docs` (with `benches/documents.rs`) is not on this branch yet. `scripts/bench.sh` runs `cargo bench -p dermis-docs` and puts its output here as soon as the crate exists.';

const commands = (read('commands.txt') ?? '').trim();
const notes = args.notes && existsSync(String(args.notes)) ? readFileSync(String(args.notes), 'utf8').trim() : '';

const out = [
  '# Benchmarks',
  '',
  args.smoke ? '> **Smoke run** (tiny databases, short runs, no app): these figures only show that the pipeline works.\n' : '',
  `Generated by \`bash scripts/bench.sh\` on ${machine.date ?? '?'} at commit ${machine.commit ?? '?'}. Figures are wall-clock times of single calls, timed one by one inside criterion's sampling (median and 99th percentile over every call); "CPU" is the calling thread's CPU time for the same calls, which leaves out time spent waiting for a core that other processes held. This machine is shared with other builds: see the load averages below.`,
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
      ['load average (1, 5, 15 min) at start / end', `${machine.load_start ?? '?'} / ${machine.load_end ?? '?'}`],
    ],
  ),
  '',
  '## Budgets',
  '',
  table(['what', `figure (${nice(MAIN)} patients)`, 'baseline', 'ratio', 'budget', 'verdict'], summary),
  '',
  notes,
  '',
  `## Search, ${nice(MAIN)} patients`,
  '',
  'Through dermis-clinic (`Clinic::search_patients` with a signed-in session: what the app\'s search box calls). Baseline: a plain `LIKE \'%q%\'` over the name, phone and date-of-birth columns of the same `patients` table, first page in list order, on its own read-only connection; its SQL is in `crates/dermis-clinic/benches/search.rs` (bench code, not product code). SQLite\'s LIKE folds ASCII case only, so it finds nothing for lower-case Greek or Cyrillic, accents typed differently, or phone digits typed without the spaces — the "found" columns show it.',
  '',
  read(`search-${MAIN}.md`) ?? 'not run',
  '',
  `## Open and backup, ${nice(MAIN)} patients`,
  '',
  read(`database-${MAIN}.md`) ?? 'not run',
  '',
  '## Search beside a scanning connection and beside the backup',
  '',
  'What the search box costs while another connection in the same process reads the whole file, and while the backup copies and verifies it (`crates/dermis-clinic/benches/beside.rs`). "pages read / search" counts the app connection\'s page-cache misses (`SQLITE_DBSTATUS_CACHE_MISS`); the "-shared" tables, when present, were measured with SQLite built as rusqlite bundles it (`SQLITE_ENABLE_MEMORY_MANAGEMENT`: one page-cache pool for every connection in the process; `LIBSQLITE3_FLAGS= cargo bench ...`), the others as Dermis builds it (.cargo/config.toml: a cache per connection).',
  '',
  ...scaleNs.flatMap((n) => [read(`beside-${n}-shared.md`), read(`beside-${n}.md`)].filter(Boolean).flatMap((t) => [t, ''])),
  '',
  '## Plan engine',
  '',
  read('plan.md') ?? 'not run',
  '',
  '## Documents',
  '',
  docsSection,
  '',
  '## The app',
  '',
  appSection,
  '',
  '## Scale',
  '',
  `Same demo generator, same queries (the 3-character name query of each script, phone digits, a date of birth, the list), no baseline. Growth is the exponent k in median time ≈ n^k from 10,000 to the largest database (k ≈ 0: flat or log n; k ≈ 1: linear); 1,000 is left out of k because there many queries do not fill a 50-row page. A date of birth matches ~n/21,000 patients, so that query grows with its matches until they fill a page.`,
  '',
  table(['', ...scaleNs.map((n) => `${nice(n)} patients`), 'growth'], scaleRows),
  '',
  '## Reproduce',
  '',
  '```sh',
  'bash scripts/bench.sh              # everything: builds, demo databases, benches, app, this file',
  'bash scripts/bench.sh --skip-app   # without the desktop app and Chromium',
  'bash scripts/bench.sh --smoke      # tiny sizes, no app: the pipeline only',
  '# one bench at a time (databases in target/bench-data, made by `dermis demo` or by the bench itself):',
  'cargo bench -p dermis-core --bench plan',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench search',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench database',
  'DERMIS_BENCH_PATIENTS=100000 cargo bench -p dermis-clinic --bench beside',
  '# the smoke step of scripts/test.sh (each bench once, 200 patients, debug build):',
  'DERMIS_BENCH_PATIENTS=200 cargo test -p dermis-core -p dermis-clinic --bench plan --bench search --bench database',
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
console.log(table(['what', `figure (${nice(MAIN)} patients)`, 'baseline', 'ratio', 'budget', 'verdict'], summary));
console.log('');
console.log(table(['', ...scaleNs.map((n) => `${nice(n)} patients`), 'growth'], scaleRows));
