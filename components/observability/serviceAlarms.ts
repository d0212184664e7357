/** Service alarms step: CloudWatch alarms on the managed services named in `targets` (ALB errors, database and cache CPU). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { filled } from "../../model/metricMath";
import { AlarmTargets } from "./observabilityArgs";

export interface ServiceAlarmsArgs {
    readonly targets: AlarmTargets;
    readonly cpuPercent: number;
    readonly errorRatePercent: number;
    /** The regional alert topic. */
    readonly alertTopicArn: pulumi.Input<string>;
}

/** The alarms created, by target; absent where the target is not given. */
export interface ServiceAlarms {
    readonly requestErrors?: aws.cloudwatch.MetricAlarm;
    readonly databaseCpu?: aws.cloudwatch.MetricAlarm;
    readonly cacheCpu?: aws.cloudwatch.MetricAlarm;
}

export function createServiceAlarms(parent: pulumi.ComponentResource, name: string, args: ServiceAlarmsArgs): ServiceAlarms {
    const { targets, alertTopicArn } = args;
    const cpu = args.cpuPercent;
    const errorRate = args.errorRatePercent;
    const alarm = (id: string, description: string, alarmArgs: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
        new aws.cloudwatch.MetricAlarm(
            `${name}-${id}`,
            {
                alarmDescription: description,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [alertTopicArn],
                okActions: [alertTopicArn],
                ...alarmArgs,
            },
            { parent },
        );
    const alarms: { -readonly [K in keyof ServiceAlarms]: ServiceAlarms[K] } = {};
    if (targets.loadBalancerArnSuffix) {
        alarms.requestErrors = alarm("request-errors", `More than ${errorRate}% of requests fail at the load balancer`, {
            threshold: errorRate,
            metricQueries: [
                // Every count FILLed: ALB publishes a count only when it is non-zero, and an expression over a missing one has no value (never alarms).
                {
                    id: "rate",
                    expression: `100 * (${filled("target5xx")} + ${filled("elb5xx")}) / MAX([${filled("requests")}, 1])`,
                    label: "error rate %",
                    returnData: true,
                },
                ...(
                    [
                        ["target5xx", "HTTPCode_Target_5XX_Count"],
                        ["elb5xx", "HTTPCode_ELB_5XX_Count"],
                        ["requests", "RequestCount"],
                    ] as const
                ).map(([id, metricName]) => ({
                    id,
                    returnData: false,
                    metric: {
                        namespace: "AWS/ApplicationELB",
                        metricName,
                        dimensions: { LoadBalancer: targets.loadBalancerArnSuffix! },
                        period: 60,
                        stat: "Sum",
                    },
                })),
            ],
        });
    }
    if (targets.databaseIdentifier) {
        alarms.databaseCpu = alarm("database-cpu", `Database CPU above ${cpu}%`, {
            namespace: "AWS/RDS",
            metricName: "CPUUtilization",
            dimensions: { DBInstanceIdentifier: targets.databaseIdentifier },
            statistic: "Average",
            period: 300,
            threshold: cpu,
        });
    }
    if (targets.cacheReplicationGroupId) {
        alarms.cacheCpu = alarm("cache-cpu", `Cache engine CPU above ${cpu}%`, {
            namespace: "AWS/ElastiCache",
            metricName: "EngineCPUUtilization",
            dimensions: { ReplicationGroupId: targets.cacheReplicationGroupId },
            statistic: "Maximum",
            period: 300,
            threshold: cpu,
        });
    }
    return alarms;
}
