import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { parse } from "yaml";
import { Observability, alertRules } from "../../../components/observability/observability";
import { alertingRules, alertRulesYaml, DEFAULT_THRESHOLDS, RULE_NAMESPACE } from "../../../model/alertRules";
import { RECEIVERS } from "../../../model/alertmanager";
import { HEALTH_CHECK_TLS_POLICY } from "../../../components/app/edge";
import { MetricQueryLike, unfilledSparseMetrics } from "../../../model/metricMath";
import { HEALTH_CHECK_PORT } from "../../../model/ports";
import { Plan, PlannedResource } from "../../../tools/offline";
import { byUrn, ofType, planComponent, planOf } from "../../support";

const targetOf = (plan: Plan, r: PlannedResource, prop: string) => (r.propertyDependencies[prop] ?? []).map((u) => byUrn(plan).get(u)!).find((x) => x.custom);

describe("Observability (prod)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("pages through CMK-encrypted SNS topics with the configured e-mail and PagerDuty endpoints", () => {
        const topics = ofType(plan, "aws:sns/topic:Topic");
        // the on-call topic, the ticket topic (issue #13: severity ticket), the us-east-1 uptime topic
        assert.deepEqual(topics.map((t) => t.name).sort(), ["observability-alerts", "observability-ticket-alerts", "observability-uptime-alerts"]);
        for (const topic of topics) assert.equal(targetOf(plan, topic, "kmsMasterKeyId")?.type, "aws:kms/key:Key", topic.name);
        const subscriptions = ofType(plan, "aws:sns/topicSubscription:TopicSubscription");
        const tickets = topics.find((t) => t.name === "observability-ticket-alerts")!;
        assert.deepEqual(
            subscriptions.filter((s) => s.props.topic === tickets.props.arn).map((s) => s.props.protocol),
            ["email"],
            "a ticket is an e-mail, never a page",
        );
        assert.deepEqual(
            new Set(subscriptions.map((s) => `${s.props.protocol} ${s.props.endpoint}`)),
            new Set(["email soc-alerts@citizen-portal.example.gov.uk", "https https://events.pagerduty.com/integration/hybrid-platform-prod/enqueue"]),
        );
    });

    it("evaluates the rules generated from model/ (seed thresholds CPU > 80%, errors > 1%) and routes pages to the alert topic", () => {
        const [rules] = ofType(plan, "aws:amp/ruleGroupNamespace:RuleGroupNamespace");
        // The namespace in the plan is the generated YAML, at the committed stack's thresholds.
        assert.equal(rules.props.data, alertRulesYaml(DEFAULT_THRESHOLDS));
        assert.equal(rules.props.name, RULE_NAMESPACE);
        const byName = new Map(alertingRules(DEFAULT_THRESHOLDS).map((r) => [r.alert, r]));
        assert.match(byName.get("NodeCpuHigh")!.expr, /node_cpu_seconds_total.*> 80$/);
        assert.match(byName.get("RequestErrorRateHigh")!.expr, /ratio_rate5m > 1$/);
        const [alertmanager] = ofType(plan, "aws:amp/alertManagerDefinition:AlertManagerDefinition");
        const regional = ofType(plan, "aws:sns/topic:Topic").filter((t) => t.props.region === undefined);
        const topicArn = (suffix: string) => regional.find((t) => t.name === `observability-${suffix}`)!.props.arn;
        const inner = parse((parse(alertmanager.props.definition as string) as { alertmanager_config: string }).alertmanager_config) as {
            receivers: Array<{ name: string; sns_configs: Array<{ topic_arn: string; sigv4: { region: string } }> }>;
        };
        // Critical alerts page (the on-call topic), warnings open a ticket (the ticket topic): as the CloudWatch alarms do.
        assert.deepEqual(
            Object.fromEntries(inner.receivers.map((r) => [r.name, r.sns_configs.map((c) => [c.topic_arn, c.sigv4.region])])),
            Object.fromEntries([
                [RECEIVERS.page, [[topicArn("alerts"), "eu-west-2"]]],
                [RECEIVERS.ticket, [[topicArn("ticket-alerts"), "eu-west-2"]]],
            ]),
        );
        const [workspace] = ofType(plan, "aws:amp/workspace:Workspace");
        assert.equal(targetOf(plan, workspace, "kmsKeyArn")?.type, "aws:kms/key:Key");
    });

    it("checks prod's own ALB from outside, on its listener for Route53's checkers, and alarms in us-east-1 to a us-east-1 topic", () => {
        const [check] = ofType(plan, "aws:route53/healthCheck:HealthCheck");
        // The public hostname's record is dr's GSLB: prod probes the name it creates (finding 16), on TLS 1.2 (Route53's checkers lack 1.3).
        const [alb] = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
        assert.deepEqual(check.propertyDependencies.fqdn, [alb.urn]);
        assert.deepEqual(
            [check.props.type, check.props.fqdn, check.props.port, check.props.resourcePath],
            ["HTTPS", alb.props.dnsName, HEALTH_CHECK_PORT, "/healthz"],
        );
        const listener = ofType(plan, "aws:lb/listener:Listener").find((l) => l.props.port === HEALTH_CHECK_PORT)!;
        assert.equal(listener.props.sslPolicy, HEALTH_CHECK_TLS_POLICY);
        const uptime = ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.props.metricName === "HealthCheckStatus")!;
        assert.equal(uptime.props.region, "us-east-1");
        const [topicArn] = uptime.props.alarmActions as string[];
        const topic = ofType(plan, "aws:sns/topic:Topic").find((t) => t.props.arn === topicArn)!;
        assert.equal(topic.props.region, "us-east-1", "alarm actions must be in the alarm's region");
    });

    it("runs log search across every AZ in the isolated tier, encrypted and HTTPS-only with fine-grained access", () => {
        const [domain] = ofType(plan, "aws:opensearch/domain:Domain");
        const cluster = domain.props.clusterConfig as Record<string, unknown>;
        assert.deepEqual(
            [
                cluster.zoneAwarenessEnabled,
                (cluster.zoneAwarenessConfig as { availabilityZoneCount: number }).availabilityZoneCount,
                cluster.instanceCount,
                cluster.dedicatedMasterCount,
            ],
            [true, 3, 3, 3],
        );
        assert.equal((domain.props.encryptAtRest as { enabled: boolean }).enabled, true);
        assert.equal((domain.props.nodeToNodeEncryption as { enabled: boolean }).enabled, true);
        assert.deepEqual(domain.props.domainEndpointOptions, { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
        const security = domain.props.advancedSecurityOptions as Record<string, unknown>;
        assert.deepEqual([security.enabled, security.anonymousAuthEnabled, security.internalUserDatabaseEnabled], [true, false, false]);
        const isolated = new Set(
            ofType(plan, "aws:ec2/subnet:Subnet")
                .filter((s) => (s.props.tags as Record<string, string>)["hybrid:tier"] === "isolated")
                .map((s) => s.id),
        );
        assert.ok((domain.props.vpcOptions as { subnetIds: string[] }).subnetIds.every((id) => isolated.has(id)));
        const published = (domain.props.logPublishingOptions as Array<{ logType: string }>).map((o) => o.logType).sort();
        assert.deepEqual(published, ["AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"]);
    });

    it("encrypts traces with a CMK and scopes Grafana's role to this workspace", () => {
        const [xray] = ofType(plan, "aws:xray/encryptionConfig:EncryptionConfig");
        assert.equal(xray.props.type, "KMS");
        const [workspace] = ofType(plan, "aws:amp/workspace:Workspace");
        const grafanaPolicy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "observability-grafana")!;
        const statements = JSON.parse(grafanaPolicy.props.policy as string).Statement as Array<{ Action: string[]; Resource: string }>;
        assert.equal(statements.find((s) => s.Action.includes("aps:QueryMetrics"))!.Resource, workspace.props.arn);
    });

    it("lets every wired publisher publish: AMP with sns:GetTopicAttributes too, Grafana through its role (issue #11 findings 13, 19)", () => {
        type Stmt = { Sid?: string; Effect: string; Principal?: { Service?: string[] }; Action: string | string[]; Resource: string; Condition?: object };
        const topic = ofType(plan, "aws:sns/topic:Topic").find((t) => t.name === "observability-alerts")!;
        const topicPolicy = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.name === "observability-alerts")!;
        const allows = (JSON.parse(topicPolicy.props.policy as string).Statement as Stmt[]).filter((s) => s.Effect === "Allow");
        const forService = (service: string) => allows.find((s) => s.Principal?.Service?.includes(service))!;
        assert.deepEqual(forService("aps.amazonaws.com").Action, ["sns:Publish", "sns:GetTopicAttributes"]);
        assert.equal(forService("cloudwatch.amazonaws.com").Action, "sns:Publish", "CloudWatch gets only what it calls");
        for (const s of allows) assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": "111122223333" } }, s.Sid);
        // issue #13: Alertmanager routes warnings to the ticket topic, so it admits AMP the same way.
        const ticketPolicy = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.name === "observability-ticket-alerts")!;
        const ticketAllows = (JSON.parse(ticketPolicy.props.policy as string).Statement as Stmt[]).filter((s) => s.Effect === "Allow");
        assert.deepEqual(ticketAllows.find((s) => s.Principal?.Service?.includes("aps.amazonaws.com"))!.Action, ["sns:Publish", "sns:GetTopicAttributes"]);

        const grafana = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "observability-grafana")!;
        const statements = JSON.parse(grafana.props.policy as string).Statement as Stmt[];
        const granting = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource);
        assert.deepEqual(granting("sns:Publish"), [topic.props.arn]);
        const alertKey = targetOf(plan, topic, "kmsMasterKeyId")!;
        assert.deepEqual(granting("kms:GenerateDataKey*"), [alertKey.props.arn]);
        const [workspace] = ofType(plan, "aws:amp/workspace:Workspace");
        assert.deepEqual(granting("aps:DescribeWorkspace"), [workspace.props.arn]);
        assert.deepEqual(
            statements.filter((s) => s.Resource === "*" && [s.Action].flat().some((a) => a.startsWith("aps:"))).map((s) => s.Action),
            ["aps:ListWorkspaces"],
            "only the list call, which has no resource-level permission, stays on *",
        );
    });

    it("adds service alarms only for the targets it is given, routed by severity", async () => {
        const withTargets = await planComponent(
            () =>
                new Observability(
                    "obs",
                    {
                        region: "eu-west-2",
                        accountId: "111122223333",
                        alerts: { email: "oncall@example.gov.uk" },
                        publicHostname: "portal.example.gov.uk",
                        logSearch: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], clientCidrs: ["10.0.0.0/19"] },
                        targets: { loadBalancerArnSuffix: "app/portal/123", databaseIdentifier: "portal-db", cacheNodeIds: ["portal-cache-0001-001"] },
                        cpuAlarmPercent: 75,
                    },
                    { providers: [new aws.Provider("test", { region: "eu-west-2" })] },
                ),
        );
        const alarms = ofType(withTargets, "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepEqual(
            alarms.map((a) => a.name).sort(),
            [
                ...["cache-cpu-0", "cache-evictions-0", "cache-memory-0", "cache-replication-lag-0"],
                ...["database-connections", "database-cpu", "database-free-storage", "database-freeable-memory"],
                ...["request-errors", "response-time-p99"],
                ...["search-free-storage", "search-jvm-pressure", "search-red", "search-yellow", "uptime"],
            ].map((n) => `obs-${n}`),
        );
        assert.equal(alarms.find((a) => a.name === "obs-database-cpu")!.props.threshold, 75);
        assert.equal(alarms.find((a) => a.name === "obs-cache-cpu-0")!.props.threshold, 75);
        assert.deepEqual(alarms.find((a) => a.name === "obs-cache-cpu-0")!.props.dimensions, { CacheClusterId: "portal-cache-0001-001" });
        const errors = alarms.find((a) => a.name === "obs-request-errors")!;
        assert.equal(errors.props.threshold, 1);
        // ALB counts are published only when non-zero: an unFILLed expression has no value without 5XX, and never alarms.
        const queries = errors.props.metricQueries as MetricQueryLike[];
        assert.deepEqual(queries.filter((q) => q.metric?.stat === "Sum").length, 3);
        assert.deepEqual(unfilledSparseMetrics(queries), []);
        // page to the on-call topic, ticket to the ticket topic
        const topics = ofType(withTargets, "aws:sns/topic:Topic");
        const arnOf = (name: string) => topics.find((t) => t.name === name)!.props.arn;
        assert.deepEqual(errors.props.alarmActions, [arnOf("obs-alerts")]);
        assert.deepEqual(alarms.find((a) => a.name === "obs-response-time-p99")!.props.alarmActions, [arnOf("obs-ticket-alerts")]);
        assert.equal(alarms.find((a) => a.name === "obs-response-time-p99")!.props.extendedStatistic, "p99");
    });

    it("renders alert rules with the thresholds given", () => {
        const rules = (parse(alertRules(90, 2.5)) as { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> }).groups.flatMap((g) => g.rules);
        assert.match(rules.find((r) => r.alert === "NodeCpuHigh")!.expr, /> 90$/);
        assert.match(rules.find((r) => r.alert === "RequestErrorRateHigh")!.expr, /> 2.5$/);
    });
});
