// Two users in two browser contexts of Debian's headless Chromium chat through the demo page.
// Run by JsClientIT with DEMO_URL (the page, served with the cluster's URLs) and DEMO_SCREENSHOT.
import { chromium } from 'playwright-core';

const url = process.env.DEMO_URL;
const screenshot = process.env.DEMO_SCREENSHOT ?? 'target/demo-chat.png';
if (!url) {
  console.error('DEMO_URL not set');
  process.exit(2);
}
const run = Date.now().toString(36);
const alice = `alice-${run}`;
const bob = `bob-${run}`;
const timeout = 120_000;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  const [pageA, pageB] = await Promise.all([alice, bob].map(async (user) => {
    const context = await browser.newContext({ viewport: { width: 900, height: 560 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('console', (m) => console.log(`[${user}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[${user}] page error: ${e.message}`));
    await page.goto(url);
    await page.getByTestId('user').fill(user);
    await page.getByTestId('sign-in').click();
    await page.locator('[data-testid=state][data-state=connected]').waitFor();
    return page;
  }));
  console.log('both connected');

  await pageA.getByTestId('members').fill(bob);
  await pageA.getByTestId('new-title').fill('Trip');
  await pageA.getByTestId('create').click();
  await pageA.getByTestId('text').fill('hi bob, ready for the trip?');
  await pageA.getByTestId('send').click();
  await pageA.getByTestId('messages').getByText('hi bob, ready for the trip?').waitFor();
  console.log('alice sent');

  const bobsEntry = pageB.getByTestId('conversation').filter({ hasText: 'Trip' });
  await bobsEntry.getByTestId('unread').filter({ hasText: '1' }).waitFor();
  console.log('bob sees 1 unread');
  await pageB.screenshot({ path: screenshot.replace(/\.png$/, '-bob-unread.png') });
  await bobsEntry.click();
  await pageB.getByTestId('messages').getByText('hi bob, ready for the trip?').waitFor();
  await pageA.getByTestId('seen').filter({ hasText: `Seen by ${bob}` }).waitFor();
  console.log('alice sees the receipt');

  // Keep typing until alice sees it: a typing signal is at-most-once, so one may be lost.
  const seenTyping = pageA.getByTestId('typing').filter({ hasText: `${bob} is typing` }).waitFor();
  let typed = false;
  seenTyping.then(() => { typed = true; }, () => undefined);
  for (let i = 0; !typed && i < 100; i++) {
    await pageB.getByTestId('text').pressSequentially('yes', { delay: 50 });
    await pageB.getByTestId('text').fill('');
    await pageA.waitForTimeout(200);
  }
  await seenTyping;
  console.log('alice sees bob typing');
  await pageA.screenshot({ path: screenshot.replace(/\.png$/, '-typing.png') });

  await pageB.getByTestId('text').fill('yes! packing now');
  await pageB.getByTestId('send').click();
  await pageA.getByTestId('messages').getByText('yes! packing now').waitFor();
  await pageB.getByTestId('messages').getByText('yes! packing now').waitFor();
  console.log('alice got bob\'s answer');
  await pageA.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
} catch (e) {
  failed = true;
  console.error(`browser test failed: ${e.stack ?? e}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
