/**
 * Dashboards step: the Amazon Managed Grafana workspace (AWS SSO, customer-managed permissions) and its IAM role.
 *
 * Prerequisite (account level, not created here): `authenticationProviders: ["AWS_SSO"]` needs IAM Identity Center
 * enabled for the account (an organization instance, or an account instance) before the workspace is created; without
 * it CreateWorkspace fails. See https://docs.aws.amazon.com/grafana/latest/userguide/authentication-in-AMG-SSO.html and
 * docs/deployability.md.
 *
 * Dashboards as code (issue #13): the JSON models of model/dashboards.ts, applied through the Grafana provider with a
 * workspace service account token, beside the AMP and CloudWatch data sources they read. Why Grafana and not CloudWatch
 * dashboards, and what the real path needs (the provider plugin, the token's 30-day life): docs/monitoring-rules.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { DashboardInputs, dashboards as dashboardModels, DATASOURCE_UIDS } from "../../model/dashboards";
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
    /** The stack's region (the CloudWatch data source's default). */
    readonly region: string;
    /** The AMP workspace's query endpoint (the Prometheus data source's URL). */
    readonly prometheusEndpoint: pulumi.Output<string>;
    /** What the dashboards show: the SLOs, the DR region. */
    readonly dashboards: Omit<DashboardInputs, "region">;
}

export interface Dashboards {
    readonly workspace: aws.grafana.Workspace;
    /** The dashboards' uids, as Grafana serves them. */
    readonly dashboardUids: readonly string[];
}

/**
 * AMG service account tokens live at most 30 days (CreateWorkspaceServiceAccountToken, secondsToLive); a dashboard change
 * after that needs `pulumi up --replace <token urn>` first (docs/monitoring-rules.md).
 * @see https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspaceServiceAccountToken.html
 */
export const GRAFANA_TOKEN_SECONDS = 30 * 24 * 3600;

/** The Grafana side: a service account token, the provider, the data sources, one folder and the dashboards. */
function createGrafanaContent(parent: pulumi.ComponentResource, name: string, workspace: aws.grafana.Workspace, args: DashboardsArgs): string[] {
    // ADMIN: creating data sources is an admin action in Grafana; the token is the deployment's, never a person's.
    const account = new aws.grafana.WorkspaceServiceAccount(
        `${name}-grafana-deployer`,
        { workspaceId: workspace.id, grafanaRole: "ADMIN", name: "pulumi-deployer" },
        { parent },
    );
    const token = new aws.grafana.WorkspaceServiceAccountToken(
        `${name}-grafana-deployer`,
        { workspaceId: workspace.id, serviceAccountId: account.serviceAccountId, name: "pulumi-deployer", secondsToLive: GRAFANA_TOKEN_SECONDS },
        { parent },
    );
    const provider = new grafana.Provider(`${name}-grafana`, { url: pulumi.interpolate`https://${workspace.endpoint}`, auth: token.key }, { parent });
    const opts = { parent, provider };
    // Both data sources sign with the workspace's IAM role (SigV4), the role above: no stored credential.
    new grafana.oss.DataSource(
        `${name}-grafana-amp`,
        {
            type: "prometheus",
            name: "Amazon Managed Service for Prometheus",
            uid: DATASOURCE_UIDS.prometheus,
            url: args.prometheusEndpoint,
            isDefault: true,
            jsonDataEncoded: JSON.stringify({ httpMethod: "POST", sigV4Auth: true, sigV4AuthType: "ec2_iam_role", sigV4Region: args.region }),
        },
        opts,
    );
    new grafana.oss.DataSource(
        `${name}-grafana-cloudwatch`,
        {
            type: "cloudwatch",
            name: "CloudWatch",
            uid: DATASOURCE_UIDS.cloudwatch,
            jsonDataEncoded: JSON.stringify({ authType: "ec2_iam_role", defaultRegion: args.region }),
        },
        opts,
    );
    const folder = new grafana.oss.Folder(`${name}-grafana-folder`, { title: "Citizen portal", uid: "citizen-portal" }, opts);
    const models = dashboardModels({ ...args.dashboards, region: args.region });
    for (const model of models)
        new grafana.oss.Dashboard(`${name}-dashboard-${model.uid}`, { folder: folder.uid, configJson: JSON.stringify(model), overwrite: true }, opts);
    return models.map((m) => m.uid);
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
    const dashboardUids = createGrafanaContent(parent, name, workspace, args);
    return { workspace, dashboardUids };
}
