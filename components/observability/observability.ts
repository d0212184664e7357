import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { stackLogGroupName, stackResourceName } from "../../model/names";
import { HTTPS_PORT } from "../../model/ports";
import { validateArgs } from "../argErrors";
import { AlertTopic } from "./alertTopic";
import { CustomerKey } from "../security/customerKey";
import { LogSearch, LogSearchArgs } from "./logSearch";
import { DEFAULTS } from "../../model/defaults";

/** Managed services whose health pages the on-call engineer (added as the tiers exist). */
export interface AlarmTargets {
    /**
     * ALB ARN suffix ("app/<name>/<id>", the LoadBalancer dimension) for the request error-rate alarm.
     * @default none (no ALB alarm)
     * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
     */
    readonly loadBalancerArnSuffix?: pulumi.Input<string>;
    /** RDS instance identifier for the database CPU alarm. @default none (no database alarm) */
    readonly databaseIdentifier?: pulumi.Input<string>;
    /** ElastiCache replication group id for the cache CPU alarm. @default none (no cache alarm) */
    readonly cacheReplicationGroupId?: pulumi.Input<string>;
}

export interface ObservabilityArgs {
    /** The stack's region. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): Grafana's trust, the keys and topics. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Alert destinations (seed 6: PagerDuty): at least one of them. Required. */
    readonly alerts: { readonly email?: string; readonly pagerDutyEndpoint?: string };
    /**
     * Citizen-facing hostname probed by the synthetic uptime check (a DNS name, not a URL). Required.
     * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html
     */
    readonly publicHostname: string;
    /** Absolute path the synthetic check requests. @default "/healthz" */
    readonly healthCheckPath?: string;
    /** CPU percentage above which alarms fire, above 0 and at most 100. @default 80 (seed 6) */
    readonly cpuAlarmPercent?: number;
    /** Request error rate percentage above which alarms fire, above 0 and at most 100. @default 1 (seed 6) */
    readonly errorRateAlarmPercent?: number;
    /** Retention of the telemetry log groups, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Where the log search domain runs and who may reach it (see LogSearchArgs). Required. */
    readonly logSearch: Omit<LogSearchArgs, "region" | "logRetentionDays" | "accountId">;
    /** Services to alarm on. @default none beyond the synthetic check and the Prometheus rules */
    readonly targets?: AlarmTargets;
}

/** Route53 publishes health check metrics only in us-east-1; an alarm on them must live there too. */
const ROUTE53_METRICS_REGION = "us-east-1";

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

/**
 * Unified monitoring (seed 6): Prometheus metrics and alert rules (Amazon Managed Service
 * for Prometheus), Grafana dashboards (Amazon Managed Grafana), central logs (LogSearch),
 * tracing (AWS X-Ray, encrypted with a CMK), PagerDuty alerting through encrypted SNS,
 * and a synthetic uptime check on the public hostname that verifies the 99.9% target.
 */
export class Observability extends pulumi.ComponentResource {
    readonly alertTopicArn: pulumi.Output<string>;
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
        });
        super("hybrid:observability:Observability", name, {}, opts);
        const child = { parent: this };
        const stack = pulumi.getStack();
        const cpu = args.cpuAlarmPercent ?? DEFAULTS.observability.cpuAlarmPercent;
        const errorRate = args.errorRateAlarmPercent ?? DEFAULTS.observability.errorRateAlarmPercent;
        const retention = args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays;
        const accountId = args.accountId;

        const alerts = new AlertTopic(
            `${name}-alerts`,
            { accountId, email: args.alerts.email, httpsEndpoint: args.alerts.pagerDutyEndpoint, publishers: ["aps.amazonaws.com"] },
            child,
        );
        const uptimeAlerts = new AlertTopic(
            `${name}-uptime-alerts`,
            { accountId, email: args.alerts.email, httpsEndpoint: args.alerts.pagerDutyEndpoint, region: ROUTE53_METRICS_REGION },
            child,
        );
        this.alertTopicArn = alerts.topicArn;

        const key = new CustomerKey(
            `${name}-telemetry`,
            {
                description: "Metrics, traces and their logs",
                purpose: `${name}-telemetry`,
                accountId,
                serviceGrants: [{ service: `logs.${args.region}.amazonaws.com` }],
            },
            child,
        );

        // Metrics and alert rules: Prometheus, as the seed names it, without running it ourselves.
        const promLogs = new aws.cloudwatch.LogGroup(
            `${name}-prometheus`,
            { name: stackLogGroupName(stack, name, "prometheus"), retentionInDays: retention, kmsKeyId: key.arn },
            child,
        );
        const prometheus = new aws.amp.Workspace(
            `${name}-metrics`,
            { alias: stackResourceName(stack), kmsKeyArn: key.arn, loggingConfiguration: { logGroupArn: pulumi.interpolate`${promLogs.arn}:*` } },
            child,
        );
        new aws.amp.RuleGroupNamespace(`${name}-slo-rules`, { workspaceId: prometheus.id, name: "platform-slo", data: alertRules(cpu, errorRate) }, child);
        new aws.amp.AlertManagerDefinition(
            `${name}-alertmanager`,
            {
                workspaceId: prometheus.id,
                definition: alerts.topicArn.apply((topicArn) =>
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
            child,
        );
        this.prometheusWorkspaceArn = prometheus.arn;
        this.prometheusEndpoint = prometheus.prometheusEndpoint;

        // Dashboards: Grafana reads Prometheus, CloudWatch and X-Ray through a role scoped to them.
        const grafanaRole = new aws.iam.Role(
            `${name}-grafana`,
            {
                description: "Amazon Managed Grafana: read metrics, logs and traces",
                assumeRolePolicy: pulumi
                    .output(accountId)
                    .apply((id) => policyJson([trust({ Service: "grafana.amazonaws.com" }, "sts:AssumeRole", sourceAccount(id))])),
                managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonGrafanaCloudWatchAccess"],
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-grafana`,
            {
                role: grafanaRole.id,
                policy: pulumi.all([prometheus.arn, key.arn]).apply(([workspaceArn, keyArn]) =>
                    policyJson([
                        { Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"], Resource: workspaceArn },
                        { Effect: "Allow", Action: ["aps:ListWorkspaces", "aps:DescribeWorkspace"], Resource: "*" },
                        {
                            Effect: "Allow",
                            Action: [
                                "xray:BatchGetTraces",
                                "xray:GetTraceSummaries",
                                "xray:GetTraceGraph",
                                "xray:GetGroups",
                                "xray:GetTimeSeriesServiceStatistics",
                                "xray:GetInsightSummaries",
                                "xray:GetInsight",
                                "xray:GetServiceGraph",
                            ],
                            Resource: "*",
                        },
                        { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
                    ]),
                ),
            },
            child,
        );
        const grafana = new aws.grafana.Workspace(
            `${name}-dashboards`,
            {
                name: stackResourceName(stack),
                description: "Unified monitoring across the hybrid and DR sites",
                accountAccessType: "CURRENT_ACCOUNT",
                authenticationProviders: ["AWS_SSO"],
                permissionType: "CUSTOMER_MANAGED",
                roleArn: grafanaRole.arn,
                dataSources: ["PROMETHEUS", "CLOUDWATCH", "XRAY"],
                notificationDestinations: ["SNS"],
            },
            child,
        );
        this.grafanaEndpoint = grafana.endpoint;

        // Tracing across Django, FastAPI and Celery: X-Ray, encrypted with the CMK.
        new aws.xray.EncryptionConfig(`${name}-traces`, { type: "KMS", keyId: key.arn }, child);
        new aws.xray.Group(
            `${name}-faults`,
            {
                groupName: `${stack}-faults`,
                filterExpression: "fault = true OR error = true",
                insightsConfiguration: { insightsEnabled: true, notificationsEnabled: true },
            },
            child,
        );
        new aws.xray.SamplingRule(
            `${name}-default`,
            {
                ruleName: `${stack}-default`.slice(0, 32),
                priority: 1000,
                reservoirSize: 5,
                fixedRate: 0.05,
                serviceName: "*",
                serviceType: "*",
                host: "*",
                httpMethod: "*",
                urlPath: "*",
                resourceArn: "*",
                version: 1,
            },
            child,
        );

        const logSearch = new LogSearch(`${name}-logs`, { ...args.logSearch, region: args.region, accountId, logRetentionDays: retention }, child);
        this.logSearchEndpoint = logSearch.endpoint;

        // SLA reporting: an outside-in HTTPS check from several regions, the number the 99.9% is judged by.
        const uptime = new aws.route53.HealthCheck(
            `${name}-uptime`,
            {
                type: "HTTPS",
                fqdn: args.publicHostname,
                port: HTTPS_PORT,
                resourcePath: args.healthCheckPath ?? DEFAULTS.observability.healthCheckPath,
                enableSni: true,
                requestInterval: 30,
                failureThreshold: 3,
                measureLatency: true,
                regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
                tags: { Name: `${args.publicHostname} uptime` },
            },
            child,
        );
        this.uptimeHealthCheckId = uptime.id;
        new aws.cloudwatch.MetricAlarm(
            `${name}-uptime`,
            {
                region: ROUTE53_METRICS_REGION,
                alarmDescription: `${args.publicHostname} failed its synthetic check (SLA 99.9%)`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: uptime.id },
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 2,
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                treatMissingData: "breaching",
                alarmActions: [uptimeAlerts.topicArn],
                okActions: [uptimeAlerts.topicArn],
            },
            child,
        );

        const targets = args.targets ?? {};
        const alarm = (id: string, description: string, alarmArgs: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${id}`,
                {
                    alarmDescription: description,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                    alarmActions: [alerts.topicArn],
                    okActions: [alerts.topicArn],
                    ...alarmArgs,
                },
                child,
            );
        if (targets.loadBalancerArnSuffix) {
            alarm("request-errors", `More than ${errorRate}% of requests fail at the load balancer`, {
                threshold: errorRate,
                metricQueries: [
                    { id: "rate", expression: "100 * (target5xx + elb5xx) / MAX([requests, 1])", label: "error rate %", returnData: true },
                    ...(
                        [
                            ["target5xx", "HTTPCode_Target_5XX_Count"],
                            ["elb5xx", "HTTPCode_ELB_5XX_Count"],
                            ["requests", "RequestCount"],
                        ] as const
                    ).map(([id, metricName]) => ({
                        id,
                        returnData: false,
                        metric: {
                            namespace: "AWS/ApplicationELB",
                            metricName,
                            dimensions: { LoadBalancer: targets.loadBalancerArnSuffix! },
                            period: 60,
                            stat: "Sum",
                        },
                    })),
                ],
            });
        }
        if (targets.databaseIdentifier) {
            alarm("database-cpu", `Database CPU above ${cpu}%`, {
                namespace: "AWS/RDS",
                metricName: "CPUUtilization",
                dimensions: { DBInstanceIdentifier: targets.databaseIdentifier },
                statistic: "Average",
                period: 300,
                threshold: cpu,
            });
        }
        if (targets.cacheReplicationGroupId) {
            alarm("cache-cpu", `Cache engine CPU above ${cpu}%`, {
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions: { ReplicationGroupId: targets.cacheReplicationGroupId },
                statistic: "Maximum",
                period: 300,
                threshold: cpu,
            });
        }

        this.registerOutputs({
            alertTopicArn: this.alertTopicArn,
            prometheusWorkspaceArn: this.prometheusWorkspaceArn,
            grafanaEndpoint: this.grafanaEndpoint,
            logSearchEndpoint: this.logSearchEndpoint,
            uptimeHealthCheckId: this.uptimeHealthCheckId,
        });
    }
}
