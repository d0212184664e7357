/**
 * The deployer's way in (issue #11 finding 2): a CodeBuild-hosted GitHub Actions runner inside the stack's VPC.
 *
 * The EKS endpoint is private-only (the steady state), and the MinIO provider and the on-prem cluster are on the
 * on-prem network: a workstation or a GitHub-hosted runner reaches neither. This runner sits in the private
 * subnets (NAT to GitHub and the AWS APIs, the VPN to on-prem), its security group is admitted to the cluster's
 * API on 443 (AppCluster `apiClientSecurityGroupIds`), and its role is the one that runs `pulumi up`. A workflow job
 * with `runs-on: codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` runs on it.
 *
 * The first `up` is two-phase (README "First deploy of a new account"): phase 1, from a workstation, creates only
 * this component and what it depends on (`dependsOn` the whole NetworkTier, so the NAT routes and the VPN exist
 * before the runner's first job); phase 2 runs on the runner. See docs/first-deploy.md for why this over the
 * alternatives (public endpoint with CIDRs, a bastion, Pulumi Deployments' runners).
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import { policyJson, trust } from "../../model/iam";
import { INTERNET_EGRESS_REASON_TAG, stackLogGroupName } from "../../model/names";
import { validateArgs } from "../argErrors";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { runnerStatements } from "./runnerPolicy";

export interface DeployRunnerArgs {
    /** The stack's account: the trust's confused-deputy guard, the key policy and the ARNs the role is scoped to. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Region of the runner (the stack's). Required. */
    readonly region: string;
    /** Every region the stack deploys to (dr: its own and the primary's); the role may call AWS only there (and us-east-1). @default [region] */
    readonly deployRegions?: string[];
    /** The VPC the runner runs in. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (NAT egress, VPN routes): at least 2, so a build still starts while one AZ is down. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** On-prem networks the runner reaches over the VPN (MinIO, the on-prem cluster's API). @default none */
    readonly onPremCidrs?: string[];
    /**
     * GitHub repository ("owner/repo") whose workflow jobs the runner takes (webhook event WORKFLOW_JOB_QUEUED).
     * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
     */
    readonly githubRepository: string;
    /**
     * CodeConnections connection to GitHub (the bootstrap stack's `githubConnectionArn`): the project's source
     * credential. Without it CodeBuild uses the account's GitHub source credential of this region (which must exist
     * before phase 1: CreateWebhook fails without one).
     * @default the account's source credential
     * @see https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
     */
    readonly githubConnectionArn?: pulumi.Input<string>;
    /** @default BUILD_GENERAL1_MEDIUM (model/defaults.ts `ci.runnerComputeType`) */
    readonly computeType: string;
    /** Build timeout, 5-2160 minutes. @see https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html */
    readonly timeoutMinutes: number;
    /** Days the runner's logs are kept (one of CloudWatch's retention values). @default the platform's log retention, 365 (model/defaults.ts) */
    readonly logRetentionDays?: number;
    /** What must exist before the runner's first job (the NetworkTier: NAT routes, the VPN). @default none */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    readonly tags?: Record<string, string>;
}

/** The AWS-managed CodeBuild image with Node.js 20+ (Pulumi CLI installed by the workflow). */
export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

export class DeployRunner extends pulumi.ComponentResource {
    /** The runner's security group: admitted to the cluster's API (and, on-prem, to MinIO and the cluster there). */
    readonly securityGroupId: pulumi.Output<string>;
    /** The role `pulumi up` runs as on the runner (the EKS cluster's creator, hence its admin). */
    readonly roleArn: pulumi.Output<string>;
    /** The CodeBuild project; workflow jobs say `runs-on: codebuild-<projectName>-${{ github.run_id }}-${{ github.run_attempt }}`. */
    readonly projectName: pulumi.Output<string>;

    constructor(name: string, args: DeployRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`DeployRunner ${name}`, (e) => {
            e.atLeast(args.privateSubnetIds, 2, "privateSubnetIds", "subnets");
            e.check(
                /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(args.githubRepository),
                "githubRepository",
                `${args.githubRepository} is not "owner/repo"`,
            );
            e.integer(args.timeoutMinutes, 5, 2160, "timeoutMinutes");
            e.logRetention(args.logRetentionDays, "logRetentionDays");
        });
        super("hybrid:delivery:DeployRunner", name, {}, opts);
        const stack = pulumi.getStack();
        const tags = args.tags ?? {};
        // Every child waits for what the runner's first job needs; a phase-1 `--target` list is this closure.
        const child = { parent: this, dependsOn: args.dependsOn };
        const account = pulumi.output(args.accountId);
        const projectName = `${stack}-deploy-runner`;
        const roleName = `${stack}-deploy-runner`;
        const logGroupName = stackLogGroupName(stack, name);

        const securityGroup = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: `Deploy runner of ${stack}: HTTPS out (GitHub, AWS APIs, the cluster API) and on-prem over the VPN`,
                // Nothing connects to a runner: it polls GitHub for its job. Its egress is one rule per destination, below.
                tags: { ...tags, Name: `${stack}-deploy-runner` },
            },
            child,
        );

        // GitHub and the public AWS APIs are on the internet: HTTPS only, declared with its reason (policy sg-egress-scoped).
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https`,
            {
                securityGroupId: securityGroup.id,
                description: "GitHub, the AWS APIs and the private EKS endpoint",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
                tags: {
                    ...tags,
                    [INTERNET_EGRESS_REASON_TAG]: "GitHub Actions runner: polls github.com for jobs and calls AWS APIs outside the VPC endpoints",
                },
            },
            child,
        );
        (args.onPremCidrs ?? []).forEach(
            (cidr, i) =>
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-onprem-${i}`,
                    {
                        securityGroupId: securityGroup.id,
                        description: "On-prem (MinIO, the on-prem cluster API) over the VPN",
                        ipProtocol: "tcp",
                        fromPort: 1,
                        toPort: 65535,
                        cidrIpv4: cidr,
                        tags,
                    },
                    child,
                ),
        );

        const logKey = new CustomerKey(
            `${name}-logs`,
            {
                description: `Deploy runner logs of ${stack}`,
                purpose: `${name}/logs`,
                accountId: args.accountId,
                serviceGrants: [logsServiceGrant(args.region, args.accountId)],
                tags,
            },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { name: logGroupName, retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays, kmsKeyId: logKey.arn, tags },
            child,
        );

        const role = new aws.iam.Role(
            name,
            {
                name: roleName,
                description: `Runs pulumi up of ${stack} on the in-VPC deploy runner`,
                // Only CodeBuild, only for this project of this account (confused-deputy guard).
                assumeRolePolicy: account.apply((id) =>
                    policyJson([
                        trust({ Service: "codebuild.amazonaws.com" }, "sts:AssumeRole", {
                            StringEquals: { "aws:SourceAccount": id },
                            ArnLike: { "aws:SourceArn": `arn:aws:codebuild:${args.region}:${id}:project/${projectName}` },
                        }),
                    ]),
                ),
                maxSessionDuration: 3600,
                tags,
            },
            child,
        );
        const subnetArns = pulumi
            .all([account, pulumi.all(args.privateSubnetIds)])
            .apply(([id, subnets]) => subnets.map((s) => `arn:aws:ec2:${args.region}:${id}:subnet/${s}`));
        const rolePolicy = new aws.iam.RolePolicy(
            name,
            {
                role: role.name,
                policy: pulumi.all([account, logGroup.arn, subnetArns, pulumi.output(args.githubConnectionArn)]).apply(([id, logArn, subnets, connection]) =>
                    policyJson(
                        runnerStatements({
                            accountId: id,
                            regions: args.deployRegions ?? [args.region],
                            roleName,
                            logGroupArn: logArn,
                            subnetArns: subnets,
                            connectionArn: connection,
                        }),
                    ),
                ),
            },
            child,
        );

        const project = new aws.codebuild.Project(
            name,
            {
                name: projectName,
                description: `GitHub Actions runner in the VPC of ${stack}: runs pulumi up where the private EKS endpoint and on-prem are reachable`,
                serviceRole: role.arn,
                buildTimeout: args.timeoutMinutes,
                // One deploy at a time: two concurrent `pulumi up`s of one stack would fight over its lock.
                concurrentBuildLimit: 1,
                encryptionKey: logKey.arn,
                source: {
                    type: "GITHUB",
                    location: `https://github.com/${args.githubRepository}.git`,
                    ...(args.githubConnectionArn ? { auth: { type: "CODECONNECTIONS", resource: args.githubConnectionArn } } : {}),
                },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: { type: "LINUX_CONTAINER", computeType: args.computeType, image: RUNNER_IMAGE, imagePullCredentialsType: "CODEBUILD" },
                vpcConfig: { vpcId: args.vpcId, subnets: args.privateSubnetIds, securityGroupIds: [securityGroup.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
                tags,
            },
            // The role's policy first: CodeBuild checks it can place the network interface when the project is created.
            { ...child, dependsOn: [...(args.dependsOn ?? []), rolePolicy] },
        );
        // GitHub's "Workflow jobs" event: each queued job of the repository starts one build that registers as its runner.
        new aws.codebuild.Webhook(
            name,
            { projectName: project.name, buildType: "BUILD", filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }] },
            child,
        );

        this.securityGroupId = securityGroup.id;
        this.roleArn = role.arn;
        this.projectName = project.name;
        this.registerOutputs({ securityGroupId: this.securityGroupId, roleArn: this.roleArn, projectName: this.projectName });
    }
}
