// Carries tables that a run did not measure again from the previous
// BENCHMARKS.md into the results folder, so scripts/bench-report.mjs can
// regenerate the whole file from one place while saying, beside each carried
// table, which run it comes from. Only files the run did not write are
// carried: a fresh measurement always wins.
//
//   node scripts/bench-carry.mjs --from BENCHMARKS.md --results target/bench-results \
//        --search "2026-11-24, commit efb7a5b" --beside "2026-11-30, commit a9a6879" ...
//
// Each option names where one kind of table comes from (it is printed beside
// the table); a kind without an option is not carried. Kinds: search,
// database, encrypted (plaintext beside encrypted), plan (the 100,000-patient tables and their captions, which carry
// their own load averages), beside (every "Search beside other work" table
// with a page cache per connection), beside-shared (the same with SQLite's
// shared page-cache pool),
// scale (the scale table), print (the like-for-like printing section and its
// summary figures), docs (the criterion lines of the Documents section). Writes <file>.md (and the .tsv the summary reads)
// and appends "<file>\t<where from>" to carried.tsv.

import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = process.argv[i].match(/^--([\w-]+)$/);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]}`);
  args[m[1]] = process.argv[++i];
}
const R = path.resolve(String(args.results));
const lines = readFileSync(String(args.from), 'utf8').split('\n');

/** The caption line starting with `start` and the Markdown table after it. */
function blocks(start) {
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(start)) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('|')) j++;
    let k = j;
    while (k < lines.length && lines[k].startsWith('|')) k++;
    if (k > j) out.push(Object.assign(lines.slice(i, k), { at: i }));
  }
  return out;
}

/**
 * Where a table of the previous file was itself carried from, if it was: the
 * "*Not measured again ... carried from the run of X.*" line just above its
 * caption. A table carried twice keeps the run that measured it.
 */
function origin(block, fallback) {
  for (let i = (block.at ?? 0) - 1; i >= 0 && i >= block.at - 4; i--) {
    const m = /^\*Not measured again in this run: carried from the run of (.*)\.\*$/.exec(lines[i]);
    if (m) return m[1];
    if (lines[i].startsWith('|') || lines[i].startsWith('## ')) break;
  }
  return fallback;
}
const cells = (row) => row.split('|').slice(1, -1).map((c) => c.trim());
const rows = (block) => block.filter((l) => l.startsWith('|')).slice(2).map(cells);
const unquote = (q) => (q.startsWith('(empty') ? '' : q.replace(/^`|`$/g, ''));

function carry(file, text, where, tsv) {
  if (existsSync(path.join(R, file))) return; // measured in this run
  writeFileSync(path.join(R, file), text + '\n');
  if (tsv) writeFileSync(path.join(R, file.replace(/\.md$/, '.tsv')), tsv);
  appendFileSync(path.join(R, 'carried.tsv'), `${file}\t${where}\n`);
  console.error(`bench-carry: ${file} from ${where}`);
}

if (args.search) {
  const [b] = blocks('Search, 100000 patients (');
  if (b) {
    const tsv = ['kind\tlabel\tquery\tchars\tfound\tmedian_ms\tp99_ms\tcpu_p99_ms\tcalls\tlike_found\tlike_median_ms\tlike_p99_ms']
      .concat(rows(b).map((c) => [c[0], '', unquote(c[1]), c[2], c[3], c[4], c[5], c[6], '', c[7], c[8], c[9]].join('\t')))
      .join('\n');
    carry('search-100000.md', b.join('\n'), origin(b, args.search), tsv + '\n');
  }
}
if (args.database) {
  const [b] = blocks('Database, 100000 patients (');
  if (b) {
    const id = (op) => (op.includes('open') ? 'database/open' : 'database/backup');
    const tsv = ['what\tmedian_ms\tp99_ms\tcpu_p99_ms\tcalls']
      .concat(rows(b).map((c) => [id(c[0]), c[1], c[2], c[3], c[4]].join('\t')))
      .join('\n');
    carry('database-100000.md', b.join('\n'), origin(b, args.database), tsv + '\n');
  }
}
if (args.encrypted) {
  const [b] = blocks('Encrypted beside plaintext, 100000 patients (');
  if (b) carry('encrypted-100000.md', b.join('\n'), args.encrypted);
}
if (args.plan) {
  const [b] = blocks('Plan engine:');
  if (b) {
    const tsv = ['what\tmedian_us\tp99_us\tcalls']
      .concat(rows(b).map((c) => [c[0].includes('propose') ? 'plan/propose' : 'plan/reschedule', c[1], c[2], c[3]].join('\t')))
      .join('\n');
    carry('plan.md', b.join('\n'), origin(b, args.plan), tsv + '\n');
  }
}
if (args.beside) {
  for (const b of blocks('Search beside other work in the process, ')) {
    const n = /process, (\d+) patients/.exec(b[0])[1];
    const shared = b[0].includes('shared by every connection') ? '-shared' : '';
    const where = shared ? args['beside-shared'] : args.beside;
    if (where) carry(`beside-${n}${shared}.md`, b.join('\n'), origin(b, where));
  }
}
/** The lines after the heading `head` up to the next "## " heading, trimmed. */
function section(head) {
  const i = lines.indexOf(head);
  if (i < 0) return null;
  let k = i + 1;
  while (k < lines.length && !lines[k].startsWith('## ')) k++;
  return lines.slice(i + 1, k).join('\n').trim();
}
if (args.print) {
  // The like-for-like printing section as it stands, and the summary row's
  // figures (library call, running Chromium) for the budget table.
  const text = section('## Printing a sheet: Dermis against a web stack, like for like');
  const row = lines.find((l) => l.startsWith('| One aftercare sheet (PDF), library call'));
  if (text && !text.startsWith('Not run')) {
    carry('print.md', `${text}\n\n(Carried from ${args.print}.)`, args.print);
    if (row && !existsSync(path.join(R, 'print.json'))) {
      const c = cells(row);
      const lib = Number.parseFloat(c[1]);
      const chrome = Number.parseFloat((/running Chromium ([\d.]+) ms/.exec(c[3]) ?? [])[1]);
      if (lib && chrome) {
        writeFileSync(path.join(R, 'print.json'), JSON.stringify({ libraryMs: lib, libraryLoad: `${c[2]} (earlier run)`, chromiumWarm: { printOnlyMedianMs: chrome } }) + '\n');
      }
    }
  }
}
if (args.docs) {
  // The criterion lines of `cargo bench -p dermis-docs` (the Documents section's code block).
  const text = section('## Documents');
  const code = text ? /```\n([\s\S]*?)\n```/.exec(text) : null;
  if (code && /time:/.test(code[1])) carry('docs.txt', code[1], args.docs);
}
if (args.scale) {
  const [b] = blocks('|  | 1,000 patients');
  if (b) carry('scale.md', b.join('\n'), origin(b, args.scale));
}
