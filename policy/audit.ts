/**
 * Audit to the SOC (seed 4.3, 6, 9): CloudTrail, VPC flow logs, EKS control-plane logs,
 * ALB access logs, and log retention long enough for an investigation.
 */
import { PolicyResource } from "@pulumi/policy";
import { Graph, Guardrail, T, UNKNOWN, asArray, isSet, parseJson, peek, resourceGuardrail, stackGuardrail } from "./lib";

export const cloudTrail = resourceGuardrail({
    name: "cloudtrail-multi-region-validated",
    description: "CloudTrail trails are multi-region, include global service events, validate log files and encrypt with a CMK.",
    remediation: "Set isMultiRegionTrail, includeGlobalServiceEvents and enableLogFileValidation to true and kmsKeyId to a CustomerKey ARN.",
    concern: "audit",
    seed: "4.3, 9",
    why: "The SOC relies on CloudTrail as evidence: it must cover every region and be tamper-evident.",
    types: [T.trail],
    check: ({ props }, report) => {
        if (props.isMultiRegionTrail !== true) report("isMultiRegionTrail is not true");
        if (props.includeGlobalServiceEvents === false) report("includeGlobalServiceEvents is false");
        if (props.enableLogFileValidation !== true) report("enableLogFileValidation is not true");
        if (!isSet(props, "kmsKeyId")) report("kmsKeyId is not set");
    },
});

export const vpcFlowLogs = stackGuardrail({
    name: "vpc-flow-logs",
    description: "Every VPC has a flow log capturing ALL traffic.",
    remediation: "Add an aws.ec2.FlowLog with vpcId, trafficType 'ALL', to the CMK-encrypted flow-log group (NetworkTier does).",
    concern: "audit",
    seed: "4.3",
    why: "Seed 4.3: the SOC aggregates VPC flow logs; rejected-only or missing logs leave accepted exfiltration invisible.",
    types: [T.vpc, T.flowLog],
    check: ({ graph }, report) => {
        for (const vpc of graph.ofType(T.vpc)) {
            const logs = graph.referrers(vpc, [T.flowLog], "vpcId");
            if (logs.length === 0) report(`VPC ${vpc.name} has no flow log`, vpc.urn);
            else if (!logs.some((l) => peek(() => l.props.trafficType) === "ALL")) report(`VPC ${vpc.name}: no flow log captures trafficType ALL`, vpc.urn);
        }
    },
});

const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"];

export const eksLogs = resourceGuardrail({
    name: "eks-control-plane-logs",
    description: "EKS clusters ship api, audit and authenticator control-plane logs.",
    remediation: "Set enabledClusterLogTypes to include api, audit and authenticator (controllerManager and scheduler recommended).",
    concern: "audit",
    seed: "4.3, 6",
    why: "Kubernetes audit logs are the SOC's record of who did what in the cluster (RBAC, seed 4.1).",
    types: [T.eksComponent, T.eksCluster],
    check: ({ props }, report) => {
        const types = peek(() => props.enabledClusterLogTypes as string[] | undefined);
        if (types === UNKNOWN) return;
        const missing = CONTROL_PLANE_LOGS.filter((t) => !asArray(types).includes(t));
        if (missing.length > 0) report(`enabledClusterLogTypes lacks ${missing.join(", ")}`);
    },
});

export const albAccessLogs = resourceGuardrail({
    name: "alb-access-logs",
    description: "Application load balancers write access logs to S3 and drop invalid headers.",
    remediation: "Set accessLogs { enabled: true, bucket: <log bucket> } and dropInvalidHeaderFields: true.",
    concern: "audit",
    seed: "4.3, 6",
    why: "Access logs are the record of every citizen request at the edge (incident response, SLA reporting).",
    types: [T.lb],
    check: ({ props }, report) => {
        const type = peek(() => props.loadBalancerType);
        if (type !== undefined && type !== "application" && type !== UNKNOWN) return;
        const logs = peek(() => props.accessLogs as Record<string, any> | undefined);
        if (logs === UNKNOWN) return;
        if (!logs || logs.enabled !== true || !isSet(logs, "bucket")) report("accessLogs are not enabled to a bucket");
        if (props.dropInvalidHeaderFields !== true) report("dropInvalidHeaderFields is not true");
    },
});

export const logRetention = resourceGuardrail({
    name: "log-retention",
    description: "Log groups keep logs for at least the audit retention (default 365 days) and never 'forever' by omission.",
    remediation: "Set retentionInDays to at least the policy's minRetentionDays (network.flowLogRetentionDays for flow logs).",
    concern: "audit",
    seed: "9",
    why: "Audit compliance (seed 9) needs a year of evidence; unset retention keeps logs forever at growing cost and without a decision.",
    types: [T.logGroup],
    config: { minRetentionDays: { type: "integer", minimum: 1, default: 365, description: "Minimum retention in days." } },
    check: ({ props, config }, report) => {
        const min = Number(config.minRetentionDays ?? 365);
        const days = peek(() => props.retentionInDays);
        if (days === UNKNOWN) return;
        if (days === undefined || days === 0) report("retentionInDays is not set");
        else if (Number(days) < min) report(`retentionInDays ${days} < ${min}`);
    },
});

// ---------------------------------------------------------------------------------------------
// issue #11: S3 server access logging, and AWS's rules for the buckets that receive logs
// ---------------------------------------------------------------------------------------------

const BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging";
const S3_ACCESS_LOGS_PAGE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html";

/** Buckets that receive another bucket's S3 server access logs (the targets of a BucketLogging). */
const accessLogTargets = (graph: Graph): Set<PolicyResource> =>
    new Set(
        graph.ofType(BUCKET_LOGGING).flatMap((l) => {
            const sources = graph.refs(l, "bucket", T.bucket);
            return graph.refs(l, "targetBucket", T.bucket).filter((t) => !sources.includes(t));
        }),
    );

export const s3AccessLogging = stackGuardrail({
    name: "s3-access-logging",
    description: "Every S3 bucket that is not itself an access-log target has server access logging to another bucket, under a non-empty prefix.",
    remediation:
        "Give the SecureBucket accessLogs { bucket: <createAccessLogBucket(...).target>, prefix: 's3-access/<bucket>/' } (components/security/accessLogBucket.ts).",
    concern: "audit",
    seed: "4.3, 9",
    why: "CIS AWS 3.4 asks access logging of the CloudTrail bucket: CloudTrail data events are not kept for every bucket, and the log buckets' own reads (who read the evidence) are otherwise invisible to the SOC.",
    types: [T.bucket, BUCKET_LOGGING],
    check: ({ graph }, report) => {
        const targets = accessLogTargets(graph);
        for (const bucket of graph.ofType(T.bucket)) {
            if (targets.has(bucket)) continue;
            const logging = graph.referrers(bucket, [BUCKET_LOGGING], "bucket");
            if (logging.length === 0) {
                report(`bucket ${bucket.name} has no server access logging`, bucket.urn);
                continue;
            }
            for (const l of logging) {
                if (graph.refs(l, "targetBucket", T.bucket).includes(bucket)) report(`bucket ${bucket.name} logs to itself (a loop of log objects)`, l.urn);
                if (!isSet(l.props, "targetPrefix")) report(`bucket ${bucket.name} logs without a targetPrefix`, l.urn);
            }
        }
    },
});

/** The default-encryption algorithms of a bucket, from its SSE configurations (UNKNOWN in preview if computed). */
function sseAlgorithms(graph: Graph, bucket: PolicyResource): string[] {
    return graph.referrers(bucket, [T.bucketSse], "bucket").flatMap((sse) => {
        const rules = peek(() => sse.props.rules as Record<string, any>[] | undefined);
        if (rules === UNKNOWN) return [];
        return asArray(rules)
            .map((r) => peek(() => r.applyServerSideEncryptionByDefault?.sseAlgorithm))
            .filter((a): a is string => typeof a === "string");
    });
}

/** Whether a bucket policy lets the S3 logging principal write, scoped by aws:SourceAccount (undefined while the document is unknown). */
function admitsS3LogDelivery(graph: Graph, bucket: PolicyResource): boolean | undefined {
    let unknown = false;
    for (const policy of graph.referrers(bucket, [T.bucketPolicy], "bucket")) {
        const raw = peek(() => policy.props.policy);
        if (raw === UNKNOWN) {
            unknown = true;
            continue;
        }
        const doc = parseJson(raw) as { Statement?: Record<string, any>[] } | undefined;
        for (const st of asArray(doc?.Statement)) {
            const services = asArray(st.Principal?.Service as string | string[] | undefined);
            const actions = asArray(st.Action as string | string[] | undefined);
            const account = st.Condition?.StringEquals?.["aws:SourceAccount"];
            if (st.Effect === "Allow" && services.includes("logging.s3.amazonaws.com") && actions.includes("s3:PutObject") && account) return true;
        }
    }
    return unknown ? undefined : false;
}

export const logTargetBuckets = stackGuardrail({
    name: "log-target-buckets",
    description:
        "Buckets receiving S3 server access logs or ALB access logs use SSE-S3 default encryption; S3 access-log targets have no Object Lock and admit logging.s3.amazonaws.com with aws:SourceAccount.",
    remediation:
        "Create log targets with createAccessLogBucket (components/security/accessLogBucket.ts): SecureBucket sseS3Reason, no objectLock, a policy for logging.s3.amazonaws.com conditioned on aws:SourceAccount and aws:SourceArn.",
    concern: "audit",
    seed: "4.3",
    why: `AWS delivers no logs to a target with SSE-KMS default encryption or Object Lock, and none without the bucket policy when ACLs are disabled: the logs silently never arrive (${S3_ACCESS_LOGS_PAGE}; ALB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).`,
    types: [T.bucket, BUCKET_LOGGING, T.bucketSse, T.bucketPolicy, T.lb],
    check: ({ graph }, report) => {
        const s3Targets = accessLogTargets(graph);
        const albTargets = new Set(graph.ofType(T.lb).flatMap((lb) => graph.refs(lb, "accessLogs", T.bucket)));
        for (const bucket of graph.inOrder([...s3Targets, ...albTargets])) {
            const writers = [s3Targets.has(bucket) ? "S3 server access logs" : "", albTargets.has(bucket) ? "ALB access logs" : ""]
                .filter(Boolean)
                .join(" and ");
            const kms = sseAlgorithms(graph, bucket).filter((a) => a !== "AES256");
            if (kms.length > 0)
                report(`bucket ${bucket.name} receives ${writers} but encrypts with ${kms.join(", ")}: only SSE-S3 (AES256) is supported`, bucket.urn);
            if (!s3Targets.has(bucket)) continue;
            if (peek(() => bucket.props.objectLockEnabled) === true)
                report(`bucket ${bucket.name} receives S3 server access logs but has Object Lock`, bucket.urn);
            if (admitsS3LogDelivery(graph, bucket) === false)
                report(`bucket ${bucket.name}'s policy does not let logging.s3.amazonaws.com PutObject under aws:SourceAccount`, bucket.urn);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// issue #11: database logs and OS metrics, on every database (the DR replica is tomorrow's primary)
// ---------------------------------------------------------------------------------------------

/** The log exports a database must have, by engine (a replica carries no engine: it is prod's, PostgreSQL). */
const REQUIRED_EXPORTS: Record<string, string[]> = { postgres: ["postgresql"], mysql: ["error", "audit"], mariadb: ["error", "audit"] };

export const rdsMonitoring = stackGuardrail({
    name: "rds-monitoring-and-log-exports",
    description:
        "Every RDS instance has Enhanced Monitoring (interval > 0, a monitoring role) and exports its engine log to CloudWatch, into a pre-created CMK-encrypted log group.",
    remediation:
        "Set monitoringInterval, monitoringRoleArn and enabledCloudwatchLogsExports ['postgresql', 'upgrade'], and create /aws/rds/instance/<identifier>/<log> with kmsKeyId and retentionInDays before the instance (components/data/postgresMonitoring.ts).",
    concern: "audit",
    seed: "4.3, 3.2",
    why: "Database logs are the SOC's record of connections and failed logins; a DR replica without them is a primary without them after promotion. Without the group RDS creates an unencrypted one that never expires (RDS: publishing database logs to CloudWatch Logs).",
    types: [T.rds, T.logGroup],
    check: ({ graph }, report) => {
        const groups = new Map<string, PolicyResource>();
        for (const g of graph.ofType(T.logGroup)) {
            const n = peek(() => g.props.name);
            if (typeof n === "string") groups.set(n, g);
        }
        for (const db of graph.ofType(T.rds)) {
            const interval = peek(() => db.props.monitoringInterval);
            if (interval !== UNKNOWN && !(Number(interval) > 0))
                report(`database ${db.name} has no Enhanced Monitoring (monitoringInterval ${interval ?? "unset"})`, db.urn);
            else if (!isSet(db.props, "monitoringRoleArn")) report(`database ${db.name} has a monitoring interval but no monitoringRoleArn`, db.urn);
            const exports = peek(() => db.props.enabledCloudwatchLogsExports as string[] | undefined);
            if (exports === UNKNOWN) continue;
            const engine = peek(() => db.props.engine);
            const required = REQUIRED_EXPORTS[typeof engine === "string" ? engine.replace(/^aurora-/, "") : "postgres"] ?? [];
            const missing = required.filter((e) => !asArray(exports).includes(e));
            if (missing.length > 0) report(`database ${db.name} does not export ${missing.join(", ")} logs to CloudWatch`, db.urn);
            const identifier = peek(() => db.props.identifier);
            if (typeof identifier !== "string") continue;
            for (const log of asArray(exports)) {
                const group = groups.get(`/aws/rds/instance/${identifier}/${log}`);
                if (!group)
                    report(
                        `database ${db.name}: no pre-created log group /aws/rds/instance/${identifier}/${log} (RDS would create it unencrypted, kept forever)`,
                        db.urn,
                    );
                else if (!isSet(group.props, "kmsKeyId")) report(`database ${db.name}: log group ${group.name} is not encrypted with a CMK`, group.urn);
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------
// issue #11: the audit trail's second copy, in another region, under COMPLIANCE
// ---------------------------------------------------------------------------------------------

const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

/** A bucket's region: its own `region` prop, else its provider's (UNKNOWN-safe: undefined if neither is known). */
function regionOf(r: PolicyResource): string | undefined {
    const own = peek(() => r.props.region);
    if (typeof own === "string" && own !== "") return own;
    const fromProvider = r.provider ? peek(() => r.provider!.props.region) : undefined;
    return typeof fromProvider === "string" ? fromProvider : undefined;
}

export const auditCopy = stackGuardrail({
    name: "audit-trail-cross-region-copy",
    description:
        "Every CloudTrail bucket replicates (an enabled rule) to a bucket in another region with Object Lock default retention in COMPLIANCE mode, and does not itself lock its files in GOVERNANCE mode (replicas keep the source's retention).",
    remediation: "Set audit.copyRegion (the DR region) so AuditTrail creates the COMPLIANCE copy and its replication (components/security/auditCopy.ts).",
    concern: "audit",
    seed: "4.3, 9",
    why: "Governance mode yields to anyone with s3:BypassGovernanceRetention, and one region is one blast radius: only a COMPLIANCE copy elsewhere keeps the evidence from a privileged or regional incident (S3 Object Lock retention modes).",
    types: [T.trail, T.bucket, REPLICATION, OBJECT_LOCK],
    check: ({ graph }, report) => {
        for (const trail of graph.ofType(T.trail)) {
            for (const bucket of graph.refs(trail, "s3BucketName", T.bucket)) {
                const rules = graph.referrers(bucket, [REPLICATION], "bucket").filter((rc) => {
                    const rs = peek(() => rc.props.rules as Record<string, any>[] | undefined);
                    return rs === UNKNOWN || asArray(rs).some((r) => r?.status === "Enabled");
                });
                const copies = rules.flatMap((rc) => graph.refs(rc, "rules", T.bucket)).filter((b) => b !== bucket);
                if (copies.length === 0) {
                    report(`trail ${trail.name}'s bucket ${bucket.name} is not replicated to a second copy`, bucket.urn);
                    continue;
                }
                const good = copies.filter((copy) => {
                    const sameRegion = regionOf(copy) !== undefined && regionOf(copy) === regionOf(bucket);
                    const compliance = graph
                        .referrers(copy, [OBJECT_LOCK], "bucket")
                        .some((l) => peek(() => (l.props.rule as Record<string, any> | undefined)?.defaultRetention?.mode) === "COMPLIANCE");
                    return !sameRegion && peek(() => copy.props.objectLockEnabled) === true && compliance;
                });
                if (good.length === 0)
                    report(
                        `trail ${trail.name}'s copy ${copies.map((c) => c.name).join(", ")} is not in another region under Object Lock COMPLIANCE`,
                        bucket.urn,
                    );
                // S3 replicates an object's retention with it: a source default of GOVERNANCE gives every replica GOVERNANCE,
                // and the copy's COMPLIANCE default applies only to objects that arrive without one.
                const sourceModes = graph
                    .referrers(bucket, [OBJECT_LOCK], "bucket")
                    .map((l) => peek(() => (l.props.rule as Record<string, any> | undefined)?.defaultRetention?.mode));
                if (sourceModes.includes("GOVERNANCE"))
                    report(
                        `trail ${trail.name}'s bucket ${bucket.name} locks its files in GOVERNANCE mode: replicas keep the source's retention, so the copy is bypassable too`,
                        bucket.urn,
                    );
            }
        }
    },
});

export const auditPolicies: Guardrail[] = [
    cloudTrail,
    vpcFlowLogs,
    eksLogs,
    albAccessLogs,
    logRetention,
    s3AccessLogging,
    logTargetBuckets,
    rdsMonitoring,
    auditCopy,
];
