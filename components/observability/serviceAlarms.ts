/**
 * Service alarms step (seed 6, issue #13 item 4): a CloudWatch alarm per entry of the catalogue (model/alarms.ts) and
 * resource named in `targets`, routed by severity: `page` to the on-call topic (PagerDuty and e-mail), `ticket` to
 * the ticket topic (e-mail).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds, AlarmTier, CatalogueAlarm, Severity, alarmCatalogue } from "../../model/alarms";
import { DEFAULTS } from "../../model/defaults";
import { AlarmTargets } from "./observabilityArgs";

export interface ServiceAlarmsArgs {
    readonly targets: AlarmTargets;
    readonly thresholds: AlarmThresholds;
    /** Where each severity goes: topics in this stack's region. */
    readonly topics: Record<Severity, pulumi.Input<string>>;
}

/** The alarms created, by catalogue key and (for tiers with several resources) index: `cache-cpu-0`, `database-cpu`. */
export type ServiceAlarms = Record<string, aws.cloudwatch.MetricAlarm>;

type Dimensions = Record<string, pulumi.Input<string>>;

/** Tiers with one alarm per resource of a list: their alarms are numbered. */
const LISTED: readonly AlarmTier[] = ["cache", "nat", "vpnTunnel", "targetGroup"];

/** The dimensions of each watched resource, by tier (the catalogue names the keys; AWS publishes under exactly those). */
export function tierDimensions(targets: AlarmTargets): Record<AlarmTier, Dimensions[]> {
    const lb = targets.loadBalancerArnSuffix;
    const search = targets.searchDomain;
    return {
        database: targets.databaseIdentifier ? [{ DBInstanceIdentifier: targets.databaseIdentifier }] : [],
        cache: (targets.cacheNodeIds ?? []).map((id) => ({ CacheClusterId: id })),
        nat: (targets.natGatewayIds ?? []).map((id) => ({ NatGatewayId: id })),
        vpnTunnel: (targets.vpnTunnelAddresses ?? []).map((ip) => ({ TunnelIpAddress: ip })),
        vpn: targets.vpnConnectionId ? [{ VpnId: targets.vpnConnectionId }] : [],
        loadBalancer: lb ? [{ LoadBalancer: lb }] : [],
        targetGroup: lb ? (targets.targetGroupArnSuffixes ?? []).map((tg) => ({ TargetGroup: tg, LoadBalancer: lb })) : [],
        search: search ? [{ DomainName: search.name, ClientId: search.accountId }] : [],
        waf: targets.webAcl ? [{ WebACL: targets.webAcl.name, Region: targets.webAcl.region, Rule: "ALL" }] : [],
    };
}

export function createServiceAlarms(parent: pulumi.ComponentResource, name: string, args: ServiceAlarmsArgs): ServiceAlarms {
    const { targets, topics } = args;
    const catalogue = alarmCatalogue(args.thresholds, {
        databaseInstanceClass: targets.databaseInstanceClass ?? DEFAULTS.data.postgres.instanceClass,
        searchVolumeGiB: targets.searchDomain?.volumeGiB ?? DEFAULTS.observability.logSearch.volumeGb,
    });
    const byTier = tierDimensions(targets);
    const alarms: ServiceAlarms = {};
    // The replica's lag belongs to the RPO guards (components/dr/rpoAlarms.ts), which know the dr mode.
    for (const entry of catalogue.filter((e) => e.createdBy === undefined)) {
        byTier[entry.tier].forEach((dimensions, i) => {
            const id = LISTED.includes(entry.tier) ? `${entry.key}-${i}` : entry.key;
            alarms[id] = metricAlarm(parent, `${name}-${id}`, entry, dimensions, topics[entry.severity]);
        });
    }
    return alarms;
}

function metricAlarm(parent: pulumi.Resource, name: string, entry: CatalogueAlarm, dimensions: Dimensions, topic: pulumi.Input<string>) {
    const keys = Object.keys(dimensions).sort();
    if (keys.join() !== [...entry.dimensionKeys].sort().join())
        throw new Error(`${name}: dimensions ${keys.join(", ")} are not the ${entry.dimensionKeys.join(", ")} AWS publishes ${entry.metricName} under`);
    const percentile = /^p\d+(\.\d+)?$/.test(entry.statistic);
    const metric = entry.math
        ? {
              metricQueries: [
                  { id: "rate", expression: entry.math.expression, label: entry.title, returnData: true },
                  ...entry.math.metrics.map(([id, metricName]) => ({
                      id,
                      returnData: false,
                      metric: { namespace: entry.namespace, metricName, dimensions, period: entry.period, stat: entry.statistic },
                  })),
              ],
          }
        : {
              namespace: entry.namespace,
              metricName: entry.metricName,
              dimensions,
              period: entry.period,
              ...(percentile ? { extendedStatistic: entry.statistic } : { statistic: entry.statistic }),
          };
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: `${entry.title} ${entry.thresholdText} (${entry.severity}${entry.seed ? `, seed ${entry.seed}` : ""}). ${entry.see}`,
            evaluationPeriods: entry.evaluationPeriods,
            datapointsToAlarm: entry.datapointsToAlarm,
            comparisonOperator: entry.comparison,
            threshold: entry.threshold,
            treatMissingData: entry.treatMissingData,
            alarmActions: [topic],
            okActions: [topic],
            ...metric,
        },
        { parent },
    );
}
