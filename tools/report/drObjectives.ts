/**
 * DR objectives (issue #15 item 4, seed 3): RPO and RTO estimated from the configuration, each term with
 * its source, against the targets (dr.rpoMinutes / dr.rtoMinutes). The dr stack reads its own graph; a
 * primary reads the config of the dr stack that names it (config only, never planned) and DEFAULTS.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, readStackConfig, type Plan } from "../offline";
import { GSLB_HEALTH_CHECK, GSLB_RECORD_TTL_SECONDS } from "../../components/dr/globalTraffic";
import { defaultCatalogue } from "../../model/alarms";
import { DEFAULTS } from "../../model/defaults";
import { shortStackName } from "../../model/drConfig";
import { nodePlan } from "../../model/capacity";
import type { DrReport, DrTerm } from "./types";
import { PlanIndex, arr, configSections, num, obj, str } from "./planGraph";
import { nodeGroupsOf } from "./capacity";

/** Documented or stated typical times (minutes) of the failover steps with no figure in the config. */
export const FAILOVER_TIMES = {
    /** A person decides: a regional failover is not automatic (seed 3, `npm run failover`). Not an AWS figure. */
    decision: {
        minutes: 30,
        source: "assumption: the page is acknowledged and the failover decided within 30 min (the on-call runbook's window); no AWS figure",
    },
    promotion: {
        minutes: 15,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html: promotion reboots the replica and 'can take several minutes or longer, depending on the size'; 15 min assumed for ~1 TB",
    },
    nodeLaunch: {
        minutes: 5,
        source: "https://docs.aws.amazon.com/eks/latest/userguide/autoscaling.html: managed node groups grow through their Auto Scaling group (EC2 launch, bootstrap, node Ready), typically 3-5 min; 5 min assumed",
    },
    podStart: {
        minutes: 2,
        source: "assumption: image pull on a new node and the readiness probes (initialDelaySeconds 10, components/app/workloads) within 2 min",
    },
} as const;

/** The shape of the S3 replication-latency alarm (components/dr/rpoAlarms.ts): 2 periods of 300 s. */
const LATENCY_ALARM = { evaluationPeriods: 2, period: 300 } as const;

/** S3 Replication Time Control: 99.99% of objects replicated within 15 minutes (an SLA). */
const S3_RTC = {
    minutes: 15,
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html: S3 RTC replicates 99.99% of objects within 15 min",
};

export interface DrSite {
    /** The dr stack's name and flat config. */
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
}

let committedStacks: DrSite[] | undefined;
/** The committed dr stack configs (Pulumi.<name>.yaml at the repository root with role dr), read once; others are not parsed. */
function committedStackConfigs(): DrSite[] {
    committedStacks ??= readdirSync(REPO_ROOT)
        .filter(
            (f) => /^Pulumi\.[^.]+\.yaml$/.test(f) && /^\s*(hybrid-platform:)?role:\s*["']?dr["']?\s*$/m.test(readFileSync(path.join(REPO_ROOT, f), "utf8")),
        )
        .map((f) => ({ stack: f.slice("Pulumi.".length, -".yaml".length), config: readStackConfig(path.join(REPO_ROOT, f)) }));
    return committedStacks;
}

/** The dr stack whose dr.primaryStack names `stack`, among `sites` (default: the committed stack configs). */
export function drSiteFor(stack: string, sites: readonly DrSite[] = committedStackConfigs()): DrSite | undefined {
    return sites.find((s) => {
        const { project } = configSections(s.config);
        return project.role === "dr" && shortStackName(str(obj(project.dr).primaryStack) ?? "") === shortStackName(stack);
    });
}

const term = (objective: DrTerm["objective"], name: string, minutes: number, source: string): DrTerm => ({
    objective,
    name,
    minutes: Math.round(minutes * 100) / 100,
    source,
});

export function drObjectivesOf(plan: Plan, config: Record<string, string>, sites?: readonly DrSite[]): DrReport | null {
    const own = configSections(config).project;
    const isDr = own.role === "dr";
    const site = isDr ? { stack: plan.stack, config } : drSiteFor(plan.stack, sites);
    if (!site) return null;
    const { project } = configSections(site.config);
    const dr = obj(project.dr);
    const from = isDr ? "" : ` (dr stack ${site.stack}'s config, Pulumi.${site.stack}.yaml)`;
    const index = new PlanIndex(plan.resources);
    const terms: DrTerm[] = [];

    // RPO, database: the lag the replica-lag alarm tolerates before it pages (threshold, then datapoints x period).
    const lagAlarm = isDr
        ? index.of("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.props.metricName === "ReplicaLag" && a.props.namespace === "AWS/RDS")
        : undefined;
    const shape = defaultCatalogue().find((a) => a.key === "replica-lag")!;
    const threshold = num(lagAlarm?.props.threshold) ?? num(dr.replicaLagAlarmSeconds) ?? DEFAULTS.dr.replicaLagAlarmSeconds;
    const period = num(lagAlarm?.props.period) ?? shape.period;
    const datapoints = num(lagAlarm?.props.datapointsToAlarm) ?? num(lagAlarm?.props.evaluationPeriods) ?? shape.datapointsToAlarm;
    terms.push(
        term(
            "rpo",
            "database: replica lag tolerated before the page",
            (threshold + datapoints * period) / 60,
            `${lagAlarm ? `alarm ${lagAlarm.name}` : `dr.replicaLagAlarmSeconds${from}`}: ${threshold} s threshold + ${datapoints} x ${period} s datapoints (model/alarms.ts replica-lag)`,
        ),
    );
    // RPO, documents: S3 RTC's 15-minute SLA when the replication rule enables it.
    const replication = index
        .of("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
        .find((r) => arr(r.props.rules).some((x) => obj(obj(x).destination).replicationTime !== undefined));
    const rtc = replication ? arr(replication.props.rules).some((x) => str(obj(obj(obj(x).destination).replicationTime).status) === "Enabled") : !isDr;
    if (rtc)
        terms.push(
            term(
                "rpo",
                "documents: S3 replication (RTC)",
                S3_RTC.minutes,
                `${replication ? `replication ${replication.name}` : `components/dr/documentsReplication.ts${from}`}, ${S3_RTC.source}`,
            ),
        );
    else {
        // Without RTC S3 commits to no replication time: what we tolerate is the latency alarm's threshold and datapoints.
        const alarm = isDr ? index.of("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.props.metricName === "ReplicationLatency") : undefined;
        const latency = num(alarm?.props.threshold) ?? num(dr.replicationLatencyAlarmSeconds) ?? DEFAULTS.dr.replicationLatencyAlarmSeconds;
        const periods = num(alarm?.props.evaluationPeriods) ?? LATENCY_ALARM.evaluationPeriods;
        const seconds = num(alarm?.props.period) ?? LATENCY_ALARM.period;
        terms.push(
            term(
                "rpo",
                "documents: S3 replication without RTC, the latency tolerated before the page",
                (latency + periods * seconds) / 60,
                `${alarm ? `alarm ${alarm.name}` : `dr.replicationLatencyAlarmSeconds${from}`}: ${latency} s + ${periods} x ${seconds} s (components/dr/rpoAlarms.ts); without RTC S3 commits to no replication time`,
            ),
        );
    }

    // RTO: detection + decision + promotion + scale-up + pod start + DNS, in series (a conservative sum:
    // promotion and scale-up may overlap).
    const check = isDr ? index.of("aws:route53/healthCheck:HealthCheck").find((h) => h.name.endsWith("-primary")) : undefined;
    const interval = num(check?.props.requestInterval) ?? GSLB_HEALTH_CHECK.requestInterval;
    const failures = num(check?.props.failureThreshold) ?? GSLB_HEALTH_CHECK.failureThreshold;
    terms.push(
        term(
            "rto",
            "detection: Route 53 health check",
            (interval * failures) / 60,
            `${check ? `health check ${check.name}` : `components/dr/globalTraffic.ts GSLB_HEALTH_CHECK${from}`}: ${interval} s x ${failures} failures`,
        ),
    );
    terms.push(term("rto", "decision and paging", FAILOVER_TIMES.decision.minutes, FAILOVER_TIMES.decision.source));
    terms.push(term("rto", "RDS replica promotion", FAILOVER_TIMES.promotion.minutes, FAILOVER_TIMES.promotion.source));
    const standby = (str(project.drMode) ?? DEFAULTS.drMode) === "standby";
    const groups = isDr ? nodeGroupsOf(index) : [];
    const capacity = obj(project.capacity);
    const azCount = Math.max(2, new Set(groups.map((g) => g.az ?? g.urn)).size || (num(obj(project.network).azCount) ?? DEFAULTS.network.azCount));
    const needPerAz = nodePlan(
        num(capacity.concurrentUsers) ?? 0,
        groups[0]?.instanceType ?? str(obj(project.app).instanceType) ?? DEFAULTS.app.instanceType,
        azCount,
    ).nodesPerAz;
    const havePerAz = groups.length > 0 ? Math.min(...groups.map((g) => g.desired)) : standby ? 1 : needPerAz;
    if (havePerAz < needPerAz) {
        terms.push(
            term(
                "rto",
                `pilot-light scale-up: nodes ${havePerAz} -> ${needPerAz} per AZ`,
                FAILOVER_TIMES.nodeLaunch.minutes,
                `${groups.length > 0 ? "the node groups' desired size" : `pilot light: drMode ${standby ? "standby" : "active"}${from}`}; ${FAILOVER_TIMES.nodeLaunch.source}`,
            ),
        );
        terms.push(term("rto", "pod start on the new nodes", FAILOVER_TIMES.podStart.minutes, FAILOVER_TIMES.podStart.source));
    }
    const records = isDr ? index.of("aws:route53/record:Record") : [];
    const ttl = Math.max(GSLB_RECORD_TTL_SECONDS, ...records.map((r) => num(r.props.ttl) ?? 0));
    terms.push(
        term(
            "rto",
            "DNS: resolvers drop the old answer (TTL)",
            ttl / 60,
            `${records.length > 0 ? "the GSLB records' ttl (alias records take the ALB's 60 s)" : `components/dr/globalTraffic.ts GSLB_RECORD_TTL_SECONDS${from}`}: ${ttl} s`,
        ),
    );

    const rpoMinutes = Math.max(...terms.filter((t) => t.objective === "rpo").map((t) => t.minutes));
    const rtoMinutes = Math.round(terms.filter((t) => t.objective === "rto").reduce((s, t) => s + t.minutes, 0) * 100) / 100;
    const rpoTargetMinutes = num(dr.rpoMinutes) ?? DEFAULTS.dr.rpoMinutes;
    const rtoTargetMinutes = num(dr.rtoMinutes) ?? DEFAULTS.dr.rtoMinutes;
    return {
        rpoMinutes,
        rtoMinutes,
        rpoTargetMinutes,
        rtoTargetMinutes,
        terms,
        meetsRpo: rpoMinutes <= rpoTargetMinutes,
        meetsRto: rtoMinutes <= rtoTargetMinutes,
    };
}
