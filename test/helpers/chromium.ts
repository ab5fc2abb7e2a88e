// Debian's Chromium through playwright-core (browser downloads fail here): a headless persistent context in a
// profile of its own, and a page that collects script errors and failed responses for the test to assert on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

// The page's globals, inside page.evaluate callbacks (this project compiles without the DOM library).
declare const window: { axe: { run: (options: object) => Promise<AxeResult> } };
interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}
const AXE = fs.readFileSync(path.join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { viewport?: { width: number; height: number }; locale?: string } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Script errors, console errors and failed responses of a page (the favicon a page may lack aside). */
export function watchErrors(
  page: Page,
  errors: string[],
  allow: (url: string, status: number) => boolean = () => false,
) {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  page.on('response', (response) => {
    const url = response.url();
    if (response.status() >= 400 && !url.endsWith('/favicon.ico') && !allow(url, response.status())) {
      errors.push(`${response.status()} ${url}`);
    }
  });
}

/** axe-core's serious and critical findings on the page as it stands (WCAG 2.1 A/AA and best practice). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') rightly refuses inline scripts.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
