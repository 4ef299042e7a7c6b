// Every screen is accessible and nothing is drawn over anything else, at
// 1280×720, at 150 % and at 200 % zoom.
//
// The same harness as no-network.test.js (harness.js: the built UI under the
// app's CSP in Debian's Chromium, the real backend through the test host).
// On each screen (first run, sign-in, Today, the patient list, a new patient,
// every tab of a record, the screening, assessment and session forms, a plan
// proposal with its adjustments, the calendar, adverse events and the lot
// trace, the recall call list, the audit log,
// every settings section, the lock screen and the dialogs) it runs:
//   - axe-core (ui/node_modules/axe-core, the version ui/package.json pins)
//     with its default rules (WCAG 2.x A/AA and best practices): zero
//     violations;
//   - focus rings: each control, focused from the keyboard, draws an outline
//     at least 2 px wide whose colour has at least 3:1 contrast against what
//     is behind it (WCAG 2.2 1.4.11 / 2.4.13);
//   - overlaps: the boxes of text (each line of each text node) and of
//     controls (buttons, fields, links) must not intersect one another, unless
//     one is inside the other (a button's own label). A sticky bar over the
//     content scrolled under it is not an overlap; text cut off by its own box
//     (an ellipsis) only counts as far as it is shown.
//   - nothing wider than the window (the header's Sign out stays on screen);
//   - no drop-down narrower than the option it shows;
//   - placeholders at least 4.5:1 against their field (set in app.css, not
//     left to the engine: WebKitGTK's default is 2.35:1).
//
//   bash scripts/no-network.sh      (runs this file too)
//
// Zoom is what View → Zoom In or the system scale does: a 1280×720 screen at
// 150 % is an 853×480 CSS-pixel window drawn at 1.5 device pixels per pixel.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { start, stop, openUi, tid, shot, ADMIN, ROOT, TODAY, ARTIFACTS } from './harness.js';

const requireFromUi = createRequire(path.join(ROOT, 'ui', 'package.json'));
const AXE = readFileSync(requireFromUi.resolve('axe-core/axe.min.js'), 'utf8');

before(start);
after(stop);

export const ZOOMS = [
  { label: '1280x720', width: 1280, height: 720, scale: 1 },
  { label: '150pct', width: Math.floor(1280 / 1.5), height: Math.floor(720 / 1.5), scale: 1.5 },
  { label: '200pct', width: 1280 / 2, height: 720 / 2, scale: 2 },
];

/** axe-core's violations on the page as it is now: "rule: target (summary)". */
async function axeViolations(page) {
  const injected = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!injected) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
    }));
  });
  return result.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n}`));
}

/**
 * Focus rings: every visible control, focused as the keyboard would
 * (:focus-visible), must draw an outline ≥ 2 px whose colour contrasts ≥ 3:1
 * with the background behind the control.
 */
async function weakFocusRings(page) {
  // Keyboard modality: Chromium shows :focus-visible for programmatic focus after a key press.
  await page.keyboard.press('Shift');
  return page.evaluate(() => {
    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const c = parse(getComputedStyle(p).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out = [];
    const before = document.activeElement;
    const [sx, sy] = [window.scrollX, window.scrollY];
    const modal = [...document.querySelectorAll('[role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"], dialog[open]')].at(-1);
    const controls = [...(modal ?? document).querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [tabindex="0"], summary')];
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || el.disabled) continue;
      if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true })) continue;
      if (el.closest('[inert]')) continue;
      el.focus();
      if (document.activeElement !== el) continue;
      const f = getComputedStyle(el);
      const width = parseFloat(f.outlineWidth) || 0;
      const color = parse(f.outlineColor);
      let ok = f.outlineStyle !== 'none' && width >= 2 && color && color.a > 0.5 && ratio(color, background(el)) >= 3;
      // A box-shadow ring of a solid colour ≥ 2 px counts too.
      if (!ok && f.boxShadow && f.boxShadow !== 'none') {
        const m = /(rgba?\([^)]*\))\s+0px\s+0px\s+0px\s+([\d.]+)px/.exec(f.boxShadow);
        const c = m && parse(m[1]);
        ok = !!(c && c.a > 0.5 && +m[2] >= 2 && ratio(c, background(el)) >= 3);
      }
      if (!ok) {
        const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
        const shown = f.outlineStyle === 'none' ? `no outline, box-shadow ${f.boxShadow}` : `${f.outlineWidth} ${f.outlineStyle} ${f.outlineColor}`;
        out.push(`<${el.tagName.toLowerCase()} ${name}>: ${shown}`);
      }
    }
    if (before instanceof HTMLElement) before.focus({ preventScroll: true });
    window.scrollTo(sx, sy);
    return [...new Set(out)].slice(0, 12);
  });
}

/**
 * Text or controls drawn over other text or controls. Each item is a line box
 * of a text node or the box of a control, clipped by the ancestors that clip
 * (overflow other than visible) and by the page; two items overlap when their
 * boxes intersect by more than 2 px both ways and neither contains the other
 * in the DOM.
 */
export async function overlaps(page) {
  return page.evaluate(() => {
    const modal = [...document.querySelectorAll('[role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"], dialog[open]')].at(-1);
    const rootEl = modal ?? document.body;
    const items = [];
    const pinned = (el) => {
      for (let p = el; p && p !== document.body; p = p.parentElement) {
        const pos = getComputedStyle(p).position;
        if (pos === 'sticky' || pos === 'fixed') return p;
      }
      return null;
    };
    // Clipped by `from` and every ancestor of it whose overflow is not visible.
    const clip = (from, rect) => {
      let { left, top, right, bottom } = rect;
      for (let p = from; p && p !== document.documentElement; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
          const b = p.getBoundingClientRect();
          if (cs.overflowX !== 'visible') { left = Math.max(left, b.left); right = Math.min(right, b.right); }
          if (cs.overflowY !== 'visible') { top = Math.max(top, b.top); bottom = Math.min(bottom, b.bottom); }
        }
      }
      return { left, top, right, bottom };
    };
    const visible = (el) => {
      // Not rendered: inside a closed <details> (content-visibility: hidden), display: none, …
      if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) return false;
      for (let p = el; p; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
        if (p.classList?.contains('sr-only') || p.classList?.contains('visually-hidden')) return false;
      }
      return true;
    };
    const label = (el, text) => {
      const id = el.getAttribute?.('data-testid') ?? el.id ?? '';
      return `${text ? `"${text.slice(0, 40)}"` : `<${el.tagName.toLowerCase()}${id ? ` ${id}` : ''}>`}`;
    };
    const CONTROLS = 'button, a[href], input:not([type=hidden]), select, textarea, [role="button"], [role="tab"], [role="checkbox"], [role="switch"]';
    const walker = document.createTreeWalker(rootEl, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('script, style, option, select, textarea, title, [aria-hidden="true"] svg')) continue;
      if (!visible(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        const c = clip(el, r);
        if (c.right - c.left < 1 || c.bottom - c.top < 1) continue;
        items.push({ node: n, el, box: c, pin: pinned(el), name: label(el, text) });
      }
    }
    for (const el of rootEl.querySelectorAll(CONTROLS)) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const c = clip(el.parentElement, r);
      if (c.right - c.left < 1 || c.bottom - c.top < 1) continue;
      items.push({ node: el, el, box: c, pin: pinned(el), name: label(el) });
    }
    const out = [];
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i];
        const b = items[j];
        if (a.pin !== b.pin && (a.pin === null || b.pin === null)) continue; // scrolled under a sticky bar
        const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (w <= 2 || h <= 2) continue;
        if (a.node.contains(b.node) || b.node.contains(a.node)) continue;
        // A control's own text, or a label wrapping its control.
        if (a.el.closest(CONTROLS) && a.el.closest(CONTROLS) === b.el.closest(CONTROLS)) continue;
        if (a.el.closest('label') && a.el.closest('label') === b.el.closest('label') && (a.node.matches?.('input, select, textarea') || b.node.matches?.('input, select, textarea'))) continue;
        out.push(`${a.name} overlaps ${b.name} (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }
    return [...new Set(out)].slice(0, 12);
  });
}

/** Anything wider than the window that is not inside its own sideways scroller. */
async function offScreen(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${vw}px window`);
    for (const el of document.querySelectorAll('button, a[href], input, select, textarea')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') clipped = true;
      }
      if (!clipped && (r.right > vw + 1 || r.left < -1)) out.push(`<${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.textContent.trim().slice(0, 20)}> is off screen (${Math.round(r.left)}–${Math.round(r.right)}px of ${vw})`);
    }
    return out.slice(0, 8);
  });
}

/**
 * Placeholders under 4.5:1 against their field. Chromium's getComputedStyle
 * does not report ::placeholder, and engines differ (WebKitGTK's default grey
 * is 2.35:1 on white), so the app must set the colour itself: the check
 * reads the app's ::placeholder rules and measures their colour on each
 * field that shows a placeholder.
 */
async function faintPlaceholders(page) {
  return page.evaluate(() => {
    const fields = [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].filter((el) => el.placeholder && el.getBoundingClientRect().width > 0);
    if (fields.length === 0) return [];
    const rules = [];
    const walk = (list) => {
      for (const r of list) {
        if (r.cssRules) walk(r.cssRules);
        if (r.selectorText && /::placeholder/.test(r.selectorText)) rules.push(r);
      }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    if (!rules.some((r) => r.style.color)) return ['no ::placeholder colour in the app: each engine uses its own grey (WebKitGTK 2.35:1)'];
    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const out = [];
    for (const el of fields) {
      const rule = rules.filter((r) => r.style.color && el.matches(r.selectorText.replace(/::placeholder/g, '') || '*')).at(-1);
      if (!rule) {
        out.push(`<${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.id}>: no ::placeholder colour applies`);
        continue;
      }
      // Resolve the rule's colour (a var() included) where the field is.
      const probe = document.createElement('span');
      probe.style.color = rule.style.color;
      el.parentElement.appendChild(probe);
      const fg = parse(getComputedStyle(probe).color);
      probe.remove();
      const bg = parse(getComputedStyle(el).backgroundColor);
      const a = (fg.a ?? 1) * parseFloat(rule.style.opacity || '1');
      const mix = { r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a) };
      const [x, y] = [lum(mix), lum(bg)].sort((p, q) => q - p);
      const ratio = (x + 0.05) / (y + 0.05);
      if (ratio < 4.5) out.push(`<${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.id}> placeholder is ${ratio.toFixed(2)}:1`);
    }
    return out.slice(0, 8);
  });
}

/** Drop-downs too narrow for the option they show ("Block (needs an override with a reaso"). */
async function cutSelects(page) {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    const out = [];
    for (const el of document.querySelectorAll('select')) {
      const r = el.getBoundingClientRect();
      const opt = el.selectedOptions[0];
      if (r.width === 0 || !opt || (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true }))) continue;
      const cs = getComputedStyle(el);
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = ctx.measureText(opt.textContent.trim()).width;
      // The arrow takes about 20 px of the content box.
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      if (text > room + 1) out.push(`<select ${el.getAttribute('data-testid') ?? el.id}> shows "${opt.textContent.trim()}" (${Math.round(text)} px) in ${Math.round(room)} px`);
    }
    return out.slice(0, 8);
  });
}

/** Settles: no "Loading…" left, fonts ready, a frame drawn. */
async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 5000 }).catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(120);
}

/** A checker of screens: each `check(name)` records what is wrong on the page now. */
function checker(page, label) {
  const found = {};
  const check = async (name) => {
    await settle(page);
    const problems = [
      ...(await axeViolations(page)).map((v) => `axe ${v}`),
      ...(await weakFocusRings(page)).map((v) => `focus ring ${v}`),
      ...(await overlaps(page)).map((v) => `overlap: ${v}`),
      ...(await offScreen(page)).map((v) => `off screen: ${v}`),
      ...(await cutSelects(page)).map((v) => `cut off: ${v}`),
      ...(await faintPlaceholders(page)).map((v) => `faint: ${v}`),
    ];
    if (problems.length) found[name] = problems;
    await shot(page, `a11y-${label}-${name}`);
  };
  return { found, check };
}

// The test host's receptionist (crates/dermis-testhost/src/fixture.rs).
const DESK = { username: 'desk', password: 'quiet otter marble lantern' };

async function signIn(page, who = ADMIN) {
  await page.waitForSelector(tid('login-username'));
  await page.fill(tid('login-username'), who.username);
  await page.fill(tid('login-password'), who.password);
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('today-screen'));
}

for (const zoom of ZOOMS) {
  test(`at ${zoom.label}: every screen has no axe violation, visible focus rings, no overlapping text and nothing off screen`, async (t) => {
    const screens = {};

    // First run: a clinic that has not been set up.
    {
      const { page, finish } = await openUi({ ...zoom, clinic: { today: TODAY, needs_setup: true } });
      const { found, check } = checker(page, zoom.label);
      try {
        await page.waitForSelector(tid('setup-clinic-name'));
        await check('first-run');
      } finally {
        await finish();
      }
      Object.assign(screens, found);
    }

    const { page, finish, hostCall } = await openUi(zoom);
    const { found, check } = checker(page, zoom.label);
    try {
      await page.waitForSelector(tid('login-username'));
      await check('sign-in');
      await signIn(page);
      await page.waitForSelector(`${tid('today-session')}, ${tid('today-no-sessions')}`);
      await check('today');
      await page.click(tid('today-new-patient'));
      await page.waitForSelector('[role="dialog"]');
      await check('today-new-patient-dialog');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[role="dialog"]', { state: 'detached' });

      await page.click(tid('nav-patients'));
      await page.waitForSelector(tid('patient-row'));
      await check('patient-list');
      await page.click(tid('new-patient'));
      await page.waitForSelector(tid('patient-form'));
      await check('new-patient');
      await page.click(tid('patient-cancel'));
      await page.waitForSelector(tid('patient-row'));

      // The long name with the clinical demo's screening, assessment and plan.
      await page.fill(tid('patient-search'), 'Wolfeschlegelsteinhausen');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="patient-row"]').length === 1);
      await page.click(tid('patient-row'));
      await page.waitForSelector(tid('patient-record'));
      for (const tab of ['profile', 'screening', 'assessments', 'plan', 'sessions', 'progress', 'photos', 'documents']) {
        await page.click(tid(`${tab}-tab`));
        await page.waitForSelector(`#${tab}-panel`);
        await check(`record-${tab}`);
      }
      // The clinical forms, each opened and left with Esc (untouched, so nothing asks).
      const openForm = async (tab, button, name, form, more) => {
        await page.click(tid(`${tab}-tab`));
        await page.waitForSelector(`#${tab}-panel`);
        const b = await page.waitForSelector(button, { timeout: 5000 });
        await b.click();
        await page.waitForSelector(form);
        await check(name);
        await more?.();
        await page.locator(form).locator('input, select, textarea').first().focus();
        await page.keyboard.press('Escape');
        await page.waitForSelector(form, { state: 'detached', timeout: 5000 });
      };
      await openForm('screening', tid('new-screening'), 'screening-form', tid('screening-form'));
      await openForm('assessments', tid('new-assessment'), 'assessment-form', tid('assessment-form'));
      await openForm('plan', '[data-testid="plan-timeline"] [data-testid^="session-record-"]', 'session-form', tid('session-form'));
      await openForm('plan', tid('plan-new'), 'plan-proposal', tid('plan-form'), async () => {
        await page.click('details summary >> text=Adjust the proposal');
        await check('plan-proposal-adjust');
      });

      await page.click(tid('archive-patient'));
      await page.waitForSelector('[role="dialog"], [role="alertdialog"]');
      await check('record-archive-confirm');
      await page.keyboard.press('Escape');

      await page.click(tid('nav-calendar'));
      await page.waitForSelector(tid('calendar-screen'));
      await check('calendar-week');
      await page.click(tid('calendar-view-day'));
      await page.waitForSelector(tid('calendar-day-view'));
      await check('calendar-day');

      await page.click(tid('nav-adverse-events'));
      await page.waitForSelector(tid('adverse-event-register'));
      await check('adverse-events');
      await page.click(tid('tab-lot-trace'));
      await page.waitForSelector(tid('lot-trace'));
      await check('adverse-events-lot-trace');

      await page.click(tid('nav-recalls'));
      await page.waitForSelector(tid('recalls-screen'));
      await check('recalls');

      await page.click(tid('nav-settings'));
      await page.waitForSelector(tid('settings-screen'));
      await check('settings');
      await page.click(tid('settings-open-audit'));
      await page.waitForSelector(tid('audit-screen'));
      await check('audit-log');

      await page.click(tid('open-about'));
      await page.waitForSelector(tid('about-db-path'));
      await check('about');
      await page.click(tid('about-close'));

      // Locked from elsewhere: the next command is refused and the lock screen shows.
      await hostCall('lock_app');
      // The once-a-second change feed may be the command that is refused and
      // shows the lock screen before this click (the nav is then gone: the
      // click waited 30 s for it in a clean-clone CI run); either way the
      // lock screen must show.
      await page.click(tid('nav-today'), { timeout: 3000 }).catch(() => {});
      await page.waitForSelector(tid('lock-screen'));
      await check('lock-screen');
    } finally {
      await finish();
    }
    Object.assign(screens, found);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `a11y-${zoom.label}.json`), JSON.stringify(screens, null, 1));
    t.diagnostic(`${zoom.label}: ${Object.keys(screens).length} screens with problems`);
    assert.deepEqual(screens, {}, `screens with problems at ${zoom.label}`);
  });
}

for (const zoom of ZOOMS) {
  test(`at ${zoom.label}, as the receptionist: Today, the patient list, a record, the calendar and Settings (read only) pass the same checks`, async () => {
    const { page, finish } = await openUi(zoom);
    const { found, check } = checker(page, `desk-${zoom.label}`);
    try {
      await signIn(page, DESK);
      await page.waitForSelector(`${tid('today-session')}, ${tid('today-no-sessions')}`);
      await check('today');
      await page.click(tid('nav-patients'));
      await page.waitForSelector(tid('patient-row'));
      await page.click(`${tid('patient-row')} >> nth=0`);
      await page.waitForSelector(tid('patient-record'));
      await check('record-profile');
      await page.click(tid('documents-tab'));
      await page.waitForSelector('#documents-panel');
      await check('record-documents');
      await page.click(tid('nav-calendar'));
      await page.waitForSelector(tid('calendar-screen'));
      await check('calendar');
      await page.click(tid('nav-settings'));
      await page.waitForSelector(tid('settings-screen'));
      await check('settings');
    } finally {
      await finish();
    }
    assert.deepEqual(found, {}, `the receptionist's screens with problems at ${zoom.label}`);
  });
}

test('a form does not jump when an error clears as the field is corrected', async () => {
  const { page, finish } = await openUi({ width: 1280, height: 720 });
  try {
    await signIn(page);
    await page.click(tid('nav-patients'));
    await page.click(tid('new-patient'));
    await page.waitForSelector(tid('patient-form'));
    await page.click(tid('patient-save'));
    await page.waitForSelector(tid('error-first_name'));
    const top = () => page.evaluate(() => Math.round(document.querySelector('[data-testid="patient-notes"]').getBoundingClientRect().top));
    const before = await top();
    // Corrected one by one, as a person does: each error goes as its field is typed into.
    await page.fill(tid('patient-first-name'), 'Ana');
    await page.fill(tid('patient-last-name'), 'Lima');
    await page.waitForSelector(tid('error-first_name'), { state: 'detached' });
    await page.waitForSelector(tid('error-last_name'), { state: 'detached' });
    assert.equal(await top(), before, 'the field below moved when the error above cleared');
  } finally {
    await finish();
  }
});
