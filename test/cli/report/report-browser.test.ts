// @vitest-environment stream-engine
/**
 * The page `roster report --html` writes, opened from disk (a file:// URL) in a real headless
 * browser: Debian's Chromium, driven by playwright-core (which downloads no browser). It needs
 * /usr/bin/chromium, and fails, naming the fix, where that is missing: `.ci/run` installs it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../cli/report/report-page';
import type { ReportWorld } from './report-world';
import { HOSTILE_NAME, reportWorld, roster } from './report-world';

const CHROMIUM = '/usr/bin/chromium';

let launched: Promise<Browser> | undefined;
function browser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the browser test needs Debian's Chromium at ${CHROMIUM}: install it with \`apt-get install -y --no-install-recommends chromium\` (as root, or with sudo; .ci/run installs it when it is missing)`,
    );
  launched ??= chromium.launch({ executablePath: CHROMIUM, headless: true });
  return launched;
}

let w: ReportWorld;
let file: string;
let page: Page | undefined;
const errors: string[] = [];

beforeAll(async () => {
  w = await reportWorld();
  file = join(w.dir, 'report.html');
  const out = await roster('report', '--html', file, '--connection', w.connectionId);
  expect(out.errors).toEqual([]);
});

afterAll(async () => {
  await (await launched?.catch(() => undefined))?.close();
  w.cleanUp();
});

/** The written file, opened once, in a browser of its own. */
async function opened(): Promise<Page> {
  if (page) return page;
  const context = await (await browser()).newContext();
  const fresh = await context.newPage();
  fresh.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  fresh.on('pageerror', (error) => errors.push(error.message));
  await fresh.goto(pathToFileURL(file).href);
  page = fresh;
  return fresh;
}

describe('the report in headless Chromium', () => {
  it('has its title and the Content Security Policy, and runs no script', async () => {
    const p = await opened();
    expect(await p.title()).toBe(`Roster report: ${w.connectionId}`);
    const csp = p.locator('meta[http-equiv="Content-Security-Policy"]');
    expect(await csp.count()).toBe(1);
    expect(await csp.getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
    expect(await p.locator('script').count()).toBe(0);
    // Nothing was refused by the policy or failed: the page needs nothing it does not hold.
    expect(errors).toEqual([]);
  });

  it('renders the chart of the runs at a size', async () => {
    const p = await opened();
    const chart = p.locator('svg.chart');
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    expect(await p.locator('svg.chart rect.bar.applied').count()).toBe(2);
    expect(await p.locator('svg.chart circle.point.drift').count()).toBe(2);
    // Both runs failed the one deactivation: a failed bar of full height each.
    const bar = await p.locator('svg.chart rect.bar.failed').last().boundingBox();
    expect(bar?.height).toBeGreaterThan(100);
  });

  it('shows the access not removed first, visibly, as a warning', async () => {
    const p = await opened();
    const warning = p.locator('section#access.warning');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.locator('h2').textContent()).toBe('Access not removed: 1 open');
    expect(await warning.locator('td').first().textContent()).toBe(
      `member ${w.leaving.memberId} (user ${w.leaving.userId})`,
    );
    expect(await p.locator('main > section').first().getAttribute('id')).toBe('access');
    // Warning style: the border of an alarm, not of a calm section.
    // (A string, evaluated in the page: the project's types have no DOM.)
    const border = await p.evaluate(
      "getComputedStyle(document.querySelector('section#access')).borderTopWidth",
    );
    expect(border).toBe('3px');
  });

  it('shows a hostile display name as literal text', async () => {
    const p = await opened();
    const group = p.locator('#preview td strong', { hasText: 'alert(' });
    expect(await group.count()).toBe(1);
    expect(await group.textContent()).toBe(HOSTILE_NAME);
    expect(await p.locator('#preview small', { hasText: `user ${w.hostile.userId}` }).textContent()).toBe(
      `user ${w.hostile.userId}, ${HOSTILE_NAME} Person`,
    );
    expect(await p.locator('#applies td', { hasText: 'alert(' }).textContent()).toBe(HOSTILE_NAME);
    expect(await p.locator('body').textContent()).toContain('<script>');
    expect(await p.locator('script').count()).toBe(0);
  });
});
