import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../model/cidr";
import { accountRoot, allow, policyJson, sourceAccount, trust } from "../../model/iam";
import { componentId, stackLogGroupName } from "../../model/names";
import { HTTPS_PORT } from "../../model/ports";
import { validateArgs } from "../argErrors";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { DEFAULTS } from "../../model/defaults";

const SEARCH = DEFAULTS.observability.logSearch;

export interface LogSearchArgs {
    /** VPC of the domain. Required. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Isolated subnets, one per AZ: the domain spreads its nodes across all of them, so 2 or 3 (what zone awareness allows). Required.
     * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** CIDRs allowed to ship logs and query on 443 (the private tier): at least one IPv4 CIDR. Required. */
    readonly clientCidrs: string[];
    /**
     * Data node instance type.
     * @default "r6g.large.search"
     * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
     */
    readonly instanceType?: string;
    /** Data nodes per AZ, at least 1. @default 1 */
    readonly dataNodesPerAz?: number;
    /** gp3 volume per data node, GiB, 10 to 16384. @default 200 */
    readonly volumeGb?: number;
    /** Engine version, pinned ("OpenSearch_<major>.<minor>"). @default "OpenSearch_2.19" */
    readonly engineVersion?: string;
    /** Retention of the domain's own logs, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Region, for the CloudWatch Logs service principal and the domain ARN. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the access policy, the admin role's trust and the key policy. Required. */
    readonly accountId: pulumi.Input<string>;
    /**
     * AWSServiceRoleForAmazonOpenSearchService, from the account's bootstrap stack: a VPC domain uses it for
     * its ENIs (OpenSearch would otherwise create it on the fly, with iam:CreateServiceLinkedRole on the
     * deployer), so the domain depends on it.
     * @default none (no dependency: the role exists or the deployer may create it)
     * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr-aos.html
     */
    readonly serviceLinkedRoleArn?: pulumi.Input<string>;
    /**
     * Roles that may assume the security administrator role without MFA: the deploy runner's, which maps the log
     * shippers' roles in the fine-grained access control (logShipping/indexAccess.ts). No new power: a deployer with
     * es:UpdateDomainConfig can name itself master user anyway. Same account: naming the role in the trust policy is
     * enough, no identity policy of its own is needed.
     * @default none (humans only, with MFA)
     * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
     */
    readonly securityAdminPrincipalArns?: pulumi.Input<string>[];
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
        // OpenSearch: 3-28 characters, a lowercase letter first, then lowercase letters, digits and hyphens.
        const domainName = componentId(name, pulumi.getStack()).slice(0, 28);
        validateArgs(`LogSearch ${name}`, (e) => {
            e.check(
                args.subnetIds.length === 2 || args.subnetIds.length === 3,
                "subnetIds",
                `has ${args.subnetIds.length} subnets; zone awareness spans 2 or 3 AZs`,
            );
            e.atLeast(args.clientCidrs, 1, "clientCidrs", "CIDRs (nothing could ship logs)");
            args.clientCidrs.forEach((c, i) => e.check(parseCidr(c) !== undefined, `clientCidrs[${i}]`, `${c} is not an IPv4 CIDR with host bits zero`));
            e.integer(args.dataNodesPerAz, 1, 80, "dataNodesPerAz");
            e.integer(args.volumeGb, 10, 16384, "volumeGb");
            e.logRetention(args.logRetentionDays, "logRetentionDays");
            e.check(
                /^[a-z][a-z0-9-]{2,27}$/.test(domainName),
                "name",
                `makes the domain name ${domainName}, which OpenSearch refuses (a lowercase letter, then 2-27 lowercase letters, digits or hyphens)`,
            );
        });
        super("hybrid:observability:LogSearch", name, {}, opts);
        const child = { parent: this };
        const azCount = args.subnetIds.length;
        const account = pulumi.output(args.accountId);
        const key = new CustomerKey(
            name,
            {
                description: `Log search domain ${domainName} and its logs`,
                purpose: name,
                accountId: args.accountId,
                serviceGrants: [logsServiceGrant(args.region, args.accountId)],
            },
            child,
        );

        const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: "Log search: HTTPS from the private tier only" }, child);
        args.clientCidrs.forEach((cidr, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-https-${i}`,
                {
                    securityGroupId: sg.id,
                    ipProtocol: "tcp",
                    fromPort: HTTPS_PORT,
                    toPort: HTTPS_PORT,
                    cidrIpv4: cidr,
                    description: "Log shippers and queries from the private tier",
                },
                child,
            );
        });

        const logTypes = ["AUDIT_LOGS", "ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS"] as const;
        const logGroups = logTypes.map(
            (type) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${type.toLowerCase().replace(/_/g, "-")}`,
                    {
                        name: stackLogGroupName(pulumi.getStack(), name, type.toLowerCase()),
                        retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
                        kmsKeyId: key.arn,
                    },
                    child,
                ),
        );
        const logPolicy = new aws.cloudwatch.LogResourcePolicy(
            name,
            {
                policyName: `${domainName}-logs`,
                policyDocument: pulumi.all([account, ...logGroups.map((g) => g.arn)]).apply(([accountId, ...arns]) =>
                    policyJson([
                        {
                            Effect: "Allow",
                            Principal: { Service: "es.amazonaws.com" },
                            Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                            Resource: arns.map((arn) => `${arn}:*`),
                            Condition: sourceAccount(accountId),
                        },
                    ]),
                ),
            },
            child,
        );

        // Fine-grained access control maps this role to the security admin; humans assume it with MFA.
        const adminRole = new aws.iam.Role(
            `${name}-admin`,
            {
                description: `Security administrator of the ${domainName} log search domain`,
                assumeRolePolicy: pulumi
                    .all([account, pulumi.all(args.securityAdminPrincipalArns ?? [])])
                    .apply(([accountId, automation]) =>
                        policyJson([
                            trust({ AWS: accountRoot(accountId) }, "sts:AssumeRole", { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
                            ...(automation.length > 0 ? [trust({ AWS: automation }, "sts:AssumeRole")] : []),
                        ]),
                    ),
                maxSessionDuration: 3600,
            },
            child,
        );
        // The access policy names the account, which delegates to IAM: a role with no identity policy of its own is
        // refused every request, so the master user could not administer the domain it masters.
        // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-types-resource
        new aws.iam.RolePolicy(
            `${name}-admin`,
            {
                role: adminRole.id,
                policy: account.apply((accountId) =>
                    policyJson([allow("AdministerLogSearch", "es:ESHttp*", `arn:aws:es:${args.region}:${accountId}:domain/${domainName}/*`)]),
                ),
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
                advancedSecurityOptions: {
                    enabled: true,
                    anonymousAuthEnabled: false,
                    internalUserDatabaseEnabled: false,
                    masterUserOptions: { masterUserArn: adminRole.arn },
                },
                accessPolicies: account.apply((accountId) =>
                    policyJson([
                        {
                            Effect: "Allow",
                            Principal: { AWS: accountRoot(accountId) },
                            Action: "es:ESHttp*",
                            Resource: `arn:aws:es:${args.region}:${accountId}:domain/${domainName}/*`,
                        },
                    ]),
                ),
                logPublishingOptions: logTypes.map((logType, i) => ({ logType, enabled: true, cloudwatchLogGroupArn: logGroups[i].arn })),
                softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
                snapshotOptions: { automatedSnapshotStartHour: 3 },
            },
            // The SLR's output resolves to the log policy: the domain waits for both, and records both dependencies.
            { parent: this, dependsOn: [logPolicy, ...(args.serviceLinkedRoleArn ? [pulumi.output(args.serviceLinkedRoleArn).apply(() => logPolicy)] : [])] },
        );
        this.domainArn = domain.arn;
        this.endpoint = domain.endpoint;
        this.adminRoleArn = adminRole.arn;
        this.registerOutputs({ domainArn: this.domainArn, endpoint: this.endpoint, adminRoleArn: this.adminRoleArn });
    }
}
