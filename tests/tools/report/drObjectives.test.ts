import * as assert from "node:assert/strict";
import { FAILOVER_TIMES, drObjectivesOf, drSiteFor } from "../../../tools/report/drObjectives";
import { readStackConfig, stackConfigPath } from "../../../tools/offline";
import { planOf } from "../../support";
import { flatConfig, planOfResources, res, servingGraph } from "./smallGraph";

const minutesOf = (r: ReturnType<typeof drObjectivesOf>, name: RegExp) => r!.terms.find((t) => name.test(t.name))?.minutes;
const drConfig = (dr: Record<string, unknown>, drMode = "standby") =>
    flatConfig(
        { role: "dr", drMode, capacity: { concurrentUsers: 1000, targetUsers: 10000 }, dr: { primaryStack: "org/hybrid-platform/prod", ...dr } },
        "eu-west-1",
    );

/** A dr site's graph: the replica-lag alarm, the documents replication, the primary's health check and the GSLB records. */
function drGraph(o: { lagSeconds?: number; rtc?: boolean; interval?: number; nodesPerAz?: number } = {}) {
    return [
        ...servingGraph({ azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], nodesPerAz: o.nodesPerAz ?? 1 }),
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "data-replica-lag", {
            namespace: "AWS/RDS",
            metricName: "ReplicaLag",
            threshold: o.lagSeconds ?? 300,
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
        }),
        res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "data-documents", {
            rules: [
                { destination: { bucket: "arn:aws:s3:::dr", replicationTime: { status: o.rtc === false ? "Disabled" : "Enabled", time: { minutes: 15 } } } },
            ],
        }),
        res("aws:route53/healthCheck:HealthCheck", "gslb-primary", { requestInterval: o.interval ?? 10, failureThreshold: 3 }),
        res("aws:route53/record:Record", "gslb-onprem", { ttl: 120 }),
    ];
}

describe("tools/report/drObjectives", () => {
    for (const mode of ["update", "preview"] as const)
        it(`dr (${mode}): RPO and RTO from its own graph meet 15 min and 4 h, each term with its source`, async () => {
            const r = drObjectivesOf(await planOf("dr", mode), readStackConfig(stackConfigPath("dr")))!;
            assert.equal(minutesOf(r, /^database/), 8, "300 s threshold + 3 x 60 s before the page");
            assert.equal(minutesOf(r, /^documents/), 15);
            assert.equal(r.rpoMinutes, 15);
            assert.equal(minutesOf(r, /^detection/), 0.5);
            assert.ok(r.terms.some((t) => /pilot-light scale-up: nodes 1 -> 3 per AZ/.test(t.name)));
            assert.equal(r.rtoMinutes, 0.5 + 30 + 15 + 5 + 2 + 1);
            assert.deepEqual([r.rpoTargetMinutes, r.rtoTargetMinutes, r.meetsRpo, r.meetsRto], [15, 240, true, true]);
            assert.ok(r.terms.every((t) => t.source.length > 0));
            assert.match(r.terms[0].source, /alarm data-replica-lag/);
        });

    it("prod: the terms come from the dr stack that names it (config only), said in each source", async () => {
        const r = drObjectivesOf(await planOf("prod"), readStackConfig(stackConfigPath("prod")))!;
        assert.deepEqual([r.rpoMinutes, r.rtoMinutes, r.meetsRpo, r.meetsRto], [15, 53.5, true, true]);
        assert.match(r.terms[0].source, /dr\.replicaLagAlarmSeconds \(dr stack dr's config, Pulumi\.dr\.yaml\)/);
        assert.equal(drSiteFor("prod")?.stack, "dr");
    });

    it("null for a stack no dr stack names", async () => {
        assert.equal(drObjectivesOf(await planOf("bootstrap"), readStackConfig(stackConfigPath("bootstrap"))), null);
        assert.equal(drObjectivesOf(planOfResources(servingGraph(), "prod"), flatConfig({ role: "prod" }), []), null);
    });

    it("follows the configuration: a slower lag alarm, no RTC, a slower health check, a longer TTL", () => {
        const r = drObjectivesOf(
            planOfResources(drGraph({ lagSeconds: 600, rtc: false, interval: 30 }), "dr"),
            drConfig({ replicationLatencyAlarmSeconds: 900 }),
        )!;
        assert.equal(minutesOf(r, /^database/), 13);
        assert.equal(minutesOf(r, /^documents/), 25, "without RTC: the latency alarm's 900 s + 2 x 300 s");
        assert.equal(r.rpoMinutes, 25);
        assert.equal(r.meetsRpo, false);
        assert.equal(minutesOf(r, /^detection/), 1.5);
        assert.equal(minutesOf(r, /^DNS/), 2);
        const latencyAlarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "data-replication-latency", {
            metricName: "ReplicationLatency",
            threshold: 1200,
            period: 60,
            evaluationPeriods: 3,
        });
        const withAlarm = drObjectivesOf(planOfResources([...drGraph({ rtc: false }), latencyAlarm], "dr"), drConfig({}))!;
        assert.equal(minutesOf(withAlarm, /^documents/), 23, "the graph's alarm wins over the config: 1200 s + 3 x 60 s");
    });

    it("an active dr site already at full size needs no scale-up; targets come from dr.rpoMinutes/rtoMinutes", () => {
        const r = drObjectivesOf(planOfResources(drGraph({ nodesPerAz: 3 }), "dr"), drConfig({ rpoMinutes: 10, rtoMinutes: 30 }, "active"))!;
        assert.ok(!r.terms.some((t) => /scale-up|pod start/.test(t.name)));
        assert.equal(r.rtoMinutes, 0.5 + FAILOVER_TIMES.decision.minutes + FAILOVER_TIMES.promotion.minutes + 2);
        assert.deepEqual([r.rpoTargetMinutes, r.rtoTargetMinutes, r.meetsRpo, r.meetsRto], [10, 30, false, false]);
    });

    it("a primary finds its dr site by the short stack name in dr.primaryStack", () => {
        const sites = [{ stack: "dr-eu", config: drConfig({}) }];
        assert.equal(drSiteFor("prod", sites)?.stack, "dr-eu");
        assert.equal(drSiteFor("staging", sites), undefined);
        const r = drObjectivesOf(planOfResources(servingGraph(), "prod"), flatConfig({ role: "prod" }), sites)!;
        assert.match(r.terms[0].source, /dr stack dr-eu's config, Pulumi\.dr-eu\.yaml/);
    });
});
