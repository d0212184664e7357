import * as pulumi from "@pulumi/pulumi";
import { DataConfig } from "../../model/dataConfig";
import { validateArgs } from "../argErrors";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { RedisCache } from "../data/redisCache";

export interface WarmCacheArgs {
    /** The DR region (for the CloudWatch Logs service principal of the log key). Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the keys' policies. Required. */
    readonly accountId: pulumi.Input<string>;
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ: at least 2 (replicas and failover span AZs). Required. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Private subnets where the AUTH password rotation function runs. At least one. Required. */
    readonly rotationSubnetIds: pulumi.Input<string>[];
    /** Security group of the DR VPC's interface endpoints (Secrets Manager, KMS, ElastiCache). Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /** Security group whose members may connect (the DR data clients). Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** The cache settings prod runs with (same engine, version, shape): a failover needs no resharding. See RedisCacheArgs. Required. */
    readonly redis: DataConfig["redis"];
    /** Production: final snapshot and secret recovery window. @default true */
    readonly production?: boolean;
}

/**
 * The DR site's Redis: a warm, empty cache of prod's shape rather than an ElastiCache Global
 * Datastore. Redis holds sessions, cached data and the Celery broker, none of them the system of
 * record: after a failover users sign in again and periodic/idempotent tasks are enqueued again,
 * while the RPO (< 15 min) rests on the database replica and S3 replication. A Global Datastore
 * would keep sessions but doubles the cache cost and ties both regions to one engine upgrade path.
 */
export class WarmCache extends pulumi.ComponentResource {
    readonly configurationEndpoint: pulumi.Output<string>;
    readonly port: number;
    readonly authSecretArn: pulumi.Output<string>;
    /** Each node's cache cluster id, for the alarms (RedisCache memberClusterIds). */
    readonly memberClusterIds: pulumi.Output<string>[];
    readonly secretsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: WarmCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        // The keys register first: check what would make the cache fail before them.
        validateArgs(`WarmCache ${name}`, (e) => e.atLeast(args.subnetIds, 2, "subnetIds", "subnets (replicas and failover need two AZs)"));
        super("hybrid:dr:WarmCache", name, {}, opts);
        const child = { parent: this };
        const accountId = args.accountId;
        const cacheKey = new CustomerKey(`${name}-cache`, { description: `DR cache at rest (${args.region})`, purpose: `${name}-cache`, accountId }, child);
        const secretsKey = new CustomerKey(
            `${name}-secrets`,
            { description: `DR cache AUTH secret (${args.region})`, purpose: `${name}-secrets`, accountId },
            child,
        );
        const logsKey = new CustomerKey(
            `${name}-logs`,
            {
                description: `DR cache logs (${args.region})`,
                purpose: `${name}-logs`,
                accountId,
                serviceGrants: [logsServiceGrant(args.region, accountId)],
            },
            child,
        );
        const cache = new RedisCache(
            name,
            {
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                rotationSubnetIds: args.rotationSubnetIds,
                apiEndpointSecurityGroupId: args.apiEndpointSecurityGroupId,
                accountId,
                clientSecurityGroupId: args.clientSecurityGroupId,
                cacheKeyArn: cacheKey.arn,
                secretKeyArn: secretsKey.arn,
                logKeyArn: logsKey.arn,
                ...args.redis,
                production: args.production ?? true,
            },
            child,
        );
        this.configurationEndpoint = cache.configurationEndpoint;
        this.port = cache.port;
        this.authSecretArn = cache.authSecretArn;
        this.memberClusterIds = cache.memberClusterIds;
        this.secretsKeyArn = secretsKey.arn;
        this.registerOutputs({ configurationEndpoint: this.configurationEndpoint, authSecretArn: this.authSecretArn });
    }
}
