/**
 * The real ports of the release tool: the stack through the Pulumi Automation API, and one target group's ALB
 * metrics through CloudWatch GetMetricData.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 *      (dimensions TargetGroup + LoadBalancer; counts reported only when non-zero, statistic Sum; TargetResponseTime p99)
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (FILL)
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { filled } from "../model/metricMath";
import type { TrackWindow } from "../model/releaseAnalysis";
import type { ChangeSummary } from "./failover";
import { REPO_ROOT } from "./offline";
import { policyPackOptions } from "./policyPackOptions";
import type { ReleaseMetrics, ReleaseWorkspace } from "./release";

export async function automationWorkspace(stackName: string): Promise<ReleaseWorkspace> {
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: REPO_ROOT });
    const onOutput = (out: string) => process.stdout.write(out);
    // The same pack and stack policy config as every documented preview and up.
    const pack = policyPackOptions(stackName);
    return {
        stackName,
        getConfig: async (key) => (await stack.getAllConfig())[key]?.value,
        setConfigPath: (key, value) => stack.setConfig(key, { value }, true),
        removeConfigPath: (key) => stack.removeConfig(key, true),
        up: async () => ((await stack.up({ onOutput, ...pack })).summary.resourceChanges ?? {}) as ChangeSummary,
        outputs: async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value])),
    };
}

const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);

export function cloudWatchMetrics(): ReleaseMetrics {
    return {
        targetGroupWindow: async ({ region, loadBalancer, targetGroup, startMs, endMs }) => {
            const Dimensions = [
                { Name: "TargetGroup", Value: targetGroup },
                { Name: "LoadBalancer", Value: loadBalancer },
            ];
            const metric = (Id: string, MetricName: string, Stat: string, Period: number): MetricDataQuery => ({
                Id,
                ReturnData: false,
                MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName, Dimensions }, Period, Stat },
            });
            // Whole minutes: ALB publishes every 60 s; a p99 over the whole window needs one period that spans it.
            const windowSeconds = Math.max(60, Math.ceil((endMs - startMs) / 60_000) * 60);
            const queries: MetricDataQuery[] = [
                metric("requests", "RequestCount", "Sum", 60),
                metric("target5xx", "HTTPCode_Target_5XX_Count", "Sum", 60),
                metric("connErrors", "TargetConnectionErrorCount", "Sum", 60),
                { Id: "requestsFilled", Expression: filled("requests"), ReturnData: true },
                { Id: "errorsFilled", Expression: `${filled("target5xx")} + ${filled("connErrors")}`, ReturnData: true },
                { ...metric("p99", "TargetResponseTime", "p99", windowSeconds), ReturnData: true },
            ];
            const result = await new CloudWatchClient({ region }).send(
                new GetMetricDataCommand({ StartTime: new Date(startMs), EndTime: new Date(endMs), MetricDataQueries: queries }),
            );
            const values = (id: string) => result.MetricDataResults?.find((r) => r.Id === id)?.Values;
            const window: TrackWindow = { requests: sum(values("requestsFilled")), errors: sum(values("errorsFilled")), p99Seconds: values("p99")?.[0] };
            return window;
        },
    };
}
