// The editors' whole story in a real browser (Debian's chromium through
// playwright-core): log in, write an item with two photos (the files
// named by STORY_PHOTOS, separated by ':'), let the autosave keep unsaved
// words and put them back, preview it, schedule it a little ahead, see it
// appear on the public site at its time with its photos, correct it with a
// note, read the
// note and the history, withdraw it and get the notice.
//
//   node tests/browser/story.mjs BASE_URL LOGIN PASSWORD [SHOTS_DIR]
//
// Prints one line a step; exits 1 at the first step that fails.
import { chromium } from "playwright-core";

const [base, login, password, shots] = process.argv.slice(2);
const AHEAD = Number(process.env.STORY_AHEAD || 40); // seconds
const PHOTOS = (process.env.STORY_PHOTOS || "").split(":").filter(Boolean);
const title = "Bridge over the Ishim opens " + Date.now();

function check(cond, what) {
	if (!cond) {
		throw new Error("check failed: " + what);
	}
}

async function shot(page, name) {
	if (shots) {
		await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
	}
}

async function step(name, fn) {
	const t0 = Date.now();
	await fn();
	console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

// "YYYY-MM-DDTHH:MM:SS" in UTC, the site's zone in the test.
function inputTime(ms) {
	return new Date(ms).toISOString().slice(0, 19);
}

async function main() {
	const browser = await chromium.launch({
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
			"--disable-background-networking", "--no-first-run"],
	});
	const context = await browser.newContext({ baseURL: base });
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => {
		// statuses are the steps' business (a refused save is a 400)
		if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) {
			errors.push(m.text());
		}
	});
	let editUrl, publicUrl;

	await step("log in", async () => {
		await page.goto("/admin");
		check(page.url().includes("/admin/login"), "redirected to login");
		await page.fill("#login", login);
		await page.fill("#password", password);
		await page.click("button[type=submit]");
		await page.waitForURL(/\/admin$/);
		check(await page.isVisible("text=Dashboard"), "dashboard");
		const cookies = await context.cookies();
		const s = cookies.find((c) => c.name === "pr_session");
		check(s && s.httpOnly && s.sameSite === "Strict" && s.path === "/admin",
			"session cookie is HttpOnly, SameSite=Strict, Path=/admin");
	});

	await step("write an item", async () => {
		await page.click("text=New item");
		await page.fill("#e-title", title);
		await page.fill("#e-lead", "The new bridge links both banks.");
		await page.fill("#e-body",
			"The bridge opened **on Monday** in Astana.\n\nIt is 300 m long.");
		await page.fill("#e-tags", "infrastructure, bridges");
		await page.fill("#e-places", "Astana");
		await page.click("button[value=save]");
		await page.waitForURL(/\/admin\/items\/\d+\?done=created/);
		editUrl = page.url().replace(/\?.*$/, "");
		check(await page.isVisible("text=Created."), "created message");
	});

	await step("add two photos", async () => {
		check(PHOTOS.length === 2, "two photo files in STORY_PHOTOS");
		const captions = ["The bridge at dawn", "Cars on the bridge"];
		for (let i = 0; i < 2; i++) {
			await page.setInputFiles("#photo-file", PHOTOS[i]);
			await page.fill("#photo-caption", captions[i]);
			await page.fill("#photo-credit", "Press Office");
			await page.fill("#photo-alt", "Photo " + (i + 1));
			await page.click("#photos button[type=submit]:has-text('Upload')");
			await page.waitForURL(/done=photo/);
			check(await page.isVisible("text=Photo added."), "photo added");
		}
		check(await page.locator(".photo-edit").count() === 2, "two photos");
		const second = page.locator(".photo-edit").nth(1);
		await second.locator("button[value=up]").click();
		await page.waitForURL(/done=photo_changed/);
		check((await page.locator(".photo-edit input[name=caption]").first()
			.inputValue()) === captions[1], "second photo moved up");
		await shot(page, "1-editor");
	});

	await step("autosave keeps unsaved words", async () => {
		await page.fill("#e-body",
			"The bridge opened **on Monday** in Astana.\n\nIt is 300 m long." +
			"\n\nTraffic starts on Friday.");
		await page.waitForSelector("#autosave-status:has-text('Autosaved')",
			{ timeout: 20000 });
		page.once("dialog", (d) => d.accept());
		await page.goto(editUrl);
		check(await page.isVisible("text=kept by the autosave"), "notice");
		await page.click("text=Put it back in the form");
		check((await page.inputValue("#e-body")).includes("Traffic starts"),
			"words back in the form");
		await page.click("button[value=save]");
		await page.waitForURL(/done=saved/);
		check((await page.inputValue("#e-body")).includes("Traffic starts"),
			"saved");
	});

	await step("preview is the public page", async () => {
		await page.goto(editUrl + "/preview");
		check((await page.textContent("h1")).includes(title), "title");
		check(await page.isVisible("strong:has-text('on Monday')"),
			"Markdown rendered");
		check(await page.isVisible(".site-header"), "the site's design");
		await shot(page, "2-preview");
	});

	let due;
	await step("schedule it ahead", async () => {
		await page.goto(editUrl);
		due = Date.now() + AHEAD * 1000;
		await page.fill("#e-at", inputTime(due));
		await page.click("button[value=schedule]");
		await page.waitForURL(/done=scheduled/);
		check(await page.isVisible(".state-scheduled"), "state scheduled");
		// Public pages may be kept by browsers for a minute (max-age=60):
		// every look at the list asks the server with a query of its own.
		const res = await page.goto("/en/news?poll=0");
		check(res.status() === 200, "news list");
		check(!(await page.content()).includes(title), "not out yet");
	});

	await step("it appears on the public site at its time", async () => {
		while (Date.now() < due + 15000) {
			await page.goto("/en/news?poll=" + Date.now());
			if ((await page.content()).includes(title)) {
				break;
			}
			await page.waitForTimeout(1000);
		}
		check(Date.now() >= due - 1500, "not before its time");
		await page.click(`text=${title}`);
		publicUrl = page.url();
		check((await page.textContent("h1")).includes(title), "article page");
		check(!(await page.isVisible(".updated")), "not updated yet");
		check(await page.isVisible(".lead-photo img"), "lead photo");
		check((await page.textContent(".lead-photo figcaption"))
			.includes("Cars on the bridge"), "lead photo's caption");
		const img = await page.$eval(".lead-photo img",
			(e) => e.complete && e.naturalWidth > 0);
		check(img, "lead photo loaded");
		await shot(page, "3-public");
		await page.click(".gallery-link a");
		check(await page.locator(".gallery li").count() === 2,
			"both photos in the gallery");
		check(await page.isVisible("text=The bridge at dawn"),
			"second caption");
		await page.goto(publicUrl);
	});

	await step("correct it with a note", async () => {
		// times have whole seconds: correct in a later one than publication
		await page.waitForTimeout(Math.max(0, due + 1200 - Date.now()));
		await page.goto(editUrl);
		await page.fill("#e-body",
			"The bridge opened **on Tuesday** in Astana.\n\nIt is 300 m long." +
			"\n\nTraffic starts on Friday.");
		await page.click("button[value=save]");
		check(await page.isVisible("text=needs a change note"),
			"a note is asked for");
		check((await page.inputValue("#e-body")).includes("on Tuesday"),
			"the text is kept");
		await page.fill("#e-note", "The opening day was wrong.");
		await page.click("button[value=save]");
		await page.waitForURL(/done=saved/);
	});

	await step("readers see the note and the history", async () => {
		await page.goto(publicUrl + "?poll=1");
		check((await page.textContent(".updated")).includes(
			"The opening day was wrong."), "update note");
		await page.click(".history-link a");
		check(await page.isVisible("ins:has-text('Tuesday')"), "diff ins");
		check(await page.isVisible("del:has-text('Monday')"), "diff del");
		await shot(page, "4-history");
	});

	await step("withdraw it and get the notice", async () => {
		await page.goto(editUrl);
		await page.fill("#w-note", "Published by mistake.");
		await page.click("button[value=withdraw]");
		await page.waitForURL(/done=withdrawn/);
		const res = await page.goto(publicUrl + "?poll=2");
		check(res.status() === 410, "410, got " + res.status());
		check(await page.isVisible("text=Published by mistake."), "notice");
		await shot(page, "5-withdrawn");
	});

	await step("log out", async () => {
		await page.goto("/admin");
		await page.click("text=Log out");
		await page.waitForURL(/\/admin\/login/);
		const res = await page.goto(editUrl);
		check(page.url().includes("/admin/login"), "session ended");
		check(res.status() === 200, "login page");
	});

	check(errors.length === 0, "no script errors: " + errors.join("; "));
	await browser.close();
}

main().catch((e) => {
	console.error("FAIL " + (e && e.stack ? e.stack : e));
	process.exit(1);
});
