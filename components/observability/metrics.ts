/**
 * Metrics step: Amazon Managed Service for Prometheus with the seed's alert rules, its Alertmanager
 * routing every alert to the on-call topic, and its own encrypted log group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackLogGroupName, stackResourceName } from "../../model/names";

/** Prometheus alert rules for the seed's thresholds, evaluated by Amazon Managed Service for Prometheus. */
export function alertRules(cpuPercent: number, errorRatePercent: number): string {
    return [
        "groups:",
        "  - name: platform-slo",
        "    rules:",
        "      - alert: NodeCpuHigh",
        `        expr: 100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${cpuPercent}`,
        "        for: 10m",
        "        labels: { severity: critical }",
        `        annotations: { summary: "Node CPU above ${cpuPercent}% for 10 minutes" }`,
        "      - alert: PodCpuHigh",
        `        expr: 100 * sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_requests{resource="cpu"}) > ${cpuPercent}`,
        "        for: 10m",
        "        labels: { severity: warning }",
        `        annotations: { summary: "Pod CPU above ${cpuPercent}% of its request" }`,
        "      - alert: RequestErrorRateHigh",
        `        expr: 100 * sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > ${errorRatePercent}`,
        "        for: 5m",
        "        labels: { severity: critical }",
        `        annotations: { summary: "More than ${errorRatePercent}% of requests fail" }`,
        "      - alert: CeleryQueueBacklog",
        "        expr: sum by (queue) (celery_queue_length) > 1000",
        "        for: 15m",
        "        labels: { severity: warning }",
        '        annotations: { summary: "Celery backlog above 1000 tasks for 15 minutes" }',
        "      - alert: PodCrashLooping",
        "        expr: increase(kube_pod_container_status_restarts_total[15m]) > 3",
        "        labels: { severity: critical }",
        '        annotations: { summary: "A pod restarted more than 3 times in 15 minutes" }',
        "",
    ].join("\n");
}

export interface MetricsArgs {
    readonly stack: string;
    readonly region: string;
    readonly retentionInDays: number;
    readonly cpuPercent: number;
    readonly errorRatePercent: number;
    /** The telemetry CMK: the workspace and its log group. */
    readonly keyArn: pulumi.Input<string>;
    /** Where Alertmanager publishes (SigV4, in `region`). */
    readonly alertTopicArn: pulumi.Output<string>;
}

export interface Metrics {
    readonly workspace: aws.amp.Workspace;
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
    new aws.amp.RuleGroupNamespace(
        `${name}-slo-rules`,
        { workspaceId: workspace.id, name: "platform-slo", data: alertRules(args.cpuPercent, args.errorRatePercent) },
        { parent },
    );
    new aws.amp.AlertManagerDefinition(
        `${name}-alertmanager`,
        {
            workspaceId: workspace.id,
            definition: args.alertTopicArn.apply((topicArn) =>
                [
                    "alertmanager_config: |",
                    "  route:",
                    "    receiver: on-call",
                    "    group_by: [alertname, severity]",
                    "    repeat_interval: 1h",
                    "  receivers:",
                    "    - name: on-call",
                    "      sns_configs:",
                    `        - topic_arn: ${topicArn}`,
                    "          sigv4:",
                    `            region: ${args.region}`,
                    "",
                ].join("\n"),
            ),
        },
        { parent },
    );
    return { workspace };
}
