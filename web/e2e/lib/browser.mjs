// Debian's Chromium, driven by playwright-core: never a downloaded browser.
// Flags: no sandbox (tests run as root in CI), no GPU, and none of Chromium's
// background connections (the machine has no network beyond loopback).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.HCMS_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A page that records console errors, page errors and CSP violations, so a test
// can assert the admin ran clean under its Content-Security-Policy.
export async function newPage(browser, baseURL, { locale = 'pt-BR' } = {}) {
  const context = await browser.newContext({
    baseURL,
    locale,
    viewport: { width: 1280, height: 860 },
    timezoneId: 'America/Sao_Paulo',
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) {
      page.problems.push(`csp: ${text}`);
    }
  });
  return { context, page };
}

export class Screens {
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.taken = [];
  }

  async shot(page, name) {
    const path = join(this.dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    this.taken.push(path);
    return path;
  }
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core (WCAG 2.1 A/AA + best practices) on the page; returns the
// serious and critical violations, formatted for an assertion message.
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not
  // govern: the admin's strict policy stays on while axe runs.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(', ')}`).join('\n');
}
