/**
 * The --html page in a real browser (issue #15 item 7): Debian's headless Chromium, driven by
 * puppeteer-core (which downloads no browser), opens the page of the prod plan's review from
 * file:// and checks that Mermaid drew the diagram and the cost table and chart are there, with no
 * console error, no page error and no request for anything outside the file. One browser launch.
 * Outside CI a missing chromium skips with a message; under CI=true it fails (.ci/run installs it).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { readStackConfig, stackConfigPath } from "../../../tools/offline";
import { reviewOf } from "../../../tools/report";
import { mermaidOf } from "../../../tools/report/diagram";
import { htmlReport } from "../../../tools/report/html";
import { COST_CATEGORIES, SEED_COST_LINES } from "../../../tools/report/types";
import { planOf } from "../../support";

/** A resource name that would run if the page did not escape it. */
const HOSTILE = "evil<script>window.__injected = true</script><img src=x onerror=window.__injected=true>";

function chromium(): string | undefined {
    const found = spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

describe("the --html page in headless Chromium (issue #15 item 7)", function () {
    this.timeout(60_000);
    let browser: Browser | undefined;
    let page: Page;
    let dir = "";
    const problems: string[] = [];

    before(async function () {
        const executablePath = chromium();
        if (!executablePath) {
            if (process.env.CI) throw new Error("chromium is not installed but CI is set: .ci/run installs it (apt-get install chromium)");
            console.warn("      skipped: chromium is not installed (apt-get install chromium); CI runs this test");
            this.skip();
        }
        const plan = await planOf("prod");
        // The real review of the real prod plan, with the diagram the CLI draws.
        const review = { ...reviewOf(plan, { config: readStackConfig(stackConfigPath("prod")), date: "2026-12-01" }), diagram: mermaidOf(plan) };
        review.cost.lines[0] = { ...review.cost.lines[0], urn: `${review.cost.lines[0].urn.split("::").slice(0, -1).join("::")}::${HOSTILE}` };
        dir = mkdtempSync(path.join(tmpdir(), "html-report-"));
        const file = path.join(dir, "prod.html");
        writeFileSync(file, htmlReport({ ...plan, ...review }));
        // Root (CI) cannot use Chromium's sandbox; the page is our own file.
        browser = await puppeteer.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
        page = await browser.newPage();
        page.on("console", (m) => void (["error", "warn", "assert"].includes(m.type()) && problems.push(`console.${m.type()}: ${m.text()}`)));
        page.on("pageerror", (e) => void problems.push(`pageerror: ${String(e)}`));
        page.on("request", (r) => void (!/^(file|data|about):/.test(r.url()) && problems.push(`request: ${r.url()}`)));
        page.on("requestfailed", (r) => void problems.push(`request failed: ${r.url()}`));
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        await page.waitForSelector("#diagram[data-rendered]", { timeout: 20_000 });
    });

    after(async () => {
        // Never leave a browser behind, even when closing fails.
        const child = browser?.process();
        await browser?.close().catch(() => undefined);
        if (child && child.exitCode === null) child.kill("SIGKILL");
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("Mermaid drew the diagram: an <svg> with the flowchart's nodes inside the diagram container", async () => {
        const drawn = await page.$eval("#diagram", (d) => ({
            state: d.getAttribute("data-rendered"),
            svgs: d.querySelectorAll("svg").length,
            nodes: d.querySelectorAll("svg g.node").length,
            error: d.querySelector(".error-icon") !== null,
        }));
        assert.deepEqual({ ...drawn, nodes: drawn.nodes > 5 }, { state: "true", svgs: 1, nodes: true, error: false });
    });

    it("the cost table and the cost chart rendered: a row per seed line and category, a bar per figure", async () => {
        const rows = await page.$$eval("#cost-table tbody tr", (trs) => trs.map((tr) => tr.querySelector("td")?.textContent ?? ""));
        assert.equal(rows.length, SEED_COST_LINES.length + COST_CATEGORIES.length);
        // Each seed line names the site its figure is from (prod's own lines here).
        assert.equal(rows[0], `${SEED_COST_LINES[0].line} (prod)`);
        const bars = await page.$$eval("#cost-chart rect.plan, #cost-chart rect.seed", (rects) => rects.length);
        // A plan bar per row, a seed bar per seed line, and the two legend swatches.
        assert.equal(
            bars,
            SEED_COST_LINES.length + COST_CATEGORIES.length - new Set(SEED_COST_LINES.flatMap((s) => s.categories)).size + SEED_COST_LINES.length + 2,
        );
    });

    it("resource names are text: a name with <script> shows as written and runs nothing", async () => {
        const injected = await page.evaluate(() => (globalThis as { __injected?: boolean }).__injected === true);
        assert.equal(injected, false);
        const text = await page.$eval("#cost", (s) => s.textContent ?? "");
        assert.ok(text.includes(HOSTILE), "the hostile name is shown as text");
    });

    it("no console error, no page error, and no request outside the file (the page is self-contained)", () => {
        assert.deepEqual(problems, []);
    });
});
