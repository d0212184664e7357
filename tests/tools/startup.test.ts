/**
 * What keeps `npm run plan` quick to start: modules @pulumi/pulumi loads but the CLI does not use
 * are loaded at their first use (tools/lazyModules.ts), and the program runs with source-mapped
 * stack traces off (tools/plan.ts).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { deferModule } from "../../tools/lazyModules";
import { withoutSourceMaps } from "../../tools/plan";

describe("deferred modules (tools/lazyModules.ts)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hybrid-lazy-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const g = globalThis as { lazyLoads?: number };

    it("loads a deferred module at its first use, then forwards to it", () => {
        writeFileSync(
            path.join(dir, "heavy.js"),
            "globalThis.lazyLoads = (globalThis.lazyLoads ?? 0) + 1; module.exports = { answer: 42, twice: (x) => 2 * x };",
        );
        assert.equal(deferModule("./heavy.js", dir), true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const heavy = require(path.join(dir, "heavy.js")) as { answer: number; twice(x: number): number };
        assert.equal(g.lazyLoads, undefined, "not loaded by require");
        assert.equal(heavy.answer, 42);
        assert.equal(heavy.twice(4), 8);
        assert.equal(g.lazyLoads, 1, "loaded once");
    });

    it("passes TypeScript's __importStar untouched: __esModule, and default is a CommonJS module itself", () => {
        writeFileSync(path.join(dir, "cjs.js"), "module.exports = { Thing: class Thing {} };");
        deferModule("./cjs.js", dir);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(dir, "cjs.js")) as { __esModule: boolean; default: { Thing: unknown }; Thing: unknown };
        assert.equal(mod.__esModule, true);
        assert.equal(mod.default.Thing, mod.Thing);
    });

    it("leaves a module that is absent or already loaded alone", () => {
        assert.equal(deferModule("./missing.js", dir), false);
        assert.equal(deferModule("./heavy.js", dir), false);
    });

    it("still lets the SDK serialize a closure (it needs the deferred TypeScript compiler)", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
        const base = 41;
        const serialized = await pulumi.runtime.serializeFunction(() => base + 1);
        assert.match(serialized.text, /base/);
    });
});

describe("planning with source maps off (tools/plan.ts)", () => {
    it("turns them off while the program runs and restores them, also after a failure", async () => {
        const before = process.sourceMapsEnabled;
        assert.equal(await withoutSourceMaps(async () => process.sourceMapsEnabled), false);
        assert.equal(process.sourceMapsEnabled, before);
        await assert.rejects(
            withoutSourceMaps(async () => Promise.reject(new Error("program failed"))),
            /program failed/,
        );
        assert.equal(process.sourceMapsEnabled, before);
    });

    it("still prints the error of a failed program with its TypeScript line", async () => {
        const thrown = await withoutSourceMaps(async () => new Error("from the program")).catch((e: Error) => e);
        // The stack is formatted when first read, after source maps are back on.
        const line = Number(/startup\.test\.ts:(\d+):/.exec(thrown.stack ?? "")?.[1]);
        const source = readFileSync(__filename, "utf8").split("\n");
        assert.equal(line, source.findIndex((l) => l.includes('new Error("from the program")')) + 1);
    });
});
