// The plan flow on the real app, from a clinic prepared with the command line
// (clinic, account, patient, screening): assess the patient with a live score,
// propose and accept the plan, move session 2 a week later in the calendar,
// and see sessions 3… follow while session 1 stays.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, tid, shown, fill, setDate, click, TIMEOUTS, REPO_ROOT } from '../lib/app.js';

const PASSWORD = 'correct horse battery';
const cli = process.env.DERMIS_CLI_BINARY || path.join(REPO_ROOT, 'target', 'debug', 'dermis');

function dermis(db, args) {
  const out = execFileSync(cli, ['--db', db, '--json', ...args], {
    env: { ...process.env, DERMIS_PASSWORD: PASSWORD, DERMIS_USER: 'boss' },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (isoDate, n) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
};
/** The next Monday after today (the clinic is open Monday to Friday by default). */
function nextMonday() {
  const d = new Date();
  const today = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const dow = today.getUTCDay(); // 0 Sunday
  today.setUTCDate(today.getUTCDate() + (((8 - dow) % 7) || 7));
  return iso(today);
}

/** Opens the first patient row (a WebDriver click on a table row is "not interactable" in WebKit). */
async function openFirstRow(browser) {
  await browser.execute(() => document.querySelector('[data-testid="patient-row"]').click());
  await shown(browser, 'patient-record');
}

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

describe('plans (real app, prepared clinic)', () => {
  let app;
  let browser;
  let dir;
  let failed = null;
  let accepted = [];

  const step = (name, fn) =>
    test(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        try {
          await app?.screenshot(`FAILED-plans-${name}`);
        } catch {
          /* the app may be gone */
        }
        throw err;
      }
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-plans-'));
    const db = path.join(dir, 'clinic.db');
    dermis(db, ['init', '--clinic', 'Clinique Étoile', '--admin', 'boss', '--display-name', 'Dr Anne Boss', '--phone', '+33 1 23 45 67 89']);
    const patient = dermis(db, ['patient', 'add', '--first', 'Zoë', '--last', 'Park', '--dob', '1992-03-04', '--phone', '+44 20 7946 0958']);
    dermis(db, ['screening', 'record', '--patient', String(patient.id)]);
    app = await startApp({ env: { DERMIS_DB: db } });
    browser = app.browser;
  });

  after(async () => {
    if (app) await app.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  step('sign in lands on Today', async () => {
    await fill(browser, 'login-username', 'boss');
    await fill(browser, 'login-password', PASSWORD);
    await click(browser, 'login-submit');
    await shown(browser, 'today-screen', TIMEOUTS.firstScreen);
  });

  step('open the patient from the search', async () => {
    await click(browser, 'nav-patients');
    await fill(browser, 'patient-search', 'park');
    await browser.waitUntil(async () => (await browser.$$(tid('patient-row'))).length === 1, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the search for "park" shows one row',
    });
    await openFirstRow(browser);
    const name = await shown(browser, 'patient-name');
    assert.match((await name.getText()).normalize('NFC'), /Zoë Park/);
  });

  step('assess: the score follows the counts live, and the assessment is saved', async () => {
    await click(browser, 'assessments-tab');
    await click(browser, 'new-assessment');
    await shown(browser, 'assessment-form');
    await click(browser, 'assessment-grade-3');
    await click(browser, 'assessment-scar-type-boxcar');
    await click(browser, 'assessment-area-cheeks');
    await (await browser.$(tid('assessment-fitzpatrick'))).selectByAttribute('value', '3');
    await fill(browser, 'assessment-count-moderate', '12'); // 2 points × 2
    await fill(browser, 'assessment-count-severe', '3'); // 3 points × 1
    await browser.waitUntil(async () => /\b7\b/.test(await (await browser.$(tid('assessment-score'))).getText()), {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the live score shows 7',
    });
    await app.screenshot('10-assessment-form');
    await click(browser, 'assessment-save');
    await shown(browser, 'assessment-row');
  });

  step('propose and accept the plan', async () => {
    await click(browser, 'plan-tab');
    await shown(browser, 'plan-start');
    await setDate(browser, 'plan-start', nextMonday());
    await click(browser, 'plan-propose');
    await shown(browser, 'plan-proposal');
    const rows = await browser.$$(tid('plan-session-row'));
    assert.equal(rows.length, 5, 'grade 3 → 5 sessions');
    const why = await (await shown(browser, 'plan-rationale')).getText();
    assert.match(why, /grade 3/);
    await app.screenshot('11-plan-proposal');
    await click(browser, 'plan-accept');
    accepted = await timeline(browser);
    assert.equal(accepted.length, 5);
    assert.equal(accepted[0].date, nextMonday());
  });

  step('move session 2 a week later in the calendar: later sessions follow', async () => {
    const s2 = accepted[1];
    const to = addDays(s2.date, 7);
    await click(browser, 'nav-calendar');
    await shown(browser, 'calendar-week');
    const entry = `[data-testid="calendar-entry"][data-session-id="${s2.id}"]`;
    for (let i = 0; i < 12 && !(await (await browser.$(entry)).isExisting()); i++) {
      await click(browser, 'calendar-next');
      await browser.pause(150);
    }
    await (await browser.$(entry)).click();
    await shown(browser, 'calendar-selected');
    await app.screenshot('12-calendar-week');
    await setDate(browser, 'calendar-move-date', to);
    await click(browser, 'calendar-move-save');
    const notice = await shown(browser, 'calendar-notice');
    assert.match((await notice.getText()).normalize('NFC'), /Session 2 of 5 for Zoë Park moved/);
    await click(browser, 'calendar-next');
    await browser.waitUntil(
      async () => {
        const e = await browser.$(entry);
        return (await e.isExisting()) && (await e.getAttribute('data-date')) === to;
      },
      { timeout: TIMEOUTS.wait, timeoutMsg: `the next week shows session 2 on ${to}` },
    );
    await app.screenshot('13-calendar-after-move');
    // Back on the record: session 1 stayed, 2 moved, 3… followed.
    await click(browser, 'nav-patients');
    await fill(browser, 'patient-search', 'park');
    await browser.waitUntil(async () => (await browser.$$(tid('patient-row'))).length === 1);
    await openFirstRow(browser);
    await click(browser, 'plan-tab');
    const now = await timeline(browser);
    assert.equal(now[0].date, accepted[0].date, 'session 1 stays');
    assert.equal(now[1].date, to, 'session 2 moved');
    for (let i = 2; i < now.length; i++) {
      assert.ok(now[i].date > accepted[i].date, `session ${i + 1} follows (${accepted[i].date} → ${now[i].date})`);
    }
    await app.screenshot('14-plan-timeline-after-move');
  });
});
