// Drives the sandbox's browser chat through the three pictures of issue 15, as a person would:
// a few doses answered, then /history (the calendar, switched to the whole course), /course (the
// chart) and /report (the PDF offered for download). Saves a screenshot of each.
//
//   node tests/browser/pictures.mjs http://127.0.0.1:PORT/ OUT_DIR
//
// Exits 0 when every step was seen; otherwise prints what was missing and exits 1.
import { join } from "node:path";
import { inChat, say as sayIn, twoArguments } from "./session.mjs";

const [url, out] = twoArguments("node pictures.mjs URL OUT_DIR");
const launch = { acceptDownloads: true };
await inChat(url, { name: "pictures", stepMs: 30000, launch }, async (page) => {
  const bot = page.locator(".msg.bot");

  const say = (text, expected) => sayIn(page, text, expected);
  async function answerDose(label) {
    const reminder = bot.filter({ hasText: "isotretinoin dose" }).last();
    await reminder.locator(".keyboard button", { hasText: label }).click();
    await page.mouse.move(0, 0);
    await reminder.filter({ hasText: label === "Taken" ? "Taken at" : "Skipped" }).waitFor();
  }
  async function shot(name, locator) {
    await page.mouse.move(0, 0);
    // The toast from the last button press would cover the chat.
    await page.evaluate(() => { document.getElementById("notice").style.display = "none"; });
    await locator.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, name) });
    console.log(`screenshot: ${name}`);
  }

  await say("/start", "Welcome to isobot");
  await say("/timezone Europe/London", "Your timezone is now Europe/London");
  await say("/course start 2026-01-12", "Your course");
  await say("/course dose 40", "Daily dose: 40 mg");
  await say("/course weight 68", "Weight: 68 kg");
  await say("/remind dose 08:00");
  // Three mornings: taken, skipped, taken.
  for (const [jump, label] of [["+15m", "Taken"], ["+1d", "Skip"], ["+1d", "Taken"]]) {
    const reminders = await bot.filter({ hasText: "isotretinoin dose" }).count();
    await say(`/sandbox_time ${jump}`);
    await bot.filter({ hasText: "isotretinoin dose" }).nth(reminders).waitFor();
    await answerDose(label);
  }

  // 1. /history: the calendar, its summary as the caption; then the whole course, in place.
  const history = await say("/history");
  const calendar = history.locator("img.photo");
  await calendar.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await calendar.elementHandle());
  if (!(await history.textContent()).includes("Last 7 days")) throw new Error("no summary caption");
  await shot("history.png", history);
  const id = await history.getAttribute("id");
  await history.locator(".keyboard button", { hasText: "Whole course" }).click();
  const whole = page.locator(`#${id}`, { hasText: "Whole course, since" });
  await whole.waitFor();
  await page.waitForFunction((sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0; }, `#${id} img.photo`);
  await shot("history-course.png", whole);
  console.log("history switched to the whole course");

  // 2. /course: the chart with the screen as its caption.
  const course = await say("/course");
  await course.locator("img.photo").waitFor();
  await page.waitForFunction((sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0; }, `#${await course.getAttribute("id")} img.photo`);
  if (!(await course.textContent()).includes("mg/kg")) throw new Error("no figures in the chart's caption");
  await shot("course-chart.png", course);
  console.log("course chart shown");

  // 3. /report: a PDF document offered for download.
  const report = await say("/report");
  const link = report.locator("a.doc");
  await link.waitFor();
  const name = (await link.textContent()).trim();
  if (!/isobot-report-\d{4}-\d\d-\d\d\.pdf/.test(name)) throw new Error(`odd file name: ${name}`);
  await shot("report.png", report);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const saved = join(out, "report.pdf");
  await download.saveAs(saved);
  console.log(`report downloaded: ${download.suggestedFilename()}`);
});
