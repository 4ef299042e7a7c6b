// The front desk's flows from the keyboard alone, in Chromium (a real
// browser drops the focus from a removed or disabled control, which jsdom
// does not always do): sign in, Check in, Undo, Print aftercare, Print all,
// Book time and a move in the calendar, a plan move, a new patient typed down
// to Notes, locking and unlocking. After each step the focus must be on a
// control of the screen, never on <body>; and the focused field must not be
// hidden under a sticky bar (the patient form's Save/Cancel at 1280×720).
//
//   bash scripts/no-network.sh      (runs this file too)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, openUi, tid, shot, ADMIN } from './harness.js';

before(start);
after(stop);

/** What has the focus: "<tag data-testid>" or "BODY". */
async function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'BODY';
    return `<${a.tagName.toLowerCase()} ${a.getAttribute('data-testid') ?? a.id ?? ''}>`;
  });
}

/** Waits for the screen to settle (nothing busy), then fails if the focus is on <body>. */
async function expectFocusKept(page, step, t) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(250);
  const where = await focused(page);
  t.diagnostic(`${step}: focus on ${where}`);
  assert.notEqual(where, 'BODY', `after ${step} the focus fell to the page`);
  return where;
}

/** The focused element is not covered by anything (what is drawn at its centre is itself or inside it). */
async function focusedIsVisible(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + Math.min(r.height / 2, 12);
    if (y < 0 || y > window.innerHeight) return `outside the window (${Math.round(y)}px)`;
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === a || a.contains(hit)) ? '' : `covered by <${hit?.tagName.toLowerCase()} ${hit?.className ?? ''}>`;
  });
}

test('at 1280x720 the desk works from the keyboard and the focus never falls to <body>', async (t) => {
  const { page, finish, hostCall } = await openUi({ width: 1280, height: 720 });
  try {
    // Sign in: type, Tab, type, Enter.
    await page.waitForSelector(tid('login-username'));
    await page.focus(tid('login-username'));
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('today-session'));
    await expectFocusKept(page, 'signing in', t);

    // The skip link is the first stop of Tab: just before the header's first section.
    await page.focus(tid('nav-today'));
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), '<a skip-link>');
    assert.equal(await focusedIsVisible(page), '', 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), '<main main-content>');

    // Check in, Undo, Print aftercare, Print all.
    const row = `${tid('today-session')} >> nth=0`;
    await page.focus(`${row} >> ${tid('today-check-in')}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${row} >> ${tid('today-undo-check-in')}`);
    assert.equal(await expectFocusKept(page, 'Check in', t), '<button today-undo-check-in>');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${row} >> ${tid('today-check-in')}`);
    assert.equal(await expectFocusKept(page, 'Undo', t), '<button today-check-in>');
    await page.focus(`${row} >> ${tid('today-print-aftercare')}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${row} >> ${tid('today-row-done')}`);
    await expectFocusKept(page, 'Print aftercare', t);
    await page.focus(tid('today-print-all'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('today-print-all-done'));
    await expectFocusKept(page, 'Print all', t);

    // Calendar: Book time, then a move (Enter in the date field).
    await page.focus(tid('nav-calendar'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${tid('calendar-entry')}[data-date]`);
    await expectFocusKept(page, 'opening the calendar', t);
    const planned = `${tid('calendar-entry')}[draggable="true"] >> nth=0`;
    await page.focus(planned);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('calendar-time'));
    await page.focus(tid('calendar-time'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('16:15');
    await page.focus(tid('calendar-time-save'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('calendar-notice'));
    await expectFocusKept(page, 'Book time', t);
    await page.focus(planned);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('calendar-move-date'));
    const from = await page.getAttribute(planned, 'data-date');
    const later = new Date(`${from}T12:00:00Z`);
    later.setUTCDate(later.getUTCDate() + 7);
    await page.focus(tid('calendar-move-date'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type(later.toISOString().slice(0, 10));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /moved to/.test(document.querySelector('[data-testid="calendar-notice"]')?.textContent ?? ''));
    await expectFocusKept(page, 'a calendar move', t);

    // A plan move, from the record.
    await page.focus(tid('nav-patients'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('patient-row'));
    await page.focus(tid('patient-search'));
    await page.keyboard.type('Wolfeschlegelsteinhausen');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length === 1);
    await page.focus(tid('patient-row'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('patient-record'));
    await page.focus(tid('plan-tab'));
    await page.keyboard.press('Enter');
    const move = await page.waitForSelector('[data-testid^="session-move-"]');
    await move.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('session-move-date'));
    const planDate = await page.evaluate(() => document.querySelector('[data-testid="session-move-date"]').closest('[data-date]').getAttribute('data-date'));
    const planLater = new Date(`${planDate}T12:00:00Z`);
    planLater.setUTCDate(planLater.getUTCDate() + 7);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(planLater.toISOString().slice(0, 10));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('plan-notice'));
    await expectFocusKept(page, 'a plan move', t);

    // A new patient typed down to Notes: each field in view when it has the focus.
    await page.focus(tid('nav-patients'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('new-patient'));
    await page.focus(tid('new-patient'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('patient-first-name'));
    const hidden = [];
    for (let i = 0; i < 30; i++) {
      const where = await focused(page);
      if (where === '<button patient-cancel>') break;
      const covered = await focusedIsVisible(page);
      if (covered) hidden.push(`${where} ${covered}`);
      if (where === '<textarea patient-notes>') await page.keyboard.type('Prefers mornings.');
      await page.keyboard.press('Tab');
    }
    await shot(page, 'keyboard-patient-form-notes');
    assert.deepEqual(hidden, [], 'fields typed into while hidden');
    await page.focus(tid('patient-cancel'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('patient-search'));

    // Locked from elsewhere; unlock from the keyboard: the focus comes back to the screen.
    await hostCall('lock_app');
    // The once-a-second change feed may show the lock screen first (the nav
    // is then gone); otherwise Enter on Today is the refused command.
    const navFocused = await page
      .focus(tid('nav-today'), { timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (navFocused) await page.keyboard.press('Enter');
    await page.waitForSelector(tid('lock-password'));
    await shot(page, 'keyboard-lock-screen');
    await page.focus(tid('lock-password'));
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('lock-screen'), { state: 'detached' });
    await expectFocusKept(page, 'unlocking', t);
  } finally {
    await finish();
  }
});
