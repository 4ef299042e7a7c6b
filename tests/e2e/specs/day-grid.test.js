// The calendar's day grid on the real app (issue 19): blocks dragged with the
// mouse through WebDriver pointer actions. A drag to a free slot lands; a drag
// onto another booking of the same practitioner is refused by the backend,
// its sentence shown and the block back where it was; dragging a block's
// bottom edge changes its length. The backend's own bookings are read after
// each step, not only the screen.

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, tid, shown, click, callBackend, TIMEOUTS } from '../lib/app.js';
import { dermis, localToday, steps, signIn, pointerPath } from '../lib/prepared.js';

async function ok(browser, command, args) {
  const r = await callBackend(browser, command, args);
  assert.ok(r.ok, `${command}: ${r.error}`);
  return r.value;
}

describe('day grid (real app, prepared clinic)', () => {
  let app;
  let browser;
  let dir;
  const today = localToday();
  const step = steps('day-grid', () => app);

  /** The backend's bookings today, by patient number. */
  async function bookings() {
    const list = await ok(browser, 'bookings', { from: today, to: today });
    return Object.fromEntries(list.map((b) => [b.patient_number, b]));
  }

  /** The block of a patient on the grid. */
  async function block(number) {
    await browser.waitUntil(async () => (await browser.$$(tid('grid-block'))).length === 2, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'two blocks on the grid',
    });
    for (const b of await browser.$$(tid('grid-block'))) {
      if ((await b.getText()).includes(number)) return b;
    }
    throw new Error(`no block for ${number}`);
  }

  /** Presses on `el` at `y` from its centre, moves down by `dy` CSS pixels in four steps, releases. */
  async function drag(el, y, dy) {
    await pointerPath(browser, el, [0, 1, 2, 3, 4].map((k) => [0, y + (dy * k) / 4]), { stepMs: 50 });
  }

  /** CSS pixels per minute on the grid, read from a block's height. */
  async function pxPerMinute(el) {
    const h = (await el.getSize()).height;
    return h / Number(await el.getAttribute('data-minutes'));
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-grid-'));
    const db = path.join(dir, 'clinic.db');
    dermis(db, ['init', '--clinic', 'Clearskin Clinic', '--admin', 'boss', '--display-name', 'Dr Amira Haddad']);
    dermis(db, ['patient', 'add', '--first', 'Ann', '--last', 'Lee', '--dob', '1990-01-01']);
    dermis(db, ['patient', 'add', '--first', 'Bo', '--last', 'Ray', '--dob', '1985-02-02']);
    dermis(db, ['rooms', 'add', 'Room 1']);
    app = await startApp({ env: { DERMIS_DB: db } });
    browser = app.browser;
  });

  after(async () => {
    if (app) await app.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  step('two consultations of one practitioner on the day grid', async () => {
    await signIn(browser);
    // Open every day, so the test runs on any day of the week.
    const plan = await ok(browser, 'plan_settings', {});
    plan.open_weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    await ok(browser, 'update_plan_settings', { settings: plan });
    const [prac] = await ok(browser, 'list_practitioners', {});
    const [room] = await ok(browser, 'list_rooms', {});
    for (const [patient_id, time] of [[1, '10:00'], [2, '11:00']]) {
      await ok(browser, 'book_appointment', {
        input: { patient_id, kind: 'consultation', date: today, time, minutes: 30, numbing_minutes: null, practitioner_id: prac.id, room_id: room.id },
      });
    }
    await click(browser, 'nav-calendar');
    await click(browser, 'calendar-view-day');
    await click(browser, 'calendar-today');
    await shown(browser, 'calendar-day-grid');
    assert.equal(await (await block('P-000001')).getAttribute('data-time'), '10:00');
    await app.screenshot('grid-10-two-bookings');
  });

  step('a drag to a free slot lands (10:00 → 10:30)', async () => {
    const a = await block('P-000001');
    const ppm = await pxPerMinute(a);
    const h = (await a.getSize()).height;
    await drag(a, -h / 2 + 6, 30 * ppm);
    await browser.waitUntil(async () => (await bookings())['P-000001'].time === '10:30', {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the backend has the consultation at 10:30',
    });
    await browser.waitUntil(async () => (await (await block('P-000001')).getAttribute('data-time')) === '10:30', {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the block is drawn at 10:30',
    });
    assert.equal(await browser.$(tid('grid-conflict')).isExisting(), false);
  });

  step('a drag onto the next booking is refused: the sentence shown, the block back', async () => {
    const a = await block('P-000001');
    const ppm = await pxPerMinute(a);
    const h = (await a.getSize()).height;
    await drag(a, -h / 2 + 6, 30 * ppm);
    const alert = await shown(browser, 'grid-conflict');
    const text = await alert.getText();
    assert.match(text, /P-000002/, text);
    assert.match(text, /next free slot/i, text);
    assert.equal((await bookings())['P-000001'].time, '10:30', 'nothing changed in the backend');
    assert.equal(await (await block('P-000001')).getAttribute('data-time'), '10:30', 'the block is back');
    await app.screenshot('grid-20-clash-refused');
  });

  step("dragging a block's bottom edge makes it longer (30 → 45 minutes)", async () => {
    const b = await block('P-000002');
    const ppm = await pxPerMinute(b);
    const handle = await b.$('.resize');
    await drag(handle, 0, 15 * ppm);
    await browser.waitUntil(async () => (await bookings())['P-000002'].minutes === 45, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the backend has the review at 45 minutes',
    });
    await browser.waitUntil(async () => (await (await block('P-000002')).getAttribute('data-minutes')) === '45', {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the block is drawn 45 minutes long',
    });
    await app.screenshot('grid-30-resized');
  });
});
