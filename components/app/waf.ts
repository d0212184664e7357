/**
 * The WAF in front of the ALB: AWS managed rule groups (IP reputation, common/XSS, known bad
 * inputs, SQLi) and a per-IP rate limit, associated with the load balancer.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StepScope } from "./step";

export interface WafArgs extends StepScope {
    /** Requests per client IP per 5 minutes before blocking. */
    readonly rateLimit: number;
    readonly albArn: pulumi.Input<string>;
}

const managed = (priority: number, ruleName: string) => ({
    name: ruleName,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: ruleName } },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: ruleName, sampledRequestsEnabled: true },
});

export function createWaf(parent: pulumi.ComponentResource, name: string, args: WafArgs): aws.wafv2.WebAcl {
    const { stack } = args;
    const webAcl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            name: `${stack}-portal`,
            description: "Citizen portal edge: SQLi, XSS/common, known bad inputs, IP reputation, per-IP rate limit",
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: [
                managed(10, "AWSManagedRulesAmazonIpReputationList"),
                managed(20, "AWSManagedRulesCommonRuleSet"),
                managed(30, "AWSManagedRulesKnownBadInputsRuleSet"),
                managed(40, "AWSManagedRulesSQLiRuleSet"),
                {
                    name: "rate-limit-per-ip",
                    priority: 50,
                    action: { block: {} },
                    statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate-limit-per-ip", sampledRequestsEnabled: true },
                },
            ],
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${stack}-portal`, sampledRequestsEnabled: true },
            tags: args.tags,
        },
        { parent },
    );
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: args.albArn, webAclArn: webAcl.arn }, { parent });
    return webAcl;
}
