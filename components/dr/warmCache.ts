import * as pulumi from "@pulumi/pulumi";
import { DataConfig } from "../../model/dataConfig";
import { CustomerKey } from "../security/customerKey";
import { RedisCache } from "../data/redisCache";

export interface WarmCacheArgs {
    /** The DR region (for the CloudWatch Logs service principal of the log key). Required. */
    readonly region: string;
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ. Required. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (the DR data clients). Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** The cache settings prod runs with (same engine, version, shape): a failover needs no resharding. Required. */
    readonly redis: DataConfig["redis"];
    /** Production: final snapshot and secret recovery window. Default true. */
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
    readonly authSecretArn: pulumi.Output<string>;
    readonly secretsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: WarmCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:dr:WarmCache", name, {}, opts);
        const child = { parent: this };
        const prefix = `hybrid-platform/${pulumi.getStack()}/${name}`;
        const cacheKey = new CustomerKey(`${name}-cache`, { description: `DR cache at rest (${args.region})`, alias: `${prefix}-cache` }, child);
        const secretsKey = new CustomerKey(`${name}-secrets`, { description: `DR cache AUTH secret (${args.region})`, alias: `${prefix}-secrets` }, child);
        const logsKey = new CustomerKey(`${name}-logs`, { description: `DR cache logs (${args.region})`, alias: `${prefix}-logs`, serviceGrants: [{ service: `logs.${args.region}.amazonaws.com` }] }, child);
        const cache = new RedisCache(
            name,
            {
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
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
        this.authSecretArn = cache.authSecretArn;
        this.secretsKeyArn = secretsKey.arn;
        this.registerOutputs({ configurationEndpoint: this.configurationEndpoint, authSecretArn: this.authSecretArn });
    }
}
