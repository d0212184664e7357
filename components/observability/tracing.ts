/** Tracing step: X-Ray encryption with the telemetry CMK, a group of faulty traces with Insights, and a 5% default sampling rule. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TracingArgs {
    readonly stack: string;
    readonly keyArn: pulumi.Input<string>;
}

export interface Tracing {
    /** Traces with a fault or an error, with Insights notifications. */
    readonly faults: aws.xray.Group;
    readonly sampling: aws.xray.SamplingRule;
}

export function createTracing(parent: pulumi.ComponentResource, name: string, args: TracingArgs): Tracing {
    const { stack } = args;
    // Tracing across Django, FastAPI and Celery: X-Ray, encrypted with the CMK.
    new aws.xray.EncryptionConfig(`${name}-traces`, { type: "KMS", keyId: args.keyArn }, { parent });
    const faults = new aws.xray.Group(
        `${name}-faults`,
        {
            groupName: `${stack}-faults`,
            filterExpression: "fault = true OR error = true",
            insightsConfiguration: { insightsEnabled: true, notificationsEnabled: true },
        },
        { parent },
    );
    const sampling = new aws.xray.SamplingRule(
        `${name}-default`,
        {
            ruleName: `${stack}-default`.slice(0, 32),
            priority: 1000,
            reservoirSize: 5,
            fixedRate: 0.05,
            serviceName: "*",
            serviceType: "*",
            host: "*",
            httpMethod: "*",
            urlPath: "*",
            resourceArn: "*",
            version: 1,
        },
        { parent },
    );
    return { faults, sampling };
}
