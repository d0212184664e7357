/**
 * The WAF in front of the ALB: AWS managed rule groups (IP reputation, common/XSS, known bad
 * inputs, SQLi) and a per-IP rate limit, associated with the load balancer; the common rule set's
 * body-size rule relaxed only on the upload paths (model/waf.ts), and every request logged to a
 * CMK-encrypted log group with credentials redacted.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import { BODY_SIZE_LABEL, BODY_SIZE_RULE, greaterThanPattern, pathPrefixPattern } from "../../model/waf";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { StepScope } from "./step";

export interface WafArgs extends StepScope {
    /** Requests per client IP per 5 minutes before blocking. */
    readonly rateLimit: number;
    readonly albArn: pulumi.Input<string>;
    /** The stack's region and account: the log group's key admits CloudWatch Logs of this region only. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** URI path prefixes that accept bodies over the 8 KB the ALB lets WAF inspect (document uploads). */
    readonly uploadPaths: readonly string[];
    /** Largest Content-Length accepted on the upload paths, bytes. */
    readonly maxUploadBytes: number;
    /** Days the WAF's request log is kept. @default 365 */
    readonly logRetentionDays?: number;
}

/** Headers never written to the WAF log: the session cookie, bearer tokens, the CSRF token. */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie", "x-csrftoken"];

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

const managed = (priority: number, ruleName: string, countRules: string[] = []) => ({
    name: ruleName,
    priority,
    overrideAction: { none: {} },
    statement: {
        managedRuleGroupStatement: {
            vendorName: "AWS",
            name: ruleName,
            // Count instead of Block for these rules only; they still label the request for the rules after the group.
            ...(countRules.length > 0 ? { ruleActionOverrides: countRules.map((name) => ({ name, actionToUse: { count: {} } })) } : {}),
        },
    },
    visibilityConfig: visibility(ruleName),
});

const uploadPath = (paths: readonly string[]) => ({
    regexMatchStatement: {
        regexString: pathPrefixPattern(paths),
        fieldToMatch: { uriPath: {} },
        textTransformations: [{ priority: 0, type: "URL_DECODE" }],
    },
});

/** The WAF's rules (exported for tests): managed groups, the upload exception, the rate limit. */
export function wafRules(args: Pick<WafArgs, "rateLimit" | "uploadPaths" | "maxUploadBytes">): aws.types.input.wafv2.WebAclRule[] {
    return [
        managed(10, "AWSManagedRulesAmazonIpReputationList"),
        managed(20, "AWSManagedRulesCommonRuleSet", [BODY_SIZE_RULE]),
        {
            // What SizeRestrictions_BODY would have blocked, everywhere but the upload paths.
            name: "body-over-8kb-outside-uploads",
            priority: 21,
            action: { block: {} },
            statement: {
                andStatement: {
                    statements: [
                        { labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_LABEL } },
                        { notStatement: { statement: uploadPath(args.uploadPaths) } },
                    ],
                },
            },
            visibilityConfig: visibility("body-over-8kb-outside-uploads"),
        },
        {
            // The upload paths' own ceiling: WAF cannot read past 8 KB behind an ALB, so it checks the declared length.
            name: "upload-over-limit",
            priority: 22,
            action: { block: {} },
            statement: {
                andStatement: {
                    statements: [
                        uploadPath(args.uploadPaths),
                        {
                            regexMatchStatement: {
                                regexString: greaterThanPattern(args.maxUploadBytes),
                                fieldToMatch: { singleHeader: { name: "content-length" } },
                                textTransformations: [{ priority: 0, type: "NONE" }],
                            },
                        },
                    ],
                },
            },
            visibilityConfig: visibility("upload-over-limit"),
        },
        managed(30, "AWSManagedRulesKnownBadInputsRuleSet"),
        managed(40, "AWSManagedRulesSQLiRuleSet"),
        {
            name: "rate-limit-per-ip",
            priority: 50,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit-per-ip"),
        },
    ];
}

/** The web ACL and its request log (issue #13: the SOC subscribes to the log group). */
export interface Waf {
    readonly webAcl: aws.wafv2.WebAcl;
    readonly logGroup: aws.cloudwatch.LogGroup;
}

export function createWaf(parent: pulumi.ComponentResource, name: string, args: WafArgs): Waf {
    const { stack } = args;
    const webAcl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            name: `${stack}-portal`,
            description: "Citizen portal edge: SQLi, XSS/common, known bad inputs, IP reputation, per-IP rate limit",
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: wafRules(args),
            visibilityConfig: visibility(`${stack}-portal`),
            tags: args.tags,
        },
        { parent },
    );
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: args.albArn, webAclArn: webAcl.arn }, { parent });

    // Logging (seed 4.3): AWS WAF accepts only a destination named aws-waf-logs-*, and adds the log group's resource policy itself.
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    const logKey = new CustomerKey(
        `${name}-waf-logs`,
        {
            description: `WAF request log of ${stack}-portal`,
            purpose: "waf-logs",
            accountId: args.accountId,
            serviceGrants: [logsServiceGrant(args.region, args.accountId)],
            tags: args.tags,
        },
        { parent },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-waf-logs`,
        {
            name: `aws-waf-logs-${stack}-portal`,
            retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
            kmsKeyId: logKey.arn,
            tags: args.tags,
        },
        { parent },
    );
    new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf`,
        {
            resourceArn: webAcl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
        },
        { parent },
    );
    return { webAcl, logGroup };
}
