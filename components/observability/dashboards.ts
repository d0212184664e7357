/** Dashboards step: the Amazon Managed Grafana workspace (AWS SSO, customer-managed permissions) and its IAM role. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { stackResourceName } from "../../model/names";

export interface DashboardsArgs {
    readonly stack: string;
    readonly accountId: pulumi.Input<string>;
    /** The Prometheus workspace Grafana queries. */
    readonly prometheusWorkspaceArn: pulumi.Output<string>;
    /** The telemetry CMK, which Grafana decrypts with. */
    readonly keyArn: pulumi.Output<string>;
}

export interface Dashboards {
    readonly workspace: aws.grafana.Workspace;
}

export function createDashboards(parent: pulumi.ComponentResource, name: string, args: DashboardsArgs): Dashboards {
    // Dashboards: Grafana reads Prometheus, CloudWatch and X-Ray through a role scoped to them.
    const grafanaRole = new aws.iam.Role(
        `${name}-grafana`,
        {
            description: "Amazon Managed Grafana: read metrics, logs and traces",
            assumeRolePolicy: pulumi
                .output(args.accountId)
                .apply((id) => policyJson([trust({ Service: "grafana.amazonaws.com" }, "sts:AssumeRole", sourceAccount(id))])),
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonGrafanaCloudWatchAccess"],
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-grafana`,
        {
            role: grafanaRole.id,
            policy: pulumi.all([args.prometheusWorkspaceArn, args.keyArn]).apply(([workspaceArn, keyArn]) =>
                policyJson([
                    { Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"], Resource: workspaceArn },
                    { Effect: "Allow", Action: ["aps:ListWorkspaces", "aps:DescribeWorkspace"], Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: [
                            "xray:BatchGetTraces",
                            "xray:GetTraceSummaries",
                            "xray:GetTraceGraph",
                            "xray:GetGroups",
                            "xray:GetTimeSeriesServiceStatistics",
                            "xray:GetInsightSummaries",
                            "xray:GetInsight",
                            "xray:GetServiceGraph",
                        ],
                        Resource: "*",
                    },
                    { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
                ]),
            ),
        },
        { parent },
    );
    const workspace = new aws.grafana.Workspace(
        `${name}-dashboards`,
        {
            name: stackResourceName(args.stack),
            description: "Unified monitoring across the hybrid and DR sites",
            accountAccessType: "CURRENT_ACCOUNT",
            authenticationProviders: ["AWS_SSO"],
            permissionType: "CUSTOMER_MANAGED",
            roleArn: grafanaRole.arn,
            dataSources: ["PROMETHEUS", "CLOUDWATCH", "XRAY"],
            notificationDestinations: ["SNS"],
        },
        { parent },
    );
    return { workspace };
}
