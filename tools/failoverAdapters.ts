/**
 * The real ports of the failover: the dr stack through the Pulumi Automation API (needs the Pulumi CLI
 * and the stack's backend), and CloudWatch metrics through the AWS SDK (needs AWS credentials).
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeSecretCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { createInterface } from "node:readline/promises";
import { REPO_ROOT } from "./offline";
import { policyPackOptions } from "./policyPackOptions";
import { ChangeSummary, FailoverMetrics, FailoverWorkspace } from "./failover";

export async function automationWorkspace(stackName: string): Promise<FailoverWorkspace> {
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: REPO_ROOT });
    const onOutput = (out: string) => process.stdout.write(out);
    // The same pack and stack policy config as every documented preview and up.
    const pack = policyPackOptions(stackName);
    return {
        stackName,
        getConfig: async (key) => (await stack.getAllConfig())[key]?.value,
        setConfig: (key, value) => stack.setConfig(key, { value }),
        removeConfig: (key) => stack.removeConfig(key),
        preview: async () => (await stack.preview({ onOutput, diff: true, ...pack })).changeSummary as ChangeSummary,
        up: async () => ((await stack.up({ onOutput, ...pack })).summary.resourceChanges ?? {}) as ChangeSummary,
        outputs: async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value])),
    };
}

/** The latest datapoint of a metric over the last 15 minutes (1-minute periods), or undefined. */
async function latest(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, stat: string): Promise<number | undefined> {
    const client = new CloudWatchClient({ region });
    const end = new Date();
    const result = await client.send(
        new GetMetricDataCommand({
            StartTime: new Date(end.getTime() - 15 * 60_000),
            EndTime: end,
            ScanBy: "TimestampDescending",
            MetricDataQueries: [
                {
                    Id: "m",
                    MetricStat: {
                        Metric: {
                            Namespace: namespace,
                            MetricName: metricName,
                            Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
                        },
                        Period: 60,
                        Stat: stat,
                    },
                },
            ],
        }),
    );
    return result.MetricDataResults?.[0]?.Values?.[0];
}

export function cloudWatchMetrics(): FailoverMetrics {
    return {
        replicaLagSeconds: ({ region, dbInstanceIdentifier }) =>
            latest(region, "AWS/RDS", "ReplicaLag", { DBInstanceIdentifier: dbInstanceIdentifier }, "Maximum"),
        replicationLatencySeconds: ({ region, sourceBucket, destinationBucket, ruleId }) =>
            latest(region, "AWS/S3", "ReplicationLatency", { SourceBucket: sourceBucket, DestinationBucket: destinationBucket, RuleId: ruleId }, "Maximum"),
        // Route53 publishes health check metrics in us-east-1 only.
        healthCheckHealthy: async (healthCheckId) => {
            const status = await latest("us-east-1", "AWS/Route53", "HealthCheckStatus", { HealthCheckId: healthCheckId }, "Minimum");
            return status === undefined ? undefined : status >= 1;
        },
        secretState: async ({ region, secretId }) => {
            try {
                const secret = await new SecretsManagerClient({ region }).send(new DescribeSecretCommand({ SecretId: secretId }));
                return { deletionScheduled: secret.DeletedDate !== undefined, primaryRegion: secret.PrimaryRegion };
            } catch (e) {
                if (e instanceof ResourceNotFoundException) return undefined;
                throw e;
            }
        },
    };
}

export async function askOnTerminal(question: string): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
        return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
        rl.close();
    }
}
