/**
 * The pull-request plan diff (issue #14 build 3, issue #15 build 8) in .github/workflows/ci.yml: the base
 * branch planned in a checkout of its own, the head planned with `--compare` and `--report`, and ONE sticky
 * comment posted by a job that runs none of the pull request's code and alone may write to it.
 * (actionlint, the schema and the delivery rules run on every workflow in workflows.test.ts.)
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../tools/offline";
import type { Job, Step, Workflow } from "./workflowRules";

const CI = path.join(REPO_ROOT, ".github", "workflows", "ci.yml");
const STACKS = ["prod", "dr"];

/** What the plan-diff wiring must have; findings (empty = complete), so mutated copies can be checked too. */
export function planDiffFindings(w: Workflow): string[] {
    const out: string[] = [];
    const jobs = Object.entries(w.jobs);
    const steps = (j: Job): Step[] => j.steps ?? [];
    const runText = (j: Job): string =>
        steps(j)
            .map((s) => String(s.run ?? ""))
            .join("\n");
    const needs = (j: Job): string[] => [j.needs ?? []].flat();
    const perms = (j: Job): Record<string, string> => (typeof j.permissions === "object" ? j.permissions : {});

    const planner = jobs.find(([, j]) => /--compare\b/.test(runText(j)));
    if (!planner) return ["no job plans the head with --compare"];
    const [plannerName, plan] = planner;
    if (!String(plan.if ?? "").includes("pull_request")) out.push(`${plannerName}: runs on pull requests only`);
    const baseCheckout = steps(plan).find(
        (s) => String(s.uses ?? "").startsWith("actions/checkout@") && /pull_request\.base\.(sha|ref)/.test(String(s.with?.ref ?? "")),
    );
    const basePath = String(baseCheckout?.with?.path ?? "");
    if (!baseCheckout || basePath === "") out.push(`${plannerName}: the base ref is not checked out in a subfolder`);
    const inBase = steps(plan).filter((s) => s["working-directory" as keyof Step] === basePath);
    const baseRun = inBase.map((s) => String(s.run ?? "")).join("\n");
    if (!/npm ci\b/.test(baseRun)) out.push(`${plannerName}: no npm ci in the base checkout`);
    const headRun = runText(plan);
    /** The stacks a `for stack in ...` loop of the script goes over. */
    const loopsOver = (text: string): string[] => /for stack in ([^;\n]+)/.exec(text)?.[1].trim().split(/\s+/) ?? [];
    for (const stack of STACKS) {
        if (!loopsOver(baseRun).includes(stack) || !/npm run plan -- --stack "\$stack" --json "\.\.\/base-\$stack\.json"/.test(baseRun))
            out.push(`${plannerName}: the base's ${stack} plan is not written to base-${stack}.json`);
        if (!loopsOver(headRun).includes(stack) || !/--compare "base-\$stack\.json"/.test(headRun) || !/--report "comment-\$stack\.md"/.test(headRun))
            out.push(`${plannerName}: the head's ${stack} plan does not --compare base-${stack}.json with a --report`);
    }
    if (perms(plan)["pull-requests"] === "write") out.push(`${plannerName}: the job running the pull request's code must not write to it`);

    const commenter = jobs.find(([, j]) =>
        steps(j).some((s) => String(s.uses ?? "").startsWith("marocchino/sticky-pull-request-comment@") || /gh pr comment\b/.test(String(s.run ?? ""))),
    );
    if (!commenter) return [...out, "no step posts the sticky comment"];
    const [commenterName, comment] = commenter;
    if (!needs(comment).includes(plannerName)) out.push(`${commenterName}: does not wait for ${plannerName}`);
    if (JSON.stringify(perms(comment)) !== JSON.stringify({ "pull-requests": "write" }))
        out.push(`${commenterName}: permissions must be exactly pull-requests: write`);
    if (steps(comment).some((s) => String(s.uses ?? "").startsWith("actions/checkout@") || /npm /.test(String(s.run ?? ""))))
        out.push(`${commenterName}: runs code`);
    const stickies = steps(comment).filter((s) => String(s.uses ?? "").startsWith("marocchino/"));
    for (const sticky of stickies) if (!sticky.with?.header) out.push(`${commenterName}: a sticky comment needs its header, or each run adds one`);
    if (new Set(stickies.map((s) => s.with?.header)).size !== stickies.length)
        out.push(`${commenterName}: two sticky comments share a header (one overwrites the other)`);
    // One comment per stack: each report keeps under GitHub's 65,536-character limit; two in one comment would not.
    for (const stack of STACKS)
        if (stickies.length > 0 && !stickies.some((s) => s.with?.path === `comment-${stack}.md`))
            out.push(`${commenterName}: no comment posts comment-${stack}.md (one per stack, each under the comment limit)`);
    if (!String(comment.if ?? "").includes("head.repo.full_name == github.repository")) out.push(`${commenterName}: a fork's token cannot comment: skip forks`);
    return out;
}

describe("the pull-request plan diff (ci.yml plan-diff)", () => {
    const source = fs.readFileSync(CI, "utf8");
    const workflow = (): Workflow => parse(source) as Workflow;

    it("plans the base branch, then the head with --compare and --report, and posts one sticky comment per stack", () => {
        assert.deepEqual(planDiffFindings(workflow()), []);
    });

    it("is refused without the comment, with the write permission on the planning job, or without --compare", () => {
        const mutated = (edit: (w: Workflow) => void): string[] => {
            const w = workflow();
            edit(w);
            return planDiffFindings(w);
        };
        assert.match(mutated((w) => delete w.jobs["plan-diff-comment"]).join(), /sticky comment/);
        assert.match(mutated((w) => (w.jobs["plan-diff"].permissions = { contents: "read", "pull-requests": "write" })).join(), /must not write/);
        assert.match(
            mutated((w) => (w.jobs["plan-diff-comment"].permissions = { contents: "write", "pull-requests": "write" })).join(),
            /exactly pull-requests/,
        );
        assert.match(
            mutated((w) => {
                for (const s of w.jobs["plan-diff"].steps!) if (s.run) s.run = s.run.replace(/"\$\{compare\[@\]\}" /, "").replace(/--compare/g, "--kompare");
            }).join(),
            /--compare/,
        );
        assert.match(mutated((w) => delete w.jobs["plan-diff"].steps![1].with!.path).join(), /subfolder/);
        // Both reports in one comment would pass GitHub's 65,536-character limit (prod's alone is ~44 KB).
        assert.match(
            mutated((w) => (w.jobs["plan-diff-comment"].steps = w.jobs["plan-diff-comment"].steps!.filter((s) => s.with?.path !== "comment-dr.md"))).join(),
            /no comment posts comment-dr\.md/,
        );
        assert.match(
            mutated((w) => {
                for (const s of w.jobs["plan-diff-comment"].steps!) if (s.with?.header) s.with.header = "plan-diff";
            }).join(),
            /share a header/,
        );
    });
});
