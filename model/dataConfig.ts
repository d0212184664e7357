/**
 * The `data:` section of the stack configuration (seed 1.3, 2, 4.2, 7): PostgreSQL, Redis,
 * the documents bucket and the optional on-prem object store. Every field states its default;
 * the defaults are the regulated-production values, not the provider's.
 */
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { AWS_REGIONS } from "./regions";
import { databaseStorage, RDS_GP3_MAX_GB } from "./storage";
import { dailyWindowMinutes, weeklyWindowMinutes, windowsOverlap } from "./windows";

/** RDS/ElastiCache weekly window, e.g. "sun:03:00-sun:04:00". */
const weeklyWindow = z
    .string()
    .regex(
        /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
        "a weekly window such as sun:03:00-sun:04:00 (UTC)",
    );
/** Daily window, e.g. "01:00-02:00". */
const dailyWindow = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a daily window such as 01:00-02:00 (UTC)");

export const postgresSchema = z
    .strictObject({
        instanceClass: z
            .string()
            .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.m5.xlarge")
            .default(DEFAULTS.data.postgres.instanceClass)
            .meta({
                description: "RDS instance class (seed 7: 4 vCPU, 16 GB).",
                see: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html",
            }),
        engineVersion: z
            .string()
            .regex(/^(1[3-9])\.\d{1,2}$/, "a pinned PostgreSQL major.minor version from 13 up, such as 16.11")
            .default(DEFAULTS.data.postgres.engineVersion)
            .meta({
                description:
                    "PostgreSQL version, pinned to major.minor from 13 up (no silent minor upgrades), written in quotes. Support dates: model/versions.ts.",
                see: "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html",
            }),
        initialStorageGb: z
            .number()
            .int()
            .min(400)
            .max(RDS_GP3_MAX_GB)
            .default(DEFAULTS.data.postgres.initialStorageGb)
            .meta({ description: "Storage allocated on day one, in GB (gp3; seed 7: 1 TB)." }),
        annualGrowthGb: z.number().int().min(0).max(10_000).default(DEFAULTS.data.postgres.annualGrowthGb).meta({
            description:
                "Expected data growth per year, in GB (seed 7); with capacity.growthYears it sets the storage autoscaling ceiling, which must fit RDS gp3.",
        }),
        storageHeadroomPercent: z
            .number()
            .int()
            .min(0)
            .max(200)
            .default(DEFAULTS.data.postgres.storageHeadroomPercent)
            .meta({ description: "Extra autoscaling room above the projected size, in percent." }),
        backupRetentionDays: z.number().int().min(7).max(35).default(DEFAULTS.data.postgres.backupRetentionDays).meta({
            description: "Days of automated backups (the point-in-time recovery window).",
            see: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
        }),
        backupWindow: dailyWindow
            .default(DEFAULTS.data.postgres.backupWindow)
            .meta({ description: "Daily backup window (UTC, hh:mm-hh:mm, at least 30 minutes); must not overlap the maintenance window." }),
        maintenanceWindow: weeklyWindow
            .default(DEFAULTS.data.postgres.maintenanceWindow)
            .meta({ description: "Weekly maintenance window (UTC, ddd:hh:mm-ddd:hh:mm, at least 30 minutes)." }),
        monitoringIntervalSeconds: z
            .union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], "one of 1, 5, 10, 15, 30, 60")
            .default(DEFAULTS.data.postgres.monitoringIntervalSeconds)
            .meta({ description: "Enhanced Monitoring granularity in seconds." }),
        performanceInsightsRetentionDays: z
            .number()
            .int()
            .refine((n) => n === 7 || n === 731 || (n % 31 === 0 && n >= 31 && n <= 713), "7, 731 or a multiple of 31 (months)")
            .default(DEFAULTS.data.postgres.performanceInsightsRetentionDays)
            .meta({ description: "Performance Insights retention in days: 7 (free tier), a multiple of 31 up to 713, or 731." }),
        slowStatementMs: z
            .number()
            .int()
            .min(100)
            .max(60_000)
            .default(DEFAULTS.data.postgres.slowStatementMs)
            .meta({ description: "Statements slower than this many milliseconds are logged." }),
        passwordRotationDays: z
            .number()
            .int()
            .min(1)
            .max(365)
            .default(DEFAULTS.data.postgres.passwordRotationDays)
            .meta({ description: "Days between rotations of the master password by the Secrets Manager rotation function." }),
        masterPasswordVersion: z.number().int().min(1).default(DEFAULTS.data.postgres.masterPasswordVersion).meta({
            description:
                "Generation of the master password Pulumi sets (write-only). Rotation changes the password without Pulumi; raise this only to have Pulumi generate and set a fresh one (break glass after a failed rotation).",
        }),
        secretReplicaRegions: z
            .array(z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-1"))
            .max(5)
            .default(DEFAULTS.data.postgres.secretReplicaRegions)
            .meta({
                description:
                    "Regions (each once, not aws:region) the master-password secret is replicated to, each with a CMK there: the DR site reads the credentials its promoted replica inherits.",
            }),
    })
    .meta({ description: "PostgreSQL on RDS (Multi-AZ)." });

export const redisSchema = z
    .strictObject({
        engine: z
            .enum(["redis", "valkey"])
            .default(DEFAULTS.data.redis.engine)
            .meta({ description: "Cache engine: redis (seed 1.3) or its open-source fork valkey." }),
        engineVersion: z
            .string()
            .regex(/^[78]\.\d$/, "a pinned major.minor version such as 7.1")
            .default(DEFAULTS.data.redis.engineVersion)
            .meta({
                description: "Engine version, pinned to major.minor (7.x or 8.x), written in quotes. Support dates: model/versions.ts.",
                see: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
            }),
        nodeType: z
            .string()
            .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.m6g.large")
            .default(DEFAULTS.data.redis.nodeType)
            .meta({ description: "Node type of every shard member." }),
        shards: z.number().int().min(1).max(500).default(DEFAULTS.data.redis.shards).meta({ description: "Shards (node groups) in cluster mode." }),
        replicasPerShard: z
            .number()
            .int()
            .min(1)
            .max(5)
            .default(DEFAULTS.data.redis.replicasPerShard)
            .meta({ description: "Replicas per shard: at least 1 so every shard survives an AZ loss." }),
        snapshotRetentionDays: z
            .number()
            .int()
            .min(1)
            .max(35)
            .default(DEFAULTS.data.redis.snapshotRetentionDays)
            .meta({ description: "Days of daily snapshots kept." }),
        snapshotWindow: dailyWindow.default(DEFAULTS.data.redis.snapshotWindow).meta({ description: "Daily snapshot window (UTC, hh:mm-hh:mm)." }),
        maintenanceWindow: weeklyWindow
            .default(DEFAULTS.data.redis.maintenanceWindow)
            .meta({ description: "Weekly maintenance window (UTC, ddd:hh:mm-ddd:hh:mm, at least 60 minutes)." }),
        passwordRotationDays: z.number().int().min(1).max(1000).default(DEFAULTS.data.redis.passwordRotationDays).meta({
            description: "Days between rotations of the app user's AUTH password by the rotation function (Secrets Manager schedule).",
            see: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html",
        }),
    })
    .meta({ description: "Redis/Valkey on ElastiCache (cluster mode, Multi-AZ)." });

export const documentsSchema = z
    .strictObject({
        noncurrentVersionExpirationDays: z
            .number()
            .int()
            .min(30)
            .max(3650)
            .default(DEFAULTS.data.documents.noncurrentVersionExpirationDays)
            .meta({ description: "Days a superseded document version is kept before deletion." }),
        noncurrentVersionTransitionDays: z.number().int().min(30).max(3650).default(DEFAULTS.data.documents.noncurrentVersionTransitionDays).meta({
            description: "Days (S3's minimum for IA is 30) after which superseded versions move to STANDARD_IA.",
            see: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
        }),
        accessLogRetentionDays: z
            .number()
            .int()
            .min(90)
            .max(3650)
            .default(DEFAULTS.data.documents.accessLogRetentionDays)
            .meta({ description: "Days S3 server access logs are kept (a year plus a quarter for audits)." }),
    })
    .meta({ description: "The documents bucket in S3 (SSE-KMS, versioned)." });

export const onPremObjectStoreSchema = z
    .strictObject({
        endpoint: z
            .string()
            .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, "host:port of the MinIO API, such as minio.dc1.example.internal:9000")
            .meta({ description: "MinIO API endpoint, host:port, reached over TLS." }),
        user: z
            .string()
            .min(3)
            .max(128)
            .meta({ description: "MinIO user that provisions the bucket; its password is the secret hybrid-platform:onPremObjectStorePassword." }),
        region: z
            .string()
            .min(1)
            .default(DEFAULTS.data.onPremObjectStore.region)
            .meta({ description: "Region name MinIO reports (MinIO's default is us-east-1)." }),
        bucket: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name")
            .optional()
            .meta({ description: "Bucket name on MinIO. None: hybrid-platform-<stack>-documents." }),
        noncurrentVersionExpirationDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .default(DEFAULTS.data.onPremObjectStore.noncurrentVersionExpirationDays)
            .meta({ description: "Days MinIO keeps superseded versions (S3 keeps the long history)." }),
        syncAgentCaCertificate: z
            .string()
            .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, "a PEM certificate bundle")
            .meta({
                description:
                    "PEM CA bundle that issues the on-prem sync agent's certificate (IAM Roles Anywhere trust anchor: no long-lived AWS keys on-prem).",
                see: "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/introduction.html",
            }),
        syncAgentCommonName: z.string().min(1).max(64).meta({ description: "Common name (CN) the sync agent's certificate must carry." }),
        syncPrefix: z
            .string()
            .regex(/^[a-z0-9-]+\/$/, "a prefix ending in / such as onprem/")
            .default(DEFAULTS.data.onPremObjectStore.syncPrefix)
            .meta({ description: "Prefix of the documents bucket the sync agent writes to (ends in /)." }),
    })
    .meta({ description: "S3-compatible store in the data centre (seed 1.3), synced to S3. None: nothing on-prem." });

export const dataSchema = z
    .strictObject({
        postgres: postgresSchema.prefault({}),
        redis: redisSchema.prefault({}),
        documents: documentsSchema.prefault({}),
        onPremObjectStore: onPremObjectStoreSchema.optional(),
    })
    .meta({
        description:
            "The data tier: PostgreSQL, Redis, the documents bucket and the optional on-prem object store; every field has a default except the on-prem store's.",
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
        const { maxAllocatedStorage } = databaseStorage({
            initialGb: pg.initialStorageGb,
            annualGrowthGb: pg.annualGrowthGb,
            years: cfg.capacity.growthYears,
            headroomPercent: pg.storageHeadroomPercent,
        });
        if (maxAllocatedStorage > RDS_GP3_MAX_GB) {
            issues.push({
                path: ["data", "postgres", "annualGrowthGb"],
                message: `growth that fits RDS gp3 (${RDS_GP3_MAX_GB} GB): the projected ceiling is ${maxAllocatedStorage} GB`,
            });
        }
    }
    if (pg) {
        if (dailyWindowMinutes(pg.backupWindow) < 30)
            issues.push({ path: ["data", "postgres", "backupWindow"], message: "a window of at least 30 minutes (RDS minimum)" });
        if (weeklyWindowMinutes(pg.maintenanceWindow) < 30)
            issues.push({ path: ["data", "postgres", "maintenanceWindow"], message: "a window of at least 30 minutes (RDS minimum)" });
        if (windowsOverlap(pg.backupWindow, pg.maintenanceWindow)) {
            issues.push({
                path: ["data", "postgres", "maintenanceWindow"],
                message: `a window that does not overlap the daily backup window ${pg.backupWindow}`,
            });
        }
        (pg.secretReplicaRegions ?? []).forEach((r, i, all) => {
            if (r === region)
                issues.push({
                    path: ["data", "postgres", "secretReplicaRegions", i],
                    message: `a region other than aws:region ${region} (the secret's own region)`,
                });
            else if (all.indexOf(r) !== i)
                issues.push({ path: ["data", "postgres", "secretReplicaRegions", i], message: `each region once (${r} is listed twice)` });
        });
    }
    const redis = cfg.data?.redis;
    if (redis && weeklyWindowMinutes(redis.maintenanceWindow) < 60) {
        issues.push({ path: ["data", "redis", "maintenanceWindow"], message: "a window of at least 60 minutes (ElastiCache minimum)" });
    }
    if (cfg.data?.onPremObjectStore && !cfg.onPremObjectStorePassword) {
        issues.push({
            path: ["onPremObjectStorePassword"],
            message: "a secret (pulumi config set --secret onPremObjectStorePassword) when data.onPremObjectStore is set",
        });
    }
    return issues;
}
