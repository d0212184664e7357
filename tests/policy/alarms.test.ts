/** The alarm coverage policy (policy/alarms.ts): fixtures in both modes, and the real plans of prod and dr. */
import * as assert from "node:assert/strict";
import { AlarmTier, defaultCatalogue } from "../../model/alarms";
import { alarmPolicies } from "../../policy/alarms";
import { T } from "../../policy/lib";
import { analyzeResources } from "../../tools/policyRunner";
import { configWith, planOf, planStack } from "../support";
import { Case, describeCases, diagnose } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const POLICY = "alarms-cover-every-tier";

interface Faults {
    /** Catalogue keys with no alarm at all. */
    readonly drop?: string[];
    /** Alarm ids (`<key>-<i>`) left out: one node's, one tunnel's. */
    readonly skip?: string[];
    /** Alarm ids without an action. */
    readonly silent?: string[];
    readonly plainTopic?: boolean;
    readonly replica?: boolean;
    /** The tunnel alarms on VpnId and TunnelIpAddress together: a set AWS does not publish. */
    readonly tunnelBothDimensions?: boolean;
}

/** A database, a two-node cache and a VPN with the catalogue's alarms on an encrypted topic, less the faults. */
function watched(f: Fixture, faults: Faults = {}): void {
    const key = f.add(T.kmsKey, "key", { enableKeyRotation: true });
    const topic = f.add(T.topic, "alerts", faults.plainTopic ? {} : { kmsMasterKeyId: f.arn(key) });
    const db = f.add(T.rds, "db", { engine: "postgres", ...(faults.replica ? { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:prod" } : {}) });
    const cache = f.add(T.redis, "cache", { numNodeGroups: 1, replicasPerNodeGroup: 1 });
    const vpn = f.add(T.vpn, "vpn", { type: "ipsec.1" });
    const tunnel = (ip: string) =>
        faults.tunnelBothDimensions ? { VpnId: f.ref(vpn), TunnelIpAddress: f.computed(vpn, ip) } : { TunnelIpAddress: f.computed(vpn, ip) };
    const dimensions: Partial<Record<AlarmTier, Record<string, unknown>[]>> = {
        database: [{ DBInstanceIdentifier: f.ref(db) }],
        cache: ["cache-0001-001", "cache-0001-002"].map((id) => ({ CacheClusterId: f.computed(cache, id) })),
        vpnTunnel: [tunnel("198.51.100.1"), tunnel("198.51.100.2")],
        vpn: [{ VpnId: f.ref(vpn) }],
    };
    for (const entry of defaultCatalogue()) {
        if ((entry.replicaOnly && !faults.replica) || faults.drop?.includes(entry.key)) continue;
        (dimensions[entry.tier] ?? []).forEach((dims, i) => {
            const id = `${entry.key}-${i}`;
            if (faults.skip?.includes(id)) return;
            f.add("aws:cloudwatch/metricAlarm:MetricAlarm", id, {
                namespace: entry.namespace,
                metricName: entry.metricName,
                dimensions: dims,
                statistic: entry.statistic,
                period: entry.period,
                threshold: entry.threshold,
                comparisonOperator: entry.comparison,
                evaluationPeriods: entry.evaluationPeriods,
                alarmActions: faults.silent?.includes(id) ? [] : [f.arn(topic)],
            });
        });
    }
}

const CASES: Case[] = [
    {
        policy: POLICY,
        compliant: (f) => watched(f),
        violations: {
            "the database without its CPU alarm": (f) => watched(f, { drop: ["database-cpu"] }),
            "one cache node without its CPU alarm": (f) => watched(f, { skip: ["cache-cpu-1"] }),
            "one tunnel without its alarm": (f) => watched(f, { skip: ["vpn-tunnel-0"] }),
            "the read replica without its lag alarm": (f) => watched(f, { replica: true, drop: ["replica-lag"] }),
            "the tunnel alarms on VpnId and TunnelIpAddress together (AWS publishes each alone)": (f) => watched(f, { tunnelBothDimensions: true }),
            "an alarm with no action": (f) => watched(f, { silent: ["database-free-storage-0"] }),
            "alarms to a topic without a CMK": (f) => watched(f, { plainTopic: true }),
        },
    },
];

describe("policy pack: alarm fixtures", () => {
    it("every alarm policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            alarmPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);

    it("is advisory outside production", async () => {
        const ds = await diagnose((f) => watched(f, { drop: ["database-cpu"] }), "update", POLICY, "staging");
        assert.ok(ds.length > 0);
        assert.deepEqual([...new Set(ds.map((d) => d.enforcementLevel))], ["advisory"]);
    });
});

describe("alarms-cover-every-tier on the real plans", () => {
    const policies = alarmPolicies;
    for (const stack of ["prod", "dr"]) {
        for (const mode of ["update", "preview"] as const) {
            it(`finds every tier of ${stack} alarmed (${mode})`, async () => {
                const ds = await analyzeResources((await planOf(stack, mode)).resources, { policies });
                assert.deepEqual(
                    ds.map((d) => d.message),
                    [],
                );
            });
        }
    }

    it("finds every tier of dr alarmed after drMode: active (the promoted database, no replica lag)", async () => {
        const plan = await planStack("dr", { config: configWith("dr", { "hybrid-platform:drMode": "active" }) });
        assert.deepEqual(
            (await analyzeResources(plan.resources, { policies })).map((d) => d.message),
            [],
        );
    });
});
