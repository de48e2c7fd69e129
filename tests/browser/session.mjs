// What the browser checks share: Debian's headless Chromium on a fresh profile, opened on the
// sandbox's chat; typing a message; and the end of a run, which removes the profile and exits 1
// when a step failed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

// The two command-line arguments, or the usage line and exit 2.
export function twoArguments(usage) {
  const found = process.argv.slice(2, 4);
  if (found.length < 2 || found.some((value) => !value)) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return found;
}

// Runs `steps(page)` in the chat at `url`, each step allowed `stepMs`; exits 0 when all passed.
export async function inChat(url, { name, stepMs, launch = {} }, steps) {
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
    ...launch,
  });
  let failed = false;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(stepMs);
    await page.goto(url);
    await steps(page);
  } catch (error) {
    failed = true;
    console.error(`${name} check failed: ${error.message}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

// Types `text` and sends it; returns the bot's next message, once it (and, if given, a bot
// message with `expected` in it) has appeared.
export async function say(page, text, expected) {
  const bot = page.locator(".msg.bot");
  const before = await bot.count();
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  const reply = bot.nth(before);
  await reply.waitFor();
  if (expected) await bot.filter({ hasText: expected }).last().waitFor();
  return reply;
}
