// Sessions on the real app, from a clinic prepared with the command line
// (clinic, account, patient, screening, three assessments, a plan starting
// today): the progress chart, recording session 1 through the form (one depth
// above the chart, confirmed), healing with 5 days of redness moving session 2
// about a week later with the reason in the plan, and before/after photos.
//
// E2E_UPDATE_SCREENSHOTS=1 also copies the screenshots of the session form, the
// progress chart and the before/after view to docs/screenshots/.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, tid, shown, fill, click, callBackend, TIMEOUTS, REPO_ROOT } from '../lib/app.js';
import { png } from '../lib/png.js';

const PASSWORD = 'correct horse battery';
const cli = process.env.DERMIS_CLI_BINARY || path.join(REPO_ROOT, 'target', 'debug', 'dermis');

function dermis(db, args) {
  const out = execFileSync(cli, ['--db', db, '--json', ...args], {
    env: { ...process.env, DERMIS_PASSWORD: PASSWORD, DERMIS_USER: 'boss' },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const pad = (n) => String(n).padStart(2, '0');
/** Today's local date (the app's "today"). */
function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
const addDays = (isoDate, n) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

// ------------------------------------------------------------ generated test photos (no real patient)

/**
 * A cheek in close-up, drawn: skin with soft shading on a grey backdrop and
 * `scars` small atrophic marks (darker, reddish rims). Deterministic.
 */
function cheekPhoto(scars, redness) {
  const W = 640;
  const H = 480;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const marks = Array.from({ length: scars }, () => ({
    x: 170 + rnd() * 300,
    y: 150 + rnd() * 220,
    r: 3 + rnd() * 6,
  }));
  return png(W, H, (x, y) => {
    const dx = (x - 320) / 250;
    const dy = (y - 250) / 215;
    const d = dx * dx + dy * dy;
    if (d > 1) {
      const v = 200 - y * 0.06;
      return [v - 8, v - 2, v + 4];
    }
    const shade = 1 - 0.18 * d - 0.06 * (y / H);
    let r = 224 * shade;
    let g = 178 * shade;
    let b = 150 * shade;
    // Diffuse redness over the cheek.
    const cd = ((x - 330) / 150) ** 2 + ((y - 270) / 110) ** 2;
    if (cd < 1) {
      r += redness * (1 - cd);
      g -= redness * 0.5 * (1 - cd);
    }
    for (const m of marks) {
      const md = Math.hypot(x - m.x, y - m.y) / m.r;
      if (md < 1) {
        const k = 0.22 * (1 - md * md);
        r *= 1 - k;
        g *= 1 - k * 1.3;
        b *= 1 - k * 1.2;
      } else if (md < 1.4) {
        r += 10 * (1.4 - md);
      }
    }
    return [r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))));
  });
}

// ------------------------------------------------------------ the flow

/** The sessions on the Plan tab's timeline: [{n, id, date}] in order. */
async function timeline(browser) {
  await shown(browser, 'plan-timeline');
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="plan-timeline-session"]')].map((el) => ({
      n: Number(el.getAttribute('data-n')),
      id: Number(el.getAttribute('data-session-id')),
      date: el.getAttribute('data-date'),
    })),
  );
}

/** Scrolls the element into the middle of the window (for a screenshot). */
async function center(browser, id) {
  await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), tid(id));
  await browser.pause(200);
}

function keep(file, name) {
  if (process.env.E2E_UPDATE_SCREENSHOTS) copyFileSync(file, path.join(REPO_ROOT, 'docs', 'screenshots', name));
}

describe('sessions (real app, prepared clinic)', () => {
  let app;
  let browser;
  let dir;
  let failed = null;
  let patientId;
  let planned = [];
  let otherPlan = null;
  const today = localToday();

  const step = (name, fn) =>
    test(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        try {
          await app?.screenshot(`FAILED-sessions-${name}`);
        } catch {
          /* the app may be gone */
        }
        throw err;
      }
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-sessions-'));
    const db = path.join(dir, 'clinic.db');
    dermis(db, ['init', '--clinic', 'Clearskin Clinic', '--admin', 'boss', '--display-name', 'Dr Amira Haddad', '--phone', '+44 20 7946 0000']);
    const patient = dermis(db, ['patient', 'add', '--first', 'Léa', '--last', 'Fontaine', '--dob', '1994-06-12', '--phone', '+44 20 7946 0101']);
    patientId = patient.id;
    // The session gate: each patient's microneedling consent, signed and confirmed (issue 18).
    const strokes = path.join(dir, 'strokes.json');
    writeFileSync(strokes, JSON.stringify({ strokes: [[[20, 100], [60, 40], [100, 110], [140, 30]], [[200, 75], [380, 75]]] }));
    const consent = (id) =>
      dermis(db, ['consent', 'sign', '--patient', String(id), '--template', 'microneedling', '--signature', strokes, '--photo-use', 'record']);
    consent(patient.id);
    dermis(db, ['screening', 'record', '--patient', String(patient.id)]);
    // Three assessments: 15 → 10 → 5 points over six months.
    const assess = (date, n) =>
      dermis(db, [
        'assessment', 'record', '--patient', String(patient.id), '--grade', '3', '--fitzpatrick', '2', '--sensitivity', 'normal',
        '--scar-types', 'boxcar,rolling', '--areas', 'cheeks', '--counts', `macular=0,moderate=${n},severe=${n},papular=0,keloidal=0`,
        '--scar-age-years', '3', '--date', date,
      ]);
    assess(addDays(today, -182), 25);
    assess(addDays(today, -91), 12);
    const latest = assess(today, 5);
    const plan = dermis(db, ['plan', 'accept', '--patient', String(patient.id), '--assessment', String(latest.id), '--start', today]);
    planned = plan.sessions;
    // A second patient whose first session is followed by an adverse event (for the register).
    const other = dermis(db, ['patient', 'add', '--first', 'Noah', '--last', 'Brown', '--dob', '1988-02-03', '--phone', '+44 20 7946 0202']);
    consent(other.id);
    dermis(db, ['screening', 'record', '--patient', String(other.id)]);
    const otherAssessment = dermis(db, [
      'assessment', 'record', '--patient', String(other.id), '--grade', '2', '--fitzpatrick', '4', '--sensitivity', 'sensitive',
      '--scar-types', 'rolling', '--areas', 'cheeks', '--counts', 'macular=8,moderate=4,severe=0,papular=0,keloidal=0',
    ]);
    otherPlan = dermis(db, ['plan', 'accept', '--patient', String(other.id), '--assessment', String(otherAssessment.id), '--start', today]);
    writeFileSync(path.join(dir, 'cheek-before.png'), cheekPhoto(70, 26));
    writeFileSync(path.join(dir, 'cheek-after.png'), cheekPhoto(22, 8));
    app = await startApp({ env: { DERMIS_DB: db } });
    browser = app.browser;
  });

  after(async () => {
    if (app) await app.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  step('sign in and open the patient', async () => {
    await fill(browser, 'login-username', 'boss');
    await fill(browser, 'login-password', PASSWORD);
    await click(browser, 'login-submit');
    await shown(browser, 'today-screen', TIMEOUTS.firstScreen);
    await click(browser, 'nav-patients');
    await fill(browser, 'patient-search', 'fontaine');
    await browser.waitUntil(async () => (await browser.$$(tid('patient-row'))).length === 1, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the search for "fontaine" shows one row',
    });
    await browser.execute(() => document.querySelector('[data-testid="patient-row"]').click());
    await shown(browser, 'patient-record');
  });

  step('progress: three assessments on the chart, the improvement and the verdict', async () => {
    await click(browser, 'progress-tab');
    await shown(browser, 'progress-chart');
    const points = await browser.$$(tid('progress-point'));
    assert.equal(points.length, 3);
    assert.equal((await (await shown(browser, 'progress-verdict')).getText()).trim(), 'Improved');
    assert.equal((await (await shown(browser, 'progress-improvement')).getText()).trim(), '67%');
    // The chart really drew (Chart.js is loaded on the first chart, then sizes
    // its canvas to the box: not the table-only fallback, not the bare 300x150 canvas).
    await browser.waitUntil(
      () =>
        browser.execute(() => {
          const box = document.querySelector('[data-testid="progress-chart"] [data-charted="true"]');
          const c = box?.querySelector('canvas');
          return !!c && c.height > 150 && c.width > 300;
        }),
      { timeout: 10_000, timeoutMsg: 'the chart is drawn on its canvas' },
    );
    keep(await app.screenshot('20-progress-chart'), 'progress-chart.png');
  });

  step('record session 1 through the form, with a depth above the chart confirmed', async () => {
    await click(browser, 'plan-tab');
    await timeline(browser);
    await click(browser, 'session-record-1');
    await shown(browser, 'session-form');
    assert.equal(await (await browser.$(tid('session-date'))).getValue(), today);
    await fill(browser, 'session-device', 'Dermapen 4');
    await fill(browser, 'session-cartridge-lot', 'DP4-16N-2291');
    await fill(browser, 'session-numbing-cream', 'Lidocaine 5% cream');
    await fill(browser, 'session-numbing-minutes', '30');
    await click(browser, 'session-skin-thin');
    await fill(browser, 'session-depth-forehead', '0.5');
    await fill(browser, 'session-depth-cheekbones', '0.5');
    await fill(browser, 'session-depth-cheeks_chin', '1.5');
    await fill(browser, 'session-depth-scarred_areas', '1.25');
    await fill(browser, 'session-glide-product', 'Hyaluronic acid glide');
    await fill(browser, 'session-glide-lot', 'HA-0419');
    await fill(browser, 'session-duration', '45');
    const above = await shown(browser, 'session-depth-above-cheeks_chin');
    assert.match(await above.getText(), /1\.5 mm > 1\.0 mm/);
    await click(browser, 'session-confirm-ceiling');
    // The form from its title down to the confirmation, under the app's header.
    await browser.execute(() => {
      const form = document.querySelector('[data-testid="session-form"]');
      window.scrollTo(0, form.getBoundingClientRect().top + window.scrollY - 64);
    });
    await browser.pause(200);
    keep(await app.screenshot('21-session-form'), 'session-form.png');
    await click(browser, 'session-save');
    const notice = await shown(browser, 'plan-notice');
    assert.match(await notice.getText(), /Session 1 of \d+ recorded/);
    const now = await timeline(browser);
    assert.equal(now[0].date, today, 'session 1 is done today');
    assert.equal(now[1].date, planned[1].date, 'session 2 keeps its date');
  });

  step('healing with 5 days of redness moves session 2 about a week later, and the plan says why', async () => {
    await click(browser, 'sessions-tab');
    const entry = await shown(browser, 'session-log-entry');
    assert.match(await entry.getText(), /Session 1 of \d+/);
    await click(browser, 'session-record-healing');
    await shown(browser, 'healing-form');
    assert.equal(await (await browser.$(tid('healing-reported-on'))).getValue(), today);
    await fill(browser, 'healing-redness', '5');
    await fill(browser, 'healing-flaking', '3');
    await click(browser, 'healing-save');
    const decision = await (await shown(browser, 'healing-decision')).getText();
    const m = decision.match(/session 2 moved from (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/);
    assert.ok(m, `the decision says session 2 moved: ${decision}`);
    assert.equal(m[1], planned[1].date);
    await app.screenshot('22-healing-outcome');

    await click(browser, 'healing-show-plan');
    const now = await timeline(browser);
    const moved = daysBetween(planned[1].date, now[1].date);
    assert.ok(moved >= 4 && moved <= 10, `session 2 moved about a week (${planned[1].date} → ${now[1].date})`);
    assert.equal(now[1].date, m[2]);
    const shownDate = await (await browser.$(`[data-testid="plan-timeline-session"][data-n="2"] [data-testid="plan-timeline-date"]`)).getText();
    assert.ok(shownDate.length > 0);
    const why = await (await shown(browser, 'plan-rationale')).getText();
    assert.match(why, /redness lasted 5 days after session 1 \(more than 3\): session 2 moved from/);
    await center(browser, 'plan-rationale');
    await app.screenshot('23-plan-after-healing');
  });

  step('photos: before and after side by side', async () => {
    // The file dialog and a drop cannot be driven through WebDriver: the photos are imported through the same command.
    for (const [file, taken] of [
      ['cheek-before.png', addDays(today, -182)],
      ['cheek-after.png', today],
    ]) {
      const result = await callBackend(browser, 'import_photo', {
        patient_id: patientId,
        import: { path: path.join(dir, file), tags: { taken_on: taken, area: 'cheeks', angle: 'left_oblique', session_record_id: null, assessment_id: null } },
      });
      assert.ok(result.ok, `import ${file}: ${result.error}`);
    }
    await click(browser, 'profile-tab');
    await click(browser, 'photos-tab');
    await shown(browser, 'before-after');
    await browser.waitUntil(
      () =>
        browser.execute(() =>
          [...document.querySelectorAll('[data-testid="before-after"] img')].every((i) => i.complete && i.naturalWidth === 640),
        ),
      { timeout: TIMEOUTS.wait, timeoutMsg: 'both full-size photos are shown' },
    );
    const count = await browser.execute(() => document.querySelectorAll('[data-testid="before-after"] img').length);
    assert.equal(count, 2);
    await center(browser, 'before-after');
    keep(await app.screenshot('24-before-after'), 'before-after.png');
  });

  step('photos dropped onto the window: the tag form, and a file that is not an image refused on its own line', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'Not a photo.\n');
    writeFileSync(path.join(dir, 'cheek-front.png'), cheekPhoto(40, 14));
    // What the window sends when files are dropped on it (a real drop cannot be made through WebDriver).
    const sent = await browser.execute(
      (paths) =>
        window.__TAURI_INTERNALS__
          .invoke('plugin:event|emit', { event: 'tauri://drag-drop', payload: { paths, position: { x: 400, y: 300 } } })
          .then(() => ({ ok: true }), (e) => ({ error: JSON.stringify(e) })),
      [path.join(dir, 'cheek-front.png'), path.join(dir, 'notes.txt')],
    );
    assert.ok(sent.ok, `drop event: ${sent.error}`);
    await shown(browser, 'photo-import-form');
    const names = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="photo-import-file"]')].map((f) => f.getAttribute('data-name')),
    );
    assert.deepEqual(names, ['cheek-front.png', 'notes.txt']);
    await (await browser.$(tid('photo-angle'))).selectByAttribute('value', 'front');
    await click(browser, 'photo-import-save');
    const notice = await shown(browser, 'photos-notice');
    assert.equal(await notice.getText(), '1 of 2 photos imported.');
    const error = await (await shown(browser, 'photo-import-file-error')).getText();
    assert.equal(error, 'notes.txt is not a JPEG or PNG image. Nothing was imported.');
    await center(browser, 'photo-import-form');
    await app.screenshot('25-photo-import-drop');
    await click(browser, 'photo-import-cancel');
    await browser.waitUntil(async () => (await browser.$$(tid('photo-tile'))).length === 3, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'three photos in the grid',
    });
  });

  step('the adverse-event register lists an event with its session, device and lots', async () => {
    // Session and follow-up of the second patient, through the same commands as the forms.
    const record = await callBackend(browser, 'record_session', {
      planned_session_id: otherPlan.sessions[0].id,
      input: {
        date: today, numbing_cream: 'Lidocaine 5% cream', numbing_minutes: 30, device: 'SkinPen Precision', cartridge_lot: 'SP-7781-B',
        skin: 'thick', depths: [{ zone: 'cheeks_chin', depth_mm: '1.5' }, { zone: 'scarred_areas', depth_mm: '2.0' }], passes: 3,
        glide_product: 'Skinfuse Lift HG', glide_lot: 'LHG-3302', endpoint: 'pinpoint_bleeding', immediate_reaction: '',
        duration_minutes: 40, notes: '', confirm_above_ceiling: false, screening_override_reason: '',
      },
    });
    assert.ok(record.ok, `seeding the session: ${record.error}`);
    const result = await callBackend(browser, 'record_healing', {
      session_record_id: record.value.id,
      input: { reported_on: today, redness_days: 2, flaking_days: 3, events: [{ kind: 'pih', description: 'Brown patches on both cheeks' }], notes: '' },
    });
    assert.ok(result.ok, `seeding the event: ${result.error}`);
    await click(browser, 'nav-adverse-events');
    await shown(browser, 'register-row');
    const row = await (await browser.$(tid('register-row'))).getText();
    for (const text of ['Post-inflammatory hyperpigmentation', 'Noah Brown', 'SkinPen Precision', 'SP-7781-B', 'LHG-3302', 'Cheeks and chin 1.5 mm']) {
      assert.ok(row.includes(text), `the row shows ${text}: ${row}`);
    }
    await fill(browser, 'register-lot', 'dp4');
    await click(browser, 'register-apply');
    await shown(browser, 'register-empty');
    await fill(browser, 'register-lot', 'sp-77');
    await click(browser, 'register-apply');
    await shown(browser, 'register-row');
    keep(await app.screenshot('26-adverse-event-register'), 'adverse-event-register.png');
  });
});
