/** What a `PostgresDatabase` takes, documented, and checked before anything is registered. */
import * as pulumi from "@pulumi/pulumi";
import { ArgErrors } from "../argErrors";

/** A region the master-password secret is replicated to, with the CMK that encrypts it there. */
export interface SecretReplica {
    /** Region of the replica, e.g. the DR region. */
    readonly region: string;
    /** CMK in that region. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** Characters RDS refuses in a master password ("/", "@", '"' and space) plus the quote and backslash the rotation function avoids. */
export const RDS_PASSWORD_EXCLUDED = "/@\"' \\";
/** Specials of the generated password: printable ASCII without RDS_PASSWORD_EXCLUDED. */
export const RDS_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?.,^~";

export interface PostgresDatabaseArgs {
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Isolated subnets (one per AZ) for the subnet group: at least 2, in different AZs (RDS requires two for Multi-AZ). Required.
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (port 5432); nothing else is admitted. Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK for storage, Performance Insights and the log exports' data. Required. */
    readonly storageKeyArn: pulumi.Input<string>;
    /** CMK for the Secrets Manager secret holding the master password. Required. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** Region of the database (the rotation function's Secrets Manager endpoint). Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the Enhanced Monitoring role's confused-deputy condition. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Subnets of the rotation function: the private tier, which reaches the database and the Secrets Manager endpoint. At least one. Required. */
    readonly rotationSubnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints (the rotation function calls Secrets Manager through it). Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /**
     * Days between master-password rotations, 1 to 1000.
     * @default 30
     * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
     */
    readonly passwordRotationDays?: number;
    /** Generation of the password Pulumi sets, a whole number from 1; raising it sets a freshly generated one (break glass). @default 1 */
    readonly masterPasswordVersion?: number;
    /**
     * Regions the master-password secret is replicated to (the DR site), each once and none the database's own region.
     * @default none
     * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
     */
    readonly secretReplicas?: SecretReplica[];
    /** CMK for the CloudWatch log groups of the log exports. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /**
     * Instance class ("db.<family>.<size>").
     * @default db.m5.xlarge
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
     */
    readonly instanceClass?: string;
    /**
     * Pinned PostgreSQL major.minor version (the parameter group family follows the major).
     * @default 16.6
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
     */
    readonly engineVersion?: string;
    /** Storage on day one, GB (gp3: 20 to 65536). @default 1000 */
    readonly initialStorageGb?: number;
    /** Growth per year, GB, 0 or more. @default 200 */
    readonly annualGrowthGb?: number;
    /** Years of growth the autoscaling ceiling covers. @default 5 */
    readonly growthYears?: number;
    /** Percent of headroom above the projected size. @default 20 */
    readonly storageHeadroomPercent?: number;
    /**
     * Automated backup (PITR) retention, days, 1 to 35 (a replica source needs backups on).
     * @default 14
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
     */
    readonly backupRetentionDays?: number;
    /** Daily backup window, UTC ("hh:mm-hh:mm", at least 30 minutes, not overlapping the maintenance window). @default 01:00-02:00 */
    readonly backupWindow?: string;
    /** Weekly maintenance window, UTC ("ddd:hh:mm-ddd:hh:mm"). @default sun:03:00-sun:04:00 */
    readonly maintenanceWindow?: string;
    /**
     * Enhanced Monitoring interval, seconds: 0 (off), 1, 5, 10, 15, 30 or 60.
     * @default 15
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * Performance Insights retention, days: 7, or a multiple of 31 up to 731.
     * @default 7
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.cost.html
     */
    readonly performanceInsightsRetentionDays?: number;
    /** Statements slower than this are logged, ms (log_min_duration_statement), 0 or more. @default 1000 */
    readonly slowStatementMs?: number;
    /** Production: deletion protection, a final snapshot and a 30-day secret recovery window. @default true */
    readonly production?: boolean;
    /** Retention of the exported PostgreSQL logs, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
}

/** Enhanced Monitoring intervals RDS accepts, seconds (0 is off). */
export const RDS_MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

/** Log types RDS PostgreSQL exports to CloudWatch. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** What every step of a `PostgresDatabase` shares besides its parent and name. */
export interface PostgresStepScope {
    /** The RDS identifier (`componentId(name, stack)`): the prefix of the physical names. */
    readonly identifier: string;
    /** Tags for the AWS resources (`args.tags`, or none). */
    readonly tags: Record<string, string>;
}

/** The master user, whose credentials the master secret holds. */
export const MASTER_USERNAME = "platform_admin";

/** What RDS, Secrets Manager or CloudWatch would refuse at deploy time, checked before anything registers. */
export function validatePostgresArgs(e: ArgErrors, args: PostgresDatabaseArgs, identifier: string): void {
    // RDS: 1-63 letters, digits and hyphens, a letter first, no "--", no trailing hyphen.
    e.check(
        /^[a-z][a-z0-9-]{0,62}$/.test(identifier) && !identifier.includes("--") && !identifier.endsWith("-"),
        "name",
        `makes the identifier ${identifier}, which RDS refuses`,
    );
    e.atLeast(args.subnetIds, 2, "subnetIds", "subnets (a Multi-AZ subnet group spans at least two AZs)");
    e.atLeast(args.rotationSubnetIds, 1, "rotationSubnetIds", "subnets (the rotation function runs in a VPC)");
    e.integer(args.passwordRotationDays, 1, 1000, "passwordRotationDays");
    e.integer(args.masterPasswordVersion, 1, Number.MAX_SAFE_INTEGER, "masterPasswordVersion");
    e.integer(args.backupRetentionDays, 1, 35, "backupRetentionDays");
    e.check(
        args.engineVersion === undefined || /^\d+\.\d+$/.test(args.engineVersion),
        "engineVersion",
        `${args.engineVersion} is not a pinned major.minor version such as 16.6`,
    );
    e.check(
        args.instanceClass === undefined || /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.instanceClass),
        "instanceClass",
        `${args.instanceClass} is not an RDS instance class such as db.m5.xlarge`,
    );
    const interval = args.monitoringIntervalSeconds;
    e.check(
        interval === undefined || (RDS_MONITORING_INTERVALS as readonly number[]).includes(interval),
        "monitoringIntervalSeconds",
        `${interval} is not an interval RDS accepts (${RDS_MONITORING_INTERVALS.join(", ")})`,
    );
    const pi = args.performanceInsightsRetentionDays;
    e.check(
        pi === undefined || pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 731),
        "performanceInsightsRetentionDays",
        `${pi} is not 7 or a multiple of 31 up to 731`,
    );
    e.check(
        args.slowStatementMs === undefined || (Number.isInteger(args.slowStatementMs) && args.slowStatementMs >= 0),
        "slowStatementMs",
        `${args.slowStatementMs} is not a whole number of milliseconds`,
    );
    e.logRetention(args.logRetentionDays, "logRetentionDays");
    const regions = (args.secretReplicas ?? []).map((r) => r.region);
    regions.forEach((region, i) => {
        e.check(region !== args.region, `secretReplicas[${i}].region`, `${region} is the database's own region; a replica must be elsewhere`);
        e.check(regions.indexOf(region) === i, `secretReplicas[${i}].region`, `${region} is listed twice`);
    });
}
