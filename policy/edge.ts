/**
 * Edge (seed 1.4): AWS WAF in front of every internet-facing entry point, with the SQLi
 * and common (XSS) managed rule groups and a rate-based rule.
 */
import { PolicyResource } from "@pulumi/policy";
import { Guardrail, T, UNKNOWN, asArray, isSet, peek, resourceGuardrail, stackGuardrail } from "./lib";

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

export const edgePolicies: Guardrail[] = [webAclRules, wafOnEdge];
