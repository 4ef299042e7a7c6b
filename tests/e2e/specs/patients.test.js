// The patient flow on the real app, from a fresh database:
// first run → signed in → sign out → wrong password → sign in → new patient
// (validation error, then saved) → record → back to the list → accent-blind search.
//
// Steps run in order and share one app; once a step fails the later ones are
// skipped (they would only fail for the same reason), and a screenshot of the
// failure is saved as .artifacts/FAILED-<step>.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp, tid, shown, fill, setDate, click, TIMEOUTS, ARTIFACTS_DIR } from '../lib/app.js';

const CLINIC = { name: 'Clinique Étoile', address: '12 rue des Lilas, 75011 Paris', phone: '+33 1 23 45 67 89' };
const ADMIN = { username: 'boss', displayName: 'Dr Anne Boss', password: 'correct horse battery' };
const PATIENT = { first: 'José', last: 'Núñez', dob: '1990-05-17', phone: '+34 612 345 678' };

const nfc = (s) => (s ?? '').normalize('NFC');

describe('patients (real app, fresh database)', () => {
  /** @type {Awaited<ReturnType<typeof startApp>>} */
  let app;
  /** @type {WebdriverIO.Browser} */
  let browser;
  let failed = null;
  const timings = {};

  /** A step of the flow: skipped once an earlier one failed; a failure leaves a screenshot. */
  const step = (name, fn) =>
    test(name, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        if (browser) {
          try {
            const file = await app.screenshot(`FAILED-${name}`);
            t.diagnostic(`screenshot of the failure: ${file}`);
          } catch {
            /* the app may be gone */
          }
        }
        throw err;
      }
    });

  before(async () => {
    app = await startApp();
    browser = app.browser;
  });

  after(async () => {
    if (app) await app.stop();
    if (app) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      writeFileSync(path.join(ARTIFACTS_DIR, 'timings.json'), JSON.stringify({ ...app.timings, ...timings }, null, 2) + '\n');
    }
  });

  step('a fresh database opens on the first-run screen', async (t) => {
    // The session can open before the page has loaded: wait for the screen, then check the title.
    await shown(browser, 'setup-clinic-name', TIMEOUTS.firstScreen);
    timings.firstScreenMs = Date.now() - app.t0;
    assert.equal(await browser.getTitle(), 'Dermis');
    t.diagnostic(`first screen ${timings.firstScreenMs} ms after start (session ready at ${app.timings.sessionMs} ms)`);
    for (const id of ['setup-clinic-address', 'setup-clinic-phone', 'setup-admin-username', 'setup-admin-display-name', 'setup-password', 'setup-password-confirm', 'setup-submit']) {
      assert.ok(await (await browser.$(tid(id))).isExisting(), `${id} is on the first-run screen`);
    }
    await app.screenshot('01-first-run');
  });

  step('setting up the clinic signs the first account in', async (t) => {
    const typed = [];
    typed.push(await fill(browser, 'setup-clinic-name', CLINIC.name));
    typed.push(await fill(browser, 'setup-clinic-address', CLINIC.address));
    typed.push(await fill(browser, 'setup-clinic-phone', CLINIC.phone));
    typed.push(await fill(browser, 'setup-admin-username', ADMIN.username));
    typed.push(await fill(browser, 'setup-admin-display-name', ADMIN.displayName));
    typed.push(await fill(browser, 'setup-password', ADMIN.password));
    typed.push(await fill(browser, 'setup-password-confirm', ADMIN.password));
    const viaSetter = typed.filter((r) => r.method !== 'typed').map((r) => r.id);
    if (viaSetter.length) t.diagnostic(`typing did not take in ${viaSetter.join(', ')}: set through the native setter`);
    const started = Date.now();
    await click(browser, 'setup-submit');
    // Home is the Today screen; the patient list is one click away.
    await shown(browser, 'today-screen', TIMEOUTS.firstScreen);
    await click(browser, 'nav-patients');
    await shown(browser, 'patient-search', TIMEOUTS.firstScreen);
    timings.setupMs = Date.now() - started;
    await shown(browser, 'new-patient');
    await shown(browser, 'sign-out');
    const text = nfc(await browser.execute(() => document.body.innerText));
    assert.ok(text.includes(nfc(CLINIC.name)), `the clinic name is shown (page text: ${text.slice(0, 200)}…)`);
    assert.ok(text.includes(ADMIN.displayName), 'the signed-in user is shown');
  });

  step('signing out shows the login screen', async () => {
    await click(browser, 'sign-out');
    await shown(browser, 'login-username');
    await shown(browser, 'login-password');
    assert.equal(await (await browser.$(tid('patient-search'))).isExisting(), false, 'the patient list is gone');
  });

  step('a wrong password is refused with an error', async () => {
    await fill(browser, 'login-username', ADMIN.username);
    await fill(browser, 'login-password', 'wrong horse battery');
    await click(browser, 'login-submit');
    const error = await shown(browser, 'login-error');
    assert.notEqual((await error.getText()).trim(), '', 'the error says something');
    assert.equal(await (await browser.$(tid('patient-search'))).isExisting(), false, 'still signed out');
    await app.screenshot('02-login-error');
  });

  step('the right password signs in', async () => {
    await fill(browser, 'login-username', ADMIN.username);
    await fill(browser, 'login-password', ADMIN.password);
    const started = Date.now();
    await click(browser, 'login-submit');
    await shown(browser, 'today-screen');
    timings.loginMs = Date.now() - started;
    await click(browser, 'nav-patients');
    await shown(browser, 'patient-search');
    assert.equal(await (await browser.$(tid('login-error'))).isExisting(), false);
  });

  step('saving a new patient without a first name shows the error and stays on the form', async () => {
    await click(browser, 'new-patient');
    await shown(browser, 'patient-first-name');
    await click(browser, 'patient-save');
    const error = await shown(browser, 'error-first_name');
    assert.notEqual((await error.getText()).trim(), '');
    assert.ok(await (await browser.$(tid('patient-first-name'))).isDisplayed(), 'still on the form');
    assert.equal(await (await browser.$(tid('patient-record'))).isExisting(), false, 'no record opened');
    await app.screenshot('03-patient-form-error');
  });

  step('a filled-in patient is saved and its record opens', async (t) => {
    await fill(browser, 'patient-first-name', PATIENT.first);
    await fill(browser, 'patient-last-name', PATIENT.last);
    const how = await setDate(browser, 'patient-dob', PATIENT.dob);
    t.diagnostic(`date of birth set by ${how}`);
    timings.dateInputMethod = how;
    assert.equal(await (await browser.$(tid('patient-dob'))).getValue(), PATIENT.dob);
    await fill(browser, 'patient-phone', PATIENT.phone);
    await click(browser, 'patient-save');
    await shown(browser, 'patient-record');
    const name = nfc(await (await shown(browser, 'patient-name')).getText());
    assert.ok(name.includes(nfc(PATIENT.first)), `record name "${name}" has the first name`);
    assert.ok(name.includes(nfc(PATIENT.last)), `record name "${name}" has the last name`);
    const record = nfc(await (await shown(browser, 'patient-record')).getText());
    assert.ok(record.includes('1990'), 'the record shows the year of birth');
    assert.ok(record.includes(PATIENT.phone), 'the record shows the phone');
    await shown(browser, 'edit-patient');
    await shown(browser, 'archive-patient');
    await app.screenshot('04-patient-record');
  });

  step('back on the list, "jose nunez" (no accents) finds "José Núñez"', async (t) => {
    await goToPatientList(browser, t);
    await fill(browser, 'patient-search', 'jose nunez');
    let texts = [];
    await browser.waitUntil(
      async () => {
        texts = [];
        for (const row of await browser.$$(tid('patient-row'))) texts.push(nfc(await row.getText()));
        return texts.some((s) => s.includes(nfc(PATIENT.last)));
      },
      { timeout: TIMEOUTS.wait, timeoutMsg: `no patient-row with "${PATIENT.last}" (rows: ${JSON.stringify(texts)})` },
    );
    let id = null;
    for (const row of await browser.$$(tid('patient-row'))) {
      if (nfc(await row.getText()).includes(nfc(PATIENT.last))) id = await row.getAttribute('data-patient-id');
    }
    assert.match(String(id), /^\d+$/, 'the row carries its patient id');
    await app.screenshot('05-patient-search');
  });
});

/** Leave the record for the list: its back link, else the header's "Patients". */
async function goToPatientList(browser, t) {
  for (const sel of [tid('back-link'), tid('nav-patients'), 'nav button=Patients', 'header a=Patients']) {
    const el = await browser.$(sel);
    if ((await el.isExisting()) && (await el.isDisplayed())) {
      t.diagnostic(`back to the list through ${sel}`);
      await el.click();
      await shown(browser, 'patient-search');
      return;
    }
  }
  throw new Error('found no way back to the patient list (back-link, nav-patients, or a "Patients" link)');
}
