// The console's developer tools in Chromium, against the real app: the API reference at /docs and its "try it"
// (with the signed-in session and with a pasted token), tokens (created, shown once, revoked only after a yes), the
// sandbox views (request journal, virtual clock, faults, location reset), webhook deliveries (attempts, signature,
// payload, redelivery), and a long inbox (virtualised, paged by keyset).
// Screenshots at 375 px and at desktop width, in English and Spanish, land in test-output/console/.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  type Browser,
  CHROMIUM,
  chromiumAvailable,
  launchChromium,
  watchErrors,
} from '../helpers/chromium.js';
import { ensureConsoleBuilt } from '../helpers/console-build.js';
import { createApp, createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { ADMIN_TOKEN, type Harness, startHarness } from '../helpers/harness.js';
import { inbound } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-output/console');
const START = '2030-03-01T09:00:00.000Z';

if (!chromiumAvailable) console.warn(`Skipping the console tools browser test: ${CHROMIUM} is absent`);

describe.skipIf(!chromiumAvailable)('console tools in Chromium', () => {
  let harness: Harness;
  let acme: TestLocation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    harness = await startHarness('sqlite', { env: { CLOCK: 'virtual', CLOCK_START: START } });
    acme = await createLocation(harness);
    await harness.admin.patch(null, `/admin/v1/locations/${acme.locationId}`, { name: 'Acme Dental' });
    const ana = await createContact(acme, { firstName: 'Ana', lastName: 'López', phone: '+15550100001' });
    await inbound(acme, { type: 'SMS', contactId: ana.id, message: 'Hola, ¿tienen cita el martes?' });
    browser = await launchChromium({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context = browser.context;
    // The admin's console opens the location it remembers, else the first of the list. Every location here is made
    // at the same instant of the virtual clock, so "first" falls to their random ids: acme is remembered from the
    // start, so the views these tests read (tokens, journal, faults, reset) are acme's whatever the ids.
    // (The console's LOCATION_KEY, console/src/api/session.ts; a script as text, run in the page before its own.)
    const remember = JSON.stringify(acme.locationId);
    await context.addInitScript(
      // Sandboxed frames (an email's preview) and about:blank have no storage: nothing to remember there.
      `try { if (!localStorage.getItem('switchboard.location')) localStorage.setItem('switchboard.location', ${remember}); } catch {}`,
    );
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    // Expected: the session probe of a signed-out page, and the deliberate wrong token of the try-it test.
    watchErrors(page, errors, (_url, status) => status === 401);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** A fresh load (a hash change alone would keep the page, and the session it read). */
  async function open(where: string) {
    await page.goto('about:blank');
    await page.goto(`${harness.baseUrl}${where}`);
  }

  async function signIn() {
    const signed = await context.request.post(`${harness.baseUrl}/console/v1/session`, {
      data: { token: ADMIN_TOKEN },
    });
    expect(signed.ok()).toBe(true);
  }

  async function signOut() {
    await context.clearCookies();
  }

  async function language(choice: 'en' | 'es-MX') {
    await page
      .getByLabel(/^(Language|Idioma)$/)
      .first()
      .selectOption(choice);
  }

  /** Whether the element lies wholly within a 375 px wide screen (not past a sideways scroll). */
  async function withinPhoneWidth(locator: Locator): Promise<boolean> {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const box = await locator.boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= 375;
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }

  /** Whether the element has the focus. */
  function focused(locator: Locator): Promise<boolean> {
    // A page's element: this project compiles without the DOM library.
    return locator.evaluate((element: any) => element === element.ownerDocument.activeElement);
  }

  /** The page at 375 px and at 1280 px, in English and in Spanish. */
  async function shootAll(name: string, ready: () => Promise<unknown>) {
    try {
      for (const choice of ['en', 'es-MX'] as const) {
        await language(choice);
        for (const width of [375, 1280]) {
          await page.setViewportSize({ width, height: width === 375 ? 740 : 800 });
          await ready();
          await page.screenshot({ path: path.join(SHOTS, `${name}-${choice}-${width}.png`) });
        }
      }
    } finally {
      // The choice sticks (localStorage): the next test starts in English, at desktop width.
      await page.setViewportSize({ width: 1280, height: 800 });
      await language('en');
    }
  }

  describe('the API reference', () => {
    it('renders every document, the admin API among them', async () => {
      await open('/docs#/admin');
      await page.getByRole('heading', { name: 'Switchboard admin API' }).waitFor();
      await page.getByRole('link', { name: /Read the server's clock/ }).waitFor();
      for (const [tab, operation] of [
        ['Conversations', 'Send a new message'],
        ['Contacts', 'Get Contact'],
        ['OAuth', 'Get Access Token'],
        ['Switchboard extensions', 'Search the text of every message of a location'],
      ]) {
        await page.getByRole('link', { name: tab, exact: true }).click();
        await page.getByRole('link', { name: operation }).first().waitFor();
      }
      expect(await axeViolations(page)).toEqual([]);
    });

    it('tries an operation with a pasted token, and shows a refused one as refused', async () => {
      await signOut();
      await open('/docs#/conversations/search-conversation');
      await page.getByRole('heading', { name: 'Search Conversations' }).waitFor();
      await page.getByLabel('A token').check();
      await page.getByLabel(/^Token/).fill(acme.token);
      await page.getByLabel(/^locationId/).fill(acme.locationId);
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => page.getByTestId('try-it-status').textContent()).toContain('200');
      expect(await page.getByTestId('try-it-body').textContent()).toContain('Hola, ¿tienen cita el martes?');

      await page.getByLabel(/^Token/).fill('pit-not-a-real-token');
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => page.getByTestId('try-it-status').textContent()).toContain('401');
      expect(await axeViolations(page)).toEqual([]);
    });

    it('tries an admin operation with the signed-in session, in Spanish too', async () => {
      await signIn();
      await open('/docs#/admin/get-clock');
      await page.getByLabel('My console session').waitFor();
      expect(await page.getByLabel('My console session').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => page.getByTestId('try-it-status').textContent()).toContain('200');
      const body = JSON.parse((await page.getByTestId('try-it-body').textContent()) ?? '{}');
      expect(body).toMatchObject({ mode: 'virtual' });

      await language('es-MX');
      await page.getByRole('heading', { name: 'Pruébalo' }).waitFor();
      await page.getByRole('button', { name: 'Enviar solicitud' }).click();
      await expect.poll(() => page.getByTestId('try-it-status').textContent()).toContain('200');
      await language('en');

      await open('/docs#/admin/list-requests');
      await page.getByLabel(/^locationId/).waitFor();
      expect(await page.getByLabel(/^locationId/).inputValue()).toBe(acme.locationId);
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => page.getByTestId('try-it-status').textContent()).toContain('200');
      await page.getByTestId('try-it-status').scrollIntoViewIfNeeded();
      await shootAll('reference', () => page.getByTestId('try-it-status').scrollIntoViewIfNeeded());
      expect(errors.filter((error) => !error.startsWith('401 '))).toEqual([]);
    });
  });

  describe('webhook deliveries', () => {
    it('shows a delivery with every attempt, its signature header and payload, and redelivers it', async () => {
      const to = await Receiver.start();
      try {
        // A location of its own: the deliveries view is per app, and the sandbox tests count acme's conversations.
        const hooked = await createLocation(harness);
        const app = await createApp(harness, { name: 'Acme CRM', webhookUrl: `${to.url}/hooks` });
        await harness.admin.put(null, `/admin/v1/locations/${hooked.locationId}/apps/${app.id}`);
        const contact = await createContact(hooked, { firstName: 'Hook', lastName: 'Tester', phone: '+15550100999' });
        await inbound(hooked, { type: 'SMS', contactId: contact.id, message: 'Hook me' });
        await harness.server.services.jobs.runDue();
        const sent = to.requests.find((request) => request.json?.type === 'InboundMessage');
        expect(sent).toBeDefined();

        await signIn();
        await open(`/#/webhooks/${app.id}`);
        await page.getByRole('link', { name: /^InboundMessage/ }).click();
        const headers = page.getByTestId('delivery-headers');
        await headers.waitFor();
        expect(await headers.textContent()).toContain(`X-GHL-Signature: ${sent?.headers['x-ghl-signature']}`);
        expect(await page.locator('.viewer pre.json').last().textContent()).toContain('Hook me');
        await page.getByRole('cell', { name: 'HTTP 200' }).waitFor();

        const before = to.requests.length;
        await page.getByRole('button', { name: 'Redeliver' }).click();
        await page.getByRole('status').filter({ hasText: 'Queued for delivery.' }).waitFor();
        await harness.server.services.jobs.runDue();
        await expect.poll(() => to.requests.length).toBe(before + 1);
        await expect.poll(() => page.locator('.viewer tbody tr').count(), { timeout: 6000 }).toBe(2);
        expect(await axeViolations(page)).toEqual([]);
        await shootAll('webhooks', () => headers.waitFor());
      } finally {
        await to.close();
      }
    });
  });

  describe('settings', () => {
    it('creates a token, shows it once, and revokes it only once asked', async () => {
      await signIn();
      await open('/#/settings/tokens');
      await page.getByLabel('Name').fill('CI bot');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = page.locator('.copy-once .secret');
      await secret.waitFor();
      const token = (await secret.textContent()) ?? '';
      expect(token).toMatch(/^pit-/);
      const works = () =>
        harness.client(token).get(null, '/conversations/search', { query: { locationId: acme.locationId } });
      expect((await works()).status).toBe(200);
      const row = page.getByRole('row', { name: /CI bot/ });
      await row.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(await withinPhoneWidth(row.getByRole('button', { name: 'Revoke' }))).toBe(true);
      await shootAll('settings-tokens', () => secret.waitFor());
      // Shown once: a fresh load lists the token but never its secret again.
      await open('/#/settings/tokens');
      await row.waitFor();
      expect(await page.locator('.copy-once').count()).toBe(0);
      expect(await page.content()).not.toContain(token);
      // Revoking asks first, naming the token; cancelling leaves it working and the focus where it was.
      const revoke = row.getByRole('button', { name: 'Revoke' });
      const question = page.getByRole('alertdialog', { name: /^Revoke CI bot\? Anything that uses this token/ });
      await revoke.click();
      await question.waitFor();
      expect(await focused(question)).toBe(true);
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'detached' });
      expect(await focused(revoke)).toBe(true);
      expect((await works()).status).toBe(200);
      await revoke.click();
      await page.keyboard.press('Escape');
      await question.waitFor({ state: 'detached' });
      expect((await works()).status).toBe(200);

      await revoke.click();
      const yes = question.getByRole('button', { name: 'Yes, revoke CI bot' });
      await yes.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(await withinPhoneWidth(yes)).toBe(true);
      await shootAll('settings-tokens-revoke', () => page.getByRole('alertdialog').waitFor());
      expect((await works()).status).toBe(200);
      await yes.click();
      await row.getByText('Revoked').waitFor();
      expect(await question.count()).toBe(0);
      // Said, and the focus kept in the page: the confirm button that had it went with its question.
      const notice = page.getByRole('status').filter({ hasText: 'CI bot is revoked' });
      await notice.waitFor();
      expect(await focused(notice)).toBe(true);
      await shootAll('settings-tokens-revoked', () => page.locator('p.notice[role=status]').waitFor());
      expect((await works()).status).toBe(401);
    });
  });

  describe('the sandbox views', () => {
    it('the request journal lists calls, filters them and shows one call', async () => {
      await acme.api.post(null, '/conversations/messages', { type: 'SMS', contactId: 'no-such-contact', message: 'x' });
      await signIn();
      await open('/#/sandbox/journal');
      await page.getByRole('link', { name: /^POST \/conversations\/messages[^/]/ }).waitFor();
      await page.getByLabel('Status').fill('4xx');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await expect.poll(() => page.locator('.record-list li').count()).toBe(1);
      await page.getByRole('link', { name: /^POST \/conversations\/messages[^/]/ }).click();
      const detail = page.getByRole('region', { name: 'Call detail' });
      await detail.getByText('no-such-contact').first().waitFor();
      expect(await detail.locator('.http-status').textContent()).toMatch(/^4\d\d$/);
      expect(await axeViolations(page)).toEqual([]);
      // The detail replaces the list at 375 px; the region's name is translated, its class is not.
      await shootAll('sandbox-journal', () => page.locator('.split-detail pre').first().waitFor());
    });

    it('the clock reads the server time and moves it forward', async () => {
      await open('/#/sandbox/clock');
      const now = page.getByTestId('clock-now');
      await now.waitFor();
      const before = Date.parse((await now.getAttribute('datetime')) ?? '');
      await page.getByLabel('Move forward by').fill('2');
      await page.getByLabel('Unit').selectOption('hours');
      await page.getByRole('button', { name: 'Move the clock' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /ran on the way/ })
        .waitFor();
      const after = Date.parse((await now.getAttribute('datetime')) ?? '');
      expect(after - before).toBeGreaterThanOrEqual(2 * 3_600_000);
      const server = await harness.admin.get(null, '/admin/v1/clock');
      expect(Date.parse(server.body.now)).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
      expect(await axeViolations(page)).toEqual([]);
      await shootAll('sandbox-clock', () => now.waitFor());
    });

    it('faults are listed, added and removed', async () => {
      await open('/#/sandbox/faults');
      await page.getByText('No active faults.').waitFor();
      await page.getByLabel('Times (empty: until removed)').fill('2');
      await page.getByRole('button', { name: 'Add fault' }).click();
      const row = page.locator('tbody tr');
      await row.first().waitFor();
      expect(await row.first().textContent()).toContain('/conversations/messages');
      const listed = await harness.admin.get(null, '/admin/v1/faults');
      expect(listed.body.faults).toMatchObject([{ target: 'api', times: 2, match: { locationId: acme.locationId } }]);
      await page.getByLabel('Effect (JSON)').fill('{ not json');
      await page.getByRole('button', { name: 'Add fault' }).click();
      await page.getByRole('alert').filter({ hasText: 'must be JSON' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(await withinPhoneWidth(page.getByRole('button', { name: 'Remove', exact: true }))).toBe(true);
      await shootAll('sandbox-faults', () => row.first().waitFor());
      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByText('No active faults.').waitFor();
      expect((await harness.admin.get(null, '/admin/v1/faults')).body.faults).toEqual([]);
    });

    it('resetting the location asks first, then empties it', async () => {
      await open('/#/sandbox/reset');
      await page.getByRole('button', { name: 'Empty the location…' }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await focused(page.getByRole('button', { name: 'Empty the location…' }))).toBe(true);
      const search = () => acme.api.get(null, '/conversations/search', { query: { locationId: acme.locationId } });
      expect((await search()).body.total).toBe(1);
      await page.getByRole('button', { name: 'Empty the location…' }).click();
      await shootAll('sandbox-reset', () => page.getByRole('button', { name: /^(Yes, empty|Sí, vaciar)/ }).waitFor());
      await page.getByRole('button', { name: 'Yes, empty Acme Dental' }).click();
      await page.getByRole('status').filter({ hasText: 'Acme Dental is empty' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'Conversations: 1' }).count()).toBe(1);
      expect((await search()).body.total).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors.filter((error) => !error.startsWith('401 '))).toEqual([]);
    });
  });

  describe('an empty inbox', () => {
    it('says how to make a conversation, and the commands it shows work as shown', async () => {
      // acme was emptied by the reset above.
      await open('/#/inbox');
      await page.getByRole('heading', { name: 'No conversations yet' }).waitFor();
      const curl = (await page.locator('.empty pre.curl').textContent()) ?? '';
      expect(curl).toContain(acme.locationId);
      const [contactBody, messageBody] = [...curl.matchAll(/-d '([^']+)'/g)].map((match) => match[1] ?? '');
      const call = (path: string, version: string, body: string) =>
        fetch(`${harness.baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${acme.token}`, version, 'content-type': 'application/json' },
          body,
        });
      const contact = await call('/contacts/', '2021-07-28', contactBody ?? '');
      expect(contact.status).toBe(201);
      const { id } = ((await contact.json()) as { contact: { id: string } }).contact;
      const sent = await call(
        '/conversations/messages/inbound',
        '2021-04-15',
        (messageBody ?? '').replace('<contact.id from above>', id),
      );
      expect(sent.status).toBe(200);
      // The new conversation arrives live.
      await page.getByRole('link', { name: /Ana/ }).waitFor();
    });
  });

  describe('a long inbox', () => {
    it('draws only the rows on screen and fetches the next page by keyset as it scrolls, each row once', async () => {
      // 120 conversations at one instant of the virtual clock: the keyset's tiebreak decides every page boundary.
      const busy = await createLocation(harness);
      await harness.admin.patch(null, `/admin/v1/locations/${busy.locationId}`, { name: 'Busy Clinic' });
      for (let i = 0; i < 120; i += 1) {
        const n = String(i).padStart(3, '0');
        const contact = await createContact(busy, { firstName: 'Patient', lastName: n, phone: `+1555030${n}0` });
        await inbound(busy, { type: 'SMS', contactId: contact.id, message: `Message ${n}` });
      }
      const searches: string[] = [];
      const listen = (request: { url(): string }) => {
        if (request.url().includes('/conversations/search')) searches.push(request.url());
      };
      page.on('request', listen);
      try {
        await signIn();
        await open('/#/inbox');
        await page.getByLabel('Location', { exact: true }).selectOption(busy.locationId);
        await page.getByText('120 conversations').waitFor();
        const seen = new Set<string>();
        let mostDrawn = 0;
        for (let step = 0; step < 60 && seen.size < 120; step += 1) {
          const names = await page.locator('.conversation-row .row-name').allTextContents();
          mostDrawn = Math.max(mostDrawn, names.length);
          for (const name of names) seen.add(name);
          await page.locator('.list-scroll').evaluate((element: any) => {
            element.scrollTop += 400;
          });
          await page.waitForTimeout(50);
        }
        expect(seen.size).toBe(120);
        expect(mostDrawn).toBeLessThan(40);
        const pages = searches.map((url) => new URL(url).searchParams.get('startAfterDate'));
        expect(pages[0]).toBeNull();
        expect(pages.filter((cursor) => cursor !== null).length).toBeGreaterThanOrEqual(2);
        expect(searches.every((url) => !new URL(url).searchParams.has('page'))).toBe(true);
      } finally {
        page.off('request', listen);
      }
    });
  });
});
