/**
 * The `data:` section of the stack configuration (seed 1.3, 2, 4.2, 7): PostgreSQL, Redis,
 * the documents bucket and the optional on-prem object store. Every field states its default;
 * the defaults are the regulated-production values, not the provider's.
 */
import { z } from "zod";
import { AWS_REGIONS } from "./regions";
import { databaseStorage, RDS_GP3_MAX_GB } from "./storage";
import { dailyWindowMinutes, weeklyWindowMinutes, windowsOverlap } from "./windows";

/** RDS/ElastiCache weekly window, e.g. "sun:03:00-sun:04:00". */
const weeklyWindow = z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "a weekly window such as sun:03:00-sun:04:00 (UTC)");
/** Daily window, e.g. "01:00-02:00". */
const dailyWindow = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a daily window such as 01:00-02:00 (UTC)");

export const postgresSchema = z.strictObject({
    /** RDS instance class. Default db.m5.xlarge (seed 7: 4 vCPU, 16 GB). */
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.m5.xlarge").default("db.m5.xlarge"),
    /** PostgreSQL version, pinned to major.minor (no silent minor upgrades). Default 16.6. */
    engineVersion: z.string().regex(/^(1[3-9])\.\d{1,2}$/, "a pinned PostgreSQL major.minor version from 13 up, such as 16.6").default("16.6"),
    /** Storage allocated on day one, in GB (gp3). Default 1000 (seed 7: initial 1 TB). */
    initialStorageGb: z.number().int().min(400).max(RDS_GP3_MAX_GB).default(1000),
    /** Expected data growth per year, in GB; with capacity.growthYears it sets the autoscaling ceiling. Default 200 (seed 7). */
    annualGrowthGb: z.number().int().min(0).max(10_000).default(200),
    /** Extra autoscaling room above the projected size, in percent. Default 20. */
    storageHeadroomPercent: z.number().int().min(0).max(200).default(20),
    /** Days of automated backups (point-in-time recovery window). Default 14; at least 7. */
    backupRetentionDays: z.number().int().min(7).max(35).default(14),
    /** Daily backup window (UTC), must not overlap the maintenance window. Default 01:00-02:00. */
    backupWindow: dailyWindow.default("01:00-02:00"),
    /** Weekly maintenance window (UTC). Default sun:03:00-sun:04:00. */
    maintenanceWindow: weeklyWindow.default("sun:03:00-sun:04:00"),
    /** Enhanced Monitoring granularity in seconds. Default 15. */
    monitoringIntervalSeconds: z.union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], "one of 1, 5, 10, 15, 30, 60").default(15),
    /** Performance Insights retention in days: 7 (free tier) or a multiple of 31 up to 731. Default 7. */
    performanceInsightsRetentionDays: z.number().int().refine((n) => n === 7 || n === 731 || (n % 31 === 0 && n >= 31 && n <= 713), "7, 731 or a multiple of 31 (months)").default(7),
    /** Statements slower than this many milliseconds are logged. Default 1000. */
    slowStatementMs: z.number().int().min(100).max(60_000).default(1000),
    /** Days between rotations of the master password by the Secrets Manager rotation function. Default 30. */
    passwordRotationDays: z.number().int().min(1).max(365).default(30),
    /**
     * Generation of the master password Pulumi sets (write-only). Rotation changes the password
     * without Pulumi; raise this only to have Pulumi generate and set a fresh one (break glass
     * after a failed rotation). Default 1.
     */
    masterPasswordVersion: z.number().int().min(1).default(1),
    /**
     * Regions the master-password secret is replicated to, each with a CMK there: the DR site
     * reads the credentials its promoted replica inherits from its own region. Default none.
     */
    secretReplicaRegions: z.array(z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-1")).max(5).default([]),
});

export const redisSchema = z.strictObject({
    /** Cache engine: "redis" (seed 1.3) or its open-source fork "valkey". Default redis. */
    engine: z.enum(["redis", "valkey"]).default("redis"),
    /** Engine version, pinned to major.minor. Default 7.1. */
    engineVersion: z.string().regex(/^[78]\.\d$/, "a pinned major.minor version such as 7.1").default("7.1"),
    /** Node type of every shard member. Default cache.m6g.large. */
    nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.m6g.large").default("cache.m6g.large"),
    /** Shards (node groups) in cluster mode. Default 3. */
    shards: z.number().int().min(1).max(500).default(3),
    /** Replicas per shard; at least 1 so every shard survives an AZ loss. Default 1. */
    replicasPerShard: z.number().int().min(1).max(5).default(1),
    /** Days of daily snapshots kept. Default 7. */
    snapshotRetentionDays: z.number().int().min(1).max(35).default(7),
    /** Daily snapshot window (UTC). Default 02:00-03:00. */
    snapshotWindow: dailyWindow.default("02:00-03:00"),
    /** Weekly maintenance window (UTC). Default mon:03:00-mon:04:00. */
    maintenanceWindow: weeklyWindow.default("mon:03:00-mon:04:00"),
});

export const documentsSchema = z.strictObject({
    /** Days a superseded document version is kept before deletion. Default 365. */
    noncurrentVersionExpirationDays: z.number().int().min(30).max(3650).default(365),
    /** Days after which superseded versions move to STANDARD_IA. Default 30 (S3's minimum for IA). */
    noncurrentVersionTransitionDays: z.number().int().min(30).max(3650).default(30),
    /** Days S3 server access logs are kept. Default 400 (a year plus a quarter for audits). */
    accessLogRetentionDays: z.number().int().min(90).max(3650).default(400),
});

export const onPremObjectStoreSchema = z.strictObject({
    /** MinIO API endpoint, host:port, reached over TLS. Required. */
    endpoint: z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, "host:port of the MinIO API, such as minio.dc1.example.internal:9000"),
    /** MinIO user that provisions the bucket; its password is the secret hybrid-platform:onPremObjectStorePassword. Required. */
    user: z.string().min(3).max(128),
    /** Region name MinIO reports. Default us-east-1 (MinIO's default). */
    region: z.string().min(1).default("us-east-1"),
    /** Bucket name on MinIO. Default hybrid-platform-<stack>-documents. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name").optional(),
    /** Days MinIO keeps superseded versions. Default 90 (S3 keeps the long history). */
    noncurrentVersionExpirationDays: z.number().int().min(1).max(3650).default(90),
    /** PEM CA bundle that issues the on-prem sync agent's certificate (IAM Roles Anywhere trust anchor: no long-lived AWS keys on-prem). Required. */
    syncAgentCaCertificate: z.string().regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, "a PEM certificate bundle"),
    /** Common name (CN) the sync agent's certificate must carry. Required. */
    syncAgentCommonName: z.string().min(1).max(64),
    /** Prefix of the documents bucket the sync agent writes to. Default onprem/. */
    syncPrefix: z.string().regex(/^[a-z0-9-]+\/$/, "a prefix ending in / such as onprem/").default("onprem/"),
});

export const dataSchema = z.strictObject({
    /** PostgreSQL on RDS. Default: every field's default. */
    postgres: postgresSchema.prefault({}),
    /** Redis/Valkey on ElastiCache. Default: every field's default. */
    redis: redisSchema.prefault({}),
    /** The documents bucket in S3. Default: every field's default. */
    documents: documentsSchema.prefault({}),
    /** S3-compatible store in the data centre (seed 1.3), synced to S3. Default: none (nothing on-prem). */
    onPremObjectStore: onPremObjectStoreSchema.optional(),
});

export type DataConfig = z.infer<typeof dataSchema>;
export type PostgresConfig = DataConfig["postgres"];
export type RedisConfig = DataConfig["redis"];
export type DocumentsConfig = DataConfig["documents"];
export type OnPremObjectStoreConfig = NonNullable<DataConfig["onPremObjectStore"]>;

/** A cross-section problem, with the key path under the project namespace. */
export interface DataIssue {
    readonly path: PropertyKey[];
    readonly message: string;
}

/**
 * Checks that span fields, sections or the secret: the storage ceiling fits RDS, the windows
 * are long enough and RDS's backup and maintenance windows do not overlap (AWS rejects those
 * only at deploy time), the MinIO password is set.
 */
export function dataIssues(cfg: { data: DataConfig; capacity: { growthYears: number }; onPremObjectStorePassword?: string }, region?: string): DataIssue[] {
    const issues: DataIssue[] = [];
    const pg = cfg.data?.postgres;
    if (pg && cfg.capacity && typeof cfg.capacity.growthYears === "number") {
        const { maxAllocatedStorage } = databaseStorage({ initialGb: pg.initialStorageGb, annualGrowthGb: pg.annualGrowthGb, years: cfg.capacity.growthYears, headroomPercent: pg.storageHeadroomPercent });
        if (maxAllocatedStorage > RDS_GP3_MAX_GB) {
            issues.push({
                path: ["data", "postgres", "annualGrowthGb"],
                message: `growth that fits RDS gp3 (${RDS_GP3_MAX_GB} GB): the projected ceiling is ${maxAllocatedStorage} GB`,
            });
        }
    }
    if (pg) {
        if (dailyWindowMinutes(pg.backupWindow) < 30) issues.push({ path: ["data", "postgres", "backupWindow"], message: "a window of at least 30 minutes (RDS minimum)" });
        if (weeklyWindowMinutes(pg.maintenanceWindow) < 30) issues.push({ path: ["data", "postgres", "maintenanceWindow"], message: "a window of at least 30 minutes (RDS minimum)" });
        if (windowsOverlap(pg.backupWindow, pg.maintenanceWindow)) {
            issues.push({ path: ["data", "postgres", "maintenanceWindow"], message: `a window that does not overlap the daily backup window ${pg.backupWindow}` });
        }
        (pg.secretReplicaRegions ?? []).forEach((r, i, all) => {
            if (r === region) issues.push({ path: ["data", "postgres", "secretReplicaRegions", i], message: `a region other than aws:region ${region} (the secret's own region)` });
            else if (all.indexOf(r) !== i) issues.push({ path: ["data", "postgres", "secretReplicaRegions", i], message: `each region once (${r} is listed twice)` });
        });
    }
    const redis = cfg.data?.redis;
    if (redis && weeklyWindowMinutes(redis.maintenanceWindow) < 60) {
        issues.push({ path: ["data", "redis", "maintenanceWindow"], message: "a window of at least 60 minutes (ElastiCache minimum)" });
    }
    if (cfg.data?.onPremObjectStore && !cfg.onPremObjectStorePassword) {
        issues.push({ path: ["onPremObjectStorePassword"], message: "a secret (pulumi config set --secret onPremObjectStorePassword) when data.onPremObjectStore is set" });
    }
    return issues;
}
