/**
 * The isolated tier's NACL comes from the declared flows (model/flows.ts): every data-tier service of the
 * plans is walked through the NACLs both ways, request and reply (NACLs are stateless), so a service placed
 * in the isolated tier without a flow is caught here.
 */
import * as assert from "node:assert/strict";
import { PlannedSubnet, planSubnets, tierCidrs, Tier } from "../../model/cidr";
import { DATA_TIER_FLOWS, FLOWS, NACL_RULES_PER_DIRECTION, NaclEntry, naclAllows } from "../../model/flows";
import { naclRules } from "../../model/network";
import { HTTPS_PORT } from "../../model/ports";
import { Plan, PlannedResource } from "../../tools/offline";
import { ofType, planOf } from "../support";

/** A host inside a CIDR (its tenth address: never one of AWS's reserved first four). */
const hostIn = (cidr: string) => {
    const [base] = cidr.split("/");
    const o = base.split(".").map(Number);
    return `${o[0]}.${o[1]}.${o[2]}.${o[3] + 10}`;
};
const EPHEMERAL_SAMPLES = [1024, 32768, 65535];

/** The four legs of one TCP connection from `client` to `server`:port, each through the NACL it crosses. */
function legs(clientNacl: readonly NaclEntry[], serverNacl: readonly NaclEntry[], client: string, server: string, port: number): string[] {
    const blocked: string[] = [];
    if (!naclAllows(clientNacl, { egress: true, peer: server, port })) blocked.push(`client out to ${server}:${port}`);
    if (!naclAllows(serverNacl, { egress: false, peer: client, port })) blocked.push(`server in from ${client} on ${port}`);
    for (const ephemeral of EPHEMERAL_SAMPLES) {
        if (!naclAllows(serverNacl, { egress: true, peer: client, port: ephemeral })) blocked.push(`reply out to ${client}:${ephemeral}`);
        if (!naclAllows(clientNacl, { egress: false, peer: server, port: ephemeral })) blocked.push(`reply in from ${server} to :${ephemeral}`);
    }
    return blocked;
}

describe("model/flows: the isolated tier's NACL from the declared flows", () => {
    for (const azCount of [2, 3]) {
        const plan: PlannedSubnet[] = planSubnets("10.10.0.0/16", azCount);
        const rules = naclRules({ plan, vpcCidr: "10.10.0.0/16", onPremCidrs: ["172.16.0.0/20", "172.16.16.0/20", "172.16.32.0/24"] });

        it(`admits every declared flow from each client subnet to each isolated subnet, and its reply (${azCount} AZs)`, () => {
            for (const flow of DATA_TIER_FLOWS) {
                for (const clientTier of flow.clients) {
                    for (const client of tierCidrs(plan, clientTier)) {
                        for (const server of tierCidrs(plan, "isolated")) {
                            assert.deepEqual(legs(rules[clientTier], rules.isolated, hostIn(client), hostIn(server), flow.port), [], `${flow.service}`);
                        }
                    }
                }
            }
        });

        it(`admits nothing else into the isolated tier from the private tier, and nothing from the public tier (${azCount} AZs)`, () => {
            const declared = new Set(DATA_TIER_FLOWS.map((f) => f.port));
            for (const port of [22, 80, 3306, 8080, 9200, 27017]) {
                if (declared.has(port)) continue;
                for (const client of tierCidrs(plan, "private")) assert.equal(naclAllows(rules.isolated, { egress: false, peer: hostIn(client), port }), false);
            }
            for (const client of tierCidrs(plan, "public"))
                for (const flow of DATA_TIER_FLOWS) assert.equal(naclAllows(rules.isolated, { egress: false, peer: hostIn(client), port: flow.port }), false);
        });

        it(`stays within AWS's ${NACL_RULES_PER_DIRECTION} rules per NACL and direction, numbered uniquely (${azCount} AZs)`, () => {
            for (const [tier, tierRules] of Object.entries(rules)) {
                for (const egress of [false, true]) {
                    const numbers = tierRules.filter((r) => r.egress === egress).map((r) => r.ruleNumber);
                    assert.ok(numbers.length <= NACL_RULES_PER_DIRECTION, `${tier} ${egress ? "egress" : "ingress"}: ${numbers.length} rules`);
                    assert.equal(new Set(numbers).size, numbers.length);
                    assert.ok(numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= 32766));
                }
            }
        });
    }

    it("HTTPS to the log search domain is a declared flow (finding 11: it was dropped)", () => {
        assert.ok(DATA_TIER_FLOWS.some((f) => f.port === HTTPS_PORT && f.clients.includes("private")));
    });
});

/** Each data-tier resource of a plan: its port and the subnets its ENIs sit in. */
function dataServices(plan: Plan): { name: string; port: number; subnetIds: string[] }[] {
    const groups = (type: string) => new Map(ofType(plan, type).map((g) => [String(g.props.name), g.props.subnetIds as string[]]));
    const rdsGroups = groups("aws:rds/subnetGroup:SubnetGroup");
    const cacheGroups = groups("aws:elasticache/subnetGroup:SubnetGroup");
    return [
        ...ofType(plan, "aws:rds/instance:Instance").map((r) => ({
            name: r.name,
            port: Number(r.props.port),
            subnetIds: rdsGroups.get(String(r.props.dbSubnetGroupName)) ?? [],
        })),
        ...ofType(plan, "aws:elasticache/replicationGroup:ReplicationGroup").map((r) => ({
            name: r.name,
            port: Number(r.props.port),
            subnetIds: cacheGroups.get(String(r.props.subnetGroupName)) ?? [],
        })),
        // A VPC domain answers on HTTPS only (enforceHttps).
        ...ofType(plan, "aws:opensearch/domain:Domain").map((d) => ({
            name: d.name,
            port: HTTPS_PORT,
            subnetIds: (d.props.vpcOptions as { subnetIds: string[] }).subnetIds,
        })),
    ];
}

for (const stack of ["prod", "dr"] as const) {
    describe(`${stack} plan: every data-tier service is reachable through the NACLs it crosses`, () => {
        it("from each private subnet to each of the service's subnets, request and reply", async () => {
            const plan = await planOf(stack);
            const subnets = new Map(ofType(plan, "aws:ec2/subnet:Subnet").map((s) => [s.id, s]));
            const tierOf = (s: PlannedResource) => (s.props.tags as Record<string, string>)["hybrid:tier"] as Tier;
            const rulesOf = new Map<string, NaclEntry[]>();
            for (const nacl of ofType(plan, "aws:ec2/networkAcl:NetworkAcl")) {
                const entries = ofType(plan, "aws:ec2/networkAclRule:NetworkAclRule")
                    .filter((r) => r.props.networkAclId === nacl.id)
                    .map((r) => r.props as unknown as NaclEntry);
                for (const id of nacl.props.subnetIds as string[]) rulesOf.set(id, entries);
            }
            const services = dataServices(plan);
            assert.ok(services.length >= 2, "the plan has its data tier");
            const clients = [...subnets.values()].filter((s) => tierOf(s) === "private");
            for (const service of services) {
                assert.ok(service.subnetIds.length > 0, `${service.name} has subnets`);
                for (const id of service.subnetIds) {
                    const server = subnets.get(id)!;
                    assert.equal(tierOf(server), "isolated", `${service.name} sits in the isolated tier`);
                    for (const client of clients) {
                        const blocked = legs(
                            rulesOf.get(client.id!)!,
                            rulesOf.get(id)!,
                            hostIn(String(client.props.cidrBlock)),
                            hostIn(String(server.props.cidrBlock)),
                            service.port,
                        );
                        assert.deepEqual(blocked, [], `${service.name} on ${service.port}`);
                    }
                }
            }
        });
    });
}

// issue #12: the architecture's flows, declared once
describe("model/flows: FLOWS", () => {
    it("names each flow once, with why and seed, and declares both kinds", () => {
        assert.equal(new Set(FLOWS.map((f) => f.name)).size, FLOWS.length);
        assert.ok(FLOWS.every((f) => f.why.length > 0 && /\d/.test(f.seed) && Number.isInteger(f.port) && f.port > 0 && f.port < 65536));
        assert.ok(FLOWS.some((f) => f.intended) && FLOWS.some((f) => !f.intended));
        assert.ok(
            FLOWS.filter((f) => f.blockedBy).every((f) => !f.intended),
            "only a forbidden flow names the layer that must block it",
        );
    });
    it("holds the issue's list: the web ports in, pods to the data tier and the endpoints, the forbidden crossings", () => {
        for (const name of [
            "citizens-to-alb-https",
            "citizens-to-alb-http-redirect",
            "health-checkers-to-alb",
            "alb-to-django-web",
            "pods-to-postgres",
            "pods-to-redis",
            "pods-to-s3",
            "pods-to-sts-endpoint",
            "shippers-to-opensearch",
            "rotation-to-postgres",
            "nodes-to-on-prem-application-vlan",
            "internet-to-pods",
            "public-tier-to-postgres",
            "data-tier-to-internet",
            "pods-to-internet-http",
            "on-prem-dmz-to-postgres",
        ])
            assert.ok(
                FLOWS.some((f) => f.name === name),
                name,
            );
    });
});
