// What the browser tests share: Debian's Chromium driven by playwright-core (headless, no
// sandbox, no background networking), a page with its console errors collected, and axe-core's
// own bundle evaluated in the page through the DevTools protocol (the pages' CSP stays on).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** False (run) when the browser is there, and always in CI (a missing browser must fail there). */
export const skipBrowser: false | string = existsSync(CHROMIUM) || process.env.CI ? false : `no browser at ${CHROMIUM} (apt-get install -y chromium)`;
const AXE = skipBrowser ? '' : readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context of this size and colour scheme; `problems` collects console errors and page errors. */
export async function openPage(browser: Browser, width: number, height: number, dark = false): Promise<{ page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** axe-core's violations on the page as it is (every <details> opened first). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: any[] }> } }).axe.run;
    const r = await run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n: any) => ({ target: n.target.join(' '), summary: String(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240) })),
    }));
  });
}
