/**
 * Dashboards step: the Amazon Managed Grafana workspace (AWS SSO, customer-managed permissions) and its IAM role.
 *
 * Prerequisite (account level, not created here): `authenticationProviders: ["AWS_SSO"]` needs IAM Identity Center
 * enabled for the account (an organization instance, or an account instance) before the workspace is created; without
 * it CreateWorkspace fails. See https://docs.aws.amazon.com/grafana/latest/userguide/authentication-in-AMG-SSO.html and
 * docs/deployability.md.
 */
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
    /**
     * The topic Grafana's SNS notifications publish to, and its CMK: with customer-managed permissions the workspace role
     * itself needs sns:Publish (and the key) for `notificationDestinations: ["SNS"]` to deliver anything.
     * @see https://docs.aws.amazon.com/grafana/latest/userguide/AMG-manage-permissions.html
     */
    readonly alertTopicArn: pulumi.Output<string>;
    readonly alertKeyArn: pulumi.Output<string>;
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
            policy: pulumi
                .all([args.prometheusWorkspaceArn, args.keyArn, args.alertTopicArn, args.alertKeyArn])
                .apply(([workspaceArn, keyArn, topicArn, alertKeyArn]) =>
                    policyJson([
                        {
                            Effect: "Allow",
                            Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata", "aps:DescribeWorkspace"],
                            Resource: workspaceArn,
                        },
                        // ListWorkspaces supports no resource-level permissions (Service Authorization Reference, Amazon Managed
                        // Service for Prometheus: resource type "*"); it reveals workspace names only.
                        { Effect: "Allow", Action: "aps:ListWorkspaces", Resource: "*" },
                        // SNS notification channel: publish to the alert topic, encrypting with its key.
                        { Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
                        { Effect: "Allow", Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: alertKeyArn },
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
