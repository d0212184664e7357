/**
 * Uptime step (seed 6, SLA reporting): a Route53 HTTPS health check on the public hostname and its alarm,
 * in the region Route53 publishes the check's metrics to.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HTTPS_PORT } from "../../model/ports";
import { ROUTE53_METRICS_REGION } from "./alerting";

export interface UptimeArgs {
    readonly publicHostname: string;
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
            fqdn: args.publicHostname,
            port: HTTPS_PORT,
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
