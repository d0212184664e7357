/** The alarms on every tier (issue #13): seed thresholds as named alarms, dimensions that are the watched resources', routing by severity. */
import * as assert from "node:assert/strict";
import { alarmCatalogue, cacheMemberClusterIds, defaultCatalogue, defaultMaxConnections, defaultThresholds, webAclNameOf } from "../../../model/alarms";
import { cloudWatchPaging, pagingTable, ROUTES } from "../../../model/paging";
import { PlannedResource } from "../../../tools/offline";
import { ofType, planOf } from "../../support";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
type Plan = Awaited<ReturnType<typeof planOf>>;

const alarmsOf = (plan: Plan, prefix: string) => ofType(plan, ALARM).filter((a) => a.name.startsWith(`${prefix}-`));
const named = (plan: Plan, name: string) => {
    const found = ofType(plan, ALARM).find((a) => a.name === name);
    assert.ok(found, `no alarm ${name}`);
    return found;
};
/** The resource of `type` the alarm's dimensions were computed from (the URN join, known in both modes). */
const watchedBy = (plan: Plan, alarm: PlannedResource, type: string) =>
    (alarm.propertyDependencies.dimensions ?? []).map((urn) => plan.resources.find((r) => r.urn === urn)!).filter((r) => r.type === type);

describe("service alarms: the seed's thresholds are named alarms on the prod plan", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("CPU > 80% is the RDS CPU alarm and each cache node's engine CPU alarm, paging", () => {
        const rds = named(plan, "observability-database-cpu");
        assert.deepEqual(
            [rds.props.namespace, rds.props.metricName, rds.props.comparisonOperator, rds.props.threshold],
            ["AWS/RDS", "CPUUtilization", "GreaterThanThreshold", 80],
        );
        const page = ofType(plan, "aws:sns/topic:Topic").find((t) => t.name === "observability-alerts")!;
        assert.deepEqual(rds.props.alarmActions, [page.props.arn]);
        const cache = alarmsOf(plan, "observability-cache-cpu");
        assert.equal(cache.length, 6, "3 shards x (1 primary + 1 replica)");
        for (const a of cache) {
            assert.deepEqual([a.props.namespace, a.props.metricName, a.props.threshold], ["AWS/ElastiCache", "EngineCPUUtilization", 80]);
            assert.deepEqual(a.props.alarmActions, [page.props.arn]);
        }
    });

    it("error rate > 1% is the ALB 5XX alarm (FILLed counts), paging", () => {
        const errors = named(plan, "observability-request-errors");
        assert.equal(errors.props.threshold, 1);
        const queries = errors.props.metricQueries as { expression?: string; metric?: { metricName: string } }[];
        assert.match(queries[0].expression!, /FILL\(target5xx, 0\) \+ FILL\(elb5xx, 0\)/);
        assert.deepEqual(
            queries.slice(1).map((q) => q.metric!.metricName),
            ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount"],
        );
    });

    it("tickets go to the e-mail-only ticket topic", () => {
        const tickets = ofType(plan, "aws:sns/topic:Topic").find((t) => t.name === "observability-ticket-alerts")!;
        for (const entry of defaultCatalogue().filter((e) => e.severity === "ticket" && !e.createdBy)) {
            const alarms = ofType(plan, ALARM).filter((a) => a.name === `observability-${entry.key}` || a.name.startsWith(`observability-${entry.key}-`));
            assert.ok(alarms.length > 0, entry.key);
            for (const a of alarms) assert.deepEqual(a.props.alarmActions, [tickets.props.arn], a.name);
        }
    });
});

for (const mode of ["update", "preview"] as const) {
    describe(`service alarms: each alarm's dimensions are its resource's (prod, ${mode})`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("prod", mode);
        });
        const update = mode === "update";

        it("the database and each cache node", () => {
            const [db] = ofType(plan, "aws:rds/instance:Instance");
            const cpu = named(plan, "observability-database-cpu");
            assert.deepEqual(watchedBy(plan, cpu, "aws:rds/instance:Instance"), [db]);
            if (update) assert.deepEqual(cpu.props.dimensions, { DBInstanceIdentifier: db.props.identifier });
            const [group] = ofType(plan, "aws:elasticache/replicationGroup:ReplicationGroup");
            const nodes = alarmsOf(plan, "observability-cache-memory");
            for (const a of nodes) assert.deepEqual(watchedBy(plan, a, group.type), [group]);
            // The group id is an input: the member ids are known in preview too.
            assert.deepEqual(
                nodes.map((a) => (a.props.dimensions as Record<string, string>).CacheClusterId),
                cacheMemberClusterIds(String(group.props.replicationGroupId), Number(group.props.numNodeGroups), Number(group.props.replicasPerNodeGroup)),
            );
        });

        it("each NAT gateway, the VPN connection and each of its tunnels", () => {
            const nats = ofType(plan, "aws:ec2/natGateway:NatGateway");
            const alarms = alarmsOf(plan, "observability-nat-port-allocation");
            assert.deepEqual(
                alarms.map((a) => watchedBy(plan, a, nats[0].type)[0]),
                nats,
            );
            if (update)
                assert.deepEqual(
                    alarms.map((a) => (a.props.dimensions as Record<string, string>).NatGatewayId),
                    nats.map((n) => n.id),
                );
            const [vpn] = ofType(plan, "aws:ec2/vpnConnection:VpnConnection");
            const down = named(plan, "observability-vpn-down");
            assert.deepEqual(watchedBy(plan, down, vpn.type), [vpn]);
            assert.deepEqual(Object.keys(down.props.dimensions as object), ["VpnId"], "AWS publishes the connection's state under VpnId alone");
            const tunnels = alarmsOf(plan, "observability-vpn-tunnel");
            assert.equal(tunnels.length, 2);
            for (const t of tunnels) assert.deepEqual(Object.keys(t.props.dimensions as object), ["TunnelIpAddress"], "a tunnel's under TunnelIpAddress alone");
            if (update) {
                assert.deepEqual(down.props.dimensions, { VpnId: vpn.id });
                assert.deepEqual(
                    tunnels.map((t) => (t.props.dimensions as Record<string, string>).TunnelIpAddress),
                    [vpn.props.tunnel1Address, vpn.props.tunnel2Address],
                );
            }
        });

        it("each target group with its load balancer, the search domain and the web ACL", () => {
            const groups = ofType(plan, "aws:lb/targetGroup:TargetGroup");
            const [lb] = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
            const unhealthy = alarmsOf(plan, "observability-unhealthy-hosts");
            assert.deepEqual(
                unhealthy.map((a) => watchedBy(plan, a, groups[0].type)[0]),
                groups,
            );
            for (const a of unhealthy) assert.deepEqual(watchedBy(plan, a, lb.type), [lb]);
            if (update)
                assert.deepEqual(
                    unhealthy.map((a) => (a.props.dimensions as Record<string, string>).TargetGroup),
                    groups.map((g) => g.props.arnSuffix),
                );
            const [domain] = ofType(plan, "aws:opensearch/domain:Domain");
            const red = named(plan, "observability-search-red");
            assert.deepEqual(watchedBy(plan, red, domain.type), [domain]);
            if (update) assert.deepEqual(red.props.dimensions, { DomainName: domain.props.domainName, ClientId: "111122223333" });
            const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
            const waf = named(plan, "observability-waf-blocked-surge");
            assert.deepEqual(watchedBy(plan, waf, acl.type), [acl]);
            if (update) assert.deepEqual(waf.props.dimensions, { WebACL: acl.props.name, Region: "eu-west-2", Rule: "ALL" });
        });
    });
}

describe("service alarms: dr monitors the replica, the warm cache and the pilot light's edge", () => {
    it("has the catalogue's alarms, the replica's lag left to the RPO guards (no duplicate)", async () => {
        const plan = await planOf("dr");
        const names = ofType(plan, ALARM).map((a) => a.name);
        for (const key of [
            "database-cpu",
            "database-connections",
            "cache-cpu-5",
            "request-errors",
            "unhealthy-hosts-0",
            "waf-blocked-surge",
            "nat-port-allocation-2",
        ])
            assert.ok(names.includes(`alarms-${key}`), key);
        assert.equal(ofType(plan, ALARM).filter((a) => a.props.metricName === "ReplicaLag").length, 1);
        const [replica] = ofType(plan, "aws:rds/instance:Instance");
        assert.deepEqual(watchedBy(plan, named(plan, "alarms-database-cpu"), replica.type), [replica]);
    });
});

describe("What pages whom (model/paging.ts)", () => {
    it("lists every catalogue alarm with its route, and takes further lists (Prometheus' rules at merge)", () => {
        const table = pagingTable(cloudWatchPaging(), [
            { name: "SloBurnFast", source: "prometheus", signal: "burn", threshold: "14.4x", severity: "page", route: "r" },
        ]);
        const rows = table.split("\n");
        for (const e of defaultCatalogue()) {
            const row = rows.find((r) => r.startsWith(`| \`${e.key}\` | cloudwatch |`));
            assert.ok(row?.includes(`| ${e.severity} | ${ROUTES[e.severity]} |`), e.key);
        }
        assert.match(table, /\| `SloBurnFast` \| prometheus \|/);
        assert.match(table, /\| `uptime` \| route53 \|/);
    });
});

describe("alarm catalogue (model/alarms.ts)", () => {
    it("derives the default max_connections of a class (LEAST(DBInstanceClassMemory/9531392, 5000))", () => {
        assert.equal(defaultMaxConnections("db.m5.xlarge"), Math.floor((16 * 1024 ** 3) / 9531392));
        assert.equal(defaultMaxConnections("db.r6g.16xlarge"), 5000);
        assert.equal(defaultMaxConnections("db.t3.micro"), undefined);
        assert.throws(() => alarmCatalogue(defaultThresholds(), { databaseInstanceClass: "db.t3.micro", searchVolumeGiB: 100 }), /max_connections/);
    });

    it("names cluster-mode members <group>-<shard>-<node> and web ACLs from their ARN", () => {
        assert.deepEqual(cacheMemberClusterIds("g", 2, 1), ["g-0001-001", "g-0001-002", "g-0002-001", "g-0002-002"]);
        assert.equal(webAclNameOf("arn:aws:wafv2:eu-west-2:111122223333:regional/webacl/prod-portal/abc"), "prod-portal");
    });

    it("FILLs every count a math alarm reads, and counts alone never breach on missing data", () => {
        for (const e of defaultCatalogue()) {
            if (e.math) for (const [id] of e.math.metrics) assert.ok(e.math.expression.includes(`FILL(${id}, 0)`), `${e.key} ${id}`);
            if (e.statistic === "Sum" && !e.math) assert.equal(e.treatMissingData, "notBreaching", e.key);
        }
    });
});
