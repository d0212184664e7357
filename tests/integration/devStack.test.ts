/**
 * The dev stack (issue #14 build 2, Pulumi.dev.yaml): what `develop` deploys (.github/workflows/deploy.yml).
 * Production's shape at the smallest capacity the pack accepts outside production, rolling releases, a CIDR and a
 * hostname of its own; it plans with no mandatory violation in both modes, and the bootstrap stack serves it.
 */
import * as assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import { readStackConfig, stackConfigPath } from "../../tools/offline";
import { planCli, planOf } from "../support";

const cfg = (stack: string): Record<string, string> => readStackConfig(stackConfigPath(stack));
const json = (stack: string, key: string): any => JSON.parse(cfg(stack)[`hybrid-platform:${key}`]);
const overlaps = (a: string, b: string): boolean => {
    const [x, y] = [ipaddr.parseCIDR(a), ipaddr.parseCIDR(b)];
    return x[0].match(y) || y[0].match(x);
};

describe("dev stack (Pulumi.dev.yaml)", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`npm run plan -- --stack dev${mode === "preview" ? " --preview" : ""} exits 0 (no mandatory violation)`, async () => {
            const { code, out, err } = await planCli(["--stack", "dev", ...(mode === "preview" ? ["--preview"] : [])]);
            assert.equal(code, 0, [...out, ...err].join("\n"));
            assert.match(out.join("\n"), /stack dev: \d+ resources/);
        });
    }

    it("is production's composition in environment development, with rolling releases", () => {
        assert.equal(cfg("dev")["hybrid-platform:role"], "prod");
        assert.equal(cfg("dev")["hybrid-platform:environment"], "development");
        assert.equal(json("dev", "app").release.strategy, "rolling");
    });

    it("keeps the node floor the pack enforces in every environment (>= 2 per group) on a smaller instance type than prod", async () => {
        const groups = (await planOf("dev")).resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
        assert.equal(groups.length, 3, "one group per AZ");
        const prodGroups = (await planOf("prod")).resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
        for (const g of groups) {
            const min = (g.props.scalingConfig as { minSize: number }).minSize;
            assert.ok(min >= 2, `${g.name} minSize ${min}`);
        }
        assert.ok(
            groups.every((g) => (g.props.instanceTypes as string[])[0] !== (prodGroups[0].props.instanceTypes as string[])[0]),
            "dev runs a smaller instance type than prod",
        );
    });

    it("has a VPC CIDR disjoint from prod's, dr's and on-prem's, and a hostname of its own the bootstrap validates", () => {
        const dev = json("dev", "network").vpcCidr as string;
        const others = [json("prod", "network").vpcCidr, json("dr", "network").vpcCidr, ...json("dev", "network").onPrem.cidrs];
        for (const o of others) assert.ok(!overlaps(dev, o), `${dev} overlaps ${o}`);
        const hostname = json("dev", "dns").hostname as string;
        assert.notEqual(hostname, json("prod", "dns").hostname);
        assert.ok((JSON.parse(cfg("bootstrap")["hybrid-platform:additionalHostnames"]) as string[]).includes(hostname));
        assert.ok((json("bootstrap", "ci").environments as string[]).includes("dev"), "the bootstrap has dev's CI role");
    });
});
