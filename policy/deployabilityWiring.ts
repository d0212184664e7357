/**
 * Deployability (issue #11), the rules that follow how resources are wired: SNS topics admit every publisher wired to
 * them, and resources that need a service-linked role depend on it. Registered through policy/deployability.ts.
 */
import { PolicyResource } from "@pulumi/policy";
import { snsPublisherActions } from "../model/snsPublishers";
import { T, UNKNOWN, asArray, label, parseJson, peek, stackGuardrail } from "./lib";

const D = {
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    alertManager: "aws:amp/alertManagerDefinition:AlertManagerDefinition",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    grafana: "aws:grafana/workspace:Workspace",
    slr: "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    stackReference: "pulumi:pulumi:StackReference",
} as const;

// ---------------------------------------------------------------------------------------------
// SNS topics let every wired publisher publish
// ---------------------------------------------------------------------------------------------

type Stmt = { Effect?: string; Principal?: unknown; Action?: unknown; Condition?: Record<string, Record<string, unknown>> };

const statementsOf = (doc: Record<string, unknown> | undefined): Stmt[] => asArray(doc?.Statement as Stmt | Stmt[] | undefined);
const actionsOf = (s: Stmt) => asArray(s.Action as string | string[]).map((a) => String(a).toLowerCase());
const grants = (s: Stmt, action: string) => actionsOf(s).some((a) => a === action.toLowerCase() || a === "sns:*" || a === "*");
const servicesOf = (s: Stmt): string[] =>
    s.Principal !== null && typeof s.Principal === "object" ? asArray((s.Principal as { Service?: string | string[] }).Service) : [];
/** A confused-deputy condition: the publisher acts for this account or this source resource only. */
const hasSourceCondition = (s: Stmt) =>
    Object.values(s.Condition ?? {}).some((block) => Object.keys(block ?? {}).some((k) => /^aws:source(account|arn|owner)$/i.test(k)));

export const snsPublishersAdmitted = stackGuardrail({
    name: "sns-publishers-admitted",
    description:
        "Every service wired to publish to an SNS topic (alarm actions, AMP's Alertmanager, EventBridge targets) is admitted by the topic policy with the actions AWS documents and an aws:SourceAccount/SourceArn condition; a Grafana workspace with SNS notifications has sns:Publish on a topic.",
    remediation:
        "Build the topic policy with components/observability/alertTopic.ts (publishers from model/snsPublishers.ts); give the Grafana role sns:Publish on the alert topic and kms:GenerateDataKey*/kms:Decrypt on its key.",
    concern: "deployability",
    seed: "6 (alerting)",
    why: "A publisher the topic policy does not admit fails silently at alert time (AMP logs 'Notify for alerts failed'); nobody is paged.",
    types: [T.topic, D.topicPolicy, D.metricAlarm, D.compositeAlarm, D.alertManager, D.eventTarget, D.grafana, T.role, T.rolePolicy],
    check: ({ graph }, report) => {
        const wired = new Map<PolicyResource, Map<string, PolicyResource>>();
        const wire = (publisher: PolicyResource, key: string, service: string) => {
            for (const topic of graph.refs(publisher, key, T.topic)) {
                const services = wired.get(topic) ?? wired.set(topic, new Map()).get(topic)!;
                if (!services.has(service)) services.set(service, publisher);
            }
        };
        for (const alarm of graph.ofType(D.metricAlarm, D.compositeAlarm))
            for (const key of ["alarmActions", "okActions", "insufficientDataActions"]) wire(alarm, key, "cloudwatch.amazonaws.com");
        for (const am of graph.ofType(D.alertManager)) wire(am, "definition", "aps.amazonaws.com");
        for (const target of graph.ofType(D.eventTarget)) wire(target, "arn", "events.amazonaws.com");

        for (const [topic, services] of wired) {
            const policies = graph.referrers(topic, [D.topicPolicy], "arn");
            const docs = [...policies.map((p) => peek(() => p.props.policy)), peek(() => topic.props.policy)].filter((d) => d !== undefined && d !== "");
            if (docs.length === 0) {
                const names = [...services.values()].map(label).join(", ");
                report(`topic ${topic.name}: ${names} publish to it, but it has no topic policy (the default policy admits no AWS service)`, topic.urn);
                continue;
            }
            // Unknown in preview (computed from the topic's ARN): the policy exists, its content is checked in the update.
            if (docs.some((d) => d === UNKNOWN)) continue;
            const statements = docs.flatMap((d) => statementsOf(parseJson(d))).filter((s) => s.Effect === "Allow");
            for (const [service, publisher] of services) {
                const admitted = statements.filter((s) => servicesOf(s).includes(service));
                const missing = snsPublisherActions(service).filter((a) => !admitted.some((s) => grants(s, a)));
                if (missing.length > 0)
                    report(
                        `topic ${topic.name}: ${label(publisher)} publishes through ${service}, which the topic policy does not grant ${missing.join(", ")}`,
                        topic.urn,
                    );
                else if (!admitted.some((s) => hasSourceCondition(s)))
                    report(`topic ${topic.name}: ${service} is admitted without an aws:SourceAccount or aws:SourceArn condition (confused deputy)`, topic.urn);
            }
        }

        // Grafana publishes with its workspace role (customer-managed permissions): the role needs sns:Publish on a topic.
        for (const ws of graph.ofType(D.grafana)) {
            const destinations = peek(() => ws.props.notificationDestinations as string[] | undefined);
            if (destinations === UNKNOWN || !asArray(destinations).includes("SNS")) continue;
            if (peek(() => ws.props.permissionType) !== "CUSTOMER_MANAGED") continue;
            const roles = graph.refs(ws, "roleArn", T.role);
            const rolePolicies = roles.flatMap((role) => graph.referrers(role, [T.rolePolicy], "role"));
            const publishes = rolePolicies.some((rp) => {
                const doc = peek(() => rp.props.policy);
                if (doc === UNKNOWN) return graph.refs(rp, "policy", T.topic).length > 0;
                return statementsOf(parseJson(doc)).some(
                    (s) =>
                        s.Effect === "Allow" &&
                        grants(s, "sns:Publish") &&
                        asArray((s as { Resource?: unknown }).Resource as string[]).some((r) => /^arn:aws[a-z-]*:sns:/.test(String(r))),
                );
            });
            if (!publishes)
                report(`Grafana workspace ${ws.name}: notificationDestinations includes SNS but its role has no sns:Publish on a topic of this stack`, ws.urn);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Service-linked roles declared once per account and depended on
// ---------------------------------------------------------------------------------------------

/** The service-linked role a key policy names: `arn:aws:iam::<account>:role/aws-service-role/<service>/<role>`. */
const SLR_ARN = /arn:aws[a-z-]*:iam::\d{12}:role\/aws-service-role\/([a-z0-9.-]+)\/([A-Za-z0-9+=,.@_-]+)/g;
/** OpenSearch VPC domains need AWSServiceRoleForAmazonOpenSearchService. */
const OPENSEARCH_SERVICE = "opensearchservice.amazonaws.com";

export const serviceLinkedRolesDeclared = stackGuardrail({
    name: "service-linked-roles-declared",
    description:
        "A resource that names a service-linked role (a key policy's aws-service-role/... ARN) or needs one (an OpenSearch VPC domain) depends on that role: an aws:iam/ServiceLinkedRole of the stack, or the bootstrap stack's StackReference.",
    remediation:
        "Create the service-linked role once per account (the bootstrap stack) and make the resource depend on it: read its ARN from the bootstrap StackReference (or dependsOn the ServiceLinkedRole).",
    concern: "deployability",
    seed: "issue #11 finding 9",
    why: "A new account lacks them: a key policy naming a missing role fails with MalformedPolicyDocumentException, and an OpenSearch VPC domain cannot be created.",
    types: [T.kmsKey, T.opensearch, D.slr, D.stackReference],
    check: ({ graph }, report) => {
        const slrs = graph.ofType(D.slr);
        const declared = (r: PolicyResource, service: string) =>
            r.dependencies.some(
                (d) => d.type === D.stackReference || (d.type === D.slr && [service, UNKNOWN].includes(peek(() => d.props.awsServiceName) as string)),
            );
        const needs = (r: PolicyResource, service: string, why: string) => {
            if (declared(r, service)) return;
            const inStack = slrs.some((s) => peek(() => s.props.awsServiceName) === service);
            report(
                `${label(r)} ${why} but depends on no ServiceLinkedRole for ${service} nor on the bootstrap StackReference${inStack ? " (the stack declares one: depend on it)" : ""}`,
                r.urn,
            );
        };
        for (const key of graph.ofType(T.kmsKey)) {
            const doc = peek(() => key.props.policy);
            if (typeof doc !== "string") continue;
            const services = new Set([...doc.matchAll(SLR_ARN)].map((m) => m[1]));
            for (const service of services) needs(key, service, `names the service-linked role of ${service} in its key policy`);
        }
        for (const domain of graph.ofType(T.opensearch)) {
            const vpc = peek(() => domain.props.vpcOptions);
            if (vpc !== undefined && vpc !== null) needs(domain, OPENSEARCH_SERVICE, "is a VPC domain (needs AWSServiceRoleForAmazonOpenSearchService)");
        }
        // Once per account: two declarations of one service's role in a stack collide (the second create fails).
        const byService = new Map<string, number>();
        for (const s of slrs) {
            const service = peek(() => s.props.awsServiceName);
            if (typeof service === "string") byService.set(service, (byService.get(service) ?? 0) + 1);
        }
        for (const [service, n] of byService) if (n > 1) report(`${n} ServiceLinkedRoles for ${service}: one per account`);
    },
});
