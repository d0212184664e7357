import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../../tools/mocks";
import { type Plan, type PlanViolation, tierOf } from "../../../tools/offline";
import { summarise } from "../../../tools/plan";
import { outputText, percent, readable } from "../../../tools/report/format";
import { terminalSummary } from "../../../tools/report/terminal";
import { wrapCommand } from "../../../tools/report/text";
import type { PlanReview } from "../../../tools/report/types";
import { verdictLine, verdictOf } from "../../../tools/report/verdict";
import { PROD_OUTPUTS_FILE, planCli, planJsonFile, planOf } from "../../support";
import { reviewFixture } from "../../support/reviewFixture";

const STACKS = ["prod", "dr", "bootstrap", "dev"] as const;
const MODES = ["update", "preview"] as const;

function assertFits(text: string, what: string): void {
    const long = text.split("\n").filter((l) => [...l].length > 100);
    assert.deepEqual(long, [], `${what}: lines over 100 columns`);
}

const violation = (level: string, policy = "rds-multi-az", message = "Databases run Multi-AZ.\ninstance data-postgres: multiAz is false"): PlanViolation => ({
    policy,
    enforcementLevel: level,
    message,
    urn: "urn:pulumi:prod::hybrid-platform::hybrid:data:DataTier$aws:rds/instance:Instance::data-postgres",
});

/** The plan with the fixture's review, edited. */
async function reviewed(edit: (r: PlanReview) => void = () => undefined, stack = "prod"): Promise<Plan & PlanReview> {
    const plan = await planOf(stack);
    const review = reviewFixture(plan);
    edit(review);
    return { ...plan, ...review };
}

describe("terminal summary (issue #15 item 7)", () => {
    for (const stack of STACKS) {
        for (const mode of MODES) {
            it(`${stack} ${mode}: every line fits 100 columns, bare and with a review; the verdict is the last line`, async () => {
                const plan = await planOf(stack, mode);
                const long: PlanViolation[] = [violation("advisory", "p".repeat(60), `${"d ".repeat(120)}\n${"x".repeat(250)}`)];
                for (const shown of [{ ...plan }, { ...plan, violations: long, ...reviewFixture(plan) }]) {
                    const text = terminalSummary(shown);
                    assertFits(text, `${stack} ${mode}`);
                    assert.match(text.split("\n").at(-1)!, new RegExp(`^verdict ${stack}: \\d+ res(ources)? · `));
                    assert.ok(!text.includes(UNKNOWN), "no raw unknown sentinel");
                }
            });
        }
    }

    // The CLI runs other tests make (same arguments: memoised, one plan each), with their real violations and site values.
    const runs: [string, string[]][] = [
        ["prod", ["--stack", "prod", "--json", planJsonFile("prod")]],
        ["dr", ["--stack", "dr", "--primary-outputs", PROD_OUTPUTS_FILE, "--json", planJsonFile("dr-fixture-update")]],
        ["bootstrap", ["--stack", "bootstrap"]],
        ["dev --preview", ["--stack", "dev", "--preview"]],
    ];
    for (const [name, args] of runs) {
        it(`npm run plan -- ${name}: what it prints fits 100 columns and ends with the verdict`, async () => {
            const { code, out } = await planCli(args);
            assert.equal(code, 0);
            const text = out.join("\n");
            assertFits(text, name);
            // The words shorten ("mand", "adv") only when the whole line would pass 100 columns.
            assert.match(text.split("\n").at(-1)!, /^verdict \S+: \d+ resources · \d+ (mandatory|mand), \d+ (advisory|adv) · /);
        });
    }

    it("preview: unknown outputs print as (unknown), whole or inside strings, arrays and objects", async () => {
        const plan = await planOf("prod", "preview");
        const text = summarise(plan);
        assert.match(text, /^ {2}vpcId {2,}\(unknown\)$/m);
        assert.match(text, /^ {2}privateSubnetIds {2,}\[\(unknown\),\(unknown\),/m);
        assert.equal(outputText({ a: [UNKNOWN, `arn:${UNKNOWN}:x`], b: 1 }), '{"a":[(unknown),"arn:(unknown):x"],"b":1}');
        assert.equal(outputText(UNKNOWN), "(unknown)");
        assert.deepEqual(readable({ deep: { list: [{ v: UNKNOWN }] } }), { deep: { list: [{ v: "(unknown)" }] } });
        // Update mode shows the mock's values.
        assert.match(summarise(await planOf("prod")), /^ {2}vpcId {2,}vpc-/m);
    });

    it("secrets print as [secret], never their value", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "[secret]" };
        assert.equal(outputText({ password: secret }), '{"password":"[secret]"}');
    });

    it("resources: one line per tier with its count and top types, not one per type", async () => {
        const plan = await planOf("prod");
        const text = summarise(plan);
        const tiers = new Set(plan.resources.filter((r) => !r.custom && r.parent?.includes("pulumi:pulumi:Stack")).map((r) => r.name));
        const app = text.split("\n").find((l) => /^ {2}AppCluster app +\d+ {2}/.test(l));
        assert.ok(app, text);
        const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        const count = plan.resources.filter((r) => r.custom && tierOf(plan, r, byUrn) === "AppCluster app").length;
        assert.ok(app.includes(` ${count}  `), app);
        assert.match(app, /\+\d+ types$/);
        assert.ok(text.split("\n").length < 30 + tiers.size + Object.keys(plan.outputs).length, "compact");
    });

    it("review sections in short: cost vs the seed's lines, capacity, availability, DR, critical path; omitted when absent", async () => {
        const plan = await reviewed();
        // Continuation lines joined: what a section says, however it wraps.
        const text = summarise(plan).replace(/\n {2,}/g, " ");
        assert.match(text, /^cost: \$[\d,]+\/month \(USD, list prices of 2026-12-01, eu-west-2\) vs the seed's ~\$3,350/m);
        assert.match(text, /Compute \(EKS\/EC2\): 6 nodes \+ cluster management|Compute \$[\d,]+ \(seed \$1,200\)/);
        assert.match(text, /Database \$[\d,]+ \(seed \$800\)/);
        assert.match(text, /1 resources unpriced, not counted: Domain/);
        assert.match(text, /^capacity: 1,000 users -> pods 4 django-web/m);
        assert.match(text, /year 5: 10,000 users -> 12 x m6i\.xlarge \(4\/AZ\), db\.r6g\.xlarge, 800 GB: \$61,000\/year/);
        assert.match(text, /^availability: SLA 99\.778% in this region vs the 99\.9% target \(missed\)/m);
        assert.match(text, /single points of failure: none/);
        assert.match(text, /^DR: RPO 5 min \(target 15 min, met\) · RTO 62 min \(target 4 h, met\)/m);
        assert.match(text, /^deploy critical path: 62 min over 6 steps: Vpc -> Subnet -> NatGateway -> Cluster -> NodeGroup -> Instance/m);
        assert.match(text, /needless serialization: 1 \(up to 12 min saved\): DataTier data -> AppCluster app/);
        const bare = summarise(await planOf("bootstrap"));
        for (const section of [/^cost:/m, /^capacity:/m, /^availability:/m, /^DR:/m, /^deploy critical path:/m]) assert.doesNotMatch(bare, section);
        const noDr = summarise(await reviewed((r) => ((r.capacity = null), (r.dr = null))));
        assert.doesNotMatch(noDr, /^(capacity|DR):/m);
        assert.doesNotMatch(noDr.split("\n").at(-1)!, /RPO/);
    });

    it("the diff, when present, comes first among the review sections", async () => {
        const plan = await reviewed((r) => {
            r.diff = {
                base: { stack: "prod", resources: 500 },
                resources: {
                    added: [{ type: "aws:ec2/natGateway:NatGateway", count: 2 }],
                    changed: [{ type: "aws:rds/instance:Instance", count: 1 }],
                    removed: [],
                },
                cost: { monthlyBase: 4000, monthlyHead: 4090, delta: 90, categories: [] },
                violations: { new: [], fixed: [{ policy: "x", urn: "u", message: "m", enforcementLevel: "advisory" }] },
            };
        });
        const text = summarise(plan).replace(/\n {2,}/g, " ");
        assert.match(
            text,
            /^compared with prod \(500 resources\): \+2 ~1 -0 resources · cost \+\$90\/month \(\$4,000 -> \$4,090\) · violations 0 new, 1 fixed/m,
        );
        assert.ok(text.indexOf("compared with") < text.indexOf("cost: "));
    });

    describe("verdict", () => {
        it("PASS when the design meets its claims; advisory violations are counted, not judged", async () => {
            const plan = await reviewed((r) => (r.availability = { ...r.availability, composite: 0.9991, meetsTarget: true }));
            const withAdvisory = { ...plan, violations: [violation("advisory")] };
            assert.deepEqual(verdictOf(withAdvisory), { status: "PASS", reasons: [] });
            // The brief's form when there is room; shortened to 100 columns by default.
            assert.match(
                verdictLine(withAdvisory, 200),
                /^verdict prod: \d+ resources · 0 mandatory, 1 advisory · \$[\d,]+\+\/month · SLA 99\.91% \(target 99\.9%, 99\.999% with DR\) · RPO 5 min \/ RTO 62 min: PASS$/,
            );
            assert.match(
                verdictLine(withAdvisory),
                /^verdict prod: \d+ res(ources)? · 0 mand(atory)?, 1 adv(isory)? · \$[\d,]+\+\/mo(nth)? · SLA 99\.91% .*RPO 5.*: PASS$/,
            );
            assert.ok(verdictLine(withAdvisory).length <= 100);
        });

        it("ATTENTION when the region misses the SLA target even though the DR site meets it (a failover is an outage)", async () => {
            const v = verdictOf(await reviewed());
            assert.equal(v.status, "ATTENTION");
            assert.match(v.reasons[0], /99\.778% is below the 99\.9% target in this region; met only with the DR site \(99\.999%\)/);
        });

        it("ATTENTION for a missed RPO or RTO, a single point of failure, or no room after losing an AZ", async () => {
            const cases: [string, (r: PlanReview) => void, RegExp][] = [
                ["rpo", (r) => (r.dr = { ...r.dr!, rpoMinutes: 20, meetsRpo: false }), /RPO 20 min exceeds its 15 min target/],
                ["rto", (r) => (r.dr = { ...r.dr!, rtoMinutes: 300, meetsRto: false }), /RTO 5 h exceeds its 4 h target/],
                ["spof", (r) => r.availability.singlePointsOfFailure.push({ urn: "u::nat", type: "t", why: "one NAT" }), /1 single point of failure/],
                [
                    "az",
                    (r) => (r.capacity!.headroomAfterAzLoss = { ...r.capacity!.headroomAfterAzLoss, slotsLeft: 3, fits: false }),
                    /10 pod slots needed, 3 left/,
                ],
            ];
            for (const [name, edit, reason] of cases) {
                const v = verdictOf(await reviewed((r) => (edit(r), (r.availability.composite = 0.9995))));
                assert.equal(v.status, "ATTENTION", name);
                assert.match(v.reasons.join("\n"), reason, name);
            }
        });

        it("FAIL on a mandatory violation (the plan exits 1), whatever the rest", async () => {
            const plan = { ...(await reviewed()), violations: [violation("mandatory")] };
            assert.equal(verdictOf(plan).status, "FAIL");
            assert.match(summarise(plan), /^ {2}! 1 mandatory violation: a real pulumi preview\/up stops on them$/m);
            assert.match(verdictLine(plan), /1 mand(atory)?, 0 adv(isory)?.*: FAIL$/);
        });

        it("fits 100 columns with large numbers: shortens its parts, then drops the last, always keeping the status", async () => {
            const huge = await reviewed((r) => {
                r.cost.monthlyTotal = 123_456_789.4;
                r.availability = { ...r.availability, composite: 0.987654, compositeWithDr: 0.999876 };
                r.dr = { ...r.dr!, rpoMinutes: 12345, rtoMinutes: 98765 };
            });
            const big = { ...huge, stack: "a-very-long-stack-name-for-testing", violations: Array.from({ length: 12345 }, () => violation("advisory")) };
            const line = verdictLine(big);
            assert.ok(line.length <= 100, line);
            assert.match(line, /: ATTENTION$/);
            assert.match(line, /12,345 adv/);
            const narrow = verdictLine(big, 60);
            assert.ok(narrow.length <= 60, narrow);
            assert.match(narrow, /^verdict a-very-long-stack-n…: .*: ATTENTION$/);
        });

        it("rounds SLAs down, so a composite just under the target never prints as meeting it", () => {
            assert.equal(percent(0.99899999), "99.899%", "not 99.9%");
            assert.equal(percent(0.999), "99.9%");
            assert.equal(percent(1), "100%");
        });
    });

    it("site values: each set command wrapped with \\ continuations that still paste, quoted words kept whole", async () => {
        const { out } = await planCli(["--stack", "prod", "--json", planJsonFile("prod")]);
        const text = out.join("\n");
        assert.match(text, /pulumi config set --secret onPremObjectStorePassword/);
        const wrapped = wrapCommand(`pulumi config set --path 'a b c d e f' ${"word ".repeat(30)}--stack prod`, "    ", 40);
        assert.ok(
            wrapped.every((l) => l.length <= 40),
            wrapped.join("\n"),
        );
        assert.ok(wrapped.slice(0, -1).every((l) => l.endsWith(" \\")));
        assert.ok(wrapped.some((l) => l.includes("'a b c d e f'")));
        assert.equal(wrapped.map((l) => l.trim().replace(/ \\$/, "")).join(" "), `pulumi config set --path 'a b c d e f' ${"word ".repeat(30)}--stack prod`);
    });
});
