/**
 * The lint config keeps the rules that catch real bugs on every TypeScript folder (a config edit that drops
 * one would pass `npm run lint` silently: zero findings either way). Linting itself runs in `npm run lint`.
 */
import * as assert from "node:assert/strict";
import { ESLint } from "eslint";
import * as path from "node:path";
import { REPO_ROOT } from "../../tools/offline";

const BUG_RULES = [
    "@pulumi/no-output-in-template-literal",
    "@pulumi/no-output-instance-in-template-literal",
    "@typescript-eslint/no-floating-promises",
    "@typescript-eslint/await-thenable",
];

describe("lint config (eslint.config.mjs)", () => {
    it("turns the Pulumi Output and promise rules on, with type information, in every TypeScript folder", async () => {
        const eslint = new ESLint({ cwd: REPO_ROOT });
        for (const file of [
            "index.ts",
            "components/app/appCluster.ts",
            "stacks/prod.ts",
            "model/config.ts",
            "policy/lib.ts",
            "tools/plan.ts",
            "tests/support/index.ts",
        ]) {
            const config = await eslint.calculateConfigForFile(path.join(REPO_ROOT, file));
            for (const rule of BUG_RULES) assert.deepEqual([rule, [config.rules?.[rule]].flat()[0]], [rule, 2], `${rule} is not an error in ${file}`);
            assert.equal(config.languageOptions?.parserOptions?.projectService, true, `${file} is linted without type information`);
        }
    });
});
