// Drives the sandbox's browser chat in Debian's headless Chromium, as a person would:
// send /start, click a topic button, see the topic appear; then pick a timezone from buttons and
// see that message edited in place. Saves a screenshot.
//
//   node tests/browser/chat.mjs http://127.0.0.1:PORT/ tests/artifacts/sandbox-chat.png
//
// Exits 0 when every step was seen; otherwise prints what was missing and exits 1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node chat.mjs URL SCREENSHOT.png");
  process.exit(2);
}
const STEP_MS = 15000;
// A fresh profile each run: no cache, no cookies, nothing from another run.
const profile = mkdtempSync(join(tmpdir(), "isobot-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 760, height: 1240 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_MS);
  await page.goto(url);
  const botMessages = page.locator(".msg.bot");

  // 1. /start, typed into the text box.
  await page.fill("#text", "/start");
  await page.press("#text", "Enter");
  const welcome = botMessages.filter({ hasText: "Welcome to isobot" }).last();
  await welcome.waitFor();
  await page.locator(".msg.user", { hasText: "/start" }).last().waitFor();

  // 2. A topic button under the welcome: its topic arrives as a new message, titled like it.
  const topic = welcome.locator(".keyboard button").first();
  const label = (await topic.textContent()).trim();
  const before = await botMessages.count();
  await topic.click();
  await page.mouse.move(0, 0);  // no hover highlight in the screenshot
  await botMessages.nth(before).filter({ hasText: label }).waitFor();
  console.log(`topic shown: ${label}`);
  await page.screenshot({ path: screenshot });

  // 3. Buttons that edit in place: /timezone, then a zone; the same message changes.
  await page.fill("#text", "/timezone");
  await page.press("#text", "Enter");
  const picker = botMessages.filter({ hasText: /Which timezone|Pick another/ }).last();
  await picker.waitFor();
  const id = await picker.getAttribute("id");
  await picker.locator(".keyboard button", { hasText: "Europe/Berlin" }).click();
  await page.locator(`#${id}`, { hasText: "Your timezone is now Europe/Berlin" }).waitFor();
  if ((await page.locator(`#${id} .keyboard`).count()) !== 0) {
    throw new Error("the edited message still shows its buttons");
  }
  console.log("edited in place: timezone set");
} catch (error) {
  failed = true;
  console.error(`browser chat check failed: ${error.message}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
