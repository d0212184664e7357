/**
 * Edge (seed 1.4): AWS WAF in front of every internet-facing entry point, with the SQLi
 * and common (XSS) managed rule groups and a rate-based rule.
 */
import { PolicyResource } from "@pulumi/policy";
import { Guardrail, T, UNKNOWN, asArray, isSet, peek, providerDefaultTags, resourceGuardrail, stackGuardrail } from "./lib";

const REQUIRED_GROUPS = ["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesCommonRuleSet"];

/** What a Web ACL lacks (empty if it blocks SQLi, XSS and floods). */
export function webAclGaps(acl: { props: Record<string, any> }): string[] {
    const rules = peek(() => acl.props.rules as Record<string, any>[] | undefined);
    if (rules === UNKNOWN) return [];
    const gaps: string[] = [];
    for (const group of REQUIRED_GROUPS) {
        const rule = asArray(rules).find((r) => peek(() => r.statement?.managedRuleGroupStatement?.name) === group);
        if (!rule) gaps.push(`managed rule group ${group}`);
        else if (peek(() => rule.overrideAction?.count) !== undefined) gaps.push(`${group} in count mode (overrideAction.count)`);
    }
    if (!asArray(rules).some((r) => peek(() => r.statement?.rateBasedStatement) !== undefined && peek(() => r.action?.block) !== undefined))
        gaps.push("a blocking rate-based rule");
    return gaps;
}

export const webAclRules = resourceGuardrail({
    name: "waf-managed-rules",
    description: "WAFv2 web ACLs block with the SQLi and Common (XSS) AWS managed rule groups and a rate-based rule.",
    remediation:
        "Add rules with managedRuleGroupStatement AWSManagedRulesSQLiRuleSet and AWSManagedRulesCommonRuleSet (overrideAction none) and a rateBasedStatement with action block.",
    concern: "edge",
    seed: "1.4",
    why: "Seed 1.4: AWS WAF at the edge mitigates SQLi and XSS; the rate rule blunts credential stuffing and floods.",
    types: [T.webAcl],
    check: ({ props }, report) => {
        for (const gap of webAclGaps({ props })) report(`missing ${gap}`);
    },
});

const isInternetFacingIngress = (r: PolicyResource) => peek(() => r.props.metadata?.annotations?.["alb.ingress.kubernetes.io/scheme"]) === "internet-facing";

export const wafOnEdge = stackGuardrail({
    name: "waf-on-internet-facing",
    description: "Every internet-facing ALB and ALB ingress is associated with a WAFv2 web ACL that passes waf-managed-rules.",
    remediation:
        "Add an aws.wafv2.WebAclAssociation (resourceArn: the ALB, webAclArn: the ACL); for an Ingress, annotate alb.ingress.kubernetes.io/wafv2-acl-arn.",
    concern: "edge",
    seed: "1.4",
    why: "Any path from the internet that bypasses the WAF bypasses the SQLi/XSS protection the seed promises.",
    types: [T.lb, T.webAclAssoc, T.webAcl, T.ingress],
    check: ({ graph }, report) => {
        for (const lb of graph.ofType(T.lb)) {
            if (peek(() => lb.props.internal) === true) continue;
            const type = peek(() => lb.props.loadBalancerType);
            if (type !== undefined && type !== "application" && type !== UNKNOWN) continue;
            const assocs = graph.referrers(lb, [T.webAclAssoc], "resourceArn");
            if (assocs.length === 0) {
                report(`internet-facing load balancer ${lb.name} has no WAFv2 web ACL association`, lb.urn);
                continue;
            }
            const acls = assocs.flatMap((a) => graph.refs(a, "webAclArn", T.webAcl));
            if (acls.length > 0 && acls.every((acl) => webAclGaps(acl).length > 0))
                report(`load balancer ${lb.name}: its web ACL lacks ${webAclGaps(acls[0]).join(", ")}`, lb.urn);
        }
        for (const ing of graph.ofType(T.ingress)) {
            if (!isInternetFacingIngress(ing)) continue;
            const annotations = (peek(() => ing.props.metadata?.annotations) ?? {}) as Record<string, unknown>;
            if (!isSet(annotations, "alb.ingress.kubernetes.io/wafv2-acl-arn"))
                report(`internet-facing ingress ${ing.name} has no alb.ingress.kubernetes.io/wafv2-acl-arn annotation`, ing.urn);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// issue #11: the body-size exception for uploads and WAF logging
// ---------------------------------------------------------------------------------------------

const WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const COMMON_GROUP = "AWSManagedRulesCommonRuleSet";
const BODY_SIZE_RULE = "SizeRestrictions_BODY";
const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** True if a statement (or one nested in and/or/not) matches the label. */
function matchesLabel(statement: unknown, label: string): boolean {
    const st = statement as Record<string, any> | undefined;
    if (!st || typeof st !== "object") return false;
    if (st.labelMatchStatement?.key === label && st.labelMatchStatement?.scope === "LABEL") return true;
    const nested = [...asArray(st.andStatement?.statements), ...asArray(st.orStatement?.statements)];
    // A label under a not statement is the opposite of a match on it.
    return nested.some((s) => matchesLabel(s, label));
}

/** What the web ACL's handling of SizeRestrictions_BODY lacks (empty if uploads pass and large bodies elsewhere are blocked). */
export function bodySizeGaps(props: Record<string, any>): string[] {
    const rules = peek(() => props.rules as Record<string, any>[] | undefined);
    if (rules === UNKNOWN) return [];
    const common = asArray(rules).find((r) => peek(() => r.statement?.managedRuleGroupStatement?.name) === COMMON_GROUP);
    if (!common) return [];
    const overrides = asArray(peek(() => common.statement.managedRuleGroupStatement.ruleActionOverrides) as Record<string, any>[] | undefined);
    const counted = overrides.some((o) => o?.name === BODY_SIZE_RULE && o?.actionToUse?.count !== undefined);
    if (!counted) return [`${COMMON_GROUP} blocks every body over 8 KB (${BODY_SIZE_RULE} not overridden to count): document uploads fail`];
    const compensated = asArray(rules).some(
        (r) => r !== common && Number(r.priority) > Number(common.priority) && r.action?.block !== undefined && matchesLabel(r.statement, BODY_SIZE_LABEL),
    );
    return compensated
        ? []
        : [`${BODY_SIZE_RULE} counts, but no later rule blocks on its label ${BODY_SIZE_LABEL}: bodies over 8 KB pass uninspected everywhere`];
}

export const wafBodySize = resourceGuardrail({
    name: "waf-body-size-exception",
    description:
        "A web ACL with the Common rule set overrides SizeRestrictions_BODY to count and blocks on its label in a later rule (except on the upload paths), never just one of the two.",
    remediation:
        "In the CommonRuleSet statement set ruleActionOverrides [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }], and add a later blocking rule: labelMatchStatement awswaf:managed:aws:core-rule-set:SizeRestrictions_Body AND NOT the upload paths (components/app/waf.ts).",
    concern: "edge",
    seed: "1.4",
    why: "Behind an ALB WAF inspects only 8 KB of a body: the managed rule blocks every upload, and counting it without the label rule lets any large body through uninspected (AWS WAF API Body; baseline rule groups).",
    types: [T.webAcl],
    check: ({ props }, report) => {
        for (const gap of bodySizeGaps(props)) report(gap);
    },
});

/** Headers whose values must never reach the WAF log (credentials and the session). */
export const WAF_MUST_REDACT = ["authorization", "cookie"];

export const wafLogging = stackGuardrail({
    name: "waf-logging",
    description: "Every WAFv2 web ACL logs to a destination named aws-waf-logs-* and redacts the authorization and cookie headers.",
    remediation:
        "Add an aws.wafv2.WebAclLoggingConfiguration (resourceArn: the ACL) to a log group named aws-waf-logs-..., with redactedFields singleHeader authorization and cookie (components/app/waf.ts).",
    concern: "edge",
    seed: "1.4, 4.3",
    why: "Without WAF logs the SOC cannot see what the edge blocked or let through; AWS refuses a destination not named aws-waf-logs-* (WAF API LoggingConfiguration), and an unredacted log holds citizens' session cookies.",
    types: [T.webAcl, WEB_ACL_LOGGING, T.logGroup],
    check: ({ graph }, report) => {
        for (const acl of graph.ofType(T.webAcl)) {
            const configs = graph.referrers(acl, [WEB_ACL_LOGGING], "resourceArn");
            if (configs.length === 0) {
                report(`web ACL ${acl.name} has no WebAclLoggingConfiguration`, acl.urn);
                continue;
            }
            for (const cfg of configs) {
                for (const group of graph.refs(cfg, "logDestinationConfigs", T.logGroup)) {
                    const name = peek(() => group.props.name);
                    if (typeof name === "string" && !name.startsWith("aws-waf-logs-"))
                        report(`web ACL ${acl.name} logs to log group ${name}: AWS WAF accepts only names starting with aws-waf-logs-`, cfg.urn);
                }
                const fields = peek(() => cfg.props.redactedFields as Record<string, any>[] | undefined);
                if (fields === UNKNOWN) continue;
                const redacted = asArray(fields).map((f) => String(f?.singleHeader?.name ?? "").toLowerCase());
                const missing = WAF_MUST_REDACT.filter((h) => !redacted.includes(h));
                if (missing.length > 0) report(`web ACL ${acl.name}'s log does not redact ${missing.join(", ")}`, cfg.urn);
            }
        }
    },
});

// issue #11 (finding 16): one owner for each ACM DNS validation record.
const ROUTE53_RECORD = "aws:route53/record:Record";
const ACM_CERTIFICATE = "aws:acm/certificate:Certificate";
/** ACM's validation CNAMEs point into its own domain. */
const ACM_VALIDATION_TARGET = /\.acm-validations\.aws\.?$/;

/**
 * Whether a Route53 record is an ACM DNS validation record: its value is ACM's (an update), or its name,
 * type or value come from a certificate's domain validation options (URN dependencies: preview).
 */
export function isAcmValidationRecord(record: PolicyResource): boolean {
    // Element by element: in preview a value computed from a certificate is unknown (reading it throws).
    const length = peek(() => asArray(record.props.records as unknown[] | undefined).length);
    for (let i = 0; typeof length === "number" && i < length; i++) {
        const value = peek(() => (record.props.records as unknown[])[i]);
        if (typeof value === "string" && ACM_VALIDATION_TARGET.test(value)) return true;
    }
    return ["name", "records"].some((key) => (record.propertyDependencies[key] ?? []).some((d) => d.type === ACM_CERTIFICATE));
}

/**
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html ("created specifically for your domain and
 *      your account"; "the CNAME validation token works for any AWS Region"; renewal "as long as ... your CNAME record remains")
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-renewal-validation.html (renewal needs every CNAME present)
 */
export const acmValidationRecordOwner = stackGuardrail({
    name: "acm-validation-record-single-owner",
    description:
        "An ACM DNS validation record has one owner: it is created without allowOverwrite, and (where the provider's role tag says) only by the account's bootstrap stack.",
    remediation:
        "Remove allowOverwrite from the Route53 record. Create the hostname's validation record once per account, in the bootstrap stack (components/bootstrap/certificateValidation.ts), and validate prod's and dr's certificates against its FQDN (bootstrap output certificateValidationRecordFqdns).",
    concern: "deployability",
    seed: "4.2 (TLS), 3 (DR), issue #11 finding 16",
    why: "ACM gives every certificate for a name in one account the same CNAME in every region and renews only while it stays in DNS (ACM User Guide, DNS validation; Renewal for domains validated by DNS): a record taken over with allowOverwrite, or owned by prod or dr, is deleted by that stack's destroy and the other stack's certificate silently stops renewing.",
    types: [ROUTE53_RECORD, ACM_CERTIFICATE],
    check: ({ graph }, report) => {
        for (const record of graph.ofType(ROUTE53_RECORD)) {
            if (!isAcmValidationRecord(record)) continue;
            if (peek(() => record.props.allowOverwrite) === true)
                report(
                    `ACM validation record ${record.name} sets allowOverwrite: it takes over a record another stack owns, and either destroy deletes it`,
                    record.urn,
                );
            const role = record.provider ? providerDefaultTags(record.provider.props).role : undefined;
            if (role !== undefined && role !== "bootstrap")
                report(
                    `ACM validation record ${record.name} is created by a ${role} stack: its destroy would stop every other stack's certificate for the name renewing`,
                    record.urn,
                );
        }
    },
});

export const edgePolicies: Guardrail[] = [webAclRules, wafOnEdge, wafBodySize, wafLogging, acmValidationRecordOwner];

// ---------------------------------------------------------------------------------------------
// issue #12: no hop carries plaintext (the ALB to the pods)
// ---------------------------------------------------------------------------------------------

const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";

/**
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-routing-configuration
 *      ("The load balancer does not validate these certificates. Therefore, you can use self-signed certificates")
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export const httpsTargetGroups = resourceGuardrail({
    name: "alb-target-group-https",
    description: "In production, ALB target groups forward to their targets over HTTPS and health-check them over HTTPS.",
    remediation:
        "Set the target group's protocol 'HTTPS' and healthCheck.protocol 'HTTPS' (components/app/edge.ts), and serve TLS on the target port (a self-signed certificate is enough: the ALB does not validate it).",
    concern: "edge",
    seed: "4.2, 4.3, issue #12",
    why: "Seed 4.2 asks for TLS on internal hops too: an HTTP target group sends citizens' decrypted requests in plaintext from the ALB to the pods. AWS accepts HTTPS targets with self-signed certificates (ELB User Guide, Target groups: routing configuration), so nothing forces plaintext.",
    types: [TARGET_GROUP],
    check: ({ props, environment }, report) => {
        if (environment !== "production") return;
        const protocol = peek(() => props.protocol);
        if (protocol === "HTTP") report("protocol is HTTP: requests reach the targets in plaintext");
        const check = peek(() => props.healthCheck?.protocol);
        if (protocol === "HTTPS" && check === "HTTP") report("healthCheck.protocol is HTTP while the target group is HTTPS");
    },
});

edgePolicies.push(httpsTargetGroups);
