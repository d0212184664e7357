import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cacheMemberClusterIds } from "../../model/alarms";
import { componentId } from "../../model/names";
import { REDIS_PORT } from "../../model/ports";
import { validateArgs } from "../argErrors";
import { DEFAULTS } from "../../model/defaults";
import { createRedisRotation } from "./redisRotation";

const REDIS = DEFAULTS.data.redis;

export interface RedisCacheArgs {
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Isolated subnets (one per AZ) for the subnet group: at least 2, so replicas and automatic failover span AZs. Required.
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (port 6379); nothing else is admitted. Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK for data at rest and snapshots. Required. */
    readonly cacheKeyArn: pulumi.Input<string>;
    /** CMK for the Secrets Manager secret holding the AUTH password. Required. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** CMK for the slow/engine log groups and the rotation function's. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /** The stack's account: the rotation function's trust and invoke permission (confused-deputy guard). Required. */
    readonly accountId: pulumi.Input<string>;
    /** Private subnets where the password rotation function runs (it reaches the AWS APIs through the interface endpoints). At least one. Required. */
    readonly rotationSubnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints (Secrets Manager, KMS, ElastiCache), which the rotation function calls. Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /**
     * Days between rotations of the app user's password, 1 to 1000.
     * @default 30
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html
     */
    readonly passwordRotationDays?: number;
    /** "redis" or "valkey". @default redis */
    readonly engine?: "redis" | "valkey";
    /**
     * Pinned major.minor engine version (the cluster-mode parameter group follows the major).
     * @default 7.1
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html
     */
    readonly engineVersion?: string;
    /**
     * Node type ("cache.<family>.<size>").
     * @default cache.m6g.large
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
     */
    readonly nodeType?: string;
    /** Shards in cluster mode, 1 to 500. @default 3 */
    readonly shards?: number;
    /** Replicas per shard, 1 to 5 (at least one, for automatic failover). @default 1 */
    readonly replicasPerShard?: number;
    /** Days of snapshots kept, 0 to 35. @default 7 */
    readonly snapshotRetentionDays?: number;
    /** Daily snapshot window, UTC ("hh:mm-hh:mm", at least 60 minutes, not overlapping the maintenance window). @default 02:00-03:00 */
    readonly snapshotWindow?: string;
    /** Weekly maintenance window, UTC ("ddd:hh:mm-ddd:hh:mm"). @default mon:03:00-mon:04:00 */
    readonly maintenanceWindow?: string;
    /** Production: a final snapshot on deletion and a 30-day secret recovery window. @default true */
    readonly production?: boolean;
    /** Retention of the slow and engine logs, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
}

/** The application's cache user: everything except commands that could wipe or reconfigure the cluster. */
export const APP_ACCESS_STRING = "on ~* &* +@all -@dangerous";
/** ElastiCache requires a user named "default" in every group; it is switched off. */
export const DEFAULT_USER_ACCESS_STRING = "off -@all";
/** Special characters ElastiCache accepts in RBAC passwords. */
export const ELASTICACHE_PASSWORD_SPECIALS = "!&#$^<>-";

/**
 * ElastiCache Redis/Valkey replication group in cluster mode (seed 1.3, 2): shards with
 * replicas in other AZs, automatic failover, at-rest encryption with a CMK, TLS required,
 * RBAC AUTH through a user group whose application password lives in Secrets Manager (CMK),
 * in the isolated subnets, 6379 only from the data-clients group, slow and engine logs
 * to CMK-encrypted log groups.
 */
export class RedisCache extends pulumi.ComponentResource {
    readonly configurationEndpoint: pulumi.Output<string>;
    readonly port: number;
    readonly securityGroupId: pulumi.Output<string>;
    readonly authSecretArn: pulumi.Output<string>;
    readonly replicationGroupArn: pulumi.Output<string>;
    /** Each node's cache cluster id (the CacheClusterId its metrics are published under), from the group's shape. */
    readonly memberClusterIds: pulumi.Output<string>[];
    readonly keyArn: pulumi.Output<string>;
    /** Log groups of the slow and engine logs and of the password rotation. */
    readonly logGroupNames: pulumi.Output<string>[];
    /** Lambda that rotates the app user's password. */
    readonly rotationFunctionArn: pulumi.Output<string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const id = componentId(name, pulumi.getStack());
        validateArgs(`RedisCache ${name}`, (e) => {
            // ElastiCache: 1-40 letters, digits and hyphens, a letter first, no "--", no trailing hyphen.
            e.check(
                /^[a-z][a-z0-9-]{0,39}$/.test(id) && !id.includes("--") && !id.endsWith("-"),
                "name",
                `makes the replication group id ${id}, which ElastiCache refuses`,
            );
            e.atLeast(args.subnetIds, 2, "subnetIds", "subnets (replicas and failover need two AZs)");
            e.integer(args.shards, 1, 500, "shards");
            e.integer(args.replicasPerShard, 1, 5, "replicasPerShard");
            e.integer(args.snapshotRetentionDays, 0, 35, "snapshotRetentionDays");
            e.check(
                args.engineVersion === undefined || /^\d+\.\d+$/.test(args.engineVersion),
                "engineVersion",
                `${args.engineVersion} is not a pinned major.minor version such as 7.1`,
            );
            e.check(
                args.nodeType === undefined || /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(args.nodeType),
                "nodeType",
                `${args.nodeType} is not a node type such as cache.m6g.large`,
            );
            e.logRetention(args.logRetentionDays, "logRetentionDays");
            e.atLeast(args.rotationSubnetIds, 1, "rotationSubnetIds", "subnets (the rotation function runs in a VPC)");
            e.integer(args.passwordRotationDays, 1, 1000, "passwordRotationDays");
        });
        super("hybrid:data:RedisCache", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const production = args.production ?? true;
        const engine = args.engine ?? REDIS.engine;
        const engineVersion = args.engineVersion ?? REDIS.engineVersion;
        const major = engineVersion.split(".")[0];
        this.port = REDIS_PORT;

        const subnetGroup = new aws.elasticache.SubnetGroup(
            name,
            { name: id, description: `Isolated subnets of ${id}`, subnetIds: args.subnetIds, tags },
            child,
        );
        const sg = new aws.ec2.SecurityGroup(
            name,
            { vpcId: args.vpcId, description: `${engine} ${id}: ${REDIS_PORT} from data clients only`, tags: { ...tags, Name: `${id}-cache` } },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-clients`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: this.port,
                toPort: this.port,
                referencedSecurityGroupId: args.clientSecurityGroupId,
                description: `${engine} from data clients`,
            },
            child,
        );
        this.securityGroupId = sg.id;

        // AUTH: generated here, handed to ElastiCache and Secrets Manager only; the state keeps it as a secret.
        const password = new random.RandomPassword(
            `${name}-app`,
            { length: 40, special: true, overrideSpecial: ELASTICACHE_PASSWORD_SPECIALS, minSpecial: 2, minNumeric: 2, minUpper: 2, minLower: 2 },
            child,
        );
        const defaultPassword = new random.RandomPassword(
            `${name}-default`,
            { length: 40, special: true, overrideSpecial: ELASTICACHE_PASSWORD_SPECIALS },
            child,
        );
        const userEngine = engine === "valkey" ? "valkey" : "redis";
        const appUser = new aws.elasticache.User(
            `${name}-app`,
            {
                userId: `${id}-app`,
                userName: "app",
                engine: userEngine,
                accessString: APP_ACCESS_STRING,
                authenticationMode: { type: "password", passwords: [password.result] },
                tags,
            },
            // The rotation function sets the passwords from then on (ModifyUser): Pulumi must not put the first one back.
            { parent: this, ignoreChanges: ["authenticationMode.passwords"] },
        );
        const defaultUser = new aws.elasticache.User(
            `${name}-default`,
            {
                userId: `${id}-default`,
                userName: "default",
                engine: userEngine,
                accessString: DEFAULT_USER_ACCESS_STRING,
                authenticationMode: { type: "password", passwords: [defaultPassword.result] },
                tags,
            },
            child,
        );
        const userGroup = new aws.elasticache.UserGroup(
            name,
            { userGroupId: id, engine: userEngine, userIds: [defaultUser.userId, appUser.userId], tags },
            child,
        );

        const secret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            {
                name: `${id}/auth`,
                description: `AUTH user and password of ${id}`,
                kmsKeyId: args.secretKeyArn,
                recoveryWindowInDays: production ? 30 : 7,
                tags,
            },
            child,
        );
        const secretVersion = new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            {
                secretId: secret.id,
                // The rotation function (redisRotation.ts) finds the user by user_arn, as AWS's ElastiCache template does.
                secretString: pulumi.secret(
                    pulumi.all([password.result, appUser.arn]).apply(([p, userArn]) => JSON.stringify({ username: "app", password: p, user_arn: userArn })),
                ),
            },
            // Rotation moves AWSCURRENT to its own versions; Pulumi must not move it back to this first one.
            { parent: this, ignoreChanges: ["versionStages"] },
        );
        this.authSecretArn = secret.arn;

        const logGroups = (["slow-log", "engine-log"] as const).map((logType) => ({
            logType,
            group: new aws.cloudwatch.LogGroup(
                `${name}-${logType}`,
                {
                    name: `/hybrid-platform/elasticache/${id}/${logType}`,
                    retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
                    kmsKeyId: args.logKeyArn,
                    tags,
                },
                child,
            ),
        }));

        const group = new aws.elasticache.ReplicationGroup(
            name,
            {
                replicationGroupId: id,
                description: `Sessions, cache and Celery broker (${id})`,
                engine,
                engineVersion,
                autoMinorVersionUpgrade: false,
                nodeType: args.nodeType ?? REDIS.nodeType,
                port: this.port,
                clusterMode: "enabled",
                parameterGroupName: `default.${engine}${major}.cluster.on`,
                numNodeGroups: args.shards ?? REDIS.shards,
                replicasPerNodeGroup: args.replicasPerShard ?? REDIS.replicasPerShard,
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.cacheKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                userGroupIds: [userGroup.userGroupId],
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [sg.id],
                snapshotRetentionLimit: args.snapshotRetentionDays ?? REDIS.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow ?? REDIS.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow ?? REDIS.maintenanceWindow,
                finalSnapshotIdentifier: production ? `${id}-final` : undefined,
                logDeliveryConfigurations: logGroups.map(({ logType, group }) => ({
                    destination: group.name,
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType,
                })),
                applyImmediately: false,
                tags,
            },
            child,
        );
        const { vpcId, accountId, apiEndpointSecurityGroupId, secretKeyArn, logKeyArn } = args;
        const rotation = createRedisRotation(this, name, {
            ...{ id, tags, vpcId, accountId, subnetIds: args.rotationSubnetIds, apiEndpointSecurityGroupId, secretKeyArn, logKeyArn },
            logRetentionDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
            rotationDays: args.passwordRotationDays ?? REDIS.passwordRotationDays,
            ...{ secret, secretVersion, user: appUser, cache: group },
        });
        this.rotationFunctionArn = rotation.functionArn;

        this.configurationEndpoint = group.configurationEndpointAddress;
        this.logGroupNames = [...logGroups.map(({ group }) => group.name), rotation.logGroupName];
        this.replicationGroupArn = group.arn;
        // A fixed list (its length is the configured shape), so the alarms on each node exist in preview too.
        const members = (groupId: string) => cacheMemberClusterIds(groupId, args.shards ?? REDIS.shards, args.replicasPerShard ?? REDIS.replicasPerShard);
        this.memberClusterIds = members(id).map((_, i) => group.replicationGroupId.apply((groupId) => members(groupId)[i]));
        this.keyArn = pulumi.output(args.cacheKeyArn);
        this.registerOutputs({
            configurationEndpoint: this.configurationEndpoint,
            securityGroupId: this.securityGroupId,
            authSecretArn: this.authSecretArn,
            replicationGroupArn: this.replicationGroupArn,
        });
    }
}
