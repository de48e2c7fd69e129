// Drives the sandbox's browser chat in Debian's headless Chromium, as a person would:
// send /start, click a topic button, see the topic appear; then pick a timezone from buttons and
// see that message edited in place. Saves a screenshot.
//
//   node tests/browser/chat.mjs http://127.0.0.1:PORT/ tests/artifacts/sandbox-chat.png
//
// Exits 0 when every step was seen; otherwise prints what was missing and exits 1.
import { inChat, say, twoArguments } from "./session.mjs";

const [url, screenshot] = twoArguments("node chat.mjs URL SCREENSHOT.png");
await inChat(url, { name: "browser chat", stepMs: 15000 }, async (page) => {
  const botMessages = page.locator(".msg.bot");

  // 1. /start, typed into the text box.
  await say(page, "/start", "Welcome to isobot");
  const welcome = botMessages.filter({ hasText: "Welcome to isobot" }).last();
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
  await say(page, "/timezone");
  const picker = botMessages.filter({ hasText: /Which timezone|Pick another/ }).last();
  await picker.waitFor();
  const id = await picker.getAttribute("id");
  await picker.locator(".keyboard button", { hasText: "Europe/Berlin" }).click();
  await page.locator(`#${id}`, { hasText: "Your timezone is now Europe/Berlin" }).waitFor();
  if ((await page.locator(`#${id} .keyboard`).count()) !== 0) {
    throw new Error("the edited message still shows its buttons");
  }
  console.log("edited in place: timezone set");
});
