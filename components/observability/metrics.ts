/**
 * Metrics step: Amazon Managed Service for Prometheus with the rule groups generated from model/ (SLIs, SLO burn
 * rates, the seed's thresholds, cluster health: model/alertRules.ts), its Alertmanager routing pages to the on-call
 * topic and tickets to the ticket topic (model/alertmanager.ts), and its own encrypted log group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alertmanagerDefinition } from "../../model/alertmanager";
import { alertRulesYaml, RULE_NAMESPACE } from "../../model/alertRules";
import { DEFAULTS } from "../../model/defaults";
import { stackLogGroupName, stackResourceName } from "../../model/names";
import type { SloConfig } from "../../model/slo";

/** The rules file for the seed's thresholds at the default SLOs (kept for callers of the old signature). */
export function alertRules(cpuPercent: number, errorRatePercent: number, slo: SloConfig = DEFAULTS.observability.slo): string {
    return alertRulesYaml({ cpuPercent, errorRatePercent, slo });
}

export interface MetricsArgs {
    readonly stack: string;
    readonly region: string;
    readonly retentionInDays: number;
    readonly cpuPercent: number;
    readonly errorRatePercent: number;
    /** The telemetry CMK: the workspace and its log group. */
    readonly keyArn: pulumi.Input<string>;
    /** Where Alertmanager publishes pages, `severity: critical` (SigV4, in `region`): the on-call topic. */
    readonly alertTopicArn: pulumi.Output<string>;
    /**
     * Where Alertmanager publishes tickets, `severity: warning`: the ticket topic (e-mail).
     * @default alertTopicArn (every alert pages until a ticket topic is wired)
     */
    readonly ticketTopicArn?: pulumi.Output<string>;
    /** The SLOs and the rules' own thresholds. @default DEFAULTS.observability.slo */
    readonly slo?: SloConfig;
}

export interface Metrics {
    readonly workspace: aws.amp.Workspace;
    /** The rules file uploaded to the workspace (the tests compare it with model/alertRules.ts). */
    readonly rules: string;
}

export function createMetrics(parent: pulumi.ComponentResource, name: string, args: MetricsArgs): Metrics {
    const { stack } = args;
    // Metrics and alert rules: Prometheus, as the seed names it, without running it ourselves.
    const promLogs = new aws.cloudwatch.LogGroup(
        `${name}-prometheus`,
        { name: stackLogGroupName(stack, name, "prometheus"), retentionInDays: args.retentionInDays, kmsKeyId: args.keyArn },
        { parent },
    );
    const workspace = new aws.amp.Workspace(
        `${name}-metrics`,
        { alias: stackResourceName(stack), kmsKeyArn: args.keyArn, loggingConfiguration: { logGroupArn: pulumi.interpolate`${promLogs.arn}:*` } },
        { parent },
    );
    const rules = alertRulesYaml({ cpuPercent: args.cpuPercent, errorRatePercent: args.errorRatePercent, slo: args.slo ?? DEFAULTS.observability.slo });
    new aws.amp.RuleGroupNamespace(`${name}-slo-rules`, { workspaceId: workspace.id, name: RULE_NAMESPACE, data: rules }, { parent });
    new aws.amp.AlertManagerDefinition(
        `${name}-alertmanager`,
        {
            workspaceId: workspace.id,
            definition: pulumi
                .all([args.alertTopicArn, args.ticketTopicArn ?? args.alertTopicArn])
                .apply(([pageTopicArn, ticketTopicArn]) => alertmanagerDefinition({ pageTopicArn, ticketTopicArn, region: args.region })),
        },
        { parent },
    );
    return { workspace, rules };
}
