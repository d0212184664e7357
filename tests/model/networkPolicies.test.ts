import * as assert from "node:assert/strict";
import fc from "fast-check";
import { EdgeSource, PRIVATE_RANGES, portalNetworkPolicies } from "../../model/networkPolicies";
import { HTTPS_PORT, POSTGRES_PORT, REDIS_PORT } from "../../model/ports";

const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.${a}.${b}.0/24`);
const cidrs = fc.array(cidr, { minLength: 1, maxLength: 6 });
const edge: fc.Arbitrary<EdgeSource> = fc.oneof(
    cidrs.map((albSourceCidrs) => ({ kind: "eks" as const, albSourceCidrs })),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).map((ingressNamespace) => ({ kind: "onPrem" as const, ingressNamespace })),
);

describe("model/networkPolicies", () => {
    it("always starts from one default deny of all ingress and egress for every pod", () => {
        fc.assert(
            fc.property(edge, cidrs, (e, data) => {
                const policies = portalNetworkPolicies(e, data);
                const denies = policies.filter((p) => !p.spec.ingress && !p.spec.egress);
                assert.deepEqual(denies, [{ name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }]);
                assert.equal(new Set(policies.map((p) => p.name)).size, policies.length, "names are unique");
            }),
        );
    });

    it("every allow names its peers and ports (an empty peer list would mean everyone)", () => {
        fc.assert(
            fc.property(edge, cidrs, (e, data) => {
                for (const p of portalNetworkPolicies(e, data)) {
                    for (const rule of [...(p.spec.ingress ?? []).map((r) => r.from), ...(p.spec.egress ?? []).map((r) => r.to)])
                        assert.ok(rule.length > 0, `${p.name} names its peers`);
                    for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) assert.ok(rule.ports.length > 0, `${p.name} names its ports`);
                }
            }),
        );
    });

    it("admits web/api only from the edge, and lets the app reach only the data CIDRs on its ports and public HTTPS", () => {
        fc.assert(
            fc.property(edge, cidrs, (e, data) => {
                const byName = new Map(portalNetworkPolicies(e, data).map((p) => [p.name, p.spec]));
                for (const served of ["django-web", "fastapi-api"]) {
                    const from = byName.get(`allow-ingress-to-${served}`)!.ingress![0].from;
                    if (e.kind === "eks")
                        assert.deepEqual(
                            from,
                            e.albSourceCidrs.map((c) => ({ ipBlock: { cidr: c } })),
                        );
                    else assert.deepEqual(from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": e.ingressNamespace } } }]);
                }
                const toData = byName.get("allow-app-to-data")!.egress![0];
                assert.deepEqual(
                    toData.to,
                    data.map((c) => ({ ipBlock: { cidr: c } })),
                );
                assert.deepEqual(
                    toData.ports.map((p) => p.port),
                    [POSTGRES_PORT, REDIS_PORT],
                );
                const toAws = byName.get("allow-app-to-aws-apis")!.egress![0];
                assert.deepEqual(toAws.to, [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }]);
                assert.deepEqual(toAws.ports, [{ protocol: "TCP", port: HTTPS_PORT }]);
            }),
        );
    });

    it("resolves DNS only through CoreDNS on EKS", () => {
        const dns = portalNetworkPolicies({ kind: "eks", albSourceCidrs: ["10.10.0.0/21"] }, ["10.10.160.0/21"]).find((p) => p.name === "allow-dns")!;
        assert.deepEqual(dns.spec.egress![0].to, [
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
        ]);
    });
});
