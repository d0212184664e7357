import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CustomerKey } from "../security/customerKey";
import { DEFAULTS } from "../../model/defaults";

const SEARCH = DEFAULTS.observability.logSearch;

export interface LogSearchArgs {
    /** VPC of the domain. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ: the domain spreads its nodes across all of them. Required. */
    readonly subnetIds: pulumi.Input<string>[];
    /** CIDRs allowed to ship logs and query on 443 (the private tier). Required. */
    readonly clientCidrs: string[];
    /** Data node instance type. Default "r6g.large.search". */
    readonly instanceType?: string;
    /** Data nodes per AZ. Default 1. */
    readonly dataNodesPerAz?: number;
    /** gp3 volume per data node, GiB. Default 200. */
    readonly volumeGb?: number;
    /** Engine version. Default "OpenSearch_2.19". */
    readonly engineVersion?: string;
    /** Retention of the domain's own logs. Default 365 days. */
    readonly logRetentionDays?: number;
    /** Region, for the CloudWatch Logs service principal. Required. */
    readonly region: string;
}

/**
 * Centralised log search (the seed's ELK stack, as Amazon OpenSearch Service with
 * OpenSearch Dashboards): zone-aware across every AZ with three dedicated masters, in
 * the isolated tier, encrypted at rest with a CMK and node to node, HTTPS only with
 * TLS 1.2+ and forward secrecy, fine-grained access control with an IAM admin role,
 * and its audit and application logs kept in CMK-encrypted log groups for the SOC.
 */
export class LogSearch extends pulumi.ComponentResource {
    readonly domainArn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly adminRoleArn: pulumi.Output<string>;

    constructor(name: string, args: LogSearchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:observability:LogSearch", name, {}, opts);
        const child = { parent: this };
        const azCount = args.subnetIds.length;
        const domainName = `${name}-${pulumi.getStack()}`.slice(0, 28);
        const account = aws.getCallerIdentityOutput({}, child).accountId;
        const key = new CustomerKey(
            name,
            { description: `Log search domain ${domainName} and its logs`, alias: `hybrid-platform/${pulumi.getStack()}/${name}`, serviceGrants: [{ service: `logs.${args.region}.amazonaws.com` }] },
            child,
        );

        const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: "Log search: HTTPS from the private tier only" }, child);
        args.clientCidrs.forEach((cidr, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-https-${i}`,
                { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr, description: "Log shippers and queries from the private tier" },
                child,
            );
        });

        const logTypes = ["AUDIT_LOGS", "ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS"] as const;
        const logGroups = logTypes.map(
            (type) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${type.toLowerCase().replace(/_/g, "-")}`,
                    { name: `/hybrid-platform/${pulumi.getStack()}/${name}/${type.toLowerCase()}`, retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays, kmsKeyId: key.arn },
                    child,
                ),
        );
        const logPolicy = new aws.cloudwatch.LogResourcePolicy(
            name,
            {
                policyName: `${domainName}-logs`,
                policyDocument: pulumi.all([account, ...logGroups.map((g) => g.arn)]).apply(([accountId, ...arns]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "es.amazonaws.com" },
                                Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                                Resource: arns.map((arn) => `${arn}:*`),
                                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                            },
                        ],
                    }),
                ),
            },
            child,
        );

        // Fine-grained access control maps this role to the security admin; humans assume it with MFA.
        const adminRole = new aws.iam.Role(
            `${name}-admin`,
            {
                description: `Security administrator of the ${domainName} log search domain`,
                assumeRolePolicy: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                                Action: "sts:AssumeRole",
                                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
                            },
                        ],
                    }),
                ),
                maxSessionDuration: 3600,
            },
            child,
        );

        const domain = new aws.opensearch.Domain(
            name,
            {
                domainName,
                engineVersion: args.engineVersion ?? SEARCH.engineVersion,
                clusterConfig: {
                    instanceType: args.instanceType ?? SEARCH.instanceType,
                    instanceCount: azCount * (args.dataNodesPerAz ?? SEARCH.dataNodesPerAz),
                    zoneAwarenessEnabled: true,
                    zoneAwarenessConfig: { availabilityZoneCount: azCount },
                    dedicatedMasterEnabled: true,
                    dedicatedMasterCount: 3,
                    dedicatedMasterType: "m6g.large.search",
                },
                ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeGb ?? SEARCH.volumeGb },
                encryptAtRest: { enabled: true, kmsKeyId: key.arn },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
                vpcOptions: { subnetIds: args.subnetIds, securityGroupIds: [sg.id] },
                advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: adminRole.arn } },
                accessPolicies: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                                Action: "es:ESHttp*",
                                Resource: `arn:aws:es:${args.region}:${accountId}:domain/${domainName}/*`,
                            },
                        ],
                    }),
                ),
                logPublishingOptions: logTypes.map((logType, i) => ({ logType, enabled: true, cloudwatchLogGroupArn: logGroups[i].arn })),
                softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
                snapshotOptions: { automatedSnapshotStartHour: 3 },
            },
            { parent: this, dependsOn: [logPolicy] },
        );
        this.domainArn = domain.arn;
        this.endpoint = domain.endpoint;
        this.adminRoleArn = adminRole.arn;
        this.registerOutputs({ domainArn: this.domainArn, endpoint: this.endpoint, adminRoleArn: this.adminRoleArn });
    }
}
