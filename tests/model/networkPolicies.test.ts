import * as assert from "node:assert/strict";
import fc from "fast-check";
import { planSubnets, tierCidrs } from "../../model/cidr";
import { endpointAddress, endpointBlock } from "../../model/endpointAddresses";
import { INTERFACE_ENDPOINTS } from "../../model/network";
import { EdgeSource, LabelSelector, NamedNetworkPolicy, PRIVATE_RANGES, portalNetworkPolicies } from "../../model/networkPolicies";
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
                assert.deepEqual(toAws.to[0], { ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } });
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

    // issue #11 (finding 10): with private DNS the interface endpoints answer inside 10.0.0.0/8, which the AWS-API rule excluded.
    describe("egress to the interface endpoints, and to no other private host", () => {
        const toInt = (ip: string) => ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
        const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
        const inCidr = (ip: string, cidr: string) => {
            const [base, prefix] = cidr.split("/");
            const size = 2 ** (32 - Number(prefix));
            return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
        };
        const selects = (selector: LabelSelector, labels: Record<string, string>) =>
            Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
            (selector.matchExpressions ?? []).every((e) => e.values.includes(labels[e.key]));
        /** What Kubernetes decides for one TCP connection from a pod to an IP: allowed if any egress rule of a policy selecting the pod admits it. */
        const egressAllowed = (policies: NamedNetworkPolicy[], labels: Record<string, string>, ip: string, port: number) =>
            policies.some(
                (p) =>
                    selects(p.spec.podSelector, labels) &&
                    (p.spec.egress ?? []).some(
                        (rule) =>
                            rule.ports.some((q) => q.protocol === "TCP" && q.port === port) &&
                            rule.to.some((peer) => peer.ipBlock && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x) => inCidr(ip, x))),
                    ),
            );
        const network = fc.record({ second: fc.integer({ min: 0, max: 255 }), azCount: fc.integer({ min: 2, max: 4 }) }).map(({ second, azCount }) => {
            const plan = planSubnets(`10.${second}.0.0/16`, azCount);
            const endpointCidrs = tierCidrs(plan, "private").map(endpointBlock);
            const policies = portalNetworkPolicies({ kind: "eks", albSourceCidrs: tierCidrs(plan, "public") }, tierCidrs(plan, "isolated"), endpointCidrs);
            return { plan, endpointCidrs, policies };
        });
        const pod = fc.constantFrom("django-web", "fastapi-api", "celery-worker", "celery-beat").map((app) => ({ app }));
        const privateHost = fc.oneof(
            fc.integer({ min: toInt("10.0.0.0"), max: toInt("10.255.255.255") }),
            fc.integer({ min: toInt("172.16.0.0"), max: toInt("172.31.255.255") }),
            fc.integer({ min: toInt("192.168.0.0"), max: toInt("192.168.255.255") }),
        );

        it("reaches every interface endpoint's address on 443, and only on 443", () => {
            fc.assert(
                fc.property(network, pod, ({ plan, policies }, labels) => {
                    for (const subnet of tierCidrs(plan, "private"))
                        INTERFACE_ENDPOINTS.forEach((service, i) => {
                            const address = endpointAddress(subnet, i);
                            assert.ok(egressAllowed(policies, labels, address, HTTPS_PORT), `${labels.app} -> ${service} at ${address}`);
                            assert.equal(egressAllowed(policies, labels, address, 80), false);
                        });
                }),
            );
        });

        it("reaches no other private address on 443, and public AWS ranges still", () => {
            fc.assert(
                fc.property(network, pod, privateHost, ({ endpointCidrs, policies }, labels, host) => {
                    const ip = toIp(host);
                    const endpoint = endpointCidrs.some((c) => inCidr(ip, c));
                    assert.equal(egressAllowed(policies, labels, ip, HTTPS_PORT), endpoint, ip);
                    assert.ok(egressAllowed(policies, labels, "52.94.48.10", HTTPS_PORT), "a public AWS API address");
                }),
            );
        });

        it("keeps the endpoint blocks inside their private subnet, one per subnet, clear of the data tier", () => {
            fc.assert(
                fc.property(network, ({ plan, endpointCidrs }) => {
                    tierCidrs(plan, "private").forEach((subnet, i) => assert.ok(inCidr(endpointCidrs[i].split("/")[0], subnet)));
                    for (const data of tierCidrs(plan, "isolated")) assert.ok(endpointCidrs.every((c) => !inCidr(c.split("/")[0], data)));
                }),
            );
        });
    });
});
