/**
 * Audit to the SOC (seed 4.3, 6, 9): CloudTrail, VPC flow logs, EKS control-plane logs,
 * ALB access logs, and log retention long enough for an investigation.
 */
import { Guardrail, T, UNKNOWN, asArray, isSet, peek, resourceGuardrail, stackGuardrail } from "./lib";

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

export const auditPolicies: Guardrail[] = [cloudTrail, vpcFlowLogs, eksLogs, albAccessLogs, logRetention];
