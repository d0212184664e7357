/** The deployability policies of AWS's other rules (policy/deployability.ts): compliant and violating fixtures in both modes. */
import * as assert from "node:assert/strict";
import {
    deployabilityPolicies,
    physicalNamesWithinLimits,
    serviceLinkedRolesDeclared,
    snsPublishersAdmitted,
    versionsInSupportWindow,
} from "../../policy/deployability";
import { POSTGRES_ROTATION_APP, sarAppRuntime } from "../../model/versions";
import { T } from "../../policy/lib";
import { supportClock } from "../../policy/rules/supportWindows";
import { PlannedResource } from "../../tools/offline";
import { analyzeResources } from "../../tools/policyRunner";
import { planOf } from "../support";
import { AMP_CASES } from "../support/ampCases";
import { Case, describeCases, key, single } from "../support/policyCases";
import { Fixture, Mode } from "../support/policyFixtures";

const HELM = "kubernetes:helm.sh/v3:Release";
const SAR_STACK = "aws:serverlessrepository/cloudFormationStack:CloudFormationStack";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const AMP = "aws:amp/alertManagerDefinition:AlertManagerDefinition";
const GRAFANA = "aws:grafana/workspace:Workspace";
const SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
const STACK_REF = "pulumi:pulumi:StackReference";

/** The versions a compliant stack pins today (2026-12-01). */
function pins(f: Fixture, over: { k8s?: string; pg?: string; redis?: string; runtime?: string; ca?: string; sar?: string } = {}) {
    f.add(T.eksComponent, "eks", { version: over.k8s ?? "1.35" });
    f.add(T.rds, "db", { engine: "postgres", engineVersion: over.pg ?? "16.11" });
    f.add(T.redis, "cache", { engine: "redis", engineVersion: over.redis ?? "7.1" });
    f.add(T.opensearch, "logs", { engineVersion: "OpenSearch_2.19" });
    f.add("aws:lambda/function:Function", "rotation", { runtime: over.runtime ?? "python3.12" });
    f.add(HELM, "cluster-autoscaler", { chart: "cluster-autoscaler", version: over.ca ?? "9.59.0" });
    f.add(HELM, "metrics-server", { chart: "metrics-server", version: "3.12.2" });
    // The PostgreSQL rotation app: its function's runtime comes from model/versions.ts SAR_APP_RUNTIMES.
    f.add(SAR_STACK, "postgres-rotation", {
        applicationId: POSTGRES_ROTATION_APP.applicationId,
        semanticVersion: over.sar ?? POSTGRES_ROTATION_APP.semanticVersion,
    });
}

const topicPolicy = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const admit = (service: string, actions: string[], condition = true) => ({
    Effect: "Allow",
    Principal: { Service: [service] },
    Action: actions,
    Resource: "arn:aws:sns:eu-west-2:111122223333:topic/alerts",
    ...(condition ? { Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } } : {}),
});

/** A topic with an alarm and AMP's Alertmanager wired to it, and a Grafana workspace whose role may publish. */
function alerting(f: Fixture, opts: { policy?: Record<string, unknown>[] | false; grafanaPublishes?: boolean } = {}) {
    const topic = f.add(T.topic, "alerts", { kmsMasterKeyId: f.arn(key(f)) });
    const statements = opts.policy ?? [
        admit("cloudwatch.amazonaws.com", ["sns:Publish"]),
        admit("aps.amazonaws.com", ["sns:Publish", "sns:GetTopicAttributes"]),
    ];
    if (statements !== false) f.add(TOPIC_POLICY, "alerts", { arn: f.arn(topic), policy: f.computed(topic, topicPolicy(statements)) });
    f.add(ALARM, "errors", { alarmActions: [f.arn(topic)] });
    f.add(AMP, "alertmanager", { definition: f.computed(topic, `receivers: [{ sns_configs: [{ topic_arn: ${f.arnOf(topic)} }] }]`) });
    const role = f.add(T.role, "grafana", {});
    // A role policy built from the topic (its ARN in a statement) in the compliant case; one that never names a topic otherwise.
    const document = (publish: boolean) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "aps:QueryMetrics", Resource: "*" },
                ...(publish ? [{ Effect: "Allow", Action: "sns:Publish", Resource: f.arnOf(topic) }] : []),
            ],
        });
    f.add(T.rolePolicy, "grafana", { role: f.ref(role), policy: opts.grafanaPublishes === false ? document(false) : f.computed(topic, document(true)) });
    f.add(GRAFANA, "dashboards", { roleArn: f.arn(role), permissionType: "CUSTOMER_MANAGED", notificationDestinations: ["SNS"] });
    return topic;
}

const CASES: Case[] = [
    {
        policy: "versions-in-support-window",
        compliant: (f) => pins(f),
        violations: {
            "EKS 1.33 past standard support (finding 14)": (f) => pins(f, { k8s: "1.33" }),
            "EKS 1.31, past even extended support": (f) => pins(f, { k8s: "1.31" }),
            "PostgreSQL 16.6, which can no longer be created (finding 4)": (f) => pins(f, { pg: "16.6" }),
            "Redis OSS 5 past standard support": (f) => pins(f, { redis: "5.0.6" }),
            "a deprecated Lambda runtime": (f) => pins(f, { runtime: "python3.9" }),
            "the PostgreSQL rotation app pinned back to 1.1.367 (python3.9)": (f) => pins(f, { sar: "1.1.367" }),
            "cluster-autoscaler chart 9.43.2 (CA 1.31) on Kubernetes 1.35 (finding 14)": (f) => pins(f, { ca: "9.43.2" }),
        },
    },
    single(
        "ec2-tag-specifications-not-empty",
        T.launchTemplate,
        () => ({
            tagSpecifications: [
                { resourceType: "instance", tags: { Name: "prod-eks-node" } },
                { resourceType: "volume", tags: { Name: "prod-eks-node-volume" } },
            ],
        }),
        {
            "a volume tag specification with empty tags (finding 5)": () => ({
                tagSpecifications: [
                    { resourceType: "instance", tags: { Name: "prod-eks-node" } },
                    { resourceType: "volume", tags: {} },
                ],
            }),
            "a tag specification without tags": () => ({ tagSpecifications: [{ resourceType: "volume" }] }),
        },
    ),
    {
        policy: "physical-names-within-aws-limits",
        compliant: (f) => {
            f.add("aws:lb/targetGroup:TargetGroup", "web", { namePrefix: "web-" });
            f.add("aws:lb/loadBalancer:LoadBalancer", "alb", { name: "prod-portal" });
            f.add(T.role, "app-irsa-cluster-autoscaler", {});
            f.add(T.redis, "cache", { replicationGroupId: "data-redis-prod" });
        },
        violations: {
            "a target group name over 32 characters": (f) =>
                void f.add("aws:lb/targetGroup:TargetGroup", "web", { name: "hybrid-platform-prod-django-web-stable" }),
            "a target group name prefix over 6 characters": (f) => void f.add("aws:lb/targetGroup:TargetGroup", "web", { namePrefix: "django-web-" }),
            "an auto-named load balancer whose logical name leaves no room for Pulumi's suffix": (f) =>
                void f.add("aws:lb/loadBalancer:LoadBalancer", "app-public-application-lb", {}),
            "a replication group id over 40 characters": (f) =>
                void f.add(T.redis, "cache", { replicationGroupId: "hybrid-platform-production-data-redis-cluster" }),
            "an auto-named role over 64 characters after the suffix": (f) => void f.add(T.role, `app-irsa-${"x".repeat(50)}`, {}),
        },
    },
    {
        policy: "global-names-carry-account-id",
        compliant: (f) => void f.add(T.bucket, "documents", { bucket: "hybrid-platform-dr-documents-eu-west-1-111122223333" }),
        violations: {
            "the DR documents bucket without the account id (finding 15)": (f) =>
                void f.add(T.bucket, "documents", { bucket: "hybrid-platform-dr-documents-eu-west-1" }),
            "an auto-named bucket": (f) => void f.add(T.bucket, "documents", {}),
        },
    },
    {
        policy: "sns-publishers-admitted",
        compliant: (f) => void alerting(f),
        violations: {
            "AMP admitted with sns:Publish only (finding 13)": (f) =>
                void alerting(f, {
                    policy: [admit("cloudwatch.amazonaws.com", ["sns:Publish"]), admit("aps.amazonaws.com", ["sns:Publish"])],
                }),
            "a wired publisher without a confused-deputy condition": (f) =>
                void alerting(f, {
                    policy: [admit("cloudwatch.amazonaws.com", ["sns:Publish"], false), admit("aps.amazonaws.com", ["sns:Publish", "sns:GetTopicAttributes"])],
                }),
            "a topic with publishers and no topic policy": (f) => void alerting(f, { policy: false }),
            "Grafana SNS notifications without sns:Publish on its role (finding 13)": (f) => void alerting(f, { grafanaPublishes: false }),
            "an EventBridge rule targeting a topic whose policy admits no EventBridge": (f) => {
                const topic = f.add(T.topic, "events", {});
                f.add(TOPIC_POLICY, "events", { arn: f.arn(topic), policy: topicPolicy([admit("cloudwatch.amazonaws.com", ["sns:Publish"])]) });
                f.add("aws:cloudwatch/eventTarget:EventTarget", "findings", { arn: f.arn(topic) });
            },
        },
    },
];

/** Updates-only violations: in preview the topic policy is computed from the topic's ARN (unknown), so only its presence is checked. */
const UPDATE_ONLY = new Set(["AMP admitted with sns:Publish only (finding 13)", "a wired publisher without a confused-deputy condition"]);
const [snsCase] = CASES.filter((c) => c.policy === "sns-publishers-admitted");
const previewable: Case[] = CASES.map((c) =>
    c === snsCase ? { ...c, violations: Object.fromEntries(Object.entries(c.violations).filter(([what]) => !UPDATE_ONLY.has(what))) } : c,
);

describe("policy pack: deployability fixtures (AWS's other rules)", () => {
    const realToday = supportClock.today;
    before(() => (supportClock.today = () => "2026-12-01"));
    after(() => (supportClock.today = realToday));

    it("every deployability policy of this module has a case with at least one violation", () => {
        // amp-definitions-accepted: its cases are tests/support/ampCases.ts (run by tests/policy/deployabilityAmp.test.ts).
        const covered = new Set([...CASES, ...AMP_CASES].filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            // service-linked-roles-declared has its own fixtures below (both shapes: an SLR in the stack, or the bootstrap StackReference).
            deployabilityPolicies.map((p) => p.name).filter((n) => !covered.has(n) && n !== serviceLinkedRolesDeclared.name),
            [],
        );
    });

    // Preview-safe violations in both modes; the two that need the topic policy's content in the update mode only, below.
    describeCases(previewable);

    for (const what of UPDATE_ONLY) {
        it(`sns-publishers-admitted rejects: ${what} (update; preview cannot read the computed policy)`, async () => {
            const f = new Fixture();
            snsCase.violations[what](f);
            const ds = await analyzeResources(f.resources("update"), { policies: [snsPublishersAdmitted] });
            assert.ok(
                ds.some((d) => d.enforcementLevel === "mandatory"),
                JSON.stringify(ds.map((d) => d.message)),
            );
            const preview = await analyzeResources(f.resources("preview"), { policies: [snsPublishersAdmitted] });
            assert.deepEqual(
                preview.map((d) => d.message),
                [],
                "the policy exists; its content is unknown in preview",
            );
        });
    }

    describe("versions-in-support-window: the date", () => {
        const run = async (build: (f: Fixture) => void, today?: string) => {
            const f = new Fixture();
            build(f);
            return analyzeResources(f.resources("preview"), {
                policies: [versionsInSupportWindow],
                config: today ? { "versions-in-support-window": { today } } : {},
            });
        };

        it("warns (advisory) within 90 days of the end of standard support and blocks after it", async () => {
            // EKS 1.35's standard support ends 2027-03-27.
            assert.deepEqual(await run((f) => pins(f), "2026-12-26"), []);
            const soon = await run((f) => pins(f), "2027-01-15");
            assert.deepEqual(
                soon.map((d) => d.enforcementLevel),
                ["advisory"],
            );
            assert.match(soon[0].message, /EKS Kubernetes 1\.35: leaves standard support on 2027-03-27 in 72 days/);
            const after = await run((f) => pins(f), "2027-03-28");
            assert.ok(after.some((d) => d.enforcementLevel === "mandatory" && /1\.35 left standard support on 2027-03-27/.test(d.message)));
        });

        it("checks the Lambda runtime a SAR application version creates (issue #11 'to verify'), advisory when unknown", async () => {
            assert.equal(sarAppRuntime(POSTGRES_ROTATION_APP.applicationId, POSTGRES_ROTATION_APP.semanticVersion), "python3.12");
            assert.deepEqual(await run((f) => pins(f), "2026-12-01"), [], "1.1.671 creates python3.12, supported to 2028-10-31");
            const unknown = await run((f) => pins(f, { sar: "1.1.999" }), "2026-12-01");
            assert.deepEqual(
                unknown.map((d) => d.enforcementLevel),
                ["advisory"],
            );
            assert.match(
                unknown[0].message,
                /SecretsManagerRDSPostgreSQLRotationSingleUser 1\.1\.999: its Lambda runtime is not in model\/versions\.ts SAR_APP_RUNTIMES/,
            );
            const old = await run((f) => pins(f, { sar: "1.1.618" }), "2026-12-01");
            assert.match(old[0].message, /1\.1\.618: Lambda runtime python3\.10 left standard support on 2026-06-30/);
        });

        it("reads the clock at plan time when no date is configured", async () => {
            supportClock.today = () => "2026-04-01";
            try {
                assert.deepEqual(
                    (await run((f) => pins(f, { pg: "16.6" }))).map((d) => d.enforcementLevel),
                    ["advisory"],
                    "16.6 could still be created on 2026-04-01, 30 days before the end",
                );
            } finally {
                supportClock.today = () => "2026-12-01";
            }
        });

        it("names a version with no known window (advisory), and a chart outside the pins", async () => {
            const ds = await run((f) => {
                f.add(T.rds, "db", { engine: "postgres", engineVersion: "16.99" });
                f.add(T.eksComponent, "eks", { version: "1.35" });
                f.add(HELM, "odd", { chart: "metrics-server", version: "9.9.9" });
            });
            assert.deepEqual(
                ds.map((d) => d.enforcementLevel),
                ["advisory", "advisory"],
            );
        });
    });

    it("physical names: a name set but unknown in preview is not judged", async () => {
        const f = new Fixture();
        const other = f.add(T.secret, "other", {});
        f.add("aws:lb/targetGroup:TargetGroup", "web", { name: f.computed(other, "x".repeat(40)) });
        assert.deepEqual(await analyzeResources(f.resources("preview"), { policies: [physicalNamesWithinLimits] }), []);
        assert.equal((await analyzeResources(f.resources("update"), { policies: [physicalNamesWithinLimits] })).length, 1);
    });
});

// ---------------------------------------------------------------------------------------------
// Service-linked roles: not in the pack until the bootstrap stack provides them (prod violates on today's main)
// ---------------------------------------------------------------------------------------------

const AUTOSCALING_SLR = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
const keyPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Ebs", Effect: "Allow", Principal: { AWS: AUTOSCALING_SLR }, Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*" }],
});

/** Adds `dependsOn` edges (the Fixture records only the references in props). */
function dependsOn(resources: PlannedResource[], from: string, to: string): PlannedResource[] {
    for (const r of resources)
        if (r.urn.endsWith(`::${from}`))
            r.dependencies = [...new Set([...r.dependencies, ...resources.filter((x) => x.urn.endsWith(`::${to}`)).map((x) => x.urn)])];
    return resources;
}

async function slrDiagnostics(build: (f: Fixture) => void, mode: Mode, edges: [string, string][] = []) {
    const f = new Fixture();
    build(f);
    let resources = f.resources(mode);
    for (const [from, to] of edges) resources = dependsOn(resources, from, to);
    return analyzeResources(resources, { policies: [serviceLinkedRolesDeclared] });
}

describe("policy: service-linked-roles-declared (both shapes: an SLR in the stack, or the bootstrap StackReference)", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`passes a key policy and a VPC domain that depend on ServiceLinkedRoles of the stack (${mode})`, async () => {
            const ds = await slrDiagnostics(
                (f) => {
                    f.add(SLR, "autoscaling", { awsServiceName: "autoscaling.amazonaws.com" });
                    f.add(SLR, "opensearch", { awsServiceName: "opensearchservice.amazonaws.com" });
                    f.add(T.kmsKey, "node-volumes", { policy: keyPolicy });
                    f.add(T.opensearch, "logs", { vpcOptions: { subnetIds: ["subnet-1"] } });
                },
                mode,
                [
                    ["node-volumes", "autoscaling"],
                    ["logs", "opensearch"],
                ],
            );
            assert.deepEqual(
                ds.map((d) => d.message),
                [],
            );
        });

        it(`passes when both depend on the bootstrap stack's StackReference (${mode})`, async () => {
            const ds = await slrDiagnostics(
                (f) => {
                    f.add(STACK_REF, "bootstrap", { name: "organization/hybrid-platform/bootstrap" });
                    f.add(T.kmsKey, "node-volumes", { policy: keyPolicy });
                    f.add(T.opensearch, "logs", { vpcOptions: { subnetIds: ["subnet-1"] } });
                },
                mode,
                [
                    ["node-volumes", "bootstrap"],
                    ["logs", "bootstrap"],
                ],
            );
            assert.deepEqual(
                ds.map((d) => d.message),
                [],
            );
        });

        it(`rejects a key policy naming an SLR and a VPC domain with no such dependency (${mode})`, async () => {
            const ds = await slrDiagnostics((f) => {
                f.add(SLR, "autoscaling", { awsServiceName: "autoscaling.amazonaws.com" });
                f.add(T.kmsKey, "node-volumes", { policy: keyPolicy });
                f.add(T.opensearch, "logs", { vpcOptions: { subnetIds: ["subnet-1"] } });
            }, mode);
            assert.equal(ds.filter((d) => d.enforcementLevel === "mandatory").length, 2, JSON.stringify(ds.map((d) => d.message)));
            assert.ok(ds.some((d) => /stack declares one: depend on it/.test(d.message)));
        });

        it(`rejects two ServiceLinkedRoles of one service (${mode})`, async () => {
            const ds = await slrDiagnostics((f) => {
                f.add(SLR, "autoscaling", { awsServiceName: "autoscaling.amazonaws.com" });
                f.add(SLR, "autoscaling-again", { awsServiceName: "autoscaling.amazonaws.com" });
            }, mode);
            assert.equal(ds.length, 1);
        });

        it(`on the real prod plan: passes, the key and the domain depending on the bootstrap roles; names both once cut (${mode})`, async () => {
            const plan = structuredClone(await planOf("prod", mode));
            const wired = (name: string, type: string) => {
                const r = plan.resources.find((x) => x.name === name && x.type === type)!;
                return r.dependencies.some((u) => plan.resources.some((x) => x.urn === u && (x.type === SLR || x.type === STACK_REF)));
            };
            const ds = await analyzeResources(plan.resources, { policies: [serviceLinkedRolesDeclared] });
            assert.ok(wired("app-node-volumes", T.kmsKey) && wired("observability-logs", T.opensearch));
            assert.deepEqual(
                ds.map((d) => d.urn?.split("::").pop()),
                [],
            );
            // The mutation: cut those dependencies, and both are flagged whatever the plan had.
            for (const r of plan.resources) {
                if ((r.name === "app-node-volumes" && r.type === T.kmsKey) || (r.name === "observability-logs" && r.type === T.opensearch)) {
                    const cut = new Set(plan.resources.filter((x) => x.type === SLR || x.type === STACK_REF).map((x) => x.urn));
                    r.dependencies = r.dependencies.filter((u) => !cut.has(u));
                    for (const k of Object.keys(r.propertyDependencies)) r.propertyDependencies[k] = r.propertyDependencies[k].filter((u) => !cut.has(u));
                }
            }
            const mutated = (await analyzeResources(plan.resources, { policies: [serviceLinkedRolesDeclared] })).map((d) => d.urn?.split("::").pop());
            assert.ok(mutated.includes("app-node-volumes") && mutated.includes("observability-logs"), JSON.stringify(mutated));
        });
    }
});
