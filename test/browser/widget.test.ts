// The live chat widget in a real browser (Debian's Chromium through playwright-core): a visitor opens the demo
// page, chats, and sees the agent's typing and reply, which the agent sends through the API.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, CHROMIUM, chromiumAvailable, launchChromium, watchErrors } from '../helpers/chromium.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { createWidget } from '../helpers/live-chat.js';

// The page's globals, inside page.evaluate callbacks (this project compiles without the DOM library).
declare const window: any;
declare const document: any;

const SHOTS = path.resolve(import.meta.dirname, '../../test-output/widget');

if (!chromiumAvailable) {
  console.warn(`Skipping the widget browser test: ${CHROMIUM} is absent (install it with apt-get install -y chromium)`);
}

describe.skipIf(!chromiumAvailable)('live chat widget in Chromium', () => {
  let harness: Harness;
  let location: TestLocation;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await startHarness('sqlite', { env: { TYPING_TTL_MS: '10000' } });
    location = await createLocation(harness);
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function openDemo(widgetId: string): Promise<Page> {
    const page = await context.newPage();
    // Failed loads are reported by URL (the browser asks for a favicon the demo does not have).
    watchErrors(page, pageErrors);
    await page.goto(`${harness.baseUrl}/widget/demo?widgetId=${widgetId}`);
    await page.locator('#chat[data-ready="true"]').waitFor({ timeout: 10_000 });
    return page;
  }

  async function conversationOfLocation(): Promise<{ id: string; contactId: string }> {
    const search = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId },
    });
    expect(search.body.conversations).toHaveLength(1);
    return search.body.conversations[0];
  }

  it('chats: the visitor’s message reaches the API, the agent’s typing and reply reach the page', async () => {
    const widget = await createWidget(harness, location, { title: 'Help desk', greeting: 'Hello <b>there</b>!' });
    const page = await openDemo(widget.id);
    await expect(page.locator('[data-role=title]').textContent()).resolves.toBe('Help desk');
    // Text from the server is text, never markup.
    await expect(page.locator('[data-role=greeting]').textContent()).resolves.toBe('Hello <b>there</b>!');

    await page.locator('input[name=name]').fill('Grace Browser');
    await page.locator('[data-role=start]').click();
    await page.locator('#chat[data-connected="true"]').waitFor({ timeout: 10_000 });
    const text = '<img src=x onerror="document.title=1"> Hello from the browser';
    await page.locator('input[name=message]').fill(text);
    await page.locator('[data-role=send]').click();
    await page.locator('li[data-from=visitor]').waitFor({ timeout: 10_000 });
    await expect(page.locator('li[data-from=visitor]').textContent()).resolves.toBe(text);
    await expect(page.locator('[data-role=messages] img').count()).resolves.toBe(0);

    // Through the API: an inbound Live_Chat message of the visitor's conversation.
    const conversation = await conversationOfLocation();
    const messages = await location.api.get('conversations:get-messages', `/conversations/${conversation.id}/messages`);
    expect(messages.body.messages.messages).toEqual([
      expect.objectContaining({
        body: text,
        direction: 'inbound',
        messageType: 'TYPE_LIVE_CHAT',
        chatWidgetId: widget.id,
      }),
    ]);

    // The agent types, then answers.
    const typing = page.locator('[data-role=typing]');
    await expect(typing.isVisible()).resolves.toBe(false);
    const typed = await location.api.post(
      'conversations:live-chat-agent-typing',
      '/conversations/providers/live-chat/typing',
      { locationId: location.locationId, conversationId: conversation.id, visitorId: 'any', isTyping: true },
    );
    expect(typed.status).toBe(201);
    await typing.waitFor({ state: 'visible', timeout: 10_000 });
    const reply = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Live_Chat',
      contactId: conversation.contactId,
      message: 'Hi Grace, how can I help?',
    });
    expect(reply.status).toBe(200);
    const answer = page.locator('li[data-from=agent]');
    await answer.waitFor({ timeout: 10_000 });
    await expect(answer.textContent()).resolves.toBe('Hi Grace, how can I help?');
    await typing.waitFor({ state: 'hidden', timeout: 5000 });

    // Feedback lands on the conversation.
    await page.locator('[data-feedback=positive]').click();
    await page.getByText('Thanks for your feedback!').waitFor({ timeout: 10_000 });
    const rated = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(rated.body.feedback).toBe('positive');

    // A reload resumes the session from storage, with its history.
    await page.reload();
    await page.locator('#chat[data-connected="true"]').waitFor({ timeout: 10_000 });
    await page.locator('li[data-from=agent]').waitFor({ timeout: 10_000 });
    await expect(page.locator('li[data-message-id]').count()).resolves.toBe(2);
    expect(await page.title()).toBe('Switchboard live chat demo');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('says so when the widget does not exist', async () => {
    const page = await context.newPage();
    await page.goto(`${harness.baseUrl}/widget/demo?widgetId=nosuchwidget`);
    await page.getByText('This chat is not available.').waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('speaks Mexican Spanish when asked or when the page is Spanish, with drawn, labelled rating buttons', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [lang, width] of [
      ['en', 375],
      ['en', 1280],
      ['es-MX', 375],
      ['es-MX', 1280],
    ] as const) {
      // A widget each: a visitor's session is kept per widget, and a kept one skips the start form.
      const widget = await createWidget(harness, location, { title: 'Ayuda', greeting: '¡Hola!' });
      const page = await context.newPage();
      watchErrors(page, pageErrors);
      await page.setViewportSize({ width, height: 640 });
      await page.goto(`${harness.baseUrl}/widget/demo?widgetId=${widget.id}&lang=${lang}`);
      await page.locator('#chat[data-ready="true"]').waitFor({ timeout: 10_000 });
      const start = page.locator('[data-role=start]');
      await expect(start.textContent()).resolves.toBe(lang === 'en' ? 'Start chat' : 'Iniciar chat');
      await page.locator('input[name=name]').fill('Lupita');
      await start.click();
      await page.locator('#chat[data-connected="true"]').waitFor({ timeout: 10_000 });
      const good = page.getByRole('button', { name: lang === 'en' ? 'Good chat' : 'Buena atención' });
      const bad = page.getByRole('button', { name: lang === 'en' ? 'Bad chat' : 'Mala atención' });
      for (const button of [good, bad]) {
        // An icon, not an emoji a machine without an emoji font shows as an empty box.
        await expect(button.locator('svg path').count()).resolves.toBe(1);
        await expect(button.textContent()).resolves.toBe('');
      }
      await expect(
        page.getByRole('group', { name: lang === 'en' ? 'Rate this chat' : 'Califica este chat' }).count(),
      ).resolves.toBe(1);
      if (lang === 'es-MX') {
        await expect(page.locator('input[name=message]').getAttribute('placeholder')).resolves.toBe(
          'Escribe un mensaje…',
        );
      }
      await page.screenshot({ path: path.join(SHOTS, `widget-${lang}-${width}.png`) });
      await page.close();
    }

    // Without an explicit choice, the page's <html lang> decides; both catalogues have every key.
    const widget = await createWidget(harness, location, { title: 'Ayuda' });
    const page = await context.newPage();
    await page.goto(`${harness.baseUrl}/widget/demo`);
    const shown = await page.evaluate(
      async ({ widgetId, baseUrl }) => {
        document.documentElement.lang = 'es-MX';
        const container = document.createElement('div');
        document.body.append(container);
        window.SwitchboardChat.mount({ widgetId, baseUrl, container });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return {
          start: container.shadowRoot.querySelector('[data-role=start]').textContent,
          keys: Object.fromEntries(
            Object.entries(window.SwitchboardChat.strings).map(([name, strings]) => [
              name,
              Object.keys(strings as object).sort(),
            ]),
          ),
        };
      },
      { widgetId: widget.id, baseUrl: harness.baseUrl },
    );
    expect(shown.start).toBe('Iniciar chat');
    expect(shown.keys['es-MX']).toEqual(shown.keys.en);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
