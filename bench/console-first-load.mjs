// Times the console's first load against a running server: a cold Chromium context each run (empty cache), signed in
// as the admin, on a chosen location, from navigation to the first rendered conversation row. Usage:
//   DATABASE_URL=sqlite:/tmp/big.db node bin/switchboard.js seed --locations 1 --contacts 100000 \
//     --conversations 100000 --messages 200000
//   DATABASE_URL=sqlite:/tmp/big.db SWITCHBOARD_ADMIN_TOKEN=… PORT=18951 node bin/switchboard.js serve &
//   SWITCHBOARD_ADMIN_TOKEN=… node bench/console-first-load.mjs http://127.0.0.1:18951 <locationId> [runs]
import { chromium } from 'playwright-core';

const [base, locationId, runs = '7'] = process.argv.slice(2);
const token = process.env.SWITCHBOARD_ADMIN_TOKEN;
if (!base || !locationId || !token) {
  console.error('usage: SWITCHBOARD_ADMIN_TOKEN=… node bench/console-first-load.mjs <baseUrl> <locationId> [runs]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const samples = [];
for (let run = 0; run < Number(runs); run += 1) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((id) => localStorage.setItem('switchboard.location', id), locationId);
  await context.request.post(`${base}/console/v1/session`, { data: { token } });
  const page = await context.newPage();
  let searchMs = null;
  page.on('requestfinished', (request) => {
    if (request.url().includes('/conversations/search')) searchMs = Math.round(request.timing().responseEnd);
  });
  await page.goto(`${base}/#/inbox`);
  await page.locator('.conversation-row').first().waitFor({ timeout: 30_000 });
  // Milliseconds since navigation started: the first row is on screen.
  const rendered = Math.round(await page.evaluate(() => performance.now()));
  samples.push({ rendered, searchMs, list: await page.locator('.list-count').textContent() });
  await context.close();
}
await browser.close();
const sorted = samples.map((sample) => sample.rendered).sort((a, b) => a - b);
console.log(
  JSON.stringify(
    { samples, medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0], maxMs: sorted.at(-1) },
    null,
    2,
  ),
);
