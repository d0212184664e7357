/**
 * Each layer's evaluator on small hand-built inputs, AWS's and Kubernetes' semantics one by one, then the
 * invariants as properties (fast-check): an allow added never blocks an admitted flow; a deny numbered before
 * the allow that admits it blocks it. And the two breaks of issue #11, reproduced on the old rules.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { planSubnets, tierCidrs } from "../../model/cidr";
import { NaclEntry } from "../../model/flows";
import { naclRules } from "../../model/network";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { HTTPS_PORT } from "../../model/ports";
import { RouteEntry, SgRule, combine, ipInCidr, naclConnection, naclDecide, routeDecide, sampleHost, sgConnection } from "../../model/reachability";
import { K8sPolicy, PodEnd, networkPolicyConnection, selects } from "../../model/reachabilityK8s";
import { endpointAddress, endpointBlock } from "../../model/endpointAddresses";

const rule = (ruleNumber: number, egress: boolean, cidrBlock: string, from: number, to: number, ruleAction = "allow", protocol = "tcp"): NaclEntry => ({
    ruleNumber,
    egress,
    protocol,
    cidrBlock,
    fromPort: from,
    toPort: to,
    ruleAction,
});
/** A NACL pair that admits 10.0.1.10 -> 10.0.2.10:5432, request and reply. */
const client: NaclEntry[] = [rule(100, true, "10.0.2.0/24", 5432, 5432), rule(100, false, "10.0.2.0/24", 1024, 65535)];
const server: NaclEntry[] = [rule(100, false, "10.0.1.0/24", 5432, 5432), rule(100, true, "10.0.1.0/24", 1024, 65535)];
const path = (c: readonly NaclEntry[], s: readonly NaclEntry[]) => ({
    client: { ip: "10.0.1.10", entries: c, name: "client" },
    server: { ip: "10.0.2.10", entries: s, name: "server" },
});

describe("model/reachability: NACLs", () => {
    it("first match in rule-number order decides, whatever the order given", () => {
        const entries = [rule(200, false, "10.0.0.0/8", 0, 65535), rule(100, false, "10.0.1.0/24", 5432, 5432, "deny")];
        const d = naclDecide(entries, { egress: false, peer: "10.0.1.10", port: 5432 });
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /rule 100/);
        assert.equal(naclDecide(entries, { egress: false, peer: "10.0.3.10", port: 5432 }).verdict, "allow");
    });
    it("the final * rule denies what no rule matches; -1 matches every protocol and port; UDP is not TCP", () => {
        assert.match(naclDecide([], { egress: true, peer: "1.2.3.4", port: 443 }).rule, /rule \*/);
        assert.equal(naclDecide([rule(1, true, "0.0.0.0/0", 0, 0, "allow", "-1")], { egress: true, peer: "1.2.3.4", port: 9 }).verdict, "allow");
        assert.equal(naclDecide([rule(1, true, "0.0.0.0/0", 53, 53)], { egress: true, peer: "1.2.3.4", port: 53, protocol: "udp" }).verdict, "deny");
    });
    it("is stateless: a connection needs the reply to the ephemeral ports on both ends", () => {
        assert.equal(naclConnection(path(client, server), 5432).verdict, "allow");
        const noReply = naclConnection(
            path(
                client,
                server.filter((e) => !e.egress),
            ),
            5432,
        );
        assert.equal(noReply.verdict, "deny");
        assert.match(noReply.rule, /server egress rule \* .*stateless reply/);
        // A reply range that stops at 32767 drops the clients whose ephemeral port is higher (AWS: 1024-65535).
        const short = [rule(100, false, "10.0.2.0/24", 1024, 32767), client[0]];
        assert.equal(naclConnection(path(short, server), 5432).verdict, "deny");
    });
    it("unknown rules make the layer unknown, never blocked; a same-subnet flow crosses no NACL", () => {
        assert.equal(naclConnection({ ...path(client, server), server: { ip: "10.0.2.10", entries: undefined, name: "s" } }, 5432).verdict, "unknown");
        assert.equal(naclConnection({ ...path([], []), sameSubnet: true }, 5432).verdict, "allow");
    });
});

const sg = (egress: boolean, peer: Partial<Pick<SgRule, "cidrs" | "groups" | "prefixLists">>, port: number, name = "r"): SgRule => ({
    egress,
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrs: peer.cidrs ?? [],
    groups: peer.groups ?? [],
    prefixLists: peer.prefixLists ?? [],
    name,
});

describe("model/reachability: security groups", () => {
    const app = { ip: "10.0.1.10", sgs: { keys: ["app"], rules: [sg(true, { groups: ["db"] }, 5432, "app-to-db")] } };
    const db = { ip: "10.0.2.10", sgs: { keys: ["db"], rules: [sg(false, { groups: ["app"] }, 5432, "db-from-app")] } };
    it("is stateful and needs both ends: the source's egress and the destination's ingress, SG-to-SG references", () => {
        const d = sgConnection(app, db, 5432);
        assert.equal(d.verdict, "allow");
        assert.match(d.rule, /app-to-db.*db-from-app/);
        assert.equal(sgConnection({ ...app, sgs: { keys: ["other"], rules: app.sgs.rules } }, db, 5432).verdict, "deny");
        assert.equal(sgConnection({ ...app, sgs: { keys: ["app"], rules: [] } }, db, 5432).verdict, "deny", "no egress rule, no traffic");
    });
    it("prefix lists and CIDRs; an end outside AWS has no group", () => {
        const alb = {
            ip: "10.0.0.10",
            sgs: { keys: ["alb"], rules: [sg(false, { prefixLists: ["pl-checkers"] }, 8443), sg(false, { cidrs: ["0.0.0.0/0"] }, 443)] },
        };
        assert.equal(sgConnection({ ip: "198.51.100.7", prefixLists: ["pl-checkers"] }, alb, 8443).verdict, "allow");
        assert.equal(sgConnection({ ip: "198.51.100.7" }, alb, 8443).verdict, "deny");
        assert.equal(sgConnection({ ip: "198.51.100.7" }, alb, 443).verdict, "allow");
        assert.equal(sgConnection({ ip: "198.51.100.7" }, { ...alb, sgs: { keys: ["alb"], rules: undefined } }, 443).verdict, "unknown");
    });
});

describe("model/reachability: route tables", () => {
    const routes: RouteEntry[] = [
        { destination: "10.0.0.0/16", target: "local", name: "local" },
        { destination: "0.0.0.0/0", target: "nat", az: "a", name: "egress" },
        { destination: "172.16.0.0/20", target: "vgw", name: "vpn" },
    ];
    it("the longest prefix decides, and the target must be the one the flow needs (a cross-AZ NAT noted)", () => {
        assert.equal(routeDecide(routes, "172.16.0.9", "vgw").verdict, "allow");
        assert.equal(routeDecide(routes, "10.0.5.5", "local").verdict, "allow");
        assert.equal(routeDecide(routes, "8.8.8.8", "nat", "a").verdict, "allow");
        // A NAT of another AZ still forwards (nat-gateway-per-az reports the AZ dependency): admitted, and said.
        assert.equal(routeDecide(routes, "8.8.8.8", "nat", "b").verdict, "allow");
        assert.match(routeDecide(routes, "8.8.8.8", "nat", "b").rule, /cross-AZ, not the NAT of b/);
        assert.match(routeDecide(routes, "8.8.8.8", "igw").rule, /the flow needs igw/);
        assert.match(routeDecide(routes.slice(0, 1), "8.8.8.8", "nat", "a").rule, /no route/);
        assert.equal(routeDecide(undefined, "8.8.8.8", "nat").verdict, "unknown");
    });
    it("combines layers: one deny blocks, unknown only when none denies", () => {
        assert.equal(combine([{ verdict: "allow" }, { verdict: "unknown" }]), "unknown");
        assert.equal(combine([{ verdict: "unknown" }, { verdict: "deny" }]), "deny");
        assert.equal(combine([{ verdict: "allow" }]), "allow");
    });
});

describe("model/reachabilityK8s: NetworkPolicies", () => {
    const ns = "citizen-portal";
    const pod = (app: string, ip = "10.10.0.50"): PodEnd => ({ kind: "pod", namespace: ns, labels: { app }, ip });
    const policies = (apiEndpointCidrs: string[]): K8sPolicy[] =>
        portalNetworkPolicies({ kind: "eks", albSourceCidrs: ["10.10.128.0/21"] }, ["10.10.160.0/21"], apiEndpointCidrs).map((p) => ({
            name: p.name,
            namespace: ns,
            spec: p.spec,
        }));
    it("default deny; a pod no policy selects is open; selectors with expressions", () => {
        assert.equal(networkPolicyConnection(policies([]), pod("django-web"), { kind: "address", ip: "10.10.160.10" }, 5432).verdict, "allow");
        assert.equal(networkPolicyConnection(policies([]), pod("django-web"), { kind: "address", ip: "10.10.160.10" }, 22).verdict, "deny");
        assert.equal(networkPolicyConnection([], pod("django-web"), { kind: "address", ip: "1.1.1.1" }, 22).verdict, "allow");
        assert.ok(selects({ matchExpressions: [{ key: "app", operator: "In", values: ["a", "b"] }] }, { app: "b" }));
        assert.ok(!selects({ matchLabels: { app: "a" } }, { app: "b" }));
    });
    it("needs the source's egress and the destination's ingress", () => {
        const alb = { kind: "address" as const, ip: "10.10.128.10" };
        assert.equal(networkPolicyConnection(policies([]), alb, pod("django-web"), 8000).verdict, "allow");
        const fromElsewhere = networkPolicyConnection(policies([]), { kind: "address", ip: "10.10.64.10" }, pod("django-web"), 8000);
        assert.match(fromElsewhere.rule, /ingress of django-web: isolated by/);
    });
    it("issue #11, reproduced on the old rules: `except 10.0.0.0/8` blocks the pods from the interface endpoints, and names the except", () => {
        const subnet = "10.10.0.0/19";
        const sts = endpointAddress(subnet, 2);
        const old = networkPolicyConnection(policies([]), pod("django-web"), { kind: "address", ip: sts }, HTTPS_PORT);
        assert.equal(old.verdict, "deny");
        assert.match(old.rule, /except 10\.0\.0\.0\/8/);
        assert.equal(networkPolicyConnection(policies([endpointBlock(subnet)]), pod("django-web"), { kind: "address", ip: sts }, HTTPS_PORT).verdict, "allow");
    });
});

describe("issue #11 on the old isolated NACL: no HTTPS rule blocks OpenSearch", () => {
    const plan = planSubnets("10.10.0.0/16", 3);
    const rules = naclRules({ plan, vpcCidr: "10.10.0.0/16", onPremCidrs: ["172.16.0.0/20"] });
    const connect = (isolated: readonly NaclEntry[]) =>
        naclConnection(
            {
                client: { ip: sampleHost(tierCidrs(plan, "private")[0]), entries: rules.private, name: "private" },
                server: { ip: sampleHost(tierCidrs(plan, "isolated")[0]), entries: isolated, name: "isolated" },
            },
            HTTPS_PORT,
        );
    it("the old rules (the HTTPS ingress rules removed) are blocked at the isolated ingress, today's admit", () => {
        const old = rules.isolated.filter((r) => !(!r.egress && r.fromPort === HTTPS_PORT));
        const d = connect(old);
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /isolated ingress rule \*/);
        assert.equal(connect(rules.isolated).verdict, "allow");
    });
});

describe("invariants (fast-check)", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
    const entry = (egress: boolean) =>
        fc.record({
            ruleNumber: fc.integer({ min: 1, max: 32766 }),
            egress: fc.constant(egress),
            protocol: fc.constantFrom("tcp", "udp", "-1", "6"),
            cidrBlock: fc.tuple(ip, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
            fromPort: fc.integer({ min: 0, max: 65535 }),
            toPort: fc.integer({ min: 0, max: 65535 }),
            ruleAction: fc.constantFrom("allow", "deny"),
        });
    const packet = fc.record({ egress: fc.boolean(), peer: ip, port: fc.integer({ min: 1, max: 65535 }) });

    it("adding an allow, at any (unused) rule number, never blocks an admitted packet", () => {
        fc.assert(
            fc.property(fc.array(fc.oneof(entry(true), entry(false)), { maxLength: 12 }), packet, entry(false), (entries, p, extra) => {
                fc.pre(naclDecide(entries, p).verdict === "allow");
                fc.pre(!entries.some((e) => e.egress === p.egress && e.ruleNumber === extra.ruleNumber));
                const after = { ...extra, egress: p.egress, ruleAction: "allow" };
                assert.equal(naclDecide([...entries, after], p).verdict, "allow");
            }),
        );
    });
    it("a deny numbered before the rule that admits a packet blocks it", () => {
        fc.assert(
            fc.property(fc.array(fc.oneof(entry(true), entry(false)), { maxLength: 12 }), packet, (entries, p) => {
                const ordered = entries.filter((e) => e.egress === p.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
                fc.pre(naclDecide(entries, p).verdict === "allow" && ordered[0].ruleNumber > 1);
                const deny = { ruleNumber: 0, egress: p.egress, protocol: "-1", cidrBlock: `${p.peer}/32`, fromPort: 0, toPort: 0, ruleAction: "deny" };
                assert.equal(naclDecide([...entries, deny], p).verdict, "deny");
            }),
        );
    });
    it("security groups: adding a rule never blocks an admitted flow (allow-only, any rule admits)", () => {
        const rules = fc.array(
            fc.record({
                egress: fc.boolean(),
                protocol: fc.constantFrom("tcp", "-1"),
                fromPort: fc.integer({ min: 0, max: 65535 }),
                toPort: fc.integer({ min: 0, max: 65535 }),
                cidrs: fc.array(fc.constantFrom("10.0.0.0/8", "10.0.1.0/24", "0.0.0.0/0"), { maxLength: 2 }),
                groups: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
                prefixLists: fc.constant([]),
                name: fc.constant("r"),
            }),
            { maxLength: 8 },
        );
        fc.assert(
            fc.property(rules, rules, rules, fc.integer({ min: 1, max: 65535 }), (src, dst, more, port) => {
                const s = { ip: "10.0.1.10", sgs: { keys: ["a"], rules: src } };
                const d = { ip: "10.0.2.10", sgs: { keys: ["b"], rules: dst } };
                fc.pre(sgConnection(s, d, port).verdict === "allow");
                assert.equal(
                    sgConnection({ ...s, sgs: { ...s.sgs, rules: [...src, ...more] } }, { ...d, sgs: { ...d.sgs, rules: [...dst, ...more] } }, port).verdict,
                    "allow",
                );
            }),
        );
    });
    it("ipInCidr agrees with the prefix arithmetic (a /0 holds all, a /32 only itself)", () => {
        fc.assert(
            fc.property(ip, ip, (a, b) => {
                assert.ok(ipInCidr(a, "0.0.0.0/0"));
                assert.equal(ipInCidr(a, `${b}/32`), a === b);
            }),
        );
    });
});
