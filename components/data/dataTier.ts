import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataConfig } from "../../model/dataConfig";
import { POSTGRES_PORT } from "../../model/ports";
import { validateArgs } from "../argErrors";
import { CustomerKey, CustomerKeyArgs } from "../security/customerKey";
import { DataEndpoints, dataEndpoints } from "./endpoints";
import { DocumentStore } from "./documentStore";
import { OnPremObjectStore } from "./onPremObjectStore";
import { PostgresDatabase } from "./postgresDatabase";
import { RedisCache } from "./redisCache";
import { DEFAULTS } from "../../model/defaults";

export interface DataTierArgs {
    /** The VPC. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets (no internet route), one per AZ: at least 2, as many as the private subnets. Required. */
    readonly isolatedSubnetIds: pulumi.Input<string>[];
    /** Private subnets, one per AZ: where the database's password rotation function runs. Required. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints (Secrets Manager, KMS). Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /** AWS region, for the CloudWatch Logs and S3 logging key grants. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): key policies, bucket names, confused-deputy conditions. Required. */
    readonly accountId: pulumi.Input<string>;
    /** The `data:` configuration section (validated by model/dataConfig.ts). Required. */
    readonly config: DataConfig;
    /** Years of growth the database's storage ceiling covers (capacity.growthYears), at least 1. @default 5 */
    readonly growthYears?: number;
    /** Production: deletion protection, final snapshots, long secret recovery windows. @default true */
    readonly production?: boolean;
    /** Password of the on-prem MinIO user (secret). Required when config.onPremObjectStore is set. */
    readonly onPremObjectStorePassword?: pulumi.Input<string>;
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
    /**
     * The VPC's S3 gateway endpoint: the documents bucket denies object reads and writes arriving any other way
     * (DocumentStore `vpcEndpointIds`). @default none (no network condition on the bucket)
     */
    readonly s3GatewayEndpointId?: pulumi.Input<string>;
}

/**
 * The data layer of the isolated tier (seed 1.3, 2, 4.2, 7): PostgreSQL, Redis, the documents
 * store and, when configured, the on-prem object store; one customer-managed key per data
 * domain; and the "data clients" security group, the only way in: the application tier
 * attaches it to whatever must reach the database (5432) or the cache (6379). `endpoints` is
 * what the application tier takes.
 */
export class DataTier extends pulumi.ComponentResource {
    /** Where the data lives and what a workload may do with it: what AppCluster takes (`data`). */
    readonly endpoints: DataEndpoints;
    readonly clientSecurityGroupId: pulumi.Output<string>;
    readonly database: PostgresDatabase;
    readonly cache: RedisCache;
    readonly documents: DocumentStore;
    readonly onPremStore?: OnPremObjectStore;
    readonly databaseKeyArn: pulumi.Output<string>;
    readonly cacheKeyArn: pulumi.Output<string>;
    readonly documentsKeyArn: pulumi.Output<string>;
    readonly secretsKeyArn: pulumi.Output<string>;
    /** Per replica region: the master secret's replica there and the CMK (created by this stack, in that region) that encrypts it. */
    readonly databaseSecretReplicas: Record<string, { secretArn: pulumi.Output<string>; keyArn: pulumi.Output<string> }>;
    readonly logsKeyArn: pulumi.Output<string>;
    /** The data tier's log groups, for forwarding to the SOC. */
    readonly logGroupNames: pulumi.Output<string>[];

    constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`DataTier ${name}`, (e) => {
            e.atLeast(args.isolatedSubnetIds, 2, "isolatedSubnetIds", "subnets (Multi-AZ PostgreSQL and Redis span at least two AZs)");
            e.check(
                args.isolatedSubnetIds.length === args.privateSubnetIds.length,
                "isolatedSubnetIds",
                `has ${args.isolatedSubnetIds.length} subnets for ${args.privateSubnetIds.length} private ones: one per AZ in each tier`,
            );
            e.integer(args.growthYears, 1, 50, "growthYears");
            args.config.postgres.secretReplicaRegions.forEach((region, i) =>
                e.check(
                    region !== args.region,
                    `config.postgres.secretReplicaRegions[${i}]`,
                    `${region} is the data tier's own region; a replica must be elsewhere`,
                ),
            );
            e.check(
                args.config.onPremObjectStore === undefined || args.onPremObjectStorePassword !== undefined,
                "onPremObjectStorePassword",
                "is required with an on-prem object store",
            );
        });
        super("hybrid:data:DataTier", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const production = args.production ?? true;
        const cfg = args.config;
        const stack = pulumi.getStack();
        const accountId = args.accountId;
        const account = pulumi.output(accountId);

        // One key per data domain: revoking or auditing one domain never touches the others.
        const key = (domain: string, description: string, serviceGrants?: CustomerKeyArgs["serviceGrants"]) =>
            new CustomerKey(`${name}-${domain}`, { description, purpose: domain, accountId, serviceGrants, tags }, child);
        const databaseKey = key("database", "PostgreSQL storage, snapshots and Performance Insights");
        const cacheKey = key("cache", "ElastiCache data at rest and snapshots");
        const documentsKey = key("documents", "Citizen documents in S3");
        const secretsKey = key("secrets", "Secrets Manager: database master and cache AUTH credentials");
        const logsKey = key("logs", "Data-tier logs: RDS and ElastiCache log groups, S3 access logs", [
            {
                service: `logs.${args.region}.amazonaws.com`,
                condition: account.apply((id) => ({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${args.region}:${id}:log-group:*` } })),
            },
            { service: "logging.s3.amazonaws.com", actions: ["kms:GenerateDataKey*", "kms:Decrypt"] },
        ]);
        this.databaseKeyArn = databaseKey.arn;
        this.cacheKeyArn = cacheKey.arn;
        this.documentsKeyArn = documentsKey.arn;
        this.secretsKeyArn = secretsKey.arn;
        this.logsKeyArn = logsKey.arn;
        // The replica's key lives in the replica's region (KMS keys are regional) but belongs to this stack: the DR stack only reads it.
        const replicaKeys = cfg.postgres.secretReplicaRegions.map((region) => ({
            region,
            key: new CustomerKey(
                `${name}-secrets-${region}`,
                { description: `Replica in ${region} of the database master secret of ${stack}`, purpose: "secrets-replica", accountId, region, tags },
                child,
            ),
        }));

        // No ingress: membership is what grants access to the data services.
        const clients = new aws.ec2.SecurityGroup(
            `${name}-clients`,
            { vpcId: args.vpcId, description: "Data clients: members may reach PostgreSQL and Redis", tags: { ...tags, Name: `${name}-clients` } },
            child,
        );
        this.clientSecurityGroupId = clients.id;

        this.database = new PostgresDatabase(
            `${name}-postgres`,
            {
                vpcId: args.vpcId,
                subnetIds: args.isolatedSubnetIds,
                clientSecurityGroupId: clients.id,
                storageKeyArn: databaseKey.arn,
                secretKeyArn: secretsKey.arn,
                logKeyArn: logsKey.arn,
                instanceClass: cfg.postgres.instanceClass,
                engineVersion: cfg.postgres.engineVersion,
                initialStorageGb: cfg.postgres.initialStorageGb,
                annualGrowthGb: cfg.postgres.annualGrowthGb,
                growthYears: args.growthYears ?? DEFAULTS.capacity.growthYears,
                storageHeadroomPercent: cfg.postgres.storageHeadroomPercent,
                backupRetentionDays: cfg.postgres.backupRetentionDays,
                backupWindow: cfg.postgres.backupWindow,
                maintenanceWindow: cfg.postgres.maintenanceWindow,
                monitoringIntervalSeconds: cfg.postgres.monitoringIntervalSeconds,
                performanceInsightsRetentionDays: cfg.postgres.performanceInsightsRetentionDays,
                slowStatementMs: cfg.postgres.slowStatementMs,
                region: args.region,
                accountId,
                rotationSubnetIds: args.privateSubnetIds,
                apiEndpointSecurityGroupId: args.apiEndpointSecurityGroupId,
                passwordRotationDays: cfg.postgres.passwordRotationDays,
                masterPasswordVersion: cfg.postgres.masterPasswordVersion,
                secretReplicas: replicaKeys.map(({ region, key }) => ({ region, kmsKeyArn: key.arn })),
                production,
                tags,
            },
            child,
        );
        this.databaseSecretReplicas = Object.fromEntries(
            replicaKeys.map(({ region, key }) => [region, { secretArn: this.database.masterSecretReplicaArns[region], keyArn: key.arn }]),
        );
        this.cache = new RedisCache(
            `${name}-redis`,
            {
                vpcId: args.vpcId,
                subnetIds: args.isolatedSubnetIds,
                clientSecurityGroupId: clients.id,
                cacheKeyArn: cacheKey.arn,
                secretKeyArn: secretsKey.arn,
                logKeyArn: logsKey.arn,
                accountId,
                rotationSubnetIds: args.privateSubnetIds,
                apiEndpointSecurityGroupId: args.apiEndpointSecurityGroupId,
                // The config section's keys are RedisCache's setting names.
                ...cfg.redis,
                production,
                tags,
            },
            child,
        );

        // Clients may talk to the data services and nothing else through this group.
        for (const [label, port, target] of [
            ["postgres", POSTGRES_PORT, this.database.securityGroupId],
            ["redis", this.cache.port, this.cache.securityGroupId],
        ] as const) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-clients-to-${label}`,
                {
                    securityGroupId: clients.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    referencedSecurityGroupId: target,
                    description: `${label} in the isolated tier`,
                },
                child,
            );
        }

        // The on-prem sync role is made after the bucket (it names the bucket's ARN): the bucket policy's exemption waits for it.
        const [outsideVpcPrincipalArns, resolveOutsideVpcPrincipalArns] = pulumi.deferredOutput<string[]>();
        this.documents = new DocumentStore(
            `${name}-documents`,
            {
                accountId,
                vpcEndpointIds: args.s3GatewayEndpointId === undefined ? undefined : [args.s3GatewayEndpointId],
                outsideVpcPrincipalArns,
                documentsKeyArn: documentsKey.arn,
                logKeyArn: logsKey.arn,
                noncurrentVersionExpirationDays: cfg.documents.noncurrentVersionExpirationDays,
                noncurrentVersionTransitionDays: cfg.documents.noncurrentVersionTransitionDays,
                accessLogRetentionDays: cfg.documents.accessLogRetentionDays,
                production,
                tags,
            },
            child,
        );

        this.logGroupNames = [...this.database.logGroupNames, ...this.cache.logGroupNames];

        const onPrem = cfg.onPremObjectStore;
        if (onPrem) {
            this.onPremStore = new OnPremObjectStore(
                `${name}-onprem`,
                {
                    endpoint: onPrem.endpoint,
                    user: onPrem.user,
                    password: args.onPremObjectStorePassword!, // checked by validateArgs
                    region: onPrem.region,
                    bucket: onPrem.bucket,
                    noncurrentVersionExpirationDays: onPrem.noncurrentVersionExpirationDays,
                    documentsBucketArn: this.documents.bucketArn,
                    documentsKeyArn: documentsKey.arn,
                    accountId,
                    syncPrefix: onPrem.syncPrefix,
                    syncAgentCaCertificate: onPrem.syncAgentCaCertificate,
                    syncAgentCommonName: onPrem.syncAgentCommonName,
                    tags,
                },
                child,
            );
        }
        resolveOutsideVpcPrincipalArns(this.onPremStore ? this.onPremStore.syncRoleArn.apply((arn) => [arn]) : pulumi.output([]));

        this.endpoints = dataEndpoints({
            databaseHost: this.database.address,
            databasePort: POSTGRES_PORT,
            redisHost: this.cache.configurationEndpoint,
            redisPort: this.cache.port,
            databaseSecretArn: this.database.masterSecretArn,
            redisAuthSecretArn: this.cache.authSecretArn,
            documentsBucketName: this.documents.bucketName,
            documentsBucketArn: this.documents.bucketArn,
            clientSecurityGroupId: this.clientSecurityGroupId,
            region: args.region,
            documentsKeyArn: documentsKey.arn,
            secretsKeyArns: [secretsKey.arn],
        });

        this.registerOutputs({
            clientSecurityGroupId: this.clientSecurityGroupId,
            databaseArn: this.database.arn,
            databaseEndpoint: this.database.endpoint,
            redisConfigurationEndpoint: this.cache.configurationEndpoint,
            documentsBucketName: this.documents.bucketName,
        });
    }
}
