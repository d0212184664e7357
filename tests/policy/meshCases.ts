/** issue #12: fixtures of mesh-strict-mtls (policy/workloads.ts) and alb-target-group-https (policy/edge.ts), run by workloads.test.ts and edge.test.ts in both modes. */
import { T } from "../../policy/lib";
import { Case, deployment } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const NS = "portal";

/** A meshed namespace; in preview the objects' namespace is the Namespace's (unknown) output, joined by its URN. */
function meshed(
    f: Fixture,
    opts: { label?: string | false; mode?: string; wide?: boolean; allowNothing?: boolean; workloadMode?: string; portMode?: string } = {},
) {
    const labels: Record<string, string> = { "pod-security.kubernetes.io/enforce": "restricted" };
    if (opts.label !== false) labels["istio.io/dataplane-mode"] = opts.label ?? "ambient";
    const ns = f.add("kubernetes:core/v1:Namespace", "ns", { metadata: { name: NS, labels } });
    const metadata = (name: string) => ({ name, namespace: f.computed(ns, NS) });
    deployment(f);
    f.add("kubernetes:security.istio.io/v1:PeerAuthentication", "default", {
        metadata: metadata("default"),
        spec: { ...(opts.wide === false ? { selector: { matchLabels: { app: "web" } } } : {}), mtls: { mode: opts.mode ?? "STRICT" } },
    });
    f.add("kubernetes:security.istio.io/v1:PeerAuthentication", "web-edge", {
        metadata: metadata("web-edge"),
        spec: {
            selector: { matchLabels: { app: "web" } },
            mtls: { mode: opts.workloadMode ?? "STRICT" },
            portLevelMtls: { "8000": { mode: opts.portMode ?? "PERMISSIVE" } },
        },
    });
    if (opts.allowNothing !== false)
        f.add("kubernetes:security.istio.io/v1:AuthorizationPolicy", "allow-nothing", { metadata: metadata("allow-nothing"), spec: {} });
}

const TG = "aws:lb/targetGroup:TargetGroup";
const targetGroup = (f: Fixture, protocol: string, check: string) => {
    const vpc = f.add(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
    f.add(TG, "web", { targetType: "ip", protocol, port: 8000, vpcId: f.ref(vpc), healthCheck: { protocol: check, path: "/readyz", port: "traffic-port" } });
};

export const MESH_CASES: { workloads: Case[]; edge: Case[] } = {
    workloads: [
        {
            policy: "mesh-strict-mtls",
            compliant: (f) => meshed(f),
            violations: {
                "namespace not enrolled in ambient": (f) => meshed(f, { label: false }),
                "namespace-wide PERMISSIVE": (f) => meshed(f, { mode: "PERMISSIVE" }),
                "STRICT only for one workload": (f) => meshed(f, { wide: false }),
                "a workload PERMISSIVE": (f) => meshed(f, { workloadMode: "PERMISSIVE" }),
                "an edge port DISABLE": (f) => meshed(f, { portMode: "DISABLE" }),
                "no allow-nothing AuthorizationPolicy": (f) => meshed(f, { allowNothing: false }),
            },
        },
    ],
    edge: [
        {
            policy: "alb-target-group-https",
            environment: "production",
            compliant: (f) => targetGroup(f, "HTTPS", "HTTPS"),
            violations: {
                "HTTP target group": (f) => targetGroup(f, "HTTP", "HTTP"),
                "HTTPS target group, HTTP health check": (f) => targetGroup(f, "HTTPS", "HTTP"),
            },
        },
    ],
};
