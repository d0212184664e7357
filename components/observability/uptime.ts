/**
 * Uptime step (seed 6, SLA reporting): a Route53 HTTPS health check of this stack's own entry point and its
 * alarm, in the region Route53 publishes the check's metrics to.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_PORT } from "../../model/ports";
import { ROUTE53_METRICS_REGION } from "./alerting";

export interface UptimeArgs {
    /** The citizen-facing name the check reports on (its alarm and tag). */
    readonly publicHostname: string;
    /**
     * The name the checkers connect to: one this stack creates (prod: its ALB's DNS name). The public hostname's
     * record belongs to the dr stack (the GSLB), so probing it from prod alarmed from day one, before dr existed.
     */
    readonly probeFqdn: pulumi.Input<string>;
    readonly healthCheckPath: string;
    /** A topic in ROUTE53_METRICS_REGION. */
    readonly alertTopicArn: pulumi.Input<string>;
}

export interface Uptime {
    readonly healthCheck: aws.route53.HealthCheck;
}

export function createUptime(parent: pulumi.ComponentResource, name: string, args: UptimeArgs): Uptime {
    // SLA reporting: an outside-in HTTPS check from several regions, the number the 99.9% is judged by.
    const healthCheck = new aws.route53.HealthCheck(
        `${name}-uptime`,
        {
            type: "HTTPS",
            fqdn: args.probeFqdn,
            // The ALB's listener for Route53's checkers: they cannot negotiate the citizen listener's TLS 1.3 (components/app/edge.ts).
            port: HEALTH_CHECK_PORT,
            resourcePath: args.healthCheckPath,
            enableSni: true,
            requestInterval: 30,
            failureThreshold: 3,
            measureLatency: true,
            regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
            tags: { Name: `${args.publicHostname} uptime` },
        },
        { parent },
    );
    new aws.cloudwatch.MetricAlarm(
        `${name}-uptime`,
        {
            region: ROUTE53_METRICS_REGION,
            alarmDescription: `${args.publicHostname} failed its synthetic check (SLA 99.9%)`,
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: healthCheck.id },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: 2,
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            treatMissingData: "breaching",
            alarmActions: [args.alertTopicArn],
            okActions: [args.alertTopicArn],
        },
        { parent },
    );
    return { healthCheck };
}
