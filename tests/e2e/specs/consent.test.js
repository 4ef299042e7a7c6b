// Consent on the real app (issue 18): a planned patient without a consent is
// refused at session start with "Sign now"; the patient signs on the canvas
// (strokes drawn through WebDriver pointer actions, as a mouse or a pen
// would), the practitioner confirms, and the session form then opens. The
// signed PDF is printed from the command line and read back.

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, tid, shown, fill, click, callBackend, TIMEOUTS, ARTIFACTS_DIR } from '../lib/app.js';
import { dermis, localToday, steps, signIn, pointerPath } from '../lib/prepared.js';

/** One stroke drawn with the mouse: points in the canvas's own 400 × 150 box. */
async function drawStroke(browser, canvas, points) {
  const { width: w, height: h } = await canvas.getSize();
  // Pointer-action offsets are from the element's centre, in CSS pixels.
  await pointerPath(browser, canvas, points.map(([x, y]) => [(x / 400) * w - w / 2, (y / 150) * h - h / 2]));
}

describe('consent (real app, prepared clinic)', () => {
  let app;
  let browser;
  let dir;
  let db;
  let patientId;
  const today = localToday();
  const step = steps('consent', () => app);

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-consent-'));
    db = path.join(dir, 'clinic.db');
    dermis(db, ['init', '--clinic', 'Clearskin Clinic', '--admin', 'boss', '--display-name', 'Dr Amira Haddad']);
    const patient = dermis(db, ['patient', 'add', '--first', 'Inès', '--last', 'Moreau', '--dob', '1993-09-14', '--phone', '+44 20 7946 0303']);
    patientId = patient.id;
    dermis(db, ['screening', 'record', '--patient', String(patientId)]);
    const a = dermis(db, [
      'assessment', 'record', '--patient', String(patientId), '--grade', '3', '--fitzpatrick', '2', '--sensitivity', 'normal',
      '--scar-types', 'boxcar', '--areas', 'cheeks', '--counts', 'macular=4,moderate=10,severe=3,papular=0,keloidal=0',
    ]);
    dermis(db, ['plan', 'accept', '--patient', String(patientId), '--assessment', String(a.id), '--start', today]);
    app = await startApp({ env: { DERMIS_DB: db } });
    browser = app.browser;
  });

  after(async () => {
    if (app) await app.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  step('without a consent, session 1 is refused with "Sign now"', async () => {
    await signIn(browser);
    await click(browser, 'nav-patients');
    await fill(browser, 'patient-search', 'moreau');
    await browser.waitUntil(async () => (await browser.$$(tid('patient-row'))).length === 1, {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the search for "moreau" shows one row',
    });
    await browser.execute(() => document.querySelector('[data-testid="patient-row"]').click());
    await shown(browser, 'patient-record');
    await click(browser, 'plan-tab');
    await click(browser, 'session-record-1');
    const reason = await (await shown(browser, 'session-refused-reason')).getText();
    assert.match(reason, /consent/i, reason);
    assert.equal(await browser.$(tid('session-form')).isExisting(), false, 'no session form before the consent');
    await app.screenshot('consent-10-refused');
  });

  step('the patient draws a signature on the canvas; the practitioner confirms', async () => {
    await click(browser, 'session-sign-consent');
    await shown(browser, 'consent-signing');
    // The answers are radio buttons styled as a row of choices: picked as a click on each would.
    for (const id of ['consent-use-record-yes', 'consent-use-teaching-no', 'consent-use-marketing-no']) {
      await (await browser.$(tid(id))).waitForExist({ timeout: TIMEOUTS.wait });
      await browser.execute((sel) => document.querySelector(sel).click(), tid(id));
    }
    const canvas = await shown(browser, 'signature-canvas');
    await canvas.scrollIntoView({ block: 'center' });
    await drawStroke(browser, canvas, [[30, 110], [70, 40], [110, 115], [150, 35], [190, 100]]);
    await drawStroke(browser, canvas, [[220, 80], [300, 70], [380, 85]]);
    await browser.waitUntil(async () => (await canvas.getAttribute('data-strokes')) === '2', {
      timeout: TIMEOUTS.wait,
      timeoutMsg: 'the canvas recorded two strokes',
    });
    await browser.execute((sel) => document.querySelector(sel).click(), tid('consent-confirm'));
    assert.equal(await browser.execute((sel) => document.querySelector(sel).checked, tid('consent-confirm')), true);
    await app.screenshot('consent-20-signed-on-screen');
    await click(browser, 'consent-sign');
  });

  step('the session form opens: the gate lets the session through', async () => {
    await shown(browser, 'session-form');
    assert.equal(await browser.$(tid('session-refused')).isExisting(), false);
    const list = await callBackend(browser, 'list_consents', { patient_id: patientId });
    assert.ok(list.ok, JSON.stringify(list));
    assert.equal(list.value.length, 1);
    assert.equal(list.value[0].status, 'signed');
    const whole = await callBackend(browser, 'consent', { consent_id: list.value[0].id });
    assert.ok(whole.ok, JSON.stringify(whole));
    const strokes = whole.value.signature.strokes;
    assert.equal(strokes.length, 2, 'two strokes as vectors');
    assert.ok(strokes[0].length >= 5, `the first stroke has its points: ${strokes[0].length}`);
    // The drawn shape is kept: the first stroke rises from near the bottom-left.
    const [x0, y0] = strokes[0][0];
    assert.ok(x0 < 80 && y0 > 80, `first point ${x0},${y0}`);
    assert.equal(whole.value.photo_uses.record, true);
    assert.equal(whole.value.photo_uses.teaching, false);
    await app.screenshot('consent-30-session-form');
  });

  step('the signed PDF reads back with the name, the version and the hash of the audit entry', async () => {
    const list = await callBackend(browser, 'list_consents', { patient_id: patientId });
    const id = list.value[0].id;
    const whole = await callBackend(browser, 'consent', { consent_id: id });
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const out = path.join(ARTIFACTS_DIR, 'consent-signed.pdf');
    dermis(db, ['print', 'consent', '--consent', String(id), '--out', out], { json: false });
    assert.ok(existsSync(out));
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    assert.match(text, /Inès Moreau/);
    assert.match(text, /version 1/);
    assert.ok(text.includes(whole.value.content_sha256.slice(0, 16)), 'the signed content hash is printed');
    const fileHash = execFileSync('sha256sum', [out], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(fileHash, whole.value.pdf_sha256, 'the file is the frozen PDF the audit entry names');
    execFileSync('pdftoppm', ['-png', '-r', '60', out, path.join(ARTIFACTS_DIR, 'consent-signed')]);
  });
});
