/**
 * Zero trust at the VPC endpoints (issue #12, seed 4.3): every endpoint of a service that honours endpoint policies
 * carries one, and each Allow in it is scoped to this account's principals. AWS's default endpoint policy (none set)
 * admits any principal to any resource of the service, so a foreign credential brought into the VPC could copy data
 * out to its own account's buckets through our endpoint. Rules and pages: model/endpointPolicies.ts.
 */
import { AWS_OWNED_BUCKETS, ENDPOINT_SERVICE_RULES, endpointRule } from "../model/endpointPolicies";
import { PolicyStatementLike, parsePolicy } from "../model/reachabilityEndpoints";
import { Guardrail, UNKNOWN, peek, resourceGuardrail } from "./lib";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Whether an Allow statement names the account its principals must belong to (aws:PrincipalAccount / OrgID, or AWS account principals). */
function scopedToPrincipals(s: PolicyStatementLike): boolean {
    const keys = Object.entries(s.Condition ?? {})
        .filter(([op]) => op.startsWith("StringEquals") || op.startsWith("ArnEquals") || op.startsWith("ArnLike") || op.startsWith("StringLike"))
        .flatMap(([op, k]) => (op.endsWith("IfExists") ? [] : Object.keys(k ?? {}).map((x) => x.toLowerCase())));
    if (keys.some((k) => ["aws:principalaccount", "aws:principalorgid", "aws:principalarn"].includes(k))) return true;
    const p = s.Principal;
    return typeof p === "object" && p !== null && list((p as { AWS?: unknown }).AWS).length > 0 && !list((p as { AWS?: unknown }).AWS).includes("*");
}

/** The two documented exceptions: AWS-owned buckets (reads AWS signs or serves anonymously) and IRSA's unsigned AssumeRoleWithWebIdentity to our roles. */
function documentedException(s: PolicyStatementLike, service: string, region: string): boolean {
    const actions = list(s.Action).map((a) => a.toLowerCase());
    if (service === "s3") {
        const owned = AWS_OWNED_BUCKETS.map((b) => b.arn(region));
        return (
            actions.length > 0 && actions.every((a) => a === "s3:getobject") && list(s.Resource).length > 0 && list(s.Resource).every((r) => owned.includes(r))
        );
    }
    if (service === "sts")
        return (
            actions.length > 0 &&
            actions.every((a) => a === "sts:assumerolewithwebidentity") &&
            Object.entries(s.Condition ?? {}).some(
                ([op, k]) => op === "StringEquals" && Object.keys(k ?? {}).some((x) => x.toLowerCase() === "aws:resourceaccount"),
            )
        );
    return false;
}

export const vpcEndpointPolicyScoped = resourceGuardrail({
    name: "vpc-endpoint-policy-scoped",
    description:
        "Every VPC endpoint of a service that supports endpoint policies has one, and each of its Allow statements is limited to this account's principals (aws:PrincipalAccount), except the AWS-owned buckets and the web-identity call AWS documents.",
    remediation:
        "Build the endpoint's policy with model/endpointPolicies.ts endpointPolicyStatements (components/network/endpoints.ts); a new endpoint service gets a row in ENDPOINT_SERVICE_RULES with the AWS page saying whether it supports endpoint policies.",
    concern: "network-exposure",
    seed: "4.3",
    why:
        "Without a policy an endpoint admits any principal to any resource of the service: a foreign or stolen credential in the VPC can write our data to its own account's bucket through it " +
        "(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html, https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms).",
    types: [VPC_ENDPOINT],
    check: ({ props, environment }, report) => {
        if (environment !== "production") return;
        const serviceName = peek(() => props.serviceName);
        if (typeof serviceName !== "string") return;
        const [, , region, ...rest] = serviceName.split(".");
        const service = rest.join(".");
        const rule = endpointRule(service);
        if (!rule)
            return report(
                `${serviceName}: no row in ENDPOINT_SERVICE_RULES (model/endpointPolicies.ts) says whether it supports endpoint policies; known: ${ENDPOINT_SERVICE_RULES.map((r) => r.service).join(", ")}`,
            );
        if (!rule.supportsPolicy) return;
        const raw = peek(() => props.policy);
        if (raw === UNKNOWN) return;
        const statements = parsePolicy(raw);
        if (statements === undefined) return report(`${serviceName} has AWS's default endpoint policy (full access for any principal): ${rule.page}`);
        if (statements === "unknown") return;
        statements.forEach((s, i) => {
            if (s.Effect !== "Allow" || scopedToPrincipals(s) || documentedException(s, service, region)) return;
            report(
                `${serviceName}: Allow ${s.Sid ?? `statement ${i}`} admits any principal (Principal ${JSON.stringify(s.Principal ?? "*")}, no aws:PrincipalAccount condition)`,
            );
        });
    },
});

export const endpointPolicyPolicies: Guardrail[] = [vpcEndpointPolicyScoped];
