/**
 * issue #12 acceptance, "Kubernetes objects validate against their schemas": every Istio security object and every
 * NetworkPolicy the plans hold (prod, dr, both modes, and an on-prem cluster), checked as the API server checks them
 * (tests/support/k8sSchemas.ts); and the checks themselves on objects the API server refuses.
 */
import * as assert from "node:assert/strict";
import { meshObjects } from "../../model/mesh";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { Plan, PlannedResource } from "../../tools/offline";
import { appClusterAlone, planOf } from "../support";
import { IstioKind, istioSpecProblems, networkPolicyProblems } from "../support/k8sSchemas";

const ISTIO = "kubernetes:security.istio.io/v1:";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const props = (r: PlannedResource) => r.props as Record<string, any>;

function planProblems(plan: Plan): { istio: number; networkPolicies: number; problems: string[] } {
    const istio = plan.resources.filter((r) => r.type.startsWith(ISTIO));
    const nps = plan.resources.filter((r) => r.type === NETWORK_POLICY);
    const problems = [
        ...istio.flatMap((r) => istioSpecProblems(r.type.slice(ISTIO.length) as IstioKind, props(r).spec).map((p) => `${r.name}: ${p}`)),
        ...nps.flatMap((r) => networkPolicyProblems({ metadata: props(r).metadata, spec: props(r).spec }).map((p) => `${r.name}: ${p}`)),
    ];
    return { istio: istio.length, networkPolicies: nps.length, problems };
}

describe("Kubernetes objects of the plans validate against their schemas", () => {
    for (const stack of ["prod", "dr"] as const)
        for (const mode of ["update", "preview"] as const)
            it(`${stack} (${mode}): every PeerAuthentication, AuthorizationPolicy and NetworkPolicy`, async () => {
                const { istio, networkPolicies, problems } = planProblems(await planOf(stack, mode));
                assert.ok(istio >= 6 && networkPolicies >= 9, `${istio} Istio objects, ${networkPolicies} NetworkPolicies`);
                assert.deepEqual(problems, []);
            });

    it("an AppCluster with an on-prem OpenShift cluster: both clusters' objects", async () => {
        const plan = await appClusterAlone({
            config: { app: (app) => Object.assign(app, { onPrem: { distribution: "openshift" } }) },
            keys: { "hybrid-platform:onPremKubeconfig": "offline-secret:hybrid-platform:onPremKubeconfig" },
        });
        const { istio, problems } = planProblems(plan);
        assert.ok(istio >= 10, `${istio} Istio objects on two clusters`);
        assert.deepEqual(problems, []);
    });
});

describe("the schema checks refuse what the API server refuses", () => {
    const [strict, edge] = meshObjects({ kind: "eks", albSourceCidrs: ["10.10.128.0/24"] }).filter((o) => o.kind === "PeerAuthentication");
    const authz = meshObjects({ kind: "eks", albSourceCidrs: ["10.10.128.0/24"] }).find((o) => o.metadata.name === "allow-to-fastapi-api")!;

    it("Istio objects: enum values, undeclared (pruned) fields, and the CRDs' CEL rules", () => {
        assert.deepEqual(istioSpecProblems("PeerAuthentication", strict.spec), []);
        assert.deepEqual(istioSpecProblems("PeerAuthentication", edge.spec), []);
        assert.deepEqual(istioSpecProblems("AuthorizationPolicy", authz.spec), []);
        const cases: [IstioKind, unknown, RegExp][] = [
            ["PeerAuthentication", { mtls: { mode: "STRICTLY" } }, /must be equal to one of the allowed values/],
            ["PeerAuthentication", { mtls: { mod: "STRICT" } }, /field "mod" is not declared/],
            ["PeerAuthentication", { mtls: { mode: "STRICT" }, portLevelMtls: { "8000": { mode: "PERMISSIVE" } } }, /portLevelMtls requires selector/],
            ["PeerAuthentication", { selector: { matchLabels: { app: "x" } }, portLevelMtls: { "0": { mode: "PERMISSIVE" } } }, /port must be between 1-65535/],
            ["PeerAuthentication", { selector: { matchLabels: { app: "web*" } } }, /wildcard not allowed in label value match/],
            ["AuthorizationPolicy", { action: "PERMIT" }, /must be equal to one of the allowed values/],
            ["AuthorizationPolicy", { rules: [{ from: [{ source: { principal: ["x"] } }] }] }, /field "principal" is not declared/],
            ["AuthorizationPolicy", { rules: [{ to: [{ operation: { ports: [8080] } }] }] }, /must be string/],
            [
                "AuthorizationPolicy",
                { selector: { matchLabels: { app: "x" } }, targetRefs: [{ kind: "Service", name: "x" }] },
                /only one of targetRefs or selector/,
            ],
            [
                "AuthorizationPolicy",
                { rules: [{ from: [{ source: { serviceAccounts: ["a"], namespaces: ["b"] } }] }] },
                /Cannot set serviceAccounts with namespaces/,
            ],
        ];
        for (const [kind, spec, expected] of cases)
            assert.ok(
                istioSpecProblems(kind, spec).some((p) => expected.test(p)),
                `${kind} ${JSON.stringify(spec)}: ${JSON.stringify(istioSpecProblems(kind, spec))}`,
            );
    });

    it("NetworkPolicies: the generated ones pass; the API server's own rules catch what the OpenAPI types let through", () => {
        for (const np of portalNetworkPolicies({ kind: "eks", albSourceCidrs: ["10.10.128.0/24"] }, ["10.10.64.0/24"], ["10.10.32.0/28"]))
            assert.deepEqual(networkPolicyProblems({ metadata: { name: np.name, namespace: "citizen-portal" }, spec: np.spec }), [], np.name);
        const spec = (rule: Record<string, unknown>) => ({ podSelector: {}, policyTypes: ["Egress"], egress: [rule] });
        const cases: [Record<string, unknown>, RegExp][] = [
            [spec({ to: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.1.0.0/24"] } }] }), /except 10\.1\.0\.0\/24: not inside 10\.0\.0\.0\/16/],
            [spec({ to: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }), /not a CIDR/],
            [spec({ ports: [{ protocol: "TCP", port: 70000 }] }), /port 70000: not 1-65535/],
            [spec({ ports: [{ protocol: "TCP", port: 9000, endPort: 8000 }] }), /endPort 8000/],
            [spec({ ports: [{ protocol: "TCPX", port: 80 }] }), /OpenAPI: .*protocol must be equal to one of the allowed values/],
            [spec({ to: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }), /ipBlock with a selector/],
            [spec({ to: [{ podSelector: { matchExpressions: [{ key: "app", operator: "In", values: [] }] } }] }), /In needs values/],
        ];
        for (const [s, expected] of cases) {
            const problems = networkPolicyProblems({ metadata: { name: "np", namespace: "ns" }, spec: s });
            assert.ok(
                problems.some((p) => expected.test(p)),
                `${JSON.stringify(s)}: ${JSON.stringify(problems)}`,
            );
        }
    });
});
