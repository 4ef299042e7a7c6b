// The Debian package, installed as a clinic would: `dpkg -i`, the installed
// binary started under Xvfb (through tauri-driver and WebDriver, lib/app.js of
// the e2e tests), the first-run screen, a clinic and a patient made in the UI,
// the database in the OS app-data folder; then a newer package installed over
// it, and the same data signed into and found again.
//
// Run by scripts/package-test.sh, which builds the two packages (the same code
// at two versions) and passes them in:
//   PACKAGE_DEB_A, PACKAGE_DEB_B      the .deb files (A older than B)
//   PACKAGE_VERSION_A, PACKAGE_VERSION_B
//   PACKAGE_TEST_KEEP=1               leave the package installed afterwards
//
// Needs root (dpkg). Screenshots: tests/e2e/.artifacts/package-*.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, tid, shown, fill, setDate, click, TIMEOUTS } from '../e2e/lib/app.js';

const DEB_A = process.env.PACKAGE_DEB_A;
const DEB_B = process.env.PACKAGE_DEB_B;
const VERSION_A = process.env.PACKAGE_VERSION_A;
const VERSION_B = process.env.PACKAGE_VERSION_B;

const CLINIC = { name: 'Clinique Étoile', phone: '+33 1 23 45 67 89' };
const ADMIN = { username: 'boss', displayName: 'Dr Anne Boss', password: 'correct horse battery' };
const PATIENT = { first: 'José', last: 'Núñez', dob: '1990-05-17', phone: '+34 612 345 678' };
const IDENTIFIER = 'org.dermis.app';

const nfc = (s) => (s ?? '').normalize('NFC');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Installs a .deb with dpkg; missing dependencies are pulled with apt-get install -f. */
function install(deb) {
  const r = run('dpkg', ['-i', deb]);
  if (r.code !== 0) {
    const fix = run('apt-get', ['install', '-f', '-y', '-qq']);
    assert.equal(fix.code, 0, `dpkg -i ${deb} failed and apt-get install -f could not fix it:\n${r.out}\n${fix.out}`);
  }
}

const debField = (deb, field) => execFileSync('dpkg-deb', ['-f', deb, field], { encoding: 'utf8' }).trim();

function installedVersion(pkg) {
  const r = run('dpkg-query', ['-W', '-f=${Status}|${Version}', pkg]);
  if (r.code !== 0) return null;
  const [status, version] = r.out.trim().split('|');
  return status === 'install ok installed' ? version : null;
}

describe('the Debian package: install, first run, upgrade with the data kept', { skip: !DEB_A || !DEB_B ? 'PACKAGE_DEB_A/PACKAGE_DEB_B not set (run scripts/package-test.sh)' : false }, () => {
  let pkg;
  let binary;
  let home;
  let app = null;
  let failed = null;
  const timings = {};

  // The app's folders for both runs: the same "user", so the same app-data folder.
  const env = () => ({
    DERMIS_DB: null, // the default: the OS app-data folder
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
  });
  const dbPath = () => path.join(home, 'data', IDENTIFIER, 'dermis.db');

  const step = (name, fn) =>
    test(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      const t0 = Date.now();
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        if (app) await app.screenshot(`FAILED-package-${name}`).catch(() => {});
        throw err;
      } finally {
        timings[name] = Date.now() - t0;
      }
    });

  before(() => {
    assert.equal(process.getuid?.(), 0, 'dpkg -i needs root');
    pkg = debField(DEB_A, 'Package');
    assert.equal(debField(DEB_B, 'Package'), pkg);
    home = mkdtempSync(path.join(tmpdir(), 'dermis-package-'));
    for (const d of ['data', 'config', 'cache']) mkdirSync(path.join(home, d));
    // Start from no Dermis installed (an earlier run may have left one).
    if (installedVersion(pkg)) run('dpkg', ['--purge', pkg]);
  });

  after(async () => {
    if (app) await app.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    if (pkg && !process.env.PACKAGE_TEST_KEEP) run('dpkg', ['--purge', pkg]);
    console.log(`# package test step timings (ms): ${JSON.stringify(timings)}`);
  });

  step(`dpkg -i installs ${VERSION_A} with its binary in /usr/bin`, () => {
    install(DEB_A);
    assert.equal(installedVersion(pkg), VERSION_A);
    const files = execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8' }).split('\n');
    binary = files.find((f) => f.startsWith('/usr/bin/'));
    assert.ok(binary && existsSync(binary), `a program in /usr/bin (package files: ${files.join(' ')})`);
    assert.ok(files.some((f) => f.endsWith('.desktop')), 'a menu entry (.desktop file)');
    assert.ok(files.some((f) => /\/icons\/hicolor\/.*\.png$/.test(f)), 'icons');
  });

  step('the installed app starts on the first-run screen and keeps its database in the app-data folder', async (t) => {
    app = await startApp({ binary, env: env() });
    await shown(app.browser, 'setup-clinic-name', TIMEOUTS.firstScreen);
    t.diagnostic(`first-run screen ${Date.now() - app.t0} ms after start`);
    assert.equal(await app.browser.getTitle(), 'Dermis');
    await app.screenshot('package-01-first-run');
    // The database is opened (and created) by the first-run screen's status call.
    assert.ok(existsSync(dbPath()), `${dbPath()} exists`);
  });

  step('a clinic and a patient are made through the UI', async () => {
    const b = app.browser;
    await fill(b, 'setup-clinic-name', CLINIC.name);
    await fill(b, 'setup-clinic-phone', CLINIC.phone);
    await fill(b, 'setup-admin-username', ADMIN.username);
    await fill(b, 'setup-admin-display-name', ADMIN.displayName);
    await fill(b, 'setup-password', ADMIN.password);
    await fill(b, 'setup-password-confirm', ADMIN.password);
    await click(b, 'setup-submit');
    await shown(b, 'today-screen', TIMEOUTS.firstScreen);
    await click(b, 'nav-patients');
    await click(b, 'new-patient');
    await fill(b, 'patient-first-name', PATIENT.first);
    await fill(b, 'patient-last-name', PATIENT.last);
    await setDate(b, 'patient-dob', PATIENT.dob);
    await fill(b, 'patient-phone', PATIENT.phone);
    await click(b, 'patient-save');
    await shown(b, 'patient-record');
    assert.equal(nfc(await (await shown(b, 'patient-name')).getText()), nfc(`${PATIENT.first} ${PATIENT.last}`));
  });

  step(`About shows ${VERSION_A} and the database path`, async () => {
    await click(app.browser, 'open-about');
    assert.equal(await (await shown(app.browser, 'about-version')).getText(), VERSION_A);
    assert.equal(await (await shown(app.browser, 'about-db-path')).getText(), dbPath());
    await app.screenshot('package-02-about-before-upgrade');
    await app.stop();
    app = null;
  });

  step(`dpkg -i of ${VERSION_B} upgrades it in place`, () => {
    const t0 = Date.now();
    install(DEB_B);
    timings.dpkgUpgradeMs = Date.now() - t0;
    assert.equal(installedVersion(pkg), VERSION_B, 'dpkg -s shows the new version');
    const status = execFileSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
    assert.match(status, new RegExp(`^Version: ${VERSION_B.replace(/[.+]/g, '\\$&')}$`, 'm'));
  });

  step('the upgraded app opens the same data: sign in and the patient is there', async () => {
    app = await startApp({ binary, env: env() });
    const b = app.browser;
    // Not the first-run screen: the clinic is still there.
    await shown(b, 'login-username', TIMEOUTS.firstScreen);
    await fill(b, 'login-username', ADMIN.username);
    await fill(b, 'login-password', ADMIN.password);
    await click(b, 'login-submit');
    await shown(b, 'today-screen');
    await click(b, 'nav-patients');
    await fill(b, 'patient-search', 'nunez');
    await b.waitUntil(
      async () => (await b.execute(() => [...document.querySelectorAll('[data-testid="patient-row"]')].map((r) => r.textContent).join('|'))).normalize('NFC').includes('Núñez'),
      { timeout: TIMEOUTS.wait, timeoutMsg: 'the patient made before the upgrade is not found' },
    );
    await app.screenshot('package-03-patient-after-upgrade');
    await click(b, 'open-about');
    assert.equal(await (await shown(b, 'about-version')).getText(), VERSION_B);
    assert.equal(await (await shown(b, 'about-db-path')).getText(), dbPath());
  });

  step('the log file has both starts and no patient name or password', () => {
    const dir = path.join(home, 'data', IDENTIFIER, 'logs');
    const text = readdirSync(dir)
      .filter((f) => f.startsWith('dermis.'))
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .join('');
    assert.match(text, new RegExp(`Dermis ${VERSION_A.replace(/\./g, '\\.')} started`));
    assert.match(text, new RegExp(`Dermis ${VERSION_B.replace(/\./g, '\\.')} started`));
    for (const secret of [PATIENT.first, PATIENT.last, 'Nunez', ADMIN.password, CLINIC.name]) {
      assert.ok(!text.normalize('NFC').includes(secret), `the log contains "${secret}"`);
    }
  });
});
