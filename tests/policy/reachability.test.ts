/**
 * declared-flows-hold on the real plans, both stacks and both modes: every intended flow admitted (or, in
 * preview, unknown where addresses are computed, never blocked), every forbidden flow blocked; and each
 * reachability mutation of the table caught by a violation that names its flow and layer.
 */
import * as assert from "node:assert/strict";
import { FLOWS } from "../../model/flows";
import { declaredFlowsHold } from "../../policy/reachability";
import { flowsOf } from "../../tools/flows";
import { analyzeResources } from "../../tools/policyRunner";
import { MUTATIONS, Mode, Mutator } from "../integration/mutationTable";
import { planOf } from "../support";
import { Case, describeCases } from "../support/policyCases";
import { Declared, Fixture, network } from "../support/policyFixtures";
import { T } from "../../policy/lib";

/** Flows a stack has no ends for: no postgres rotation function in either stack (RDS rotates itself?), dr's pilot light has no log search domain nor cache rotation. */
const ABSENT: Record<string, string[]> = {
    // Nothing: the PostgreSQL rotation function is found through its SAR app's subnet and security-group parameters.
    prod: [],
    dr: [
        "rotation-to-postgres",
        "rotation-to-secretsmanager-endpoint",
        "shippers-to-opensearch",
        "cache-rotation-to-secretsmanager-endpoint",
        "cache-rotation-to-elasticache-endpoint",
        // issue #13: dr has no log search domain (its shippers write CloudWatch Logs only).
        "shipper-pods-to-opensearch",
    ],
};
/** Each reachability row of tests/integration/mutationTable.ts and the flow its violation must name. */
const MUTATION_FLOWS: Record<string, { flow: string; layer: string }> = {
    "reach-sg-narrowed": { flow: "pods-to-postgres", layer: "securityGroup" },
    "reach-rotation-egress-dropped": { flow: "rotation-to-postgres", layer: "securityGroup" },
    "reach-nacl-rule-dropped": { flow: "pods-to-redis", layer: "nacl" },
    "reach-np-except": { flow: "pods-to-postgres", layer: "networkPolicy" },
    "reach-isolated-nat-route": { flow: "data-tier-to-internet", layer: "route" },
    "reach-old-isolated-nacl": { flow: "shippers-to-opensearch", layer: "nacl" },
    "reach-old-network-policy": { flow: "pods-to-sts-endpoint", layer: "networkPolicy" },
    "mesh-django-to-api-allow-dropped": { flow: "django-web-to-fastapi-api", layer: "mesh" },
    "mesh-any-principal-to-celery-worker": { flow: "django-web-to-celery-worker", layer: "mesh" },
    "mesh-hbone-ingress-dropped": { flow: "django-web-to-fastapi-api", layer: "networkPolicy" },
};

const messages = async (resources: Parameters<typeof analyzeResources>[0]) =>
    (await analyzeResources(resources, { policies: [declaredFlowsHold] })).filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message);

for (const stack of ["prod", "dr"] as const) {
    for (const mode of ["update", "preview"] as const satisfies readonly Mode[]) {
        describe(`declared-flows-hold on the ${stack} plan (${mode})`, () => {
            it("admits every intended flow and blocks every forbidden one; the policy reports nothing", async () => {
                const plan = await planOf(stack, mode);
                const rows = await flowsOf(plan.resources);
                assert.deepEqual(
                    rows.map((r) => r.name),
                    FLOWS.map((f) => f.name),
                );
                for (const r of rows) {
                    if (ABSENT[stack].includes(r.name)) {
                        assert.equal(r.admitted, "absent", r.name);
                        continue;
                    }
                    const expected = mode === "update" ? [r.intended] : [r.intended, "unknown"];
                    assert.ok(expected.includes(r.admitted as boolean), `${r.name}: ${r.admitted} ${JSON.stringify(r.layers)}`);
                    assert.deepEqual(
                        r.layers.slice(0, 4).map((l) => l.layer),
                        ["networkPolicy", "securityGroup", "nacl", "route"],
                    );
                    // issue #12: a flow into pods also crosses the mesh layer (policy/reachabilityMeshGraph.ts), right after the network layers.
                    assert.equal(r.layers[4]?.layer === "mesh", r.to.startsWith("pods:"), r.name);
                }
                // Preview still decides what its literals decide (CIDRs, ports, NACLs): not everything is "unknown".
                assert.ok(rows.filter((r) => typeof r.admitted === "boolean").length >= 15, "decided in preview too");
                assert.deepEqual(await messages(plan.resources), []);
            });

            for (const mutation of MUTATIONS.filter((m) => m.id in MUTATION_FLOWS && m.stacks.includes(stack))) {
                const { flow, layer } = MUTATION_FLOWS[mutation.id];
                it(`${mutation.id}: reported as ${flow}, at the ${layer} layer`, async () => {
                    const plan = structuredClone(await planOf(stack, mode));
                    mutation.apply(new Mutator(plan, mode));
                    const found = await messages(JSON.parse(JSON.stringify(plan.resources)));
                    assert.ok(
                        found.some((m) => m.includes(`flow ${flow} (`) && m.includes(`${layer} layer`)),
                        `expected ${flow} at ${layer} in ${JSON.stringify(found)}`,
                    );
                });
            }
        });
    }
}

/** A small stack: the ALB in the public subnets behind its security group, a database in the isolated ones. */
function edgeAndDatabase(f: Fixture, opts: { http?: boolean; ssh?: boolean; natFromIsolated?: boolean; dbFromPublic?: boolean } = {}) {
    const net = network(f);
    const sg = (name: string) => f.add(T.sg, name, { vpcId: f.ref(net.vpc) });
    const ingress = (group: Declared, name: string, port: number, peer: Record<string, unknown>) =>
        f.add(T.sgIngress, name, { securityGroupId: f.ref(group), ipProtocol: "tcp", fromPort: port, toPort: port, ...peer });
    const albSg = sg("alb");
    ingress(albSg, "alb-443", 443, { cidrIpv4: "0.0.0.0/0" });
    if (opts.http !== false) ingress(albSg, "alb-80", 80, { cidrIpv4: "0.0.0.0/0" });
    ingress(albSg, "alb-8443", 8443, { prefixListId: "pl-route53-healthchecks" });
    if (opts.ssh) ingress(albSg, "alb-22", 22, { cidrIpv4: "0.0.0.0/0" });
    f.add(T.lb, "alb", { internal: false, securityGroups: [f.ref(albSg)], subnets: net.subnets.public.map((s) => f.ref(s)) });
    const dbSg = sg("db");
    if (opts.dbFromPublic) ingress(dbSg, "db-from-public", 5432, { cidrIpv4: "10.10.0.0/22" });
    const group = f.add(T.rdsSubnets, "db", { name: "db", subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
    f.add(T.rds, "db", { port: 5432, dbSubnetGroupName: f.ref(group), vpcSecurityGroupIds: [f.ref(dbSg)] });
    if (opts.natFromIsolated)
        f.add(T.route, "isolated-0-egress", {
            routeTableId: f.ref(net.tables.isolated[0]),
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: f.ref(net.nats[0]),
        });
}

const CASES: Case[] = [
    {
        policy: "declared-flows-hold",
        compliant: (f) => edgeAndDatabase(f),
        violations: {
            "the HTTP redirect port closed (an intended flow blocked by the ALB's security group)": (f) => edgeAndDatabase(f, { http: false }),
            "SSH open to the world on the ALB (a forbidden flow admitted at every layer)": (f) => edgeAndDatabase(f, { ssh: true }),
            "the database admits the public tier": (f) => edgeAndDatabase(f, { dbFromPublic: true }),
            "a NAT route from the isolated tier": (f) => edgeAndDatabase(f, { natFromIsolated: true }),
        },
    },
];

describe("policy pack: declared-flows-hold fixtures", () => {
    describeCases(CASES);
});
