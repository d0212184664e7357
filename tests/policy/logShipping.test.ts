/** The log shipping policy (policy/logShipping.ts): compliant and violating fixtures in both modes. */
import { T } from "../../policy/lib";
import { APP_NAMESPACE } from "../../model/ports";
import { Case, describeCases } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** A portal Deployment (namespace from the Namespace's output: unknown in preview) and, unless told, its cluster's shipper. */
function cluster(f: Fixture, opts: { shipper?: boolean; chart?: string; outputs?: string; computedOutputs?: boolean } = {}) {
    const ns = f.add("kubernetes:core/v1:Namespace", "portal-ns", { metadata: { name: APP_NAMESPACE } });
    f.add(T.deployment, "django-web", { metadata: { name: "django-web", namespace: f.computed(ns, APP_NAMESPACE) }, spec: {} });
    if (opts.shipper === false) return;
    const group = f.add(T.logGroup, "application", { name: "/hybrid-platform/fixture/logs/eks/application", retentionInDays: 365 });
    const outputs =
        opts.outputs ?? "[OUTPUT]\n    Name cloudwatch_logs\n    log_group_name /hybrid-platform/fixture/logs/eks/application\n    auto_create_group Off";
    f.add(HELM_RELEASE, "fluent-bit", {
        chart: opts.chart ?? "fluent-bit",
        values: { config: { outputs: opts.computedOutputs === false ? outputs : f.computed(group, outputs) } },
    });
}

const cases: Case[] = [
    {
        policy: "log-shipper-present",
        compliant: (f) => cluster(f),
        violations: {
            "a cluster running the portal without a shipper": (f) => cluster(f, { shipper: false }),
            "a release of another chart only": (f) => cluster(f, { chart: "metrics-server" }),
            "a shipper creating its own log groups": (f) =>
                cluster(f, { computedOutputs: false, outputs: "[OUTPUT]\n    Name cloudwatch_logs\n    log_group_name x\n    auto_create_group On" }),
        },
    },
    {
        policy: "log-shipper-present",
        environment: "staging",
        compliant: (f) => cluster(f, { shipper: false }),
        violations: {
            "a shipper creating its own log groups, outside production too": (f) =>
                cluster(f, { computedOutputs: false, outputs: "[OUTPUT]\n    Name cloudwatch_logs\n    auto_create_group true" }),
        },
    },
];

describeCases(cases);
