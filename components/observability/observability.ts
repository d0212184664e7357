import * as pulumi from "@pulumi/pulumi";
import { defaultThresholds } from "../../model/alarms";
import { DEFAULTS } from "../../model/defaults";
import { sloSchema } from "../../model/slo";
import { validateArgs } from "../argErrors";
import { createAlerting } from "./alerting";
import { createDashboards } from "./dashboards";
import { LogSearch } from "./logSearch";
import { LogShipping } from "./logShipping/logShipping";
import { createMetrics } from "./metrics";
import { AlarmTargets, ObservabilityArgs } from "./observabilityArgs";
import { createServiceAlarms } from "./serviceAlarms";
import { createTelemetryKey } from "./telemetryKey";
import { createTracing } from "./tracing";
import { createUptime } from "./uptime";

export type { AlarmTargets, ObservabilityArgs };
export { alertRules } from "./metrics";

/**
 * Unified monitoring (seed 6): Prometheus metrics and alert rules (Amazon Managed Service
 * for Prometheus), Grafana dashboards (Amazon Managed Grafana), central logs (LogSearch),
 * tracing (AWS X-Ray, encrypted with a CMK), PagerDuty alerting through encrypted SNS,
 * and a synthetic uptime check on the public hostname that verifies the 99.9% target.
 * Each step is a helper in its own file, taking this component as parent (so names, URNs
 * and options are those of one flat component).
 */
export class Observability extends pulumi.ComponentResource {
    /** The on-call topic: severity `page` (PagerDuty and e-mail). */
    readonly alertTopicArn: pulumi.Output<string>;
    /** The ticket topic: severity `ticket` (e-mail); Alertmanager routes warnings here. */
    readonly ticketTopicArn: pulumi.Output<string>;
    readonly prometheusWorkspaceArn: pulumi.Output<string>;
    readonly prometheusEndpoint: pulumi.Output<string>;
    readonly grafanaEndpoint: pulumi.Output<string>;
    readonly logSearchEndpoint: pulumi.Output<string>;
    readonly uptimeHealthCheckId: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`Observability ${name}`, (e) => {
            e.check(
                args.alerts.email !== undefined || args.alerts.pagerDutyEndpoint !== undefined,
                "alerts",
                "needs an email or a pagerDutyEndpoint (no one would be paged)",
            );
            e.check(
                /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(args.publicHostname),
                "publicHostname",
                `${args.publicHostname} is not a lowercase DNS name`,
            );
            e.check(
                args.healthCheckPath === undefined || args.healthCheckPath.startsWith("/"),
                "healthCheckPath",
                `${args.healthCheckPath} is not an absolute path`,
            );
            for (const key of ["cpuAlarmPercent", "errorRateAlarmPercent"] as const) {
                const value = args[key];
                e.check(value === undefined || (value > 0 && value <= 100), key, `${value} is not a percentage above 0 and at most 100`);
            }
            e.logRetention(args.logRetentionDays, "logRetentionDays");
            // The SLOs: the config schema's own constraints (a target of 100% leaves no error budget to burn).
            const slo = args.slo === undefined ? undefined : sloSchema.safeParse({ ...DEFAULTS.observability.slo, ...args.slo });
            for (const issue of slo?.error?.issues ?? []) e.check(false, `slo.${issue.path.join(".")}`, issue.message);
        });
        super("hybrid:observability:Observability", name, {}, opts);
        const stack = pulumi.getStack();
        const cpuPercent = args.cpuAlarmPercent ?? DEFAULTS.observability.cpuAlarmPercent;
        const errorRatePercent = args.errorRateAlarmPercent ?? DEFAULTS.observability.errorRateAlarmPercent;
        const retention = args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays;
        const { region, accountId } = args;
        const slo = { ...DEFAULTS.observability.slo, ...args.slo };

        const { alerts, tickets, uptimeAlerts } = createAlerting(this, name, { accountId, ...args.alerts });
        const { key } = createTelemetryKey(this, name, { region, accountId });
        const metrics = createMetrics(this, name, {
            stack,
            region,
            retentionInDays: retention,
            cpuPercent,
            errorRatePercent,
            keyArn: key.arn,
            alertTopicArn: alerts.topicArn,
            // Warnings open a ticket (e-mail), critical alerts page: the same split as the CloudWatch alarms (model/paging.ts).
            ticketTopicArn: tickets.topicArn,
            slo,
        });
        const dashboards = createDashboards(this, name, {
            stack,
            accountId,
            prometheusWorkspaceArn: metrics.workspace.arn,
            keyArn: key.arn,
            alertTopicArn: alerts.topicArn,
            alertKeyArn: alerts.keyArn,
            region,
            prometheusEndpoint: metrics.workspace.prometheusEndpoint,
            dashboards: { slo, drRegion: args.drRegion },
        });
        createTracing(this, name, { stack, keyArn: key.arn });
        const logSearch = new LogSearch(`${name}-logs`, { ...args.logSearch, region, accountId, logRetentionDays: retention }, { parent: this });
        // issue #13 part D: the clusters' logs into the telemetry key's log groups and the domain above.
        if (args.logShipping) {
            const openSearch = { domainArn: logSearch.domainArn, endpoint: logSearch.endpoint, masterRoleArn: logSearch.adminRoleArn };
            new LogShipping(`${name}-shipping`, { ...args.logShipping, region, accountId, keyArn: key.arn, openSearch }, { parent: this });
        }
        const uptime = createUptime(this, name, {
            publicHostname: args.publicHostname,
            probeFqdn: args.probeFqdn ?? args.publicHostname,
            healthCheckPath: args.healthCheckPath ?? DEFAULTS.observability.healthCheckPath,
            alertTopicArn: uptimeAlerts.topicArn,
        });
        // Every tier's alarms, the log search domain's among them (its name is the last part of its ARN).
        createServiceAlarms(this, name, {
            targets: {
                ...args.targets,
                searchDomain: {
                    name: logSearch.domainArn.apply((arn) => arn.split("/").pop()!),
                    accountId,
                    volumeGiB: args.logSearch.volumeGb ?? DEFAULTS.observability.logSearch.volumeGb,
                },
            },
            thresholds: { ...defaultThresholds(), ...args.alarmThresholds, cpuPercent, errorRatePercent },
            topics: { page: alerts.topicArn, ticket: tickets.topicArn },
        });

        this.alertTopicArn = alerts.topicArn;
        this.ticketTopicArn = tickets.topicArn;
        this.prometheusWorkspaceArn = metrics.workspace.arn;
        this.prometheusEndpoint = metrics.workspace.prometheusEndpoint;
        this.grafanaEndpoint = dashboards.workspace.endpoint;
        this.logSearchEndpoint = logSearch.endpoint;
        this.uptimeHealthCheckId = uptime.healthCheck.id;
        this.registerOutputs({
            alertTopicArn: this.alertTopicArn,
            prometheusWorkspaceArn: this.prometheusWorkspaceArn,
            grafanaEndpoint: this.grafanaEndpoint,
            logSearchEndpoint: this.logSearchEndpoint,
            uptimeHealthCheckId: this.uptimeHealthCheckId,
        });
    }
}
