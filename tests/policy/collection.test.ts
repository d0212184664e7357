/** issue #13: metrics-collection-present (policy/collection.ts): compliant and violating fixtures in both modes, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { collectionPolicies } from "../../policy/collection";
import { collectorConfig } from "../../model/collection";
import { Case, deployment, describeCases } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const SITE = {
    site: "eks" as const,
    region: "eu-west-2",
    prometheusEndpoint: "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/",
    clusterLabel: "c",
    scrapeIntervalSeconds: 30,
    traceSampling: 0.05,
};

/** The stack: a workspace, a workload, and (unless `collector` is false) the collector with the generated config, edited by `edit`. */
function stack(f: Fixture, opts: { collector?: boolean; edit?: (c: Record<string, any>) => void; computed?: boolean; workspace?: boolean } = {}) {
    const workspace = opts.workspace === false ? undefined : f.add("aws:amp/workspace:Workspace", "metrics", { alias: "prod" });
    deployment(f);
    if (opts.collector === false) return;
    const config = collectorConfig(SITE);
    opts.edit?.(config);
    // In preview the config embeds the workspace's (unknown) endpoint.
    const values = { mode: "deployment", config: opts.computed && workspace ? f.computed(workspace, config) : config };
    f.add("kubernetes:helm.sh/v3:Release", "telemetry-eks-otel-collector", { chart: "opentelemetry-collector", version: "0.127.2", values });
}

const CASES: Case[] = [
    {
        policy: "metrics-collection-present",
        compliant: (f) => stack(f, { computed: true }),
        violations: {
            "no collector on the cluster": (f) => stack(f, { collector: false }),
            "metrics not remote-written": (f) => stack(f, { edit: (c) => (c.service.pipelines.metrics.exporters = ["debug"]) }),
            "remote write unsigned": (f) =>
                stack(f, {
                    edit: (c) => {
                        delete c.exporters.prometheusremotewrite.auth;
                    },
                }),
            "traces not exported to X-Ray": (f) => stack(f, { edit: (c) => (c.service.pipelines.traces.exporters = ["debug"]) }),
        },
    },
];

describe("policy pack: collection fixtures", () => {
    it("every collection policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            collectionPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases([...CASES, { policy: "metrics-collection-present", compliant: (f) => stack(f, { collector: false, workspace: false }), violations: {} }]);
});
