/**
 * A stack's own Prometheus workspace, for a stack without the full Observability component (dr, seed 3 and 6): the
 * workspace, its rule groups (model/alertRules.ts, the same as prod's) and its Alertmanager, encrypted with a
 * telemetry CMK of its own, which also encrypts the region's X-Ray traces (X-Ray's encryption is a per-region setting:
 * without it dr's traces would rest under an AWS-owned key). The DR site's collectors write here, in the DR region, so its metrics and alerts keep
 * working when the primary region is the one that failed; Grafana (prod) reads it as a second data source later.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import type { SloConfig } from "../../model/slo";
import { validateArgs } from "../argErrors";
import { createMetrics } from "./metrics";
import { createTelemetryKey } from "./telemetryKey";
import { createTracing } from "./tracing";

export interface MetricsWorkspaceArgs {
    /** The stack's region. Required. */
    readonly region: string;
    /** The stack's account: the key's administrator. Required. */
    readonly accountId: pulumi.Input<string>;
    /** The on-call topic (critical alerts page); it must admit aps.amazonaws.com as a publisher. Required. */
    readonly pageTopicArn: pulumi.Output<string>;
    /** The ticket topic (warnings); it must admit aps.amazonaws.com too. Required. */
    readonly ticketTopicArn: pulumi.Output<string>;
    /** Retention of the workspace's log group, days (a CloudWatch value). @default 365 */
    readonly logRetentionDays?: number;
    /** Seed 6 thresholds. @default 80 and 1 */
    readonly cpuAlarmPercent?: number;
    readonly errorRateAlarmPercent?: number;
    /** @default DEFAULTS.observability.slo */
    readonly slo?: SloConfig;
}

export class MetricsWorkspace extends pulumi.ComponentResource {
    readonly workspaceArn: pulumi.Output<string>;
    readonly prometheusEndpoint: pulumi.Output<string>;

    constructor(name: string, args: MetricsWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`MetricsWorkspace ${name}`, (e) => e.logRetention(args.logRetentionDays, "logRetentionDays"));
        super("hybrid:observability:MetricsWorkspace", name, {}, opts);
        const { key } = createTelemetryKey(this, name, { region: args.region, accountId: args.accountId });
        const metrics = createMetrics(this, name, {
            stack: pulumi.getStack(),
            region: args.region,
            retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
            cpuPercent: args.cpuAlarmPercent ?? DEFAULTS.observability.cpuAlarmPercent,
            errorRatePercent: args.errorRateAlarmPercent ?? DEFAULTS.observability.errorRateAlarmPercent,
            keyArn: key.arn,
            alertTopicArn: args.pageTopicArn,
            ticketTopicArn: args.ticketTopicArn,
            slo: args.slo,
        });
        createTracing(this, name, { stack: pulumi.getStack(), keyArn: key.arn });
        this.workspaceArn = metrics.workspace.arn;
        this.prometheusEndpoint = metrics.workspace.prometheusEndpoint;
        this.registerOutputs({ workspaceArn: this.workspaceArn, prometheusEndpoint: this.prometheusEndpoint });
    }
}
